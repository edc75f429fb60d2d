package admission

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/store"
)

// passHead moves the chain's head by d and re-checks the templates, with the
// wall clock 1 s into slot clockSlot.
func (h *harness) passHead(d time.Duration, clockSlot uint64) {
	h.t.Helper()
	if err := h.backend.AdjustTime(d); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.state.Refresh(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.clock.set(h.duties.clock.SlotStart(clockSlot).Add(time.Second))
	if err := h.eng.OnHead(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

// soldOf returns what the engine keeps of a trimmed promise's tx, and
// whether it still holds the promise in full form (it should not).
func (h *harness) soldOf(raw []byte, reqHash common.Hash) (soldTx, bool, bool) {
	h.t.Helper()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		h.t.Fatal(err)
	}
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		h.t.Fatal(err)
	}
	k := nonceKey{tx.ChainId().Uint64(), from, tx.Nonce()}
	h.eng.mu.Lock()
	defer h.eng.mu.Unlock()
	s, ok := h.eng.sold[k]
	_, inRequests := h.eng.byRequest[reqHash]
	_, inNonces := h.eng.byNonce[k]
	return s, ok, inRequests || inNonces
}

// TestTrimmedPastPromiseKeepsItsRules checks that once the head is past a
// promise's slot, the trimmed promise (trimmed on a head, or loaded trimmed
// after a restart) is only a sold nonce in memory, yet still refuses another
// tx for its nonce, still counts in the exposure, still answers Result,
// replays and DroppedReason, and is released by Prune.
func TestTrimmedPastPromiseKeepsItsRules(t *testing.T) {
	h := newHarness(t, 3, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	slash := new(big.Int).Div(ether, big.NewInt(100))
	h.collateral.set(new(big.Int).Mul(slash, big.NewInt(2))) // room for exactly two promises
	u, other, d := h.users[0], h.users[1], h.users[2]
	raw := h.tx(u, 0, txOpts{})
	req := h.l1(headSlot+2, raw)
	first := h.mustAccept(req)
	hash := first.Commitment.RequestHash
	// d's promise is dropped (d spends the nonce elsewhere) before the
	// head passes its slot.
	dropped := h.mustAccept(h.l1(headSlot+2, h.tx(d, 0, txOpts{})))
	h.sendOnChain(h.tx(d, 0, txOpts{value: big.NewInt(7)}))
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.eng.DroppedReason(dropped.Commitment.RequestHash); !ok {
		t.Fatal("d's promise not dropped")
	}

	// The head moves to slot 103 (slot 102's block came without our tx).
	if err := h.backend.AdjustTime(45 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := h.state.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.clock.set(h.duties.clock.SlotStart(headSlot + 4).Add(time.Second))

	check := func(t *testing.T, wantDrop bool) {
		t.Helper()
		s, ok, full := h.soldOf(raw, hash)
		if !ok || full || s != (soldTx{hash: txHash(t, raw), slot: headSlot + 2}) {
			t.Fatalf("promise of the passed slot not trimmed to its sold nonce: %+v (sold %v, full form %v)", s, ok, full)
		}
		h.eng.mu.Lock()
		if h.eng.headSlot <= headSlot+2 {
			h.eng.mu.Unlock()
			t.Fatalf("head slot %d, want past slot %d", h.eng.headSlot, headSlot+2)
		}
		nFull, nSold := len(h.eng.byRequest)+len(h.eng.byNonce), len(h.eng.sold)
		exposure := new(big.Int).Set(h.eng.exposure)
		h.eng.mu.Unlock()
		if nFull != 0 || nSold != 2 {
			t.Fatalf("%d indexed in full form, %d sold nonces; want 0 and 2", nFull, nSold)
		}
		if want := new(big.Int).Mul(slash, big.NewInt(2)); exposure.Cmp(want) != 0 {
			t.Fatalf("exposure %v, want the trimmed promises' %v", exposure, want)
		}
		if tpl := h.eng.Template(headSlot + 2); len(tpl) != 0 {
			t.Fatalf("a trimmed slot still has a template of %d", len(tpl))
		}
		// Another tx for the sold nonce is equivocation.
		_, err := h.eng.Request(context.Background(), h.l1(headSlot+6, h.tx(u, 0, txOpts{value: big.NewInt(9)})))
		wantErr(t, err, ErrConflict)
		// The trimmed promises' slash still fills the collateral.
		_, err = h.eng.Request(context.Background(), h.l1(headSlot+6, h.tx(other, 0, txOpts{})))
		wantErr(t, err, ErrExposure)
		// The promise itself comes back from the store, by hash and by replay.
		got, err := h.eng.Result(context.Background(), hash)
		if err != nil || !bytes.Equal(got.Signature, first.Signature) {
			t.Fatalf("Result of a trimmed promise: %v", err)
		}
		again, err := h.eng.Request(context.Background(), req)
		if err != nil || !bytes.Equal(again.Signature, first.Signature) {
			t.Fatalf("replay of a trimmed promise: %v", err)
		}
		reason, ok := h.eng.DroppedReason(dropped.Commitment.RequestHash)
		if ok != wantDrop || wantDrop && reason == "" {
			t.Fatalf("DroppedReason of the trimmed dropped promise = %q, %v; want dropped %v", reason, ok, wantDrop)
		}
		if _, ok := h.eng.DroppedReason(hash); ok {
			t.Fatal("a trimmed promise that was kept reads as dropped")
		}
	}
	steps := []struct {
		name     string
		do       func(t *testing.T)
		wantDrop bool // drops are kept in memory only
	}{
		{"trimmed on the next head", func(t *testing.T) {
			if err := h.eng.OnHead(context.Background()); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"loaded trimmed after a restart", func(t *testing.T) {
			if err := h.store.Close(); err != nil {
				t.Fatal(err)
			}
			h.openStore()
			h.eng = h.newEngine()
			if err := h.eng.Load(context.Background()); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"loaded twice", func(t *testing.T) {
			if err := h.eng.Load(context.Background()); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do(t)
			check(t, s.wantDrop)
		})
	}

	// Once its slash window is over, Prune releases the nonces and the exposure.
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 5).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want 2", n, err)
	}
	if h.eng.exposure.Sign() != 0 || len(h.eng.byNonce) != 0 || len(h.eng.byRequest) != 0 || len(h.eng.sold) != 0 || len(h.eng.templates) != 0 {
		t.Fatalf("after prune: exposure %v, %d nonces, %d requests, %d sold, %d templates; want none",
			h.eng.exposure, len(h.eng.byNonce), len(h.eng.byRequest), len(h.eng.sold), len(h.eng.templates))
	}
	if _, err := h.eng.Result(context.Background(), hash); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Result after prune: %v, want ErrNotFound", err)
	}
	h.mustAccept(h.l1(headSlot+9, h.tx(other, 0, txOpts{})))
	h.mustAccept(h.l1(headSlot+9, h.tx(u, 0, txOpts{value: big.NewInt(9)})))
}

// TestTrimmedSlotTakesNoNewPromise checks the engine never reserves room in
// a slot the head has passed, even when the wall clock (behind the chain)
// still has it open; a replay of a promise of that slot is still answered.
func TestTrimmedSlotTakesNoNewPromise(t *testing.T) {
	h := newHarness(t, 2)
	req := h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{}))
	first := h.mustAccept(req)
	h.passHead(45*time.Second, headSlot+1) // the clock stays 1 s into slot 101
	h.eng.mu.Lock()
	trimmed := h.eng.templates[headSlot+2] != nil && h.eng.templates[headSlot+2].trimmed
	h.eng.mu.Unlock()
	if !trimmed {
		t.Fatal("slot 102 not trimmed once the head passed it")
	}
	again, err := h.eng.Request(context.Background(), req)
	if err != nil || !bytes.Equal(again.Signature, first.Signature) {
		t.Fatalf("replay in a trimmed slot: %v", err)
	}
	_, err = h.eng.Request(context.Background(), h.l1(headSlot+2, h.tx(h.users[1], 0, txOpts{})))
	wantErr(t, err, ErrSlotNotOffered)
	if got := len(h.stored()); got != 1 {
		t.Fatalf("%d promises stored, want 1", got)
	}
}

// TestPruneKeepsNonceSoldAgainLater checks that a tx promised again for a
// later slot after its first slot passed keeps its nonce claimed until the
// later promise's window is over too.
func TestPruneKeepsNonceSoldAgainLater(t *testing.T) {
	h := newHarness(t, 1, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	u := h.users[0]
	raw := h.tx(u, 0, txOpts{})
	h.mustAccept(h.l1(headSlot+2, raw))
	h.passHead(45*time.Second, headSlot+3) // head in slot 103: 102 trimmed
	h.mustAccept(h.l1(headSlot+4, raw))    // missed slot 102: promised again
	h.passHead(24*time.Second, headSlot+6) // head in slot 105: 104 trimmed
	later := h.l1(headSlot+4, raw)
	if s, ok, full := h.soldOf(raw, reqHash(t, later)); !ok || full || s.slot != headSlot+4 {
		t.Fatalf("sold nonce %+v (%v, full form %v), want slot %d", s, ok, full, headSlot+4)
	}

	// Slot 102's window is over, slot 104's is not.
	h.clock.set(h.duties.clock.SlotStart(headSlot + 7).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+8, h.tx(u, 0, txOpts{value: big.NewInt(5)})))
	wantErr(t, err, ErrConflict)
	if _, err := h.eng.Result(context.Background(), reqHash(t, later)); err != nil {
		t.Fatalf("Result of the later promise after pruning the first: %v", err)
	}

	h.clock.set(h.duties.clock.SlotStart(headSlot + 9).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 1 {
		t.Fatalf("second Prune = %d, %v; want 1", n, err)
	}
	h.mustAccept(h.l1(headSlot+10, h.tx(u, 0, txOpts{value: big.NewInt(5)})))
}

// garbledRange is a store whose Range hands out promises that do not open.
type garbledRange struct{ Store }

func (g garbledRange) Range(from, to uint64, fn func(*store.Record) error) error {
	return g.Store.Range(from, to, func(rec *store.Record) error {
		rec.Commitment.Commitment.Payload = []byte{1, 2, 3}
		return fn(rec)
	})
}

// TestPruneScansSoldWhenAPromiseDoesNotOpen checks Prune still frees the
// nonces of a trimmed slot when its stored promises cannot be read back.
func TestPruneScansSoldWhenAPromiseDoesNotOpen(t *testing.T) {
	h := newHarness(t, 1, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	u := h.users[0]
	h.mustAccept(h.l1(headSlot+2, h.tx(u, 0, txOpts{})))
	h.passHead(45*time.Second, headSlot+4)
	h.eng.store = garbledRange{h.store}
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 5).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	if len(h.eng.sold) != 0 {
		t.Fatalf("%d sold nonces left after prune", len(h.eng.sold))
	}
	h.mustAccept(h.l1(headSlot+9, h.tx(u, 0, txOpts{value: big.NewInt(5)})))
}

// TestMarkSoldKeepsTheLaterSlot checks a nonce sold twice (the same tx,
// trimmed in any order) keeps the later slot, the one Prune must wait for.
func TestMarkSoldKeepsTheLaterSlot(t *testing.T) {
	e := &Engine{sold: make(map[nonceKey]soldTx)}
	k, h := nonceKey{1, common.Address{2}, 3}, common.Hash{4}
	e.markSold(k, h, 104)
	e.markSold(k, h, 102)
	if got := e.sold[k]; got != (soldTx{hash: h, slot: 104}) {
		t.Fatalf("sold %+v, want slot 104", got)
	}
	e.markSold(k, h, 106)
	if got := e.sold[k].slot; got != 106 {
		t.Fatalf("sold for slot %d, want 106", got)
	}
}

func txHash(t *testing.T, raw []byte) common.Hash {
	t.Helper()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		t.Fatal(err)
	}
	return tx.Hash()
}
