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

func toBinding(p *protocol.Promise) bindings.ISlasherPromise {
	out := bindings.ISlasherPromise{CommitmentType: p.CommitmentType, Operator: p.Operator, Slot: p.Slot, SlashAmount: p.SlashAmount, RequestHash: p.RequestHash}
	for _, inc := range p.Inclusions {
		out.Inclusions = append(out.Inclusions, bindings.ISlasherInclusion{
			ChainId: inc.ChainID, TxHash: inc.TxHash, Sender: inc.Sender, Nonce: inc.Nonce,
			MaxFeePerGas: inc.MaxFeePerGas, MaxFeePerBlobGas: inc.MaxFeePerBlobGas, GasLimit: inc.GasLimit, MaxCost: inc.MaxCost,
		})
	}
	return out
}

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

// The Slasher's EIP-712 digest of a promise is the Go package's, for every type.
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
			got, err := e.k.Slasher.PromiseDigest(&bind.CallOpts{}, toBinding(p))
			if err != nil {
				t.Fatal(err)
			}
			if want := p.Digest(e.dom); common.Hash(got) != want {
				t.Fatalf("contract digest %x, Go digest %x", got, want)
			}
			// A different Slasher address gives a different digest: the domain binds it.
			other := protocol.Domain{ChainID: e.dom.ChainID, Slasher: common.Address{9}}
			if p.Digest(other) == common.Hash(got) {
				t.Fatal("digest does not depend on the verifying contract")
			}
		})
	}
	sep, err := e.k.Slasher.DomainSeparator(&bind.CallOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if common.Hash(sep) != e.dom.Separator() {
		t.Fatalf("domain separator %x, Go %x", sep, e.dom.Separator())
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
func (e *slEnv) checkPayout(r *types.Receipt, taken *big.Int, backed bool, user common.Address, userBefore, collBefore *big.Int) {
	e.t.Helper()
	ev := e.slashedEvent(r)
	wantUser, wantBurnt, wantBen := e.judge.Split(taken)
	if ev.Taken.Cmp(taken) != 0 || ev.UserPaid.Cmp(wantUser) != 0 || ev.Backed != backed {
		e.t.Fatalf("took %s (backed %v), paid user %s; want %s (backed %v) and %s", ev.Taken, ev.Backed, ev.UserPaid, taken, backed, wantUser)
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
	if !ev.Backing.Backed {
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
	e.checkPayout(r, slAmount, true, addr, ub, cb)
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
	e.checkPayout(r, e.judge.Amount(slashing.FaultLiveness, sp.Promise), true, addr, ub, cb)
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
	if len(ev.TxHashes) != 3 || !ev.Backing.Backed {
		t.Fatalf("builder read %d posted txs of the poster (backed %v), want 3", len(ev.TxHashes), ev.Backing.Backed)
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
	e.checkPayout(r, slAmount, true, addr, ub, cb)
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
	if ev.A.Promise != b.Promise || !ev.BackingA.Backed {
		t.Fatalf("builder pays as slot %d (backed %v), want b's", ev.A.Promise.Slot, ev.BackingA.Backed)
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
	e.checkPayout(r, big.NewInt(3e18), true, addr, ub, cb) // the larger slash amount, once
	if !e.settled(a) || !e.settled(b) {
		t.Fatal("both promises must be settled")
	}
	if _, rev := e.equivocation(ev); rev != "AlreadySettled" {
		t.Fatalf("replay: %q", rev)
	}
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
	// Past the ledger grace, so evidence judged unledgered is judged now, not pending.
	e.pastGrace(s)

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
		// ...and unledgered, its signer is not the committer.
		{"tampered promise, unledgered", tamperedSP, func() *slashing.SafetyEvidence {
			c := clone(good)
			bk, err := e.b.Backing(ctx, tamperedSP)
			if err != nil || bk.Backed {
				t.Fatalf("backing of the tampered promise: %+v %v", bk, err)
			}
			c.Backing = bk
			return c
		}, "WrongSigner", slashing.ErrWrongSigner},
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

// An unledgered promise (sold but never put in its slot's ledger, or for a
// slot without a ledger) waits for the ledger grace, needs a proof of its
// absence from the ledger, and is paid from the free collateral.
func TestSlashUnledgered(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	u1, u2, u3 := e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18)), e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	listed := e.promise(s, slAmount, incOf(e.l1Tx(u1, 0, highFee)))
	hidden := e.promise(s, big.NewInt(2e18), incOf(e.l1Tx(u2, 0, highFee)))
	nowhere := e.promise(s+1, slAmount, incOf(e.l1Tx(u3, 0, highFee)))
	e.commitClaims(hidden, nowhere, listed)
	e.advanceTo(s + 1)
	e.ledger(s, listed)
	e.c.Commit() // the claims are older than the head

	ev, err := e.b.Safety(ctx, hidden, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Backing.Backed || len(ev.Backing.Neighbours) != 1 {
		t.Fatalf("backing of a promise outside a one-leaf ledger: %+v", ev.Backing)
	}
	listedEv, err := e.b.Safety(ctx, listed, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	clone := func(bk *slashing.Backing) *slashing.SafetyEvidence { c := *ev; c.Backing = bk; return &c }
	moved := func(name string, sp slashing.SignedPromise, ev *slashing.SafetyEvidence, want string, judge error) {
		t.Helper()
		if err := e.judge.Safety(ctx, sp, ev); !errors.Is(err, judge) {
			t.Fatalf("%s: judge %v, want %v", name, err, judge)
		}
		cb := e.collateral()
		if _, rev := e.safety(sp, ev); rev != want {
			t.Fatalf("%s: got %q, want %q", name, rev, want)
		}
		if e.collateral().Cmp(cb) != 0 {
			t.Fatalf("%s: collateral moved", name)
		}
	}
	// Within the grace the ledger could still be opened with it.
	moved("within the grace", hidden, ev, "LedgerPending", slashing.ErrLedgerPending)
	// Claiming another promise's leaf is refused at once.
	moved("another promise's leaf", hidden, clone(listedEv.Backing), "NotInLedger", slashing.ErrNotInLedger)

	e.pastGrace(s + 1)
	// Absence must be proven: no neighbours, a moved neighbour, or the promise's own leaf fail.
	moved("no neighbours", hidden, clone(&slashing.Backing{}), "InLedger", slashing.ErrInLedger)
	shifted := *ev.Backing
	shifted.Neighbours = []slashing.LeafProof{ev.Backing.Neighbours[0]}
	shifted.Neighbours[0].Index++
	moved("neighbour at a wrong index", hidden, clone(&shifted), "InLedger", slashing.ErrInLedger)
	own := &slashing.Backing{Neighbours: []slashing.LeafProof{{Leaf: protocol.LedgerLeaf{Digest: listed.Promise.Digest(e.dom), Amount: slAmount}, Index: 0, Proof: listedEv.Backing.Proof}}}
	listedAsHidden := *listedEv
	listedAsHidden.Backing = own
	moved("a listed promise as unledgered", listed, &listedAsHidden, "InLedger", slashing.ErrInLedger)

	addr := crypto.PubkeyToAddress(u2.PublicKey)
	ub, cb, free := e.balance(addr), e.collateral(), e.free()
	if err := e.judge.Safety(ctx, hidden, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	r, rev := e.safety(hidden, ev)
	if rev != "" {
		t.Fatalf("slashSafety: %s", rev)
	}
	e.checkPayout(r, big.NewInt(2e18), false, addr, ub, cb)
	if got := new(big.Int).Sub(free, e.free()); got.Cmp(big.NewInt(2e18)) != 0 {
		t.Fatalf("free collateral fell by %s, want 2 ETH", got)
	}
	if l := e.c.LedgerOf(e.k, e.op, s); l.Left.Cmp(slAmount) != 0 {
		t.Fatalf("the ledger paid an unledgered promise: left %s", l.Left)
	}

	// A slot without a ledger: no neighbours needed.
	nev, err := e.b.Safety(ctx, nowhere, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if nev.Backing.Backed || len(nev.Backing.Neighbours) != 0 {
		t.Fatalf("backing without a ledger: %+v", nev.Backing)
	}
	if err := e.judge.Safety(ctx, nowhere, nev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.safety(nowhere, nev); rev != "" {
		t.Fatalf("slash of a slot without ledger: %s", rev)
	}
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
	e.checkPayout(rr, slAmount, true, addr, ub, cb)
}

// Registry.slash takes at most what backs the promise: the ledger's left when
// backed, the free collateral when not. A beneficiary that refuses ether gets
// its share credited for claim().
func TestSlashCapsAtSource(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	u := e.user(nil)
	rich := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 3
	// An equivocation asks for the larger amount, 3 ETH; a's ledger holds 1.
	a := e.promise(s, slAmount, incOf(e.l1Tx(u, 4, highFee)))
	b := e.promise(s+1, big.NewInt(3e18), incOf(e.l1Tx(u, 4, new(big.Int).Mul(highFee, big.NewInt(2)))))
	// A ledger reserving all but half an ETH of the rest, and a 1 ETH promise outside any ledger.
	big1 := e.promise(s+1, new(big.Int).Sub(slCollateral, big.NewInt(15e17)), incOf(e.l1Tx(e.user(nil), 0, highFee)))
	hidden := e.promise(s, slAmount, incOf(e.l1Tx(rich, 0, highFee)))
	e.ledger(s, a)
	e.ledger(s+1, big1)
	if e.free().Cmp(big.NewInt(5e17)) != 0 {
		t.Fatalf("free collateral %s, want 0.5 ETH", e.free())
	}

	ev := &slashing.EquivocationEvidence{A: a, B: b, IndexA: 0, IndexB: 0}
	var err error
	if ev.BackingA, err = e.b.Backing(ctx, a); err != nil || !ev.BackingA.Backed {
		t.Fatalf("backing of a: %+v %v", ev.BackingA, err)
	}
	if err := e.judge.Equivocation(ctx, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	// The Inbox has no receive function: the beneficiary share waits for claim().
	refuser := e.k.InboxAddr
	e.claim = slashing.Claim{Beneficiary: refuser, Salt: e.claim.Salt}
	want, err := e.judge.Taken(ctx, e.op.Addr, s, ev.BackingA, big.NewInt(3e18))
	if err != nil || want.Cmp(slAmount) != 0 {
		t.Fatalf("judge takes %s (%v), want the ledger's 1 ETH", want, err)
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
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	if _, err := e.k.Registry.Claim(e.c.Opts(slFunder)); revertName(t, err, regABI) != "NothingToClaim" {
		t.Fatalf("claim with nothing owed: %v", err)
	}

	// Unledgered: the free collateral (0.5 ETH) caps the 1 ETH promise.
	e.claim.Beneficiary = e.c.Addr(slWatcher)
	e.pastGrace(s)
	hev, err := e.b.Safety(ctx, hidden, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.judge.Safety(ctx, hidden, hev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	taken, err := e.judge.Taken(ctx, e.op.Addr, s, hev.Backing, slAmount)
	if err != nil || taken.Cmp(big.NewInt(5e17)) != 0 {
		t.Fatalf("judge takes %s (%v), want the 0.5 ETH free", taken, err)
	}
	addr := crypto.PubkeyToAddress(rich.PublicKey)
	ub, cb := e.balance(addr), e.collateral()
	hr, rev := e.safety(hidden, hev)
	if rev != "" {
		t.Fatalf("slashSafety: %s", rev)
	}
	e.checkPayout(hr, taken, false, addr, ub, cb)
	if e.free().Sign() != 0 {
		t.Fatalf("free collateral left %s", e.free())
	}
}

// A revoked committer key binds nothing outside the ledgers it opened before,
// and no key binds the operator from its exit slot on.
func TestSlashRevokedAndExited(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
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
	for _, tc := range []struct {
		name  string
		sp    slashing.SignedPromise
		want  string
		judge error
	}{
		{"ledgered before the revocation", ledgered, "", nil},
		{"outside any ledger", loose, "WrongSigner", slashing.ErrNoCommitter},
	} {
		ev, err := e.b.Safety(ctx, tc.sp, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.judge.Safety(ctx, tc.sp, ev); !errors.Is(err, tc.judge) && !(tc.judge == nil && err == nil) {
			t.Fatalf("%s: judge %v, want %v", tc.name, err, tc.judge)
		}
		if _, rev := e.safety(tc.sp, ev); rev != tc.want {
			t.Fatalf("%s: got %q, want %q", tc.name, rev, tc.want)
		}
	}

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
	e.advanceTo(st.ExitSlot)
	e.c.Fund(slFunder, crypto.PubkeyToAddress(newKey.PublicKey), big.NewInt(1e18))
	_, err = e.c.SendOpenLedger(e.k, newKey, e.op.Addr, st.ExitSlot, e.op.Poster, e.k.Leaves(e.c, after.Promise)[0].Digest.Bytes())
	if got := revertName(t, err, regABI); got != "LedgerAfterExit" {
		t.Fatalf("ledger for the exit slot: %s", got)
	}
	e.pastGrace(st.ExitSlot)
	for _, tc := range []struct {
		name  string
		sp    slashing.SignedPromise
		want  string
		judge error
	}{
		{"slot before the exit", before, "", nil},
		{"exit slot", after, "WrongSigner", slashing.ErrNoCommitter},
	} {
		ev, err := e.b.Safety(ctx, tc.sp, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.judge.Safety(ctx, tc.sp, ev); !errors.Is(err, tc.judge) && !(tc.judge == nil && err == nil) {
			t.Fatalf("%s: judge %v, want %v", tc.name, err, tc.judge)
		}
		if _, rev := e.safety(tc.sp, ev); rev != tc.want {
			t.Fatalf("%s: got %q, want %q", tc.name, rev, tc.want)
		}
	}
}
