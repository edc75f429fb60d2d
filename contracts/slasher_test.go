package contracts_test

import (
	"context"
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

// checkPayout asserts a slash of amount moved collateral to user and watcher as split.
func (e *slEnv) checkPayout(r *types.Receipt, amount *big.Int, user common.Address, userBefore, collBefore *big.Int) {
	e.t.Helper()
	ev := e.slashedEvent(r)
	wantUser, wantWatcher := e.judge.Split(amount)
	if ev.UserPaid.Cmp(wantUser) != 0 || ev.WatcherPaid.Cmp(wantWatcher) != 0 {
		e.t.Fatalf("paid user %s watcher %s, want %s and %s", ev.UserPaid, ev.WatcherPaid, wantUser, wantWatcher)
	}
	if ev.User != user || ev.Watcher != e.c.Addr(slWatcher) || ev.Operator != e.op.Addr {
		e.t.Fatalf("event parties %s %s %s", ev.User, ev.Watcher, ev.Operator)
	}
	if got := new(big.Int).Sub(e.balance(user), userBefore); got.Cmp(wantUser) != 0 {
		e.t.Fatalf("user balance grew by %s, want %s", got, wantUser)
	}
	if got := new(big.Int).Sub(collBefore, e.collateral()); got.Cmp(amount) != 0 {
		e.t.Fatalf("collateral fell by %s, want %s", got, amount)
	}
}

func TestSlashSafety(t *testing.T) {
	e := newSlEnv(t)
	user := e.user(big.NewInt(1e18))
	tx := e.l1Tx(user, 0, highFee)
	s := e.c.Slot() + 2
	sp := e.promise(s, slAmount, incOf(tx))
	e.advanceTo(s + 2) // the operator never includes tx

	ev, err := e.b.Safety(context.Background(), sp, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.judge.Safety(context.Background(), sp, ev); err != nil {
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
	if !e.settled(sp) {
		t.Fatal("promise not settled")
	}
	// Replayed evidence is refused: at most once per promise.
	if _, rev := e.safety(sp, ev); rev != "AlreadySettled" {
		t.Fatalf("replay: got %q, want AlreadySettled", rev)
	}
	if err := e.judge.Safety(context.Background(), sp, ev); !errors.Is(err, slashing.ErrSettled) {
		t.Fatalf("judge on replay: %v", err)
	}
}

// Stacked nonces: the second promise is slashable only with the first as prior.
func TestSlashSafetyStackedNonces(t *testing.T) {
	e := newSlEnv(t)
	user := e.user(big.NewInt(1e18))
	tx0, tx1 := e.l1Tx(user, 0, highFee), e.l1Tx(user, 1, highFee)
	s := e.c.Slot() + 2
	first := e.promise(s, slAmount, incOf(tx0))
	second := e.promise(s, big.NewInt(2e18), incOf(tx1))
	e.advanceTo(s + 2)
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
	// A prior signed by someone else is refused.
	forged := e.promiseBy(e.user(nil), s, slAmount, incOf(tx0))
	withForged, _ := e.b.Safety(ctx, second, 0, []slashing.SignedPromise{forged})
	if _, rev := e.safety(second, withForged); rev != "WrongSigner" {
		t.Fatalf("forged prior: got %q, want WrongSigner", rev)
	}
	ev, err := e.b.Safety(ctx, second, 0, []slashing.SignedPromise{first})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Priors) != 1 {
		t.Fatalf("builder picked %d priors, want 1", len(ev.Priors))
	}
	if err := e.judge.Safety(ctx, second, ev); err != nil {
		t.Fatalf("judge: %v", err)
	}
	if _, rev := e.safety(second, ev); rev != "" {
		t.Fatalf("with prior: %s", rev)
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
	e.postL2([]byte("other l2 tx"), []byte("l2 tx kept"), []byte("third")) // lands in slot s
	if e.c.Slot() != s {
		t.Fatalf("post landed in slot %d, want %d", e.c.Slot(), s)
	}
	e.c.Commit()
	ctx := context.Background()
	ev, err := e.b.L2Inclusion(ctx, sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.TxHashes) != 3 {
		t.Fatalf("builder read %d posted txs, want 3", len(ev.TxHashes))
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
	short := &slashing.L2Evidence{Index: 0, Header: kev.Header, TxHashes: []common.Hash{kev.TxHashes[0], kev.TxHashes[2]}}
	if _, rev := e.l2(kept, short); rev != "BatchMismatch" {
		t.Fatalf("hidden tx: got %q, want BatchMismatch", rev)
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
	ev, err := slashing.Equivocation(a, b)
	if err != nil {
		t.Fatal(err)
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
	e.checkPayout(r, big.NewInt(3e18), addr, ub, cb) // the larger slash amount, once
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
	richAddr := crypto.PubkeyToAddress(rich.PublicKey)

	keptTx := e.l1Tx(rich, 0, highFee)
	missedTx := e.l1Tx(rich, 1, highFee) // stays out, but no prior covers nonce 0 in its slot? see below
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
	e.c.Commit()
	next := e.c.Commit() // slot s+2
	e.c.Commit()         // so that next is anchorable

	// Honest evidence for the missed promise (nonce 1 at a parent nonce of 0, no prior
	// promised in a way the builder can use is needed: kept covers nonce 0).
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
		{"tampered promise", tamperedSP, func() *slashing.SafetyEvidence { return good }, "WrongSigner", slashing.ErrWrongSigner},
		{"signed by another key", otherKey, func() *slashing.SafetyEvidence { return good }, "WrongSigner", slashing.ErrWrongSigner},
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
		ev, err := e.b.Safety(ctx, late, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.advanceTo(late.Promise.Slot + e.k.Params.SlashWindow + 1)
		if err := e.judge.Safety(ctx, late, ev); !errors.Is(err, slashing.ErrExpired) {
			t.Fatalf("judge: %v", err)
		}
		if _, rev := e.safety(late, ev); rev != "EvidenceExpired" {
			t.Fatalf("got %q, want EvidenceExpired", rev)
		}
	})
	_ = richAddr
}
