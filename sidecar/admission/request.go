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
}

func (e *Engine) request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, bool, error) {
	pl, err := e.parsePayload(req)
	if err != nil {
		return nil, false, err
	}
	// The slot rules first: they are the cheapest, and a request for a slot
	// that is not on offer should not cost a signature recovery. A replay of
	// a promise made before the deadline still gets its promise back.
	if err := e.checkSlot(pl.Slot); err != nil {
		if sc, ok, _ := e.existing(ctx, cheapRequestHash(req.CommitmentType, pl, e.cfg.Slasher)); ok && sc != nil {
			return sc, true, nil
		}
		return nil, false, err
	}
	p, err := e.decodeTxs(req.CommitmentType, pl)
	if err != nil {
		return nil, false, err
	}
	if sc, ok, err := e.existing(ctx, p.hash); ok {
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
	pl, err := protocol.DecodeRequestPayload(req.Payload)
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

// cheapRequestHash computes the request hash without checking signatures,
// only to find an existing promise; zero if a tx does not decode.
func cheapRequestHash(ctype uint64, pl *protocol.RequestPayload, slasher common.Address) common.Hash {
	hashes := make([]common.Hash, len(pl.Txs))
	for i, raw := range pl.Txs {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			return common.Hash{}
		}
		hashes[i] = tx.Hash()
	}
	return protocol.RequestHash(ctype, pl.Slot, hashes, slasher)
}

// decodeTxs decodes every transaction: encoding, chain, signature, sender.
func (e *Engine) decodeTxs(ctype uint64, pl *protocol.RequestPayload) (*parsed, error) {
	n := len(pl.Txs)
	p := &parsed{ctype: ctype, slot: pl.Slot, txs: make([]*protocol.Tx, n)}
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
	p.hash = protocol.RequestHash(p.ctype, p.slot, hashes, e.cfg.Slasher)
	return p, nil
}

// decodeTx decodes an L1 transaction. L2 transactions are recognised (a
// configured rollup's chain id) but not offered until L2 validation lands.
func (e *Engine) decodeTx(raw []byte, ctype uint64) (*protocol.Tx, error) {
	t, err := protocol.DecodeTransaction(raw, e.cfg.L1ChainID)
	if err == nil {
		if ctype == protocol.TypeL2Inclusion {
			return nil, fmt.Errorf("%w: an L2 inclusion for a transaction on the L1 chain %d", protocol.ErrWrongChain, e.cfg.L1ChainID)
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
	return nil, fmt.Errorf("%w: L2 transactions for rollup %d are not offered yet", ErrUnknownType, chain)
}

// existing returns the promise of a request already admitted or in flight,
// waiting for an in-flight one to finish.
func (e *Engine) existing(ctx context.Context, h common.Hash) (*protocol.SignedCommitment, bool, error) {
	e.mu.Lock()
	en := e.byRequest[h]
	e.mu.Unlock()
	if en == nil {
		return nil, false, nil
	}
	sc, err := e.wait(ctx, en)
	return sc, true, err
}

// wait blocks until the entry is committed or failed.
func (e *Engine) wait(ctx context.Context, en *entry) (*protocol.SignedCommitment, error) {
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for the same request in flight: %w", ErrUnavailable, ctx.Err())
	case <-en.done:
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if en.state == failed {
		return nil, en.err
	}
	return en.signed, nil
}

// admit validates p against state and templates, reserves, signs, persists.
func (e *Engine) admit(ctx context.Context, p *parsed) (*protocol.SignedCommitment, bool, error) {
	// Per-tx checks that need chain data but no template: fee against the
	// projected base fee, and the EIP-7702 authorities.
	head := e.state.Head()
	if head == nil {
		return nil, false, fmt.Errorf("%w: no execution head yet", ErrUnavailable)
	}
	clock := e.duties.Clock()
	headSlot := clock.SlotAt(time.Unix(int64(head.Time), 0))
	ahead := uint64(1)
	if p.slot > headSlot {
		ahead = p.slot - headSlot
	}
	baseFee := e.state.ProjectedBaseFee(ahead)
	if baseFee == nil {
		return nil, false, fmt.Errorf("%w: execution head has no base fee", ErrUnavailable)
	}
	en := &entry{hash: p.hash, ctype: p.ctype, slot: p.slot, txs: p.txs, done: make(chan struct{})}
	maxCost := new(big.Int)
	tips := new(big.Int)
	for i, t := range p.txs {
		inc := &t.Inclusion
		if inc.MaxFeePerGas.Cmp(baseFee) < 0 {
			return nil, false, fmt.Errorf("%w: transaction %d: max fee %v, slot %d may reach %v", ErrFeeBelowBase, i, inc.MaxFeePerGas, p.slot, baseFee)
		}
		en.gas += inc.GasLimit
		en.blobs += uint64(len(t.Tx.BlobHashes()))
		maxCost.Add(maxCost, inc.MaxCost)
		tip := guaranteedTip(t, baseFee)
		tips.Add(tips, tip.Mul(tip, new(big.Int).SetUint64(inc.GasLimit)))
		for _, auth := range t.Tx.SetCodeAuthorizations() {
			if a, err := auth.Authority(); err == nil {
				en.authTo = append(en.authTo, a) // an invalid authorization is skipped by the EVM
			}
		}
	}
	en.slash = e.cfg.Slash.Amount(maxCost)

	collateral, err := e.collateral.Collateral(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("%w: read collateral from the registry: %w", ErrUnavailable, err)
	}
	senders := distinctSenders(p.txs)
	accounts := make(map[common.Address]chainstate.Account, len(senders))
	for attempt := 0; ; attempt++ {
		if err := e.readAccounts(ctx, senders, accounts); err != nil {
			return nil, false, err
		}
		e.mu.Lock()
		if other := e.byRequest[p.hash]; other != nil { // the same request won the race
			e.mu.Unlock()
			sc, err := e.wait(ctx, other)
			return sc, true, err
		}
		if pending := e.pendingOf(senders); pending != nil {
			// An earlier nonce of a sender is still being persisted: stacking
			// on it before it is durable could leave a gap if it fails.
			e.mu.Unlock()
			if _, err := e.wait(ctx, pending); err != nil && ctx.Err() != nil {
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
			e.reserve(en)
		}
		e.mu.Unlock()
		if err != nil {
			return nil, false, err
		}
		break
	}
	sc, err := e.signAndStore(en)
	return sc, false, err
}

func distinctSenders(txs []*protocol.Tx) []common.Address {
	out := make([]common.Address, 0, len(txs))
	for _, t := range txs {
		s := t.Inclusion.Sender
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

// readAccounts reads each sender's account at the head (cached per head).
func (e *Engine) readAccounts(ctx context.Context, senders []common.Address, into map[common.Address]chainstate.Account) error {
	for _, s := range senders {
		a, err := e.state.Account(ctx, s)
		if err != nil {
			return fmt.Errorf("%w: read account %s: %w", ErrUnavailable, s, err)
		}
		if a.HasCode {
			return fmt.Errorf("%w: %s at block %d", ErrSenderHasCode, s, a.Block)
		}
		into[s] = a
	}
	return nil
}

// pendingOf returns a reserved, not yet persisted entry of one of the
// senders, if any. Called with mu held.
func (e *Engine) pendingOf(senders []common.Address) *entry {
	for _, s := range senders {
		for _, lt := range e.live[s] {
			if lt.e.state == reserved {
				return lt.e
			}
		}
	}
	return nil
}

// staleAccount reports whether an account was read at a head older than the
// one the templates were last re-checked against: acting on it could accept
// a nonce the re-check has already seen used. Called with mu held.
func (e *Engine) staleAccount(accounts map[common.Address]chainstate.Account) bool {
	for _, a := range accounts {
		if a.Block < e.headNumber {
			return true
		}
	}
	return false
}

// check applies the stacked rules to the request against the templates.
// Called with mu held; it changes nothing.
func (e *Engine) check(p *parsed, en *entry, accounts map[common.Address]chainstate.Account, tips, collateral *big.Int, headGasLimit uint64) error {
	type chain struct {
		next     uint64 // the next nonce the sender may be promised
		prevSlot uint64 // the slot of the promise holding next−1, if any
		cost     *big.Int
	}
	chains := make(map[common.Address]*chain, len(accounts))
	for s, a := range accounts {
		c := &chain{next: a.Nonce, cost: new(big.Int)}
		for _, lt := range e.live[s] {
			if lt.nonce < a.Nonce {
				continue // mined or spent; the next head's re-check drops the latter
			}
			if lt.nonce == c.next {
				c.next++
				c.prevSlot = lt.e.slot
				c.cost.Add(c.cost, lt.cost)
			}
		}
		chains[s] = c
	}
	for i, t := range p.txs {
		inc := &t.Inclusion
		s := inc.Sender
		if other := e.byNonce[nonceKey{inc.ChainID, s, inc.Nonce}]; other != nil {
			if !containsTx(other, inc.TxHash) {
				return fmt.Errorf("%w: transaction %d: nonce %d of %s is promised to another transaction (slot %d)", ErrConflict, i, inc.Nonce, s, other.slot)
			}
			if e.isLive(other) {
				return fmt.Errorf("%w: transaction %d (%s) is already promised for slot %d", ErrConflict, i, inc.TxHash, other.slot)
			}
		}
		if e.delegating[s] > 0 {
			return fmt.Errorf("%w: %s is the authority of a promised EIP-7702 authorization", ErrSenderHasCode, s)
		}
		c := chains[s]
		if inc.Nonce != c.next {
			return fmt.Errorf("%w: transaction %d: nonce %d, want %d for %s (account nonce %d plus promised)", ErrNonce, i, inc.Nonce, c.next, s, accounts[s].Nonce)
		}
		if c.next > accounts[s].Nonce && c.prevSlot > p.slot {
			return fmt.Errorf("%w: transaction %d: nonce %d of %s is promised for the later slot %d", ErrNonce, i, inc.Nonce-1, s, c.prevSlot)
		}
		c.cost.Add(c.cost, inc.MaxCost)
		if bal := accounts[s].Balance; c.cost.Cmp(bal) > 0 {
			return fmt.Errorf("%w: %s has %v wei, its promised transactions may cost %v", ErrBalance, s, bal, c.cost)
		}
		c.next++
		c.prevSlot = p.slot
		for _, a := range en.authTo {
			if len(e.live[a]) > 0 || chains[a] != nil {
				return fmt.Errorf("%w: transaction %d authorizes code for %s, which has promised transactions", ErrConflict, i, a)
			}
		}
	}
	t := e.templates[p.slot]
	var usedGas, usedBlobs uint64
	if t != nil {
		usedGas, usedBlobs = t.gas, t.blobs
	}
	budget := min(e.cfg.GasBudgetPerSlot, headGasLimit)
	if usedGas+en.gas > budget || usedGas+en.gas < usedGas {
		return fmt.Errorf("%w: %d gas asked, %d of %d left in slot %d", ErrSlotFull, en.gas, budget-min(usedGas, budget), budget, p.slot)
	}
	if usedBlobs+en.blobs > e.cfg.MaxBlobsPerSlot {
		return fmt.Errorf("%w: %d blobs asked, %d of %d left in slot %d", ErrSlotFull, en.blobs, e.cfg.MaxBlobsPerSlot-min(usedBlobs, e.cfg.MaxBlobsPerSlot), e.cfg.MaxBlobsPerSlot, p.slot)
	}
	floor := e.cfg.Pricing.Floor(usedGas, en.gas)
	if need := new(big.Int).Mul(floor, new(big.Int).SetUint64(en.gas)); tips.Cmp(need) < 0 {
		avg := new(big.Int).Quo(tips, new(big.Int).SetUint64(max(en.gas, 1)))
		return fmt.Errorf("%w: pays %v wei per gas (guaranteed at the projected base fee), the price is %v", ErrUnderpriced, avg, floor)
	}
	if total := new(big.Int).Add(e.exposure, en.slash); total.Cmp(collateral) > 0 {
		return fmt.Errorf("%w: %v wei promised plus %v would exceed the collateral %v", ErrExposure, e.exposure, en.slash, collateral)
	}
	return nil
}

func containsTx(en *entry, h common.Hash) bool {
	for _, t := range en.txs {
		if t.Inclusion.TxHash == h {
			return true
		}
	}
	return false
}

// signAndStore signs the reserved entry's promise and persists it; on any
// failure it releases the reservation.
func (e *Engine) signAndStore(en *entry) (*protocol.SignedCommitment, error) {
	sc, err := e.sign(en)
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
	if err := e.store.Put(rec); err != nil {
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
func (e *Engine) sign(en *entry) (*protocol.SignedCommitment, error) {
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
	sig, err := e.signer.SignPromise(p, e.domain)
	if err != nil {
		return nil, fmt.Errorf("sign promise: %w", err)
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
