package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Conformance with the Commitments API (eth-fabric/commitments-specs) and its
// reference implementation (eth-fabric/fabric, crates/commitments): requests
// written out literally as the spec's examples show them and as the
// reference client (jsonrpsee, positional params) sends them; answers read by
// types that mirror the spec's, closed where Pledge claims the spec's exact
// shape.

// The values of the spec's examples.
const (
	specSlasher = "0x1234567890123456789012345678901234567890"
	specHash    = "0x1234567890123456789012345678901234567890000000000000000000000000"
	specPayload = "0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef"
)

// specCommitment and specSignedCommitment mirror the spec's Commitment and
// SignedCommitment: every member required, no other (Pledge sends exactly these).
type specCommitment struct {
	CommitmentType *uint64         `json:"commitment_type"`
	Payload        *hexutil.Bytes  `json:"payload"`
	RequestHash    *common.Hash    `json:"request_hash"`
	Slasher        *common.Address `json:"slasher"`
}

type specSignedCommitment struct {
	Commitment *specCommitment `json:"commitment"`
	Signature  *hexutil.Bytes  `json:"signature"`
}

// specSlotInfoResponse mirrors SlotInfoResponse. SlotInfo is open: Pledge
// adds proposer, operator and committer (docs/protocol.md §3.1).
type specSlotInfoResponse struct {
	Slots *[]struct {
		Slot      *uint64 `json:"slot"`
		Offerings *[]struct {
			ChainID         *uint64   `json:"chain_id"`
			CommitmentTypes *[]uint64 `json:"commitment_types"`
		} `json:"offerings"`
	} `json:"slots"`
}

// specFeeInfo is the spec's FeeInfo; refFeeInfo the reference client's,
// which names the payload fee_payload.
type specFeeInfo struct {
	Payload        *hexutil.Bytes `json:"payload"`
	CommitmentType *uint64        `json:"commitment_type"`
}

type refFeeInfo struct {
	FeePayload     *hexutil.Bytes `json:"fee_payload"`
	CommitmentType *uint64        `json:"commitment_type"`
}

// specEnvelope is a JSON-RPC answer as the JSON-RPC file declares it.
type specEnvelope struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int             `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	} `json:"error"`
}

func decodeInto(t *testing.T, raw []byte, v any, closed bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if closed {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s does not read as %T: %v", raw, v, err)
	}
}

// allSet fails unless every pointer field of v (a struct pointer), and of the
// structs they point to, is set: the spec's required members.
func allSet(t *testing.T, v any) {
	t.Helper()
	var walk func(path string, rv reflect.Value)
	walk = func(path string, rv reflect.Value) {
		switch rv.Kind() {
		case reflect.Pointer:
			if rv.IsNil() {
				t.Fatalf("%s is missing", path)
			}
			walk(path, rv.Elem())
		case reflect.Struct:
			for i := range rv.NumField() {
				f := rv.Type().Field(i)
				walk(path+"."+strings.Split(f.Tag.Get("json"), ",")[0], rv.Field(i))
			}
		case reflect.Slice:
			for i := range rv.Len() {
				walk(path+"[]", rv.Index(i))
			}
		}
	}
	walk("result", reflect.ValueOf(v))
}

// checkSigned reads a SignedCommitment closed, as the spec defines it.
func checkSigned(t *testing.T, result json.RawMessage) {
	t.Helper()
	var sc specSignedCommitment
	decodeInto(t, result, &sc, true)
	allSet(t, &sc)
	if *sc.Commitment.RequestHash != testSigned.Commitment.RequestHash || !bytes.Equal(*sc.Signature, testSigned.Signature) {
		t.Fatalf("answer %s is not the backend's commitment", result)
	}
}

func checkSlots(t *testing.T, result json.RawMessage) {
	t.Helper()
	var r specSlotInfoResponse
	decodeInto(t, result, &r, false)
	allSet(t, &r)
	if len(*r.Slots) != 1 || *(*r.Slots)[0].Slot != 1234 {
		t.Fatalf("slots %s", result)
	}
}

// checkFee reads FeeInfo as the spec names it and as the reference client does.
func checkFee(t *testing.T, result json.RawMessage) {
	t.Helper()
	var spec specFeeInfo
	decodeInto(t, result, &spec, false)
	allSet(t, &spec)
	var ref refFeeInfo
	decodeInto(t, result, &ref, false)
	allSet(t, &ref)
	if !bytes.Equal(*spec.Payload, testFee.Payload) || !bytes.Equal(*ref.FeePayload, testFee.Payload) {
		t.Fatalf("fee %s", result)
	}
}

// specRequest is the CommitmentRequest of the examples, as the backend must get it.
func specRequest(payload string) protocol.CommitmentRequest {
	return protocol.CommitmentRequest{CommitmentType: 1, Payload: hexutil.MustDecode(payload), Slasher: common.HexToAddress(specSlasher)}
}

func TestCommitmentsAPIJSONRPCConformance(t *testing.T) {
	t.Parallel()
	mdRequest := `{"commitment_type":1,"payload":"` + specPayload + `","slasher":"` + specSlasher + `"}`
	// The reference client serialises alloy's Address checksummed.
	refRequest := `{"commitment_type":1,"payload":"` + specPayload + `","slasher":"` + common.HexToAddress(specSlasher).Hex() + `"}`
	tests := []struct {
		name, path, body string
		request          *protocol.CommitmentRequest // what Request or Fee must get
		result           bool                        // commitmentResult must get specHash
		check            func(*testing.T, json.RawMessage)
	}{
		// specs/commitments-api.md (JSON-RPC revision): positional arrays.
		{"markdown commitmentRequest", "/", `{"jsonrpc":"2.0","method":"commitmentRequest","params":[` + mdRequest + `],"id":1}`, ptr(specRequest(specPayload)), false, checkSigned},
		{"markdown commitmentRequest on its path", "/commitmentRequest", `{"jsonrpc":"2.0","method":"commitmentRequest","params":[` + mdRequest + `],"id":1}`, ptr(specRequest(specPayload)), false, checkSigned},
		{"markdown commitmentResult", "/", `{"jsonrpc":"2.0","method":"commitmentResult","params":[{"request_hash":"` + specHash + `"}],"id":1}`, nil, true, checkSigned},
		{"markdown slots", "/", `{"jsonrpc":"2.0","method":"slots","params":[],"id":1}`, nil, false, checkSlots},
		{"markdown fee", "/", `{"jsonrpc":"2.0","method":"fee","params":[` + mdRequest + `],"id":1}`, ptr(specRequest(specPayload)), false, checkFee},

		// commitments-jsonrpc.yml: per-method paths, object params.
		{"openapi commitmentRequest", "/commitmentRequest", `{"jsonrpc":"2.0","method":"commitmentRequest","params":` + mdRequest + `,"id":1}`, ptr(specRequest(specPayload)), false, checkSigned},
		{"openapi schema's method name", "/commitmentRequest", `{"jsonrpc":"2.0","method":"commitment_request","params":` + mdRequest + `,"id":1}`, ptr(specRequest(specPayload)), false, checkSigned},
		{"openapi commitmentResult", "/commitmentResult", `{"jsonrpc":"2.0","method":"commitmentResult","params":{"request_hash":"` + specHash + `"},"id":1}`, nil, true, checkSigned},
		{"openapi slots", "/slots", `{"jsonrpc":"2.0","method":"slots","params":{},"id":1}`, nil, false, checkSlots},
		{"openapi fee with the empty payload example", "/fee", `{"jsonrpc":"2.0","method":"fee","params":{"commitment_type":1,"payload":"","slasher":"` + specSlasher + `"},"id":1}`, ptr(specRequest("0x")), false, checkFee},

		// The reference client: jsonrpsee, positional, ids from 0, no params for slots.
		{"reference client commitmentRequest", "/", `{"jsonrpc":"2.0","id":0,"method":"commitmentRequest","params":[` + refRequest + `]}`, ptr(specRequest(specPayload)), false, checkSigned},
		{"reference client commitmentResult", "/", `{"jsonrpc":"2.0","id":1,"method":"commitmentResult","params":["` + specHash + `"]}`, nil, true, checkSigned},
		{"reference client slots", "/", `{"jsonrpc":"2.0","id":2,"method":"slots"}`, nil, false, checkSlots},
		{"reference client fee", "/", `{"jsonrpc":"2.0","id":3,"method":"fee","params":[` + refRequest + `]}`, ptr(specRequest(specPayload)), false, checkFee},
		// The reference server's named form: objects keyed by argument name.
		{"reference server named commitmentRequest", "/", `{"jsonrpc":"2.0","id":4,"method":"commitmentRequest","params":{"request":` + refRequest + `}}`, ptr(specRequest(specPayload)), false, checkSigned},
		{"reference server named fee", "/fee", `{"jsonrpc":"2.0","id":5,"method":"fee","params":{"request":` + refRequest + `}}`, ptr(specRequest(specPayload)), false, checkFee},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.do(http.MethodPost, tt.path, tt.body, "")
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			var env specEnvelope
			decodeInto(t, w.Body.Bytes(), &env, true)
			if env.JSONRPC != "2.0" || env.Error != nil || env.Result == nil {
				t.Fatalf("answer %s", w.Body)
			}
			tt.check(t, env.Result)
			reqs, fees, results := ts.be.recorded()
			got := append(reqs, fees...)
			switch {
			case tt.request != nil:
				if len(got) != 1 || !reflect.DeepEqual(got[0], *tt.request) {
					t.Fatalf("backend got %+v, want %+v", got, *tt.request)
				}
			case tt.result:
				if len(results) != 1 || results[0] != common.HexToHash(specHash) {
					t.Fatalf("backend got %v", results)
				}
			}
		})
	}
}

func TestCommitmentsAPIRESTConformance(t *testing.T) {
	t.Parallel()
	// commitments-oapi.yml's CommitmentRequest example, payload "" included.
	oapiRequest := `{"commitment_type":1,"payload":"","slasher":"` + specSlasher + `"}`
	tests := []struct {
		name, method, path, body string
		request                  *protocol.CommitmentRequest
		result                   bool
		check                    func(*testing.T, json.RawMessage)
	}{
		{"commitmentRequest", http.MethodPost, restPrefix + "commitmentRequest", oapiRequest, ptr(specRequest("0x")), false, checkSigned},
		{"commitment (earlier path)", http.MethodPost, restPrefix + "commitment", oapiRequest, ptr(specRequest("0x")), false, checkSigned},
		{"commitmentResult", http.MethodGet, restPrefix + "commitmentResult/" + specHash, "", nil, true, checkSigned},
		{"commitment/{hash} (earlier path)", http.MethodGet, restPrefix + "commitment/" + specHash, "", nil, true, checkSigned},
		{"slots", http.MethodGet, restPrefix + "slots", "", nil, false, checkSlots},
		{"fee by GET with a JSON body", http.MethodGet, restPrefix + "fee", oapiRequest, ptr(specRequest("0x")), false, checkFee},
		{"fee by POST", http.MethodPost, restPrefix + "fee", "\n" + oapiRequest + "\n", ptr(specRequest("0x")), false, checkFee},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.do(tt.method, tt.path, tt.body, "")
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			tt.check(t, w.Body.Bytes())
			reqs, fees, results := ts.be.recorded()
			got := append(reqs, fees...)
			switch {
			case tt.request != nil:
				if len(got) != 1 || !reflect.DeepEqual(got[0], *tt.request) {
					t.Fatalf("backend got %+v, want %+v", got, *tt.request)
				}
			case tt.result:
				if len(results) != 1 || results[0] != common.HexToHash(specHash) {
					t.Fatalf("backend got %v", results)
				}
			}
		})
	}
}

// TestCommitmentsAPIRefusals: both forms refuse alike, each with the member
// path and the cause, and nothing reaches the backend.
func TestCommitmentsAPIRefusals(t *testing.T) {
	t.Parallel()
	req := `{"commitment_type":1,"payload":"0xc0","slasher":"` + specSlasher + `"}`
	tests := []struct {
		name, path, body string
		code             int
		reason           string
	}{
		// One revision of the JSON-RPC file shows the payload in base64
		// (format: byte); every later one and the reference gateway use hex.
		{"base64 payload of the openapi example", "/commitmentRequest",
			`{"jsonrpc":"2.0","method":"commitmentRequest","params":{"commitment_type":1,"payload":"eyJ0eF9kYXRhIjoiMHgxMjM0NS4uLiIsInNsb3QiOjEwMDAsImNoYWluX2lkIjoxfQ==","slasher":"` + specSlasher + `"},"id":1}`,
			CodeInvalidParams, "params.payload: hex string without 0x prefix"},
		{"wrong method for the path", "/fee", call("slots", "{}"), CodeMethodNotFound, `method "slots" is not served on /fee; send it to / or /slots`},
		{"alias on another method's path", "/fee", call("commitment_request", req), CodeMethodNotFound, `method "commitment_request" is not served on /fee; send it to / or /commitmentRequest`},
		{"unknown method on a path", "/slots", call("eth_chainId", "[]"), CodeMethodNotFound, `no method "eth_chainId"`},
		{"object with an unknown member", "/", call("commitmentRequest", strings.TrimSuffix(req, "}")+`,"tip":1}`), CodeInvalidParams, `params: unknown member "tip"`},
		{"object missing a member", "/", call("fee", `{"commitment_type":1,"slasher":"`+specSlasher+`"}`), CodeInvalidParams, "params.payload is missing"},
		{"named request beside request members", "/", call("commitmentRequest", `{"request":`+req+`,"payload":"0x"}`), CodeInvalidParams, `params: unknown member "payload"`},
		{"named request null", "/", call("fee", `{"request":null}`), CodeInvalidParams, "params.request is missing"},
		{"named request with an unknown member", "/", call("fee", `{"request":`+strings.TrimSuffix(req, "}")+`,"x":2}}`), CodeInvalidParams, `params.request: unknown member "x"`},
		{"result object with an unknown member", "/", call("commitmentResult", `{"request_hash":"`+specHash+`","x":1}`), CodeInvalidParams, `params: unknown member "x"`},
		{"result object in an array with an unknown member", "/", call("commitmentResult", `[{"request_hash":"`+specHash+`","y":2}]`), CodeInvalidParams, `params[0]: unknown member "y"`},
		{"result object with a short hash", "/commitmentResult", call("commitmentResult", `{"request_hash":"0x12"}`), CodeInvalidParams, "params.request_hash: hash of 1 bytes, want 32"},
		{"slots object with a member", "/slots", call("slots", `{"x":1}`), CodeInvalidParams, `params: unknown member "x"`},
		{"slots array of one", "/", call("slots", `[1]`), CodeInvalidParams, "want no params, got 1"},
		{"result array of two", "/", call("commitmentResult", `["`+specHash+`","`+specHash+`"]`), CodeInvalidParams, "want 1 param, got 2"},
		{"fee empty array", "/", call("fee", `[]`), CodeInvalidParams, "want 1 param, got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.do(http.MethodPost, tt.path, tt.body, "")
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			a := decodeAnswer(t, w)
			if a.Error == nil || a.Error.Code != tt.code || a.Error.Data.Reason != tt.reason {
				t.Fatalf("got %+v, want code %d reason %q", a.Error, tt.code, tt.reason)
			}
			if reqs, fees, results := ts.be.recorded(); len(reqs)+len(fees)+len(results) != 0 {
				t.Fatal("a refused call reached the backend")
			}
		})
	}
}

func TestRESTFeeRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, body string
		reason             string
	}{
		{"GET without a body", http.MethodGet, "", "body is empty: GET fee takes the CommitmentRequest as its JSON body {commitment_type, payload, slasher}"},
		{"GET with a blank body", http.MethodGet, " \n", "body is empty: GET fee takes the CommitmentRequest as its JSON body {commitment_type, payload, slasher}"},
		{"GET with a body that is not JSON", http.MethodGet, `{`, "body: want an object {commitment_type, payload, slasher}"},
		{"GET with a member missing", http.MethodGet, `{"commitment_type":1,"slasher":"` + specSlasher + `"}`, "body.payload is missing"},
		{"GET with query parameters only", http.MethodGet, "", "body is empty: GET fee takes the CommitmentRequest as its JSON body {commitment_type, payload, slasher}"},
		{"POST with an array", http.MethodPost, `[{"commitment_type":1}]`, "body: want an object {commitment_type, payload, slasher}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			path := restPrefix + "fee"
			if strings.Contains(tt.name, "query") {
				path += "?commitment_type=1&payload=0x&slasher=" + specSlasher
			}
			w := ts.do(tt.method, path, tt.body, "")
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			var e Error
			if err := jsonUnmarshalStrict(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("body is not an error object: %v", err)
			}
			if e.Code != CodeInvalidParams || e.Data == nil || e.Data.Reason != tt.reason {
				t.Fatalf("got %+v, want reason %q", e, tt.reason)
			}
			if _, fees, _ := ts.be.recorded(); len(fees) != 0 {
				t.Fatal("a refused fee reached the backend")
			}
		})
	}
}

// TestPerMethodPathBatch: a batch on a method's path runs the calls naming it
// and refuses the others, each in its own answer.
func TestPerMethodPathBatch(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	body := `[{"jsonrpc":"2.0","id":1,"method":"slots","params":{}},{"jsonrpc":"2.0","id":2,"method":"fee","params":[]}]`
	as := decodeAnswers(t, ts.do(http.MethodPost, "/slots", body, ""))
	if len(as) != 2 || as[0].Error != nil || as[1].Error == nil || as[1].Error.Code != CodeMethodNotFound {
		t.Fatalf("answers %+v", as)
	}
}

// TestPerMethodPathsAreJSONRPCOnly: the per-method paths take POST, like /.
func TestPerMethodPathsAreJSONRPCOnly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	for _, p := range rpcPaths {
		if w := ts.do(http.MethodGet, "/"+p, "", ""); w.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET /%s: status %d, want 405", p, w.Code)
		}
	}
}

func ptr[T any](v T) *T { return &v }
