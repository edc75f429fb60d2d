package stack_test

import (
	"bytes"
	"context"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/stack"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// syncBuffer is an io.Writer safe for the stack's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestRunWithFaultySlot runs the whole system for 6 slots, the 3rd with a
// proposer that drops the promised transactions: every promise of the
// other slots lands and is judged kept, every promise of the faulty slot
// is slashed on-chain (the Slasher settled it) and the operator's
// collateral moved by exactly what the slashes paid.
func TestRunWithFaultySlot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole devnet for ~10 slots; skipped in -short")
	}
	out := &syncBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 85*time.Second)
	defer cancel()
	s, err := stack.Start(ctx, stack.Config{Slots: 6, FaultySlot: 3, Traffic: true, Listen: "127.0.0.1:0", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum, err := s.Wait()
	t.Logf("output:\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Slots) != 6 || sum.FaultySlot != sum.FirstSlot+2 {
		t.Fatalf("%d slots from %d, faulty %d; want 6 from the first, the 3rd faulty", len(sum.Slots), sum.FirstSlot, sum.FaultySlot)
	}
	slasher, err := bindings.NewSlasher(s.Contracts().Slasher, s.L1())
	if err != nil {
		t.Fatal(err)
	}
	settled := func(d common.Hash) bool {
		t.Helper()
		ok, err := slasher.Settled(&bind.CallOpts{Context: ctx}, d)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	paid := new(big.Int)
	for _, f := range sum.Faults {
		if f.Slot != sum.FaultySlot || f.Paid == nil || f.Paid.Sign() <= 0 {
			t.Errorf("fault %+v: want a paid slash in the faulty slot %d", f, sum.FaultySlot)
			continue
		}
		paid.Add(paid, f.Paid)
	}
	for _, r := range sum.Slots {
		if len(r.Promises) == 0 {
			t.Errorf("slot %d had no promise: the run shows nothing", r.Slot)
		}
		for _, p := range r.Promises {
			switch {
			case r.Faulty && (p.Landed || p.State != watcher.StateSlashed || !settled(p.Digest)):
				t.Errorf("faulty slot %d promise %s: landed %v, state %s, settled %v; want slashed on-chain", r.Slot, p.Digest, p.Landed, p.State, settled(p.Digest))
			case !r.Faulty && (!p.Landed || p.State != watcher.StateKept || settled(p.Digest)):
				t.Errorf("slot %d promise %s: landed %v, state %s, settled %v; want landed and kept", r.Slot, p.Digest, p.Landed, p.State, settled(p.Digest))
			}
		}
	}
	if len(sum.Faults) != len(sum.Slots[2].Promises) {
		t.Errorf("%d faults, want one per promise of the faulty slot (%d)", len(sum.Faults), len(sum.Slots[2].Promises))
	}
	moved := new(big.Int).Sub(sum.CollateralBefore, sum.CollateralAfter)
	if moved.Cmp(paid) != 0 {
		t.Errorf("collateral %s → %s moved %s, the slashes paid %s", sum.CollateralBefore, sum.CollateralAfter, moved, paid)
	}
	// An L2 transfer went, every honest slot, from the request
	// (eth_sendRawTransaction on the rollup node, which asked the sidecar)
	// to a receipt from the rollup node (read by the run through ethclient
	// while the node served: Landed).
	for _, r := range sum.Slots {
		l2 := 0
		for _, p := range r.Promises {
			if p.L2 && p.ChainID == stack.FirstRollupChainID && (p.Landed || r.Faulty) {
				l2++
			}
		}
		if l2 == 0 {
			t.Errorf("slot %d: no L2 promise that got its receipt", r.Slot)
		}
	}
}

// TestStopsOnCancel: a run without a slot count goes on until its context
// ends (SIGINT in `pledge devnet`), then stops every part: Wait returns
// the slots seen so far and the user API no longer answers.
func TestStopsOnCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole devnet; skipped in -short")
	}
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := stack.Start(ctx, stack.Config{Traffic: true, Rollups: -1, Listen: "127.0.0.1:0", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "landed 4/4") {
		if time.Now().After(deadline) {
			t.Fatalf("no slot line with landed promises:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	waited := make(chan struct{})
	var sum *stack.Summary
	go func() {
		defer close(waited)
		sum, err = s.Wait()
	}()
	select {
	case <-waited:
	case <-time.After(20 * time.Second):
		t.Fatalf("Wait did not return after the context ended:\n%s", out.String())
	}
	if err != nil {
		t.Fatalf("run interrupted after kept promises: %v\n%s", err, out.String())
	}
	if len(sum.Slots) == 0 {
		t.Fatal("no slot in the summary")
	}
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(s.UserURL(), "http://"), time.Second)
	if err == nil {
		conn.Close()
		t.Fatalf("user API %s still answers after Wait", s.UserURL())
	}
}
