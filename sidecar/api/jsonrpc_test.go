package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func TestJSONRPCEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   string
		status int
		code   int
		id     string // the id the answer must carry
		reason string // a substring of data.reason
	}{
		{"not json", `{"jsonrpc":"2.0",`, 400, CodeParse, "null", "not valid JSON"},
		{"empty body", ``, 400, CodeParse, "null", "not valid JSON"},
		{"trailing garbage", call("slots", "[]") + "x", 400, CodeParse, "null", "not valid JSON"},
		{"scalar body", `42`, 200, CodeInvalidRequest, "null", "JSON object"},
		{"no jsonrpc", `{"id":1,"method":"slots"}`, 200, CodeInvalidRequest, "1", `jsonrpc must be "2.0"`},
		{"jsonrpc 1.0", `{"jsonrpc":"1.0","id":1,"method":"slots"}`, 200, CodeInvalidRequest, "1", `jsonrpc must be "2.0"`},
		{"jsonrpc a number", `{"jsonrpc":2.0,"id":1,"method":"slots"}`, 200, CodeInvalidRequest, "1", "jsonrpc has the wrong type"},
		{"no method", `{"jsonrpc":"2.0","id":1}`, 200, CodeInvalidRequest, "1", "method is missing"},
		{"method a number", `{"jsonrpc":"2.0","id":"x","method":5}`, 200, CodeInvalidRequest, `"x"`, "method has the wrong type"},
		{"id an object", `{"jsonrpc":"2.0","id":{},"method":"slots"}`, 200, CodeInvalidRequest, "null", "id must be"},
		{"id a bool", `{"jsonrpc":"2.0","id":true,"method":"slots"}`, 200, CodeInvalidRequest, "null", "id must be"},
		{"params a string", `{"jsonrpc":"2.0","id":1,"method":"slots","params":"bar"}`, 200, CodeInvalidRequest, "1", "params must be an array or an object"},
		{"unknown method", call("eth_sendRawTransaction", "[]"), 200, CodeMethodNotFound, "1", `no method "eth_sendRawTransaction"`},
		{"long unknown method is cut", call(strings.Repeat("m", 500), "[]"), 200, CodeMethodNotFound, "1", strings.Repeat("m", 64) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.rpc(tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			a := decodeAnswer(t, w)
			if a.Error == nil || a.Error.Code != tt.code {
				t.Fatalf("got %+v, want code %d", a.Error, tt.code)
			}
			if string(a.ID) != tt.id {
				t.Fatalf("id %s, want %s", a.ID, tt.id)
			}
			if !strings.Contains(a.Error.Data.Reason, tt.reason) {
				t.Fatalf("reason %q lacks %q", a.Error.Data.Reason, tt.reason)
			}
			if strings.Contains(w.Body.String(), strings.Repeat("m", 65)) {
				t.Fatal("answer echoes an unbounded method name")
			}
		})
	}
}

func TestJSONRPCEchoesIDExactly(t *testing.T) {
	t.Parallel()
	for _, id := range []string{`1`, `0`, `-7`, `1.50`, `1e400`, `18446744073709551616123`, `"abc"`, `""`, `"\u00e9\n"`, `null`} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.rpc(`{"jsonrpc":"2.0","id":` + id + `,"method":"slots"}`)
			a := decodeAnswer(t, w)
			if a.Error != nil {
				t.Fatalf("error %+v", a.Error)
			}
			if string(a.ID) != id {
				t.Fatalf("id echoed as %s, want %s", a.ID, id)
			}
		})
	}
}

func TestJSONRPCBadParams(t *testing.T) {
	t.Parallel()
	good := requestJSON(1, []byte{0xc0}, testSlasher)
	tests := []struct {
		name, method, params string
		code                 int
		reason               string
	}{
		{"object params missing members", "commitmentRequest", `{"commitment_type":1}`, CodeInvalidParams, "params.payload is missing"},
		{"no params", "commitmentRequest", ``, CodeInvalidParams, "want 1 param, got 0"},
		{"two params", "commitmentRequest", "[" + good + "," + good + "]", CodeInvalidParams, "want 1 param, got 2"},
		{"param not an object", "commitmentRequest", `["0x01"]`, CodeInvalidParams, "params[0]: want an object {commitment_type, payload, slasher}"},
		{"unknown member", "commitmentRequest", `[{"commitment_type":1,"payload":"0xc0","slasher":"` + testSlasher.Hex() + `","tip":1}]`, CodeInvalidParams, `params[0]: unknown member "tip"`},
		{"missing payload", "commitmentRequest", `[{"commitment_type":1,"slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].payload is missing"},
		{"null slasher", "commitmentRequest", `[{"commitment_type":1,"payload":"0xc0","slasher":null}]`, CodeInvalidParams, "params[0].slasher is missing"},
		{"type a string", "commitmentRequest", `[{"commitment_type":"1","payload":"0xc0","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].commitment_type: want an unsigned integer"},
		{"type negative", "fee", `[{"commitment_type":-1,"payload":"0xc0","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].commitment_type: want an unsigned integer"},
		{"type fractional", "fee", `[{"commitment_type":1.5,"payload":"0xc0","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].commitment_type: want an unsigned integer"},
		{"type over 64 bits", "fee", `[{"commitment_type":18446744073709551616,"payload":"0xc0","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "below 2^64"},
		{"payload without 0x", "commitmentRequest", `[{"commitment_type":1,"payload":"c0","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].payload: hex string without 0x prefix"},
		{"payload odd length", "commitmentRequest", `[{"commitment_type":1,"payload":"0xc","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].payload: hex string of odd length"},
		{"payload bad hex", "commitmentRequest", `[{"commitment_type":1,"payload":"0xzz","slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].payload: invalid hex string"},
		{"payload a number", "commitmentRequest", `[{"commitment_type":1,"payload":12,"slasher":"` + testSlasher.Hex() + `"}]`, CodeInvalidParams, "params[0].payload: want a 0x-prefixed hex string"},
		{"short slasher", "commitmentRequest", `[{"commitment_type":1,"payload":"0xc0","slasher":"0x1234"}]`, CodeInvalidParams, "params[0].slasher: address of 2 bytes, want 20"},
		{"hash too short", "commitmentResult", `["0x1234"]`, CodeInvalidParams, "params[0]: hash of 2 bytes, want 32"},
		{"hash a number", "commitmentResult", `[5]`, CodeInvalidParams, "params[0]: want a 0x-prefixed hex string"},
		{"slots with params", "slots", `[1]`, CodeInvalidParams, "want no params, got 1"},
		{"metadata with params", "bolt_metadata", `["x"]`, CodeInvalidParams, "want no params, got 1"},
		{"bolt no slot", "bolt_requestInclusion", `[{"txs":["0x02"]}]`, CodeInvalidParams, "params[0].slot is missing"},
		{"bolt slot a string", "bolt_requestInclusion", `[{"slot":"5","txs":["0x02"]}]`, CodeInvalidParams, "params[0].slot: want an unsigned integer"},
		{"bolt txs not an array", "bolt_requestInclusion", `[{"slot":5,"txs":"0x02"}]`, CodeInvalidParams, "params[0].txs: want an array"},
		{"bolt no txs", "bolt_requestInclusion", `[{"slot":5,"txs":[]}]`, CodeInvalidParams, "params[0].txs: empty, want 1 to 16"},
		{"bolt empty tx", "bolt_requestInclusion", `[{"slot":5,"txs":["0x02","0x"]}]`, CodeInvalidParams, "params[0].txs[1]: empty transaction"},
		{"bolt null tx", "bolt_requestInclusion", `[{"slot":5,"txs":[null]}]`, CodeInvalidParams, "params[0].txs[0] is missing"},
		{"bolt bad hex tx", "bolt_requestInclusion", `[{"slot":5,"txs":["0xgg"]}]`, CodeInvalidParams, "params[0].txs[0]: invalid hex string"},
		{"bolt unknown member", "bolt_requestInclusion", `[{"slot":5,"txs":["0x02"],"chain_id":1}]`, CodeInvalidParams, `unknown member "chain_id"`},
		{"bolt 17 txs", "bolt_requestInclusion", `[{"slot":5,"txs":[` + strings.TrimSuffix(strings.Repeat(`"0x02",`, 17), ",") + `]}]`, BoltCodeValidation, "params[0].txs: 17 transactions, limit 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			a := decodeAnswer(t, ts.rpc(call(tt.method, tt.params)))
			if a.Error == nil || a.Error.Code != tt.code {
				t.Fatalf("got %+v, want code %d", a.Error, tt.code)
			}
			if !strings.Contains(a.Error.Data.Reason, tt.reason) {
				t.Fatalf("reason %q lacks %q", a.Error.Data.Reason, tt.reason)
			}
			if reqs, fees, results := ts.be.recorded(); len(reqs)+len(fees)+len(results) != 0 {
				t.Fatal("bad params reached the backend")
			}
		})
	}
}

func TestRESTBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path, body string
		status, code             int
		reason                   string
	}{
		{"bad hash in path", http.MethodGet, restPrefix + "commitmentResult/0x12", "", 400, CodeInvalidParams, "request_hash: hash of 1 bytes, want 32"},
		{"hash without 0x", http.MethodGet, restPrefix + "commitmentResult/" + strings.Repeat("11", 32), "", 400, CodeInvalidParams, "request_hash: hex string without 0x prefix"},
		{"body not an object", http.MethodPost, restPrefix + "commitmentRequest", `[1]`, 400, CodeInvalidParams, "body: want an object"},
		{"body not json", http.MethodPost, restPrefix + "fee", `{`, 400, CodeInvalidParams, "body: want an object"},
		{"unknown member", http.MethodPost, restPrefix + "fee", `{"commitment_type":1,"payload":"0xc0","slasher":"` + testSlasher.Hex() + `","x":1}`, 400, CodeInvalidParams, `body: unknown member "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.do(tt.method, tt.path, tt.body, "")
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			var e Error
			if err := jsonUnmarshalStrict(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("body is not an error object: %v", err)
			}
			if e.Code != tt.code || e.Data == nil || !strings.Contains(e.Data.Reason, tt.reason) {
				t.Fatalf("got %+v, want code %d reason ~%q", e, tt.code, tt.reason)
			}
		})
	}
}

func TestBodyLimits(t *testing.T) {
	t.Parallel()
	t.Run("json-rpc body over 4 MiB", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, nil)
		body := `{"jsonrpc":"2.0","id":1,"method":"slots","params":[],"pad":"` + strings.Repeat("a", 4<<20) + `"}`
		w := ts.rpc(body)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", w.Code)
		}
		if a := decodeAnswer(t, w); a.Error.Code != CodeTooLarge || string(a.ID) != "null" {
			t.Fatalf("got %+v", a)
		}
	})
	t.Run("body over the limit without a content length", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, func(c *Config) { c.MaxBodyBytes = 100 })
		r := httpRequestUnknownLength(http.MethodPost, "/", strings.Repeat(" ", 101))
		w := serve(ts, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("rest body over 4 MiB", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, nil)
		w := ts.do(http.MethodPost, restPrefix+"commitmentRequest", strings.Repeat(" ", 4<<20+1), "")
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", w.Code)
		}
		sameJSON(t, w.Body.Bytes(), `{"code":-32015,"message":"request too large","data":{"reason":"body of 4194305 bytes, limit 4194304"}}`)
	})
	t.Run("payload over 2 MiB", func(t *testing.T) {
		t.Parallel()
		// The body limit is raised so the payload limit is what refuses.
		ts := newTestServer(t, &fakeBackend{}, func(c *Config) { c.MaxBodyBytes = 8 << 20 })
		big := make([]byte, protocol.MaxRequestPayload+1)
		a := decodeAnswer(t, ts.rpc(call("commitmentRequest", "["+requestJSON(1, big, testSlasher)+"]")))
		if a.Error == nil || a.Error.Code != CodeTooLarge || !strings.Contains(a.Error.Data.Reason, "params[0].payload") {
			t.Fatalf("got %+v", a.Error)
		}
	})
	t.Run("bolt txs over 2 MiB together", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, func(c *Config) { c.MaxBodyBytes = 8 << 20 })
		tx := `"` + hexutil.Encode(make([]byte, 1<<20)) + `"`
		a := decodeAnswer(t, ts.rpc(call("bolt_requestInclusion", `[{"slot":1,"txs":[`+tx+`,`+tx+`]}]`)))
		// Bolt's code for the call, Pledge's beside it.
		if a.Error == nil || a.Error.Code != BoltCodeValidation || a.Error.Data.PledgeCode != CodeTooLarge ||
			!strings.HasPrefix(a.Error.Data.Reason, "params[0].txs: ") || !strings.Contains(a.Error.Data.Reason, "bytes together") {
			t.Fatalf("got %+v", a.Error)
		}
	})
}

func TestBatches(t *testing.T) {
	t.Parallel()
	slots := func(id int) string { return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"slots"}`, id) }
	batchOf := func(n int) string {
		calls := make([]string, n)
		for i := range calls {
			calls[i] = slots(i)
		}
		return "[" + strings.Join(calls, ",") + "]"
	}
	t.Run("answers in order, notifications left out", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, nil)
		body := `[` + slots(1) + `,{"jsonrpc":"2.0","method":"slots"},{"jsonrpc":"2.0","id":"b","method":"nope"},` +
			call("commitmentResult", `["0x12"]`) + `,` + slots(3) + `]`
		w := ts.rpc(body)
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		as := decodeAnswers(t, w)
		if len(as) != 4 {
			t.Fatalf("%d answers, want 4: %s", len(as), w.Body)
		}
		wantIDs := []string{"1", `"b"`, "1", "3"}
		wantCodes := []int{0, CodeMethodNotFound, CodeInvalidParams, 0}
		for i, a := range as {
			code := 0
			if a.Error != nil {
				code = a.Error.Code
			}
			if string(a.ID) != wantIDs[i] || code != wantCodes[i] {
				t.Errorf("answer %d: id %s code %d, want id %s code %d", i, a.ID, code, wantIDs[i], wantCodes[i])
			}
		}
	})
	t.Run("16 calls", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, nil)
		if as := decodeAnswers(t, ts.rpc(batchOf(16))); len(as) != 16 {
			t.Fatalf("%d answers", len(as))
		}
	})
	for _, tt := range []struct {
		name, body, reason string
	}{
		{"empty batch", `[]`, "empty batch"},
		{"17 calls", batchOf(17), "batch of 17 calls, limit 16"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.rpc(tt.body)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d", w.Code)
			}
			a := decodeAnswer(t, w)
			if a.Error.Code != CodeInvalidRequest || string(a.ID) != "null" || a.Error.Data.Reason != tt.reason {
				t.Fatalf("got %+v", a.Error)
			}
		})
	}
	t.Run("batch of non-calls", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, nil)
		as := decodeAnswers(t, ts.rpc(`[1,"x",null]`))
		if len(as) != 3 {
			t.Fatalf("%d answers", len(as))
		}
		for _, a := range as {
			if a.Error == nil || a.Error.Code != CodeInvalidRequest || string(a.ID) != "null" {
				t.Fatalf("got %+v", a)
			}
		}
	})
	t.Run("only notifications", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t, &fakeBackend{}, nil)
		n := `{"jsonrpc":"2.0","method":"commitmentRequest","params":[` + requestJSON(1, []byte{0xc0}, testSlasher) + `]}`
		w := ts.rpc("[" + n + "," + n + "]")
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Fatalf("status %d body %q", w.Code, w.Body)
		}
		if reqs, _, _ := ts.be.recorded(); len(reqs) != 2 {
			t.Fatalf("notifications ran %d times, want 2", len(reqs))
		}
	})
}

func TestNotification(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	w := ts.rpc(`{"jsonrpc":"2.0","method":"commitmentRequest","params":[` + requestJSON(1, []byte{0xc0}, testSlasher) + `]}`)
	if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Fatalf("status %d body %q", w.Code, w.Body)
	}
	if reqs, _, _ := ts.be.recorded(); len(reqs) != 1 {
		t.Fatalf("notification ran %d times, want 1", len(reqs))
	}
	// A failing or unknown notification is not answered either.
	for _, body := range []string{`{"jsonrpc":"2.0","method":"nope"}`, `{"jsonrpc":"2.0","method":"commitmentResult","params":[1]}`} {
		if w := ts.rpc(body); w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Fatalf("%s: status %d body %q", body, w.Code, w.Body)
		}
	}
}

// TestEscapedHexIsDecoded: JSON allows escapes inside strings; the fast path
// that skips copying the payload must not skip them.
func TestEscapedHexIsDecoded(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	params := `[{"commitment_type":1,"payload":"\u0030x\u0063\u0030","slasher":"` + testSlasher.Hex() + `"}]`
	if a := decodeAnswer(t, ts.rpc(call("commitmentRequest", params))); a.Error != nil {
		t.Fatalf("error %+v", a.Error)
	}
	reqs, _, _ := ts.be.recorded()
	if len(reqs) != 1 || string(reqs[0].Payload) != "\xc0" {
		t.Fatalf("backend got %+v, want payload c0", reqs)
	}
}
