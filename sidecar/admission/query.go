package admission

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// Entry is one promise in a slot's template, for constraints and the local
// fallback block: its transactions go at the top of the block in template
// order, each promise's in promise order.
type Entry struct {
	RequestHash    common.Hash
	CommitmentType uint64
	// Seq is the persistence order; templates are sorted by it.
	Seq uint64
	// Txs are the raw transactions in network encoding (blob txs with sidecar).
	Txs        [][]byte
	Inclusions []protocol.Inclusion
	Commitment *protocol.SignedCommitment
}

// Template returns the promises of slot that are signed, persisted and not
// dropped, in order.
func (e *Engine) Template(slot uint64) []Entry {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.templates[slot]
	if t == nil {
		return nil
	}
	out := make([]Entry, len(t.entries))
	for i, en := range t.entries {
		out[i] = Entry{RequestHash: en.hash, CommitmentType: en.ctype, Seq: en.seq, Commitment: en.signed,
			Txs: make([][]byte, len(en.txs)), Inclusions: make([]protocol.Inclusion, len(en.txs))}
		for j, tx := range en.txs {
			out[i].Txs[j], out[i].Inclusions[j] = tx.Raw, tx.Inclusion
		}
	}
	return out
}

// Result returns the promise made for a request hash, from memory or, for a
// promise no longer in memory (trimmed, or of a slot not loaded), from the store.
func (e *Engine) Result(ctx context.Context, requestHash common.Hash) (*protocol.SignedCommitment, error) {
	if sc, ok, err := e.inMemory(ctx, requestHash); ok {
		if err != nil {
			// The request failed (its promise was never persisted): there is
			// no promise, whatever the cause was.
			return nil, fmt.Errorf("%w: the request failed: %v", ErrNotFound, err)
		}
		return sc, nil
	}
	rec, err := e.store.ByRequest(requestHash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, requestHash)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: read promise store: %w", ErrUnavailable, err)
	}
	sc := rec.Commitment
	return &sc, nil
}

// FeeQuote is what `fee` answers, ABI-encoded as
// (uint256 minPriorityFeePerGas, uint256 projectedBaseFeePerGas, uint256 slashAmount, uint64 gasRemaining).
type FeeQuote struct {
	MinPriorityFeePerGas   *big.Int
	ProjectedBaseFeePerGas *big.Int
	SlashAmount            *big.Int
	GasRemaining           uint64
}

// MarshalABI returns abi.encode of the quote's four static fields.
func (q *FeeQuote) MarshalABI() []byte {
	out := make([]byte, 4*32)
	q.MinPriorityFeePerGas.FillBytes(out[0:32])
	q.ProjectedBaseFeePerGas.FillBytes(out[32:64])
	q.SlashAmount.FillBytes(out[64:96])
	new(big.Int).SetUint64(q.GasRemaining).FillBytes(out[96:128])
	return out
}

// Quote prices a request without admitting it: the priority fee floor it
// must pay per gas, the base fee its slot may reach, its slash amount, and
// the gas left in the slot. Nonce and balance are not checked. A request
// with L1 transactions is quoted for its L1 part; one with only L2
// transactions for the rollup of its first, with a projected base fee of 0
// (the rollup's base fee is its own rule) and the rollup's L2 gas left.
func (e *Engine) Quote(ctx context.Context, req protocol.CommitmentRequest) (*FeeQuote, error) {
	pl, err := e.parsePayload(req)
	if err != nil {
		return nil, err
	}
	if err := e.checkSlot(pl.Slot); err != nil {
		return nil, err
	}
	if err := e.registry.Backs(ctx, pl.Slot); err != nil {
		return nil, err
	}
	p, err := e.decodeTxs(req.CommitmentType, pl, req.RequestHash())
	if err != nil {
		return nil, err
	}
	head := e.state.Head()
	if head == nil {
		return nil, fmt.Errorf("%w: no execution head yet", ErrUnavailable)
	}
	headSlot := e.duties.Clock().SlotAt(time.Unix(int64(head.Time), 0))
	baseFee := e.state.ProjectedBaseFee(max(p.slot-min(headSlot, p.slot), 1))
	if baseFee == nil {
		return nil, fmt.Errorf("%w: execution head has no base fee", ErrUnavailable)
	}
	var gas uint64
	maxCost := new(big.Int)
	chain := p.txs[0].Inclusion.ChainID
	for _, t := range p.txs {
		if t.Inclusion.ChainID == e.cfg.L1ChainID {
			chain = e.cfg.L1ChainID
		}
		maxCost.Add(maxCost, t.Inclusion.MaxCost)
	}
	for _, t := range p.txs {
		if t.Inclusion.ChainID == chain {
			gas += t.Inclusion.GasLimit
		}
	}
	e.mu.Lock()
	var used, post uint64
	t := e.templates[p.slot]
	if t != nil {
		used = t.gas + t.carriedGas
		if chain != e.cfg.L1ChainID && t.l2[chain] != nil {
			used = t.l2[chain].gas
		}
	}
	post = rollup.ShapeGas(postShape(t, nil))
	e.mu.Unlock()
	q := &FeeQuote{SlashAmount: e.cfg.Slash.Amount(maxCost)}
	if chain == e.cfg.L1ChainID {
		budget := min(e.cfg.GasBudgetPerSlot, head.GasLimit)
		q.MinPriorityFeePerGas = e.cfg.Pricing.Floor(used, gas)
		q.ProjectedBaseFeePerGas = baseFee
		q.GasRemaining = budget - min(used+post, budget)
		return q, nil
	}
	r := e.cfg.Rollups[chain]
	q.MinPriorityFeePerGas = r.Pricing.Floor(used, gas)
	q.ProjectedBaseFeePerGas = new(big.Int)
	q.GasRemaining = r.GasBudgetPerSlot - min(used, r.GasBudgetPerSlot)
	return q, nil
}

// Fee answers the `fee` method: Quote in its ABI form.
func (e *Engine) Fee(ctx context.Context, req protocol.CommitmentRequest) (*protocol.FeeInfo, error) {
	q, err := e.Quote(ctx, req)
	if err != nil {
		return nil, err
	}
	return &protocol.FeeInfo{CommitmentType: req.CommitmentType, Payload: q.MarshalABI()}, nil
}

// Slots lists our upcoming slots whose deadline has not passed and for which
// the Registry would back a promise (Registry.Backs: within its lookahead,
// before any exit, our committer bound at the slot), with what is offered
// for them: L1 inclusions and bundles, and, when a batch poster is
// configured, L2 inclusions and bundles on each rollup (in chain id order).
func (e *Engine) Slots(ctx context.Context) (*protocol.SlotInfoResponse, error) {
	c := e.duties.Clock()
	if c.SlotDuration <= 0 || c.SlotsPerEpoch == 0 {
		return nil, fmt.Errorf("%w: slot clock not known yet (beacon node)", ErrUnavailable)
	}
	now := e.now()
	current := c.SlotAt(now)
	// Duties are known for the current and the next epoch.
	last := (c.Epoch(current)+2)*c.SlotsPerEpoch - 1
	offerings := []protocol.Offering{{ChainID: e.cfg.L1ChainID,
		CommitmentTypes: []uint64{protocol.TypeL1Inclusion, protocol.TypeBundle}}}
	if e.poster != nil {
		for _, id := range slices.Sorted(maps.Keys(e.cfg.Rollups)) {
			offerings = append(offerings, protocol.Offering{ChainID: id,
				CommitmentTypes: []uint64{protocol.TypeL2Inclusion, protocol.TypeBundle}})
		}
	}
	out := &protocol.SlotInfoResponse{Slots: []protocol.SlotInfo{}}
	for slot := current + 1; slot <= last; slot++ {
		d, ok := e.duties.Duty(slot)
		if !ok || !now.Before(deadline(c, slot, e.cfg.DeadlineFraction)) {
			continue
		}
		if err := e.registry.Backs(ctx, slot); errors.Is(err, ErrNotBacked) {
			continue
		} else if err != nil {
			return nil, err
		}
		out.Slots = append(out.Slots, protocol.SlotInfo{
			Slot:      slot,
			Offerings: slices.Clone(offerings),
			Proposer:  hexutil.Encode(d.Pubkey[:]),
			Committer: e.signer.Address(),
			Operator:  e.cfg.Operator,
		})
	}
	return out, nil
}
