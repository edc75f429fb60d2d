package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// watchRPCProxy serves JSON-RPC over HTTP by forwarding every call to the
// simulated chain's in-process client: the simulated backend has no URL, and
// the CLI must be driven through a real one.
func watchRPCProxy(t *testing.T, c *rpc.Client) string {
	t.Helper()
	type msg struct {
		Version string            `json:"jsonrpc"`
		ID      json.RawMessage   `json:"id"`
		Method  string            `json:"method"`
		Params  []json.RawMessage `json:"params"`
	}
	type rpcErr struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    any    `json:"data,omitempty"`
	}
	type answer struct {
		Version string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Result  json.RawMessage `json:"result,omitempty"`
		Error   *rpcErr         `json:"error,omitempty"`
	}
	call := func(ctx context.Context, m msg) answer {
		args := make([]any, len(m.Params))
		for i, p := range m.Params {
			args[i] = p
		}
		var res json.RawMessage
		err := c.CallContext(ctx, &res, m.Method, args...)
		if err == nil {
			if res == nil {
				res = json.RawMessage("null")
			}
			return answer{Version: "2.0", ID: m.ID, Result: res}
		}
		e := &rpcErr{Code: -32000, Message: err.Error()}
		var re rpc.Error
		if errors.As(err, &re) {
			e.Code = re.ErrorCode()
		}
		var de rpc.DataError
		if errors.As(err, &de) {
			e.Data = de.ErrorData()
		}
		return answer{Version: "2.0", ID: m.ID, Error: e}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '[' {
			var ms []msg
			if err := json.Unmarshal(b, &ms); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			out := make([]answer, len(ms))
			for i, m := range ms {
				out[i] = call(r.Context(), m)
			}
			_ = json.NewEncoder(w).Encode(out)
			return
		}
		var m msg
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_ = json.NewEncoder(w).Encode(call(r.Context(), m))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// watchEnv is a simulated chain with the contracts, an operator, the RPC
// proxy, and the watcher's key in a file.
type watchEnv struct {
	t       *testing.T
	c       *chaintest.Chain
	k       *chaintest.Contracts
	op      *chaintest.Operator
	url     string
	keyFile string
	dir     string
	mu      sync.Mutex // one Commit at a time
}

const watchKeyIdx = 2

func newWatchEnv(t *testing.T) *watchEnv {
	t.Helper()
	clearEnv(t)
	c := chaintest.New(t, 4)
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, 1, new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether)))
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "watcher.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(c.Keys[watchKeyIdx]))), 0o600); err != nil {
		t.Fatal(err)
	}
	return &watchEnv{t: t, c: c, k: k, op: op, url: watchRPCProxy(t, c.RPC), keyFile: keyFile, dir: dir}
}

func (e *watchEnv) commit() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.c.Backend.Commit()
}

func (e *watchEnv) slot() uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.c.Slot()
}

func (e *watchEnv) advanceTo(s uint64) {
	for e.slot() < s {
		e.commit()
	}
}

// userTx funds a fresh user and signs (without sending) a transfer from it.
func (e *watchEnv) userTx(nonce uint64) (*ecdsa.PrivateKey, *types.Transaction) {
	e.t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	e.c.Fund(3, crypto.PubkeyToAddress(key.PublicKey), big.NewInt(1e18))
	e.mu.Unlock()
	return key, e.c.Transfer(key, nonce, e.c.Addr(0), big.NewInt(1000), big.NewInt(100*params.GWei))
}

// promiseFile signs a promise of txs for slot with the operator's committer
// and writes it as JSON to a file.
func (e *watchEnv) promiseFile(name string, slot uint64, txs ...*types.Transaction) (string, common.Hash, *protocol.SignedCommitment) {
	e.t.Helper()
	p := &protocol.Promise{CommitmentType: protocol.TypeL1Inclusion, Operator: e.op.Addr, Slot: slot, SlashAmount: big.NewInt(params.Ether)}
	var raws [][]byte
	for _, tx := range txs {
		from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
		if err != nil {
			e.t.Fatal(err)
		}
		p.Inclusions = append(p.Inclusions, protocol.InclusionFromTx(tx, from))
		raw, err := tx.MarshalBinary()
		if err != nil {
			e.t.Fatal(err)
		}
		raws = append(raws, raw)
	}
	req, err := protocol.NewCommitmentRequest(p.CommitmentType, slot, raws, e.k.SlasherAddr)
	if err != nil {
		e.t.Fatal(err)
	}
	p.RequestHash = req.RequestHash()
	sc, err := protocol.NewSignedCommitment(p, e.k.Domain(e.c), e.op.Committer)
	if err != nil {
		e.t.Fatal(err)
	}
	b, err := json.Marshal(sc)
	if err != nil {
		e.t.Fatal(err)
	}
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return path, p.Digest(e.k.Domain(e.c)), sc
}

// ledger has the operator's committer open its ledger for slot listing scs
// (sealing empty blocks until slot first).
func (e *watchEnv) ledger(slot uint64, scs ...*protocol.SignedCommitment) {
	e.t.Helper()
	ps := make([]*protocol.Promise, len(scs))
	for i, sc := range scs {
		p, err := sc.Open(e.c.ChainID.Uint64())
		if err != nil {
			e.t.Fatal(err)
		}
		ps[i] = p
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.c.OpenLedger(e.k, e.op, slot, ps...)
}

// mineWhilePending seals a block whenever the pool holds a transaction, and
// one more after it (the evidence naming a claim waits until the claim's
// commitment is below the head), until stop is closed.
func (e *watchEnv) mineWhilePending(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
		var st struct {
			Pending hexutil.Uint `json:"pending"`
		}
		if err := e.c.RPC.CallContext(context.Background(), &st, "txpool_status"); err == nil && st.Pending > 0 {
			e.commit()
			e.commit()
		}
	}
}

func (e *watchEnv) settled(d common.Hash) bool {
	e.t.Helper()
	s, err := e.k.Slasher.Settled(&bind.CallOpts{Context: e.t.Context()}, d)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// watchApp is the pledge app; main.go wires watch and slash.
func watchApp() *cli.App { return newApp() }

func (e *watchEnv) slash(promise string, extra ...string) (string, error) {
	e.t.Helper()
	args := append([]string{"slash", "--promise", promise, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile, "--poll-interval", "20ms"}, extra...)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); e.mineWhilePending(stop) }()
	out, _, err := run(e.t, watchApp(), args...)
	close(stop)
	<-done
	return out, err
}

// `pledge slash` against a chain through a real JSON-RPC URL: too early, broken
// (its claim committed, then slashed once), again (already settled), kept,
// void (in no ledger); and refusals of bad input.
func TestSlashCommand(t *testing.T) {
	e := newWatchEnv(t)
	_, broken := e.userTx(0)
	_, kept := e.userTx(0)
	_, unbacked := e.userTx(0)
	s := e.slot() + 3
	brokenFile, brokenDigest, brokenSC := e.promiseFile("broken.json", s, broken)
	keptFile, _, keptSC := e.promiseFile("kept.json", s, kept)
	voidFile, _, _ := e.promiseFile("void.json", s, unbacked)

	out, err := e.slash(brokenFile)
	if err != nil || !strings.HasPrefix(out, "not yet judgeable: promise "+brokenDigest.Hex()) {
		t.Fatalf("before the slot: %q, %v", out, err)
	}
	e.advanceTo(s - 1)
	e.mu.Lock()
	e.c.Send(kept)
	e.mu.Unlock()
	e.commit()                    // slot s: kept is in, broken is not
	e.ledger(s, brokenSC, keptSC) // in slot s+1; the third promise is left out
	e.advanceTo(s + 2)

	out, err = e.slash(brokenFile)
	if err != nil || !regexp.MustCompile(`^slashed: promise 0x[0-9a-f]{64} \(slot \d+\) was broken \(safety fault\); evidence tx 0x[0-9a-f]{64} mined\n$`).MatchString(out) {
		t.Fatalf("broken promise: %q, %v", out, err)
	}
	if !e.settled(brokenDigest) {
		t.Fatal("not settled on-chain")
	}
	out, err = e.slash(brokenFile)
	if err != nil || !strings.Contains(out, "already settled") {
		t.Fatalf("second slash: %q, %v", out, err)
	}
	out, err = e.slash(keptFile)
	if err != nil || !strings.HasPrefix(out, "kept: promise ") {
		t.Fatalf("kept promise: %q, %v", out, err)
	}
	out, err = e.slash(voidFile)
	if err != nil || !strings.HasPrefix(out, "void: promise ") || !strings.Contains(out, "not in its slot's ledger") {
		t.Fatalf("promise in no ledger: %q, %v", out, err)
	}
	if n, _ := e.c.Client.NonceAt(t.Context(), e.c.Addr(watchKeyIdx), nil); n != 2 {
		t.Fatalf("watcher sent %d transactions, want 2 (the claim's commitment and the evidence)", n)
	}

	_, _, sc := e.promiseFile("foreign.json", s, broken)
	sc.Commitment.Slasher = e.k.RegistryAddr
	fb, _ := json.Marshal([]any{sc})
	foreign := filepath.Join(e.dir, "foreign.json")
	if err := os.WriteFile(foreign, fb, 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(e.dir, "garbage.json")
	if err := os.WriteFile(garbage, []byte("{\"commitment\": 7}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"slash", "--promise", filepath.Join(e.dir, "none.json"), "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile}, "--promise: open"},
		{"not a promise", []string{"slash", "--promise", garbage, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile}, "line 1: not a signed commitment"},
		{"no key", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex()}, "no watcher account"},
		{"bad slasher", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", "0x12", "--key-file", e.keyFile}, "is not an address"},
		{"no contract", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", e.c.Addr(0).Hex(), "--key-file", e.keyFile}, "no contract at --slasher"},
		{"wrong registry", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--registry", e.k.InboxAddr.Hex(), "--key-file", e.keyFile}, "is not the Slasher's Registry"},
		{"zero confirmations", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile, "--confirmations", "0"}, "at least 1"},
		{"bad beneficiary", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile, "--beneficiary", "0x12"}, "--beneficiary"},
		{"zero beneficiary", []string{"slash", "--promise", brokenFile, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile, "--beneficiary", common.Address{}.Hex()}, "zero address"},
		{"promise for another slasher", []string{"slash", "--promise", foreign, "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile}, "this watcher judges"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, watchApp(), tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line with %q", err, tc.want)
			}
		})
	}
}

// watchOutput is a writer the watch command and the test may share.
type watchOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *watchOutput) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *watchOutput) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `pledge watch` follows a promise file and promises posted to its API,
// slashes both broken ones paying --beneficiary, and `--report` prints the
// outcomes.
func TestWatchCommand(t *testing.T) {
	e := newWatchEnv(t)
	_, fromFile := e.userTx(0)
	_, fromPost := e.userTx(0)
	s := e.slot() + 3
	promises, fileDigest, fileSC := e.promiseFile("promises.jsonl", s, fromFile)
	_, postDigest, posted := e.promiseFile("posted.json", s, fromPost)
	journal := filepath.Join(e.dir, "journal.jsonl")
	e.ledger(s, fileSC, posted)
	beneficiary := common.HexToAddress("0x00000000000000000000000000000000000b0b0b")

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &watchOutput{}
	app := watchApp()
	app.Writer, app.ErrWriter = out, io.Discard
	done := make(chan error, 1)
	go func() {
		done <- app.RunContext(ctx, []string{"pledge", "watch", "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile,
			"--journal", journal, "--promises", promises, "--listen", "127.0.0.1:0", "--poll-interval", "20ms", "--beneficiary", beneficiary.Hex()})
	}()
	addrRe := regexp.MustCompile(`watcher API on (http://\S+)`)
	var api string
	for deadline := time.Now().Add(10 * time.Second); api == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			api = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("watch exited: %v", err)
		default:
		}
	}
	if api == "" {
		t.Fatal("watch never printed its API address")
	}
	body, _ := json.Marshal(posted)
	resp, err := http.Post(api+"/promises", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /promises: %d", resp.StatusCode)
	}
	metrics := func() string {
		r, err := http.Get(api + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}

	// One block every 100 ms until both are slashed.
	slashed := func() bool {
		j, err := watcher.ReadJournal(journal)
		if err != nil {
			return false
		}
		a, _ := j.Latest(fileDigest)
		b, _ := j.Latest(postDigest)
		return a.State == watcher.StateSlashed && b.State == watcher.StateSlashed
	}
	for i := 0; !slashed(); i++ {
		if i == 100 {
			t.Fatalf("not both slashed after 100 blocks; output:\n%s", out.String())
		}
		e.commit()
		time.Sleep(100 * time.Millisecond)
	}
	m := metrics()
	for _, want := range []string{"pledge_watcher_promises_total 2", `pledge_watcher_faults_total{fault="safety"} 2`,
		`pledge_watcher_claim_commits_total{result="mined"} 2`, `pledge_watcher_submissions_total{result="mined"} 2`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("watch: %v", err)
	}
	if !e.settled(fileDigest) || !e.settled(postDigest) {
		t.Fatal("not settled on-chain")
	}
	// Each slash paid the beneficiary its share: 10 % of the 1 ETH taken.
	share := new(big.Int).Div(big.NewInt(params.Ether), big.NewInt(10))
	if bal, err := e.c.Client.BalanceAt(t.Context(), beneficiary, nil); err != nil || bal.Cmp(new(big.Int).Mul(share, big.NewInt(2))) != 0 {
		t.Fatalf("beneficiary balance %s (%v), want two shares of %s", bal, err, share)
	}

	report, _, err := run(t, watchApp(), "watch", "--report", "--journal", journal)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fileDigest.Hex() + " slot", postDigest.Hex() + " slot", "slashed safety tx 0x", "2 promises: 2 slashed, 0 kept"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if _, _, err := run(t, watchApp(), "watch", "--report", "--journal", filepath.Join(e.dir, "none")); err == nil || !strings.Contains(err.Error(), "journal") {
		t.Errorf("report of a missing journal: %v", err)
	}
	if _, _, err := run(t, watchApp(), "watch", "--rpc-url", e.url, "--slasher", e.k.SlasherAddr.Hex(), "--key-file", e.keyFile, "--journal", journal, "--listen", ""); err == nil || !strings.Contains(err.Error(), "no source of promises") {
		t.Errorf("no source: %v", err)
	}
}
