package admission

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

type failPut struct {
	Store
	fail bool
}

func (f *failPut) Put(r *store.Record) error {
	if f.fail {
		f.fail = false
		return errors.New("disk hiccup")
	}
	return f.Store.Put(r)
}

// TestFailedRepromiseKeepsNonceSold: the same missed tx promised again for
// a later slot, with that persist failing, must not forget the first
// promise's nonce: a different tx for it is a conflict (§9.4), never signed.
func TestFailedRepromiseKeepsNonceSold(t *testing.T) {
	h := newHarness(t, 1)
	u := h.users[0]
	m := h.tx(u, 0, txOpts{})
	h.mustAccept(h.l1(headSlot+2, m))
	h.headTo(headSlot + 2) // block 102 lacks m; entry of 102 untrimmed (slot == head slot)
	fp := &failPut{Store: h.eng.store, fail: true}
	h.eng.store = fp
	if _, err := h.eng.Request(context.Background(), h.l1(headSlot+4, m)); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("re-promise with the store failing: %v, want ErrUnavailable", err)
	}
	m2 := h.tx(u, 0, txOpts{value: big.NewInt(2)})
	sc, err := h.eng.Request(context.Background(), h.l1(headSlot+6, m2))
	if err == nil {
		t.Fatalf("equivocation: nonce 0 promised to %s (slot %d) and to %s (slot %d), request %s", txHash(t, m), headSlot+2, txHash(t, m2), headSlot+6, sc.Commitment.RequestHash)
	}
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("another tx for the sold nonce: %v, want ErrConflict", err)
	}
}

// TestCarryNeverBelowALowerNonce: a bundle dropped for its other sender's
// reason leaves a hole in A's chain above A's live nonce 0 in the same slot;
// carrying the hole to the top of that slot would put nonce 1 before 0, so
// the txs above the hole are dropped instead and the top stays in order.
func TestCarryNeverBelowALowerNonce(t *testing.T) {
	h := newHarness(t, 2)
	a, b := h.users[0], h.users[1]
	a0, a1, a2 := h.tx(a, 0, txOpts{}), h.tx(a, 1, txOpts{}), h.tx(a, 2, txOpts{})
	b0 := h.tx(b, 0, txOpts{})
	h.mustAccept(h.l1(headSlot+2, a0))
	h.mustAccept(h.req(protocol.TypeBundle, headSlot+2, b0, a1))
	a2req := h.mustAccept(h.l1(headSlot+2, a2)).Commitment.RequestHash
	// B spends nonce 0 elsewhere: the bundle is dropped (nonce_used).
	h.sendOnChain(h.tx(b, 0, txOpts{value: big.NewInt(7)}))
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := h.eng.TopOfBlock(headSlot + 2)
	var nonces []uint64
	for _, raw := range got {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			t.Fatal(err)
		}
		nonces = append(nonces, tx.Nonce())
	}
	if !slices.Equal(nonces, []uint64{0}) {
		t.Fatalf("top of slot %d holds A's nonces %v, want [0]: nonce 1 left with the bundle, nonce 2 cannot follow", headSlot+2, nonces)
	}
	if reason, ok := h.eng.DroppedReason(a2req); !ok || !strings.Contains(reason, "not carried") {
		t.Fatalf("nonce 2's promise: dropped %v, reason %q; want dropped as not carried", ok, reason)
	}
}

// TestCarryRightAfterLoad: the service re-checks right after Load (see
// sidecar/service.go); the engine's Load plus that OnHead give the carry
// before any new head arrives.
func TestCarryRightAfterLoad(t *testing.T) {
	h := newHarness(t, 1)
	p, p2, _ := missedSetup(t, h, txOpts{}, headSlot+4)
	wantTxs(t, "before restart", h.eng.TopOfBlock(headSlot+4), p, p2)
	h.eng = h.newEngine()
	if err := h.eng.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.OnHead(context.Background()); err != nil { // the same head again, as the service does
		t.Fatal(err)
	}
	wantTxs(t, "after Load and the re-check of the same head", h.eng.TopOfBlock(headSlot+4), p, p2)
}

// TestRepromisedCarriedTxLeavesTheCarry: a carried tx promised again for an
// earlier slot than the one it was carried into is in that earlier slot's
// top of block only, at once (not at the next head): in both, the later
// block would open with a nonce already used.
func TestRepromisedCarriedTxLeavesTheCarry(t *testing.T) {
	h := newHarness(t, 1)
	p, p2, _ := missedSetup(t, h, txOpts{}, headSlot+6)
	wantTxs(t, "slot 106 before", h.eng.TopOfBlock(headSlot+6), p, p2)
	h.mustAccept(h.l1(headSlot+4, p))
	wantTxs(t, "slot 104", h.eng.TopOfBlock(headSlot+4), p)
	wantTxs(t, "slot 106 after p is promised for 104", h.eng.TopOfBlock(headSlot+6), p2)
	h.eng.mu.Lock()
	cg := h.eng.templates[headSlot+6].carriedGas
	h.eng.mu.Unlock()
	if cg != 0 {
		t.Fatalf("slot 106 still counts %d carried gas", cg)
	}
	// The next head finds p promised for 104 and nothing to carry.
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantTxs(t, "slot 106 at the next head", h.eng.TopOfBlock(headSlot+6), p2)
}

// failRange fails every store range scan once armed.
type failRange struct {
	Store
	fail bool
}

func (f *failRange) Range(from, to uint64, fn func(*store.Record) error) error {
	if f.fail {
		return errors.New("disk read error")
	}
	return f.Store.Range(from, to, fn)
}

// TestCarryStoreUnreadableDrops: when a trimmed missed promise cannot be
// read back from the store, its followers are dropped (with the reason)
// rather than left at the top of their block without it, where no block
// could be built on them and every promise of the slot would break.
func TestCarryStoreUnreadableDrops(t *testing.T) {
	h := newHarness(t, 1)
	p, p2, p2Hash := missedSetup(t, h, txOpts{}, headSlot+4)
	wantTxs(t, "slot 104", h.eng.TopOfBlock(headSlot+4), p, p2)
	h.headTo(headSlot + 3) // slot 102 is trimmed: p lives in the store only
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantTxs(t, "slot 104, p trimmed", h.eng.TopOfBlock(headSlot+4), p, p2)
	h.eng.store = &failRange{Store: h.eng.store, fail: true}
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.eng.TopOfBlock(headSlot + 4); len(got) != 0 {
		t.Fatalf("slot 104 holds %d txs with p unreadable, want none", len(got))
	}
	if reason, dropped := h.eng.DroppedReason(p2Hash); !dropped || !strings.Contains(reason, "could not be read from the store") {
		t.Fatalf("p2: dropped %v, reason %q; want dropped because p could not be read", dropped, reason)
	}
}
