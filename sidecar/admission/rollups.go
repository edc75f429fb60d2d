package admission

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// checkL2 applies the rollups' slot budgets to the request's L2 part: each
// rollup's L2 gas and bytes, and the size of the one post carrying every
// rollup's batch. Called with mu held; t may be nil (an empty slot).
func (e *Engine) checkL2(slot uint64, t *template, en *entry) error {
	if len(en.l2) == 0 {
		return nil
	}
	for chain, u := range en.l2 {
		r := e.cfg.Rollups[chain]
		var used l2Use
		if t != nil && t.l2[chain] != nil {
			used = *t.l2[chain]
		}
		if used.gas+u.gas > r.GasBudgetPerSlot {
			return fmt.Errorf("%w: rollup %d: %d L2 gas asked, %d of %d left in slot %d", ErrSlotFull, chain, u.gas, r.GasBudgetPerSlot-min(used.gas, r.GasBudgetPerSlot), r.GasBudgetPerSlot, slot)
		}
		if used.txs+u.txs > rollup.MaxTxsPerSlot {
			return fmt.Errorf("%w: rollup %d: %d txs asked, %d of the Inbox's %d per slot left in slot %d", ErrSlotFull, chain, u.txs, rollup.MaxTxsPerSlot-min(used.txs, rollup.MaxTxsPerSlot), rollup.MaxTxsPerSlot, slot)
		}
		if used.bytes+u.bytes > r.BytesPerSlot {
			return fmt.Errorf("%w: rollup %d: %d bytes asked, %d of %d left in slot %d", ErrSlotFull, chain, u.bytes, r.BytesPerSlot-min(used.bytes, r.BytesPerSlot), r.BytesPerSlot, slot)
		}
	}
	if n := postShape(t, en).DataSize(); n > rollup.MaxPostData {
		return fmt.Errorf("%w: slot %d's batch post would carry %d bytes, limit %d", ErrSlotFull, slot, n, rollup.MaxPostData)
	}
	return nil
}

// postShape is the shape of the slot's batch post with en's L2 part added
// (en may be nil). Called with mu held; t may be nil.
func postShape(t *template, en *entry) rollup.Shape {
	var s rollup.Shape
	count := func(txs uint64) {
		s.Batches += int(max(1, (txs+rollup.MaxBatchTxs-1)/rollup.MaxBatchTxs))
	}
	var seen map[uint64]bool
	if t != nil {
		for chain, u := range t.l2 {
			extra := uint64(0)
			if en != nil && en.l2[chain] != nil {
				extra = en.l2[chain].txs
				if seen == nil {
					seen = make(map[uint64]bool, len(en.l2))
				}
				seen[chain] = true
			}
			count(u.txs + extra)
			s.Txs += int(u.txs)
			s.Bytes += int(u.bytes)
		}
		s.MaxTx = t.l2MaxTx
	}
	if en != nil {
		for chain, u := range en.l2 {
			if !seen[chain] {
				count(u.txs)
			}
			s.Txs += int(u.txs)
			s.Bytes += int(u.bytes)
		}
		for _, tx := range en.txs {
			if _, ok := en.l2[tx.Inclusion.ChainID]; ok {
				s.MaxTx = max(s.MaxTx, len(tx.Raw))
			}
		}
	}
	return s
}

// Batches returns the rollup batches of slot: one per rollup, rollups in the
// order of their first promise, each rollup's transactions in promise order
// (persistence order, then order within a bundle). Promises dropped from the
// L1 template still have their L2 transactions here: posting them is always
// possible and is all their promise asks (lazy sequencing).
func (e *Engine) Batches(slot uint64) []rollup.Batch {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.templates[slot]
	if t == nil {
		return nil
	}
	var out []rollup.Batch
	for _, en := range t.all {
		if en.entryBody == nil {
			continue // trimmed: its slot is behind the head
		}
		for _, tx := range en.txs {
			chain := tx.Inclusion.ChainID
			if chain == e.cfg.L1ChainID {
				continue
			}
			i := slices.IndexFunc(out, func(b rollup.Batch) bool { return b.ChainID == chain })
			if i < 0 {
				out = append(out, rollup.Batch{ChainID: chain})
				i = len(out) - 1
			}
			out[i].Txs = append(out[i].Txs, tx.Raw)
		}
	}
	return out
}

// L1Txs returns the L1 transactions slot's block must hold at its top after
// the batch post, in order, in network encoding (blob transactions with
// their sidecar): the missed promised transactions carried into the slot
// (carry.go), then the promised ones in template order.
func (e *Engine) L1Txs(slot uint64) [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.templates[slot]
	if t == nil {
		return nil
	}
	var out [][]byte
	for _, c := range t.carried {
		out = append(out, c.raw)
	}
	for _, en := range t.entries {
		for _, tx := range en.txs {
			if tx.Inclusion.ChainID == e.cfg.L1ChainID {
				out = append(out, tx.Raw)
			}
		}
	}
	return out
}

// PostTx returns the signed L1 transaction posting slot's batches, nil when
// no L2 transaction is promised for the slot. The poster returns the same
// transaction while the batches and its nonce do not change.
func (e *Engine) PostTx(ctx context.Context, slot uint64) (*types.Transaction, error) {
	batches := e.Batches(slot)
	if len(batches) == 0 {
		return nil, nil
	}
	if e.poster == nil {
		return nil, fmt.Errorf("%w: slot %d has L2 promises but no batch poster is configured", ErrUnavailable, slot)
	}
	tx, err := e.poster.PostTx(ctx, slot, batches)
	if err != nil {
		return nil, fmt.Errorf("%w: batch post for slot %d: %w", ErrUnavailable, slot, err)
	}
	return tx, nil
}

// SlotTxs returns the L1 transactions slot's block must open with, in order:
// the batch post (when the slot has L2 promises), then the L1 transactions
// of L1Txs: those carried into the slot, then the promised ones. The post goes first because nothing a
// user does can make it invalid: whatever happens to an L1 promise (its
// sender spends the nonce in the previous block), the prefix holding the
// post stays valid, so every rollup's batch lands (docs/rollups.md).
func (e *Engine) SlotTxs(ctx context.Context, slot uint64) ([][]byte, error) {
	l1 := e.L1Txs(slot)
	post, err := e.PostTx(ctx, slot)
	if err != nil {
		return l1, err
	}
	if post == nil {
		return l1, nil
	}
	raw, err := post.MarshalBinary()
	if err != nil {
		return l1, fmt.Errorf("encode batch post: %w", err)
	}
	return append([][]byte{raw}, l1...), nil
}

// PostTimeout bounds the batch post's signing (an L1 nonce read) inside
// TopOfBlock.
const PostTimeout = 2 * time.Second

// TopOfBlock is SlotTxs for callers without a context or an error path (the
// constraints sender's and the builder proxy's Templates): on a failed post
// it logs and returns the L1 transactions alone, which keeps the L1
// promises rather than breaking every promise of the slot.
// With a store shared by several sidecars it first seals the slot there and
// reads what the others sold into it: it is called at or after the slot's
// deadline, and the constraints and the block must carry every promise the
// slot's ledger will list.
func (e *Engine) TopOfBlock(slot uint64) [][]byte {
	ctx, cancel := context.WithTimeout(context.Background(), PostTimeout)
	defer cancel()
	if e.shared != nil {
		if err := e.SealThrough(ctx, slot); err != nil {
			e.log.Error().Err(err).Uint64("slot", slot).Msg("seal the slot in the shared store; its top of block may miss another sidecar's promises")
		}
	}
	txs, err := e.SlotTxs(ctx, slot)
	if err != nil {
		e.metrics.postFailures.Inc()
		e.log.Error().Err(err).Uint64("slot", slot).Msg("batch post not signed; the slot's L2 promises will break")
	}
	return txs
}
