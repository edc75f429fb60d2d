package contracts_test

import (
	"context"
	"encoding/binary"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// The attacks of issue #11 and of the review of the ledger draft, one test
// each, named in docs/protocol.md §9.8. Each failed against the contracts it
// was found on; the comment says what it did there.

// ownClaim commits a claim naming beneficiary for sp from account i (the
// attacker's own), and seals a block so a slash can name it.
func (e *slEnv) ownClaim(i int, beneficiary common.Address, sp slashing.SignedPromise) slashing.Claim {
	e.t.Helper()
	c, err := slashing.NewClaim(beneficiary)
	if err != nil {
		e.t.Fatal(err)
	}
	e.c.CommitClaim(e.k, i, c.Hash(sp.Promise.Digest(e.dom)))
	e.c.Commit()
	return c
}

// safetyEv builds the safety evidence of sp's inclusion 0.
func (e *slEnv) safetyEv(sp slashing.SignedPromise, known ...slashing.SignedPromise) *slashing.SafetyEvidence {
	e.t.Helper()
	ev, err := e.b.Safety(context.Background(), sp, 0, known)
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

// wealth is what the operator owns: its account, its committer's and its
// collateral (what it gets back at withdraw).
func (e *slEnv) wealth(extra ...common.Address) *big.Int {
	e.t.Helper()
	w := new(big.Int).Add(e.balance(e.op.Addr), e.collateral())
	w.Add(w, e.balance(crypto.PubkeyToAddress(e.op.Committer.PublicKey)))
	for _, a := range extra {
		w.Add(w, e.balance(a))
	}
	return w
}

// regRevert names the Registry custom error carried by a failed call.
func (e *slEnv) regRevert(err error) string {
	e.t.Helper()
	a, _ := bindings.RegistryMetaData.GetAbi()
	return revertName(e.t, err, a)
}

// Row 1. Before: the committer signed a promise for a past slot naming an idle
// account of the operator, slashAmount = all the collateral, and the operator
// slashed it itself: "operator drained 100 ETH of 100 ETH", and a real victim
// was paid 0 after it. Now the back-dated promise is in no ledger (and none can
// be opened for its slot any more): void, and the victim is paid in full.
func TestAttackSelfSlashDrain(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	victim := e.user(big.NewInt(1e18))
	idle := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	real := e.promise(s, slAmount, incOf(e.l1Tx(victim, 0, highFee)))
	e.advanceTo(s + 1)
	e.ledger(s, real)

	// Long after slot s-1 the operator mints a promise for it, to an idle account
	// of its own, funded all along.
	e.advanceTo(s + e.k.Params.LedgerGrace + 2)
	fake := e.promise(s-1, e.collateral(), incOf(e.l1Tx(idle, 0, highFee)))
	leaves, _ := protocol.NewLedger(e.k.Leaves(e.c, fake.Promise))
	_, err := e.c.SendOpenLedger(e.k, e.op.Committer, e.op.Addr, s-1, e.op.Poster, leaves.Pack())
	if got := e.regRevert(err); got != "LedgerTooLate" {
		t.Fatalf("ledger for a slot past its grace: %s, want LedgerTooLate", got)
	}
	ev := e.safetyEv(fake)
	if err := e.judge.Safety(ctx, fake, ev); !errors.Is(err, slashing.ErrNotInLedger) {
		t.Fatalf("judge: %v, want ErrNotInLedger", err)
	}
	claim := e.ownClaim(slOperator, e.op.Addr, fake)
	before := e.wealth(crypto.PubkeyToAddress(idle.PublicKey))
	if _, rev := e.safetyWith(fake, ev, claim); rev != "NotInLedger" {
		t.Fatalf("self-slash of a back-dated promise: %q, want NotInLedger", rev)
	}
	if e.collateral().Cmp(slCollateral) != 0 {
		t.Fatalf("collateral %s after the self-slash, want %s", e.collateral(), slCollateral)
	}
	if after := e.wealth(crypto.PubkeyToAddress(idle.PublicKey)); after.Cmp(before) > 0 {
		t.Fatalf("the operator gained %s", new(big.Int).Sub(after, before))
	}

	// The real victim is paid its full share.
	addr := crypto.PubkeyToAddress(victim.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.safety(real, e.safetyEv(real))
	if rev != "" {
		t.Fatalf("victim's slash: %s", rev)
	}
	e.checkPayout(r, slAmount, addr, ub, cb)
}

// Row 11 and §9.7 rule 2. A dishonest operator can put fakes naming its own
// accounts in its own ledger (reserving its own collateral for them) and slash
// them to get collateral back before its exit delay: each costs it the burn
// share, and the victims' leaves in the same ledger stay whole.
func TestAttackFakeLeaves(t *testing.T) {
	e := newSlEnv(t)
	victim := e.user(big.NewInt(1e18))
	own := e.user(big.NewInt(1e18))
	ownAddr := crypto.PubkeyToAddress(own.PublicKey)
	s := e.c.Slot() + 2
	real := e.promise(s, big.NewInt(5e18), incOf(e.l1Tx(victim, 0, highFee)))
	// The fake reserves everything the victim's leaf does not.
	fakeAmount := new(big.Int).Sub(slCollateral, big.NewInt(5e18))
	fake := e.promise(s, fakeAmount, incOf(e.l1Tx(own, 0, highFee)))
	e.advanceTo(s + 1)
	e.ledger(s, real, fake)
	if e.free().Sign() != 0 {
		t.Fatalf("free collateral %s, want 0", e.free())
	}

	claim := e.ownClaim(slOperator, e.op.Addr, fake)
	before := e.wealth(ownAddr)
	r, rev := e.safetyWith(fake, e.safetyEv(fake), claim)
	if rev != "" {
		t.Fatalf("self-slash of a fake leaf: %s", rev)
	}
	_, burnt, _ := e.judge.Split(fakeAmount)
	gas := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	lost := new(big.Int).Sub(before, e.wealth(ownAddr))
	// The watcher account paid the gas of this call, not the operator: what the
	// operator lost is the burn, and at least the burn.
	if lost.Cmp(burnt) < 0 {
		t.Fatalf("self-slash of %s cost the operator %s, less than the burn %s (gas %s)", fakeAmount, lost, burnt, gas)
	}
	if l := e.c.LedgerOf(e.k, e.op, s); l.Left.Cmp(big.NewInt(5e18)) != 0 {
		t.Fatalf("ledger left %s, want the victim's 5 ETH", l.Left)
	}
	addr := crypto.PubkeyToAddress(victim.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	rr, rev := e.safety(real, e.safetyEv(real))
	if rev != "" {
		t.Fatalf("victim's slash: %s", rev)
	}
	e.checkPayout(rr, big.NewInt(5e18), addr, ub, cb)
}

// Row 2. Before: the sidecar and the contracts ignored the exit, the operator
// withdrew at slot 68 with a promise for slot 66 whose window ran to 98, and
// the slash after the withdrawal paid 0. Now the exit slot is rotationDelay
// ahead, no ledger (so no promise) binds from it on, and withdraw waits until
// every window closed.
func TestAttackExitEscape(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	victim := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sold := e.promise(s, slAmount, incOf(e.l1Tx(victim, 0, highFee)))
	e.advanceTo(s)
	e.c.Mine(e.k.Registry.Unregister(e.c.Opts(slOperator)))
	st, err := e.k.Registry.Status(&bind.CallOpts{}, e.op.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if st.ExitSlot <= s || st.ExitSlot != e.c.Slot()+e.k.Params.RotationDelay {
		t.Fatalf("exit slot %d: the promise for %d (sold before) must stay before it", st.ExitSlot, s)
	}
	// The promise sold before the exit still gets its ledger.
	e.ledger(s, sold)
	if got, _ := e.k.Registry.CommitterAt(&bind.CallOpts{}, e.op.Addr, st.ExitSlot); got != (common.Address{}) {
		t.Fatalf("committerAt(exit slot) = %s, want none", got)
	}
	late := e.promise(st.ExitSlot, slAmount, incOf(e.l1Tx(e.user(big.NewInt(1e18)), 0, highFee)))
	e.advanceTo(st.ExitSlot)
	lg, _ := protocol.NewLedger(e.k.Leaves(e.c, late.Promise))
	_, err = e.c.SendOpenLedger(e.k, e.op.Committer, e.op.Addr, st.ExitSlot, e.op.Poster, lg.Pack())
	if got := e.regRevert(err); got != "LedgerAfterExit" {
		t.Fatalf("ledger for the exit slot: %s, want LedgerAfterExit", got)
	}
	_, err = e.k.Registry.Withdraw(e.c.Opts(slOperator))
	if got := e.regRevert(err); got != "DelayNotOver" {
		t.Fatalf("withdraw during the windows: %s, want DelayNotOver", got)
	}
	// The victim of the promise sold before the exit is paid, late in its window.
	e.advanceTo(s + e.k.Params.SlashWindow - 5)
	addr := crypto.PubkeyToAddress(victim.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.safety(sold, e.safetyEv(sold))
	if rev != "" {
		t.Fatalf("victim's slash while exiting: %s", rev)
	}
	e.checkPayout(r, slAmount, addr, ub, cb)
	if err := e.judge.Safety(ctx, late, e.safetyEv(late)); !errors.Is(err, slashing.ErrNotInLedger) {
		t.Fatalf("judge on the exit slot's promise: %v, want ErrNotInLedger", err)
	}
	e.advanceTo(st.WithdrawableSlot)
	before := e.balance(e.op.Addr)
	left := e.collateral()
	r = e.c.Mine(e.k.Registry.Withdraw(e.c.Opts(slOperator)))
	gas := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	if got := new(big.Int).Sub(e.balance(e.op.Addr), before); got.Cmp(new(big.Int).Sub(left, gas)) != 0 {
		t.Fatalf("withdraw paid %s, want the %s left", got, left)
	}
}

// Row 3. Before: after setCommitter took effect, the old key still signed
// valid promises for its past slots, for slash window + rotation delay. Now a
// promise binds only as a leaf of its slot's ledger, opened by that slot's
// committer within the grace: the old key cannot back anything later.
func TestAttackRotatedKeyBackdating(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	oldKey := e.op.Committer
	own := e.user(big.NewInt(1e18))
	newKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	r := e.c.Mine(e.k.Registry.SetCommitter(e.c.Opts(slOperator), crypto.PubkeyToAddress(newKey.PublicKey)))
	eff := e.c.Slot() + e.k.Params.RotationDelay
	if r.Status != 1 {
		t.Fatal("setCommitter failed")
	}
	e.advanceTo(eff + e.k.Params.LedgerGrace + 1)
	back := e.promiseBy(oldKey, eff-1, e.collateral(), incOf(e.l1Tx(own, 0, highFee)))
	lg, _ := protocol.NewLedger(e.k.Leaves(e.c, back.Promise))
	_, err = e.c.SendOpenLedger(e.k, oldKey, e.op.Addr, eff-1, e.op.Poster, lg.Pack())
	if got := e.regRevert(err); got != "LedgerTooLate" {
		t.Fatalf("old key's ledger for its last slot, past the grace: %s", got)
	}
	_, err = e.c.SendOpenLedger(e.k, oldKey, e.op.Addr, e.c.Slot(), e.op.Poster, lg.Pack())
	if got := e.regRevert(err); got != "NotCommitter" {
		t.Fatalf("old key's ledger for a current slot: %s", got)
	}
	ev := e.safetyEv(back)
	if err := e.judge.Safety(ctx, back, ev); !errors.Is(err, slashing.ErrNotInLedger) {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.safetyWith(back, ev, e.ownClaim(slOperator, e.op.Addr, back)); rev != "NotInLedger" {
		t.Fatalf("back-dated promise by the rotated-out key: %q", rev)
	}
	if e.collateral().Cmp(slCollateral) != 0 {
		t.Fatal("collateral moved")
	}
}

// Row 4. A thief holding the live committer key. Before: it could sign
// promises over all the collateral until the rotation took effect. Now the
// operator revokes the key at once: it opens no more ledgers and cannot stand
// as an equivocation's second promise, and what it put in ledgers before still
// pays its real holders.
func TestAttackLeakedKeyRevoked(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	thief := e.op.Committer
	victim := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	real := e.promise(s, slAmount, incOf(e.l1Tx(victim, 0, highFee)))
	e.advanceTo(s)
	e.ledger(s, real)
	e.c.Mine(e.k.Registry.RevokeCommitter(e.c.Opts(slOperator), crypto.PubkeyToAddress(thief.PublicKey)))

	// A ledger of fakes for the current slot: refused.
	own := e.user(big.NewInt(1e18))
	fake := e.promiseBy(thief, e.c.Slot(), e.free(), incOf(e.l1Tx(own, 0, highFee)))
	lg, _ := protocol.NewLedger(e.k.Leaves(e.c, fake.Promise))
	_, err := e.c.SendOpenLedger(e.k, thief, e.op.Addr, e.c.Slot(), e.op.Poster, lg.Pack())
	if got := e.regRevert(err); got != "NotCommitter" {
		t.Fatalf("revoked key opens a ledger: %s, want NotCommitter", got)
	}
	// An equivocation against the real (backed) promise, B signed by the revoked key.
	b := e.promiseBy(thief, s+1, big.NewInt(3e18), incOf(e.l1Tx(victim, 0, new(big.Int).Mul(highFee, big.NewInt(2)))))
	ev := &slashing.EquivocationEvidence{A: real, B: b}
	if ev.BackingA, err = e.b.Backing(ctx, real); err != nil || ev.BackingA == nil {
		t.Fatalf("backing: %+v %v", ev.BackingA, err)
	}
	if err := e.judge.Equivocation(ctx, ev); !errors.Is(err, slashing.ErrWrongSigner) {
		t.Fatalf("judge: %v, want ErrWrongSigner", err)
	}
	if _, rev := e.equivocation(ev); rev != "WrongSigner" {
		t.Fatalf("equivocation with a revoked B: %q", rev)
	}
	// The victim's promise, ledgered before the revocation, pays in full.
	e.advanceTo(s + 2)
	addr := crypto.PubkeyToAddress(victim.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.safety(real, e.safetyEv(real))
	if rev != "" {
		t.Fatalf("victim's slash after the revocation: %s", rev)
	}
	e.checkPayout(r, slAmount, addr, ub, cb)
	// A revoked key can never be bound again.
	_, err = e.k.Registry.SetCommitter(e.c.Opts(slOperator), crypto.PubkeyToAddress(thief.PublicKey))
	if got := e.regRevert(err); got != "RevokedCommitter" {
		t.Fatalf("setCommitter(revoked key): %s", got)
	}
}

// Row 12. Found in the ledger draft: an equivocation paid the larger of the two
// slash amounts from A's ledger, so a 1-wei A against a huge B emptied A's
// whole ledger, victims' leaves included. Now A is paid its own amount.
func TestAttackEquivocationDrainsLedger(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	victim := e.user(big.NewInt(1e18))
	own := e.user(nil)
	s := e.c.Slot() + 2
	real := e.promise(s, ether(10), incOf(e.l1Tx(victim, 0, highFee)))
	a := e.promise(s, big.NewInt(1), incOf(e.l1Tx(own, 0, highFee)))
	b := e.promise(s+1, new(big.Int).Mul(slCollateral, big.NewInt(10)), incOf(e.l1Tx(own, 0, new(big.Int).Mul(highFee, big.NewInt(2)))))
	e.advanceTo(s)
	e.ledger(s, real, a)
	ev, err := e.b.Equivocation(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if ev.A.Promise != a.Promise {
		t.Fatalf("the builder pays as %d, want the backed A", ev.A.Promise.Slot)
	}
	if err := e.judge.Equivocation(ctx, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	claim := e.ownClaim(slOperator, e.op.Addr, a)
	cb := e.collateral()
	r, rev := e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashEquivocation(o, e.payload(a), a.Signature, big.NewInt(0), e.payload(b), b.Signature, big.NewInt(0), ev.BackingA.Binding(), claim.Binding())
	})
	if rev != "" {
		t.Fatalf("equivocation: %s", rev)
	}
	if got := e.slashedEvent(r).Taken; got.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("took %s, want A's own 1 wei", got)
	}
	if fell := new(big.Int).Sub(cb, e.collateral()); fell.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("collateral fell by %s", fell)
	}
	e.advanceTo(s + 2)
	addr := crypto.PubkeyToAddress(victim.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	rr, rev := e.safety(real, e.safetyEv(real))
	if rev != "" {
		t.Fatalf("victim's slash: %s", rev)
	}
	e.checkPayout(rr, ether(10), addr, ub, cb)
}

// Row 13. Found in the ledger draft: an equivocation settled B too, so the
// operator signed a 1-wei A against a victim's promise B, paid 1 wei and left
// the victim's promise settled, unpaid. Now B is neither paid nor settled.
func TestAttackEquivocationSettlesVictim(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	victim := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	v := e.promise(s, ether(10), incOf(e.l1Tx(victim, 0, highFee)))
	// A: same sender and nonce, another transaction, 1 wei, in the ledger of the slot before.
	a := e.promise(s-1, big.NewInt(1), incOf(e.l1Tx(victim, 0, new(big.Int).Mul(highFee, big.NewInt(3)))))
	e.advanceTo(s - 1)
	e.ledger(s-1, a)
	e.ledger(s, v)
	ev := &slashing.EquivocationEvidence{A: a, B: v}
	var err error
	if ev.BackingA, err = e.b.Backing(ctx, a); err != nil || ev.BackingA == nil {
		t.Fatalf("backing: %+v %v", ev.BackingA, err)
	}
	if err := e.judge.Equivocation(ctx, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.equivocation(ev); rev != "" {
		t.Fatalf("equivocation: %s", rev)
	}
	if e.settled(v) {
		t.Fatal("the victim's promise was settled by someone else's equivocation")
	}
	e.advanceTo(s + 2)
	addr := crypto.PubkeyToAddress(victim.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.safety(v, e.safetyEv(v))
	if rev != "" {
		t.Fatalf("victim's slash: %s", rev)
	}
	e.checkPayout(r, ether(10), addr, ub, cb)
}

// Row 5. Before: Inbox.post was one record per (rollup, slot) for everyone,
// and ~13,000 junk posts pushed the L2 evidence past the per-transaction gas
// cap. Now each poster has its own record, capped at MAX_TXS_PER_SLOT: junk
// from others never reaches the operator's evidence, and the operator's own
// record, full, still gives evidence that fits one transaction.
func TestAttackInboxFlood(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	user := e.user(nil)
	maxTxs, err := e.k.Inbox.MAXTXSPERSLOT(&bind.CallOpts{})
	if err != nil {
		t.Fatal(err)
	}
	promised := []byte("promised L2 tx")
	sp := e.promise(e.c.Slot()+2, slAmount, l2Inc(promised, crypto.PubkeyToAddress(user.PublicKey), 0))
	s := sp.Promise.Slot
	junk := func(n, from int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = []byte{byte(from), byte(i >> 8), byte(i)}
		}
		return out
	}
	e.advanceTo(s - 1)
	// In slot s: the operator's poster fills its own record to the cap, without
	// the promised tx; a stranger floods its own record too.
	e.sendL2(slFunder, junk(int(maxTxs), 1)...)
	e.sendL2(slDeployer, junk(int(maxTxs), 2)...)
	e.c.Commit()
	if e.c.Slot() != s {
		t.Fatalf("posts landed in slot %d, want %d", e.c.Slot(), s)
	}
	for _, poster := range []int{slFunder, slDeployer} {
		rec, err := e.k.Inbox.BatchOf(&bind.CallOpts{}, l2Chain, s, e.c.Addr(poster))
		if err != nil || rec.Count != maxTxs {
			t.Fatalf("record of poster %d: %d txs (%v), want %d", poster, rec.Count, err, maxTxs)
		}
	}
	// One more tx in the full record is refused, whole.
	more := binary.BigEndian.AppendUint64(nil, l2Chain)
	more = append(binary.BigEndian.AppendUint16(more, 1), 0, 0, 1, 0xff)
	_, err = e.k.Inbox.Post(e.c.Opts(slFunder), more)
	inboxABI, _ := bindings.InboxMetaData.GetAbi()
	if got := revertName(t, err, inboxABI); got != "SlotFull" {
		t.Fatalf("a post past the cap: %s, want SlotFull", got)
	}
	e.ledger(s, sp)
	ev, err := e.b.L2Inclusion(ctx, sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.TxHashes) != int(maxTxs) {
		t.Fatalf("evidence lists %d hashes, want the poster's %d only", len(ev.TxHashes), maxTxs)
	}
	if err := e.judge.L2Inclusion(ctx, sp, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	data, err := slashing.L2InclusionCall(sp, ev, e.claim)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 64<<10 {
		t.Fatalf("evidence calldata %d bytes, want far below the txpool's 128 KiB", len(data))
	}
	r, rev := e.l2(sp, ev)
	if rev != "" {
		t.Fatalf("L2 slash over a full record: %s", rev)
	}
	if r.GasUsed > 1<<23 {
		t.Fatalf("L2 slash used %d gas, want far below EIP-7825's 2^24", r.GasUsed)
	}
	t.Logf("L2 slash over %d posted txs: %d gas, %d calldata bytes", maxTxs, r.GasUsed, len(data))
}

// Row 6. Before: slashAmount = 2^256-1 reverted the slash with Panic 0x11
// while the judge said slashable. Now such a promise cannot be a ledger leaf
// (uint96): it is void, the Slasher says NotInLedger (no panic), and the judge
// agrees, for every fault.
func TestAttackSlashAmountOverflow(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	huge := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sp := e.promise(s, huge, incOf(e.l1Tx(user, 0, highFee)))
	e.advanceTo(s + 1)
	// The most a leaf can carry is 2^96-1; the Go ledger refuses more.
	if _, err := protocol.NewLedger(e.k.Leaves(e.c, sp.Promise)); !errors.Is(err, protocol.ErrLedgerAmount) {
		t.Fatalf("ledger with a 2^256-1 leaf: %v", err)
	}
	e.advanceTo(s + e.k.Params.LedgerGrace + 1)
	ev := e.safetyEv(sp)
	if err := e.judge.Safety(ctx, sp, ev); !errors.Is(err, slashing.ErrNotInLedger) {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.safety(sp, ev); rev != "NotInLedger" {
		t.Fatalf("slashSafety: %q, want NotInLedger", rev)
	}
	// Liveness: a missed slot, the same huge promise.
	m := e.c.Slot() + 2
	lp := e.promise(m, huge, incOf(e.l1Tx(e.user(big.NewInt(1e18)), 0, highFee)))
	e.advanceTo(m - 1)
	e.c.SkipSlots(1)
	e.advanceTo(m + e.k.Params.LedgerGrace + 1)
	lev, err := e.b.Liveness(ctx, lp)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.judge.Liveness(ctx, lp, lev); !errors.Is(err, slashing.ErrNotInLedger) {
		t.Fatalf("judge, liveness: %v", err)
	}
	if _, rev := e.liveness(lp, lev); rev != "NotInLedger" {
		t.Fatalf("slashLiveness: %q, want NotInLedger", rev)
	}
	if e.collateral().Cmp(slCollateral) != 0 {
		t.Fatal("collateral moved")
	}
}

// Row 7. Before: the watcher share went to msg.sender, so anyone could copy a
// pending slash and take it. Now it goes to the beneficiary committed a block
// before: a verbatim copy pays the watcher, and a copy naming the copier's own
// beneficiary, committed in the slash's own block, is refused.
func TestAttackWatcherFrontRun(t *testing.T) {
	e := newSlEnv(t)
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sp := e.promise(s, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	e.advanceTo(s + 1)
	e.ledger(s, sp)
	ev := e.safetyEv(sp)
	e.ensureClaim(sp) // the watcher's claim, a block back
	d := sp.Promise.Digest(e.dom)

	// The copier sees the watcher's slash in the pool and commits its own claim
	// now: it lands in the same block as its copy would.
	copier, err := slashing.NewClaim(e.c.Addr(slFunder))
	if err != nil {
		t.Fatal(err)
	}
	e.c.CommitClaim(e.k, slFunder, copier.Hash(d))
	if _, rev := e.safetyWith(sp, ev, copier); rev != "ClaimNotCommitted" {
		t.Fatalf("copy with a claim of the head block: %q", rev)
	}
	// A verbatim copy, sent by the copier's account: pays the watcher's beneficiary.
	be, err := ev.Binding()
	if err != nil {
		t.Fatal(err)
	}
	benBefore := e.balance(e.claim.Beneficiary)
	tx, err := e.k.Slasher.SlashSafety(e.c.Opts(slFunder), e.payload(sp), sp.Signature, big.NewInt(0), be, ev.Backing.Binding(), e.claim.Binding())
	r := e.c.Mine(tx, err)
	if r.Status != 1 {
		t.Fatal("verbatim copy reverted")
	}
	_, _, ben := e.judge.Split(slAmount)
	if got := new(big.Int).Sub(e.balance(e.claim.Beneficiary), benBefore); got.Cmp(ben) != 0 {
		t.Fatalf("watcher's beneficiary got %s from the copy, want %s", got, ben)
	}
}

// Rows 2 and 8: the constructors and initSlasher enforce the parameter
// ordering; TestRegistryConfigRefusals and TestInitSlasher (registry_test.go)
// hold the cases. This checks the deployed defaults obey it end to end.
func TestRegistryConstructorInvariants(t *testing.T) {
	c := chaintest.New(t, 2)
	k := c.Deploy(chaintest.DefaultParams())
	o := &bind.CallOpts{}
	la, _ := k.Registry.Lookahead(o)
	rd, _ := k.Registry.RotationDelay(o)
	sw, _ := k.Registry.SlashWindow(o)
	lg, _ := k.Registry.LedgerGrace(o)
	ud, _ := k.Registry.UnregistrationDelay(o)
	ssw, _ := k.Slasher.SlashWindow(o)
	if !(0 < la && la < rd && 0 < lg && lg < sw && sw <= 8191 && sw < ud && sw == ssw) {
		t.Fatalf("lookahead %d, rotation %d, grace %d, window %d (Slasher %d), unregistration %d", la, rd, lg, sw, ssw, ud)
	}
	for _, bad := range []chaintest.Params{
		func() chaintest.Params { p := chaintest.DefaultParams(); p.RotationDelay = p.Lookahead; return p }(),
		func() chaintest.Params {
			p := chaintest.DefaultParams()
			p.UnregistrationDelay = p.SlashWindow
			return p
		}(),
		func() chaintest.Params { p := chaintest.DefaultParams(); p.LedgerGrace = p.SlashWindow; return p }(),
		func() chaintest.Params {
			p := chaintest.DefaultParams()
			p.SlashWindow = 8192
			p.UnregistrationDelay = 9000
			return p
		}(),
	} {
		cfg := bindings.RegistryConfig{
			MinCollateral: bad.MinCollateral, GenesisTime: c.GenesisTime, SecondsPerSlot: chaintest.SecondsPerSlot,
			Lookahead: bad.Lookahead, RotationDelay: bad.RotationDelay, UnregistrationDelay: bad.UnregistrationDelay,
			SlashWindow: bad.SlashWindow, LedgerGrace: bad.LedgerGrace,
		}
		_, _, _, err := bindings.DeployRegistry(c.Opts(0), c.Client, cfg)
		a, _ := bindings.RegistryMetaData.GetAbi()
		if got := revertName(t, err, a); got != "InvalidConfig" {
			t.Fatalf("Registry with %+v: %s, want InvalidConfig", cfg, got)
		}
	}
}

// ether is n ETH in wei.
func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// Row 10. A thief with the committer key signs a "prior" for the nonce below a
// real promise, so that a promise the operator could not keep (the user never
// sent the lower nonce) reads as includable. Priors must be ledger leaves: a
// signature alone, minted after the fact, is refused.
func TestAttackForgedPrior(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	// The user's promise is for nonce 1; nonce 0 was never promised nor sent.
	second := e.promise(s, slAmount, incOf(e.l1Tx(user, 1, highFee)))
	e.advanceTo(s + 1)
	e.ledger(s, second)
	forged := e.promise(s, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	ev := e.safetyEv(second)
	ev.Priors = []slashing.Prior{{SignedPromise: forged, Index: 0}}
	if err := e.judge.Safety(ctx, second, ev); !errors.Is(err, slashing.ErrNotIncludable) {
		t.Fatalf("judge: %v, want ErrNotIncludable", err)
	}
	if _, rev := e.safety(second, ev); rev != "BadPrior" {
		t.Fatalf("forged prior: %q, want BadPrior", rev)
	}
	// A leaf proof of another promise does not make it a leaf either.
	own, err := e.b.Backing(ctx, second)
	if err != nil || own == nil {
		t.Fatalf("backing: %+v %v", own, err)
	}
	ev.Priors[0].LeafIndex, ev.Priors[0].LeafProof = own.Index, own.Proof
	if _, rev := e.safety(second, ev); rev != "BadPrior" {
		t.Fatalf("forged prior with another leaf's proof: %q, want BadPrior", rev)
	}
	if e.collateral().Cmp(slCollateral) != 0 {
		t.Fatal("collateral moved")
	}
}

// Review finding M2 (open item (a) of §9.8 before this fix). A promise for
// nonce 0 in slot S1 and one for nonce 1 in a later slot S2, both in their
// ledgers. S1 is missed (the sidecar was down, or the next proposer orphaned
// its block); at S2 the sidecar may be unable to carry the missed tx to the top
// (fees, gas, 7702), so it leaves both out. Before, the S1 promise counted as
// S2's prior and the operator was slashed in full for S2 as well as for S1.
// Now priors are of the same slot: S2's promise reads NonceGap / BadPrior, and
// S1's own promise is still slashed (here for the missed slot).
func TestAttackMissedPriorSlot(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	user := e.user(big.NewInt(1e18))
	s1 := e.c.Slot() + 2
	s2 := s1 + 2
	first := e.promise(s1, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	second := e.promise(s2, slAmount, incOf(e.l1Tx(user, 1, highFee)))
	e.advanceTo(s1 - 1)
	e.c.SkipSlots(1) // no block at s1
	e.ledger(s1, first)
	e.advanceTo(s2)
	e.ledger(s2, second)
	e.advanceTo(s2 + 1)

	ev := e.safetyEv(second, first)
	if len(ev.Priors) != 0 {
		t.Fatalf("the builder took a prior of slot %d for slot %d", ev.Priors[0].Promise.Slot, s2)
	}
	if err := e.judge.Safety(ctx, second, ev); !errors.Is(err, slashing.ErrNotIncludable) {
		t.Fatalf("judge without prior: %v", err)
	}
	if _, rev := e.safety(second, ev); rev != "NonceGap" {
		t.Fatalf("stacked promise without prior: %q, want NonceGap", rev)
	}
	// The earlier slot's promise, forced in as the prior, is refused.
	bk, err := e.b.Backing(ctx, first)
	if err != nil || bk == nil {
		t.Fatalf("backing of the first promise: %+v %v", bk, err)
	}
	ev.Priors = []slashing.Prior{{SignedPromise: first, Index: 0, LeafIndex: bk.Index, LeafProof: bk.Proof}}
	if err := e.judge.Safety(ctx, second, ev); !errors.Is(err, slashing.ErrBadPrior) {
		t.Fatalf("judge with an earlier slot's prior: %v", err)
	}
	if _, rev := e.safety(second, ev); rev != "BadPrior" {
		t.Fatalf("earlier slot's prior: %q, want BadPrior", rev)
	}
	// The first promise itself is broken and paid, for the missed slot.
	lev, err := e.b.Liveness(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(user.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.liveness(first, lev)
	if rev != "" {
		t.Fatalf("liveness of the first promise: %s", rev)
	}
	e.checkPayout(r, e.judge.Amount(slashing.FaultLiveness, first.Promise), addr, ub, cb)
}
