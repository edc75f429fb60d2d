package admission

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// A slot the Registry would not back (exit, rotation, revocation, past the
// lookahead) is refused before anything is reserved, is not quoted, and is
// not offered by `slots`.
func TestNotBackedIsRefused(t *testing.T) {
	h := newHarness(t, 1)
	h.collateral.refuse(headSlot+3, "operator exiting, exit slot 103")
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+3, h.tx(h.users[0], 0, txOpts{})))
	wantErr(t, err, ErrNotBacked)
	if !strings.Contains(err.Error(), "exit slot 103") {
		t.Fatalf("error %q does not say why", err)
	}
	h.assertNothingReserved(headSlot + 3)
	if _, err := h.eng.Quote(context.Background(), h.l1(headSlot+3, h.tx(h.users[0], 0, txOpts{}))); !errors.Is(err, ErrNotBacked) {
		t.Fatalf("Quote: %v, want ErrNotBacked", err)
	}
	res, err := h.eng.Slots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Slots {
		if s.Slot == headSlot+3 {
			t.Fatal("a slot the registry does not back is offered")
		}
	}
	if len(res.Slots) == 0 {
		t.Fatal("no slot offered at all")
	}
	if got := counterValue(h.eng.metrics.requests.WithLabelValues("not_backed")); got != 1 {
		t.Fatalf("not_backed requests counted %v, want 1", got)
	}
	// The next slot is backed: the same tx is promised there.
	h.mustAccept(h.l1(headSlot+4, h.tx(h.users[0], 0, txOpts{})))

	// A registry that cannot be read: unavailable, not "not backed".
	h.collateral.mu.Lock()
	h.collateral.err = errors.New("node down")
	h.collateral.mu.Unlock()
	if _, err := h.eng.Slots(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Slots with the registry down: %v, want ErrUnavailable", err)
	}
}

// gatedStore holds every Put until released.
type gatedStore struct {
	Store
	gate    chan struct{}
	waiting chan struct{}
	once    sync.Once
}

func (g *gatedStore) Put(rec *store.Record) error {
	g.once.Do(func() { close(g.waiting) })
	<-g.gate
	return g.Store.Put(rec)
}

// SealThrough closes the slots to new promises and waits for the ones being
// persisted: the ledger built after it holds every promise of the slot.
func TestSealThroughWaitsForPromisesInFlight(t *testing.T) {
	h := newHarness(t, 2)
	ctx := context.Background()
	gs := &gatedStore{Store: h.eng.store, gate: make(chan struct{}), waiting: make(chan struct{})}
	h.eng.store = gs
	slot := uint64(headSlot + 2)
	done := make(chan error, 1)
	go func() {
		_, err := h.eng.Request(ctx, h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
		done <- err
	}()
	<-gs.waiting // reserved, persisting

	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := h.eng.SealThrough(short, slot); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SealThrough with a promise persisting: %v, want it to wait", err)
	}
	sealed := make(chan error, 1)
	go func() { sealed <- h.eng.SealThrough(ctx, slot) }()
	close(gs.gate)
	if err := <-done; err != nil {
		t.Fatalf("the request in flight failed: %v", err)
	}
	if err := <-sealed; err != nil {
		t.Fatal(err)
	}
	leaves, err := h.eng.LedgerLeaves(ctx, slot)
	if err != nil || len(leaves) != 1 {
		t.Fatalf("LedgerLeaves = %d leaves, %v; want the promise persisted while sealing", len(leaves), err)
	}
	// Sealed: a new request is refused though the clock says the deadline
	// has not passed; the promise made is still replayed.
	_, err = h.eng.Request(ctx, h.l1(slot, h.tx(h.users[1], 0, txOpts{})))
	wantErr(t, err, ErrDeadlinePassed)
	h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
	h.mustAccept(h.l1(slot+1, h.tx(h.users[1], 0, txOpts{}))) // a later slot is open
}

// A slot's ledger lists every promise ever signed for it, the dropped ones
// included, each by its digest and slash amount.
func TestLedgerLeavesListEverySignedPromise(t *testing.T) {
	h := newHarness(t, 2)
	ctx := context.Background()
	slot := uint64(headSlot + 2)
	kept := h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
	dropped := h.mustAccept(h.l1(slot, h.tx(h.users[1], 0, txOpts{})))
	// The second user spends its nonce elsewhere: the promise leaves the
	// template, but it was signed.
	h.sendOnChain(h.tx(h.users[1], 0, txOpts{value: big.NewInt(5)}))
	if err := h.eng.OnHead(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(h.eng.Template(slot)); n != 1 {
		t.Fatalf("template holds %d promises, want the dropped one out", n)
	}
	if got, _ := h.eng.PromisedSlots(0, slot+10); !slices.Equal(got, []uint64{slot}) {
		t.Fatalf("PromisedSlots = %v, want [%d]", got, slot)
	}
	leaves, err := h.eng.LedgerLeaves(ctx, slot)
	if err != nil {
		t.Fatal(err)
	}
	var want []protocol.LedgerLeaf
	for _, sc := range []*protocol.SignedCommitment{kept, dropped} {
		p, err := sc.Open(h.chainID)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, protocol.LedgerLeaf{Digest: p.Digest(h.eng.domain), Amount: p.SlashAmount})
	}
	if len(leaves) != 2 {
		t.Fatalf("%d leaves, want both promises", len(leaves))
	}
	for _, w := range want {
		if !slices.ContainsFunc(leaves, func(l protocol.LedgerLeaf) bool { return l.Digest == w.Digest && l.Amount.Cmp(w.Amount) == 0 }) {
			t.Fatalf("leaf %s missing from %v", w.Digest, leaves)
		}
	}
	if other, err := h.eng.LedgerLeaves(ctx, slot+1); err != nil || other != nil {
		t.Fatalf("a slot with no promise: %v, %v", other, err)
	}
}

// The exposure of a slot whose ledger still reserves collateral on-chain is
// kept past the slash window until the ledger is released.
func TestPruneBeforeKeepsUnreleasedLedgers(t *testing.T) {
	h := newHarness(t, 2, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	ctx := context.Background()
	h.collateral.set(new(big.Int).Div(ether, big.NewInt(100)))
	h.mustAccept(h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 5).Add(time.Second)) // past the window
	if n, err := h.eng.PruneBefore(ctx, headSlot+2); err != nil || n != 0 {
		t.Fatalf("PruneBefore the unreleased slot = %d, %v; want nothing pruned", n, err)
	}
	_, err := h.eng.Request(ctx, h.l1(headSlot+9, h.tx(h.users[1], 0, txOpts{})))
	wantErr(t, err, ErrExposure)
	if n, err := h.eng.PruneBefore(ctx, headSlot+3); err != nil || n != 1 {
		t.Fatalf("PruneBefore past the released slot = %d, %v; want 1", n, err)
	}
	h.mustAccept(h.l1(headSlot+9, h.tx(h.users[1], 0, txOpts{})))
}

// The Inbox records at most MaxTxsPerSlot L2 txs per rollup and slot for
// one poster (a post past it reverts whole): admission never promises more.
func TestL2TxsPerSlotCapped(t *testing.T) {
	h := newHarness(t, 1, withPoster())
	slot := uint64(headSlot + 2)
	full := &template{l2: map[uint64]*l2Use{rollupA: {gas: 21_000, bytes: 100, txs: rollup.MaxTxsPerSlot}}}
	one := &entry{entryBody: &entryBody{l2: map[uint64]*l2Use{rollupA: {gas: 21_000, bytes: 100, txs: 1}}}}
	if err := h.eng.checkL2(slot, full, one); !errors.Is(err, ErrSlotFull) {
		t.Fatalf("one L2 tx past the Inbox's cap: %v, want ErrSlotFull", err)
	}
	full.l2[rollupA].txs--
	if err := h.eng.checkL2(slot, full, one); err != nil {
		t.Fatalf("the last L2 tx under the cap: %v", err)
	}
}

// A slot sells at most MaxPromisesPerSlot promises: its ledger lists them
// all in one Registry transaction.
func TestPromisesPerSlotCapped(t *testing.T) {
	h := newHarness(t, 1)
	slot := uint64(headSlot + 2)
	h.eng.mu.Lock()
	h.eng.template(slot).promises = MaxPromisesPerSlot
	h.eng.mu.Unlock()
	_, err := h.eng.Request(context.Background(), h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
	wantErr(t, err, ErrSlotFull)
	if !strings.Contains(err.Error(), "ledger") {
		t.Fatalf("error %q does not say why", err)
	}
	h.eng.mu.Lock()
	h.eng.template(slot).promises = MaxPromisesPerSlot - 1
	h.eng.mu.Unlock()
	h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
	h.eng.mu.Lock()
	n := h.eng.template(slot).promises
	h.eng.mu.Unlock()
	if n != MaxPromisesPerSlot {
		t.Fatalf("%d promises counted, want %d", n, MaxPromisesPerSlot)
	}
}
