package admission

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// Reasons a promised transaction leaves its template, as metric labels.
const (
	dropNonceUsed = "nonce_used"
	dropNonceGap  = "nonce_gap"
	dropBalance   = "balance"
	dropCode      = "sender_code"
)

// accountReaders bounds the concurrent account reads of a head re-check.
const accountReaders = 8

// OnHead re-checks every live template against the state at the current
// head: a promised tx whose nonce the account has already used (the user
// spent it elsewhere before our block), whose sender gained code, or whose
// sender can no longer pay for its promised txs is dropped from its template,
// with the reason recorded (log, metric, DroppedReason). Txs of the sender
// stacked on a dropped one go too: their nonce can no longer be reached.
// Promises of slots the head has reached stop counting for nonce stacking.
func (e *Engine) OnHead(ctx context.Context) error {
	head := e.state.Head()
	if head == nil {
		return fmt.Errorf("%w: no execution head yet", ErrUnavailable)
	}
	headSlot := e.duties.Clock().SlotAt(time.Unix(int64(head.Time), 0))
	e.mu.Lock()
	// Follow the head even backwards (a reorg to a shorter chain): requests
	// compare their account reads with it, and a number above the chain's
	// would make every read look stale.
	e.headNumber = head.Number.Uint64()
	e.headSlot = headSlot
	e.retire()
	// Only L1 senders are re-checked: an L2 promise is kept by posting the
	// tx, which nothing its sender does can prevent (lazy sequencing).
	senders := make([]common.Address, 0, len(e.live))
	for s := range e.live {
		if s.chain == e.cfg.L1ChainID {
			senders = append(senders, s.addr)
		}
	}
	e.mu.Unlock()

	accounts, err := e.readAll(ctx, senders)
	if err != nil {
		return err
	}
	stored, unread := e.readMissed(accounts)
	cc := &carryCtx{head: head, headSlot: headSlot, headGasLimit: head.GasLimit, stored: stored, unread: unread, baseFees: make(map[uint64]*big.Int)}
	// Senders in address order: carries compete for a slot's gas, and the
	// same state must give the same carries (after a restart too).
	slices.SortFunc(senders, func(a, b common.Address) int { return a.Cmp(b) })
	e.mu.Lock()
	// Carries are derived afresh at every head.
	e.clearCarries(slices.Collect(maps.Values(e.carriedInto)))
	// A drop can reach other senders through a bundle, so repeat until stable.
	for changed := true; changed; {
		changed = false
		e.clearCarries(cc.carried)
		cc.carried = cc.carried[:0]
		for _, s := range senders {
			a, ok := accounts[s]
			if ok && e.recheckSender(s, a, cc) {
				changed = true
			}
		}
	}
	e.announceCarries(cc.carried)
	e.mu.Unlock()
	e.trimPast()
	return nil
}

// trimChunk is how many entries trimPast trims per hold of the lock, so a
// slot of thousands of promises does not stall requests for milliseconds.
const trimChunk = 256

// trimPast trims the promises of the slots behind the head's slot to their
// minimal form (see trim). The head's own slot keeps its full templates for
// one more head: a late getPayload or a same-slot reorg may still read it.
func (e *Engine) trimPast() {
	var todo []*entry
	e.mu.Lock()
	for slot, t := range e.templates {
		if slot < e.headSlot && !t.trimmed {
			todo = append(todo, t.all...)
			t.trimmed, t.entries, t.all = true, nil, nil
		}
	}
	e.mu.Unlock()
	for len(todo) > 0 {
		n := min(trimChunk, len(todo))
		e.mu.Lock()
		for _, en := range todo[:n] {
			e.trim(en)
		}
		e.mu.Unlock()
		todo = todo[n:]
	}
}

// retire takes txs whose slot the head has reached out of the live nonce
// chains: from here the account nonce at the head tells whether they landed.
// Called with mu held.
func (e *Engine) retire() {
	var gone []*entry
	for _, l := range e.live {
		for _, lt := range l {
			if lt.e.slot <= e.headSlot {
				gone = append(gone, lt.e)
			}
		}
	}
	for _, en := range gone {
		e.removeLive(en)
	}
}

// readAll reads the accounts of senders with a few readers in parallel.
func (e *Engine) readAll(ctx context.Context, senders []common.Address) (map[common.Address]chainstate.Account, error) {
	out := make(map[common.Address]chainstate.Account, len(senders))
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
		next     = make(chan common.Address)
	)
	for range min(accountReaders, len(senders)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				a, err := e.state.Account(ctx, s)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%w: re-check templates: read account %s: %w", ErrUnavailable, s, err)
				} else if err == nil {
					out[s] = a
				}
				mu.Unlock()
			}
		}()
	}
	for _, s := range senders {
		next <- s
	}
	close(next)
	wg.Wait()
	return out, firstErr
}

// recheckSender walks the sender's live txs in nonce order and drops those
// the account state makes impossible. Nonces missing below a live tx are
// carried into its slot when they are our missed promises and the state
// allows (planCarry); else it and the txs above it are dropped. Called with
// mu held.
func (e *Engine) recheckSender(s common.Address, a chainstate.Account, cc *carryCtx) bool {
	expected := a.Nonce
	cost := new(big.Int)
	// prevSlot is the slot of the live tx holding expected−1 (none at the
	// account nonce): carried txs open their slot's block, so they may go
	// only into a slot after it, or they would run before a lower nonce.
	prevSlot, havePrev := uint64(0), false
	broken := false // a gap that could not be carried: nothing above it is reachable
	var drops []struct {
		en     *entry
		kind   string
		reason string
	}
	for _, lt := range e.live[acctKey{e.cfg.L1ChainID, s}] {
		var kind, reason string
		switch {
		case a.HasCode:
			kind, reason = dropCode, fmt.Sprintf("sender %s has code at block %d", s, a.Block)
		case lt.nonce < a.Nonce:
			kind, reason = dropNonceUsed, fmt.Sprintf("nonce %d of %s was used on chain before slot %d (account nonce %d at block %d)", lt.nonce, s, lt.e.slot, a.Nonce, a.Block)
		case lt.nonce > expected && !broken && expected != math.MaxUint64 && havePrev && prevSlot >= lt.e.slot:
			kind, reason = dropNonceGap, fmt.Sprintf("nonce %d of %s follows a dropped nonce %d, not carried: nonce %d is promised for slot %d, the carried txs would open slot %d before it",
				lt.nonce, s, expected, expected-1, prevSlot, lt.e.slot)
			broken = true
		case lt.nonce > expected && !broken && expected != math.MaxUint64:
			plan := e.planCarry(s, a, expected, lt, cost, cc)
			if plan.reason != "" {
				kind, reason = plan.kind, plan.reason
				broken = true
				break
			}
			e.addCarries(lt.e.slot, plan.txs, cc)
			cost.Add(cost, plan.cost)
			cost.Add(cost, lt.cost) // planCarry checked the balance covers it
			expected = lt.nonce + 1
			prevSlot, havePrev = lt.e.slot, true
			continue
		case lt.nonce != expected:
			kind, reason = dropNonceGap, fmt.Sprintf("nonce %d of %s follows a dropped nonce %d", lt.nonce, s, expected)
		default:
			cost.Add(cost, lt.cost)
			if cost.Cmp(a.Balance) > 0 {
				kind, reason = dropBalance, fmt.Sprintf("balance %v of %s at block %d no longer covers its promised txs up to nonce %d (%v)", a.Balance, s, a.Block, lt.nonce, cost)
				break
			}
			expected++
			prevSlot, havePrev = lt.e.slot, true
			continue
		}
		drops = append(drops, struct {
			en     *entry
			kind   string
			reason string
		}{lt.e, kind, reason})
		if kind == dropBalance {
			expected = math.MaxUint64 // everything after is unreachable
		}
	}
	for _, d := range drops {
		if d.en.dropped == "" {
			e.drop(d.en, d.reason)
			e.metrics.dropped.WithLabelValues(d.kind).Inc()
		}
	}
	return len(drops) > 0
}

// DroppedReason says why a promise left its template, if it did. Drops are
// kept in memory: after a restart the next head's re-check finds them again.
func (e *Engine) DroppedReason(requestHash common.Hash) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.byRequest[requestHash]
	if en == nil {
		d, ok := e.pastDrops[requestHash]
		return d.reason, ok
	}
	if en.dropped == "" {
		return "", false
	}
	return en.dropped, true
}

// Load reads every promise still inside its slash window back from the store
// into the templates, in the order they were persisted, and counts them in
// the exposure. Call it once, before serving requests.
func (e *Engine) Load(ctx context.Context) error {
	clock := e.duties.Clock()
	current := clock.SlotAt(e.now())
	from := uint64(0)
	if current > e.cfg.SlashWindow {
		from = current - e.cfg.SlashWindow
	}
	headSlot := current
	if current > 0 {
		headSlot = current - 1 // until a head says otherwise, the current slot's block is not in
	}
	if h := e.state.Head(); h != nil {
		headSlot = clock.SlotAt(time.Unix(int64(h.Time), 0))
	}
	e.mu.Lock()
	headSlot = max(e.headSlot, headSlot)
	e.mu.Unlock()
	var (
		loaded []*entry
		past   []pastPromise
	)
	err := e.store.Range(from, math.MaxUint64, func(rec *store.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if rec.Slot < headSlot {
			pp, err := e.pastFromRecord(rec)
			if err != nil {
				return err
			}
			past = append(past, pp)
			return nil
		}
		en, err := e.entryFromRecord(rec)
		if err != nil {
			return err
		}
		loaded = append(loaded, en)
		return nil
	})
	if err != nil {
		if errors.Is(err, store.ErrClosed) {
			return fmt.Errorf("%w: load promises: %w", ErrUnavailable, err)
		}
		return fmt.Errorf("load promises: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.headSlot = max(e.headSlot, headSlot)
	e.merge(past, loaded)
	e.log.Info().Int("promises", len(loaded)+len(past)).Uint64("from_slot", from).Msg("promises loaded")
	return nil
}

// merge puts stored promises into memory: past ones as trim leaves them,
// the others into their templates, skipping those already known (Load
// called twice, or a Sync). It returns how many it added. Called with mu
// held.
func (e *Engine) merge(past []pastPromise, loaded []*entry) int {
	for _, pp := range past {
		e.loadPast(pp)
	}
	n := 0
	for _, en := range loaded {
		if old := e.byRequest[en.hash]; old != nil {
			continue // already known
		}
		n++
		if t := e.templates[en.slot]; t != nil && t.trimmed {
			e.loadPast(pastOfEntry(en)) // trimmed since it was read
			continue
		}
		e.reserve(en)
		if en.slot <= e.headSlot {
			e.removeLive(en)
		}
		e.commit(en, en.signed, en.seq)
	}
	return n
}

// pastPromise is a stored promise whose slot the head has passed, as Load
// reads it: what a trimmed promise leaves in memory (see trim).
type pastPromise struct {
	hash  common.Hash
	slot  uint64
	slash *big.Int
	txs   []pastTx
}

// pastTx is one tx of a pastPromise: the nonce it claims and its hash.
type pastTx struct {
	key  nonceKey
	hash common.Hash
}

// pastFromRecord reads a stored promise whose slot the head has passed
// straight from the signed promise: its transactions are not decoded, since
// only the inclusions' nonces and hashes are kept.
func (e *Engine) pastFromRecord(rec *store.Record) (pastPromise, error) {
	p, err := rec.Commitment.Open(e.cfg.L1ChainID)
	if err != nil {
		return pastPromise{}, fmt.Errorf("%w: slot %d seq %d: %w", store.ErrCorrupt, rec.Slot, rec.Seq, err)
	}
	if len(rec.Txs) != len(p.Inclusions) || p.Slot != rec.Slot {
		return pastPromise{}, fmt.Errorf("%w: slot %d seq %d: %d txs for %d inclusions", store.ErrCorrupt, rec.Slot, rec.Seq, len(rec.Txs), len(p.Inclusions))
	}
	pp := pastPromise{hash: p.RequestHash, slot: p.Slot, slash: p.SlashAmount, txs: make([]pastTx, len(p.Inclusions))}
	for i, inc := range p.Inclusions {
		pp.txs[i] = pastTx{key: nonceKey{inc.ChainID, inc.Sender, inc.Nonce}, hash: inc.TxHash}
	}
	return pp, nil
}

// pastOfEntry is pastFromRecord for an entry already built in full form.
func pastOfEntry(en *entry) pastPromise {
	pp := pastPromise{hash: en.hash, slot: en.slot, slash: en.slash, txs: make([]pastTx, len(en.txs))}
	for i, t := range en.txs {
		inc := &t.Inclusion
		pp.txs[i] = pastTx{key: nonceKey{inc.ChainID, inc.Sender, inc.Nonce}, hash: inc.TxHash}
	}
	return pp
}

// closedDone is the done channel of committed entries: there is nothing to
// wait for.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// loadPast records a loaded promise of a passed slot as trim leaves one:
// its nonces in sold, its slash amount in its slot's and the exposure.
// Called with mu held.
func (e *Engine) loadPast(pp pastPromise) {
	if _, ok := e.byRequest[pp.hash]; ok {
		return // already known in full form (Load called twice)
	}
	// Load reads in slot order, so the tx already sold for this slot or a
	// later one means the promise is known (Load called twice): a tx has
	// at most one promise per slot.
	if s, ok := e.sold[pp.txs[0].key]; ok && s.hash == pp.txs[0].hash && s.slot >= pp.slot {
		return
	}
	for _, p := range pp.txs {
		e.markSold(p.key, p.hash, pp.slot)
	}
	t := e.template(pp.slot)
	t.trimmed, t.entries = true, nil
	t.promises++
	t.slash.Add(t.slash, pp.slash)
	e.exposure.Add(e.exposure, pp.slash)
}

// entryFromRecord rebuilds an entry from a stored promise. The transactions
// are decoded without recovering senders: the promise, signed by us, names
// them, and each tx's hash is checked against its inclusion.
func (e *Engine) entryFromRecord(rec *store.Record) (*entry, error) {
	sc := rec.Commitment
	p, err := sc.Open(e.cfg.L1ChainID)
	if err != nil {
		return nil, fmt.Errorf("%w: slot %d seq %d: %w", store.ErrCorrupt, rec.Slot, rec.Seq, err)
	}
	if len(rec.Txs) != len(p.Inclusions) || p.Slot != rec.Slot {
		return nil, fmt.Errorf("%w: slot %d seq %d: %d txs for %d inclusions", store.ErrCorrupt, rec.Slot, rec.Seq, len(rec.Txs), len(p.Inclusions))
	}
	en := &entry{hash: p.RequestHash, slot: p.Slot, done: make(chan struct{}), seq: rec.Seq,
		entryBody: &entryBody{ctype: p.CommitmentType, slash: p.SlashAmount, txs: make([]*protocol.Tx, len(rec.Txs)), signed: &sc}}
	for i, raw := range rec.Txs {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, fmt.Errorf("%w: slot %d seq %d tx %d: %w", store.ErrCorrupt, rec.Slot, rec.Seq, i, err)
		}
		if tx.Hash() != p.Inclusions[i].TxHash {
			return nil, fmt.Errorf("%w: slot %d seq %d tx %d: hash differs from the promise's", store.ErrCorrupt, rec.Slot, rec.Seq, i)
		}
		en.txs[i] = &protocol.Tx{Raw: raw, Tx: tx, Inclusion: p.Inclusions[i]}
		if chain := p.Inclusions[i].ChainID; chain != e.cfg.L1ChainID {
			// A rollup's promise is reloaded even if the rollup is no longer
			// configured: it was signed, so its tx is still posted.
			if en.l2 == nil {
				en.l2 = make(map[uint64]*l2Use, 1)
			}
			u := en.l2[chain]
			if u == nil {
				u = &l2Use{}
				en.l2[chain] = u
			}
			u.gas += tx.Gas()
			u.bytes += uint64(len(raw))
			u.txs++
			continue
		}
		en.gas += tx.Gas()
		en.blobs += uint64(len(tx.BlobHashes()))
		for _, auth := range tx.SetCodeAuthorizations() {
			if a, err := auth.Authority(); err == nil {
				en.authTo = append(en.authTo, acctKey{e.cfg.L1ChainID, a})
			}
		}
	}
	return en, nil
}

// pruneChunk is how many sold nonces Prune forgets per hold of the lock.
const pruneChunk = 4096

// Prune forgets the promises whose slash window is over, in the store and in
// memory, and releases their exposure. It returns how many it pruned.
func (e *Engine) Prune(ctx context.Context) (int, error) {
	return e.prune(ctx, noLimit)
}

func (e *Engine) prune(ctx context.Context, limit uint64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	current := e.duties.Clock().SlotAt(e.now())
	if current <= e.cfg.SlashWindow {
		return 0, nil
	}
	before := min(current-e.cfg.SlashWindow, limit)
	if before == 0 {
		return 0, nil
	}
	// The nonces of trimmed promises are kept in no per-slot list, which
	// would cost memory per promise: the store has the promises by slot, so
	// they are read back from it before it deletes them.
	keys, scanAll, err := e.soldBefore(ctx, before)
	if err != nil {
		return 0, err
	}
	n, err := e.store.Prune(before)
	if err != nil {
		return 0, fmt.Errorf("%w: prune promises: %w", ErrUnavailable, err)
	}
	e.mu.Lock()
	// Every committed entry in full form is in its slot's all list; reserved
	// ones are not, and stay until they commit or fail.
	for slot, t := range e.templates {
		if slot >= before {
			continue
		}
		for _, en := range t.all {
			if e.byRequest[en.hash] == en {
				delete(e.byRequest, en.hash)
			}
			for _, tx := range en.txs {
				inc := &tx.Inclusion
				if k := (nonceKey{inc.ChainID, inc.Sender, inc.Nonce}); e.byNonce[k] == en {
					delete(e.byNonce, k)
				}
			}
			e.removeLive(en)
		}
		e.exposure.Sub(e.exposure, t.slash)
		delete(e.templates, slot)
	}
	for h, d := range e.pastDrops {
		if d.slot < before {
			delete(e.pastDrops, h)
		}
	}
	if scanAll {
		for k, s := range e.sold {
			if s.slot < before {
				delete(e.sold, k)
			}
		}
	}
	e.mu.Unlock()
	for len(keys) > 0 {
		c := min(pruneChunk, len(keys))
		e.mu.Lock()
		for _, k := range keys[:c] {
			// A nonce sold again for a later slot (the same tx) stays.
			if s, ok := e.sold[k]; ok && s.slot < before {
				delete(e.sold, k)
			}
		}
		e.mu.Unlock()
		keys = keys[c:]
	}
	return n, nil
}

// soldBefore reads from the store the nonces claimed by the promises of the
// slots before `before`, when a trimmed slot is among them. scanAll is set
// when a stored promise does not open, so its nonces are not known.
func (e *Engine) soldBefore(ctx context.Context, before uint64) (keys []nonceKey, scanAll bool, err error) {
	e.mu.Lock()
	need := false
	for slot, t := range e.templates {
		if slot < before && t.trimmed {
			need = true
			break
		}
	}
	e.mu.Unlock()
	if !need {
		return nil, false, nil
	}
	err = e.store.Range(0, before, func(rec *store.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := rec.Commitment.Open(e.cfg.L1ChainID)
		if err != nil {
			scanAll = true
			return nil
		}
		for _, inc := range p.Inclusions {
			keys = append(keys, nonceKey{inc.ChainID, inc.Sender, inc.Nonce})
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("%w: read the promises to prune: %w", ErrUnavailable, err)
	}
	return keys, scanAll, nil
}
