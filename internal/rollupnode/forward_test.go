package rollupnode_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// fakeSidecar speaks the sidecar's JSON-RPC for `slots` and
// `commitmentRequest`: it answers the configured slots, and either a signed
// commitment or the configured error, and records what it was asked.
type fakeSidecar struct {
	srv   *httptest.Server
	slots protocol.SlotInfoResponse
	fail  *fakeError

	mu       sync.Mutex
	calls    map[string]int
	requests []protocol.CommitmentRequest
}

type fakeError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func newFakeSidecar(t *testing.T, slots protocol.SlotInfoResponse, fail *fakeError) *fakeSidecar {
	t.Helper()
	f := &fakeSidecar{slots: slots, fail: fail, calls: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSidecar) serve(w http.ResponseWriter, r *http.Request) {
	var call struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if err := json.NewDecoder(r.Body).Decode(&call); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := map[string]any{"jsonrpc": "2.0", "id": call.ID}
	f.mu.Lock()
	f.calls[call.Method]++
	switch call.Method {
	case "slots":
		resp["result"] = f.slots
	case "commitmentRequest":
		var req protocol.CommitmentRequest
		if len(call.Params) == 1 && json.Unmarshal(call.Params[0], &req) == nil {
			f.requests = append(f.requests, req)
		}
		if f.fail != nil {
			resp["error"] = f.fail
		} else {
			resp["result"] = protocol.SignedCommitment{
				Commitment: protocol.Commitment{CommitmentType: req.CommitmentType, Payload: []byte{1}, RequestHash: common.Hash{7}, Slasher: req.Slasher},
				Signature:  make([]byte, 65),
			}
		}
	default:
		resp["error"] = fakeError{Code: -32601, Message: "method not found"}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (f *fakeSidecar) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func offering(slot uint64, chain uint64, types ...uint64) protocol.SlotInfo {
	return protocol.SlotInfo{Slot: slot, Offerings: []protocol.Offering{{ChainID: chain, CommitmentTypes: types}}}
}

var slasher = common.HexToAddress("0x000000000000000000000000000000000051a5e7")

// eth_sendRawTransaction asks the sidecar for an L2 inclusion promise in the
// earliest slot offering one for the rollup, and passes its answer on.
func TestSendRawTransactionForwardsToSidecar(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	offered := protocol.SlotInfoResponse{Slots: []protocol.SlotInfo{
		offering(9, 1, protocol.TypeL1Inclusion),          // L1 only
		offering(12, chainA, protocol.TypeL2Inclusion),    // later
		offering(10, chainA, protocol.TypeBundle),         // bundles only
		offering(11, chainA, protocol.TypeL2Inclusion, 3), // the one
		offering(8, chainB, protocol.TypeL2Inclusion),     // another rollup
	}}
	refusal := &fakeError{Code: -32006, Message: "nonce mismatch: want 3", Data: json.RawMessage(`{"reason":"nonce"}`)}

	t.Run("promised", func(t *testing.T) {
		t.Parallel()
		side := newFakeSidecar(t, offered, nil)
		n := e.startWithSidecar(side.srv.URL)
		tx := transfer(t, e.keys[0], chainA, 0, e.l2Addr(1), ether(1))
		if err := n.eth.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		side.mu.Lock()
		reqs := side.requests
		side.mu.Unlock()
		if len(reqs) != 1 || reqs[0].CommitmentType != protocol.TypeL2Inclusion || reqs[0].Slasher != slasher {
			t.Fatalf("requests %+v", reqs)
		}
		p, err := protocol.DecodeRequestPayload(reqs[0].CommitmentType, reqs[0].Payload)
		if err != nil {
			t.Fatal(err)
		}
		if p.Slot != 11 || len(p.Txs) != 1 || string(p.Txs[0]) != string(raw(t, tx)) {
			t.Fatalf("payload for slot %d with %d txs; want slot 11 and the raw tx", p.Slot, len(p.Txs))
		}
		// The pending nonce counts the promise; the latest one waits for the batch.
		if got, err := n.eth.PendingNonceAt(ctx, e.l2Addr(0)); err != nil || got != 1 {
			t.Fatalf("pending nonce %d, %v; want 1", got, err)
		}
		if got := n.nonce(t, e.l2Addr(0)); got != 0 {
			t.Fatalf("latest nonce %d, want 0", got)
		}
	})

	cases := []struct {
		name    string
		slots   protocol.SlotInfoResponse
		fail    *fakeError
		url     string // overrides the fake's URL
		tx      func(t *testing.T) []byte
		code    int
		message string
		// asked is how many commitmentRequest calls reach the sidecar.
		asked int
	}{
		{"sidecar refuses", offered, refusal, "", nil, -32006, "nonce mismatch: want 3", 1},
		{"no slot for the rollup", protocol.SlotInfoResponse{Slots: []protocol.SlotInfo{offering(8, chainB, 2)}}, nil, "", nil, -32000, "sidecar offers no slot for this rollup", 0},
		{"sidecar down", offered, nil, "http://127.0.0.1:1", nil, -32000, "sidecar slots", 0},
		{"wrong chain id", offered, nil, "", func(t *testing.T) []byte {
			return raw(t, transfer(t, e.keys[0], chainB, 0, e.l2Addr(1), ether(1)))
		}, -32602, "invalid transaction: chain id 1002", 0},
		{"not a transaction", offered, nil, "", func(*testing.T) []byte { return []byte{0x02, 0x01} }, -32602, "invalid transaction", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			side := newFakeSidecar(t, c.slots, c.fail)
			url := side.srv.URL
			if c.url != "" {
				url = c.url
			}
			n := e.startWithSidecar(url)
			input := raw(t, transfer(t, e.keys[0], chainA, 0, e.l2Addr(1), ether(1)))
			if c.tx != nil {
				input = c.tx(t)
			}
			var hash common.Hash
			err := n.eth.Client().CallContext(ctx, &hash, "eth_sendRawTransaction", "0x"+common.Bytes2Hex(input))
			var rerr rpc.Error
			if !errors.As(err, &rerr) || rerr.ErrorCode() != c.code || !strings.Contains(rerr.Error(), c.message) {
				t.Fatalf("error %v; want code %d with %q", err, c.code, c.message)
			}
			if c.fail != nil {
				var derr rpc.DataError
				if !errors.As(err, &derr) || !strings.Contains(toJSON(t, derr.ErrorData()), `"reason":"nonce"`) {
					t.Fatalf("the sidecar's data did not come through: %v", err)
				}
			}
			if got := side.count("commitmentRequest"); got != c.asked {
				t.Fatalf("%d commitment requests reached the sidecar, want %d", got, c.asked)
			}
			if got, err := n.eth.PendingNonceAt(ctx, e.l2Addr(0)); err != nil || got != 0 {
				t.Fatalf("pending nonce %d, %v after a refusal; want 0", got, err)
			}
		})
	}

	t.Run("no sidecar configured", func(t *testing.T) {
		t.Parallel()
		n := e.start(e.config(chainA))
		err := n.eth.SendTransaction(ctx, transfer(t, e.keys[0], chainA, 0, e.l2Addr(1), ether(1)))
		if err == nil || !strings.Contains(err.Error(), "no sidecar configured") {
			t.Fatalf("error %v", err)
		}
	})
}

func (e *env) startWithSidecar(url string) *running {
	cfg := e.config(chainA)
	cfg.SidecarURL, cfg.Slasher = url, slasher
	return e.start(cfg)
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// New refuses a configuration it cannot run with.
func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := map[string]func(*rollupnode.Config){
		"no chain id":             func(c *rollupnode.Config) { c.ChainID = 0 },
		"no inbox":                func(c *rollupnode.Config) { c.Inbox = common.Address{} },
		"no L1":                   func(c *rollupnode.Config) { c.L1 = nil },
		"sidecar without slasher": func(c *rollupnode.Config) { c.SidecarURL = "http://127.0.0.1:1" },
		"unusable sidecar URL":    func(c *rollupnode.Config) { c.SidecarURL, c.Slasher = "ftp://x", slasher },
		"bad listen address":      func(c *rollupnode.Config) { c.Listen = "256.0.0.1:0" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := e.config(chainA)
			mutate(&cfg)
			n, err := rollupnode.New(cfg, zerologNop())
			if err == nil {
				_ = n.Close()
				t.Fatal("New accepted the config")
			}
			if name != "bad listen address" && !errors.Is(err, rollupnode.ErrConfig) {
				t.Fatalf("error %v is not ErrConfig", err)
			}
		})
	}
}
