package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzJSONRPCBody feeds arbitrary bodies to POST /: the server must never
// panic and must always answer well-formed JSON-RPC (or 204 for notifications).
func FuzzJSONRPCBody(f *testing.F) {
	req := requestJSON(1, []byte{0xc0}, testSlasher)
	for _, seed := range []string{
		call("commitmentRequest", "["+req+"]"),
		call("commitmentResult", `["`+testHash.Hex()+`"]`),
		call("slots", "[]"),
		call("fee", "["+req+"]"),
		call("bolt_requestInclusion", `[{"slot":5,"txs":["0x02f8","0x01"]}]`),
		call("bolt_metadata", ""),
		call("bolt_getVersion", "{}"),
		call("commitmentRequest", req),
		call("fee", `{"request":`+req+`}`),
		call("commitmentResult", `{"request_hash":"`+testHash.Hex()+`"}`),
		call("commitmentResult", `[{"request_hash":"`+testHash.Hex()+`"}]`),
		call("bolt_requestInclusion", `{"slot":5,"txs":["02f8"]}`),
		`[` + call("slots", "[]") + `,{"jsonrpc":"2.0","method":"slots"}]`,
		`{"jsonrpc":"2.0","method":"slots"}`,
		`{"jsonrpc":"2.0","id":1e400,"method":"slots","params":null}`,
		`{"jsonrpc":"2.0","id":{},"method":7,"params":"x"}`,
		`[]`, `[1,2,3]`, `null`, `"x"`, `{`, ``, `[[[[[]]]]]`,
		`{"jsonrpc":"2.0","id":"\ud800","method":"slots"}`,
		call("commitmentRequest", `[{"commitment_type":1,"payload":"0x","slasher":"0x00","extra":[]}]`),
	} {
		f.Add([]byte(seed))
	}
	ts := newTestServer(f, &fakeBackend{}, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		ts.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)))
		switch w.Code {
		case http.StatusNoContent:
			if w.Body.Len() != 0 {
				t.Fatalf("204 with a body: %q", w.Body)
			}
			return
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d", w.Code)
		}
		out := w.Body.Bytes()
		if !json.Valid(out) {
			t.Fatalf("invalid JSON answer %q to %q", out, body)
		}
		var answers []rpcAnswer
		if bytes.HasPrefix(out, []byte("[")) {
			if w.Code != http.StatusOK {
				t.Fatalf("batch answer with status %d", w.Code)
			}
			if err := json.Unmarshal(out, &answers); err != nil || len(answers) == 0 {
				t.Fatalf("bad batch answer %q: %v", out, err)
			}
		} else {
			var a rpcAnswer
			if err := json.Unmarshal(out, &a); err != nil {
				t.Fatalf("bad answer %q: %v", out, err)
			}
			answers = []rpcAnswer{a}
		}
		for _, a := range answers {
			if a.JSONRPC != "2.0" || (a.Result == nil) == (a.Error == nil) || a.ID == nil {
				t.Fatalf("malformed answer %q", out)
			}
			if a.Error != nil {
				if _, ok := codeInfo[a.Error.Code]; !ok || a.Error.Message == "" {
					t.Fatalf("error outside the table: %+v", a.Error)
				}
			}
		}
	})
}
