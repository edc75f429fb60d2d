package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

func randInclusion(r *rand.Rand, chain uint64) protocol.Inclusion {
	var h common.Hash
	var a common.Address
	for i := range h {
		h[i] = byte(r.UintN(256))
	}
	for i := range a {
		a[i] = byte(r.UintN(256))
	}
	big := func() *big.Int { return new(big.Int).Lsh(big.NewInt(int64(r.Uint32())), r.UintN(200)) }
	return protocol.Inclusion{ChainID: chain, TxHash: h, Sender: a, Nonce: r.Uint64(), MaxFeePerGas: big(), MaxFeePerBlobGas: big(), GasLimit: r.Uint64(), MaxCost: big()}
}

// The Slasher's digest of a promise is the Go package's (the commitment's
// signing root), for every type.
func TestSlasherDigestMatchesGo(t *testing.T) {
	e := newSlEnv(t)
	r := rand.New(rand.NewPCG(1, 2))
	l1 := e.c.ChainID.Uint64()
	for _, tc := range []struct {
		name string
		typ  uint64
		n    int
	}{{"l1", protocol.TypeL1Inclusion, 1}, {"l2", protocol.TypeL2Inclusion, 1}, {"bundle2", protocol.TypeBundle, 2}, {"bundle16", protocol.TypeBundle, 16}} {
		t.Run(tc.name, func(t *testing.T) {
			p := &protocol.Promise{CommitmentType: tc.typ, Operator: e.op.Addr, Slot: r.Uint64(), SlashAmount: big.NewInt(int64(r.Uint32())), RequestHash: common.Hash{1, 2, 3}}
			for i := 0; i < tc.n; i++ {
				chain := l1
				if tc.typ == protocol.TypeL2Inclusion || (tc.typ == protocol.TypeBundle && i%2 == 1) {
					chain = l2Chain
				}
				p.Inclusions = append(p.Inclusions, randInclusion(r, chain))
			}
			payload, err := p.MarshalABI()
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.k.Slasher.PromiseDigest(&bind.CallOpts{}, payload)
			if err != nil {
				t.Fatal(err)
			}
			if want := p.Digest(e.dom); common.Hash(got) != want {
				t.Fatalf("contract digest %x, Go digest %x", got, want)
			}
			// A different Slasher address gives a different digest: the commitment names it.
			other := protocol.Domain{ChainID: e.dom.ChainID, Slasher: common.Address{9}}
			if p.Digest(other) == common.Hash(got) {
				t.Fatal("digest does not depend on the verifying contract")
			}
		})
	}
}

// The contract's blob base fee is EIP-4844's fake_exponential, as the judge computes it.
func TestSlasherBlobBaseFee(t *testing.T) {
	e := newSlEnv(t)
	for _, excess := range []uint64{0, 1, 393216, 5007716, 10 * 5007716, 50 * 5007716} {
		got, err := e.k.Slasher.BlobBaseFee(&bind.CallOpts{}, new(big.Int).SetUint64(excess))
		if err != nil {
			t.Fatal(err)
		}
		if want := slashing.BlobBaseFee(excess, 5007716); got.Cmp(want) != 0 {
			t.Fatalf("excess %d: contract %s, Go %s", excess, got, want)
		}
	}
	if f := slashing.BlobBaseFee(0, 5007716); f.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("blob base fee at zero excess = %s, want 1", f)
	}
}

// checkPayout asserts a slash that took `taken` (from the ledger when backed,
// else from the free collateral) paid the user and the watcher's beneficiary
// their shares and burnt the rest. Since #11 a slash burns burnBps, so the
// beneficiary gets 10 % where the watcher got 20 % before; the user's 80 % is
// unchanged.
func (e *slEnv) checkPayout(r *types.Receipt, taken *big.Int, user common.Address, userBefore, collBefore *big.Int) {
	e.t.Helper()
	ev := e.slashedEvent(r)
	wantUser, wantBurnt, wantBen := e.judge.Split(taken)
	if ev.Taken.Cmp(taken) != 0 || ev.UserPaid.Cmp(wantUser) != 0 {
		e.t.Fatalf("took %s, paid user %s; want %s and %s", ev.Taken, ev.UserPaid, taken, wantUser)
	}
	if ev.User != user || ev.Beneficiary != e.claim.Beneficiary || ev.Operator != e.op.Addr {
		e.t.Fatalf("event parties %s %s %s", ev.User, ev.Beneficiary, ev.Operator)
	}
	rs := e.registrySlashed(r)
	if rs.WatcherPaid.Cmp(wantBen) != 0 || rs.Burned.Cmp(wantBurnt) != 0 || rs.Watcher != e.claim.Beneficiary {
		e.t.Fatalf("beneficiary %s paid %s, burnt %s; want %s and %s", rs.Watcher, rs.WatcherPaid, rs.Burned, wantBen, wantBurnt)
	}
	if got := new(big.Int).Sub(e.balance(user), userBefore); got.Cmp(wantUser) != 0 {
		e.t.Fatalf("user balance grew by %s, want %s", got, wantUser)
	}
	if got := new(big.Int).Sub(collBefore, e.collateral()); got.Cmp(taken) != 0 {
		e.t.Fatalf("collateral fell by %s, want %s", got, taken)
	}
}

func TestSlashSafety(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	user := e.user(big.NewInt(1e18))
	tx := e.l1Tx(user, 0, highFee)
	s := e.c.Slot() + 2
	sp := e.promise(s, slAmount, incOf(tx))
	e.advanceTo(s + 2) // the operator never includes tx
	e.ledger(s, sp)
	freeBefore := e.free()

	ev, err := e.b.Safety(ctx, sp, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Backing == nil {
		t.Fatal("the promise is in its ledger, the builder did not back it")
	}
	if err := e.judge.Safety(ctx, sp, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	addr := crypto.PubkeyToAddress(user.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.safety(sp, ev)
	if rev != "" {
		t.Fatalf("slashSafety reverted: %s", rev)
	}
	t.Logf("slashSafety gas: %d (account proofs of %d and %d nodes)", r.GasUsed, len(ev.ParentProof), len(ev.BlockProof))
	e.checkPayout(r, slAmount, addr, ub, cb)
	// Paid from the ledger's reservation: the free collateral did not move.
	if l := e.c.LedgerOf(e.k, e.op, s); l.Left.Sign() != 0 || e.free().Cmp(freeBefore) != 0 {
		t.Fatalf("ledger left %s, free collateral %s (was %s)", l.Left, e.free(), freeBefore)
	}
	if !e.settled(sp) {
		t.Fatal("promise not settled")
	}
	// Replayed evidence is refused: at most once per promise.
	if _, rev := e.safety(sp, ev); rev != "AlreadySettled" {
		t.Fatalf("replay: got %q, want AlreadySettled", rev)
	}
	if err := e.judge.Safety(ctx, sp, ev); !errors.Is(err, slashing.ErrSettled) {
		t.Fatalf("judge on replay: %v", err)
	}
}

// Stacked nonces: the second promise is slashable only with the first as
// prior, and only a prior in its slot's ledger, signed by the committer that
// opened it, counts.
func TestSlashSafetyStackedNonces(t *testing.T) {
	e := newSlEnv(t)
	user := e.user(big.NewInt(1e18))
	tx0, tx1 := e.l1Tx(user, 0, highFee), e.l1Tx(user, 1, highFee)
	s := e.c.Slot() + 2
	first := e.promise(s, slAmount, incOf(tx0))
	second := e.promise(s, big.NewInt(2e18), incOf(tx1))
	e.advanceTo(s + 2)
	e.ledger(s, first, second)
	ctx := context.Background()

	// Without the prior the gap is uncovered.
	bare, err := e.b.Safety(ctx, second, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, rev := e.safety(second, bare); rev != "NonceGap" {
		t.Fatalf("no prior: got %q, want NonceGap", rev)
	}
	if err := e.judge.Safety(ctx, second, bare); !errors.Is(err, slashing.ErrNotIncludable) {
		t.Fatalf("judge without prior: %v", err)
	}
	// A prior signed by someone else is refused, although its digest is the ledger's leaf.
	forged := e.promiseBy(e.user(nil), s, slAmount, incOf(tx0))
	withForged, err := e.b.Safety(ctx, second, 0, []slashing.SignedPromise{forged})
	if err != nil {
		t.Fatal(err)
	}
	if len(withForged.Priors) != 1 {
		t.Fatalf("builder picked %d priors, want the forged one", len(withForged.Priors))
	}
	if err := e.judge.Safety(ctx, second, withForged); !errors.Is(err, slashing.ErrBadPrior) {
		t.Fatalf("judge on forged prior: %v", err)
	}
	if _, rev := e.safety(second, withForged); rev != "BadPrior" {
		t.Fatalf("forged prior: got %q, want BadPrior", rev)
	}
	ev, err := e.b.Safety(ctx, second, 0, []slashing.SignedPromise{first})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Priors) != 1 {
		t.Fatalf("builder picked %d priors, want 1", len(ev.Priors))
	}
	// A prior without its ledger proof is refused: a signature alone can be minted after the fact.
	unproven := *ev
	unproven.Priors = []slashing.Prior{ev.Priors[0]}
	unproven.Priors[0].LeafProof = nil
	if err := e.judge.Safety(ctx, second, &unproven); !errors.Is(err, slashing.ErrBadPrior) {
		t.Fatalf("judge on unproven prior: %v", err)
	}
	if _, rev := e.safety(second, &unproven); rev != "BadPrior" {
		t.Fatalf("unproven prior: got %q, want BadPrior", rev)
	}
	if err := e.judge.Safety(ctx, second, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.safety(second, ev); rev != "" {
		t.Fatalf("with prior: %s", rev)
	}
}

// A prior outside its slot's ledger is not picked: the builder leaves the gap.
func TestSlashSafetyPriorOutsideLedger(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	first := e.promise(s, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	second := e.promise(s, slAmount, incOf(e.l1Tx(user, 1, highFee)))
	e.advanceTo(s + 1)
	e.ledger(s, second) // first was never put on-chain
	ev, err := e.b.Safety(ctx, second, 0, []slashing.SignedPromise{first})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Priors) != 0 {
		t.Fatalf("builder picked %d priors outside the ledger", len(ev.Priors))
	}
	if err := e.judge.Safety(ctx, second, ev); !errors.Is(err, slashing.ErrNotIncludable) {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.safety(second, ev); rev != "NonceGap" {
		t.Fatalf("got %q, want NonceGap", rev)
	}
}

func TestSlashLiveness(t *testing.T) {
	e := newSlEnv(t)
	s := e.c.Slot() + 2
	user := e.user(nil)
	sp := e.promise(s, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	e.advanceTo(s - 1)
	e.c.SkipSlots(1) // slot s has no block
	e.c.Commit()     // headers are anchorable once they are no longer the head
	e.ledger(s, sp)

	ctx := context.Background()
	if _, err := e.b.Safety(ctx, sp, 0, nil); !errors.Is(err, slashing.ErrNoSlotBlock) {
		t.Fatalf("safety evidence for a missed slot: %v", err)
	}
	ev, err := e.b.Liveness(ctx, sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.judge.Liveness(ctx, sp, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	addr := crypto.PubkeyToAddress(user.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.liveness(sp, ev)
	if rev != "" {
		t.Fatalf("slashLiveness: %s", rev)
	}
	t.Logf("slashLiveness gas: %d", r.GasUsed)
	e.checkPayout(r, e.judge.Amount(slashing.FaultLiveness, sp.Promise), addr, ub, cb)
}

func TestSlashL2Inclusion(t *testing.T) {
	e := newSlEnv(t)
	user := e.user(nil)
	promised := []byte("l2 tx promised")
	s := e.c.Slot() + 2
	sp := e.promise(s, slAmount, l2Inc(promised, crypto.PubkeyToAddress(user.PublicKey), 0))
	kept := e.promise(s, slAmount, l2Inc([]byte("l2 tx kept"), crypto.PubkeyToAddress(user.PublicKey), 1))
	e.advanceTo(s - 1)
	// Someone else posts the promised tx in the slot: not the operator's
	// batch, so it does not keep the promise (nor lengthen the evidence).
	e.sendL2(slWatcher, promised)
	e.postL2([]byte("other l2 tx"), []byte("l2 tx kept"), []byte("third")) // lands in slot s
	if e.c.Slot() != s {
		t.Fatalf("post landed in slot %d, want %d", e.c.Slot(), s)
	}
	e.c.Commit()
	e.ledger(s, sp, kept)
	ctx := context.Background()
	ev, err := e.b.L2Inclusion(ctx, sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.TxHashes) != 3 || ev.Backing == nil {
		t.Fatalf("builder read %d posted txs of the poster (backed %v), want 3", len(ev.TxHashes), ev.Backing != nil)
	}
	// The L2 tx that is in the batch cannot be slashed.
	kev, err := e.b.L2Inclusion(ctx, kept, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, rev := e.l2(kept, kev); rev != "PromiseKept" {
		t.Fatalf("kept L2 tx: got %q, want PromiseKept", rev)
	}
	if err := e.judge.L2Inclusion(ctx, kept, kev); !errors.Is(err, slashing.ErrPromiseKept) {
		t.Fatalf("judge on kept: %v", err)
	}
	// Dropping the promised hash from the list does not fool the inbox record.
	short := &slashing.L2Evidence{Index: 0, Header: kev.Header, TxHashes: []common.Hash{kev.TxHashes[0], kev.TxHashes[2]}, Backing: kev.Backing}
	if _, rev := e.l2(kept, short); rev != "BatchMismatch" {
		t.Fatalf("hidden tx: got %q, want BatchMismatch", rev)
	}
	if err := e.judge.L2Inclusion(ctx, kept, short); !errors.Is(err, slashing.ErrBatchMismatch) {
		t.Fatalf("judge on hidden tx: %v", err)
	}
	if err := e.judge.L2Inclusion(ctx, sp, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	addr := crypto.PubkeyToAddress(user.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.l2(sp, ev)
	if rev != "" {
		t.Fatalf("slashL2Inclusion: %s", rev)
	}
	t.Logf("slashL2Inclusion gas: %d (3 posted txs)", r.GasUsed)
	e.checkPayout(r, slAmount, addr, ub, cb)
}

func TestSlashEquivocation(t *testing.T) {
	e := newSlEnv(t)
	user := e.user(nil)
	s := e.c.Slot() + 5
	a := e.promise(s, slAmount, incOf(e.l1Tx(user, 7, highFee)))
	b := e.promise(s+1, big.NewInt(3e18), incOf(e.l1Tx(user, 7, big.NewInt(2*highFee.Int64()))))
	c := e.promise(s, slAmount, incOf(e.l1Tx(user, 8, highFee)))
	ctx := context.Background()
	if _, err := slashing.Equivocation(a, c); !errors.Is(err, slashing.ErrNotEquivocation) {
		t.Fatalf("different nonces: %v", err)
	}
	if _, rev := e.equivocation(&slashing.EquivocationEvidence{A: a, B: c}); rev != "NotEquivocation" {
		t.Fatalf("different nonces on-chain: %q", rev)
	}
	if _, rev := e.equivocation(&slashing.EquivocationEvidence{A: a, B: a}); rev != "NotEquivocation" {
		t.Fatalf("same promise twice: %q", rev)
	}
	e.ledger(s, a, c)
	e.ledger(s+1, b)
	ev, err := e.b.Equivocation(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	// Paid as the promise whose ledger holds more: b's (3 ETH) over a's (2 ETH).
	if ev.A.Promise != b.Promise || ev.BackingA == nil {
		t.Fatalf("builder pays as slot %d (backed %v), want b's", ev.A.Promise.Slot, ev.BackingA != nil)
	}
	if err := e.judge.Equivocation(ctx, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	addr := crypto.PubkeyToAddress(user.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.equivocation(ev)
	if rev != "" {
		t.Fatalf("slashEquivocation: %s", rev)
	}
	t.Logf("slashEquivocation gas: %d", r.GasUsed)
	e.checkPayout(r, big.NewInt(3e18), addr, ub, cb) // A's own slash amount
	// Only A is settled: B's holder was sold the same nonce and is owed too.
	if !e.settled(b) || e.settled(a) {
		t.Fatalf("settled: A %v (want true), B %v (want false)", e.settled(b), e.settled(a))
	}
	if _, rev := e.equivocation(ev); rev != "AlreadySettled" {
		t.Fatalf("replay: %q", rev)
	}
	// The other holder slashes its own promise against the settled one, for its own amount.
	ev2 := &slashing.EquivocationEvidence{A: a, B: b}
	if ev2.BackingA, err = e.b.Backing(ctx, a); err != nil || ev2.BackingA == nil {
		t.Fatalf("backing of a: %+v %v", ev2.BackingA, err)
	}
	if err := e.judge.Equivocation(ctx, ev2); err != nil {
		t.Fatalf("judge, second holder: %v", err)
	}
	e.ensureClaim(a)
	ub, cb = e.balance(addr), e.collateral()
	r2, rev := e.equivocation(ev2)
	if rev != "" {
		t.Fatalf("slashEquivocation, second holder: %s", rev)
	}
	e.checkPayout(r2, slAmount, addr, ub, cb)
}

// An honest operator cannot be slashed by adversarial evidence.
func TestSlasherRefusesAdversarialEvidence(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	rich := e.user(big.NewInt(1e18))
	poor := e.user(big.NewInt(1e9)) // cannot pay 21000 * 100 gwei

	keptTx := e.l1Tx(rich, 0, highFee)
	missedTx := e.l1Tx(rich, 1, highFee) // stays out; kept covers nonce 0 as its prior
	poorTx := e.l1Tx(poor, 0, highFee)
	lowFeeTx := e.l1Tx(e.user(big.NewInt(1e18)), 0, big.NewInt(1))

	s := e.c.Slot() + 3
	kept := e.promise(s, slAmount, incOf(keptTx))
	missed := e.promise(s, slAmount, incOf(missedTx))
	poorP := e.promise(s, slAmount, incOf(poorTx))
	lowFee := e.promise(s, slAmount, incOf(lowFeeTx))
	e.advanceTo(s - 1)
	e.c.Send(keptTx)
	blk := e.c.Commit() // slot s holds keptTx only
	if e.c.Slot() != s {
		t.Fatalf("at slot %d, want %d", e.c.Slot(), s)
	}
	e.ledger(s, kept, missed, poorP, lowFee) // slot s+1
	next := e.c.Commit()                     // slot s+2

	good, err := e.b.Safety(ctx, missed, 0, []slashing.SignedPromise{kept})
	if err != nil {
		t.Fatal(err)
	}
	keptEv, err := e.b.Safety(ctx, kept, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	nextRLP, _ := rlp.EncodeToBytes(next)
	parentOfNext, _ := e.c.Client.HeaderByHash(ctx, next.ParentHash)
	parentOfNextRLP, _ := rlp.EncodeToBytes(parentOfNext)

	forgedHeader := func() []byte {
		h := types.CopyHeader(blk)
		h.Root = common.Hash{0xde, 0xad}
		b, _ := rlp.EncodeToBytes(h)
		return b
	}()
	clone := func(ev *slashing.SafetyEvidence) *slashing.SafetyEvidence { c := *ev; return &c }

	tampered := *missed.Promise
	tampered.SlashAmount = big.NewInt(5e18)
	tamperedSP := slashing.SignedPromise{Promise: &tampered, Signature: missed.Signature}
	otherKey := e.promiseBy(e.user(nil), s, slAmount, incOf(missedTx))

	cases := []struct {
		name  string
		sp    slashing.SignedPromise
		ev    func() *slashing.SafetyEvidence
		want  string
		judge error
	}{
		{"kept promise", kept, func() *slashing.SafetyEvidence { return keptEv }, "PromiseKept", slashing.ErrPromiseKept},
		{"forged header", missed, func() *slashing.SafetyEvidence { c := clone(good); c.Header = forgedHeader; return c }, "HeaderNotAnchored", slashing.ErrNotAnchored},
		{"header of another slot", missed, func() *slashing.SafetyEvidence {
			c := clone(good)
			c.Header, c.ParentHeader = nextRLP, parentOfNextRLP
			return c
		}, "NotSlotBlock", slashing.ErrNotAnchored},
		{"parent that is not the parent", missed, func() *slashing.SafetyEvidence { c := clone(good); c.ParentHeader = nextRLP; return c }, "NotParent", slashing.ErrNotAnchored},
		{"proof against another root", missed, func() *slashing.SafetyEvidence { c := clone(good); c.BlockProof = good.ParentProof; return c }, "ProofNodeMismatch", slashing.ErrBadProof},
		{"truncated proof", missed, func() *slashing.SafetyEvidence {
			c := clone(good)
			c.BlockProof = good.BlockProof[:len(good.BlockProof)-1]
			return c
		}, "ProofLength", slashing.ErrBadProof},
		// A tampered promise is not the leaf its backing names (#11: the
		// ledger, not the signature alone, decides which promise is paid)...
		{"tampered promise, backed as the original", tamperedSP, func() *slashing.SafetyEvidence { return good }, "NotInLedger", slashing.ErrNotInLedger},
		// ...and with no backing it is in no ledger: void.
		{"tampered promise, no backing", tamperedSP, func() *slashing.SafetyEvidence {
			c := clone(good)
			bk, err := e.b.Backing(ctx, tamperedSP)
			if err != nil || bk != nil {
				t.Fatalf("backing of the tampered promise: %+v %v", bk, err)
			}
			c.Backing = bk
			return c
		}, "NotInLedger", slashing.ErrNotInLedger},
		{"signed by another key", otherKey, func() *slashing.SafetyEvidence { return good }, "WrongSigner", slashing.ErrNotLedgerCommitter},
		{"nonce gap without prior", missed, func() *slashing.SafetyEvidence { c := clone(good); c.Priors = nil; return c }, "NonceGap", slashing.ErrNotIncludable},
		{"insufficient balance at parent", poorP, func() *slashing.SafetyEvidence { ev, _ := e.b.Safety(ctx, poorP, 0, nil); return ev }, "InsufficientBalance", slashing.ErrNotIncludable},
		{"fee below base fee", lowFee, func() *slashing.SafetyEvidence { ev, _ := e.b.Safety(ctx, lowFee, 0, nil); return ev }, "FeeBelowBaseFee", slashing.ErrNotIncludable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := tc.ev()
			if err := e.judge.Safety(ctx, tc.sp, ev); !errors.Is(err, tc.judge) {
				t.Fatalf("judge: %v, want %v", err, tc.judge)
			}
			cb := e.collateral()
			if _, rev := e.safety(tc.sp, ev); rev != tc.want {
				t.Fatalf("got %q, want %q", rev, tc.want)
			}
			if e.collateral().Cmp(cb) != 0 {
				t.Fatal("collateral moved")
			}
		})
	}

	// Liveness on a slot that has a block: the header pair around it does not straddle it.
	t.Run("liveness with a block", func(t *testing.T) {
		p0, _ := e.c.Client.HeaderByHash(ctx, blk.ParentHash)
		h1, _ := rlp.EncodeToBytes(p0)
		h2, _ := rlp.EncodeToBytes(blk)
		if _, rev := e.liveness(missed, &slashing.LivenessEvidence{Header1: h1, Header2: h2}); rev != "SlotNotMissed" {
			t.Fatalf("got %q", rev)
		}
		if _, err := e.b.Liveness(ctx, missed); !errors.Is(err, slashing.ErrSlotHasBlock) {
			t.Fatalf("builder: %v", err)
		}
	})

	// The honest evidence itself works, then the window closes on everything else.
	t.Run("valid evidence slashes", func(t *testing.T) {
		if _, rev := e.safety(missed, good); rev != "" {
			t.Fatalf("honest evidence refused: %s", rev)
		}
	})
	t.Run("after the window", func(t *testing.T) {
		lateTx := e.l1Tx(e.user(big.NewInt(1e18)), 0, highFee)
		late := e.promise(e.c.Slot()+1, slAmount, incOf(lateTx))
		e.advanceTo(late.Promise.Slot + 2)
		e.ledger(late.Promise.Slot, late)
		ev, err := e.b.Safety(ctx, late, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.commitClaims(late)
		e.advanceTo(late.Promise.Slot + e.k.Params.SlashWindow + 1)
		if err := e.judge.Safety(ctx, late, ev); !errors.Is(err, slashing.ErrExpired) {
			t.Fatalf("judge: %v", err)
		}
		if _, rev := e.safety(late, ev); rev != "EvidenceExpired" {
			t.Fatalf("got %q, want EvidenceExpired", rev)
		}
	})
}

// #11 threat model row 9: a promise the operator left out of its slot's ledger,
// one for a slot with no ledger, and one whose leaf carries another amount are
// void: the Slasher refuses them (NotInLedger) and the judge agrees, before and
// after the ledger grace, and no collateral moves. So a promise minted after
// its slot (the self-slash drain, row 1) is void as well.
func TestAttackOmittedPromise(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	u1, u2, u3, u4 := e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	listed := e.promise(s, slAmount, incOf(e.l1Tx(u1, 0, highFee)))
	hidden := e.promise(s, big.NewInt(2e18), incOf(e.l1Tx(u2, 0, highFee)))
	nowhere := e.promise(s+1, slAmount, incOf(e.l1Tx(u3, 0, highFee)))
	cheap := e.promise(s, slAmount, incOf(e.l1Tx(u4, 0, highFee)))
	e.commitClaims(hidden, nowhere, listed, cheap)
	e.advanceTo(s + 1)
	// The ledger lists cheap at 1 wei instead of its 1 ETH slash amount.
	cheapAt1 := *cheap.Promise
	cheapAt1.SlashAmount = big.NewInt(1)
	leaves := append(e.k.Leaves(e.c, listed.Promise), protocol.LedgerLeaf{Digest: cheap.Promise.Digest(e.dom), Amount: big.NewInt(1)})
	lg, err := protocol.NewLedger(leaves)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := e.c.SendOpenLedger(e.k, e.op.Committer, e.op.Addr, s, e.op.Poster, lg.Pack())
	e.c.Mine(tx, err)
	e.c.Commit() // the claims are older than the head

	listedEv, err := e.b.Safety(ctx, listed, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	refused := func(name string, sp slashing.SignedPromise, ev *slashing.SafetyEvidence, judge error) {
		t.Helper()
		if err := e.judge.Safety(ctx, sp, ev); !errors.Is(err, judge) {
			t.Fatalf("%s: judge %v, want %v", name, err, judge)
		}
		cb, fb := e.collateral(), e.free()
		if _, rev := e.safety(sp, ev); rev != "NotInLedger" {
			t.Fatalf("%s: got %q, want NotInLedger", name, rev)
		}
		if e.collateral().Cmp(cb) != 0 || e.free().Cmp(fb) != 0 {
			t.Fatalf("%s: collateral moved", name)
		}
	}
	evOf := func(sp slashing.SignedPromise) *slashing.SafetyEvidence {
		t.Helper()
		ev, err := e.b.Safety(ctx, sp, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	hiddenEv := evOf(hidden)
	if hiddenEv.Backing != nil {
		t.Fatalf("backing of a promise outside the ledger: %+v", hiddenEv.Backing)
	}
	// Within the grace a slot with no ledger may still get one: the judge says try later.
	refused("slot without a ledger, within the grace", nowhere, evOf(nowhere), slashing.ErrLedgerPending)
	refused("left out of the ledger", hidden, hiddenEv, slashing.ErrNotInLedger)
	borrowed := *hiddenEv
	borrowed.Backing = listedEv.Backing
	refused("another promise's leaf", hidden, &borrowed, slashing.ErrNotInLedger)
	cheapEv := evOf(cheap)
	if cheapEv.Backing == nil {
		t.Fatal("the builder found no leaf for the 1-wei digest")
	}
	refused("leaf with another amount", cheap, cheapEv, slashing.ErrNotInLedger)

	e.pastGrace(s + 1)
	refused("slot without a ledger, past the grace", nowhere, evOf(nowhere), slashing.ErrNotInLedger)
	refused("left out, past the grace", hidden, hiddenEv, slashing.ErrNotInLedger)

	// The listed promise is paid in full from its leaf.
	addr := crypto.PubkeyToAddress(u1.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	r, rev := e.safety(listed, listedEv)
	if rev != "" {
		t.Fatalf("slashSafety of the listed promise: %s", rev)
	}
	e.checkPayout(r, slAmount, addr, ub, cb)
}

// The watcher's share goes to the beneficiary committed before the slash:
// a slash naming an uncommitted claim (a copied transaction with another
// beneficiary, or no beneficiary) is refused, and so is one in the claim's block.
func TestSlashClaims(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	u := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sp := e.promise(s, slAmount, incOf(e.l1Tx(u, 0, highFee)))
	e.advanceTo(s + 1)
	e.ledger(s, sp)
	ev, err := e.b.Safety(ctx, sp, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := sp.Promise.Digest(e.dom)
	if err := e.judge.Safety(ctx, sp, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	refused := func(name string, c slashing.Claim, want string, judge error) {
		t.Helper()
		if err := e.judge.CheckClaim(ctx, d, c); !errors.Is(err, judge) {
			t.Fatalf("%s: judge %v, want %v", name, err, judge)
		}
		if _, rev := e.safetyWith(sp, ev, c); rev != want {
			t.Fatalf("%s: got %q, want %q", name, rev, want)
		}
	}
	refused("not committed", e.claim, "ClaimNotCommitted", slashing.ErrClaimNotCommitted)
	refused("no beneficiary", slashing.Claim{Salt: e.claim.Salt}, "ZeroBeneficiary", slashing.ErrZeroBeneficiary)

	r := e.c.CommitClaim(e.k, slWatcher, e.claim.Hash(d))
	refused("committed in the head block", e.claim, "ClaimNotCommitted", slashing.ErrClaimNotCommitted)
	e.c.Commit()
	copier := slashing.Claim{Beneficiary: e.c.Addr(slFunder), Salt: e.claim.Salt}
	refused("copied with another beneficiary", copier, "ClaimNotCommitted", slashing.ErrClaimNotCommitted)
	// The first commitment of a hash counts; committing it again moves nothing.
	e.c.CommitClaim(e.k, slFunder, e.claim.Hash(d))
	if at, _ := e.k.Slasher.Claims(&bind.CallOpts{}, e.claim.Hash(d)); at.Cmp(r.BlockNumber) != 0 {
		t.Fatalf("claim block %s, first committed in %s", at, r.BlockNumber)
	}
	if got, err := e.k.Slasher.ClaimHash(&bind.CallOpts{}, d, e.claim.Beneficiary, e.claim.Salt); err != nil || common.Hash(got) != e.claim.Hash(d) {
		t.Fatalf("Slasher.claimHash %x, Go %s (%v)", got, e.claim.Hash(d), err)
	}
	if err := e.judge.CheckClaim(ctx, d, e.claim); err != nil {
		t.Fatalf("judge: %v", err)
	}
	addr := crypto.PubkeyToAddress(u.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	rr, rev := e.safetyWith(sp, ev, e.claim)
	if rev != "" {
		t.Fatalf("slash with a committed claim: %s", rev)
	}
	e.checkPayout(rr, slAmount, addr, ub, cb)
}

// Registry.slash takes at most the promise's own leaf, from its own ledger,
// and a beneficiary that refuses ether gets its share credited for claim().
func TestSlashRefusingBeneficiary(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	u := e.user(nil)
	s := e.c.Slot() + 3
	// An equivocation asks for A's own amount (1 ETH), not B's larger one (3 ETH).
	a := e.promise(s, slAmount, incOf(e.l1Tx(u, 4, highFee)))
	b := e.promise(s+1, big.NewInt(3e18), incOf(e.l1Tx(u, 4, new(big.Int).Mul(highFee, big.NewInt(2)))))
	other := e.promise(s, big.NewInt(2e18), incOf(e.l1Tx(e.user(nil), 0, highFee)))
	e.ledger(s, a, other)

	ev := &slashing.EquivocationEvidence{A: a, B: b, IndexA: 0, IndexB: 0}
	var err error
	if ev.BackingA, err = e.b.Backing(ctx, a); err != nil || ev.BackingA == nil {
		t.Fatalf("backing of a: %+v %v", ev.BackingA, err)
	}
	if err := e.judge.Equivocation(ctx, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	// The Inbox has no receive function: the beneficiary share waits for claim().
	refuser := e.k.InboxAddr
	e.claim = slashing.Claim{Beneficiary: refuser, Salt: e.claim.Salt}
	want, err := e.judge.Taken(ctx, e.op.Addr, s, e.judge.Amount(slashing.FaultEquivocation, a.Promise))
	if err != nil || want.Cmp(slAmount) != 0 {
		t.Fatalf("judge takes %s (%v), want a's own 1 ETH", want, err)
	}
	r, rev := e.equivocation(ev)
	if rev != "" {
		t.Fatalf("slashEquivocation: %s", rev)
	}
	_, _, ben := e.judge.Split(want)
	if owed, _ := e.k.Registry.Owed(&bind.CallOpts{}, refuser); owed.Cmp(ben) != 0 {
		t.Fatalf("owed to the refusing beneficiary %s, want %s", owed, ben)
	}
	if got := e.slashedEvent(r).Taken; got.Cmp(want) != 0 {
		t.Fatalf("took %s, want %s", got, want)
	}
	if l := e.c.LedgerOf(e.k, e.op, s); l.Left.Cmp(big.NewInt(2e18)) != 0 {
		t.Fatalf("ledger left %s, want the other promise's 2 ETH untouched", l.Left)
	}
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	if _, err := e.k.Registry.Claim(e.c.Opts(slFunder)); revertName(t, err, regABI) != "NothingToClaim" {
		t.Fatalf("claim with nothing owed: %v", err)
	}
}

// safetyCase is a promise, the Slasher's revert for its safety evidence
// ("" when it slashes) and the judge's sentinel (nil when it slashes).
type safetyCase struct {
	name  string
	sp    slashing.SignedPromise
	want  string
	judge error
}

// expectSafety builds each case's safety evidence, and checks the judge and
// the Slasher answer as the case says.
func (e *slEnv) expectSafety(cases []safetyCase) {
	e.t.Helper()
	ctx := context.Background()
	for _, tc := range cases {
		ev, err := e.b.Safety(ctx, tc.sp, 0, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		if err := e.judge.Safety(ctx, tc.sp, ev); !errors.Is(err, tc.judge) && !(tc.judge == nil && err == nil) {
			e.t.Fatalf("%s: judge %v, want %v", tc.name, err, tc.judge)
		}
		if _, rev := e.safety(tc.sp, ev); rev != tc.want {
			e.t.Fatalf("%s: got %q, want %q", tc.name, rev, tc.want)
		}
	}
}

// A revoked committer key opens no more ledgers (its ledgers opened before
// still pay), and no ledger, so no promise, binds the operator from its exit
// slot on.
func TestSlashRevokedAndExited(t *testing.T) {
	e := newSlEnv(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	users := []*ecdsa.PrivateKey{e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18))}
	s := e.c.Slot() + 2
	ledgered := e.promise(s, slAmount, incOf(e.l1Tx(users[0], 0, highFee)))
	loose := e.promise(s, slAmount, incOf(e.l1Tx(users[1], 0, highFee)))
	e.commitClaims(ledgered, loose)
	e.advanceTo(s)
	e.ledger(s, ledgered)
	e.c.Mine(e.k.Registry.RevokeCommitter(e.c.Opts(slOperator), crypto.PubkeyToAddress(e.op.Committer.PublicKey)))
	if got, _ := e.k.Registry.CommitterAt(&bind.CallOpts{}, e.op.Addr, s); got != (common.Address{}) {
		t.Fatalf("committerAt after revocation: %s", got)
	}
	// The revoked key opens no more ledgers.
	_, err := e.c.SendOpenLedger(e.k, e.op.Committer, e.op.Addr, s+1, e.op.Poster, e.k.Leaves(e.c, loose.Promise)[0].Digest.Bytes())
	if got := revertName(t, err, regABI); got != "NotCommitter" {
		t.Fatalf("openLedger by a revoked key: %s", got)
	}
	e.pastGrace(s)
	e.expectSafety([]safetyCase{
		{"ledgered before the revocation", ledgered, "", nil},
		{"outside any ledger", loose, "NotInLedger", slashing.ErrNotInLedger},
	})

	// A new committer, then the exit: promises before the exit slot bind, from it on none.
	newKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	e.c.Mine(e.k.Registry.SetCommitter(e.c.Opts(slOperator), crypto.PubkeyToAddress(newKey.PublicKey)))
	e.advanceTo(e.c.Slot() + e.k.Params.RotationDelay)
	r := e.c.Mine(e.k.Registry.Unregister(e.c.Opts(slOperator)))
	st, err := e.k.Registry.Status(&bind.CallOpts{}, e.op.Addr)
	if err != nil {
		t.Fatal(err)
	}
	unreg := e.c.Slot()
	if st.ExitSlot != unreg+e.k.Params.RotationDelay {
		t.Fatalf("exit slot %d, unregistered at %d (block %s)", st.ExitSlot, unreg, r.BlockNumber)
	}
	before := e.promiseBy(newKey, st.ExitSlot-1, slAmount, incOf(e.l1Tx(users[2], 0, highFee)))
	after := e.promiseBy(newKey, st.ExitSlot, slAmount, incOf(e.l1Tx(users[3], 0, highFee)))
	e.commitClaims(before, after)
	e.c.Fund(slFunder, crypto.PubkeyToAddress(newKey.PublicKey), big.NewInt(1e18))
	rotated := *e.op
	rotated.Committer = newKey
	e.c.OpenLedger(e.k, &rotated, st.ExitSlot-1, before.Promise) // lands in slot ExitSlot-1 or later
	e.advanceTo(st.ExitSlot)
	_, err = e.c.SendOpenLedger(e.k, newKey, e.op.Addr, st.ExitSlot, e.op.Poster, e.k.Leaves(e.c, after.Promise)[0].Digest.Bytes())
	if got := revertName(t, err, regABI); got != "LedgerAfterExit" {
		t.Fatalf("ledger for the exit slot: %s", got)
	}
	e.pastGrace(st.ExitSlot)
	e.expectSafety([]safetyCase{
		{"slot before the exit", before, "", nil},
		{"exit slot", after, "NotInLedger", slashing.ErrNotInLedger},
	})
}
