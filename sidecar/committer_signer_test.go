package sidecar_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/devnettest"
	"github.com/pledgeproto/pledge/internal/web3signerfake"
	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// TestRemoteCommitterSignerDown runs the sidecar in process on the devnet
// with its committer on a Web3Signer (a fake speaking its eth1 wire format,
// on a port the test can close and reopen). With the signer down, a
// request is refused with -32017 and nothing is promised, /readyz answers
// 503 naming the signer, and further requests are refused before any
// signing; once the signer answers again, the sidecar's periodic check
// makes it ready again and the same transaction is promised, signed by the
// committer the Registry binds.
func TestRemoteCommitterSignerDown(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet and the sidecar; skipped in -short")
	}
	dw := devnettest.Start(t, devnettest.Options{
		Network:    devnet.Config{SlotDuration: 2 * time.Second, Validators: 1, FundedAccounts: 4},
		Registered: []int{0},
	})
	fake := newRestartableWeb3Signer(t, dw.CommitterKey, dw.ChainID)
	committer, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.url()}, &dw.CommitterKey.PublicKey,
		ecdsasigner.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	apiCfg := api.DefaultConfig()
	apiCfg.RateLimit = 0
	cfg := sidecar.Config{
		BeaconURL: dw.Net.BeaconURL(), ExecutionURL: dw.Net.EL().HTTPEndpoint(), Registry: dw.Contracts.Registry,
		DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		ValidatorKeys: []*bls.SecretKey{dw.Net.Validators()[0].SecretKey}, Committer: committer,
		Admission: admission.Config{
			Slasher: dw.Contracts.Slasher, Operator: dw.Operator, GasBudgetPerSlot: 10_000_000,
			Pricing:     admission.Pricing{MinPriorityFee: big.NewInt(1e9), FeeSlope: big.NewInt(0)},
			Slash:       admission.SlashPolicy{Base: big.NewInt(1e16), MaxCostBps: 10_000, Cap: big.NewInt(1e18)},
			SlashWindow: dw.Params.SlashWindow,
		},
		API:          apiCfg,
		PollInterval: 200 * time.Millisecond,
	}
	var logs lockedLog
	svc, err := sidecar.New(cfg, zerolog.New(&logs).Level(zerolog.InfoLevel), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("sidecar Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("sidecar Run did not stop")
		}
		if t.Failed() {
			t.Logf("sidecar log:\n%s", logs.String())
		}
	})
	select {
	case <-svc.Started():
	case err := <-done:
		t.Fatalf("sidecar stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("sidecar did not start")
	}
	url := "http://" + svc.Addr().String()
	untilReady := func(d time.Duration) {
		t.Helper()
		deadline := time.Now().Add(d)
		for {
			status, reason := getReadyz(t, url)
			if status == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("not ready after %s: %d %s", d, status, reason)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	untilReady(30 * time.Second)

	sender := dw.Senders[0]
	request := func() (*protocol.SignedCommitment, *userAPIError) {
		t.Helper()
		var slots protocol.SlotInfoResponse
		if e := callUserAPI(t, url, "slots", &slots); e != nil || len(slots.Slots) < 3 {
			t.Fatalf("slots: %v (%d offered)", e, len(slots.Slots))
		}
		// A slot a few ahead: still open when the answer comes back.
		slot := slots.Slots[2].Slot
		to := common.Address{0xde, 0xad}
		tx, err := types.SignNewTx(sender, types.LatestSignerForChainID(dw.ChainID), &types.DynamicFeeTx{
			ChainID: dw.ChainID, Nonce: 0, GasTipCap: big.NewInt(5e9), GasFeeCap: big.NewInt(100e9), Gas: 21_000, To: &to, Value: big.NewInt(1),
		})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := tx.MarshalBinary()
		payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, slot, [][]byte{raw})
		if err != nil {
			t.Fatal(err)
		}
		var sc protocol.SignedCommitment
		if e := callUserAPI(t, url, "commitmentRequest", &sc, protocol.CommitmentRequest{
			CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: dw.Contracts.Slasher,
		}); e != nil {
			return nil, e
		}
		return &sc, nil
	}

	fake.down(t)
	_, e := request()
	if e == nil || e.Code != api.CodeUnavailable {
		t.Fatalf("request with the committer's signer down: %v, want error %d", e, api.CodeUnavailable)
	}
	status, reason := getReadyz(t, url)
	if status != http.StatusServiceUnavailable || !strings.Contains(reason, "committer signer") || !strings.Contains(reason, "web3signer "+fake.url()) {
		t.Fatalf("/readyz with the signer down: %d %q, want 503 naming the committer signer web3signer %s", status, reason, fake.url())
	}
	t.Logf("signer down: request refused (%d %s); /readyz: %s", e.Code, e.Message, reason)
	// Not ready: refused at the door, the signer is not even asked.
	if _, e := request(); e == nil || e.Code != api.CodeUnavailable {
		t.Fatalf("second request while not ready: %v, want error %d", e, api.CodeUnavailable)
	}
	// Past one re-check (every 5 s) with the signer still down: not ready.
	time.Sleep(6 * time.Second)
	if status, reason := getReadyz(t, url); status != http.StatusServiceUnavailable || !strings.Contains(reason, "committer signer") {
		t.Fatalf("/readyz 6 s into the outage: %d %q, want 503 naming the committer signer", status, reason)
	}
	if n := fake.Signs.Load(); n != 0 {
		t.Fatalf("the signer signed %d promises while down", n)
	}

	fake.up(t)
	back := time.Now()
	// The sidecar asks a failed signer again every 5 s.
	untilReady(20 * time.Second)
	t.Logf("ready again %s after the signer came back", time.Since(back).Round(100*time.Millisecond))
	// The refused request reserved nothing: the same nonce is promised now.
	sc, e := request()
	if e != nil {
		t.Fatalf("request after the signer came back: %v", e)
	}
	if _, err := sc.Verify(dw.ChainID.Uint64(), dw.Committer); err != nil {
		t.Fatalf("promise does not verify as the committer %s: %v", dw.Committer, err)
	}
	if n := fake.Signs.Load(); n != 1 {
		t.Fatalf("the signer signed %d promises, want 1", n)
	}
}

// restartableWeb3Signer is internal/web3signerfake (a FAKE of Web3Signer in
// eth1 mode, the real one being a Java service) on a listener that can go
// down and come back on the same address.
type restartableWeb3Signer struct {
	*web3signerfake.Fake
	addr string

	mu  sync.Mutex
	srv *http.Server
}

func newRestartableWeb3Signer(t *testing.T, key *ecdsa.PrivateKey, chainID *big.Int) *restartableWeb3Signer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &restartableWeb3Signer{Fake: web3signerfake.New(key, chainID), addr: ln.Addr().String()}
	f.serve(ln)
	t.Cleanup(func() { f.down(t) })
	return f
}

func (f *restartableWeb3Signer) url() string { return "http://" + f.addr }

func (f *restartableWeb3Signer) serve(ln net.Listener) {
	srv := &http.Server{Handler: f.Fake, ReadHeaderTimeout: 5 * time.Second}
	f.mu.Lock()
	f.srv = srv
	f.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// down closes the listener and every connection: the port refuses.
func (f *restartableWeb3Signer) down(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.srv != nil {
		if err := f.srv.Close(); err != nil {
			t.Errorf("close the fake signer: %v", err)
		}
		f.srv = nil
	}
}

// up listens on the same address again.
func (f *restartableWeb3Signer) up(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", f.addr); err == nil {
			f.serve(ln)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("listen again on %s: %v", f.addr, err)
}

// userAPIError is a JSON-RPC error answer.
type userAPIError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *userAPIError) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// callUserAPI calls method on the sidecar's user API and decodes the result
// into out; a JSON-RPC error is returned, a transport failure fails t.
func callUserAPI(t *testing.T, url, method string, out any, params ...any) *userAPIError {
	t.Helper()
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var r struct {
		Result json.RawMessage `json:"result"`
		Error  *userAPIError   `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	if r.Error != nil {
		return r.Error
	}
	if err := json.Unmarshal(r.Result, out); err != nil {
		t.Fatalf("%s: result %s: %v", method, r.Result, err)
	}
	return nil
}

// getReadyz returns /readyz's status and, when not ready, its reason.
func getReadyz(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatalf("/readyz: %v", err)
	}
	defer resp.Body.Close()
	var body struct {
		Reason string `json:"reason"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("/readyz body: %v", err)
	}
	return resp.StatusCode, body.Reason
}

// lockedLog is a log sink safe for the sidecar's goroutines.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
