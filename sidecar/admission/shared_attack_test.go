package admission

import (
	"context"
	"testing"
	"time"
)

// Reviews of several sidecars on one PostgreSQL store as an attacker would
// probe them. As in shared_test.go the engines do not Sync unless a test
// says so, which is the state of any sidecar within the sync delay of
// another's promise.

// §3.5: a type-4 transaction may not carry an authorization for a sender
// that has promises, and a sender that a promised authorization touches
// gets no promise while it is pending. The engine checks both against its
// own templates only; across sidecars the store must decide it.
//
// The harm, in one slot: sidecar 0 promises b's type-4 tx authorizing c
// (authorization nonce 0); sidecar 1 then promises c's own nonce-0 tx. The
// block opens with the promises in store order, so the authorization runs
// first and spends c's nonce 0: c's promise breaks, and it is slashable
// (c had no code and nonce 0 at the parent block, §9.1), a fault the
// operator sold itself.
func TestAttackSharedAuthorityThenSender(t *testing.T) {
	h := newHarness(t, 3)
	s := newSidecars(t, h, 2)
	b, c := h.users[1], h.users[2]
	slot := uint64(headSlot + 2)
	ctx := context.Background()
	if _, err := s.engs[0].Request(ctx, h.l1(slot, h.setCodeTx(b, 0, c, 0))); err != nil {
		t.Fatal(err)
	}
	_, err := s.engs[1].Request(ctx, h.l1(slot, h.tx(c, 0, txOpts{})))
	wantErr(t, err, ErrSenderHasCode)
}

// The other order: sidecar 0 promises a's nonce-0 tx for a later slot,
// then sidecar 1 promises, for an earlier slot, b's type-4 tx authorizing
// a at nonce 0. That block spends a's nonce 0 and gives a code, so a's
// promise can never be kept.
func TestAttackSharedSenderThenAuthority(t *testing.T) {
	h := newHarness(t, 2)
	s := newSidecars(t, h, 2)
	a, b := h.users[0], h.users[1]
	slot := uint64(headSlot + 2)
	ctx := context.Background()
	if _, err := s.engs[0].Request(ctx, h.l1(slot+1, h.tx(a, 0, txOpts{}))); err != nil {
		t.Fatal(err)
	}
	_, err := s.engs[1].Request(ctx, h.l1(slot, h.setCodeTx(b, 0, a, 0)))
	wantErr(t, err, ErrConflict)
}

// At a slot's commitment deadline a sidecar signs its constraints, and its
// builder proxy later checks bids and builds the fallback block, from
// TopOfBlock (constraints.Sender freezes what it signed). Every promise
// the store holds for the slot goes into the slot's ledger (LedgerLeaves
// reads the store after the seal), so every one must be in that top of
// block too: one sold by the other sidecar moments before the deadline and
// not yet read by Follow would be in the ledger and in no block — broken
// and slashable — and the relay, sent two different constraint lists for
// one slot, concatenates them into a list no block can satisfy.
func TestAttackSharedDeadlineTopOfBlockHasOtherSidecarsPromises(t *testing.T) {
	h := newHarness(t, 1)
	s := newSidecars(t, h, 2)
	slot := uint64(headSlot + 2)
	if _, err := s.engs[0].Request(context.Background(), h.l1(slot, h.tx(h.users[0], 0, txOpts{}))); err != nil {
		t.Fatal(err)
	}
	// The deadline of slot passes; sidecar 1 dispatches its constraints.
	c := h.duties.Clock()
	h.clock.set(deadline(c, slot, h.cfg.DeadlineFraction).Add(time.Millisecond))
	if got := s.engs[1].TopOfBlock(slot); len(got) != 1 {
		t.Fatalf("sidecar 1's top of block at the deadline holds %d transactions; the store (and so the ledger) holds 1 promise for the slot", len(got))
	}
}
