package ledger_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/ledger"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var milliEther = big.NewInt(params.Ether / 1000)

// Each slot sold gets a ledger holding exactly its promises: root, count,
// total reserved and poster as the Registry computes them; a slot with no
// promise gets none.
func TestOpensLedgerWithExactlyTheSlotsPromises(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := prometheus.NewRegistry()
	l := w.component(w.config(), nil, reg)
	s1 := w.c.Slot() + 3
	s2 := s1 + 1
	empty := s1 + 2
	want1 := w.promises.sell(t, s1, 3, milliEther)
	want2 := w.promises.sell(t, s2, 1, new(big.Int).Mul(milliEther, big.NewInt(7)))
	free0, err := w.reg.FreeCollateral(t.Context(), w.op.Addr)
	if err != nil {
		t.Fatal(err)
	}

	w.until(l, 12, "both ledgers open", func() bool { return w.ledgerOf(s1).Exists() && w.ledgerOf(s2).Exists() })
	w.step(l) // the component sees the receipts
	for _, c := range []struct {
		slot   uint64
		leaves []protocol.LedgerLeaf
	}{{s1, want1}, {s2, want2}} {
		tree, err := protocol.NewLedger(c.leaves)
		if err != nil {
			t.Fatal(err)
		}
		got := w.ledgerOf(c.slot)
		if got.Root != tree.Root() || got.Count != uint32(len(c.leaves)) || got.Left.Cmp(tree.Total()) != 0 ||
			got.Poster != w.op.Poster || got.Committer != crypto.PubkeyToAddress(w.op.Committer.PublicKey) || got.Released {
			t.Errorf("slot %d ledger %+v; want root %s, %d leaves, %s reserved, poster %s", c.slot, got, tree.Root(), len(c.leaves), tree.Total(), w.op.Poster)
		}
		if _, ok := l.Opened(c.slot); !ok {
			t.Errorf("slot %d: Opened does not know its transaction", c.slot)
		}
	}
	free, err := w.reg.FreeCollateral(t.Context(), w.op.Addr)
	if err != nil {
		t.Fatal(err)
	}
	reserved := new(big.Int).Add(new(big.Int).Mul(milliEther, big.NewInt(3)), new(big.Int).Mul(milliEther, big.NewInt(7)))
	if diff := new(big.Int).Sub(free0, free); diff.Cmp(reserved) != 0 {
		t.Errorf("free collateral fell by %s, want the ledgers' total %s", diff, reserved)
	}
	for range 3 {
		w.step(l)
	}
	if w.ledgerOf(empty).Exists() {
		t.Errorf("slot %d has no promise but got a ledger", empty)
	}
	if n := w.committerNonce(); n != 2 {
		t.Errorf("committer sent %d transactions, want 2 (one per ledger)", n)
	}
	w.promises.mu.Lock()
	r1, r2, sealed := w.promises.reads[s1], w.promises.reads[s2], w.promises.sealed
	w.promises.mu.Unlock()
	if r1 != 1 || r2 != 1 || sealed < s2 {
		t.Errorf("promises read %d and %d times, sealed through %d; want each slot sealed and read once", r1, r2, sealed)
	}
	if err := l.Err(); err != nil {
		t.Errorf("Err = %v after every ledger opened", err)
	}
	if got := counter(t, reg, "pledge_ledger_opened_total"); got != 2 {
		t.Errorf("pledge_ledger_opened_total = %v, want 2", got)
	}
	if logs := w.logs.String(); !strings.Contains(logs, `"message":"ledger opened"`) || !strings.Contains(logs, `"tx_hash"`) {
		t.Errorf("no ledger opened line with its tx_hash in the logs:\n%s", logs)
	}
}

// A restart, before or after the ledger is mined, never opens it twice: the
// new component reads the ledger on-chain first, and its own transaction for
// a slot whose first one is still pending takes the same nonce.
func TestRestartDoesNotOpenTwice(t *testing.T) {
	t.Parallel()
	t.Run("after it is mined", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		s := w.c.Slot() + 2
		w.promises.sell(t, s, 2, milliEther)
		first := w.component(w.config(), nil, nil)
		w.until(first, 10, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
		sent := w.committerNonce()

		again := w.component(w.config(), nil, nil) // the restarted sidecar
		for range 2 * testGrace {
			w.step(again)
		}
		if n := w.committerNonce(); n != sent {
			t.Fatalf("the restarted component sent %d more transactions", n-sent)
		}
		if err := again.Err(); err != nil {
			t.Fatalf("Err = %v", err)
		}
	})
	t.Run("while it is pending", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		s := w.c.Slot() + 1
		w.promises.sell(t, s, 2, milliEther)
		first := w.component(w.config(), nil, nil)
		// Tick until it sends, without sealing the block that would mine it.
		sent := false
		for range 6 {
			first.Tick(t.Context())
			if pending, _ := w.c.Client.PendingNonceAt(t.Context(), crypto.PubkeyToAddress(w.op.Committer.PublicKey)); pending > 0 {
				sent = true
				break
			}
			w.c.Commit()
		}
		if !sent || w.ledgerOf(s).Exists() {
			t.Fatalf("sent %v, ledger mined %v; want a transaction pending at the restart", sent, w.ledgerOf(s).Exists())
		}
		again := w.component(w.config(), nil, nil) // the crash: first is gone
		w.until(again, 10, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
		for range 3 {
			w.step(again)
		}
		if n := w.committerNonce(); n != 1 {
			t.Fatalf("%d committer transactions mined, want the one openLedger", n)
		}
	})
	t.Run("while it is pending, at other fees", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		s := w.c.Slot() + 1
		w.promises.sell(t, s, 1, milliEther)
		first := w.component(w.config(), nil, nil)
		committer := crypto.PubkeyToAddress(w.op.Committer.PublicKey)
		for range 6 {
			first.Tick(t.Context())
			if pending, _ := w.c.Client.PendingNonceAt(t.Context(), committer); pending > 0 {
				break
			}
			w.c.Commit()
		}
		// The restarted sidecar prices lower: the node refuses its version
		// as an underpriced replacement of the pending one.
		l, err := ledger.New(w.config(), w.promises, w.c.Client, w.reg, halfFees{w.fees}, chainClock{w.c.GenesisTime},
			admission.NewKeySigner(w.op.Committer), zerolog.New(w.logs), ledger.WithNow(w.now))
		if err != nil {
			t.Fatal(err)
		}
		l.Tick(t.Context())
		if !strings.Contains(w.logs.String(), "pending transaction of the committer already") {
			t.Fatalf("the underpriced replacement was not taken for a pending transaction:\n%s", w.logs.String())
		}
		if err := l.Err(); err != nil {
			t.Fatalf("Err = %v while the first transaction is pending", err)
		}
		w.until(l, 10, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
		for range 3 {
			w.step(l)
		}
		if n := w.committerNonce(); n != 1 {
			t.Fatalf("%d committer transactions mined, want the one openLedger", n)
		}
		if err := l.Err(); err != nil {
			t.Fatalf("Err = %v once the ledger is open", err)
		}
	})
}

// halfFees projects half the base fee f does.
type halfFees struct{ f ledger.Fees }

func (h halfFees) ProjectedBaseFee(n uint64) *big.Int {
	return new(big.Int).Rsh(h.f.ProjectedBaseFee(n), 1)
}

// A slot whose block is missed still gets its ledger: the promises were
// sold, and a broken one is paid from its ledger.
func TestMissedSlotGetsItsLedger(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	l := w.component(w.config(), nil, nil)
	s := w.c.Slot() + 2
	want := w.promises.sell(t, s, 2, milliEther)
	w.step(l)
	// Slot s has no block: the next one is in s+1.
	for w.c.Slot()+1 < s {
		w.step(l)
	}
	l.Tick(t.Context())
	w.c.SkipSlots(1)
	if h := w.c.Head(); (h.Time-w.c.GenesisTime)/chaintestSlot == s {
		t.Fatalf("slot %d has a block", s)
	}
	w.until(l, 8, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
	tree, _ := protocol.NewLedger(want)
	if got := w.ledgerOf(s); got.Root != tree.Root() {
		t.Fatalf("ledger root %s, want %s", got.Root, tree.Root())
	}
}

const chaintestSlot = 1

// An expired ledger's reservation goes back to the free collateral, and the
// watermark passes its slot only then.
func TestReleasesExpiredLedgers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := prometheus.NewRegistry()
	l := w.component(w.config(), nil, reg)
	s := w.c.Slot() + 2
	w.promises.sell(t, s, 2, milliEther)
	w.until(l, 10, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
	if wm := l.Watermark(); wm > s {
		t.Fatalf("watermark %d past the unreleased ledger of slot %d", wm, s)
	}
	free0, _ := w.reg.FreeCollateral(t.Context(), w.op.Addr)
	w.until(l, testSlashWindow+12, "ledger released", func() bool { return w.ledgerOf(s).Released })
	free, _ := w.reg.FreeCollateral(t.Context(), w.op.Addr)
	if diff := new(big.Int).Sub(free, free0); diff.Cmp(new(big.Int).Mul(milliEther, big.NewInt(2))) != 0 {
		t.Fatalf("free collateral rose by %s, want the ledger's 0.002 ETH", diff)
	}
	w.step(l)
	if wm := l.Watermark(); wm <= s {
		t.Fatalf("watermark %d, want past the released slot %d", wm, s)
	}
	if got := counter(t, reg, "pledge_ledger_released_total"); got != 1 {
		t.Fatalf("pledge_ledger_released_total = %v", got)
	}
}

// After a restart, expired ledgers found in the store's slots are released
// too; ledgers past their grace are never opened late.
func TestRestartReleasesOldLedgersAndSkipsLateOnes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := w.c.Slot() + 2
	w.promises.sell(t, s, 1, milliEther)
	first := w.component(w.config(), nil, nil)
	w.until(first, 10, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
	late := w.c.Slot() + 1
	w.promises.sell(t, late, 1, milliEther) // sold, but the sidecar is down past its grace
	w.c.SkipSlots(testGrace + 2)
	for w.c.Slot() <= s+testSlashWindow {
		w.c.Commit()
	}
	again := w.component(w.config(), nil, nil)
	w.until(again, 12, "old ledger released", func() bool { return w.ledgerOf(s).Released })
	if w.ledgerOf(late).Exists() {
		t.Fatalf("slot %d's ledger opened after its grace", late)
	}
}

// A committer the Registry does not bind can open nothing: the slot is given
// up with the Registry's reason, and Err says so for a grace.
func TestNotCommitterDegrades(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := prometheus.NewRegistry()
	stranger, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	w.c.Fund(0, crypto.PubkeyToAddress(stranger.PublicKey), big.NewInt(params.Ether))
	l := w.component(w.config(), admission.NewKeySigner(stranger), reg)
	s := w.c.Slot() + 1
	w.promises.sell(t, s, 1, milliEther)
	w.until(l, 8, "degraded", func() bool { return l.Err() != nil })
	err = l.Err()
	if !errors.Is(err, ledger.ErrNotOpened) || !strings.Contains(err.Error(), "NotCommitter") {
		t.Fatalf("Err = %v, want the slot not opened because of NotCommitter", err)
	}
	if got := counter(t, reg, "pledge_ledger_open_failures_total"); got != 1 {
		t.Fatalf("pledge_ledger_open_failures_total = %v", got)
	}
	for range testGrace + 2 {
		w.step(l)
	}
	if err := l.Err(); err != nil {
		t.Fatalf("Err = %v one grace after giving up", err)
	}
	if w.ledgerOf(s).Exists() {
		t.Fatal("a stranger opened the ledger")
	}
}

// A transaction the chain does not include (here: the node lost it) is
// replaced after BumpAfter slots, same nonce, higher fees; one ledger lands.
func TestReplacesAStuckTransaction(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := prometheus.NewRegistry()
	lossy := &losingChain{Chain: w.c.Client, lose: 1}
	l, err := ledger.New(w.config(), w.promises, lossy, w.reg, w.fees, chainClock{w.c.GenesisTime},
		admission.NewKeySigner(w.op.Committer), zerolog.New(w.logs), ledger.WithNow(w.now), ledger.WithRegisterer(reg))
	if err != nil {
		t.Fatal(err)
	}
	s := w.c.Slot() + 1
	w.promises.sell(t, s, 1, milliEther)
	w.until(l, 10, "ledger open", func() bool { return w.ledgerOf(s).Exists() })
	if lossy.lost() != 1 {
		t.Fatal("the first transaction was never sent")
	}
	if got := counter(t, reg, "pledge_ledger_txs_replaced_total"); got != 1 {
		t.Fatalf("pledge_ledger_txs_replaced_total = %v, want one replacement", got)
	}
	if n := w.committerNonce(); n != 1 {
		t.Fatalf("%d committer transactions mined, want 1", n)
	}
}

// losingChain drops the first `lose` transactions sent, answering success.
type losingChain struct {
	ledger.Chain
	mu      sync.Mutex
	lose    int
	dropped int
}

func (c *losingChain) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	c.mu.Lock()
	if c.dropped < c.lose {
		c.dropped++
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	return c.Chain.SendTransaction(ctx, tx)
}

func (c *losingChain) lost() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}

// A committer below the minimum balance is warned about.
func TestWarnsOnLowBalance(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := w.config()
	cfg.MinBalance = new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))
	l := w.component(cfg, nil, nil)
	l.Tick(t.Context())
	if !strings.Contains(w.logs.String(), "committer balance low") {
		t.Fatalf("no warning:\n%s", w.logs.String())
	}
}

func TestNewChecksConfig(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	signer := admission.NewKeySigner(w.op.Committer)
	for name, mutate := range map[string]func(*ledger.Config){
		"no chain":               func(c *ledger.Config) { c.ChainID = 0 },
		"no registry":            func(c *ledger.Config) { c.Registry = [20]byte{} },
		"no poster":              func(c *ledger.Config) { c.Poster = [20]byte{} },
		"no grace":               func(c *ledger.Config) { c.Grace = 0 },
		"window not above grace": func(c *ledger.Config) { c.SlashWindow = c.Grace },
		"negative fee":           func(c *ledger.Config) { c.PriorityFee = big.NewInt(-1) },
	} {
		cfg := w.config()
		mutate(&cfg)
		if _, err := ledger.New(cfg, w.promises, w.c.Client, w.reg, w.fees, chainClock{}, signer, zerolog.Nop()); !errors.Is(err, ledger.ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
	if _, err := ledger.New(w.config(), nil, w.c.Client, w.reg, w.fees, chainClock{}, signer, zerolog.Nop()); !errors.Is(err, ledger.ErrConfig) {
		t.Errorf("no promises: %v", err)
	}
}
