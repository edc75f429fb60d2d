package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var (
	testSlasher = common.HexToAddress("0x5145000000000000000000000000000000000001")
	testHash    = common.HexToHash("0x1111111111111111111111111111111111111111111111111111111111111111")
	testSigned  = &protocol.SignedCommitment{
		Commitment: protocol.Commitment{
			CommitmentType: protocol.TypeL1Inclusion,
			Payload:        hexutil.Bytes{0xde, 0xad, 0xbe, 0xef},
			RequestHash:    testHash,
			Slasher:        testSlasher,
		},
		Signature: bytes.Repeat([]byte{0xab}, 65),
	}
	testSlots = &protocol.SlotInfoResponse{Slots: []protocol.SlotInfo{{
		Slot:      1234,
		Offerings: []protocol.Offering{{ChainID: 1, CommitmentTypes: []uint64{1, 3}}},
		Proposer:  "0x" + strings.Repeat("ab", 48),
		Committer: common.HexToAddress("0xc0"),
		Operator:  common.HexToAddress("0x0b"),
	}}}
	testFee      = &protocol.FeeInfo{Payload: hexutil.Bytes{1, 2, 3}, CommitmentType: protocol.TypeL1Inclusion}
	testMetadata = BoltMetadata{Version: "pledge/test", Limits: BoltLimits{MaxCommittedGasPerSlot: 10_000_000, MinInclusionProfit: 1, MaxTxsPerRequest: 16}}

	// What the server answers for testFee and testMetadata.
	testFeeAnswer      = `{"payload":"0x010203","fee_payload":"0x010203","commitment_type":1}`
	testMetadataAnswer = `{"max_committed_gas_per_slot":10000000,"min_inclusion_profit":1,"max_account_states_size":1,"max_txs_per_request":16,"version":"pledge/test"}`
)

// fakeBackend answers with fixtures unless a hook is set, and records what
// it was asked.
type fakeBackend struct {
	mu       sync.Mutex
	requests []protocol.CommitmentRequest
	fees     []protocol.CommitmentRequest
	results  []common.Hash

	err      error                                                                                 // returned by every call when set
	request  func(context.Context, protocol.CommitmentRequest) (*protocol.SignedCommitment, error) // overrides Request
	metadata *BoltMetadata                                                                         // overrides testMetadata
	notReady error
}

func (f *fakeBackend) Request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	if f.request != nil {
		return f.request(ctx, req)
	}
	if f.err != nil {
		return nil, f.err
	}
	return testSigned, nil
}

func (f *fakeBackend) Result(ctx context.Context, h common.Hash) (*protocol.SignedCommitment, error) {
	f.mu.Lock()
	f.results = append(f.results, h)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return testSigned, nil
}

func (f *fakeBackend) Fee(ctx context.Context, req protocol.CommitmentRequest) (*protocol.FeeInfo, error) {
	f.mu.Lock()
	f.fees = append(f.fees, req)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return testFee, nil
}

func (f *fakeBackend) Slots(ctx context.Context) (*protocol.SlotInfoResponse, error) {
	if f.err != nil {
		return nil, f.err
	}
	return testSlots, nil
}

func (f *fakeBackend) Metadata(ctx context.Context) (BoltMetadata, error) {
	if f.err != nil {
		return BoltMetadata{}, f.err
	}
	if f.metadata != nil {
		return *f.metadata, nil
	}
	return testMetadata, nil
}

func (f *fakeBackend) Ready() error { return f.notReady }

func (f *fakeBackend) recorded() (reqs, fees []protocol.CommitmentRequest, results []common.Hash) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests), slices.Clone(f.fees), slices.Clone(f.results)
}

var _ Backend = (*fakeBackend)(nil)

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Slasher = testSlasher
	cfg.RateLimit = 0 // tests of the limiter turn it on
	return cfg
}

type testServer struct {
	*Server
	be  *fakeBackend
	reg *prometheus.Registry
	log *bytes.Buffer
}

func newTestServer(t testing.TB, be *fakeBackend, mutate func(*Config)) *testServer {
	t.Helper()
	cfg := testConfig()
	if mutate != nil {
		mutate(&cfg)
	}
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	s, err := New(be, cfg, zerolog.New(&syncWriter{w: &logs}), reg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &testServer{Server: s, be: be, reg: reg, log: &logs}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// do sends one HTTP request through the handler from the given client IP.
func (ts *testServer) do(method, path, body, ip string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if ip != "" {
		r.RemoteAddr = ip + ":4242"
	}
	w := httptest.NewRecorder()
	ts.Handler().ServeHTTP(w, r)
	return w
}

func (ts *testServer) rpc(body string) *httptest.ResponseRecorder {
	return ts.do(http.MethodPost, "/", body, "")
}

// rpcAnswer mirrors rpcResponse for decoding, with Result kept raw.
type rpcAnswer struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *Error          `json:"error"`
}

func decodeAnswer(t testing.TB, w *httptest.ResponseRecorder) rpcAnswer {
	t.Helper()
	var a rpcAnswer
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("answer is not one JSON-RPC response: %v", err)
	}
	if a.JSONRPC != "2.0" {
		t.Fatalf("jsonrpc = %q", a.JSONRPC)
	}
	if (a.Result == nil) == (a.Error == nil) {
		t.Fatalf("want exactly one of result and error, got result=%s error=%v", a.Result, a.Error)
	}
	return a
}

func decodeAnswers(t testing.TB, w *httptest.ResponseRecorder) []rpcAnswer {
	t.Helper()
	var as []rpcAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &as); err != nil {
		t.Fatalf("answer is not a batch: %v: %s", err, w.Body.String())
	}
	return as
}

// mustJSON is the JSON of v, for expected results.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func call(method, params string) string {
	if params == "" {
		return fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":%q}`, method)
	}
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":%q,"params":%s}`, method, params)
}

func requestJSON(typ uint64, payload []byte, slasher common.Address) string {
	return fmt.Sprintf(`{"commitment_type":%d,"payload":"%s","slasher":"%s"}`, typ, hexutil.Encode(payload), slasher.Hex())
}

func sameJSON(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestJSONRPCMethods(t *testing.T) {
	t.Parallel()
	req := protocol.CommitmentRequest{CommitmentType: protocol.TypeBundle, Payload: []byte{0xc0, 0x01}, Slasher: testSlasher}
	reqJSON := requestJSON(req.CommitmentType, req.Payload, req.Slasher)
	tests := []struct {
		method, params string
		want           any
		check          func(t *testing.T, be *fakeBackend)
	}{
		{"commitmentRequest", "[" + reqJSON + "]", testSigned, func(t *testing.T, be *fakeBackend) {
			reqs, _, _ := be.recorded()
			if len(reqs) != 1 || !reflect.DeepEqual(reqs[0], req) {
				t.Fatalf("backend got %+v, want %+v", reqs, req)
			}
		}},
		{"commitmentResult", `["` + testHash.Hex() + `"]`, testSigned, func(t *testing.T, be *fakeBackend) {
			_, _, hs := be.recorded()
			if len(hs) != 1 || hs[0] != testHash {
				t.Fatalf("backend got %v, want %v", hs, testHash)
			}
		}},
		{"slots", "[]", testSlots, nil},
		{"slots", "", testSlots, nil}, // params may be left out
		{"fee", "[" + reqJSON + "]", json.RawMessage(testFeeAnswer), func(t *testing.T, be *fakeBackend) {
			_, fees, _ := be.recorded()
			if len(fees) != 1 || !reflect.DeepEqual(fees[0], req) {
				t.Fatalf("backend got %+v, want %+v", fees, req)
			}
		}},
		{"bolt_metadata", "[]", json.RawMessage(testMetadataAnswer), nil},
		{"bolt_getVersion", "[]", "pledge/test", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+"/"+tt.params, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.rpc(call(tt.method, tt.params))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Fatalf("content type %q", ct)
			}
			a := decodeAnswer(t, w)
			if a.Error != nil {
				t.Fatalf("error %v", a.Error)
			}
			if string(a.ID) != "1" {
				t.Fatalf("id %s, want 1", a.ID)
			}
			sameJSON(t, a.Result, mustJSON(t, tt.want))
			if tt.check != nil {
				tt.check(t, ts.be)
			}
		})
	}
}

func TestRESTMethods(t *testing.T) {
	t.Parallel()
	req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: []byte{0xc2, 0x01, 0xc0}, Slasher: testSlasher}
	tests := []struct {
		name, method, path, body string
		want                     any
	}{
		{"commitmentRequest", http.MethodPost, restPrefix + "commitmentRequest", requestJSON(req.CommitmentType, req.Payload, req.Slasher), testSigned},
		{"commitmentResult", http.MethodGet, restPrefix + "commitmentResult/" + testHash.Hex(), "", testSigned},
		{"slots", http.MethodGet, restPrefix + "slots", "", testSlots},
		{"fee", http.MethodPost, restPrefix + "fee", requestJSON(req.CommitmentType, req.Payload, req.Slasher), json.RawMessage(testFeeAnswer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			w := ts.do(tt.method, tt.path, tt.body, "")
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			sameJSON(t, w.Body.Bytes(), mustJSON(t, tt.want))
			reqs, fees, results := ts.be.recorded()
			switch tt.name {
			case "commitmentRequest":
				if len(reqs) != 1 || !reflect.DeepEqual(reqs[0], req) {
					t.Fatalf("backend got %+v", reqs)
				}
			case "fee":
				if len(fees) != 1 || !reflect.DeepEqual(fees[0], req) {
					t.Fatalf("backend got %+v", fees)
				}
			case "commitmentResult":
				if len(results) != 1 || results[0] != testHash {
					t.Fatalf("backend got %v", results)
				}
			}
		})
	}
}

func TestRESTWrongMethodAndPath(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	if w := ts.do(http.MethodGet, restPrefix+"commitmentRequest", "", ""); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET commitmentRequest: status %d, want 405", w.Code)
	}
	if w := ts.do(http.MethodGet, "/", "", ""); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /: status %d, want 405", w.Code)
	}
	if w := ts.do(http.MethodPost, "/nope", "{}", ""); w.Code != http.StatusNotFound {
		t.Fatalf("POST /nope: status %d, want 404", w.Code)
	}
}

func TestBoltRequestInclusion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		txs      [][]byte
		wantType uint64
	}{
		{"one tx is an L1 inclusion", [][]byte{{0x02, 0xaa}}, protocol.TypeL1Inclusion},
		{"several txs are a bundle", [][]byte{{0x02, 0x01}, {0x02, 0x02}, {0x01, 0x03}}, protocol.TypeBundle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			txs := make([]string, len(tt.txs))
			for i, tx := range tt.txs {
				txs[i] = `"` + hexutil.Encode(tx) + `"`
			}
			body := call("bolt_requestInclusion", `[{"slot":777,"txs":[`+strings.Join(txs, ",")+`]}]`)
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			// Bolt clients sign their request; the header is accepted and ignored.
			r.Header.Set("X-Bolt-Signature", "0xdeadbeef:0x1234")
			w := httptest.NewRecorder()
			ts.Handler().ServeHTTP(w, r)
			a := decodeAnswer(t, w)
			if a.Error != nil {
				t.Fatalf("error %v", a.Error)
			}
			var got BoltInclusionResult
			if err := json.Unmarshal(a.Result, &got); err != nil {
				t.Fatal(err)
			}
			if got.Slot != 777 || len(got.Txs) != len(tt.txs) || !bytes.Equal(got.Signature, testSigned.Signature) ||
				!reflect.DeepEqual(got.Commitment, testSigned) {
				t.Fatalf("answer %+v", got)
			}
			for i := range tt.txs {
				if !bytes.Equal(got.Txs[i], tt.txs[i]) {
					t.Fatalf("tx %d echoed as %x, want %x", i, got.Txs[i], tt.txs[i])
				}
			}
			reqs, _, _ := ts.be.recorded()
			if len(reqs) != 1 {
				t.Fatalf("backend got %d requests", len(reqs))
			}
			if reqs[0].CommitmentType != tt.wantType || reqs[0].Slasher != testSlasher {
				t.Fatalf("backend got type %d slasher %s", reqs[0].CommitmentType, reqs[0].Slasher)
			}
			p, err := protocol.DecodeRequestPayload(reqs[0].CommitmentType, reqs[0].Payload)
			if err != nil {
				t.Fatalf("payload does not decode: %v", err)
			}
			if p.Slot != 777 || !reflect.DeepEqual(p.Txs, tt.txs) {
				t.Fatalf("payload holds slot %d txs %x", p.Slot, p.Txs)
			}
		})
	}
}

func TestBackendReturningNothingIsInternal(t *testing.T) {
	t.Parallel()
	be := &fakeBackend{request: func(context.Context, protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
		return nil, nil
	}}
	ts := newTestServer(t, be, nil)
	a := decodeAnswer(t, ts.rpc(call("commitmentRequest", "["+requestJSON(1, []byte{1}, testSlasher)+"]")))
	if a.Error == nil || a.Error.Code != CodeInternal {
		t.Fatalf("want internal error, got %+v", a)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	be := &fakeBackend{}
	ts := newTestServer(t, be, nil)
	if w := ts.do(http.MethodGet, "/livez", "", ""); w.Code != http.StatusOK {
		t.Fatalf("livez %d", w.Code)
	}
	if w := ts.do(http.MethodGet, "/readyz", "", ""); w.Code != http.StatusOK {
		t.Fatalf("readyz when ready: %d", w.Code)
	}

	notReady := &fakeBackend{notReady: errors.New("beacon node: connection refused")}
	ts = newTestServer(t, notReady, nil)
	w := ts.do(http.MethodGet, "/readyz", "", "")
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz when not ready: %d", w.Code)
	}
	sameJSON(t, w.Body.Bytes(), `{"status":"unavailable","reason":"beacon node: connection refused"}`)
	if w := ts.do(http.MethodGet, "/livez", "", ""); w.Code != http.StatusOK {
		t.Fatalf("livez must stay 200 while not ready, got %d", w.Code)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	ts.rpc(call("slots", "[]"))
	ts.rpc(call("nope", "[]"))
	ts.rpc(`{`)
	w := ts.do(http.MethodGet, "/metrics", "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("metrics %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`pledge_api_requests_total{code="0",method="slots"} 1`,
		`pledge_api_requests_total{code="-32601",method="unknown"} 1`,
		`pledge_api_requests_total{code="-32700",method="none"} 1`,
		`pledge_api_request_seconds_count{method="slots"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, `method="nope"`) {
		t.Error("a user-chosen method name became a label")
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"no slasher", func(c *Config) { c.Slasher = common.Address{} }, "slasher"},
		{"no body limit", func(c *Config) { c.MaxBodyBytes = 0 }, "max body"},
		{"no batch", func(c *Config) { c.MaxBatch = 0 }, "max batch"},
		{"no call timeout", func(c *Config) { c.CallTimeout = 0 }, "call timeout"},
		{"negative rate", func(c *Config) { c.RateLimit = -1 }, "rate limit"},
		{"burst below batch", func(c *Config) { c.RateLimit = 10; c.RateBurst = 4 }, "burst"},
		{"no clients", func(c *Config) { c.RateLimit = 10; c.MaxClients = 0 }, "max clients"},
		{"no idle timeout", func(c *Config) { c.IdleTimeout = 0 }, "timeouts"},
		{"write before call", func(c *Config) { c.WriteTimeout = c.CallTimeout }, "write timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig()
			tt.mutate(&cfg)
			_, err := New(&fakeBackend{}, cfg, zerolog.Nop(), prometheus.NewRegistry())
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrConfig naming %q", err, tt.want)
			}
		})
	}
	t.Run("no backend", func(t *testing.T) {
		t.Parallel()
		if _, err := New(nil, testConfig(), zerolog.Nop(), prometheus.NewRegistry()); !errors.Is(err, ErrConfig) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("registerer that cannot gather", func(t *testing.T) {
		t.Parallel()
		_, err := New(&fakeBackend{}, testConfig(), zerolog.Nop(), registerOnly{prometheus.NewRegistry()})
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "Gatherer") {
			t.Fatalf("err = %v", err)
		}
		cfg := testConfig()
		cfg.Gatherer = prometheus.NewRegistry()
		if _, err := New(&fakeBackend{}, cfg, zerolog.Nop(), registerOnly{prometheus.NewRegistry()}); err != nil {
			t.Fatalf("with a Gatherer: %v", err)
		}
	})
	t.Run("metrics registered twice", func(t *testing.T) {
		t.Parallel()
		reg := prometheus.NewRegistry()
		if _, err := New(&fakeBackend{}, testConfig(), zerolog.Nop(), reg); err != nil {
			t.Fatal(err)
		}
		if _, err := New(&fakeBackend{}, testConfig(), zerolog.Nop(), reg); err == nil {
			t.Fatal("second server on one registry must fail")
		}
	})
}

// registerOnly hides the Gatherer side of a registry.
type registerOnly struct{ r *prometheus.Registry }

func (r registerOnly) Register(c prometheus.Collector) error   { return r.r.Register(c) }
func (r registerOnly) MustRegister(cs ...prometheus.Collector) { r.r.MustRegister(cs...) }
func (r registerOnly) Unregister(c prometheus.Collector) bool  { return r.r.Unregister(c) }

func httpRequest(method, path, body string) *http.Request {
	return httptest.NewRequest(method, path, strings.NewReader(body))
}

// httpRequestUnknownLength sends a chunked-like body whose length is not
// announced, so only the reader's limit can stop it.
func httpRequestUnknownLength(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, path, io.NopCloser(strings.NewReader(body)))
	r.ContentLength = -1
	return r
}

func serve(ts *testServer, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	ts.Handler().ServeHTTP(w, r)
	return w
}

func jsonUnmarshalStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
