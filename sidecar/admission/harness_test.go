package admission

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"github.com/pledgeproto/pledge/sidecar/store"
)

var (
	gwei     = big.NewInt(params.GWei)
	ether    = big.NewInt(params.Ether)
	slasher  = common.HexToAddress("0x5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a")
	operator = common.HexToAddress("0x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")
)

// headSlot is the slot of the simulated chain's head: the test clock is set
// so the head block falls in it.
const headSlot = 100

// fakeDuties says every slot in [lo, hi) is ours except those in notOurs.
type fakeDuties struct {
	clock   duties.Clock
	lo, hi  uint64
	notOurs map[uint64]bool
}

func (f *fakeDuties) Duty(slot uint64) (duties.Duty, bool) {
	if slot < f.lo || slot >= f.hi || f.notOurs[slot] {
		return duties.Duty{}, false
	}
	return duties.Duty{Slot: slot, ValidatorIndex: slot % 7, Pubkey: protocol.BLSPubkey{0xaa, byte(slot)}}, true
}

func (f *fakeDuties) Clock() duties.Clock { return f.clock }

// fakeCollateral is the Registry's answer, settable.
type fakeCollateral struct {
	mu  sync.Mutex
	v   *big.Int
	err error
	// notBacked refuses promises for its slots (Backs) with the reason given.
	notBacked map[uint64]string
}

func (f *fakeCollateral) Backs(_ context.Context, slot uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, f.err)
	}
	if why, ok := f.notBacked[slot]; ok {
		return fmt.Errorf("%w: %s", ErrNotBacked, why)
	}
	return nil
}

func (f *fakeCollateral) refuse(slot uint64, why string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.notBacked == nil {
		f.notBacked = map[uint64]string{}
	}
	f.notBacked[slot] = why
}

func (f *fakeCollateral) Collateral(context.Context) (*big.Int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return new(big.Int).Set(f.v), nil
}

func (f *fakeCollateral) set(v *big.Int) {
	f.mu.Lock()
	f.v = v
	f.mu.Unlock()
}

// testClock is a settable wall clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// harness is an engine on a simulated chain with funded users, a Pebble
// store in a temp dir and fakes for the beacon node and the Registry.
type harness struct {
	t          testing.TB
	backend    *simulated.Backend
	client     simulated.Client
	chainID    uint64
	users      []*ecdsa.PrivateKey
	poor       *ecdsa.PrivateKey // funded with 0.01 ETH
	coded      *ecdsa.PrivateKey // has code in genesis
	state      *chainstate.State
	duties     *fakeDuties
	collateral *fakeCollateral
	dir        string
	store      *store.Store
	committer  *ecdsa.PrivateKey
	clock      *testClock
	reg        *prometheus.Registry
	cfg        Config
	eng        *Engine
	// blockGasLimit, when set, is the simulated chain's block gas limit.
	blockGasLimit uint64
	// l2 are the rollups' account readers, by chain id.
	l2 map[uint64]*fakeL2
	// posterKey is the operator's batch poster (funded on L1); deployer
	// deploys the Inbox at inbox (its first creation).
	posterKey, deployer *ecdsa.PrivateKey
	inbox               common.Address
	// poster, when set, is given to every engine the harness builds;
	// wantPoster builds a real one over the simulated L1.
	poster     Poster
	wantPoster bool
	// alloc holds accounts added to the genesis (withAlloc).
	alloc types.GenesisAlloc
}

type harnessOpt func(*harness)

func withConfig(f func(*Config)) harnessOpt { return func(h *harness) { f(&h.cfg) } }

func withBlockGasLimit(n uint64) harnessOpt { return func(h *harness) { h.blockGasLimit = n } }

// withAlloc adds accounts to the simulated chain's genesis.
func withAlloc(a types.GenesisAlloc) harnessOpt { return func(h *harness) { h.alloc = a } }

// withPoster gives the engine a real batch poster over the simulated L1, so
// the rollups are offered.
func withPoster() harnessOpt { return func(h *harness) { h.wantPoster = true } }

// withInboxPoster points every rollup at inbox and gives the engine p.
func withInboxPoster(inbox common.Address, p Poster) harnessOpt {
	return func(h *harness) {
		h.inbox, h.poster = inbox, p
		for id, r := range h.cfg.Rollups {
			r.Inbox = inbox
			h.cfg.Rollups[id] = r
		}
	}
}

// Rollup chain ids of the harness.
const (
	rollupA = 777
	rollupB = 888
)

// fakeL2 is a rollup's account state as its L2 RPC would answer.
type fakeL2 struct {
	mu       sync.Mutex
	accounts map[common.Address]chainstate.Account
	err      error
}

func (f *fakeL2) Account(_ context.Context, a common.Address) (chainstate.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return chainstate.Account{}, f.err
	}
	acc, ok := f.accounts[a]
	if !ok {
		return chainstate.Account{Balance: new(big.Int)}, nil
	}
	acc.Balance = new(big.Int).Set(acc.Balance)
	return acc, nil
}

func (f *fakeL2) set(a common.Address, nonce uint64, balance *big.Int) {
	f.mu.Lock()
	f.accounts[a] = chainstate.Account{Nonce: nonce, Balance: balance}
	f.mu.Unlock()
}

// simChainID is the simulated backend's chain id.
const simChainID = 1337

func newHarness(t testing.TB, nUsers int, opts ...harnessOpt) *harness {
	t.Helper()
	h := &harness{t: t, clock: &testClock{}, collateral: &fakeCollateral{v: new(big.Int).Mul(big.NewInt(1000), ether)},
		posterKey: mustKey(t), deployer: mustKey(t)}
	h.inbox = crypto.CreateAddress(addr(h.deployer), 0)
	h.l2 = map[uint64]*fakeL2{
		rollupA: {accounts: map[common.Address]chainstate.Account{}},
		rollupB: {accounts: map[common.Address]chainstate.Account{}},
	}
	l2Pricing := Pricing{MinPriorityFee: big.NewInt(params.GWei / 100), FeeSlope: new(big.Int)}
	h.cfg = Config{
		L1ChainID:        simChainID,
		Slasher:          slasher,
		Operator:         operator,
		GasBudgetPerSlot: 10_000_000,
		MaxBlobsPerSlot:  6,
		Pricing:          Pricing{MinPriorityFee: gwei, FeeSlope: new(big.Int).Div(gwei, big.NewInt(10))},
		Slash:            SlashPolicy{Base: new(big.Int).Div(ether, big.NewInt(100)), MaxCostBps: 0, Cap: ether},
		SlashWindow:      64,
		Rollups: map[uint64]Rollup{
			rollupA: {Name: "demo-a", Inbox: h.inbox, State: h.l2[rollupA], GasBudgetPerSlot: 5_000_000, BytesPerSlot: 32 << 10, Pricing: l2Pricing},
			rollupB: {Name: "demo-b", Inbox: h.inbox, State: h.l2[rollupB], GasBudgetPerSlot: 5_000_000, BytesPerSlot: 32 << 10, Pricing: l2Pricing},
		},
	}
	for _, o := range opts {
		o(h)
	}
	alloc := types.GenesisAlloc{}
	rich := new(big.Int).Mul(big.NewInt(1000), ether)
	for range nUsers {
		k := mustKey(t)
		h.users = append(h.users, k)
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: rich}
		for _, l2 := range h.l2 {
			l2.set(addr(k), 0, rich)
		}
	}
	maps.Copy(alloc, h.alloc)
	alloc[addr(h.posterKey)] = types.Account{Balance: rich}
	alloc[addr(h.deployer)] = types.Account{Balance: rich}
	h.poor, h.coded = mustKey(t), mustKey(t)
	alloc[crypto.PubkeyToAddress(h.poor.PublicKey)] = types.Account{Balance: new(big.Int).Div(ether, big.NewInt(100))}
	alloc[crypto.PubkeyToAddress(h.coded.PublicKey)] = types.Account{Balance: rich, Code: []byte{0x60, 0x00, 0x60, 0x00, 0xf3}}
	var bopts []func(*node.Config, *ethconfig.Config)
	if h.blockGasLimit > 0 {
		bopts = append(bopts, simulated.WithBlockGasLimit(h.blockGasLimit))
	}
	h.backend = simulated.NewBackend(alloc, bopts...)
	t.Cleanup(func() { _ = h.backend.Close() })
	h.client = h.backend.Client()
	h.backend.Commit()
	ctx := context.Background()
	id, err := h.client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.chainID = id.Uint64(); h.chainID != simChainID {
		t.Fatalf("simulated chain id %d, want %d", h.chainID, simChainID)
	}
	if h.state, err = chainstate.New(h.client, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	head, err := h.state.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clock := duties.Clock{
		Genesis:       time.Unix(int64(head.Time), 0).Add(-headSlot*12*time.Second - 500*time.Millisecond),
		SlotDuration:  12 * time.Second,
		SlotsPerEpoch: 32,
	}
	// Wall clock: 1 s into slot 101, so slot 102 is open until 8 s into 101.
	h.clock.set(clock.SlotStart(headSlot + 1).Add(time.Second))
	h.duties = &fakeDuties{clock: clock, lo: headSlot, hi: headSlot + 64, notOurs: map[uint64]bool{headSlot + 5: true}}
	h.committer = mustKey(t)
	if h.wantPoster {
		p, err := rollup.NewPoster(rollup.PosterConfig{L1ChainID: simChainID, Inbox: h.inbox}, h.posterKey, h.client, h.state, h.duties, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		h.poster = p
	}
	h.dir = t.TempDir()
	h.openStore()
	h.eng = h.newEngine()
	return h
}

func (h *harness) openStore() {
	h.t.Helper()
	s, err := store.Open(h.dir)
	if err != nil {
		h.t.Fatal(err)
	}
	h.store = s
	h.t.Cleanup(func() { _ = s.Close() })
}

func (h *harness) newEngine() *Engine {
	h.t.Helper()
	h.reg = prometheus.NewRegistry()
	opts := []Option{WithNow(h.clock.now), WithRegisterer(h.reg)}
	if h.poster != nil {
		opts = append(opts, WithPoster(h.poster))
	}
	e, err := New(h.cfg, h.duties, h.state, h.collateral, h.store, NewKeySigner(h.committer), zerolog.Nop(), opts...)
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// txOpts shape a test transaction; zero fields take defaults that pass.
type txOpts struct {
	chainID *big.Int
	feeCap  *big.Int
	tip     *big.Int
	gas     uint64
	value   *big.Int
	to      common.Address
}

// tx signs a dynamic-fee transfer and returns its network encoding.
func (h *harness) tx(k *ecdsa.PrivateKey, nonce uint64, o txOpts) []byte {
	h.t.Helper()
	if o.chainID == nil {
		o.chainID = new(big.Int).SetUint64(h.chainID)
	}
	if o.feeCap == nil {
		o.feeCap = new(big.Int).Mul(big.NewInt(100), gwei)
	}
	if o.tip == nil {
		o.tip = new(big.Int).Mul(big.NewInt(3), gwei)
	}
	if o.gas == 0 {
		o.gas = 21_000
	}
	if o.value == nil {
		o.value = big.NewInt(1)
	}
	if o.to == (common.Address{}) {
		o.to = common.Address{0x42}
	}
	tx := types.MustSignNewTx(k, types.LatestSignerForChainID(o.chainID), &types.DynamicFeeTx{
		ChainID: o.chainID, Nonce: nonce, GasTipCap: o.tip, GasFeeCap: o.feeCap, Gas: o.gas, To: &o.to, Value: o.value,
	})
	raw, err := tx.MarshalBinary()
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

// req wraps raw txs for slot into a commitment request.
func (h *harness) req(ctype, slot uint64, raws ...[]byte) protocol.CommitmentRequest {
	h.t.Helper()
	pl, err := protocol.EncodeRequestPayload(ctype, slot, raws)
	if err != nil {
		h.t.Fatal(err)
	}
	return protocol.CommitmentRequest{CommitmentType: ctype, Payload: pl, Slasher: slasher}
}

// l1 is a type-1 request for one tx.
func (h *harness) l1(slot uint64, raw []byte) protocol.CommitmentRequest {
	return h.req(protocol.TypeL1Inclusion, slot, raw)
}

// mustAccept requests and fails the test unless a valid promise comes back.
func (h *harness) mustAccept(r protocol.CommitmentRequest) *protocol.SignedCommitment {
	h.t.Helper()
	sc, err := h.eng.Request(context.Background(), r)
	if err != nil {
		h.t.Fatalf("request refused: %v", err)
	}
	if _, err := sc.Verify(h.chainID, addr(h.committer)); err != nil {
		h.t.Fatalf("promise does not verify: %v", err)
	}
	return sc
}

// sendOnChain mines a tx outside the sidecar, as a user spending a nonce elsewhere.
func (h *harness) sendOnChain(raw []byte) {
	h.t.Helper()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		h.t.Fatal(err)
	}
	if err := h.client.SendTransaction(context.Background(), tx); err != nil {
		h.t.Fatal(err)
	}
	h.backend.Commit()
	if _, err := h.state.Refresh(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

// stored reads every record in the store.
func (h *harness) stored() []*store.Record {
	h.t.Helper()
	var out []*store.Record
	if err := h.store.Range(0, ^uint64(0), func(r *store.Record) error { out = append(out, r); return nil }); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

// counterValue reads a counter's value.
func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}
