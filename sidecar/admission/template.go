package admission

import (
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// entryState is where a promise is in its life.
type entryState uint8

const (
	// reserved: room taken under the lock; not yet signed and persisted.
	reserved entryState = iota
	// committed: signed and persisted, in its slot's template.
	committed
	// failed: persistence failed; the reservation was released.
	failed
)

// entry is one promise (one request) in full form, from reservation until
// its slot is behind the head. What only a promise whose slot is still
// ahead needs sits in its body, which trim drops; trim also takes the entry
// out of every index, leaving of it only a soldTx per nonce (see Engine.sold).
type entry struct {
	*entryBody // nil once trimmed
	hash       common.Hash
	slot       uint64

	// Fields below are guarded by Engine.mu.
	state   entryState
	inLive  bool   // its txs are in the senders' live lists
	trimmed bool   // the body is gone; see trim
	dropped string // why it left the template; "" while it is in
	seq     uint64
	err     error
	// done is closed once the entry is committed or failed; requests that
	// depend on it (same request hash, same sender) wait for it.
	done chan struct{}
}

// entryBody is what an entry holds until its slot is behind the head.
type entryBody struct {
	ctype  uint64
	txs    []*protocol.Tx
	gas    uint64 // L1 gas
	blobs  uint64
	slash  *big.Int
	authTo []acctKey // EIP-7702 authorities of its type-4 L1 txs
	// l2 is what the promise takes of each rollup's slot budget.
	l2 map[uint64]*l2Use
	// signed is set on commit (guarded by Engine.mu).
	signed *protocol.SignedCommitment
}

// soldTx is what the engine keeps of a promised tx once its promise is
// trimmed, under the nonce it claims: the tx and the slot it was promised
// for. It holds no pointer, so a map of them costs the GC nothing to scan.
type soldTx struct {
	hash common.Hash
	slot uint64
}

// pastDrop is why a trimmed promise had left its template (DroppedReason).
type pastDrop struct {
	slot   uint64
	reason string
}

// nonceKey names a nonce: two promises for one key with different tx hashes
// are equivocation (docs/protocol.md §9.4).
type nonceKey struct {
	chain  uint64
	sender common.Address
	nonce  uint64
}

// acctKey names an account on one chain.
type acctKey struct {
	chain uint64
	addr  common.Address
}

func keyOf(inc *protocol.Inclusion) acctKey { return acctKey{inc.ChainID, inc.Sender} }

// l2Use is L2 room in a slot: the rollup's gas, the bytes and count of its
// transactions (call data of the slot's post).
type l2Use struct {
	gas, bytes, txs uint64
}

// liveTx is a promised tx whose slot's block has not been seen yet: it counts
// for its sender's nonce stacking and balance.
type liveTx struct {
	e     *entry
	nonce uint64
	cost  *big.Int
}

// template is one slot's promised transactions.
type template struct {
	// entries are the committed, not dropped promises in persistence order.
	entries []*entry
	// gas, blobs count reserved and committed promises not dropped.
	gas, blobs uint64
	// slash sums the slash amounts of every promise of the slot, dropped
	// ones included: a signed promise stays a liability until its window ends.
	slash *big.Int
	// all are the committed promises in persistence order, dropped ones
	// included: a dropped bundle's L2 transactions are still posted, since
	// posting them is always possible and is the whole of their promise.
	// Emptied when the slot is trimmed.
	all []*entry
	// l2 counts each rollup's room taken by reserved and committed promises,
	// dropped ones included (their L2 txs are still posted).
	l2 map[uint64]*l2Use
	// l2MaxTx is the longest L2 tx ever reserved in the slot: the post's
	// gas bound depends on it. It never shrinks, which only over-reserves.
	l2MaxTx int
	// carried are missed promised txs of earlier slots that go at the top
	// of this slot's block, ahead of the promises stacked on them (see
	// carry.go); set by each head's re-check. carriedGas and carriedBlobs
	// count them against the slot's room.
	carried                  []carriedTx
	carriedGas, carriedBlobs uint64
	// trimmed: the head is past the slot, so its promises are cut to their
	// minimal form (entries and all are emptied; see trim). A promise
	// committed after this is trimmed as it commits; the slot takes no new
	// reservation. Its promises are read from the store (replays, Result).
	trimmed bool
	// promises counts the slot's promises, reserved and committed, dropped
	// ones included: each is a leaf of the slot's ledger.
	promises int
	// inflight counts the reservations not yet committed or failed; settled,
	// when SealThrough waits, is closed as inflight reaches 0.
	inflight int
	settled  chan struct{}
}

// settle counts one reservation of the slot as committed or failed.
func (t *template) settle() {
	if t.inflight > 0 {
		t.inflight--
	}
	if t.inflight == 0 && t.settled != nil {
		close(t.settled)
		t.settled = nil
	}
}

func (e *Engine) template(slot uint64) *template {
	t := e.templates[slot]
	if t == nil {
		t = &template{slash: new(big.Int), l2: make(map[uint64]*l2Use)}
		e.templates[slot] = t
	}
	return t
}

// isLive reports whether an entry's slot is still ahead of the head.
func (e *Engine) isLive(en *entry) bool { return en.slot > e.headSlot && en.dropped == "" }

// reserve records a validated entry: its nonces, its room in the slot and
// its exposure. Called with mu held.
func (e *Engine) reserve(en *entry) {
	e.byRequest[en.hash] = en
	for _, t := range en.txs {
		inc := &t.Inclusion
		k := nonceKey{inc.ChainID, inc.Sender, inc.Nonce}
		if prev := e.byNonce[k]; prev != nil && prev != en && prev.state == committed {
			// The same tx promised again for a later slot (check refuses any
			// other tx): keep the earlier promise's nonce sold, or a failed
			// persist of this one (unreserve) would forget it and let another
			// tx be promised for the nonce, an equivocation (§9.4).
			e.markSold(k, inc.TxHash, prev.slot)
		}
		e.byNonce[k] = en
		e.uncarry(inc.TxHash)
		e.addLive(keyOf(inc), &liveTx{e: en, nonce: inc.Nonce, cost: inc.MaxCost})
	}
	en.inLive = true
	e.addPending(en)
	for _, a := range en.authTo {
		e.delegating[a]++
	}
	t := e.template(en.slot)
	t.gas += en.gas
	t.blobs += en.blobs
	for chain, u := range en.l2 {
		tu := t.l2[chain]
		if tu == nil {
			tu = &l2Use{}
			t.l2[chain] = tu
		}
		tu.gas += u.gas
		tu.bytes += u.bytes
		tu.txs += u.txs
	}
	for _, tx := range en.txs {
		if _, ok := en.l2[tx.Inclusion.ChainID]; ok {
			t.l2MaxTx = max(t.l2MaxTx, len(tx.Raw))
		}
	}
	t.slash.Add(t.slash, en.slash)
	t.promises++
	t.inflight++
	e.exposure.Add(e.exposure, en.slash)
}

// unreserve undoes reserve after a failed persist. Called with mu held.
func (e *Engine) unreserve(en *entry, err error) {
	delete(e.byRequest, en.hash)
	for _, t := range en.txs {
		inc := &t.Inclusion
		k := nonceKey{inc.ChainID, inc.Sender, inc.Nonce}
		if e.byNonce[k] == en {
			delete(e.byNonce, k)
		}
	}
	e.removeLive(en)
	if en.dropped == "" {
		t := e.template(en.slot)
		t.gas -= en.gas
		t.blobs -= en.blobs
	}
	t := e.template(en.slot)
	t.slash.Sub(t.slash, en.slash)
	for chain, u := range en.l2 {
		if tu := t.l2[chain]; tu != nil {
			tu.gas -= u.gas
			tu.bytes -= u.bytes
			if tu.txs -= u.txs; tu.txs == 0 {
				delete(t.l2, chain)
			}
		}
	}
	e.exposure.Sub(e.exposure, en.slash)
	t.promises--
	t.settle()
	en.state, en.err = failed, err
	close(en.done)
}

// commit puts a persisted entry into its slot's template. Called with mu held.
func (e *Engine) commit(en *entry, sc *protocol.SignedCommitment, seq uint64) {
	e.removePending(en)
	en.state, en.signed, en.seq = committed, sc, seq
	// The decoded txs served the checks; from here on the raw bytes and
	// the inclusions are all anyone reads.
	for _, tx := range en.txs {
		tx.Tx = nil
	}
	t := e.template(en.slot)
	t.settle()
	close(en.done)
	// Waiters hold the channel they read under mu; later readers need only
	// a closed one, so the entry's own (96 B) can go now.
	en.done = closedDone
	if t.trimmed {
		// Persisted after the head passed its slot: waiters read the
		// promise from the store (see wait).
		e.trim(en)
		return
	}
	if en.dropped == "" {
		e.insertTemplate(en)
	}
	t.all = insertBySeq(t.all, en)
}

// trim cuts a committed entry of a slot the head has passed to what the
// engine still needs of it until Prune: for each tx, the nonce it claims
// with the tx hash and the slot (e.sold: the sold-nonce rule), and, if it
// was dropped, why (DroppedReason). Its slash amount stays counted in its
// template's slash and in the exposure. The entry itself leaves byRequest
// and byNonce and becomes garbage: replays and Result read the promise from
// the store, which has it by request hash. Called with mu held.
func (e *Engine) trim(en *entry) {
	if en.trimmed || en.state != committed {
		return
	}
	e.removeLive(en)
	if e.byRequest[en.hash] == en {
		delete(e.byRequest, en.hash)
	}
	for _, t := range en.txs {
		inc := &t.Inclusion
		k := nonceKey{inc.ChainID, inc.Sender, inc.Nonce}
		if e.byNonce[k] == en {
			delete(e.byNonce, k)
		}
		e.markSold(k, inc.TxHash, en.slot)
	}
	if en.dropped != "" {
		e.pastDrops[en.hash] = pastDrop{slot: en.slot, reason: en.dropped}
	}
	en.entryBody = nil
	en.done = closedDone // the closed one it had is garbage now
	en.trimmed = true
}

// markSold records that nonce k was promised to tx h for slot. A nonce
// promised twice (the same tx, for a later slot after the first passed)
// keeps the later slot, so Prune frees it only when both windows are over.
// Called with mu held.
func (e *Engine) markSold(k nonceKey, h common.Hash, slot uint64) {
	if s, ok := e.sold[k]; !ok || s.slot <= slot {
		e.sold[k] = soldTx{hash: h, slot: slot}
	}
}

// insertTemplate places a committed entry by persistence sequence, which is
// the order Load reads them back in.
func (e *Engine) insertTemplate(en *entry) {
	t := e.template(en.slot)
	t.entries = insertBySeq(t.entries, en)
}

// insertBySeq inserts en into l, kept sorted by persistence sequence.
func insertBySeq(l []*entry, en *entry) []*entry {
	i, _ := slices.BinarySearchFunc(l, en.seq, func(x *entry, s uint64) int {
		switch {
		case x.seq < s:
			return -1
		case x.seq > s:
			return 1
		}
		return 0
	})
	return slices.Insert(l, i, en)
}

// drop takes an entry out of its template and its senders' nonce chains, and
// records why. Its nonces stay claimed (byNonce) and its slash amount stays
// in the exposure: the signed promise exists until its window ends. Called
// with mu held.
func (e *Engine) drop(en *entry, reason string) {
	if en.dropped != "" {
		return
	}
	e.removeLive(en)
	en.dropped = reason
	t := e.template(en.slot)
	t.gas -= en.gas
	t.blobs -= en.blobs
	t.entries = slices.DeleteFunc(t.entries, func(x *entry) bool { return x == en })
	e.log.Warn().Uint64("slot", en.slot).Str("commitment", en.hash.Hex()).Str("reason", reason).Msg("promised transaction dropped from the template")
}
