package contracts_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// The URC path (Slasher.slash, docs/protocol.md §9.9).
//
// The URC stand-in is an EOA (key slURC) deployed as the Slasher's `urc`: the
// URC source matching the current ISlasher (with Commitment.requestHash) is
// not available here, so the EOA plays the URC after its own checks (the
// delegation's BLS signature, the commitment's ECDSA signer): it calls
// slash with the delegation, the commitment, the committer recovered from the
// commitment's signature, the evidence and the challenger, as the URC's
// slashCommitment does.

// slURC is the key playing the URC.
const slURC = slKeys

// urcSelector is ISlasher.slash's selector in the reference gateway's URC bindings.
const urcSelector = "0xc239ef42"

// urcEnv is a deployment whose Slasher answers the URC, with one Pledge
// Registry operator (for the disjointness tests) and one URC operator's
// committer, whose delegations name the funder as poster.
type urcEnv struct {
	*slEnv
	committer *ecdsa.PrivateKey
	poster    common.Address
}

func newURCEnv(t *testing.T) *urcEnv {
	t.Helper()
	c := chaintest.New(t, slKeys+1)
	p := chaintest.DefaultParams()
	p.URC = c.Addr(slURC)
	k := c.Deploy(p)
	op := c.RegisterOperator(k, slOperator, slCollateral)
	op.Poster = c.Addr(slFunder)
	claim, err := slashing.NewClaim(c.Addr(slWatcher))
	if err != nil {
		t.Fatal(err)
	}
	j := newJudge(t, c, k)
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	e := &slEnv{t: t, c: c, k: k, op: op, dom: k.Domain(c), judge: j, b: j.Builder(), claim: claim}
	return &urcEnv{slEnv: e, committer: key, poster: c.Addr(slFunder)}
}

// urcPromise is a promise of the URC operator (operator zero) signed by key.
func (e *urcEnv) urcPromise(key *ecdsa.PrivateKey, slot uint64, amount *big.Int, incs ...protocol.Inclusion) slashing.SignedPromise {
	e.t.Helper()
	sp := e.promiseBy(key, slot, amount, incs...)
	sp.Promise.Operator = common.Address{}
	sig, err := protocol.SignPromise(sp.Promise, e.dom, key)
	if err != nil {
		e.t.Fatal(err)
	}
	sp.Signature = sig
	return sp
}

// delegation is a real delegation of slot to the committer naming the poster.
// The BLS points are arbitrary: the URC verified them, the Slasher does not read them.
func (e *urcEnv) delegation(slot uint64) slashing.URCDelegation {
	return slashing.URCDelegation{
		Proposer:  slashing.G1Point{{1}, {2}, {3}, {4}},
		Delegate:  slashing.G1Point{{5}, {6}, {7}, {8}},
		Committer: crypto.PubkeyToAddress(e.committer.PublicKey),
		Slot:      slot,
		Metadata:  slashing.PosterMetadata(e.poster),
	}
}

// slashCall is the URC's call slashing sp with ev under d; the challenger is the watcher.
func (e *urcEnv) slashCall(sp slashing.SignedPromise, d slashing.URCDelegation, ev any) *slashing.URCSlash {
	e.t.Helper()
	s, err := slashing.NewURCSlash(e.k.SlasherAddr, sp, d, ev, e.c.Addr(slWatcher))
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// call runs s as an eth_call from key index from at the head: the amount slash
// returns, or the name of its revert.
func (e *urcEnv) call(s *slashing.URCSlash, from int) (*big.Int, string) {
	e.t.Helper()
	data, err := s.CallData()
	if err != nil {
		e.t.Fatal(err)
	}
	out, err := e.c.Client.CallContract(context.Background(), ethereum.CallMsg{From: e.c.Addr(from), To: &e.k.SlasherAddr, Data: data}, nil)
	if err != nil {
		return nil, slRevert(e.t, err)
	}
	return new(big.Int).SetBytes(out), ""
}

// send has the URC send s and seals it: the receipt, or the revert's name.
func (e *urcEnv) send(s *slashing.URCSlash) (*types.Receipt, string) {
	e.t.Helper()
	c := bindings.ISlasherCommitment{CommitmentType: s.Commitment.CommitmentType, Payload: s.Commitment.Payload, RequestHash: s.Commitment.RequestHash, Slasher: s.Commitment.Slasher}
	tx, err := e.k.Slasher.Slash(e.c.Opts(slURC), s.Delegation.Binding(), c, s.Committer, s.Evidence, s.Challenger)
	if err != nil {
		return nil, slRevert(e.t, err)
	}
	r := e.c.Mine(tx, nil)
	return r, ""
}

// expect checks the judge refuses s with want and the contract reverts with name.
func (e *urcEnv) expect(what string, s *slashing.URCSlash, want error, name string) {
	e.t.Helper()
	if _, err := e.judge.URC(context.Background(), s); !errors.Is(err, want) {
		e.t.Errorf("%s: judge says %v, want %v", what, err, want)
	}
	if _, rev := e.call(s, slURC); rev != name {
		e.t.Errorf("%s: Slasher says %q, want %q", what, rev, name)
	}
}

// The Slasher's slash has exactly the URC's selector: the binding's method ID
// is keccak256 of the URC's signature, and the reference's 0xc239ef42.
func TestURCSlashSelector(t *testing.T) {
	t.Parallel()
	a, err := bindings.SlasherMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := a.Methods["slash"]
	if !ok {
		t.Fatal("the Slasher has no slash")
	}
	want := crypto.Keccak256([]byte(slashing.URCSlashSignature))[:4]
	if !bytes.Equal(m.ID, want) {
		t.Fatalf("slash's method ID %x (%s), want %x from %s", m.ID, m.Sig, want, slashing.URCSlashSignature)
	}
	if m.Sig != slashing.URCSlashSignature {
		t.Fatalf("slash's signature %s, want %s", m.Sig, slashing.URCSlashSignature)
	}
	if got := hexutil.Encode(m.ID); got != urcSelector {
		t.Fatalf("selector %s, the URC's is %s", got, urcSelector)
	}
	if len(m.Outputs) != 1 || m.Outputs[0].Type.String() != "uint256" {
		t.Fatalf("slash returns %v, want one uint256", m.Outputs)
	}
}

// The Slasher's runtime code stays under EIP-170's 24,576 bytes.
func TestSlasherCodeSize(t *testing.T) {
	t.Parallel()
	e := newSlEnv(t)
	code, err := e.c.Client.CodeAt(context.Background(), e.k.SlasherAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Slasher runtime code: %d bytes (EIP-170 limit 24,576)", len(code))
	if len(code) > 24576 {
		t.Fatalf("Slasher runtime code %d bytes, above EIP-170's 24,576", len(code))
	}
}

// Each fault slashes through the URC: slash returns the judge's amount
// (livenessBps of it for a missed slot), settles the promise, emits
// PromiseSlashed with operator zero, no user payment and the challenger as
// beneficiary, moves no ether (the URC burns from its own collateral) and
// touches no Registry operator; the same call again is AlreadySettled.
func TestURCSlashFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		fault     slashing.Fault
		delegated bool
	}{
		{"safety delegated", slashing.FaultSafety, true},
		{"safety opted in", slashing.FaultSafety, false},
		{"liveness", slashing.FaultLiveness, false},
		{"l2 delegated", slashing.FaultL2Inclusion, true},
		{"equivocation", slashing.FaultEquivocation, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newURCEnv(t)
			ctx := context.Background()
			user := e.user(big.NewInt(1e18))
			addr := crypto.PubkeyToAddress(user.PublicKey)
			s := e.c.Slot() + 2
			var sp slashing.SignedPromise
			var ev any
			var err error
			d := slashing.URCDelegation{}
			if tc.delegated {
				d = e.delegation(s)
			}
			switch tc.fault {
			case slashing.FaultSafety:
				first, second := e.l1Tx(user, 0, highFee), e.l1Tx(user, 1, highFee)
				prior := e.urcPromise(e.committer, s, slAmount, incOf(first))
				sp = e.urcPromise(e.committer, s, big.NewInt(3e18), incOf(second))
				e.advanceTo(s + 1)
				ev, err = e.b.URCSafety(ctx, sp, 0, []slashing.SignedPromise{prior})
				if err == nil && len(ev.(*slashing.SafetyEvidence).Priors) != 1 {
					t.Fatal("the builder did not pick the signed prior")
				}
			case slashing.FaultLiveness:
				sp = e.urcPromise(e.committer, s, big.NewInt(3e18), incOf(e.l1Tx(user, 0, highFee)))
				e.advanceTo(s - 1)
				e.c.SkipSlots(1)
				e.c.Commit()
				ev, err = e.b.URCLiveness(ctx, sp)
			case slashing.FaultL2Inclusion:
				sp = e.urcPromise(e.committer, s, big.NewInt(3e18), l2Inc([]byte("never posted"), addr, 0))
				e.advanceTo(s - 1)
				e.postL2([]byte("someone else's"))
				e.c.Commit()
				ev, err = e.b.URCL2Inclusion(ctx, sp, 0, e.poster)
			case slashing.FaultEquivocation:
				sp = e.urcPromise(e.committer, s, big.NewInt(3e18), incOf(e.l1Tx(user, 0, highFee)))
				other := e.urcPromise(e.committer, s+1, slAmount, incOf(e.c.Transfer(user, 0, addr, big.NewInt(7), highFee)))
				ev, err = slashing.Equivocation(sp, other)
				e.c.Commit()
			}
			if err != nil {
				t.Fatal(err)
			}
			call := e.slashCall(sp, d, ev)
			v, err := e.judge.URC(ctx, call)
			if err != nil {
				t.Fatalf("judge: %v", err)
			}
			want := e.judge.Amount(tc.fault, sp.Promise)
			if v.Amount.Cmp(want) != 0 || v.Fault != tc.fault {
				t.Fatalf("judge: %s of %s, want %s of %s", v.Fault, v.Amount, tc.fault, want)
			}
			got, rev := e.call(call, slURC)
			if rev != "" || got.Cmp(want) != 0 {
				t.Fatalf("slash returns %v (%q), want %s", got, rev, want)
			}
			collBefore, slasherBal, regBal := e.collateral(), e.balance(e.k.SlasherAddr), e.balance(e.k.RegistryAddr)
			userBal := e.balance(addr)
			r, rev := e.send(call)
			if rev != "" {
				t.Fatalf("slash: %s", rev)
			}
			t.Logf("slash (%s) gas: %d", tc.name, r.GasUsed)
			sl := e.slashedEvent(r)
			if sl.Digest != v.Digest || sl.Operator != (common.Address{}) || sl.Fault != uint8(tc.fault) || sl.User != addr ||
				sl.Taken.Cmp(want) != 0 || sl.UserPaid.Sign() != 0 || sl.Beneficiary != e.c.Addr(slWatcher) || sl.OtherDigest != v.Other {
				t.Fatalf("PromiseSlashed %+v, judge %+v", sl, v)
			}
			if !e.settled(sp) {
				t.Fatal("not settled")
			}
			if e.collateral().Cmp(collBefore) != 0 || e.balance(e.k.SlasherAddr).Cmp(slasherBal) != 0 ||
				e.balance(e.k.RegistryAddr).Cmp(regBal) != 0 || e.balance(addr).Cmp(userBal) != 0 {
				t.Fatal("a URC slash moved ether or Registry collateral")
			}
			e.expect("replay", call, slashing.ErrSettled, "AlreadySettled")
		})
	}
}

// Every refusal of the URC path, each with the judge's matching reason.
func TestURCSlashRefusals(t *testing.T) {
	t.Parallel()
	e := newURCEnv(t)
	ctx := context.Background()
	user := e.user(big.NewInt(1e18))
	addr := crypto.PubkeyToAddress(user.PublicKey)
	s := e.c.Slot() + 2
	tx0, tx1 := e.l1Tx(user, 0, highFee), e.l1Tx(user, 1, highFee)
	prior := e.urcPromise(e.committer, s, slAmount, incOf(tx0))
	sp := e.urcPromise(e.committer, s, slAmount, incOf(tx1))
	keptTx := e.l1Tx(e.user(big.NewInt(1e18)), 0, highFee)
	kept := e.urcPromise(e.committer, s, slAmount, incOf(keptTx))
	l2 := e.urcPromise(e.committer, s, slAmount, l2Inc([]byte("missing"), addr, 0))
	e.advanceTo(s - 1)
	e.c.Send(keptTx)
	e.postL2([]byte("someone else's"))
	e.c.Commit()
	d := e.delegation(s)

	ev, err := e.b.URCSafety(ctx, sp, 0, []slashing.SignedPromise{prior})
	if err != nil || len(ev.Priors) != 1 {
		t.Fatalf("evidence: %v", err)
	}
	good := e.slashCall(sp, d, ev)
	if _, err := e.judge.URC(ctx, good); err != nil {
		t.Fatalf("the unaltered call: %v", err)
	}
	if _, rev := e.call(good, slURC); rev != "" {
		t.Fatalf("the unaltered call: %s", rev)
	}
	alter := func(f func(*slashing.URCSlash)) *slashing.URCSlash {
		c := *good
		c.Commitment.Payload = bytes.Clone(good.Commitment.Payload)
		f(&c)
		return &c
	}

	// Not the URC: anyone else calling slash is refused; the judge assumes the URC.
	if _, rev := e.call(good, slWatcher); rev != "NotURC" {
		t.Errorf("a watcher calling slash: %q, want NotURC", rev)
	}
	if _, rev := e.call(good, slOperator); rev != "NotURC" {
		t.Errorf("the operator calling slash: %q, want NotURC", rev)
	}

	// A Registry operator's promise (operator != 0) is not judged through the URC.
	own := e.promise(s, slAmount, incOf(tx1))
	ownEv, err := e.b.URCSafety(ctx, own, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.expect("Registry operator via the URC", e.slashCall(own, slashing.URCDelegation{}, ownEv), slashing.ErrNotURCPromise, "NotURCPromise")

	// A URC promise (operator 0) is not judged by the own path: no ledger and no
	// committer exist for operator 0 (nobody can register as address zero).
	pev, err := e.b.URCSafety(ctx, prior, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	// (The judge says ErrLedgerPending within the ledger grace: it does not
	// special-case operator 0, whose ledger can never be opened.)
	if err := e.judge.Safety(ctx, prior, pev); !errors.Is(err, slashing.ErrNotInLedger) && !errors.Is(err, slashing.ErrLedgerPending) {
		t.Errorf("judge, operator 0 via the own path: %v, want ErrNotInLedger", err)
	}
	if _, rev := e.safety(prior, pev); rev != "NotInLedger" {
		t.Errorf("operator 0 via slashSafety: %q, want NotInLedger", rev)
	}
	if _, rev := e.safety(sp, ev); rev != "BadPrior" {
		t.Errorf("operator 0 via slashSafety, with a prior: %q, want BadPrior (no ledger backs it)", rev)
	}
	if eq, err := slashing.Equivocation(prior, e.urcPromise(e.committer, s, slAmount, incOf(e.c.Transfer(user, 0, addr, big.NewInt(7), highFee)))); err != nil {
		t.Fatal(err)
	} else if _, rev := e.equivocation(eq); rev != "WrongSigner" {
		t.Errorf("operator 0 via slashEquivocation: %q, want WrongSigner (no committer for operator 0)", rev)
	}

	// The commitment must name this Slasher and repeat the promise's type and request hash.
	e.expect("another slasher", alter(func(c *slashing.URCSlash) { c.Commitment.Slasher = common.Address{9} }), slashing.ErrNotThisSlasher, "NotThisSlasher")
	e.expect("another type", alter(func(c *slashing.URCSlash) { c.Commitment.CommitmentType = protocol.TypeBundle }), slashing.ErrCommitmentMismatch, "CommitmentMismatch")
	e.expect("another request hash", alter(func(c *slashing.URCSlash) { c.Commitment.RequestHash = common.Hash{7} }), slashing.ErrCommitmentMismatch, "CommitmentMismatch")

	// A real delegation binds one slot and one committer.
	e.expect("delegation for another slot", alter(func(c *slashing.URCSlash) { c.Delegation.Slot = s + 1 }), slashing.ErrDelegationMismatch, "DelegationMismatch")
	e.expect("delegation to another committer", alter(func(c *slashing.URCSlash) { c.Delegation.Committer = addr }), slashing.ErrDelegationMismatch, "DelegationMismatch")
	e.expect("no committer", alter(func(c *slashing.URCSlash) { c.Committer = common.Address{}; c.Delegation = slashing.URCDelegation{} }), slashing.ErrWrongSigner, "WrongSigner")

	// A prior binds only when the committer signed it.
	forged := e.urcPromise(e.user(nil), s, slAmount, incOf(tx0))
	fev := *ev
	fev.Priors = []slashing.Prior{{SignedPromise: forged}}
	e.expect("prior signed by another key", e.slashCall(sp, d, &fev), slashing.ErrBadPrior, "BadPrior")
	bare := *ev
	bare.Priors = nil
	e.expect("no prior", e.slashCall(sp, d, &bare), slashing.ErrNotIncludable, "NonceGap")

	// L2 needs the poster a real delegation names.
	l2ev, err := e.b.URCL2Inclusion(ctx, l2, 0, e.poster)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.judge.URC(ctx, e.slashCall(l2, d, l2ev)); err != nil {
		t.Fatalf("L2 with a delegated poster: %v", err)
	}
	e.expect("L2 without a delegation", e.slashCall(l2, slashing.URCDelegation{}, l2ev), slashing.ErrNoPoster, "NoPoster")
	noMeta := d
	noMeta.Metadata = nil
	e.expect("L2, delegation without metadata", e.slashCall(l2, noMeta, l2ev), slashing.ErrNoPoster, "NoPoster")
	dirty := d
	dirty.Metadata = slashing.PosterMetadata(e.poster)
	dirty.Metadata[0] = 1
	e.expect("L2, metadata not an address", e.slashCall(l2, dirty, l2ev), slashing.ErrNoPoster, "NoPoster")
	// Another poster's batch (not the delegated one) does not match the Inbox's record.
	other := d
	other.Metadata = slashing.PosterMetadata(addr)
	e.expect("L2, another poster", e.slashCall(l2, other, l2ev), slashing.ErrBatchMismatch, "BatchMismatch")

	// A kept promise is not slashable.
	kev, err := e.b.URCSafety(ctx, kept, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.expect("kept promise", e.slashCall(kept, d, kev), slashing.ErrPromiseKept, "PromiseKept")

	// Equivocation's B must be signed by the committer.
	eq, err := slashing.Equivocation(sp, e.urcPromise(e.user(nil), s, slAmount, incOf(e.c.Transfer(user, 1, addr, big.NewInt(7), highFee))))
	if err != nil {
		t.Fatal(err)
	}
	e.expect("equivocation, B by another key", e.slashCall(sp, d, eq), slashing.ErrWrongSigner, "WrongSigner")

	// Malformed evidence.
	for name, evb := range map[string][]byte{
		"empty":       {},
		"fault 4":     append(common.LeftPadBytes([]byte{4}, 32), good.Evidence[32:]...),
		"truncated":   good.Evidence[:len(good.Evidence)/2],
		"bad offset":  append(append(bytes.Clone(good.Evidence[:32]), common.LeftPadBytes([]byte{0xff, 0xff}, 32)...), good.Evidence[64:]...),
		"huge offset": append(append(bytes.Clone(good.Evidence[:32]), bytes.Repeat([]byte{0xff}, 32)...), good.Evidence[64:]...),
	} {
		c := alter(func(c *slashing.URCSlash) { c.Evidence = evb })
		if _, rev := e.call(c, slURC); rev != "MalformedEvidence" {
			t.Errorf("%s evidence: %q, want MalformedEvidence", name, rev)
		}
		if _, err := e.judge.URC(ctx, c); !errors.Is(err, slashing.ErrMalformedEvidence) {
			t.Errorf("%s evidence: judge %v", name, err)
		}
	}

	// Slash once, then every replay is refused, under any evidence.
	if _, rev := e.send(good); rev != "" {
		t.Fatalf("slash: %s", rev)
	}
	e.expect("replay", good, slashing.ErrSettled, "AlreadySettled")
	e.expect("replay with other evidence", e.slashCall(sp, slashing.URCDelegation{}, ev), slashing.ErrSettled, "AlreadySettled")

	// Past the window.
	e.advanceTo(s + e.k.Params.SlashWindow + 1)
	e.expect("expired", e.slashCall(l2, d, l2ev), slashing.ErrExpired, "EvidenceExpired")
}

// With no URC configured (the default deployment) slash refuses every caller.
func TestURCPathOff(t *testing.T) {
	t.Parallel()
	e := newSlEnv(t)
	if a, err := e.k.Slasher.Urc(&bind.CallOpts{}); err != nil || a != (common.Address{}) {
		t.Fatalf("urc() = %s, %v; want zero", a, err)
	}
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	key, _ := crypto.GenerateKey()
	u := &urcEnv{slEnv: e, committer: key, poster: e.c.Addr(slFunder)}
	sp := u.urcPromise(key, s, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	e.advanceTo(s + 1)
	ev, err := e.b.URCSafety(context.Background(), sp, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	call := u.slashCall(sp, slashing.URCDelegation{}, ev)
	for _, i := range []int{slDeployer, slOperator, slWatcher} {
		if _, rev := u.call(call, i); rev != "NotURC" {
			t.Fatalf("caller %d: %q, want NotURC", i, rev)
		}
	}
	if _, err := e.judge.URC(context.Background(), call); !errors.Is(err, slashing.ErrNotURC) {
		t.Fatalf("judge: %v, want ErrNotURC", err)
	}
}

// A promise with a slashAmount above 2^96 (no ledger caps it here) still
// slashes for a missed slot: the cap comes before the liveness product.
func TestURCLivenessHugeAmount(t *testing.T) {
	t.Parallel()
	e := newURCEnv(t)
	s := e.c.Slot() + 2
	huge := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	sp := e.urcPromise(e.committer, s, huge, incOf(e.l1Tx(e.user(nil), 0, highFee)))
	e.advanceTo(s - 1)
	e.c.SkipSlots(1)
	e.c.Commit()
	ev, err := e.b.URCLiveness(context.Background(), sp)
	if err != nil {
		t.Fatal(err)
	}
	call := e.slashCall(sp, slashing.URCDelegation{}, ev)
	v, err := e.judge.URC(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	got, rev := e.call(call, slURC)
	if rev != "" || got.Cmp(v.Amount) != 0 {
		t.Fatalf("slash returns %v (%q), judge %s", got, rev, v.Amount)
	}
}

// gasURC measures Slasher.slash for each fault, called by the EOA playing the
// URC: the Slasher's part of a URC slashCommitment (the URC's own checks, a
// BLS pairing for a delegation and an ecrecover, and its burn come on top).
func gasURC(t *testing.T, tab *gasTable) {
	e := newURCEnv(t)
	ctx := context.Background()
	note := "the Slasher's part; the URC's checks and burn come on top"
	measure := func(what, cases string, sp slashing.SignedPromise, d slashing.URCDelegation, ev any) {
		t.Helper()
		r, rev := e.send(e.slashCall(sp, d, ev))
		if rev != "" {
			t.Fatalf("%s: %s", what, rev)
		}
		tab.add("slash (URC)", cases, r.GasUsed, "", note)
	}

	user := e.user(big.NewInt(1e18))
	addr := crypto.PubkeyToAddress(user.PublicKey)
	s := e.c.Slot() + 2
	first, second := e.l1Tx(user, 0, highFee), e.l1Tx(user, 1, highFee)
	prior := e.urcPromise(e.committer, s, slAmount, incOf(first))
	sp := e.urcPromise(e.committer, s, slAmount, incOf(second))
	e.advanceTo(s + 1)
	sev, err := e.b.URCSafety(ctx, sp, 0, []slashing.SignedPromise{prior})
	if err != nil || len(sev.Priors) != 1 {
		t.Fatalf("safety evidence: %v", err)
	}
	measure("safety", fmt.Sprintf("safety, account proofs of %d + %d nodes, one signed prior", len(sev.ParentProof), len(sev.BlockProof)), sp, e.delegation(s), sev)
	pev, err := e.b.URCSafety(ctx, prior, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	measure("safety", fmt.Sprintf("safety, account proofs of %d + %d nodes, no prior, no delegation", len(pev.ParentProof), len(pev.BlockProof)), prior, slashing.URCDelegation{}, pev)

	s = e.c.Slot() + 2
	sp = e.urcPromise(e.committer, s, slAmount, incOf(e.l1Tx(e.user(nil), 0, highFee)))
	e.advanceTo(s - 1)
	e.c.SkipSlots(1)
	e.c.Commit()
	lev, err := e.b.URCLiveness(ctx, sp)
	if err != nil {
		t.Fatal(err)
	}
	measure("liveness", "liveness, two straddling headers", sp, slashing.URCDelegation{}, lev)

	s = e.c.Slot() + 2
	sp = e.urcPromise(e.committer, s, slAmount, l2Inc([]byte("promised"), addr, 0))
	e.advanceTo(s - 1)
	e.postL2(randomTxs(t, 3, 120)...)
	e.c.Commit()
	l2ev, err := e.b.URCL2Inclusion(ctx, sp, 0, e.poster)
	if err != nil {
		t.Fatal(err)
	}
	measure("l2", "L2 inclusion, 3 L2 txs posted in the slot", sp, e.delegation(s), l2ev)

	s = e.c.Slot() + 5
	a := e.urcPromise(e.committer, s, slAmount, incOf(e.l1Tx(user, 3, highFee)))
	b := e.urcPromise(e.committer, s+1, slAmount, incOf(e.l1Tx(user, 3, new(big.Int).Mul(highFee, big.NewInt(2)))))
	eev, err := slashing.Equivocation(a, b)
	if err != nil {
		t.Fatal(err)
	}
	measure("equivocation", "equivocation, two one-tx promises", a, e.delegation(s), eev)
}
