package watcher_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// Account roles on the test chain.
const (
	keyOperator = 1
	keyWatcher  = 2
	keyFunder   = 3
	numKeys     = 4
)

var (
	collateral = new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))
	slashAmt   = big.NewInt(params.Ether)
	highFee    = big.NewInt(100 * params.GWei)
)

// faultyBackend injects send failures in front of the real backend.
type faultyBackend struct {
	watcher.Backend
	// dropSends fails this many sends without reaching the node.
	dropSends atomic.Int32
	// loseAnswers sends this many to the node, then reports a failure anyway
	// (the answer was lost on the way back).
	loseAnswers atomic.Int32
	sends       atomic.Int32
}

var errInjected = errors.New("injected: connection reset by peer")

func (f *faultyBackend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	f.sends.Add(1)
	if f.dropSends.Load() > 0 {
		f.dropSends.Add(-1)
		return errInjected
	}
	if f.loseAnswers.Load() > 0 {
		f.loseAnswers.Add(-1)
		if err := f.Backend.SendTransaction(ctx, tx); err != nil {
			return err
		}
		return errInjected
	}
	return f.Backend.SendTransaction(ctx, tx)
}

// env is a chain with the contracts deployed, one registered operator and a
// watcher account.
type env struct {
	t       *testing.T
	c       *chaintest.Chain
	k       *chaintest.Contracts
	op      *chaintest.Operator
	backend *faultyBackend
	dep     *watcher.Deployment
	journal string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := chaintest.New(t, numKeys)
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, keyOperator, collateral)
	b := &faultyBackend{Backend: watcher.NewBackend(c.Eth)}
	dep, err := watcher.LoadDeployment(t.Context(), b, c.Eth, c.ChainID.Uint64(), k.SlasherAddr)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, c: c, k: k, op: op, backend: b, dep: dep, journal: filepath.Join(t.TempDir(), "journal.jsonl")}
}

// watcher opens the journal and starts a watcher over it (a restart when the
// journal already exists).
func (e *env) watcher(opts ...watcher.Option) *watcher.Watcher {
	e.t.Helper()
	j, err := watcher.OpenJournal(e.journal)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = j.Close() })
	opts = append([]watcher.Option{watcher.WithBackoff(0, 0), watcher.WithRegisterer(prometheus.NewRegistry())}, opts...)
	w, err := watcher.New(e.backend, e.dep, e.c.Keys[keyWatcher], j, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	return w
}

func (e *env) user(wei *big.Int) *ecdsa.PrivateKey {
	e.t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		e.t.Fatal(err)
	}
	if wei != nil {
		e.c.Fund(keyFunder, crypto.PubkeyToAddress(key.PublicKey), wei)
	}
	return key
}

func (e *env) tx(key *ecdsa.PrivateKey, nonce uint64, feeCap *big.Int) *types.Transaction {
	return e.c.Transfer(key, nonce, e.c.Addr(0), big.NewInt(1000), feeCap)
}

// promise signs a promise of tx for slot with the operator's committer key.
func (e *env) promise(slot uint64, amount *big.Int, txs ...*types.Transaction) *protocol.SignedCommitment {
	return e.promiseBy(e.op.Committer, slot, amount, txs...)
}

func (e *env) promiseBy(key *ecdsa.PrivateKey, slot uint64, amount *big.Int, txs ...*types.Transaction) *protocol.SignedCommitment {
	e.t.Helper()
	typ := protocol.TypeL1Inclusion
	if len(txs) > 1 {
		typ = protocol.TypeBundle
	}
	p := &protocol.Promise{CommitmentType: typ, Operator: e.op.Addr, Slot: slot, SlashAmount: amount}
	raws := make([][]byte, len(txs))
	for i, tx := range txs {
		from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
		if err != nil {
			e.t.Fatal(err)
		}
		p.Inclusions = append(p.Inclusions, protocol.InclusionFromTx(tx, from))
		raw, err := tx.MarshalBinary()
		if err != nil {
			e.t.Fatal(err)
		}
		raws[i] = raw
	}
	req, err := protocol.NewCommitmentRequest(typ, slot, raws, e.k.SlasherAddr)
	if err != nil {
		e.t.Fatal(err)
	}
	p.RequestHash = req.RequestHash()
	sc, err := protocol.NewSignedCommitment(p, e.k.Domain(e.c), key)
	if err != nil {
		e.t.Fatal(err)
	}
	return sc
}

func (e *env) digest(sc *protocol.SignedCommitment) common.Hash {
	e.t.Helper()
	return e.open(sc).Digest(e.k.Domain(e.c))
}

func (e *env) open(sc *protocol.SignedCommitment) *protocol.Promise {
	e.t.Helper()
	p, err := sc.Open(e.c.ChainID.Uint64())
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// ledger has the operator's committer open its ledger for slot listing scs,
// sealing empty blocks until slot first (a ledger opens at its slot at the
// earliest), so the chain is at slot or later afterwards.
func (e *env) ledger(slot uint64, scs ...*protocol.SignedCommitment) {
	e.t.Helper()
	ps := make([]*protocol.Promise, len(scs))
	for i, sc := range scs {
		ps[i] = e.open(sc)
	}
	e.c.OpenLedger(e.k, e.op, slot, ps...)
}

// step runs one watcher step and fails the test on an error.
func (e *env) step(w *watcher.Watcher) {
	e.t.Helper()
	if err := w.Step(e.t.Context()); err != nil {
		e.t.Fatalf("step at %s: %v", e.c, err)
	}
}

// runUntil commits a block and steps until the promise reaches a final state
// (or n blocks passed) and returns its record.
func (e *env) runUntil(w *watcher.Watcher, d common.Hash, n int) watcher.Record {
	e.t.Helper()
	for range n {
		e.step(w)
		if r, ok := w.Journal().Latest(d); ok && r.State.Final() {
			return r
		}
		e.c.Commit()
	}
	r, _ := w.Journal().Latest(d)
	e.t.Fatalf("promise %s still %s after %d blocks (%s): %s", d, r.State, n, e.c, r.Reason)
	return r
}

// journalLines is how many records the journal file holds.
func (e *env) journalLines() int {
	e.t.Helper()
	b, err := os.ReadFile(e.journal)
	if err != nil {
		e.t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// sentByWatcher is how many transactions the watcher account has had mined.
func (e *env) sentByWatcher() uint64 {
	e.t.Helper()
	n, err := e.c.Client.NonceAt(e.t.Context(), e.c.Addr(keyWatcher), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// slashEvents returns the PromiseSlashed events of digest.
func (e *env) slashEvents(d common.Hash) []*bindings.SlasherPromiseSlashed {
	e.t.Helper()
	it, err := e.k.Slasher.FilterPromiseSlashed(&bind.FilterOpts{Context: e.t.Context()}, [][32]byte{d}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer it.Close()
	var out []*bindings.SlasherPromiseSlashed
	for it.Next() {
		out = append(out, it.Event)
	}
	return out
}

// commits returns the claim hashes committed by account by.
func (e *env) commits(by common.Address) []common.Hash {
	e.t.Helper()
	it, err := e.k.Slasher.FilterClaimCommitted(&bind.FilterOpts{Context: e.t.Context()}, nil, []common.Address{by})
	if err != nil {
		e.t.Fatal(err)
	}
	defer it.Close()
	var out []common.Hash
	for it.Next() {
		out = append(out, it.Event.ClaimHash)
	}
	return out
}

// checkClaimPaid checks that d was slashed once, naming the claim journaled
// for d, whose beneficiary is want, and that the claim was committed once.
func (e *env) checkClaimPaid(w *watcher.Watcher, d common.Hash, want common.Address) {
	e.t.Helper()
	evs := e.slashEvents(d)
	if len(evs) != 1 {
		e.t.Fatalf("%d PromiseSlashed events of %s, want 1", len(evs), d)
	}
	c, ok := w.Journal().Claim(d)
	if !ok || c.Beneficiary != want || evs[0].Beneficiary != want {
		e.t.Fatalf("journaled claim %+v (%v), paid %s, want %s", c, ok, evs[0].Beneficiary, want)
	}
	h := c.Claim().Hash(d)
	n := 0
	for _, got := range e.commits(w.Address()) {
		if got == h {
			n++
		}
	}
	if n != 1 {
		e.t.Fatalf("the journaled claim %s was committed %d times, want once", h, n)
	}
}

func (e *env) settled(d common.Hash) bool {
	e.t.Helper()
	s, err := e.k.Slasher.Settled(&bind.CallOpts{Context: e.t.Context()}, d)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}
