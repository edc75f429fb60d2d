package loadgen

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var chainID = big.NewInt(7)

// fakeSidecar speaks the two calls the generator makes. It checks every
// transaction (chain, signature, sender) and the nonce order per sender, and
// refuses what a sidecar would: a nonce out of order (-32006), a slot whose
// deadline passed (-32005). refuseAll answers every body with a whole-body
// refusal (id null), as a rate limit does.
type fakeSidecar struct {
	t *testing.T

	mu        sync.Mutex
	slots     []uint64
	passed    uint64 // slots up to here are refused with -32005
	next      map[common.Address]uint64
	promised  int
	batches   []int // calls per batch body
	from      map[string]int
	refuseAll bool
	// listPassed keeps passed slots in the `slots` answer.
	listPassed bool
	problems   []string
}

func newFake(t *testing.T, slots ...uint64) (*fakeSidecar, *httptest.Server) {
	f := &fakeSidecar{t: t, slots: slots, next: map[common.Address]uint64{}, from: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

type fakeCall struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

func (f *fakeSidecar) problem(format string, args ...any) {
	f.mu.Lock()
	f.problems = append(f.problems, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

func (f *fakeSidecar) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	f.mu.Lock()
	f.from[host]++
	refuse := f.refuseAll
	f.mu.Unlock()
	if refuse {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32014,"message":"over the limit"}}`))
		return
	}
	var calls []fakeCall
	batch := len(body) > 0 && body[0] == '['
	if batch {
		if err := json.Unmarshal(body, &calls); err != nil {
			f.problem("batch does not decode: %v", err)
			return
		}
	} else {
		var c fakeCall
		if err := json.Unmarshal(body, &c); err != nil {
			f.problem("call does not decode: %v", err)
			return
		}
		calls = []fakeCall{c}
	}
	answers := make([]map[string]any, len(calls))
	for i, c := range calls {
		result, code := f.answer(c)
		a := map[string]any{"jsonrpc": "2.0", "id": c.ID}
		if code != 0 {
			a["error"] = map[string]any{"code": code, "message": "refused"}
		} else {
			a["result"] = result
		}
		answers[i] = a
	}
	f.mu.Lock()
	if batch {
		f.batches = append(f.batches, len(calls))
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if batch {
		// Answer out of order: a client must match answers by id.
		for i, j := 0, len(answers)-1; i < j; i, j = i+1, j-1 {
			answers[i], answers[j] = answers[j], answers[i]
		}
		_ = json.NewEncoder(w).Encode(answers)
		return
	}
	_ = json.NewEncoder(w).Encode(answers[0])
}

func (f *fakeSidecar) answer(c fakeCall) (any, int) {
	switch c.Method {
	case "slots":
		f.mu.Lock()
		defer f.mu.Unlock()
		var resp protocol.SlotInfoResponse
		for _, s := range f.slots {
			if s > f.passed || f.listPassed {
				resp.Slots = append(resp.Slots, protocol.SlotInfo{Slot: s})
			}
		}
		return resp, 0
	case "commitmentRequest":
	default:
		f.problem("unexpected method %q", c.Method)
		return nil, -32601
	}
	var req protocol.CommitmentRequest
	if len(c.Params) != 1 || json.Unmarshal(c.Params[0], &req) != nil {
		f.problem("params %s do not decode", c.Params)
		return nil, -32602
	}
	pl, err := protocol.DecodeRequestPayload(req.CommitmentType, req.Payload)
	if err != nil || len(pl.Txs) != 1 {
		f.problem("payload: %v", err)
		return nil, -32602
	}
	tx, err := protocol.DecodeTransaction(pl.Txs[0], chainID.Uint64())
	if err != nil {
		f.problem("tx: %v", err)
		return nil, -32602
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	inc := tx.Inclusion
	if pl.Slot <= f.passed {
		return nil, codeDeadlinePassed
	}
	if inc.Nonce != f.next[inc.Sender] {
		return nil, -32006
	}
	f.next[inc.Sender]++
	f.promised++
	return protocol.SignedCommitment{Commitment: protocol.Commitment{CommitmentType: req.CommitmentType, RequestHash: common.Hash{byte(f.promised)}}, Signature: make([]byte, 65)}, 0
}

func keys(t *testing.T, n int) []*ecdsa.PrivateKey {
	t.Helper()
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = k
	}
	return out
}

func config(url string, senders []*ecdsa.PrivateKey) Config {
	return Config{
		URL: url, ChainID: chainID, Senders: senders, StartNonces: make([]uint64, len(senders)),
		GasFeeCap: big.NewInt(100e9), GasTipCap: big.NewInt(1e9),
	}
}

// TestRunShapes: every shape of load keeps each sender's nonces in order
// (the fake refuses a gap), counts exactly what the sidecar promised, and
// reports whether it signed inside the measured time.
func TestRunShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		edit        func(*Config)
		signsDuring bool
		batches     bool
	}{
		{"closed loop, signing on the way", func(c *Config) { c.Requests = 200 }, true, false},
		{"closed loop, presigned", func(c *Config) { c.Requests = 200; c.Presign = 60 }, false, false},
		{"open loop", func(c *Config) { c.Rate = 2000; c.Requests = 150; c.Presign = 60 }, false, false},
		{"batches of 4", func(c *Config) { c.Batch = 4; c.Requests = 200; c.Presign = 80 }, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, srv := newFake(t, 10, 11, 12)
			cfg := config(srv.URL, keys(t, 8))
			cfg.Duration = 20 * time.Second
			tc.edit(&cfg)
			var (
				mu    sync.Mutex
				acked int
			)
			cfg.OnPromise = func(common.Hash, *protocol.SignedCommitment) { mu.Lock(); acked++; mu.Unlock() }
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.problems) > 0 {
				t.Fatalf("the fake sidecar saw: %s", strings.Join(f.problems, "; "))
			}
			if res.Valid.OK != f.promised || acked != f.promised || len(res.Latencies) != f.promised {
				t.Fatalf("counted %d promises (%d acked, %d latencies), the sidecar made %d", res.Valid.OK, acked, len(res.Latencies), f.promised)
			}
			if res.Valid.OK < cfg.Requests || res.Valid.Refused != 0 || res.Valid.Failed != 0 || res.Valid.CutOff != 0 {
				t.Fatalf("result %s, want >= %d promised, none refused or failed", res, cfg.Requests)
			}
			if got := res.SignedDuring > 0; got != tc.signsDuring {
				t.Fatalf("signed %d txs during the run, want signing during the run: %v", res.SignedDuring, tc.signsDuring)
			}
			if tc.batches != (len(f.batches) > 0) {
				t.Fatalf("%d batch bodies, want batches: %v", len(f.batches), tc.batches)
			}
			for _, n := range f.batches {
				if n < 1 || n > 4 {
					t.Fatalf("a batch of %d calls, want 1..4", n)
				}
			}
		})
	}
}

// TestDeadlineMovesOn: a listed slot whose deadline passed is refused at
// most once per sender, which retries the same nonce in the next slot; the
// book forgets the passed slot, so senders that have not tried it skip it.
func TestDeadlineMovesOn(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t, 10, 11, 12)
	f.passed, f.listPassed = 10, true // `slots` still lists 10, as just before its deadline
	cfg := config(srv.URL, keys(t, 16))
	cfg.Duration, cfg.Requests, cfg.Presign = 10*time.Second, 64, 8
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid.Sent < 64 || res.Valid.Failed != 0 || res.Valid.OK+res.Valid.Refused+res.Valid.CutOff != res.Valid.Sent {
		t.Fatalf("result %s (%+v), want >= 64 sent, each promised or refused", res, res.Valid)
	}
	if n := res.Errors[codeDeadlinePassed]; n == 0 || n > len(cfg.Senders) {
		t.Fatalf("%d deadline refusals for %d senders, want 1..%d", n, len(cfg.Senders), len(cfg.Senders))
	}

	book := &slotBook{c: mustClient(t, srv.URL)}
	if err := book.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	book.passed(10)
	if s, err := book.after(context.Background(), 0); err != nil || s != 11 {
		t.Fatalf("after slot 10 passed: slot %d, %v; want 11", s, err)
	}
}

func mustClient(t *testing.T, url string) *client {
	t.Helper()
	cs, err := newClients(url, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

// TestWholeBodyRefusalIsARefusal: a body refused as a whole (rate limit:
// HTTP 429, id null) counts as a refusal of each call with its code, not a
// transport failure; the invalid load comes from its own source IP.
func TestWholeBodyRefusalIsARefusal(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t, 10, 11)
	cfg := config(srv.URL, keys(t, 2))
	cfg.Duration, cfg.Requests = 5*time.Second, 2
	cfg.InvalidRate, cfg.InvalidFrom, cfg.ValidFrom = 500, "127.0.0.2", []string{"127.0.0.3"}
	cfg.Presign = 4
	c := mustClient(t, srv.URL)
	f.mu.Lock()
	f.refuseAll = true
	f.mu.Unlock()
	answers, err := c.batch(context.Background(), []call{{method: "commitmentRequest", params: 1}, {method: "commitmentRequest", params: 2}}, true)
	if err != nil {
		t.Fatalf("a whole-body refusal: %v, want per-call refusals", err)
	}
	for i, a := range answers {
		if a.err == nil || a.err.Code != -32014 {
			t.Fatalf("call %d answered %+v, want the -32014 refusal", i, a)
		}
	}
	f.mu.Lock()
	f.refuseAll = false
	f.mu.Unlock()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if res.Invalid.Sent == 0 || res.Invalid.Refused+res.Invalid.CutOff != res.Invalid.Sent || res.Invalid.OK != 0 || res.Invalid.Failed != 0 {
		t.Fatalf("invalid: %+v, want every one refused (-32006 nonce gap) or cut off by the end", res.Invalid)
	}
	if f.from["127.0.0.2"] == 0 || f.from["127.0.0.3"] == 0 {
		t.Fatalf("requests came from %v, want 127.0.0.2 (invalid) and 127.0.0.3 (valid)", f.from)
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	t.Parallel()
	k := keys(t, 1)
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no senders", func(c *Config) { c.Senders = nil }, "senders"},
		{"no duration", func(c *Config) { c.Duration = 0 }, "duration"},
		{"no fees", func(c *Config) { c.GasTipCap = nil }, "tip cap"},
		{"batches with a rate", func(c *Config) { c.Batch, c.Rate = 4, 100 }, "closed-loop"},
		{"bad source IP", func(c *Config) { c.ValidFrom = []string{"not-an-ip"} }, "not an IP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config("http://127.0.0.1:1", k)
			cfg.Duration = time.Second
			tc.edit(&cfg)
			if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run = %v, want an error about %q", err, tc.want)
			}
		})
	}
}
