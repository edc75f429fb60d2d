package sidecar_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/devnettest"
	"github.com/pledgeproto/pledge/internal/loadgen"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// world is a running devnet with the Pledge contracts deployed and one
// operator registered, and everything `pledge sidecar` needs on disk.
type world struct {
	net       *devnet.Network
	el        *ethclient.Client
	chainID   *big.Int
	contracts *deploy.Contracts
	operator  common.Address
	committer common.Address
	senders   []*ecdsa.PrivateKey
	dir       string
	args      []string
}

func startWorld(t *testing.T) *world {
	t.Helper()
	dw := devnettest.Start(t, devnettest.Options{
		Network:    devnet.Config{SlotDuration: 2 * time.Second, Validators: 1, FundedAccounts: 12},
		Registered: []int{0},
	})
	n, k := dw.Net, dw.Contracts

	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	vb := n.Validators()[0].SecretKey.Bytes()
	vkey := write("validator.key", []byte(hex.EncodeToString(vb[:])))
	ckey := write("committer.key", []byte(hex.EncodeToString(crypto.FromECDSA(dw.CommitterKey))))
	w := &world{
		net: n, el: dw.EL, chainID: dw.ChainID, contracts: k,
		operator:  dw.Operator,
		committer: dw.Committer,
		senders:   dw.Senders,
		dir:       dir,
	}
	w.args = []string{
		"--log-format", "json", "--log-level", "warn",
		"sidecar",
		"--beacon-url", n.BeaconURL(),
		"--execution-url", n.EL().HTTPEndpoint(),
		"--registry", k.Registry.Hex(),
		"--slasher", k.Slasher.Hex(),
		"--operator", w.operator.Hex(),
		"--data-dir", filepath.Join(dir, "data"),
		"--validator-keys", vkey,
		"--committer-key", ckey,
		"--slash-window", "32",
		"--rate-limit", "0",
		"--poll-interval", "500ms",
	}
	return w
}

// buildPledge compiles the pledge binary once per test run.
var buildPledge = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "pledge-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "pledge")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/pledge").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// sidecarProcess is `pledge sidecar` running as a child process.
type sidecarProcess struct {
	cmd *exec.Cmd
	url string
	log bytes.Buffer
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (w *world) startSidecar(t *testing.T, listen string) *sidecarProcess {
	t.Helper()
	bin, err := buildPledge()
	if err != nil {
		t.Fatal(err)
	}
	p := &sidecarProcess{url: "http://" + listen}
	p.cmd = exec.Command(bin, append(w.args, "--listen", listen)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.log, &p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	deadline := time.Now().Add(45 * time.Second)
	for {
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
			if time.Now().After(deadline) {
				t.Fatalf("sidecar not ready: %s\nlog:\n%s", body, p.log.String())
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("sidecar did not start: %v\nlog:\n%s", err, p.log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

type rpcResponse struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func call(t *testing.T, url, method string, params ...any) rpcResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var r rpcResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return r
}

// TestSidecarSurvivesSIGKILL runs `pledge sidecar` as a child process under
// load, kills it with SIGKILL while requests are in flight, restarts it on
// the same data directory, and checks that every promise it acknowledged is
// still there, byte for byte, and back in its slot's template: the sender's
// next nonce stacks on it and its nonce cannot be sold again.
func TestSidecarSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet and the sidecar binary; skipped in -short")
	}
	w := startWorld(t)
	listen := freeAddr(t)
	first := w.startSidecar(t, listen)

	type acked struct{ sc protocol.SignedCommitment }
	var (
		mu    sync.Mutex
		acks  = map[common.Hash]acked{}
		ready = make(chan struct{})
		once  sync.Once
	)
	// senders[0] is the probe: one promise for the last slot on offer, far
	// enough ahead to still be pending after the restart.
	probe := w.senders[0]
	load := w.senders[1:]
	nonces := make([]uint64, len(load))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	loadDone := make(chan *loadgen.Result, 1)
	go func() {
		res, err := loadgen.Run(ctx, loadgen.Config{
			URL: first.url, ChainID: w.chainID, Slasher: w.contracts.Slasher,
			Senders: load, StartNonces: nonces, Duration: 20 * time.Second,
			GasFeeCap: big.NewInt(100e9), GasTipCap: big.NewInt(5e9),
			OnPromise: func(h common.Hash, sc *protocol.SignedCommitment) {
				mu.Lock()
				acks[h] = acked{sc: *sc}
				if len(acks) >= 200 {
					once.Do(func() { close(ready) })
				}
				mu.Unlock()
			},
		})
		if err != nil {
			t.Errorf("load: %v", err)
		}
		loadDone <- res
	}()
	var slots protocol.SlotInfoResponse
	if r := call(t, first.url, "slots"); r.Error != nil || json.Unmarshal(r.Result, &slots) != nil || len(slots.Slots) == 0 {
		t.Fatalf("slots: %+v", r.Error)
	}
	probeSlot := slots.Slots[len(slots.Slots)-1].Slot
	request := func(url string, nonce uint64, value int64) rpcResponse {
		to := common.Address{0xde, 0xad}
		tx, err := types.SignNewTx(probe, types.LatestSignerForChainID(w.chainID), &types.DynamicFeeTx{
			ChainID: w.chainID, Nonce: nonce, GasTipCap: big.NewInt(5e9), GasFeeCap: big.NewInt(100e9), Gas: 21_000, To: &to, Value: big.NewInt(value),
		})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := tx.MarshalBinary()
		payload, _ := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, probeSlot, [][]byte{raw})
		return call(t, url, "commitmentRequest", protocol.CommitmentRequest{
			CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: w.contracts.Slasher,
		})
	}
	if r := request(first.url, 0, 1); r.Error != nil {
		t.Fatalf("probe promise for slot %d: %d %s", probeSlot, r.Error.Code, r.Error.Message)
	}
	select {
	case <-ready:
	case <-ctx.Done():
		t.Fatalf("fewer than 200 promises before the deadline\nlog:\n%s", first.log.String())
	}
	// Kill mid-load: requests are in flight.
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	cancel()
	res := <-loadDone
	mu.Lock()
	defer mu.Unlock()
	t.Logf("before SIGKILL: %d promises acknowledged (%s)", len(acks), res)

	second := w.startSidecar(t, listen)
	for h, a := range acks {
		r := call(t, second.url, "commitmentResult", h)
		if r.Error != nil {
			t.Fatalf("acknowledged promise %s lost after SIGKILL: %d %s", h, r.Error.Code, r.Error.Message)
		}
		var got protocol.SignedCommitment
		if err := json.Unmarshal(r.Result, &got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Signature, a.sc.Signature) || !bytes.Equal(got.Commitment.Payload, a.sc.Commitment.Payload) {
			t.Fatalf("promise %s changed across the restart", h)
		}
		if _, err := got.Verify(w.chainID.Uint64(), w.committer); err != nil {
			t.Fatalf("restored promise %s does not verify: %v", h, err)
		}
	}

	// The templates were rebuilt from the store: a different tx at the probe's
	// promised nonce is a conflict, and its next nonce stacks on the reloaded
	// promise in the same slot.
	if r := request(second.url, 0, 777); r.Error == nil || r.Error.Code != -32018 {
		t.Fatalf("a second tx for the promised nonce 0 was not refused as a conflict: %+v", r.Error)
	}
	if r := request(second.url, 1, 1); r.Error != nil {
		t.Fatalf("nonce 1 after the reloaded promise refused: %d %s", r.Error.Code, r.Error.Message)
	}

	// Every slot with acknowledged promises gets its ledger, opened by the
	// first sidecar or, for the slots around the SIGKILL, by the second,
	// and every acknowledged promise is one of its leaves.
	bySlot := map[uint64][]common.Hash{}
	domain := protocol.Domain{ChainID: w.chainID.Uint64(), Slasher: w.contracts.Slasher}
	for _, a := range acks {
		p, err := a.sc.Open(w.chainID.Uint64())
		if err != nil {
			t.Fatal(err)
		}
		bySlot[p.Slot] = append(bySlot[p.Slot], p.Digest(domain))
	}
	w.checkLedgers(t, bySlot, second)
}

// checkLedgers waits for each slot's ledger (until its grace is over) and
// checks that it lists the digests.
func (w *world) checkLedgers(t *testing.T, bySlot map[uint64][]common.Hash, p *sidecarProcess) {
	t.Helper()
	reg, err := bindings.NewRegistry(w.contracts.Registry, w.el)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	grace, err := reg.LedgerGrace(&bind.CallOpts{Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	for slot, digests := range bySlot {
		deadline := w.net.GenesisTime().Add(time.Duration(slot+grace+2) * 2 * time.Second)
		for {
			lg, err := reg.LedgerOf(&bind.CallOpts{Context: ctx}, w.operator, slot)
			if err != nil {
				t.Fatal(err)
			}
			if lg.Count > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("slot %d (%d promises acknowledged) has no ledger after its grace\nlog:\n%s", slot, len(digests), p.log.String())
			}
			time.Sleep(500 * time.Millisecond)
		}
		it, err := reg.FilterLedgerOpened(&bind.FilterOpts{Context: ctx}, []common.Address{w.operator}, []uint64{slot})
		if err != nil {
			t.Fatal(err)
		}
		var opened int
		var tree *protocol.Ledger
		for it.Next() {
			opened++
			if tree, err = protocol.DecodeLedger(it.Event.Leaves); err != nil {
				t.Fatalf("slot %d: leaves: %v", slot, err)
			}
		}
		if err := it.Close(); err != nil {
			t.Fatal(err)
		}
		if opened != 1 {
			t.Fatalf("slot %d: %d LedgerOpened events, want 1", slot, opened)
		}
		for _, d := range digests {
			if _, ok := tree.Find(d); !ok {
				t.Fatalf("slot %d: acknowledged promise %s is not in the ledger of %d leaves", slot, d, len(tree.Leaves))
			}
		}
	}
	t.Logf("%d slots with acknowledged promises, each with its ledger listing them", len(bySlot))
}
