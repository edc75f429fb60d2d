package admission

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/pgtest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/postgres"
)

// sidecars are engines of one operator on one PostgreSQL database, each
// with a store (connection pool) of its own, as separate processes have.
// They do not Sync unless a test says so: each knows only its own
// promises, so only the database can stop a double sale.
type sidecars struct {
	h      *harness
	engs   []*Engine
	stores []*postgres.Store
}

var _ SharedStore = (*postgres.Store)(nil)

func newSidecars(t *testing.T, h *harness, n int) *sidecars {
	t.Helper()
	dsn := pgtest.DSN(t)
	s := &sidecars{h: h}
	for range n {
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		e, err := New(h.cfg, h.duties, h.state, h.collateral, st, NewKeySigner(h.committer), zerolog.Nop(),
			WithNow(h.clock.now), WithRegisterer(prometheus.NewRegistry()))
		if err != nil {
			t.Fatal(err)
		}
		s.engs = append(s.engs, e)
		s.stores = append(s.stores, st)
	}
	return s
}

// all reads every promise in the database.
func (s *sidecars) all(t *testing.T) []*store.Record {
	t.Helper()
	var out []*store.Record
	if err := s.stores[0].Range(0, ^uint64(0), func(r *store.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// Two sidecars asked for two different transactions of one sender nonce,
// one after the other: the second is refused, though its engine never saw
// the first promise.
func TestSharedRefusesSecondTxForNonce(t *testing.T) {
	h := newHarness(t, 1)
	s := newSidecars(t, h, 2)
	u := h.users[0]
	a := h.tx(u, 0, txOpts{})
	b := h.tx(u, 0, txOpts{value: big.NewInt(2)})
	if _, err := s.engs[0].Request(context.Background(), h.l1(headSlot+2, a)); err != nil {
		t.Fatal(err)
	}
	_, err := s.engs[1].Request(context.Background(), h.l1(headSlot+3, b))
	wantErr(t, err, ErrConflict)
	// The same tx for a later slot while the first is live: refused too.
	_, err = s.engs[1].Request(context.Background(), h.l1(headSlot+3, a))
	wantErr(t, err, ErrConflict)
	// Engine 1 never saw nonce 0's promise, so it wants nonce 0 for nonce 1.
	_, err = s.engs[1].Request(context.Background(), h.l1(headSlot+3, h.tx(u, 1, txOpts{})))
	wantErr(t, err, ErrNonce)
	if n := len(s.all(t)); n != 1 {
		t.Fatalf("%d promises stored, want 1", n)
	}
}

// Many users each send two different transactions for one nonce, one to
// each sidecar at once: exactly one is promised per nonce, never both.
func TestSharedRaceNoEquivocation(t *testing.T) {
	const users = 24
	h := newHarness(t, users)
	s := newSidecars(t, h, 2)
	var wg sync.WaitGroup
	accepted := make([][2]bool, users)
	for i, u := range h.users {
		for side := range 2 {
			raw := h.tx(u, 0, txOpts{value: big.NewInt(int64(side + 1))})
			wg.Go(func() {
				_, err := s.engs[side].Request(context.Background(), h.l1(headSlot+2, raw))
				if err == nil {
					accepted[i][side] = true
				} else if !errors.Is(err, ErrConflict) {
					t.Errorf("user %d side %d: %v", i, side, err)
				}
			})
		}
	}
	wg.Wait()
	for i, a := range accepted {
		if a[0] && a[1] {
			t.Fatalf("user %d: both sidecars promised nonce 0 (equivocation)", i)
		}
		if !a[0] && !a[1] {
			t.Fatalf("user %d: neither sidecar promised", i)
		}
	}
	nonces := map[string]bool{}
	for _, r := range s.all(t) {
		p, err := r.Commitment.Open(simChainID)
		if err != nil {
			t.Fatal(err)
		}
		k := p.Inclusions[0].Sender.Hex()
		if nonces[k] {
			t.Fatalf("two promises stored for %s nonce 0", k)
		}
		nonces[k] = true
	}
	if len(nonces) != users {
		t.Fatalf("%d promises stored, want %d", len(nonces), users)
	}
}

// The same request sent to both sidecars at once gets the same promise from
// both, and one record.
func TestSharedIdempotent(t *testing.T) {
	h := newHarness(t, 8)
	s := newSidecars(t, h, 2)
	for _, u := range h.users {
		req := h.l1(headSlot+2, h.tx(u, 0, txOpts{}))
		var got [2]*protocol.SignedCommitment
		var wg sync.WaitGroup
		for side := range 2 {
			wg.Go(func() {
				sc, err := s.engs[side].Request(context.Background(), req)
				if err != nil {
					t.Errorf("side %d: %v", side, err)
				}
				got[side] = sc
			})
		}
		wg.Wait()
		if got[0] == nil || got[1] == nil {
			t.FailNow()
		}
		if !bytes.Equal(got[0].Signature, got[1].Signature) || !bytes.Equal(got[0].Commitment.Payload, got[1].Commitment.Payload) {
			t.Fatal("the two sidecars returned different promises for one request")
		}
	}
	if n := len(s.all(t)); n != len(h.users) {
		t.Fatalf("%d records for %d requests", n, len(h.users))
	}
}

// The slot's gas budget holds across sidecars: together they never promise
// more than it.
func TestSharedSlotBudget(t *testing.T) {
	const fit = 5
	h := newHarness(t, 16, withConfig(func(c *Config) { c.GasBudgetPerSlot = fit * 21_000 }))
	s := newSidecars(t, h, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for i, u := range h.users {
		raw := h.tx(u, 0, txOpts{tip: big.NewInt(10 * 1e9)})
		wg.Go(func() {
			_, err := s.engs[i%2].Request(context.Background(), h.l1(headSlot+2, raw))
			if err == nil {
				mu.Lock()
				n++
				mu.Unlock()
			} else if !errors.Is(err, ErrSlotFull) {
				t.Errorf("user %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if n != fit {
		t.Fatalf("%d promises of 21,000 gas sold for a budget of %d of them", n, fit)
	}
	if got := len(s.all(t)); got != fit {
		t.Fatalf("%d records", got)
	}
}

// The exposure holds across sidecars: together they never promise more
// slash amount than the collateral.
func TestSharedExposure(t *testing.T) {
	h := newHarness(t, 16)
	slash := new(big.Int).Div(ether, big.NewInt(100)) // the harness's Base
	h.collateral.set(new(big.Int).Mul(slash, big.NewInt(3)))
	s := newSidecars(t, h, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for i, u := range h.users {
		raw := h.tx(u, 0, txOpts{})
		wg.Go(func() {
			_, err := s.engs[i%2].Request(context.Background(), h.l1(headSlot+2+uint64(i%3), raw))
			if err == nil {
				mu.Lock()
				n++
				mu.Unlock()
			} else if !errors.Is(err, ErrExposure) {
				t.Errorf("user %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if n != 3 {
		t.Fatalf("%d promises sold on collateral for 3", n)
	}
}

// A sealed slot takes no promise from any sidecar.
func TestSharedSeal(t *testing.T) {
	h := newHarness(t, 2)
	s := newSidecars(t, h, 2)
	if err := s.engs[0].SealThrough(context.Background(), headSlot+2); err != nil {
		t.Fatal(err)
	}
	_, err := s.engs[1].Request(context.Background(), h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
	wantErr(t, err, ErrDeadlinePassed)
	if _, err := s.engs[1].Request(context.Background(), h.l1(headSlot+3, h.tx(h.users[1], 0, txOpts{}))); err != nil {
		t.Fatalf("a later slot: %v", err)
	}
}

// With the database gone, no promise is returned: -32017 naming the store.
func TestSharedStoreDown(t *testing.T) {
	h := newHarness(t, 1)
	s := newSidecars(t, h, 1)
	if err := s.stores[0].Close(); err != nil {
		t.Fatal(err)
	}
	sc, err := s.engs[0].Request(context.Background(), h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
	wantErr(t, err, ErrUnavailable)
	if sc != nil || !strings.Contains(err.Error(), "postgres 127.0.0.1") {
		t.Fatalf("promise %v, err %v: want none, and the store named", sc, err)
	}
	if tpl := s.engs[0].Template(headSlot + 2); len(tpl) != 0 {
		t.Fatalf("template holds %d promises after a failed commit", len(tpl))
	}
}

// A promise sold by one sidecar reaches the other's template (Follow on
// the store's notifications), so either one's block carries it.
func TestSharedFollow(t *testing.T) {
	h := newHarness(t, 4)
	s := newSidecars(t, h, 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := make(chan struct{}, 1)
	go func() { _ = s.stores[1].Listen(ctx, wake, 100*time.Millisecond, zerolog.Nop()) }()
	go func() { _ = s.engs[1].Follow(ctx, wake, time.Second) }()
	for i, u := range h.users {
		sc, err := s.engs[0].Request(ctx, h.l1(headSlot+2, h.tx(u, 0, txOpts{})))
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for len(s.engs[1].Template(headSlot+2)) <= i {
			if time.Now().After(deadline) {
				t.Fatalf("promise %d not in the other sidecar's template after 10 s", i)
			}
			time.Sleep(time.Millisecond)
		}
		tpl := s.engs[1].Template(headSlot + 2)
		if got := tpl[len(tpl)-1].Commitment; !bytes.Equal(got.Signature, sc.Signature) {
			t.Fatal("the other sidecar's template holds another promise")
		}
	}
	// Now that it knows them, sidecar 1 stacks nonce 1 on sidecar 0's nonce 0.
	if _, err := s.engs[1].Request(ctx, h.l1(headSlot+2, h.tx(h.users[0], 1, txOpts{}))); err != nil {
		t.Fatalf("nonce 1 after syncing nonce 0: %v", err)
	}
}

// BenchmarkSharedSyncDelay measures how long a promise committed by one
// sidecar takes to be in the other's template (LISTEN/NOTIFY, then Sync).
func BenchmarkSharedSyncDelay(b *testing.B) {
	h := newHarness(b, 1)
	s := newSidecarsB(b, h)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := make(chan struct{}, 1)
	go func() { _ = s.stores[1].Listen(ctx, wake, 100*time.Millisecond, zerolog.Nop()) }()
	go func() { _ = s.engs[1].Follow(ctx, wake, time.Second) }()
	time.Sleep(100 * time.Millisecond)
	u := h.users[0]
	var total time.Duration
	var worst time.Duration
	nonce := uint64(0)
	b.ResetTimer()
	for b.Loop() {
		if nonce >= 60 {
			break // one sender's promises for one slot; enough samples
		}
		_, err := s.engs[0].Request(ctx, h.l1(headSlot+2, h.tx(u, nonce, txOpts{})))
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		for len(s.engs[1].Template(headSlot+2)) <= int(nonce) {
			time.Sleep(20 * time.Microsecond)
		}
		d := time.Since(t0)
		total += d
		worst = max(worst, d)
		nonce++
	}
	if nonce > 0 {
		b.ReportMetric(float64(total.Microseconds())/float64(nonce), "µs-visible-avg")
		b.ReportMetric(float64(worst.Microseconds()), "µs-visible-max")
	}
}

func newSidecarsB(b *testing.B, h *harness) *sidecars {
	dsn := pgtest.DSN(b)
	s := &sidecars{h: h}
	for range 2 {
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = st.Close() })
		e, err := New(h.cfg, h.duties, h.state, h.collateral, st, NewKeySigner(h.committer), zerolog.Nop(),
			WithNow(h.clock.now), WithRegisterer(prometheus.NewRegistry()))
		if err != nil {
			b.Fatal(err)
		}
		s.engs = append(s.engs, e)
		s.stores = append(s.stores, st)
	}
	return s
}
