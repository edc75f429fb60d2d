package watcher_test

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// The deployment carries what the judge needs of the new contracts: the
// Slasher's burn share and the Registry's ledger grace.
func TestLoadDeploymentReadsSplitAndGrace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.dep.Config
	if c.BurnBps != uint64(e.k.Params.BurnBps) || c.UserBps != uint64(e.k.Params.UserBps) || c.LedgerGrace != e.k.Params.LedgerGrace {
		t.Fatalf("config %+v, deployed with %+v", c, e.k.Params)
	}
}

// The share goes to the beneficiary committed before the slash: a copy of
// the watcher's evidence sent by someone else pays the watcher's beneficiary,
// and a second watcher that names itself in the same evidence is refused.
func TestCopiedEvidencePaysCommittedBeneficiary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sc := e.promise(s, slashAmt, e.tx(user, 0, highFee))
	e.ledger(s, sc)
	beneficiary := crypto.PubkeyToAddress(e.user(nil).PublicKey) // a fresh account: its balance is the share
	w := e.watcher(watcher.WithBeneficiary(beneficiary))
	d, _, err := w.Add(t.Context(), sc)
	if err != nil {
		t.Fatal(err)
	}
	stepUntilState(e, w, d, watcher.StateCommitted)
	// The evidence is signed and journaled but lost on the way to the node;
	// a copier takes its call data (as from the mempool) and sends it first.
	e.backend.dropSends.Store(1)
	stepUntilState(e, w, d, watcher.StatePending)
	pending := w.Journal().Pending(d)
	if len(pending) != 1 || pending[0].State != watcher.StatePending {
		t.Fatalf("pending evidence %+v", pending)
	}
	var evidence types.Transaction
	if err := evidence.UnmarshalBinary(pending[0].Raw); err != nil {
		t.Fatal(err)
	}
	claim, ok := w.Journal().Claim(d)
	if !ok || claim.Beneficiary != beneficiary {
		t.Fatalf("journaled claim %+v", claim)
	}

	// A second watcher cannot name itself: its claim was never committed.
	rival := e.c.Addr(keyFunder)
	v, err := e.dep.Judge.Assess(t.Context(), slashing.SignedPromise{Promise: e.open(sc), Signature: sc.Signature}, nil)
	if err != nil || !v.Slashable {
		t.Fatalf("verdict %+v, %v", v, err)
	}
	for name, c := range map[string]slashing.Claim{
		"own claim":            {Beneficiary: rival, Salt: common.Hash{1}},
		"the watcher's salt":   {Beneficiary: rival, Salt: claim.Salt},
		"no beneficiary named": {Salt: claim.Salt},
	} {
		if err := e.dep.Judge.CheckClaim(t.Context(), d, c); !errors.Is(err, slashing.ErrClaimNotCommitted) && !errors.Is(err, slashing.ErrZeroBeneficiary) {
			t.Fatalf("%s: judge says %v", name, err)
		}
		data, err := slashing.CallData(slashing.SignedPromise{Promise: e.open(sc), Signature: sc.Signature}, v, c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.c.Client.EstimateGas(t.Context(), ethereum.CallMsg{From: rival, To: &e.k.SlasherAddr, Data: data}); err == nil {
			t.Fatalf("%s: the Slasher would pay a claim never committed", name)
		}
	}

	copier := e.user(big.NewInt(1e18))
	copied, err := types.SignNewTx(copier, types.LatestSignerForChainID(e.c.ChainID), &types.DynamicFeeTx{
		ChainID: e.c.ChainID, Nonce: 0, GasTipCap: evidence.GasTipCap(), GasFeeCap: evidence.GasFeeCap(),
		Gas: evidence.Gas(), To: evidence.To(), Data: evidence.Data(),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.c.Send(copied)
	e.c.Mine(copied, nil)
	evs := e.slashEvents(d)
	if len(evs) != 1 || evs[0].Beneficiary != beneficiary {
		t.Fatalf("PromiseSlashed %+v, want the committed beneficiary %s", evs, beneficiary)
	}
	_, _, share := e.dep.Judge.Split(evs[0].Taken)
	if bal, err := e.c.Client.BalanceAt(t.Context(), beneficiary, nil); err != nil || bal.Cmp(share) != 0 || share.Sign() == 0 {
		t.Fatalf("beneficiary balance %s (%v), want the share %s", bal, err, share)
	}

	// The watcher's own evidence now reverts (settled): it records why and stops.
	rec := e.runUntil(w, d, 6)
	if rec.State != watcher.StateRefused || !strings.Contains(rec.Reason, "settled") {
		t.Fatalf("watcher outcome %+v, want refused as settled", rec)
	}
	if n := len(e.slashEvents(d)); n != 1 {
		t.Fatalf("%d PromiseSlashed events", n)
	}
}

// A promise in no ledger is void: refused with the reason once its slot's
// ledger is known to miss it (at once when the ledger is open without it,
// after the grace when none was opened), never committed to, never retried.
func TestVoidPromiseRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	grace := e.k.Params.LedgerGrace
	users := make([]*ecdsa.PrivateKey, 4)
	for i := range users {
		users[i] = e.user(big.NewInt(1e18)) // funded before the slots: includable
	}
	s := e.c.Slot() + 2
	listed := e.promise(s, slashAmt, e.tx(users[0], 0, highFee))
	omitted := e.promise(s, slashAmt, e.tx(users[1], 0, highFee))
	otherAmount := e.promise(s, slashAmt, e.tx(users[2], 0, highFee))
	noLedger := e.promise(s+1, slashAmt, e.tx(users[3], 0, highFee))
	w := e.watcher(watcher.WithConfirmations(1))
	var ds []common.Hash
	for _, sc := range []*protocol.SignedCommitment{listed, omitted, otherAmount, noLedger} {
		d, _, err := w.Add(t.Context(), sc)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	// The ledger lists otherAmount with another amount than it promises.
	lied := e.open(otherAmount)
	lied.SlashAmount = big.NewInt(1)
	lg := []*protocol.Promise{e.open(listed), lied}
	e.c.OpenLedger(e.k, e.op, s, lg...)

	for _, i := range []int{1, 2} {
		rec := e.runUntil(w, ds[i], 4)
		if rec.State != watcher.StateRefused || !strings.Contains(rec.Reason, slashing.ErrNotInLedger.Error()) {
			t.Fatalf("promise %d: %+v, want refused as void", i, rec)
		}
	}
	// No ledger for s+1: retried while it may still be opened, void after.
	for e.c.Slot() <= s+1+grace {
		e.step(w)
		if r, _ := w.Journal().Latest(ds[3]); r.State != watcher.StateSeen {
			t.Fatalf("at slot %d, within the grace: %+v", e.c.Slot(), r)
		}
		e.c.Commit()
	}
	rec := e.runUntil(w, ds[3], 3)
	if rec.State != watcher.StateRefused || !strings.Contains(rec.Reason, slashing.ErrNotInLedger.Error()) {
		t.Fatalf("no ledger: %+v, want refused as void", rec)
	}
	if r := e.runUntil(w, ds[0], 8); r.State != watcher.StateSlashed {
		t.Fatalf("listed promise: %+v", r)
	}
	// Only the listed promise cost transactions; the void ones are not judged again.
	before := e.journalLines()
	for range 3 {
		e.step(w)
		e.c.Commit()
	}
	for _, d := range ds[1:] {
		if _, ok := w.Journal().Claim(d); ok {
			t.Fatalf("a claim was drawn for void promise %s", d)
		}
		if r, _ := w.Journal().Latest(d); r.State != watcher.StateRefused {
			t.Fatalf("void promise %s is %s", d, r.State)
		}
	}
	if n := e.sentByWatcher(); n != 2 {
		t.Fatalf("watcher sent %d transactions, want 2 (for the listed promise)", n)
	}
	if after := e.journalLines(); after != before {
		t.Fatalf("the journal grew from %d to %d lines with nothing left to judge", before, after)
	}
}
