package admission

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

// TestTrimmedPastPromiseKeepsItsRules checks that once the head is past a
// promise's slot, the trimmed entry (trimmed on a head, or loaded trimmed
// after a restart) still refuses another tx for its nonce, still counts in
// the exposure, still answers Result and replays from the store, and is
// released by Prune.
func TestTrimmedPastPromiseKeepsItsRules(t *testing.T) {
	h := newHarness(t, 2, withConfig(func(c *Config) { c.SlashWindow = 4 }))
	slash := new(big.Int).Div(ether, big.NewInt(100))
	h.collateral.set(slash) // room for exactly one promise
	u, other := h.users[0], h.users[1]
	req := h.l1(headSlot+2, h.tx(u, 0, txOpts{}))
	first := h.mustAccept(req)
	hash := first.Commitment.RequestHash

	// The head moves to slot 103 (slot 102's block came without our tx).
	if err := h.backend.AdjustTime(45 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := h.state.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.clock.set(h.duties.clock.SlotStart(headSlot + 4).Add(time.Second))

	check := func(t *testing.T) {
		t.Helper()
		h.eng.mu.Lock()
		en := h.eng.byRequest[hash]
		if h.eng.headSlot <= headSlot+2 {
			t.Fatalf("head slot %d, want past slot %d", h.eng.headSlot, headSlot+2)
		}
		if en == nil || !en.trimmed || en.entryBody != nil || len(en.past) != 1 {
			h.eng.mu.Unlock()
			t.Fatalf("entry of the passed slot not trimmed: %+v", en)
		}
		exposure := new(big.Int).Set(h.eng.exposure)
		h.eng.mu.Unlock()
		if exposure.Cmp(slash) != 0 {
			t.Fatalf("exposure %v, want the trimmed promise's %v", exposure, slash)
		}
		if tpl := h.eng.Template(headSlot + 2); len(tpl) != 0 {
			t.Fatalf("a trimmed slot still has a template of %d", len(tpl))
		}
		// Another tx for the sold nonce is equivocation.
		_, err := h.eng.Request(context.Background(), h.l1(headSlot+6, h.tx(u, 0, txOpts{value: big.NewInt(9)})))
		wantErr(t, err, ErrConflict)
		// The trimmed promise's slash still fills the collateral.
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
	}
	steps := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"trimmed on the next head", func(t *testing.T) {
			if err := h.eng.OnHead(context.Background()); err != nil {
				t.Fatal(err)
			}
		}},
		{"loaded trimmed after a restart", func(t *testing.T) {
			if err := h.store.Close(); err != nil {
				t.Fatal(err)
			}
			h.openStore()
			h.eng = h.newEngine()
			if err := h.eng.Load(context.Background()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do(t)
			check(t)
		})
	}

	// Once its slash window is over, Prune releases the nonce and the exposure.
	h.clock.set(h.duties.clock.SlotStart(headSlot + 2 + 5).Add(time.Second))
	if n, err := h.eng.Prune(context.Background()); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	if h.eng.exposure.Sign() != 0 || len(h.eng.byNonce) != 0 || len(h.eng.byRequest) != 0 {
		t.Fatalf("after prune: exposure %v, %d nonces, %d requests; want none", h.eng.exposure, len(h.eng.byNonce), len(h.eng.byRequest))
	}
	if _, err := h.eng.Result(context.Background(), hash); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Result after prune: %v, want ErrNotFound", err)
	}
	h.mustAccept(h.l1(headSlot+9, h.tx(other, 0, txOpts{})))
}
