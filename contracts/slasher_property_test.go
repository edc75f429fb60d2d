package contracts_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/slashing"
)

// scenario is one randomized promise and what became of it.
type scenario struct {
	l2       bool // an L2 inclusion instead of an L1 one
	rich     bool // the sender can pay the tx's max cost
	highFee  bool // the fee cap clears the base fee
	stacked  bool // the promised nonce is 1, not 0
	prior    bool // (stacked) nonce 0 was promised too, in the same slot
	delivers bool // the operator delivers (includes or posts) what it promised
	skip     bool // the slot gets no block at all
}

func (s scenario) String() string {
	return fmt.Sprintf("l2=%v rich=%v highFee=%v stacked=%v prior=%v delivers=%v skip=%v", s.l2, s.rich, s.highFee, s.stacked, s.prior, s.delivers, s.skip)
}

// slashable is the protocol's answer: a missed slot is always a fault; an L2
// promise is broken when its tx is not posted; an L1 promise is broken when its
// tx is missing although it was includable at the parent state.
func (s scenario) slashable() bool {
	if s.skip {
		return true
	}
	if s.l2 {
		return !s.delivers
	}
	includable := s.rich && s.highFee && (!s.stacked || s.prior)
	return includable && !s.delivers
}

// Randomized: the contract slashes if and only if the promise was broken, and the
// off-chain judge agrees with the contract on every scenario.
func TestSlasherPropertySlashedIffBroken(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	const trials = 64
	seen := map[bool]int{}
	for n := 0; n < trials; n++ {
		sc := scenario{l2: r.IntN(4) == 0, rich: r.IntN(4) != 0, highFee: r.IntN(4) != 0, stacked: r.IntN(3) == 0, prior: r.IntN(2) == 0, skip: r.IntN(8) == 0}
		// An operator can only deliver what the chain accepts.
		sc.delivers = r.IntN(2) == 0 && !sc.skip && (sc.l2 || (sc.rich && sc.highFee && (!sc.stacked || sc.prior)))
		t.Run(fmt.Sprintf("%02d", n), func(t *testing.T) {
			want := sc.slashable()
			seen[want]++
			fund := big.NewInt(1e9)
			if sc.rich {
				fund = big.NewInt(1e18)
			}
			user := e.user(fund)
			fee := big.NewInt(1)
			if sc.highFee {
				fee = highFee
			}
			s := e.c.Slot() + 2
			var sp slashing.SignedPromise
			var known []slashing.SignedPromise
			var send func()
			if sc.l2 {
				raw := []byte(fmt.Sprintf("l2 tx %d", n))
				sp = e.promise(s, slAmount, l2Inc(raw, crypto.PubkeyToAddress(user.PublicKey), 0))
				send = func() { e.postL2([]byte("someone else's"), raw) }
				if !sc.delivers {
					send = func() { e.postL2([]byte("someone else's")) }
				}
			} else {
				nonce := uint64(0)
				var txs []*types.Transaction
				if sc.stacked {
					nonce = 1
					first := e.l1Tx(user, 0, fee)
					txs = append(txs, first)
					if sc.prior {
						known = append(known, e.promise(s, slAmount, incOf(first)))
					}
				}
				tx := e.l1Tx(user, nonce, fee)
				txs = append(txs, tx)
				sp = e.promise(s, big.NewInt(int64(1e17)*int64(1+n%5)), incOf(tx))
				send = func() {
					if sc.delivers {
						for _, x := range txs {
							e.c.Send(x)
						}
					}
					e.c.Commit()
				}
			}
			e.advanceTo(s - 1)
			if sc.skip {
				e.c.SkipSlots(1)
			} else {
				send()
			}
			if want := s + map[bool]uint64{true: 1}[sc.skip]; e.c.Slot() != want {
				t.Fatalf("%v: head at slot %d, want %d", sc, e.c.Slot(), want)
			}
			e.c.Commit()
			// The operator puts what it sold on-chain: every promise is backed.
			e.ledger(s, append([]slashing.SignedPromise{sp}, known...)...)

			v, err := e.judge.Assess(ctx, sp, known)
			if err != nil {
				t.Fatalf("%v: assess: %v", sc, err)
			}
			if v.Slashable != want {
				t.Fatalf("%v: judge says slashable=%v (%v), want %v", sc, v.Slashable, v.Reason, want)
			}
			cb := e.collateral()
			rev := e.submitVerdict(sp, v, known)
			slashed := rev == ""
			if slashed != want {
				t.Fatalf("%v: contract slashed=%v (%s), judge and protocol say %v", sc, slashed, rev, want)
			}
			if moved := new(big.Int).Sub(cb, e.collateral()); slashed != (moved.Sign() > 0) {
				t.Fatalf("%v: collateral moved by %s", sc, moved)
			}
		})
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("the random scenarios never covered both outcomes: %v", seen)
	}
}

// submitVerdict submits the verdict's evidence, or, for a promise the judge finds
// kept, the best evidence a watcher could build, and returns the revert reason.
func (e *slEnv) submitVerdict(sp slashing.SignedPromise, v *slashing.Verdict, known []slashing.SignedPromise) string {
	e.t.Helper()
	ctx := context.Background()
	ev := v.Evidence
	if ev == nil {
		var err error
		if sp.Promise.Inclusions[0].ChainID == e.c.ChainID.Uint64() {
			ev, err = e.b.Safety(ctx, sp, 0, known)
		} else {
			ev, err = e.b.L2Inclusion(ctx, sp, 0)
		}
		if err != nil {
			e.t.Fatalf("build evidence: %v", err)
		}
	}
	var rev string
	switch x := ev.(type) {
	case *slashing.SafetyEvidence:
		_, rev = e.safety(sp, x)
	case *slashing.LivenessEvidence:
		_, rev = e.liveness(sp, x)
	case *slashing.L2Evidence:
		_, rev = e.l2(sp, x)
	default:
		e.t.Fatalf("evidence of type %T", ev)
	}
	return rev
}
