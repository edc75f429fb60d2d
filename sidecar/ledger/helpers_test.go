package ledger_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"math/big"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/ledger"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// fakePromises is the admission engine's record of what was sold: leaves by
// slot, and the highest slot sealed.
type fakePromises struct {
	mu     sync.Mutex
	leaves map[uint64][]protocol.LedgerLeaf
	sealed uint64
	reads  map[uint64]int
}

func newFakePromises() *fakePromises {
	return &fakePromises{leaves: map[uint64][]protocol.LedgerLeaf{}, reads: map[uint64]int{}}
}

func (f *fakePromises) SealThrough(_ context.Context, slot uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sealed = max(f.sealed, slot)
	return nil
}

func (f *fakePromises) PromisedSlots(from, to uint64) ([]uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []uint64
	for s := range f.leaves {
		if s >= from && s < to {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (f *fakePromises) LedgerLeaves(_ context.Context, slot uint64) ([]protocol.LedgerLeaf, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if slot > f.sealed {
		panic("ledger leaves read before the slot was sealed")
	}
	f.reads[slot]++
	return slices.Clone(f.leaves[slot]), nil
}

// sell records n promises for slot, each slashing amount wei.
func (f *fakePromises) sell(t *testing.T, slot uint64, n int, amount *big.Int) []protocol.LedgerLeaf {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		var d common.Hash
		if _, err := rand.Read(d[:]); err != nil {
			t.Fatal(err)
		}
		f.leaves[slot] = append(f.leaves[slot], protocol.LedgerLeaf{Digest: d, Amount: new(big.Int).Set(amount)})
	}
	return slices.Clone(f.leaves[slot])
}

// chainFees projects the base fee from the chain's head like
// chainstate.State does.
type chainFees struct{ c *chaintest.Chain }

func (f *chainFees) ProjectedBaseFee(n uint64) *big.Int {
	fee := new(big.Int).Set(f.c.Head().BaseFee)
	for range n {
		fee.Add(fee, new(big.Int).Quo(fee, big.NewInt(8)))
		fee.Add(fee, common.Big1)
	}
	return fee
}

// chainClock is the beacon clock of the simulated chain: one slot per second
// from its genesis.
type chainClock struct{ genesis uint64 }

func (c chainClock) Clock() duties.Clock {
	return duties.Clock{Genesis: time.Unix(int64(c.genesis), 0), SlotDuration: time.Second, SlotsPerEpoch: 32}
}

// syncBuffer collects logs written from any goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Test parameters: the chain's Registry has these.
const (
	testGrace       = 4
	testSlashWindow = 32
)

// world is a simulated chain with the contracts deployed and one operator
// registered, its committer funded, and the sidecar's record of promises.
type world struct {
	t        *testing.T
	c        *chaintest.Chain
	k        *chaintest.Contracts
	op       *chaintest.Operator
	reg      *registry.Client
	promises *fakePromises
	fees     *chainFees
	logs     *syncBuffer
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := chaintest.New(t, 3)
	p := chaintest.DefaultParams()
	p.LedgerGrace, p.SlashWindow = testGrace, testSlashWindow
	k := c.Deploy(p)
	op := c.RegisterOperator(k, 1, new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether)))
	reg, err := registry.New(c.Client, k.RegistryAddr)
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, c: c, k: k, op: op, reg: reg, promises: newFakePromises(), fees: &chainFees{c: c}, logs: &syncBuffer{}}
}

// now is the wall clock of the chain: the start of the slot after the
// head's, where the next block lands.
func (w *world) now() time.Time { return time.Unix(int64(w.c.Head().Time)+1, 0) }

// config is the component's configuration for w's operator.
func (w *world) config() ledger.Config {
	return ledger.Config{
		ChainID:      w.c.ChainID.Uint64(),
		Registry:     w.k.RegistryAddr,
		Operator:     w.op.Addr,
		Poster:       w.op.Poster,
		Grace:        testGrace,
		SlashWindow:  testSlashWindow,
		ReleaseDelay: 2,
		BumpAfter:    2,
	}
}

// component builds a component of w's committer (or of signer, when given).
func (w *world) component(cfg ledger.Config, signer ledger.TxSigner, reg prometheus.Registerer) *ledger.Component {
	w.t.Helper()
	if signer == nil {
		signer = admission.NewKeySigner(w.op.Committer)
	}
	l, err := ledger.New(cfg, w.promises, w.c.Client, w.reg, w.fees, chainClock{w.c.GenesisTime}, signer,
		zerolog.New(w.logs), ledger.WithNow(w.now), ledger.WithRegisterer(reg))
	if err != nil {
		w.t.Fatal(err)
	}
	return l
}

// step ticks l, then seals the next block.
func (w *world) step(l *ledger.Component) {
	l.Tick(w.t.Context())
	w.c.Commit()
}

// ledgerOf reads the operator's ledger for slot.
func (w *world) ledgerOf(slot uint64) *registry.Ledger {
	w.t.Helper()
	lg, err := w.reg.LedgerOf(w.t.Context(), w.op.Addr, slot)
	if err != nil {
		w.t.Fatal(err)
	}
	return lg
}

// committerNonce is how many transactions the committer has had mined.
func (w *world) committerNonce() uint64 {
	w.t.Helper()
	n, err := w.c.Client.NonceAt(w.t.Context(), crypto.PubkeyToAddress(w.op.Committer.PublicKey), nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// until steps l until cond holds, at most n blocks.
func (w *world) until(l *ledger.Component, n int, what string, cond func() bool) {
	w.t.Helper()
	for range n {
		if cond() {
			return
		}
		w.step(l)
	}
	if !cond() {
		w.t.Fatalf("after %d blocks (%s): %s not reached; err %v\nlogs:\n%s", n, w.c, what, l.Err(), w.logs.String())
	}
}

func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if c := m.GetCounter(); c != nil {
				sum += c.GetValue()
			}
		}
	}
	return sum
}
