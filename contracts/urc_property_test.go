package contracts_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// urcRevertNames are the URC path's refusals by the Judge's sentinel; the
// other refusals are the own path's (ecRevertNames).
var urcRevertNames = []struct {
	sentinel error
	names    []string
}{
	{slashing.ErrNotURC, []string{"NotURC"}},
	{slashing.ErrNotThisSlasher, []string{"NotThisSlasher"}},
	{slashing.ErrNotURCPromise, []string{"NotURCPromise"}},
	{slashing.ErrCommitmentMismatch, []string{"CommitmentMismatch"}},
	{slashing.ErrDelegationMismatch, []string{"DelegationMismatch"}},
	{slashing.ErrNoPoster, []string{"NoPoster"}},
	// Evidence whose SafetyEvidence members point outside the calldata reverts
	// without data (Solidity's calldata checks), as a malformed own-path call does.
	{slashing.ErrMalformedEvidence, []string{"MalformedEvidence", "error: execution reverted"}},
}

func urcRevertsFor(err error) []string {
	for _, m := range urcRevertNames {
		if errors.Is(err, m.sentinel) {
			return m.names
		}
	}
	return ecRevertsFor(err)
}

// urcSeed seeds TestURCPropertyJudgeAgrees.
const urcSeed = 13

// urcMutation alters a URC call the way a challenger (or a confused URC
// deployment) could: each leaves the promise's signature as the URC checked it.
type urcMutation uint8

const (
	mutNone urcMutation = iota
	mutDelegationSlot
	mutDelegationCommitter
	mutDropPoster
	mutIndex
	mutRequestHash
	mutFault
	mutSwapHeaders
	mutCount
)

func (m urcMutation) String() string {
	return [...]string{"none", "delegation-slot", "delegation-committer", "drop-poster", "index", "request-hash", "fault", "swap-headers"}[m]
}

// urcScenario is one randomized promise of a URC operator and what became of it.
type urcScenario struct {
	scenario
	equivocation bool // a second promise sells the same nonce (B)
	forgedB      bool // (equivocation) B is signed by another key
	delegated    bool // sold under a real delegation naming the poster
	mut          urcMutation
}

func (s urcScenario) String() string {
	return fmt.Sprintf("%v equivocation=%v forgedB=%v delegated=%v mutation=%v", s.scenario, s.equivocation, s.forgedB, s.delegated, s.mut)
}

// slashable is the protocol's answer for the unaltered call: the own path's,
// except that L2 evidence needs a delegation naming the poster.
func (s urcScenario) slashable() bool {
	if s.equivocation {
		return !s.forgedB
	}
	if s.l2 && !s.skip && !s.delegated {
		return false
	}
	return s.scenario.slashable()
}

// Randomized (seeded, a few seconds): through the URC, an honest promise that
// was kept is never slashable, a broken one is, and the Go judge and the
// Slasher agree on every call, altered or not: the same outcome, the same
// amount (the judge's Amount for the fault), and a revert the judge's reason
// stands for.
func TestURCPropertyJudgeAgrees(t *testing.T) {
	e := newURCEnv(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(urcSeed, 17))
	const trials = 160
	seen := map[string]int{}
	for n := 0; n < trials; n++ {
		sc := urcScenario{
			scenario:     scenario{l2: r.IntN(4) == 0, rich: r.IntN(4) != 0, highFee: r.IntN(4) != 0, stacked: r.IntN(3) == 0, prior: r.IntN(2) == 0, skip: r.IntN(8) == 0},
			equivocation: r.IntN(8) == 0,
			forgedB:      r.IntN(3) == 0,
			delegated:    r.IntN(3) != 0,
		}
		if r.IntN(3) == 0 {
			sc.mut = urcMutation(1 + r.IntN(int(mutCount)-1))
		}
		sc.delivers = r.IntN(2) == 0 && !sc.skip && (sc.l2 || (sc.rich && sc.highFee && (!sc.stacked || sc.prior)))
		t.Run(fmt.Sprintf("%02d", n), func(t *testing.T) {
			want := sc.slashable()
			user := e.user(map[bool]*big.Int{true: big.NewInt(1e18), false: big.NewInt(1e9)}[sc.rich])
			addr := crypto.PubkeyToAddress(user.PublicKey)
			fee := big.NewInt(1)
			if sc.highFee {
				fee = highFee
			}
			s := e.c.Slot() + 2
			amount := new(big.Int).Mul(big.NewInt(int64(1+r.IntN(9))), big.NewInt(1e17))
			d := slashing.URCDelegation{}
			if sc.delegated {
				d = e.delegation(s)
			}
			var sp slashing.SignedPromise
			var known []slashing.SignedPromise
			var txs []*types.Transaction
			var raw []byte
			if sc.l2 {
				raw = []byte(fmt.Sprintf("urc l2 tx %d", n))
				sp = e.urcPromise(e.committer, s, amount, l2Inc(raw, addr, 0))
			} else {
				nonce := uint64(0)
				if sc.stacked {
					nonce = 1
					first := e.l1Tx(user, 0, fee)
					txs = append(txs, first)
					if sc.prior {
						known = append(known, e.urcPromise(e.committer, s, slAmount, incOf(first)))
					}
				}
				tx := e.l1Tx(user, nonce, fee)
				txs = append(txs, tx)
				sp = e.urcPromise(e.committer, s, amount, incOf(tx))
			}
			var equiv *slashing.EquivocationEvidence
			if sc.equivocation {
				inc := sp.Promise.Inclusions[0]
				inc.TxHash = crypto.Keccak256Hash(inc.TxHash[:])
				key := e.committer
				if sc.forgedB {
					key = e.user(nil)
				}
				b := e.urcPromise(key, s+uint64(r.IntN(2)), slAmount, inc)
				var err error
				if equiv, err = slashing.Equivocation(sp, b); err != nil {
					t.Fatal(err)
				}
			}

			e.advanceTo(s - 1)
			switch {
			case sc.skip:
				e.c.SkipSlots(1)
			case sc.l2 && sc.delivers:
				e.postL2([]byte("someone else's"), raw)
			case sc.l2:
				e.postL2([]byte("someone else's"))
			default:
				if sc.delivers {
					for _, x := range txs {
						e.c.Send(x)
					}
				}
				e.c.Commit()
			}
			e.c.Commit()

			// The evidence a watcher builds: the verdict's, or for a promise the
			// judge finds kept, the best it could build.
			var ev any
			if equiv != nil {
				ev = equiv
				if _, err := e.judge.URC(ctx, e.slashCall(sp, d, ev)); (err == nil) != want {
					t.Fatalf("%v: judge on the equivocation: %v, want slashable=%v", sc, err, want)
				}
			} else {
				v, err := e.judge.AssessURC(ctx, sp, d, known)
				if err != nil {
					t.Fatalf("%v: assess: %v", sc, err)
				}
				if v.Slashable != want {
					t.Fatalf("%v: judge says slashable=%v (%v), protocol says %v", sc, v.Slashable, v.Reason, want)
				}
				ev = v.Evidence
				if ev == nil {
					switch {
					case sc.l2:
						ev, err = e.b.URCL2Inclusion(ctx, sp, 0, e.poster)
					default:
						ev, err = e.b.URCSafety(ctx, sp, 0, known)
					}
					if err != nil {
						t.Fatalf("%v: build evidence: %v", sc, err)
					}
				}
			}
			call := e.slashCall(sp, d, ev)
			mutate(call, sc.mut, addr)
			if sc.mut != mutNone {
				// An altered call is judged on its own; the protocol's answer is for the original.
				want = false
			}

			v, jerr := e.judge.URC(ctx, call)
			got, rev := e.call(call, slURC)
			seen[fmt.Sprintf("slashable=%v", jerr == nil)]++
			seen["revert "+rev]++
			if (jerr == nil) != (rev == "") {
				t.Fatalf("%v: judge says %v, Slasher says %q", sc, jerr, rev)
			}
			if jerr != nil {
				// The judge decodes evidence strictly (go-ethereum's ABI decoder); the
				// Slasher reads it in place, so evidence of one fault claimed as
				// another may fail there on a later check: both refuse, whatever the name.
				malformed := errors.Is(jerr, slashing.ErrMalformedEvidence) && sc.mut == mutFault
				if names := urcRevertsFor(jerr); !slices.Contains(names, rev) && !malformed {
					t.Fatalf("%v: Slasher reverts %s, judge's reason %v stands for %v", sc, rev, jerr, names)
				}
				if sc.mut == mutNone && want {
					t.Fatalf("%v: a broken promise is not slashable: %v", sc, jerr)
				}
				return
			}
			if sc.mut == mutNone && !want {
				t.Fatalf("%v: slashable although kept (or not the operator's fault)", sc)
			}
			if exp := e.judge.Amount(v.Fault, sp.Promise); got.Cmp(v.Amount) != 0 || v.Amount.Cmp(exp) != 0 {
				t.Fatalf("%v: Slasher returns %s, judge %s, Amount %s", sc, got, v.Amount, exp)
			}
			rc, rev := e.send(call)
			if rev != "" {
				t.Fatalf("%v: slash: %s", sc, rev)
			}
			if ev := e.slashedEvent(rc); ev.Digest != v.Digest || ev.Taken.Cmp(v.Amount) != 0 || ev.User != v.User || ev.UserPaid.Sign() != 0 {
				t.Fatalf("%v: PromiseSlashed %+v, judge %+v", sc, ev, v)
			}
			if _, rev := e.call(call, slURC); rev != "AlreadySettled" {
				t.Fatalf("%v: replay: %q", sc, rev)
			}
		})
	}
	if seen["slashable=true"] == 0 || seen["slashable=false"] == 0 {
		t.Fatalf("the random scenarios never covered both outcomes: %v", seen)
	}
	t.Logf("outcomes: %v", seen)
}

// mutate applies m to call. addr is an account that is neither the committer
// nor the poster.
func mutate(call *slashing.URCSlash, m urcMutation, addr common.Address) {
	switch m {
	case mutDelegationSlot:
		if call.Delegation.Slot == 0 {
			call.Delegation = slashing.URCDelegation{Committer: call.Committer, Slot: 1, Metadata: slashing.PosterMetadata(addr)}
		} else {
			call.Delegation.Slot++
		}
	case mutDelegationCommitter:
		if call.Delegation.Slot == 0 {
			p, err := protocol.UnmarshalPromiseABI(call.Commitment.Payload)
			if err != nil {
				return
			}
			call.Delegation.Slot = p.Slot
		}
		call.Delegation.Committer = addr
	case mutDropPoster:
		call.Delegation.Metadata = nil
	case mutIndex:
		call.Evidence = reindex(call.Evidence)
	case mutRequestHash:
		call.Commitment.RequestHash = common.Hash{0xee}
	case mutFault:
		// Claim the next fault with the same data: it decodes as another fault's
		// shape or not at all.
		ev := append([]byte(nil), call.Evidence...)
		ev[31] = (ev[31] + 1) % 4
		call.Evidence = ev
	case mutSwapHeaders:
		_, ev, err := slashing.DecodeURCEvidence(call.Evidence)
		if err != nil {
			return
		}
		switch x := ev.(type) {
		case *slashing.SafetyEvidence:
			x.Header, x.ParentHeader = x.ParentHeader, x.Header
		case *slashing.LivenessEvidence:
			x.Header1, x.Header2 = x.Header2, x.Header1
		case *slashing.L2Evidence:
			x.TxHashes = append(x.TxHashes, common.Hash{1})
		default:
			return
		}
		if b, err := slashing.URCEvidence(ev); err == nil {
			call.Evidence = b
		}
	}
}

// reindex points the evidence at inclusion 1 (none of a one-inclusion promise).
func reindex(evidence []byte) []byte {
	_, ev, err := slashing.DecodeURCEvidence(evidence)
	if err != nil {
		return evidence
	}
	switch x := ev.(type) {
	case *slashing.SafetyEvidence:
		x.Index++
	case *slashing.L2Evidence:
		x.Index++
	case *slashing.EquivocationEvidence:
		x.IndexB++
	default:
		return evidence
	}
	b, err := slashing.URCEvidence(ev)
	if err != nil {
		return evidence
	}
	return b
}
