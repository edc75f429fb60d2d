package admission

import (
	"context"
	"fmt"
	"math"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// SealThrough closes every slot up to slot to new promises and waits until
// every promise reserved for them is persisted or failed: from then on the
// store holds all those slots' promises for good, and their ledgers
// (docs/protocol.md §9.0) can be built from it. Call it once slot's
// commitment deadline has passed, when no request may reserve there anyway:
// it covers requests checked just before the deadline and still signing.
// With a shared store it also closes the slots on every other sidecar and
// reads their promises into the templates (Sync).
func (e *Engine) SealThrough(ctx context.Context, slot uint64) error {
	e.mu.Lock()
	e.sealedBelow = max(e.sealedBelow, slot+1)
	var waits []chan struct{}
	for s, t := range e.templates {
		if s > slot || t.inflight == 0 {
			continue
		}
		if t.settled == nil {
			t.settled = make(chan struct{})
		}
		waits = append(waits, t.settled)
	}
	e.mu.Unlock()
	for _, w := range waits {
		select {
		case <-w:
		case <-ctx.Done():
			return fmt.Errorf("seal slots up to %d: %w", slot, ctx.Err())
		}
	}
	if e.shared != nil {
		e.mu.Lock()
		done := slot < e.sharedSealedBelow
		e.mu.Unlock()
		if done {
			// Sealed in the store and read since: those slots' promises
			// cannot change, so the ledger's, the constraints' and
			// getHeader's calls after the first cost nothing.
			return nil
		}
		// The other sidecars' decisions in flight: the store waits for them
		// and refuses any later one for these slots.
		if err := e.shared.Seal(ctx, slot+1); err != nil {
			return fmt.Errorf("%w: seal slots up to %d: %w", ErrUnavailable, slot, err)
		}
		// The store now holds those slots' promises for good; so must the
		// templates, before anyone signs constraints or builds a block from
		// them: a promise another sidecar sold just before the seal and
		// Follow has not read yet is in the ledger, so it must be in the block.
		if err := e.Sync(ctx); err != nil {
			return fmt.Errorf("seal slots up to %d: %w", slot, err)
		}
		e.mu.Lock()
		e.sharedSealedBelow = max(e.sharedSealedBelow, slot+1)
		e.mu.Unlock()
	}
	return nil
}

// PromisedSlots lists the slots in [from, to) the store holds promises for.
func (e *Engine) PromisedSlots(from, to uint64) ([]uint64, error) {
	slots, err := e.store.Slots(from, to)
	if err != nil {
		return nil, fmt.Errorf("%w: list the promised slots: %w", ErrUnavailable, err)
	}
	return slots, nil
}

// LedgerLeaves seals slot (SealThrough) and returns the leaves of its
// ledger: every promise ever signed for the slot, read from the store —
// dropped promises and those whose tx was carried or promised again for a
// later slot included, since each is a signed promise and one left out of
// its slot's ledger is void on-chain (docs/protocol.md §9.0). Nil when
// the slot has none.
func (e *Engine) LedgerLeaves(ctx context.Context, slot uint64) ([]protocol.LedgerLeaf, error) {
	if err := e.SealThrough(ctx, slot); err != nil {
		return nil, err
	}
	var leaves []protocol.LedgerLeaf
	err := e.store.Range(slot, slot+1, func(rec *store.Record) error {
		p, err := rec.Commitment.Open(e.cfg.L1ChainID)
		if err != nil {
			return fmt.Errorf("%w: slot %d seq %d: %w", store.ErrCorrupt, rec.Slot, rec.Seq, err)
		}
		leaves = append(leaves, protocol.LedgerLeaf{Digest: p.Digest(e.domain), Amount: p.SlashAmount})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: read the promises of slot %d: %w", ErrUnavailable, slot, err)
	}
	return leaves, nil
}

// PruneBefore is Prune that never forgets a slot at or after limit: the
// ledgers of those slots may still reserve collateral on-chain, so their
// promises must keep counting in the exposure (§9.6) until released.
func (e *Engine) PruneBefore(ctx context.Context, limit uint64) (int, error) {
	return e.prune(ctx, limit)
}

// noLimit is Prune's limit: the slash window alone decides.
const noLimit = math.MaxUint64
