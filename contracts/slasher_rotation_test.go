package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// After a committer rotation, a promise is judged under the committer bound
// for its slot, not under the one in force when the evidence arrives: the old
// key stays liable for every slot before the rotation takes effect (evidence
// submitted after it took effect still slashes), and binds nothing from that
// slot on; the new key binds nothing before it. Since #11 each slot's
// committer opens the slot's ledger, and a promise in it binds only when that
// committer signed it: here every promise sold for a slot is in its ledger.
func TestSlasherCommitterRotation(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	oldKey := e.op.Committer
	newKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}

	type rotationCase struct {
		name   string
		key    *ecdsa.PrivateKey
		offset int64 // promised slot relative to the slot the rotation takes effect
		want   string
	}
	cases := []rotationCase{
		{"old key, last slot before the rotation", oldKey, -1, ""},
		{"old key, slot the rotation takes effect", oldKey, 0, "WrongSigner"},
		{"old key, after the rotation", oldKey, 2, "WrongSigner"},
		{"new key, slot the rotation takes effect", newKey, 0, ""},
		{"new key, before the rotation", newKey, -1, "WrongSigner"},
	}
	// Users (and the new key, which pays for its ledgers) are funded first:
	// every funding seals a block, and the promised slots must stay ahead of the chain.
	users := make([]*ecdsa.PrivateKey, len(cases))
	for i := range users {
		users[i] = e.user(big.NewInt(1e18))
	}
	equivocator := e.user(nil)
	e.c.Fund(slFunder, crypto.PubkeyToAddress(newKey.PublicKey), big.NewInt(1e18))

	e.c.Mine(e.k.Registry.SetCommitter(e.c.Opts(slOperator), crypto.PubkeyToAddress(newKey.PublicKey)))
	rotSlot := e.c.Slot() // Mine sealed the rotation in the head block
	eff := rotSlot + e.k.Params.RotationDelay
	for slot, want := range map[uint64]*ecdsa.PrivateKey{eff - 1: oldKey, eff: newKey, eff + 100: newKey} {
		got, err := e.k.Registry.CommitterAt(&bind.CallOpts{}, e.op.Addr, slot)
		if err != nil {
			t.Fatal(err)
		}
		if got != crypto.PubkeyToAddress(want.PublicKey) {
			t.Fatalf("committerAt(%d) = %s (rotation at %d takes effect at %d)", slot, got, rotSlot, eff)
		}
	}

	bySlot := map[uint64][]slashing.SignedPromise{}
	promises := make([]slashing.SignedPromise, len(cases))
	for i, tc := range cases {
		slot := uint64(int64(eff) + tc.offset)
		promises[i] = e.promiseBy(tc.key, slot, slAmount, incOf(e.l1Tx(users[i], 0, highFee)))
		bySlot[slot] = append(bySlot[slot], promises[i])
	}
	// Equivocations: one nonce sold twice by the old key, both slots before
	// the rotation (a fault), or the second at the rotation slot (no fault:
	// the second promise binds nobody).
	sameNonce := func(slot uint64, feeMul int64) slashing.SignedPromise {
		sp := e.promiseBy(oldKey, slot, slAmount, incOf(e.l1Tx(equivocator, 5, new(big.Int).Mul(highFee, big.NewInt(feeMul)))))
		bySlot[slot] = append(bySlot[slot], sp)
		return sp
	}
	eqBefore := [2]slashing.SignedPromise{sameNonce(eff-2, 1), sameNonce(eff-1, 2)}
	eqAcross := [2]slashing.SignedPromise{sameNonce(eff-2, 3), sameNonce(eff, 4)}

	// Each slot's committer (the old key before eff, the new from eff on)
	// opens its ledger with every promise sold for the slot, whoever signed it.
	rotated := *e.op
	rotated.Committer = newKey
	for _, slot := range []uint64{eff - 2, eff - 1, eff, eff + 2} {
		op := e.op
		if slot >= eff {
			op = &rotated
		}
		ps := make([]*protocol.Promise, len(bySlot[slot]))
		for i, sp := range bySlot[slot] {
			ps[i] = sp.Promise
		}
		e.c.OpenLedger(e.k, op, slot, ps...)
	}

	// The operator keeps none of the promises; evidence arrives after the
	// rotation took effect.
	e.advanceTo(eff + 4)

	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sp := promises[i]
			ev, err := e.b.Safety(ctx, sp, 0, nil)
			if err != nil {
				t.Fatalf("build evidence: %v", err)
			}
			if ev.Backing == nil {
				t.Fatal("the promise is in its slot's ledger, the builder did not back it")
			}
			judged := e.judge.Safety(ctx, sp, ev)
			before := e.collateral()
			_, rev := e.safety(sp, ev)
			if rev != tc.want {
				t.Fatalf("slashSafety: got %q, want %q", rev, tc.want)
			}
			fell := new(big.Int).Sub(before, e.collateral())
			if tc.want == "" {
				if judged != nil {
					t.Fatalf("judge refuses what the Slasher slashed: %v", judged)
				}
				if fell.Cmp(slAmount) != 0 || !e.settled(sp) {
					t.Fatalf("collateral fell by %s (want %s), settled %v", fell, slAmount, e.settled(sp))
				}
				return
			}
			if !errors.Is(judged, slashing.ErrWrongSigner) {
				t.Fatalf("judge: %v, want ErrWrongSigner", judged)
			}
			if fell.Sign() != 0 || e.settled(sp) {
				t.Fatalf("refused evidence moved %s wei of collateral (settled %v)", fell, e.settled(sp))
			}
		})
	}

	for _, tc := range []struct {
		name string
		pair [2]slashing.SignedPromise
		want string
	}{
		{"equivocation by the old key before the rotation", eqBefore, ""},
		{"equivocation by the old key across the rotation", eqAcross, "WrongSigner"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := e.b.Equivocation(ctx, tc.pair[0], tc.pair[1])
			if err != nil {
				t.Fatal(err)
			}
			judged := e.judge.Equivocation(ctx, ev)
			before := e.collateral()
			_, rev := e.equivocation(ev)
			if rev != tc.want {
				t.Fatalf("slashEquivocation: got %q, want %q", rev, tc.want)
			}
			fell := new(big.Int).Sub(before, e.collateral())
			if tc.want == "" {
				if judged != nil {
					t.Fatalf("judge refuses what the Slasher slashed: %v", judged)
				}
				// Only A, the promise paid, is settled; B's holder is owed too.
				if fell.Cmp(slAmount) != 0 || !e.settled(ev.A) || e.settled(ev.B) {
					t.Fatalf("collateral fell by %s, want %s; A settled %v (want true), B %v (want false)", fell, slAmount, e.settled(ev.A), e.settled(ev.B))
				}
				return
			}
			if !errors.Is(judged, slashing.ErrWrongSigner) {
				t.Fatalf("judge: %v, want ErrWrongSigner", judged)
			}
			// The call reverted as a whole: the valid first promise is not settled either.
			if fell.Sign() != 0 || e.settled(tc.pair[0]) || e.settled(tc.pair[1]) {
				t.Fatalf("refused equivocation moved %s wei or settled a promise", fell)
			}
		})
	}
}
