package admission

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// maxStaleRetries bounds how often a request re-reads accounts that are older
// than a head the engine has already re-checked the templates against.
const maxStaleRetries = 3

// Request admits a commitment request: it validates it, reserves its room,
// signs the promise and persists it (synced) before returning it. The same
// request again returns the same promise.
func (e *Engine) Request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
	start := time.Now()
	sc, replay, err := e.request(ctx, req)
	e.metrics.observe(start, replay, err)
	return sc, err
}

// parsed is a request after the stateless checks.
type parsed struct {
	ctype uint64
	slot  uint64
	txs   []*protocol.Tx
	hash  common.Hash
	// maxBlobs is the most blobs the slot may hold: the operator's limit,
	// within what the slot's block can hold. Set by admit.
	maxBlobs uint64
}

func (e *Engine) request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, bool, error) {
	pl, err := e.parsePayload(req)
	if err != nil {
		return nil, false, err
	}
	hash := req.RequestHash()
	// The slot rules first: they are the cheapest, and a request for a slot
	// that is not on offer should not cost a signature recovery. A replay of
	// a promise made before the deadline still gets its promise back.
	if err := e.checkSlot(pl.Slot); err != nil {
		if sc, ok, _ := e.existing(ctx, hash, pl.Slot); ok && sc != nil {
			return sc, true, nil
		}
		return nil, false, err
	}
	p, err := e.decodeTxs(req.CommitmentType, pl, hash)
	if err != nil {
		return nil, false, err
	}
	if sc, ok, err := e.existing(ctx, p.hash, p.slot); ok {
		return sc, true, err
	}
	return e.admit(ctx, p)
}

// parsePayload checks the type, the slasher and the payload's shape.
func (e *Engine) parsePayload(req protocol.CommitmentRequest) (*protocol.RequestPayload, error) {
	switch req.CommitmentType {
	case protocol.TypeL1Inclusion, protocol.TypeL2Inclusion, protocol.TypeBundle:
	default:
		return nil, fmt.Errorf("%w: %w: %d", ErrUnknownType, protocol.ErrUnknownCommitmentType, req.CommitmentType)
	}
	if req.Slasher != e.cfg.Slasher {
		return nil, fmt.Errorf("%w: request names %s, ours is %s", ErrWrongSlasher, req.Slasher, e.cfg.Slasher)
	}
	pl, err := protocol.DecodeRequestPayload(req.CommitmentType, req.Payload)
	if err != nil {
		return nil, err
	}
	n := len(pl.Txs)
	if req.CommitmentType == protocol.TypeBundle && n < 2 {
		return nil, fmt.Errorf("%w: a bundle needs 2 to %d transactions, got %d", protocol.ErrInclusionCount, protocol.MaxBundleSize, n)
	}
	if req.CommitmentType != protocol.TypeBundle && n != 1 {
		return nil, fmt.Errorf("%w: commitment type %d takes 1 transaction, got %d", protocol.ErrInclusionCount, req.CommitmentType, n)
	}
	return pl, nil
}

// decodeTxs decodes every transaction: encoding, chain, signature, sender.
func (e *Engine) decodeTxs(ctype uint64, pl *protocol.RequestPayload, hash common.Hash) (*parsed, error) {
	n := len(pl.Txs)
	p := &parsed{ctype: ctype, slot: pl.Slot, txs: make([]*protocol.Tx, n), hash: hash}
	hashes := make([]common.Hash, n)
	for i, raw := range pl.Txs {
		t, err := e.decodeTx(raw, ctype)
		if err != nil {
			return nil, fmt.Errorf("transaction %d: %w", i, err)
		}
		for j := range i {
			if hashes[j] == t.Inclusion.TxHash {
				return nil, fmt.Errorf("%w: transactions %d and %d are both %s", protocol.ErrDuplicateTx, j, i, t.Inclusion.TxHash)
			}
		}
		p.txs[i], hashes[i] = t, t.Inclusion.TxHash
	}
	return p, nil
}

// decodeTx decodes a transaction for the L1 or for a configured rollup:
// encoding, chain id, signature (with the chain's own signer), sender.
func (e *Engine) decodeTx(raw []byte, ctype uint64) (*protocol.Tx, error) {
	t, err := protocol.DecodeTransaction(raw, e.cfg.L1ChainID)
	if err == nil {
		if ctype == protocol.TypeL2Inclusion {
			return nil, fmt.Errorf("%w: an L2 inclusion for a transaction on the L1 chain %d", protocol.ErrWrongChain, e.cfg.L1ChainID)
		}
		if e.poster != nil && t.Inclusion.Sender == e.poster.Address() {
			return nil, fmt.Errorf("%w: %s is the operator's batch poster, whose nonces the posts use", ErrConflict, t.Inclusion.Sender)
		}
		if t.Inclusion.Sender == e.signer.Address() {
			return nil, fmt.Errorf("%w: %s is the operator's committer, whose nonces the slot ledgers use", ErrConflict, t.Inclusion.Sender)
		}
		return t, nil
	}
	if !errors.Is(err, protocol.ErrWrongChain) || ctype == protocol.TypeL1Inclusion {
		return nil, err
	}
	// The transaction decoded far enough to have another chain id.
	var tx types.Transaction
	if uerr := tx.UnmarshalBinary(raw); uerr != nil || tx.ChainId() == nil || !tx.ChainId().IsUint64() {
		return nil, err
	}
	chain := tx.ChainId().Uint64()
	if _, ok := e.cfg.Rollups[chain]; !ok {
		return nil, fmt.Errorf("%w: %d", ErrUnknownRollup, chain)
	}
	if e.poster == nil {
		return nil, fmt.Errorf("%w: rollup %d is configured but no batch poster is, so its batches cannot be posted", ErrUnknownType, chain)
	}
	if tx.Type() == types.BlobTxType {
		// A batch carries the tx bytes the rollup hashes; a blob tx's network
		// form (with its sidecar) is not them, and no rollup here takes blobs.
		return nil, fmt.Errorf("%w: blob transactions are not offered on rollup %d", protocol.ErrTxType, chain)
	}
	return protocol.DecodeTransaction(raw, chain)
}

// existing returns the promise of a request already admitted or in flight,
// waiting for an in-flight one to finish. A promise of a trimmed slot is no
// longer in memory: it is read from the store.
func (e *Engine) existing(ctx context.Context, h common.Hash, slot uint64) (*protocol.SignedCommitment, bool, error) {
	if sc, ok, err := e.inMemory(ctx, h); ok {
		return sc, true, err
	}
	e.mu.Lock()
	t := e.templates[slot]
	trimmed := t != nil && t.trimmed
	e.mu.Unlock()
	if !trimmed {
		return nil, false, nil
	}
	return e.stored(h)
}

// inMemory returns the promise of a request in full form (admitted or in
// flight), waiting for an in-flight one to finish.
func (e *Engine) inMemory(ctx context.Context, h common.Hash) (*protocol.SignedCommitment, bool, error) {
	e.mu.Lock()
	en := e.byRequest[h]
	var done <-chan struct{}
	if en != nil {
		done = en.done
	}
	e.mu.Unlock()
	if en == nil {
		return nil, false, nil
	}
	sc, err := e.wait(ctx, en, done)
	return sc, true, err
}

// stored reads the promise of a request from the store.
func (e *Engine) stored(h common.Hash) (*protocol.SignedCommitment, bool, error) {
	rec, err := e.store.ByRequest(h)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, fmt.Errorf("%w: read promise store: %w", ErrUnavailable, err)
	}
	sc := rec.Commitment
	return &sc, true, nil
}

// wait blocks until the entry is committed or failed. done is en.done as
// read under mu (trim replaces it once closed).
func (e *Engine) wait(ctx context.Context, en *entry, done <-chan struct{}) (*protocol.SignedCommitment, error) {
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for the same request in flight: %w", ErrUnavailable, ctx.Err())
	case <-done:
	}
	e.mu.Lock()
	state, trimmed, err := en.state, en.trimmed, en.err
	var signed *protocol.SignedCommitment
	if !trimmed {
		signed = en.signed
	}
	e.mu.Unlock()
	switch {
	case state == failed:
		return nil, err
	case trimmed:
		// Trimmed once the head passed its slot: the store has it.
		rec, err := e.store.ByRequest(en.hash)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s (pruned)", ErrNotFound, en.hash)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: read promise store: %w", ErrUnavailable, err)
		}
		sc := rec.Commitment
		return &sc, nil
	}
	return signed, nil
}

// admit validates p against state and templates, reserves, signs, persists.
func (e *Engine) admit(ctx context.Context, p *parsed) (*protocol.SignedCommitment, bool, error) {
	// Per-tx checks that need chain data but no template: go-ethereum's
	// rules of the slot's block as the head projects it (the fee against
	// its highest base fee among them), and the EIP-7702 authorities.
	head := e.state.Head()
	if head == nil {
		return nil, false, fmt.Errorf("%w: no execution head yet", ErrUnavailable)
	}
	if head.BaseFee == nil {
		return nil, false, fmt.Errorf("%w: execution head has no base fee", ErrUnavailable)
	}
	headSlot := e.duties.Clock().SlotAt(time.Unix(int64(head.Time), 0))
	block, err := e.target(head, headSlot, p.slot, hasBlobs(p.txs))
	if err != nil {
		return nil, false, err
	}
	baseFee := block.header.BaseFee
	p.maxBlobs = min(e.cfg.MaxBlobsPerSlot, block.maxBlobs())
	en := &entry{hash: p.hash, slot: p.slot, done: make(chan struct{}),
		entryBody: &entryBody{ctype: p.ctype, txs: p.txs}}
	maxCost := new(big.Int)
	// tips sums, per chain, the guaranteed priority fee times the gas limit.
	tips := make(map[uint64]*big.Int, 1)
	for i, t := range p.txs {
		inc := &t.Inclusion
		maxCost.Add(maxCost, inc.MaxCost)
		sum := tips[inc.ChainID]
		if sum == nil {
			sum = new(big.Int)
			tips[inc.ChainID] = sum
		}
		if inc.ChainID != e.cfg.L1ChainID {
			// An L2 tx: the rollup's own base fee is its business (lazy
			// sequencing: a tx it cannot pay for is posted and skipped), so
			// the price is on the tip it offers at most.
			if en.l2 == nil {
				en.l2 = make(map[uint64]*l2Use, 1)
			}
			u := en.l2[inc.ChainID]
			if u == nil {
				u = &l2Use{}
				en.l2[inc.ChainID] = u
			}
			u.gas += inc.GasLimit
			u.bytes += uint64(len(t.Raw))
			u.txs++
			tip := guaranteedTip(t, new(big.Int))
			sum.Add(sum, tip.Mul(tip, new(big.Int).SetUint64(inc.GasLimit)))
			continue
		}
		if err := block.check(t, p.slot); err != nil {
			return nil, false, fmt.Errorf("transaction %d: %w", i, err)
		}
		en.gas += inc.GasLimit
		en.blobs += uint64(len(t.Tx.BlobHashes()))
		tip := guaranteedTip(t, baseFee)
		sum.Add(sum, tip.Mul(tip, new(big.Int).SetUint64(inc.GasLimit)))
		for _, auth := range t.Tx.SetCodeAuthorizations() {
			if a, err := auth.Authority(); err == nil {
				en.authTo = append(en.authTo, acctKey{e.cfg.L1ChainID, a}) // an invalid authorization is skipped by the EVM
			}
		}
	}
	en.slash = e.cfg.Slash.Amount(maxCost)

	// Money safety first: a promise the Registry would not hold (the
	// operator exiting, a rotated or revoked committer) is never signed.
	if err := e.registry.Backs(ctx, p.slot); err != nil {
		return nil, false, err
	}
	collateral, err := e.registry.Collateral(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("%w: read collateral from the registry: %w", ErrUnavailable, err)
	}
	senders := distinctSenders(p.txs)
	accounts := make(map[acctKey]chainstate.Account, len(senders))
	var claims *store.Claims
	for attempt := 0; ; attempt++ {
		if err := e.readAccounts(ctx, senders, accounts); err != nil {
			return nil, false, err
		}
		e.mu.Lock()
		if other := e.byRequest[p.hash]; other != nil { // the same request won the race
			done := other.done
			e.mu.Unlock()
			sc, err := e.wait(ctx, other, done)
			return sc, true, err
		}
		if p.slot < e.sealedBelow {
			// The deadline passed while the request was checked and the
			// slot's ledger is being built: no reservation there.
			e.mu.Unlock()
			if sc, ok, err := e.stored(p.hash); ok {
				return sc, true, err
			}
			return nil, false, fmt.Errorf("%w: slot %d closed while the request was checked", ErrDeadlinePassed, p.slot)
		}
		if t := e.templates[p.slot]; t != nil && t.trimmed {
			// The head passed the slot while the request was checked: no
			// reservation there (its block is built), but the same request
			// may have been promised, and trimmed, in the meantime.
			headSlot := e.headSlot
			e.mu.Unlock()
			if sc, ok, err := e.stored(p.hash); ok {
				return sc, true, err
			}
			return nil, false, fmt.Errorf("%w: slot %d is behind the head (slot %d)", ErrSlotNotOffered, p.slot, headSlot)
		}
		if pending := e.pendingOf(senders); pending != nil {
			// An earlier nonce of a sender is still being persisted: stacking
			// on it before it is durable could leave a gap if it fails.
			done := pending.done
			e.mu.Unlock()
			if _, err := e.wait(ctx, pending, done); err != nil && ctx.Err() != nil {
				return nil, false, err
			}
			continue
		}
		if stale := e.staleAccount(accounts); stale && attempt < maxStaleRetries {
			e.mu.Unlock()
			continue
		} else if stale {
			e.mu.Unlock()
			return nil, false, fmt.Errorf("%w: account state keeps lagging the head", ErrUnavailable)
		}
		err := e.check(p, en, accounts, tips, collateral, head.GasLimit)
		if err == nil {
			if e.shared != nil {
				claims = e.sharedClaims(p, en, accounts, tips, collateral, head.GasLimit)
			}
			e.reserve(en)
		}
		e.mu.Unlock()
		if err != nil {
			return nil, false, err
		}
		break
	}
	sc, err := e.signAndStore(ctx, en, claims)
	return sc, false, err
}

func distinctSenders(txs []*protocol.Tx) []acctKey {
	out := make([]acctKey, 0, len(txs))
	for _, t := range txs {
		s := keyOf(&t.Inclusion)
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// readAccounts reads each sender's account at the head of its chain (L1
// reads are cached per head).
func (e *Engine) readAccounts(ctx context.Context, senders []acctKey, into map[acctKey]chainstate.Account) error {
	for _, s := range senders {
		if s.chain != e.cfg.L1ChainID {
			a, err := e.cfg.Rollups[s.chain].State.Account(ctx, s.addr)
			if err != nil {
				return fmt.Errorf("%w: read account %s on rollup %d: %w", ErrUnavailable, s.addr, s.chain, err)
			}
			// Code is no obstacle on L2: the promise is inclusion in the
			// batch, which no code can prevent.
			into[s] = a
			continue
		}
		a, err := e.state.Account(ctx, s.addr)
		if err != nil {
			return fmt.Errorf("%w: read account %s: %w", ErrUnavailable, s.addr, err)
		}
		if a.HasCode {
			return fmt.Errorf("%w: %s at block %d", ErrSenderHasCode, s.addr, a.Block)
		}
		into[s] = a
	}
	return nil
}

// pendingOf returns a reserved, not yet persisted entry of one of the
// senders, if any. Called with mu held.
func (e *Engine) pendingOf(senders []acctKey) *entry {
	for _, s := range senders {
		if l := e.pending[s]; len(l) > 0 {
			return l[0]
		}
	}
	return nil
}

// staleAccount reports whether an L1 account was read at a head older than
// the one the templates were last re-checked against: acting on it could
// accept a nonce the re-check has already seen used. L2 accounts are not
// re-checked (their promises are kept by posting). Called with mu held.
func (e *Engine) staleAccount(accounts map[acctKey]chainstate.Account) bool {
	for k, a := range accounts {
		if k.chain == e.cfg.L1ChainID && a.Block < e.headNumber {
			return true
		}
	}
	return false
}

// check applies the stacked rules to the request against the templates.
// Called with mu held; it changes nothing but the run cache (runOf).
func (e *Engine) check(p *parsed, en *entry, accounts map[acctKey]chainstate.Account, tips map[uint64]*big.Int, collateral *big.Int, headGasLimit uint64) error {
	type chain struct {
		next     uint64 // the next nonce the sender may be promised
		prevSlot uint64 // the slot of the promise holding next−1, if any
		// above is the slot of the live tx past a gap at next, 0 if none:
		// next is carried there (carry.go), so it may only be promised again
		// for an earlier slot.
		above uint64
		cost  *big.Int
	}
	chains := make(map[acctKey]*chain, len(accounts))
	for s, a := range accounts {
		r := e.runOf(s, a.Nonce)
		chains[s] = &chain{next: r.next, prevSlot: r.prevSlot, above: r.above, cost: new(big.Int).Set(r.cost)}
	}
	for i, t := range p.txs {
		inc := &t.Inclusion
		s := keyOf(inc)
		k := nonceKey{inc.ChainID, s.addr, inc.Nonce}
		if other := e.byNonce[k]; other != nil {
			if !containsTx(other, inc.TxHash) {
				return fmt.Errorf("%w: transaction %d: nonce %d of %s on chain %d is promised to another transaction (slot %d)", ErrConflict, i, inc.Nonce, s.addr, s.chain, other.slot)
			}
			if e.isLive(other) {
				return fmt.Errorf("%w: transaction %d (%s) is already promised for slot %d", ErrConflict, i, inc.TxHash, other.slot)
			}
		}
		if sold, ok := e.sold[k]; ok {
			if sold.hash != inc.TxHash {
				return fmt.Errorf("%w: transaction %d: nonce %d of %s on chain %d is promised to another transaction (slot %d)", ErrConflict, i, inc.Nonce, s.addr, s.chain, sold.slot)
			}
			if sold.slot > e.headSlot { // only after the head went back (a reorg)
				return fmt.Errorf("%w: transaction %d (%s) is already promised for slot %d", ErrConflict, i, inc.TxHash, sold.slot)
			}
		}
		if e.delegating[s] > 0 {
			return fmt.Errorf("%w: %s is the authority of a promised EIP-7702 authorization", ErrSenderHasCode, s.addr)
		}
		c := chains[s]
		if inc.Nonce != c.next {
			return fmt.Errorf("%w: transaction %d: nonce %d, want %d for %s on chain %d (account nonce %d plus promised)", ErrNonce, i, inc.Nonce, c.next, s.addr, s.chain, accounts[s].Nonce)
		}
		if c.next > accounts[s].Nonce && c.prevSlot > p.slot {
			return fmt.Errorf("%w: transaction %d: nonce %d of %s on chain %d is promised for the later slot %d", ErrNonce, i, inc.Nonce-1, s.addr, s.chain, c.prevSlot)
		}
		if c.above != 0 && p.slot >= c.above {
			return fmt.Errorf("%w: transaction %d: nonce %d of %s missed its slot and is carried into slot %d, ahead of the nonces promised there; it may be promised again only for an earlier slot", ErrNonce, i, inc.Nonce, s.addr, c.above)
		}
		c.above = 0
		c.cost.Add(c.cost, inc.MaxCost)
		if bal := accounts[s].Balance; c.cost.Cmp(bal) > 0 {
			return fmt.Errorf("%w: %s has %v wei on chain %d, its promised transactions may cost %v", ErrBalance, s.addr, bal, s.chain, c.cost)
		}
		c.next++
		c.prevSlot = p.slot
		for _, a := range en.authTo {
			if len(e.live[a]) > 0 || chains[a] != nil {
				return fmt.Errorf("%w: transaction %d authorizes code for %s, which has promised transactions", ErrConflict, i, a.addr)
			}
		}
	}
	return e.checkRoom(p, en, e.templates[p.slot], tips, collateral, headGasLimit, e.exposure)
}

// checkRoom applies the slot's room rules (promise count, L1 gas with the
// batch post, blobs, the rollups' room), the price that rises with the gas
// already promised, and the exposure rule to the request, given the slot's
// template t (nil: empty) and the exposure without the request. It reads
// no mutable engine state: a shared store calls it with the room every
// sidecar's promises took (sharedClaims).
func (e *Engine) checkRoom(p *parsed, en *entry, t *template, tips map[uint64]*big.Int, collateral *big.Int, headGasLimit uint64, exposure *big.Int) error {
	var usedGas, usedBlobs uint64
	if t != nil {
		usedGas, usedBlobs = t.gas+t.carriedGas, t.blobs+t.carriedBlobs
		if t.promises >= MaxPromisesPerSlot {
			return fmt.Errorf("%w: slot %d holds %d promises, the most its ledger (one Registry transaction) lists", ErrSlotFull, p.slot, t.promises)
		}
	}
	if err := e.checkL2(p.slot, t, en); err != nil {
		return err
	}
	// The slot's batch post is L1 gas too: reserve its bound with the L1 txs.
	postGas := rollup.ShapeGas(postShape(t, en))
	budget := min(e.cfg.GasBudgetPerSlot, headGasLimit)
	if need := usedGas + en.gas + postGas; need > budget || need < usedGas {
		left := budget - min(usedGas+rollup.ShapeGas(postShape(t, nil)), budget)
		return fmt.Errorf("%w: %d gas asked (with the batch post's %d), %d of %d left in slot %d", ErrSlotFull, en.gas, postGas, left, budget, p.slot)
	}
	if usedBlobs+en.blobs > p.maxBlobs {
		return fmt.Errorf("%w: %d blobs asked, %d of %d left in slot %d", ErrSlotFull, en.blobs, p.maxBlobs-min(usedBlobs, p.maxBlobs), p.maxBlobs, p.slot)
	}
	if en.gas > 0 {
		floor := e.cfg.Pricing.Floor(usedGas, en.gas)
		paid := tips[e.cfg.L1ChainID]
		if need := new(big.Int).Mul(floor, new(big.Int).SetUint64(en.gas)); paid.Cmp(need) < 0 {
			avg := new(big.Int).Quo(paid, new(big.Int).SetUint64(en.gas))
			return fmt.Errorf("%w: pays %v wei per gas (guaranteed at the projected base fee), the price is %v", ErrUnderpriced, avg, floor)
		}
	}
	for chain, u := range en.l2 {
		var used uint64
		if t != nil && t.l2[chain] != nil {
			used = t.l2[chain].gas
		}
		floor := e.cfg.Rollups[chain].Pricing.Floor(used, u.gas)
		paid := tips[chain]
		if need := new(big.Int).Mul(floor, new(big.Int).SetUint64(u.gas)); paid.Cmp(need) < 0 {
			avg := new(big.Int).Quo(paid, new(big.Int).SetUint64(max(u.gas, 1)))
			return fmt.Errorf("%w: rollup %d: pays %v wei per L2 gas, the price is %v", ErrUnderpriced, chain, avg, floor)
		}
	}
	if total := new(big.Int).Add(exposure, en.slash); total.Cmp(collateral) > 0 {
		return fmt.Errorf("%w: %v wei promised plus %v would exceed the collateral %v", ErrExposure, exposure, en.slash, collateral)
	}
	return nil
}

func containsTx(en *entry, h common.Hash) bool {
	if en.entryBody == nil {
		return false // trimmed entries are in no index; see trim
	}
	for _, t := range en.txs {
		if t.Inclusion.TxHash == h {
			return true
		}
	}
	return false
}

// signAndStore signs the reserved entry's promise and persists it; on any
// failure it releases the reservation. With a shared store, claims go with
// the write and the store has the last word: a refusal releases the
// reservation, and a promise another sidecar already made for the request
// is the one returned.
func (e *Engine) signAndStore(ctx context.Context, en *entry, claims *store.Claims) (*protocol.SignedCommitment, error) {
	sc, err := e.sign(ctx, en)
	if err != nil {
		e.mu.Lock()
		e.unreserve(en, err)
		e.mu.Unlock()
		return nil, err
	}
	raws := make([][]byte, len(en.txs))
	for i, t := range en.txs {
		raws[i] = t.Raw
	}
	rec := &store.Record{Slot: en.slot, Commitment: *sc, Txs: raws}
	if claims != nil {
		got, err := e.commitShared(ctx, rec, claims)
		if err != nil {
			if errors.Is(err, ErrUnavailable) {
				e.log.Error().Err(err).Uint64("slot", en.slot).Str("commitment", en.hash.Hex()).Msg("promise not persisted; reservation released")
			}
			e.mu.Lock()
			e.unreserve(en, err)
			e.mu.Unlock()
			return nil, err
		}
		sc = &got.Commitment
		rec = got
	} else if err := e.store.Put(rec); err != nil {
		err = fmt.Errorf("%w: persist promise: %w", ErrUnavailable, err)
		e.log.Error().Err(err).Uint64("slot", en.slot).Str("commitment", en.hash.Hex()).Msg("promise not persisted; reservation released")
		e.mu.Lock()
		e.unreserve(en, err)
		e.mu.Unlock()
		return nil, err
	}
	e.mu.Lock()
	e.commit(en, sc, rec.Seq)
	e.mu.Unlock()
	return sc, nil
}

// sign builds the promise from the entry and signs it.
func (e *Engine) sign(ctx context.Context, en *entry) (*protocol.SignedCommitment, error) {
	p := &protocol.Promise{
		CommitmentType: en.ctype,
		Operator:       e.cfg.Operator,
		Slot:           en.slot,
		Inclusions:     make([]protocol.Inclusion, len(en.txs)),
		SlashAmount:    en.slash,
		RequestHash:    en.hash,
	}
	for i, t := range en.txs {
		p.Inclusions[i] = t.Inclusion
	}
	if err := p.Validate(e.cfg.L1ChainID); err != nil {
		return nil, fmt.Errorf("refuse to sign: %w", err)
	}
	payload, err := p.MarshalABI()
	if err != nil {
		return nil, err
	}
	sig, err := e.signer.SignPromise(ctx, p, e.domain)
	if err != nil {
		// The committer's signer is a dependency: down, slow or answering
		// another key's signature, the promise is not acknowledged.
		e.log.Error().Err(err).Uint64("slot", en.slot).Str("commitment", en.hash.Hex()).Msg("promise not signed; reservation released")
		return nil, fmt.Errorf("%w: committer signer: %w", ErrUnavailable, err)
	}
	return &protocol.SignedCommitment{
		Commitment: protocol.Commitment{
			CommitmentType: p.CommitmentType,
			Payload:        payload,
			RequestHash:    p.RequestHash,
			Slasher:        e.cfg.Slasher,
		},
		Signature: sig,
	}, nil
}
