package rollupnode

import (
	"context"
	"errors"
	"fmt"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/pledgeproto/pledge/contracts/bindings"
)

// logRange bounds the L1 blocks one eth_getLogs call covers, as public
// endpoints do.
const logRange = 1000

// follower is the derivation cursor: the next L1 block to read and the hash
// of the one before it, as the node saw it.
type follower struct {
	next     uint64
	lastHash common.Hash
	// genesisTime and secondsPerSlot are the Inbox's slot clock, read once.
	genesisTime, secondsPerSlot uint64
}

// Sync reads L1 up to its head (less Config.Confirmations) once and executes
// the batches found. Run calls it every PollInterval; tests and the devnet
// may call it directly. An error leaves the cursor where the last fully
// derived L1 block put it, so the next call resumes there.
func (n *Node) Sync(ctx context.Context) error {
	n.syncMu.Lock()
	defer n.syncMu.Unlock()
	f := &n.follow
	if f.secondsPerSlot == 0 {
		opts := &bind.CallOpts{Context: ctx}
		gt, err := n.caller.GenesisTime(opts)
		if err != nil {
			return fmt.Errorf("read inbox genesis time: %w", err)
		}
		sps, err := n.caller.SecondsPerSlot(opts)
		if err != nil {
			return fmt.Errorf("read inbox slot length: %w", err)
		}
		if sps == 0 {
			return fmt.Errorf("%w: inbox %s has a zero slot length", ErrConfig, n.cfg.Inbox)
		}
		f.genesisTime, f.secondsPerSlot = gt, sps
	}
	head, err := n.l1.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("read l1 head: %w", err)
	}
	if err := n.checkReorg(ctx); err != nil {
		return err
	}
	if head.Number.Uint64() < n.cfg.Confirmations {
		return nil
	}
	target := head.Number.Uint64() - n.cfg.Confirmations
	for f.next <= target {
		to := min(f.next+logRange-1, target)
		if err := n.deriveRange(ctx, f.next, to); err != nil {
			return err
		}
	}
	return nil
}

// checkReorg compares the last L1 block derived from with L1's canonical
// block at that height. When they differ, it drops the L2 blocks whose L1
// block is gone and moves the cursor back to the newest L1 block still
// canonical, so the batches of the new L1 branch are derived next time. The
// node keeps every block's state, so the rewind costs nothing.
func (n *Node) checkReorg(ctx context.Context) error {
	f := &n.follow
	if f.lastHash == (common.Hash{}) {
		return nil
	}
	h, err := n.l1.HeaderByNumber(ctx, new(big.Int).SetUint64(f.next-1))
	if err != nil {
		return fmt.Errorf("read l1 block %d: %w", f.next-1, err)
	}
	if h.Hash() == f.lastHash {
		return nil
	}
	keep := uint64(0)
	f.next, f.lastHash = n.cfg.StartBlock, common.Hash{}
	for num := n.chain.head().header.Number.Uint64(); num > 0; num-- {
		b := n.chain.block(num)
		h, err := n.l1.HeaderByNumber(ctx, new(big.Int).SetUint64(b.l1Number))
		if err != nil {
			return fmt.Errorf("read l1 block %d: %w", b.l1Number, err)
		}
		if h.Hash() == b.l1Hash {
			keep, f.next, f.lastHash = num, b.l1Number+1, b.l1Hash
			break
		}
	}
	n.log.Warn().Uint64("l1_block", f.next).Uint64("l2_block", keep).Msg("L1 reorg: rewinding the L2 chain")
	n.chain.rewind(keep)
	return nil
}

// deriveRange derives the L2 blocks of L1 blocks from..to and moves the cursor past to.
func (n *Node) deriveRange(ctx context.Context, from, to uint64) error {
	f := &n.follow
	// The end's header is read before the logs: if L1 reorgs in between, the
	// next checkReorg sees this hash replaced and derives again.
	end, err := n.l1.HeaderByNumber(ctx, new(big.Int).SetUint64(to))
	if err != nil {
		return fmt.Errorf("read l1 block %d: %w", to, err)
	}
	it, err := n.inbox.FilterBatchPosted(&bind.FilterOpts{Start: from, End: &to, Context: ctx}, []uint64{n.cfg.ChainID}, nil, nil)
	if err != nil {
		return fmt.Errorf("filter BatchPosted in l1 blocks %d-%d: %w", from, to, err)
	}
	var events []*bindings.InboxBatchPosted
	for it.Next() {
		if !it.Event.Raw.Removed {
			events = append(events, it.Event)
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("read BatchPosted in l1 blocks %d-%d: %w", from, to, err)
	}
	// Logs come in block then log order: cut them into one group per L1 block.
	for len(events) > 0 {
		k := 1
		for k < len(events) && events[k].Raw.BlockNumber == events[0].Raw.BlockNumber {
			k++
		}
		if err := n.deriveBlock(ctx, events[:k]); err != nil {
			return err
		}
		events = events[k:]
	}
	f.next, f.lastHash = to+1, end.Hash()
	n.settlePromises(f.slotOf(end.Time))
	return nil
}

// slotOf is the Inbox's slot of an L1 timestamp.
func (f *follower) slotOf(time uint64) uint64 {
	if time < f.genesisTime {
		return 0
	}
	return (time - f.genesisTime) / f.secondsPerSlot
}

// record is the Inbox's running record of one (chain, slot, poster).
type record struct {
	acc   common.Hash
	total uint32
}

// recordKey names a record: the Inbox keeps one per poster and slot, so two
// posters' batches of one slot each continue their own.
type recordKey struct {
	slot   uint64
	poster common.Address
}

// deriveBlock executes the batches of one L1 block, all the rollup's
// BatchPosted events in it, as one L2 block. Each event's batch is read from
// its transaction's calldata and must fold to the event's accumulator and
// count; one that does not is logged and skipped whole, never executed in
// part. An L1 read failure returns an error, so the block is derived again.
func (n *Node) deriveBlock(ctx context.Context, events []*bindings.InboxBatchPosted) error {
	first := events[0].Raw
	header, err := n.l1.HeaderByNumber(ctx, new(big.Int).SetUint64(first.BlockNumber))
	if err != nil {
		return fmt.Errorf("read l1 block %d: %w", first.BlockNumber, err)
	}
	if header.Hash() != first.BlockHash {
		return fmt.Errorf("%w: l1 block %d changed while it was read", ErrL1Reorg, first.BlockNumber)
	}
	records := map[recordKey]record{}
	posts := map[uint][]rollup.Batch{}
	used := map[uint]int{}
	var raws [][]byte
	for _, ev := range events {
		batches, ok := posts[ev.Raw.TxIndex]
		if !ok {
			tx, err := n.l1.TransactionInBlock(ctx, ev.Raw.BlockHash, ev.Raw.TxIndex)
			if err != nil {
				return fmt.Errorf("read l1 tx %s: %w", ev.Raw.TxHash, err)
			}
			batches, err = n.ownBatches(tx)
			if err != nil {
				n.log.Error().Err(err).Str("tx_hash", ev.Raw.TxHash.Hex()).Uint64("slot", ev.Slot).Msg("cannot read the batches of an inbox post")
			}
			posts[ev.Raw.TxIndex] = batches
		}
		// The k-th event of a tx for this chain is the k-th batch for it in the call.
		k := used[ev.Raw.TxIndex]
		used[ev.Raw.TxIndex]++
		var txs [][]byte
		if k < len(batches) {
			txs = batches[k].Txs
		}
		key := recordKey{ev.Slot, ev.Poster}
		rec := records[key]
		if err := checkBatch(rec, txs, ev); err != nil {
			n.log.Error().Err(err).Str("tx_hash", ev.Raw.TxHash.Hex()).Uint64("slot", ev.Slot).Msg("skipping batch")
		} else {
			raws = append(raws, txs...)
		}
		// The Inbox's record is the truth the next batch of the slot builds on.
		records[key] = record{acc: ev.Acc, total: ev.Total}
	}
	b, skipped, err := n.chain.execute(ctx, header, raws)
	if err != nil {
		return fmt.Errorf("execute batches of l1 block %d: %w", first.BlockNumber, err)
	}
	for _, s := range skipped {
		n.log.Info().Str("tx_hash", s.Hash.Hex()).Uint64("l2_block", s.Block).Str("reason", s.Reason).Msg("skipped invalid L2 tx")
	}
	n.log.Info().Uint64("l2_block", b.header.Number.Uint64()).Uint64("l1_block", first.BlockNumber).
		Uint64("slot", events[0].Slot).Int("txs", len(b.txs)).Int("skipped", len(skipped)).Msg("L2 block")
	return nil
}

// ownBatches returns the batches of this rollup in an Inbox.post transaction,
// in calldata order.
func (n *Node) ownBatches(tx *types.Transaction) ([]rollup.Batch, error) {
	if tx.To() == nil || *tx.To() != n.cfg.Inbox {
		// A post made through another contract: its calldata is not the
		// post's; following it would need a call trace.
		return nil, fmt.Errorf("%w: transaction calls %v, not the inbox", ErrNotAPost, tx.To())
	}
	data, err := PostArgument(tx.Data())
	if err != nil {
		return nil, err
	}
	all, err := rollup.DecodePost(data)
	if err != nil {
		return nil, err
	}
	var own []rollup.Batch
	for _, b := range all {
		if b.ChainID == n.cfg.ChainID {
			own = append(own, b)
		}
	}
	return own, nil
}

// checkBatch verifies that txs, appended to the poster's record rec of the
// slot, give the record the event reports.
func checkBatch(rec record, txs [][]byte, ev *bindings.InboxBatchPosted) error {
	if uint64(len(txs)) != uint64(ev.TxCount) {
		return fmt.Errorf("%w: %d txs decoded, the event counts %d", ErrBatchMismatch, len(txs), ev.TxCount)
	}
	if uint64(rec.total)+uint64(len(txs)) != uint64(ev.Total) {
		return fmt.Errorf("%w: slot total %d + %d txs, the event says %d", ErrBatchMismatch, rec.total, len(txs), ev.Total)
	}
	if acc := rollup.Accumulate(rec.acc, txs...); acc != ev.Acc {
		return fmt.Errorf("%w: accumulator %s, the event says %s", ErrBatchMismatch, acc, common.Hash(ev.Acc))
	}
	return nil
}
