package devnet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/internal/beaconmock"
	"github.com/pledgeproto/pledge/relay/builder"
)

// Source says where a slot's block came from.
type Source string

// Sources of a slot's block.
const (
	// SourceRelay is a block from the builder endpoint's bid.
	SourceRelay Source = "relay"
	// SourceLocal is a block the beacon node built through its own EL.
	SourceLocal Source = "local"
	// SourceMissed is a slot whose signed blinded block was never revealed.
	SourceMissed Source = "missed"
	// SourceSkipped is a slot SkipSlot told the proposer to miss.
	SourceSkipped Source = "skipped"
)

// SlotInfo is what a builder needs to build for a slot: the payload
// attributes a beacon node would announce, and the proposer.
type SlotInfo struct {
	Slot          uint64
	Timestamp     uint64
	ProposerIndex uint64
	Proposer      phase0.BLSPubKey
	FeeRecipient  common.Address
	GasLimit      uint64
	// ParentHash and ParentNumber are the EL head the block builds on.
	ParentHash   common.Hash
	ParentNumber uint64
	// ParentBeaconRoot is the beacon head's root (EIP-4788).
	ParentBeaconRoot phase0.Root
	// PrevRandao is the randao mix of the head state.
	PrevRandao common.Hash
}

// BuilderJob is the reference builder's job for the slot; the devnet has
// no withdrawals.
func (s SlotInfo) BuilderJob() builder.Job {
	fee := bellatrix.ExecutionAddress(s.FeeRecipient)
	return builder.Job{
		Slot: s.Slot, ParentHash: phase0.Hash32(s.ParentHash), Proposer: s.Proposer, FeeRecipient: fee,
		Attrs: builder.PayloadAttributes{
			Timestamp:             s.Timestamp,
			PrevRandao:            phase0.Root(s.PrevRandao),
			SuggestedFeeRecipient: fee,
			Withdrawals:           []*capella.Withdrawal{},
			ParentBeaconBlockRoot: s.ParentBeaconRoot,
			GasLimit:              s.GasLimit,
		},
	}
}

// SlotHook runs at the start of each slot the proposer does not skip,
// before it asks for a header: where a test or the devnet has its builder
// build for the slot. It must return within the slot.
type SlotHook func(ctx context.Context, info SlotInfo)

// SlotRecord is what happened in a slot.
type SlotRecord struct {
	Slot          uint64
	Timestamp     uint64
	ProposerIndex uint64
	Source        Source
	// BlockNumber, BlockHash and TxCount describe the EL block (zero when
	// the slot has none).
	BlockNumber uint64
	BlockHash   common.Hash
	TxCount     int
	// BeaconRoot is the beacon block's root (zero when none).
	BeaconRoot phase0.Root
	// Reason says why the builder's block was not used, when it was not.
	Reason string
}

// SetBuilderURL sets the validator client's builder endpoint (a relay or
// the sidecar's builder proxy); "" builds every block locally. The
// validators register with a new endpoint at its first slot.
func (n *Network) SetBuilderURL(url string) {
	n.mu.Lock()
	n.builderURL = url
	n.mu.Unlock()
}

// OnSlot adds a hook run at the start of every proposed slot.
func (n *Network) OnSlot(h SlotHook) {
	n.mu.Lock()
	n.hooks = append(n.hooks, h)
	n.mu.Unlock()
}

// SkipSlot makes the proposer of slot miss it: no block, no head event.
func (n *Network) SkipSlot(slot uint64) {
	n.mu.Lock()
	n.skips[slot] = true
	n.mu.Unlock()
}

// DropTxs makes the proposer of slot break promises: it ignores the builder
// and builds locally from the mempool without the txs drop matches (nor the
// later nonces of their senders, which could not apply).
func (n *Network) DropTxs(slot uint64, drop func(*types.Transaction) bool) {
	n.mu.Lock()
	n.drops[slot] = drop
	n.mu.Unlock()
}

// Records are the slots proposed or skipped so far, in order.
func (n *Network) Records() []SlotRecord {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]SlotRecord(nil), n.records...)
}

// LastSlot is the last slot proposed, missed or skipped (0 at genesis).
func (n *Network) LastSlot() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.lastSlot
}

// Step proposes the slot after the last one, at once, whatever the wall
// clock says: tests drive slots with it.
func (n *Network) Step(ctx context.Context) (SlotRecord, error) {
	n.step.Lock()
	defer n.step.Unlock()
	return n.proposeOrMiss(ctx, n.LastSlot()+1)
}

// ProposeSlot proposes slot, which must be after the last one; the slots in
// between get no block.
func (n *Network) ProposeSlot(ctx context.Context, slot uint64) (SlotRecord, error) {
	n.step.Lock()
	defer n.step.Unlock()
	if last := n.LastSlot(); slot <= last {
		return SlotRecord{}, fmt.Errorf("%w: slot %d, last %d", ErrSlotPassed, slot, last)
	}
	return n.proposeOrMiss(ctx, slot)
}

// proposeOrMiss proposes slot; when the network itself fails (the EL is
// down) the slot is recorded as missed, so the next call moves on.
func (n *Network) proposeOrMiss(ctx context.Context, slot uint64) (SlotRecord, error) {
	rec, err := n.propose(ctx, slot)
	if err != nil {
		n.finish(SlotRecord{Slot: slot, Timestamp: n.SlotTime(slot), ProposerIndex: n.Proposer(slot).Index, Source: SourceMissed, Reason: err.Error()})
	}
	return rec, err
}

// Run proposes each slot at its wall-clock start until ctx ends. A slot
// whose start passed while an earlier one was being proposed is left
// without a block, as a late beacon node would.
func (n *Network) Run(ctx context.Context) error {
	for {
		next := n.LastSlot() + 1
		timer := time.NewTimer(time.Until(n.SlotStart(next)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		if now := n.wallSlot(); now > next {
			next = now
		}
		if _, err := n.ProposeSlot(ctx, next); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			n.log.Error().Err(err).Uint64("slot", next).Msg("slot failed")
		}
	}
}

func (n *Network) wallSlot() uint64 {
	d := time.Since(n.cfg.GenesisTime)
	if d < 0 {
		return 0
	}
	return uint64(d / n.cfg.SlotDuration)
}

// slotInfo reads the heads the block for slot builds on.
func (n *Network) slotInfo(ctx context.Context, slot uint64) (SlotInfo, error) {
	head, err := n.el.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		return SlotInfo{}, fmt.Errorf("read EL head: %w", err)
	}
	v := n.Proposer(slot)
	n.mu.Lock()
	bh := n.head
	n.mu.Unlock()
	return SlotInfo{
		Slot: slot, Timestamp: n.SlotTime(slot), ProposerIndex: v.Index, Proposer: v.Pubkey,
		FeeRecipient: v.FeeRecipient, GasLimit: n.cfg.GasLimit,
		ParentHash: head.Hash(), ParentNumber: head.Number.Uint64(),
		ParentBeaconRoot: bh.root, PrevRandao: bh.mix,
	}, nil
}

// propose runs one slot; the caller holds n.step.
func (n *Network) propose(ctx context.Context, slot uint64) (SlotRecord, error) {
	n.mu.Lock()
	skip := n.skips[slot]
	drop := n.drops[slot]
	url := n.builderURL
	hooks := append([]SlotHook(nil), n.hooks...)
	n.mu.Unlock()

	info, err := n.slotInfo(ctx, slot)
	if err != nil {
		return SlotRecord{}, err
	}
	rec := SlotRecord{Slot: slot, Timestamp: info.Timestamp, ProposerIndex: info.ProposerIndex}
	if skip {
		rec.Source = SourceSkipped
		n.finish(rec)
		return rec, nil
	}
	hctx, cancel := context.WithTimeout(ctx, n.cfg.SlotDuration)
	for _, h := range hooks {
		h(hctx, info)
	}
	cancel()

	var blk *acceptedBlock
	switch {
	case drop != nil:
		rec.Reason = "proposer drops transactions"
		blk, err = n.buildLocal(ctx, info, drop)
	case url == "":
		rec.Reason = "no builder configured"
		blk, err = n.buildLocal(ctx, info, nil)
	default:
		blk, err = n.viaBuilder(ctx, info, url)
		if errors.Is(err, errUseLocal) {
			rec.Reason = err.Error()
			blk, err = n.buildLocal(ctx, info, nil)
		}
	}
	switch {
	case errors.Is(err, errMissed):
		rec.Source, rec.Reason = SourceMissed, err.Error()
		n.finish(rec)
		return rec, nil
	case err != nil:
		return SlotRecord{}, fmt.Errorf("slot %d: %w", slot, err)
	}
	rec.Source = blk.source
	if blk.source == SourceRelay {
		rec.Reason = ""
	}
	rec.BlockNumber, rec.BlockHash, rec.TxCount, rec.BeaconRoot = blk.number, blk.hash, blk.txCount, blk.root
	n.accept(info, blk)
	n.finish(rec)
	return rec, nil
}

// acceptedBlock is a block imported into the EL, with its beacon side.
type acceptedBlock struct {
	source    Source
	root      phase0.Root
	parent    phase0.Root
	stateRoot phase0.Root
	bodyRoot  phase0.Root
	signature phase0.BLSSignature
	reveal    phase0.BLSSignature
	hash      common.Hash
	number    uint64
	txCount   int
}

// accept makes blk the beacon head: new randao mix, header, head event.
func (n *Network) accept(info SlotInfo, blk *acceptedBlock) {
	n.mu.Lock()
	mix := nextMix(n.head.mix, blk.reveal)
	n.head = beaconBlock{slot: info.Slot, root: blk.root, mix: mix}
	n.mu.Unlock()
	n.beacon.SetRandao(info.Slot, mix)
	n.beacon.AddHeader(beaconmock.BlockHeader{
		Slot: info.Slot, ProposerIndex: info.ProposerIndex, Root: blk.root, ParentRoot: blk.parent,
		StateRoot: blk.stateRoot, BodyRoot: blk.bodyRoot, Signature: blk.signature,
	})
	n.beacon.EmitHead(info.Slot, blk.root)
}

// finish records a slot and logs it.
func (n *Network) finish(rec SlotRecord) {
	n.mu.Lock()
	n.records = append(n.records, rec)
	n.lastSlot = rec.Slot
	n.inflight = nil
	n.mu.Unlock()
	ev := n.log.Info()
	if rec.Source == SourceMissed {
		ev = n.log.Warn()
	}
	ev = ev.Uint64("slot", rec.Slot).Uint64("proposer_index", rec.ProposerIndex).Str("source", string(rec.Source))
	if rec.BlockHash != (common.Hash{}) {
		ev = ev.Uint64("block_number", rec.BlockNumber).Int("tx_count", rec.TxCount).Str("block_hash", rec.BlockHash.Hex())
	}
	if rec.Reason != "" {
		ev = ev.Str("reason", rec.Reason)
	}
	ev.Msg("slot")
}
