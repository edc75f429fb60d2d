package admission

import (
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// Carried transactions. When a promised L1 tx misses its slot (the sidecar
// was down, a relay's block lacked it) while the same sender has promises
// stacked on it for later slots, those later promises stay slashable: the
// missed one is a prior promise of ours covering the nonce in between
// (docs/protocol.md §9.1). So rather than dropping them, the re-check of
// each head carries the missed tx to the top of the block of the next
// promised slot, ahead of the txs that need its nonce. Carries are derived
// from the account state and the promises at every head and never stored,
// so a restart finds the same ones.

// carriedTx is a missed promised tx placed at the top of a later slot.
type carriedTx struct {
	raw    []byte
	hash   common.Hash
	sender common.Address
	nonce  uint64
	from   uint64 // the slot it was promised for
	gas    uint64
	blobs  uint64
}

// missedTx is a promised tx as a carry reads it: from its promise in full
// form or, once trimmed, from the store.
type missedTx struct {
	raw  []byte
	inc  protocol.Inclusion
	slot uint64
}

// errNotStored: a trimmed promise is no longer in the store (pruned).
var errNotStored = errors.New("promise no longer in the store")

// carryCtx is what the re-check of one head needs to carry txs.
type carryCtx struct {
	head         *types.Header
	headSlot     uint64
	headGasLimit uint64
	// stored are the trimmed promised txs read from the store for this
	// head, by tx hash; unread are those the store could not give (an
	// error, not an absence).
	stored map[common.Hash]missedTx
	unread map[common.Hash]error
	// baseFees caches the projected base fee per slot, targets the
	// projected block (nil when the chain's rules are not known).
	baseFees map[uint64]*big.Int
	targets  map[uint64]*targetBlock
	// carried are the slots that received carries in this pass.
	carried []uint64
}

// carryPlan is the outcome of trying to carry the nonces missing below a
// live tx: the txs to carry and their summed max cost, or why not.
type carryPlan struct {
	txs  []carriedTx
	cost *big.Int
	// kind and reason are set when carrying is not possible.
	kind, reason string
}

// missedOf returns the promised L1 tx of s for nonce, when we promised one,
// and whether it is in memory; a trimmed one is read from cc.stored.
// Called with mu held.
func (e *Engine) missedOf(s common.Address, nonce uint64, cc *carryCtx) (missedTx, bool, error) {
	k := nonceKey{e.cfg.L1ChainID, s, nonce}
	if en := e.byNonce[k]; en != nil && en.entryBody != nil {
		for _, t := range en.txs {
			if t.Inclusion.Sender == s && t.Inclusion.Nonce == nonce && t.Inclusion.ChainID == e.cfg.L1ChainID {
				return missedTx{raw: t.Raw, inc: t.Inclusion, slot: en.slot}, true, nil
			}
		}
	}
	sold, ok := e.sold[k]
	if !ok {
		return missedTx{}, false, nil
	}
	if m, ok := cc.stored[sold.hash]; ok {
		return m, true, nil
	}
	if err := cc.unread[sold.hash]; err != nil {
		return missedTx{}, false, err
	}
	// Trimmed after the store was read for this head.
	return missedTx{}, false, fmt.Errorf("%w: promised tx %s of slot %d was not read from the store", ErrUnavailable, sold.hash, sold.slot)
}

// planCarry decides whether the nonces [from, lt.nonce) of s, missing from
// its live chain, can be carried into lt's slot: each must be one of our
// promised txs, valid for that slot (max fee against its projected base
// fee, no EIP-7702 authorization), within the slot's gas and blob limits,
// and the balance must cover them plus the promised txs up to lt (cost is
// the sum before them). Called with mu held.
func (e *Engine) planCarry(s common.Address, a chainstate.Account, from uint64, lt *liveTx, cost *big.Int, cc *carryCtx) carryPlan {
	slot := lt.e.slot
	plan := carryPlan{cost: new(big.Int)}
	fail := func(kind, format string, args ...any) carryPlan {
		return carryPlan{kind: kind, reason: fmt.Sprintf("nonce %d of %s follows the missed nonce %d, not carried into slot %d: ", lt.nonce, s, from, slot) + fmt.Sprintf(format, args...)}
	}
	var gas, blobs uint64
	maxBlobs := e.cfg.MaxBlobsPerSlot
	for n := from; n < lt.nonce; n++ {
		m, ok, err := e.missedOf(s, n, cc)
		if errors.Is(err, errNotStored) {
			return fail(dropNonceGap, "the promise of nonce %d is no longer in the store", n)
		}
		if err != nil {
			// Keeping the followers without the missed tx would put a nonce
			// the chain cannot reach at the top of their block, and a block
			// cannot be built on it: every promise of the slot would break.
			e.log.Error().Err(err).Uint64("slot", slot).Str("sender", s.Hex()).Uint64("nonce", n).Msg("missed promised tx not readable from the store; the promises stacked on it are dropped")
			return fail(dropNonceGap, "the promise of nonce %d could not be read from the store: %v", n, err)
		}
		if !ok {
			return fail(dropNonceGap, "none of our promises covers nonce %d (account nonce %d at block %d)", n, a.Nonce, a.Block)
		}
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(m.raw); err != nil || tx.Hash() != m.inc.TxHash {
			return fail(dropNonceGap, "the promised tx %s of nonce %d does not decode to its promise", m.inc.TxHash, n)
		}
		if len(tx.SetCodeAuthorizations()) > 0 {
			// Its authorities may have promises of their own since it left
			// the live chains: code given to them now could break those.
			return fail(dropNonceGap, "the promised tx %s of nonce %d carries EIP-7702 authorizations", m.inc.TxHash, n)
		}
		if fee := cc.baseFee(e, slot); fee == nil || m.inc.MaxFeePerGas.Cmp(fee) < 0 {
			return fail(dropNonceGap, "the max fee %v of its tx %s is below the base fee %v slot %d may reach", m.inc.MaxFeePerGas, m.inc.TxHash, fee, slot)
		}
		// The block it moves to may have other rules than its own slot's
		// (a fork between them) and a higher blob base fee.
		if b := cc.target(e, slot); b != nil {
			if err := protocol.CheckIncludable(&protocol.Tx{Raw: m.raw, Tx: tx, Inclusion: m.inc}, b.config, b.header); err != nil {
				return fail(dropNonceGap, "its tx %s could not be in the block of slot %d: %v", m.inc.TxHash, slot, err)
			}
			maxBlobs = min(maxBlobs, b.maxBlobs())
		}
		gas += m.inc.GasLimit
		nb := uint64(len(tx.BlobHashes()))
		blobs += nb
		plan.cost.Add(plan.cost, m.inc.MaxCost)
		plan.txs = append(plan.txs, carriedTx{raw: m.raw, hash: m.inc.TxHash, sender: s, nonce: n, from: m.slot, gas: m.inc.GasLimit, blobs: nb})
	}
	t := e.template(slot)
	post := rollup.ShapeGas(postShape(t, nil))
	if need := t.gas + t.carriedGas + post + gas; need > cc.headGasLimit {
		return fail(dropNonceGap, "slot %d would need %d gas with the carried %d, the block gas limit is %d", slot, need, gas, cc.headGasLimit)
	}
	if need := t.blobs + t.carriedBlobs + blobs; need > maxBlobs {
		return fail(dropNonceGap, "slot %d would need %d blobs with the carried %d, the limit is %d", slot, need, blobs, maxBlobs)
	}
	total := new(big.Int).Add(cost, plan.cost)
	if total.Add(total, lt.cost).Cmp(a.Balance) > 0 {
		return fail(dropBalance, "balance %v at block %d does not cover the carried txs (%v) and the promised txs up to nonce %d (%v in all)", a.Balance, a.Block, plan.cost, lt.nonce, total)
	}
	return plan
}

// baseFee is the projected base fee of slot, computed once per head.
func (cc *carryCtx) baseFee(e *Engine, slot uint64) *big.Int {
	if f, ok := cc.baseFees[slot]; ok {
		return f
	}
	f := e.state.ProjectedBaseFee(max(slot-min(cc.headSlot, slot), 1))
	cc.baseFees[slot] = f
	return f
}

// target is the projected block of slot, computed once per head; nil when
// the chain's rules are not known (the carried txs met them when promised,
// and a rule read failing is no reason to drop promises).
func (cc *carryCtx) target(e *Engine, slot uint64) *targetBlock {
	if b, ok := cc.targets[slot]; ok {
		return b
	}
	b, err := e.target(cc.head, cc.headSlot, slot, true)
	if err != nil {
		e.log.Warn().Err(err).Uint64("slot", slot).Msg("rules of the slot's block unknown; carried txs are not re-checked against them")
		b = nil
	}
	if cc.targets == nil {
		cc.targets = make(map[uint64]*targetBlock)
	}
	cc.targets[slot] = b
	return b
}

// addCarries places a plan's txs at the top of slot. Called with mu held.
func (e *Engine) addCarries(slot uint64, txs []carriedTx, cc *carryCtx) {
	t := e.template(slot)
	if len(t.carried) == 0 {
		cc.carried = append(cc.carried, slot)
	}
	for _, c := range txs {
		t.carried = append(t.carried, c)
		t.carriedGas += c.gas
		t.carriedBlobs += c.blobs
	}
}

// uncarry takes the tx h out of the slot it was carried into: the same tx
// has just been promised again for an earlier slot (check allows no later
// one), which now holds it; left in both tops of block, the later one would
// open with a nonce already used. The next head's re-check plans afresh.
// Called with mu held.
func (e *Engine) uncarry(h common.Hash) {
	slot, ok := e.carriedInto[h]
	if !ok {
		return
	}
	delete(e.carriedInto, h)
	t := e.templates[slot]
	if t == nil {
		return
	}
	t.carried = slices.DeleteFunc(t.carried, func(c carriedTx) bool {
		if c.hash != h {
			return false
		}
		t.carriedGas -= c.gas
		t.carriedBlobs -= c.blobs
		return true
	})
}

// clearCarries forgets the carries of a previous pass. Called with mu held.
func (e *Engine) clearCarries(slots []uint64) {
	for _, slot := range slots {
		if t := e.templates[slot]; t != nil {
			t.carried, t.carriedGas, t.carriedBlobs = nil, 0, 0
		}
	}
}

// announceCarries logs and counts the carries new since the last head: a
// tx carried into the same slot head after head is announced once.
// Called with mu held.
func (e *Engine) announceCarries(slots []uint64) {
	now := make(map[common.Hash]uint64)
	slices.Sort(slots)
	for _, slot := range slots {
		for _, c := range e.templates[slot].carried {
			now[c.hash] = slot
			if prev, ok := e.carriedInto[c.hash]; ok && prev == slot {
				continue
			}
			e.metrics.carried.Inc()
			e.log.Info().Uint64("slot", slot).Str("sender", c.sender.Hex()).Uint64("nonce", c.nonce).
				Uint64("from_slot", c.from).Str("tx_hash", c.hash.Hex()).
				Msg("missed promised transaction carried to the top of a later slot, ahead of the promises stacked on it")
		}
	}
	e.carriedInto = now
}

// readMissed reads from the store the trimmed promised txs that the
// accounts' live chains miss between their account nonce and their live
// nonces: what the re-check may carry. It reads outside the lock.
func (e *Engine) readMissed(accounts map[common.Address]chainstate.Account) (map[common.Hash]missedTx, map[common.Hash]error) {
	want := make(map[uint64][]common.Hash) // by the slot whose promises hold them
	e.mu.Lock()
	for s, a := range accounts {
		next := a.Nonce
		for _, lt := range e.live[acctKey{e.cfg.L1ChainID, s}] {
			for n := next; n < lt.nonce; n++ {
				k := nonceKey{e.cfg.L1ChainID, s, n}
				if en := e.byNonce[k]; en != nil && en.entryBody != nil {
					continue
				}
				if sold, ok := e.sold[k]; ok {
					want[sold.slot] = append(want[sold.slot], sold.hash)
				}
			}
			next = max(next, lt.nonce+1)
		}
	}
	e.mu.Unlock()
	stored := make(map[common.Hash]missedTx)
	unread := make(map[common.Hash]error)
	for slot, hashes := range want {
		wanted := make(map[common.Hash]bool, len(hashes))
		for _, h := range hashes {
			wanted[h] = true
		}
		err := e.store.Range(slot, slot+1, func(rec *store.Record) error {
			p, err := rec.Commitment.Open(e.cfg.L1ChainID)
			if err != nil || len(p.Inclusions) != len(rec.Txs) {
				return nil // does not open: its txs are not carried (errNotStored)
			}
			for i, inc := range p.Inclusions {
				if wanted[inc.TxHash] {
					stored[inc.TxHash] = missedTx{raw: rec.Txs[i], inc: inc, slot: rec.Slot}
				}
			}
			return nil
		})
		for _, h := range hashes {
			if _, ok := stored[h]; !ok {
				if err != nil {
					unread[h] = fmt.Errorf("%w: read promises of slot %d: %w", ErrUnavailable, slot, err)
				} else {
					unread[h] = errNotStored
				}
			}
		}
	}
	return stored, unread
}
