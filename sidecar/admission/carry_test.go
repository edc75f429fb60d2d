package admission

import (
	"bytes"
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
)

// headTo moves the chain's head into slot (a block without any promised
// tx: the slots in between were missed) and re-checks, with the wall clock
// 1 s into the next slot.
func (h *harness) headTo(slot uint64) {
	h.t.Helper()
	head := h.state.Head()
	target := h.duties.clock.SlotStart(slot).Add(time.Second)
	if err := h.backend.AdjustTime(target.Sub(time.Unix(int64(head.Time), 0))); err != nil {
		h.t.Fatal(err)
	}
	h.passHead(0, slot+1)
	h.eng.mu.Lock()
	got := h.eng.headSlot
	h.eng.mu.Unlock()
	if got != slot {
		h.t.Fatalf("head in slot %d, want %d", got, slot)
	}
}

// restart builds a new engine on the same store, loads it and re-checks.
func (h *harness) restart() {
	h.t.Helper()
	h.eng = h.newEngine()
	if err := h.eng.Load(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	if err := h.eng.OnHead(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func wantTxs(t *testing.T, what string, got [][]byte, want ...[]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d txs, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("%s: tx %d is %s, want %s", what, i, txHash(t, got[i]), txHash(t, want[i]))
		}
	}
}

func (h *harness) carriedCount() float64 { return counterValue(h.eng.metrics.carried) }

// missedSetup promises u's nonce 0 (p) for slot 102 and nonce 1 (p2) for
// p2Slot, then moves the head into slot 102 with p not in its block.
func missedSetup(t *testing.T, h *harness, o txOpts, p2Slot uint64) (p, p2 []byte, p2Hash common.Hash) {
	t.Helper()
	u := h.users[0]
	p, p2 = h.tx(u, 0, o), h.tx(u, 1, txOpts{})
	h.mustAccept(h.l1(headSlot+2, p))
	p2Hash = h.mustAccept(h.l1(p2Slot, p2)).Commitment.RequestHash
	h.headTo(headSlot + 2)
	return p, p2, p2Hash
}

func TestMissedPromiseIsCarried(t *testing.T) {
	h := newHarness(t, 1)
	p, p2, p2Hash := missedSetup(t, h, txOpts{}, headSlot+4)
	if reason, dropped := h.eng.DroppedReason(p2Hash); dropped {
		t.Fatalf("the promise stacked on the missed one was dropped: %s", reason)
	}
	wantTxs(t, "slot 104", h.eng.TopOfBlock(headSlot+4), p, p2)
	if n := h.carriedCount(); n != 1 {
		t.Fatalf("carried_total = %v, want 1", n)
	}
	// The carried tx counts against the slot's gas.
	h.eng.mu.Lock()
	cg := h.eng.templates[headSlot+4].carriedGas
	h.eng.mu.Unlock()
	if cg != 21_000 {
		t.Fatalf("carried gas of slot 104 = %d, want 21000", cg)
	}
	// The next head carries it again, announced once.
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantTxs(t, "slot 104, same head again", h.eng.TopOfBlock(headSlot+4), p, p2)
	if n := h.carriedCount(); n != 1 {
		t.Fatalf("carried_total = %v after the same carry again, want 1", n)
	}
	// The missed tx may be promised again only ahead of the slot it is
	// carried into.
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+4, p))
	wantErr(t, err, ErrNonce)

	// A restart derives the same carries from the store.
	h.restart()
	wantTxs(t, "slot 104 after a restart", h.eng.TopOfBlock(headSlot+4), p, p2)
	if reason, dropped := h.eng.DroppedReason(p2Hash); dropped {
		t.Fatalf("dropped after a restart: %s", reason)
	}

	// The head passes slot 102, which is trimmed: p is read from the store.
	h.headTo(headSlot + 3)
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, _, full := h.soldOf(p, reqHash(t, h.l1(headSlot+2, p))); full {
		t.Fatal("the missed promise is still in memory in full form")
	}
	wantTxs(t, "slot 104 with the missed promise trimmed", h.eng.TopOfBlock(headSlot+4), p, p2)
	h.restart()
	wantTxs(t, "slot 104 trimmed, after a restart", h.eng.TopOfBlock(headSlot+4), p, p2)

	// The user gets p mined elsewhere: nothing is carried any more.
	h.sendOnChain(p)
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantTxs(t, "slot 104 once the carried tx landed", h.eng.TopOfBlock(headSlot+4), p2)
	if reason, dropped := h.eng.DroppedReason(p2Hash); dropped {
		t.Fatalf("dropped once the carried tx landed: %s", reason)
	}
}

func TestMissedPromiseNotCarried(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []harnessOpt
		p      func(h *harness) txOpts
		p2Slot uint64
		kind   string
		reason string
	}{
		{
			// A max fee just above what slot 102's base fee may reach falls
			// short of what slot 130's may.
			name: "max fee below the carry slot's base fee",
			p: func(h *harness) txOpts {
				tip := new(big.Int).Mul(big.NewInt(2), gwei)
				return txOpts{feeCap: new(big.Int).Add(h.state.ProjectedBaseFee(2), tip), tip: tip}
			},
			p2Slot: headSlot + 30,
			kind:   dropNonceGap,
			reason: "below the base fee",
		},
		{
			name:   "block gas limit",
			opts:   []harnessOpt{withBlockGasLimit(90_000), withConfig(func(c *Config) { c.GasBudgetPerSlot = 90_000 })},
			p:      func(*harness) txOpts { return txOpts{gas: 70_000} },
			p2Slot: headSlot + 4,
			kind:   dropNonceGap,
			reason: "block gas limit",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 1, tc.opts...)
			_, _, p2Hash := missedSetup(t, h, tc.p(h), tc.p2Slot)
			reason, dropped := h.eng.DroppedReason(p2Hash)
			if !dropped || !strings.Contains(reason, tc.reason) || !strings.Contains(reason, "not carried") {
				t.Fatalf("dropped=%v reason %q, want one saying %q", dropped, reason, tc.reason)
			}
			if n := counterValue(h.eng.metrics.dropped.WithLabelValues(tc.kind)); n != 1 {
				t.Fatalf("%s drops = %v, want 1", tc.kind, n)
			}
			if n := h.carriedCount(); n != 0 {
				t.Fatalf("carried_total = %v, want 0", n)
			}
			if got := h.eng.TopOfBlock(tc.p2Slot); len(got) != 0 {
				t.Fatalf("slot %d still opens with %d txs", tc.p2Slot, len(got))
			}
		})
	}
}

// TestMissedNonceNotOursIsDropped: once the missed promise is pruned, the
// nonce below the stacked promise is no longer one of ours: nothing is
// carried and the stacked promise is dropped as before.
func TestMissedNonceNotOursIsDropped(t *testing.T) {
	h := newHarness(t, 1, withConfig(func(c *Config) { c.SlashWindow = 1 }))
	_, p2, p2Hash := missedSetup(t, h, txOpts{}, headSlot+4)
	if reason, dropped := h.eng.DroppedReason(p2Hash); dropped {
		t.Fatalf("dropped while the missed promise is known: %s", reason)
	}
	h.clock.set(h.duties.clock.SlotStart(headSlot + 4).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want the missed promise pruned", n, err)
	}
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	reason, dropped := h.eng.DroppedReason(p2Hash)
	if !dropped || !strings.Contains(reason, "none of our promises covers nonce 0") {
		t.Fatalf("dropped=%v reason %q, want it dropped for an uncovered nonce", dropped, reason)
	}
	if got := h.eng.TopOfBlock(headSlot + 4); len(got) != 0 {
		t.Fatalf("slot 104 opens with %d txs, want none (p2 %s dropped)", len(got), txHash(t, p2))
	}
}

// lowBalance is the chain state with one account's balance replaced.
type lowBalance struct {
	State
	addr    common.Address
	balance *big.Int
}

func (l lowBalance) Account(ctx context.Context, a common.Address) (chainstate.Account, error) {
	acc, err := l.State.Account(ctx, a)
	if err == nil && a == l.addr {
		acc.Balance = new(big.Int).Set(l.balance)
	}
	return acc, err
}

// TestMissedPromiseBalance: the balance covers the stacked promise but not
// the carried tx with it: the stacked promise is dropped, saying so.
func TestMissedPromiseBalance(t *testing.T) {
	h := newHarness(t, 1)
	p, p2, p2Hash := missedSetup(t, h, txOpts{}, headSlot+4)
	cost := func(raw []byte) *big.Int {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			t.Fatal(err)
		}
		return tx.Cost()
	}
	// Enough for p2 alone, one wei short of p and p2.
	bal := new(big.Int).Add(cost(p), cost(p2))
	bal.Sub(bal, big.NewInt(1))
	e, err := New(h.cfg, h.duties, lowBalance{h.state, addr(h.users[0]), bal}, h.collateral, h.store, NewKeySigner(h.committer), zerolog.Nop(), WithNow(h.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	h.eng = e
	if err := e.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := e.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	reason, dropped := e.DroppedReason(p2Hash)
	if !dropped || !strings.Contains(reason, "does not cover the carried txs") {
		t.Fatalf("dropped=%v reason %q, want a balance reason naming the carry", dropped, reason)
	}
	if n := counterValue(e.metrics.dropped.WithLabelValues(dropBalance)); n != 1 {
		t.Fatalf("balance drops = %v, want 1", n)
	}
	if got := e.TopOfBlock(headSlot + 4); len(got) != 0 {
		t.Fatalf("slot 104 opens with %d txs, want none", len(got))
	}
}
