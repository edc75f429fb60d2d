package admission

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// TestParallelRequestsKeepInvariants sends conflicting and parallel requests
// from many goroutines and then checks the store itself: never two promises
// for one sender nonce, never more gas in a slot than its budget, never more
// slash amount than the collateral.
func TestParallelRequestsKeepInvariants(t *testing.T) {
	for _, tc := range []struct {
		name       string
		budget     uint64
		collateral int64 // in slash amounts
		binding    error // the limit the run must reach
	}{
		{"exposure binds", 10 * 21_000, 15, ErrExposure},
		{"gas binds", 4 * 21_000, 1000, ErrSlotFull},
	} {
		t.Run(tc.name, func(t *testing.T) { parallelInvariants(t, tc.budget, tc.collateral, tc.binding) })
	}
}

func parallelInvariants(t *testing.T, budget uint64, slashes int64, binding error) {
	const (
		users     = 8
		workers   = 64
		perWorker = 20
	)
	slash := new(big.Int).Div(ether, big.NewInt(100))
	collateral := new(big.Int).Mul(slash, big.NewInt(slashes))
	h := newHarness(t, users, withConfig(func(c *Config) { c.GasBudgetPerSlot = budget }))
	h.collateral.set(collateral)
	slots := []uint64{headSlot + 2, headSlot + 3, headSlot + 4}

	// Pre-sign: for each user, nonces 0..4 in three variants (different
	// values, so different tx hashes competing for one nonce).
	type key struct{ user, nonce, variant int }
	raws := map[key][]byte{}
	for u := range users {
		for n := range 5 {
			for v := range 3 {
				raws[key{u, n, v}] = h.tx(h.users[u], uint64(n), txOpts{value: big.NewInt(int64(v + 1))})
			}
		}
	}
	allowed := []error{ErrNonce, ErrConflict, ErrSlotFull, ErrExposure}
	var (
		mu       sync.Mutex
		accepted = map[common.Hash][]byte{}
		wg       sync.WaitGroup
		failures = make(chan error, workers*perWorker)
		refusals = map[error]int{}
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range perWorker {
				u, n, v := rng.IntN(users), rng.IntN(5), rng.IntN(3)
				slot := slots[rng.IntN(len(slots))]
				var r protocol.CommitmentRequest
				if rng.IntN(4) == 0 { // some bundles: two nonces of one user
					if n == 4 {
						n = 3
					}
					r = h.req(protocol.TypeBundle, slot, raws[key{u, n, v}], raws[key{u, n + 1, v}])
				} else {
					r = h.l1(slot, raws[key{u, n, v}])
				}
				sc, err := h.eng.Request(context.Background(), r)
				if err != nil {
					ok := false
					for _, a := range allowed {
						if errors.Is(err, a) {
							ok = true
							mu.Lock()
							refusals[a]++
							mu.Unlock()
							break
						}
					}
					if !ok {
						failures <- err
					}
					continue
				}
				mu.Lock()
				if prev, dup := accepted[sc.Commitment.RequestHash]; dup && !bytes.Equal(prev, sc.Signature) {
					failures <- fmt.Errorf("two different promises for request %s", sc.Commitment.RequestHash)
				}
				accepted[sc.Commitment.RequestHash] = sc.Signature
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Error(err)
	}

	recs := h.stored()
	if len(recs) == 0 {
		t.Fatal("nothing was accepted: the test shows nothing")
	}
	type nk struct {
		sender common.Address
		nonce  uint64
	}
	byNonce := map[nk]common.Hash{}
	gas := map[uint64]uint64{}
	total := new(big.Int)
	seen := map[common.Hash]bool{}
	for _, rec := range recs {
		p, err := rec.Commitment.Verify(h.chainID, addr(h.committer))
		if err != nil {
			t.Fatal(err)
		}
		if seen[p.RequestHash] {
			t.Errorf("request %s stored twice", p.RequestHash)
		}
		seen[p.RequestHash] = true
		if _, ok := accepted[p.RequestHash]; !ok {
			t.Errorf("stored promise %s was never returned", p.RequestHash)
		}
		for _, inc := range p.Inclusions {
			k := nk{inc.Sender, inc.Nonce}
			if h, ok := byNonce[k]; ok && h != inc.TxHash {
				t.Errorf("equivocation: nonce %d of %s promised to %s and %s", inc.Nonce, inc.Sender, h, inc.TxHash)
			}
			byNonce[k] = inc.TxHash
			gas[rec.Slot] += inc.GasLimit
		}
		total.Add(total, p.SlashAmount)
	}
	if len(seen) != len(accepted) {
		t.Errorf("%d promises returned, %d stored", len(accepted), len(seen))
	}
	for slot, g := range gas {
		if g > budget {
			t.Errorf("slot %d holds %d gas, budget %d", slot, g, budget)
		}
	}
	if total.Cmp(collateral) > 0 {
		t.Errorf("slash amounts %v exceed the collateral %v", total, collateral)
	}
	t.Logf("%d promises over %d slots from %d requests; refusals %v", len(recs), len(gas), workers*perWorker, refusals)
	// Conflicts must have happened and the binding limit must have been
	// reached, or the test shows nothing about them.
	for _, want := range []error{ErrConflict, ErrNonce} {
		if refusals[want] == 0 {
			t.Errorf("no request was refused with %v", want)
		}
	}
	full := false
	for _, g := range gas {
		full = full || g+21_000 > budget
	}
	if binding == ErrExposure && total.Cmp(collateral) != 0 {
		t.Errorf("exposure %v never reached the collateral %v", total, collateral)
	}
	if binding == ErrSlotFull && !full {
		t.Errorf("no slot reached its gas budget: %v", gas)
	}
}

func TestParallelSameRequest(t *testing.T) {
	h := newHarness(t, 1)
	r := h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{}))
	const n = 32
	sigs := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc, err := h.eng.Request(context.Background(), r)
			if err != nil {
				t.Error(err)
				return
			}
			sigs[i] = sc.Signature
		}()
	}
	wg.Wait()
	for i := range sigs {
		if !bytes.Equal(sigs[i], sigs[0]) {
			t.Fatal("the same request got different promises")
		}
	}
	if got := len(h.stored()); got != 1 {
		t.Fatalf("%d records for one request", got)
	}
}

// snapshot is a comparable form of a template.
func snapshot(tpl []Entry) string {
	var b strings.Builder
	for _, e := range tpl {
		fmt.Fprintf(&b, "%s/%d/%d/%x/%x/", e.RequestHash, e.Seq, e.CommitmentType, e.Commitment.Commitment.Payload, e.Commitment.Signature)
		for i, tx := range e.Txs {
			fmt.Fprintf(&b, "%x:%s:%d,", tx, e.Inclusions[i].Sender, e.Inclusions[i].Nonce)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestRestartReloadsTemplates(t *testing.T) {
	h := newHarness(t, 3)
	a, b, c := h.users[0], h.users[1], h.users[2]
	h.mustAccept(h.l1(headSlot+2, h.tx(a, 0, txOpts{})))
	h.mustAccept(h.l1(headSlot+2, h.tx(b, 0, txOpts{})))
	h.mustAccept(h.req(protocol.TypeBundle, headSlot+3, h.tx(a, 1, txOpts{}), h.tx(c, 0, txOpts{})))
	replay := h.l1(headSlot+4, h.tx(b, 1, txOpts{}))
	first := h.mustAccept(replay)
	slots := []uint64{headSlot + 2, headSlot + 3, headSlot + 4}
	before := map[uint64]string{}
	for _, s := range slots {
		before[s] = snapshot(h.eng.Template(s))
	}
	exposure := new(big.Int).Set(h.eng.exposure)

	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	h.openStore()
	h.eng = h.newEngine()
	if err := h.eng.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if got := snapshot(h.eng.Template(s)); got != before[s] || got == "" {
			t.Fatalf("slot %d template after restart:\n%s\nwant:\n%s", s, got, before[s])
		}
	}
	if h.eng.exposure.Cmp(exposure) != 0 {
		t.Fatalf("exposure after restart %v, want %v", h.eng.exposure, exposure)
	}
	// The reloaded state behaves as before: replay, conflicts, stacking, exposure.
	again, err := h.eng.Request(context.Background(), replay)
	if err != nil || !bytes.Equal(again.Signature, first.Signature) {
		t.Fatalf("replay after restart: %v", err)
	}
	_, err = h.eng.Request(context.Background(), h.l1(headSlot+4, h.tx(a, 1, txOpts{value: big.NewInt(9)})))
	wantErr(t, err, ErrConflict)
	_, err = h.eng.Request(context.Background(), h.l1(headSlot+4, h.tx(a, 3, txOpts{})))
	wantErr(t, err, ErrNonce)
	h.mustAccept(h.l1(headSlot+4, h.tx(a, 2, txOpts{})))
	h.collateral.set(new(big.Int).Add(h.eng.exposure, big.NewInt(1)))
	_, err = h.eng.Request(context.Background(), h.l1(headSlot+4, h.tx(c, 1, txOpts{})))
	wantErr(t, err, ErrExposure)
}

// flakyStore fails the next Put when told to.
type flakyStore struct {
	*store.Store
	mu   sync.Mutex
	fail int
}

func (f *flakyStore) Put(rec *store.Record) error {
	f.mu.Lock()
	fail := f.fail > 0
	if fail {
		f.fail--
	}
	f.mu.Unlock()
	if fail {
		return errors.New("disk full")
	}
	return f.Store.Put(rec)
}

func TestPersistenceFailureReleasesReservation(t *testing.T) {
	t.Run("closed store", func(t *testing.T) {
		h := newHarness(t, 1)
		if err := h.store.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := h.eng.Request(context.Background(), h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, store.ErrClosed) {
			t.Fatalf("err = %v, want ErrUnavailable wrapping store.ErrClosed", err)
		}
		h.eng.mu.Lock()
		defer h.eng.mu.Unlock()
		if len(h.eng.byRequest) != 0 || len(h.eng.byNonce) != 0 || len(h.eng.live) != 0 || h.eng.exposure.Sign() != 0 {
			t.Fatalf("reservation leaked: %d requests, %d nonces, %d live senders, exposure %v",
				len(h.eng.byRequest), len(h.eng.byNonce), len(h.eng.live), h.eng.exposure)
		}
		if tpl := h.eng.templates[headSlot+2]; tpl != nil && (tpl.gas != 0 || tpl.slash.Sign() != 0 || len(tpl.entries) != 0) {
			t.Fatalf("template kept the failed promise: %+v", tpl)
		}
	})
	t.Run("write fails once", func(t *testing.T) {
		h := newHarness(t, 1, withConfig(func(c *Config) { c.GasBudgetPerSlot = 21_000 }))
		h.collateral.set(new(big.Int).Div(ether, big.NewInt(100))) // room for exactly one promise
		fs := &flakyStore{Store: h.store, fail: 1}
		e, err := New(h.cfg, h.duties, h.state, h.collateral, fs, NewKeySigner(h.committer), h.eng.log, WithNow(h.clock.now))
		if err != nil {
			t.Fatal(err)
		}
		first := h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{}))
		_, err = e.Request(context.Background(), first)
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("err = %v, want ErrUnavailable saying why", err)
		}
		if _, err := e.Result(context.Background(), reqHash(t, first)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Result of the failed request: %v, want ErrNotFound", err)
		}
		// The nonce, the gas and the collateral are free again: another tx
		// with the same nonce takes all three.
		sc, err := e.Request(context.Background(), h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{value: big.NewInt(5)})))
		if err != nil {
			t.Fatalf("after a failed write the reservation still blocks: %v", err)
		}
		if _, err := sc.Verify(h.chainID, addr(h.committer)); err != nil {
			t.Fatal(err)
		}
		if n := len(h.stored()); n != 1 {
			t.Fatalf("%d records, want 1", n)
		}
	})
}

// reqHash computes a request's hash the way the engine does.
func reqHash(t *testing.T, r protocol.CommitmentRequest) common.Hash {
	t.Helper()
	if _, err := protocol.DecodeRequestPayload(r.CommitmentType, r.Payload); err != nil {
		t.Fatal(err)
	}
	return r.RequestHash()
}

func TestOnHeadDropsInvalidatedTxs(t *testing.T) {
	h := newHarness(t, 1)
	u := h.users[0]
	ctx := context.Background()
	a := h.mustAccept(h.l1(headSlot+3, h.tx(u, 0, txOpts{})))
	b := h.mustAccept(h.l1(headSlot+4, h.tx(u, 1, txOpts{})))
	// The poor user: nonce 0 and 1 promised, then spends nonce 0 elsewhere
	// and almost all the money with it.
	pa := h.mustAccept(h.l1(headSlot+3, h.tx(h.poor, 0, txOpts{})))
	pb := h.mustAccept(h.l1(headSlot+4, h.tx(h.poor, 1, txOpts{})))

	// The user spends nonce 0 on another tx, mined before our slot.
	h.sendOnChain(h.tx(u, 0, txOpts{value: big.NewInt(77)}))
	h.sendOnChain(h.tx(h.poor, 0, txOpts{value: big.NewInt(9e15), feeCap: new(big.Int).Mul(big.NewInt(20), gwei), tip: gwei}))
	if err := h.eng.OnHead(ctx); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		sc     string
		hash   common.Hash
		reason string // "" when the promise must stay
	}{
		{"spent nonce", "a", a.Commitment.RequestHash, "nonce 0"},
		{"next nonce still reachable", "b", b.Commitment.RequestHash, ""},
		{"poor: spent nonce", "pa", pa.Commitment.RequestHash, "used on chain"},
		{"poor: balance gone", "pb", pb.Commitment.RequestHash, "balance"},
	} {
		reason, dropped := h.eng.DroppedReason(tc.hash)
		if tc.reason == "" && dropped {
			t.Errorf("%s: dropped (%s), want kept", tc.name, reason)
		}
		if tc.reason != "" && (!dropped || !strings.Contains(reason, tc.reason)) {
			t.Errorf("%s: dropped=%v reason %q, want a reason saying %q", tc.name, dropped, reason, tc.reason)
		}
	}
	if tpl := h.eng.Template(headSlot + 3); len(tpl) != 0 {
		t.Fatalf("slot %d still holds %d dropped promises", headSlot+3, len(tpl))
	}
	if tpl := h.eng.Template(headSlot + 4); len(tpl) != 1 || tpl[0].RequestHash != b.Commitment.RequestHash {
		t.Fatalf("slot %d template %+v, want only the still valid promise", headSlot+4, tpl)
	}
	if n := counterValue(h.eng.metrics.dropped.WithLabelValues(dropNonceUsed)); n != 2 {
		t.Fatalf("nonce_used drops = %v, want 2", n)
	}
	if n := counterValue(h.eng.metrics.dropped.WithLabelValues(dropBalance)); n != 1 {
		t.Fatalf("balance drops = %v, want 1", n)
	}
	// A dropped promise is still a signed promise: it is returned, and its
	// nonce is never sold again to another tx.
	if got, err := h.eng.Result(ctx, a.Commitment.RequestHash); err != nil || !bytes.Equal(got.Signature, a.Signature) {
		t.Fatalf("Result of a dropped promise: %v", err)
	}
	// Stacking continues from the chain and the kept promise.
	h.mustAccept(h.l1(headSlot+4, h.tx(u, 2, txOpts{})))
}

func TestHeadPastSlotRetiresAndAllowsRepromise(t *testing.T) {
	h := newHarness(t, 1)
	u := h.users[0]
	raw := h.tx(u, 0, txOpts{})
	h.mustAccept(h.l1(headSlot+2, raw))
	// Slot 102's block came without our tx (a missed slot): the head moves
	// past it, the account nonce has not moved.
	if err := h.backend.AdjustTime(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := h.state.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.clock.set(h.duties.clock.SlotStart(headSlot + 3).Add(time.Second))
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, dropped := h.eng.DroppedReason(reqHash(t, h.l1(headSlot+2, raw))); dropped {
		t.Fatal("a promise of a passed slot is not a drop")
	}
	if len(h.eng.Template(headSlot+2)) != 1 {
		t.Fatal("the template of the head's own slot must stay (trimmed once the head is past it)")
	}
	// Another tx for the nonce would be equivocation; the same tx may be promised again.
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+4, h.tx(u, 0, txOpts{value: big.NewInt(8)})))
	wantErr(t, err, ErrConflict)
	h.mustAccept(h.l1(headSlot+4, raw))
}

func TestPruneReleasesExposure(t *testing.T) {
	h := newHarness(t, 2, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	h.collateral.set(new(big.Int).Div(ether, big.NewInt(100)))
	old := h.mustAccept(h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+3, h.tx(h.users[1], 0, txOpts{})))
	wantErr(t, err, ErrExposure)

	// Slot 102 + window 4: from slot 107 on the promise can no longer be slashed.
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 4).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 0 {
		t.Fatalf("Prune inside the window = %d, %v; want nothing pruned", n, err)
	}
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 5).Add(time.Second))
	n, err := h.eng.Prune(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	if _, err := h.eng.Result(context.Background(), old.Commitment.RequestHash); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Result after prune: %v, want ErrNotFound", err)
	}
	if len(h.stored()) != 0 || h.eng.Template(headSlot+2) != nil {
		t.Fatal("pruned promise still stored or templated")
	}
	h.mustAccept(h.l1(headSlot+9, h.tx(h.users[1], 0, txOpts{})))
}

func TestLoadSkipsPromisesPastTheWindow(t *testing.T) {
	h := newHarness(t, 2, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	h.mustAccept(h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
	h.mustAccept(h.l1(headSlot+9, h.tx(h.users[1], 0, txOpts{})))
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	h.openStore()
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 5).Add(time.Second)) // 102's window is over
	h.eng = h.newEngine()
	if err := h.eng.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(h.eng.Template(headSlot+2)) != 0 {
		t.Fatal("a promise past its slash window was loaded")
	}
	if len(h.eng.Template(headSlot+9)) != 1 {
		t.Fatal("a promise inside its window was not loaded")
	}
	if want := new(big.Int).Div(ether, big.NewInt(100)); h.eng.exposure.Cmp(want) != 0 {
		t.Fatalf("exposure %v, want one promise's %v", h.eng.exposure, want)
	}
	// Load on a closed store says the store is unavailable.
	_ = h.store.Close()
	wantErr(t, h.newEngine().Load(context.Background()), ErrUnavailable)
}
