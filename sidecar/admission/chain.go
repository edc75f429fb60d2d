package admission

import (
	"math/big"
	"slices"
)

// An account's nonce chain: its live txs sorted by nonce (Engine.live), and
// what every request of the account reads of them kept so that reading costs
// O(1) in the number of txs it has stacked: the run of nonces that extends
// its account nonce (liveRun) and its entries still being persisted
// (Engine.pending).

// liveRun is the contiguous run of an account's live nonces from an account
// nonce: next = from + its length, cost = the sum of their max costs, and
// prevSlot = the slot of its last tx. A request appending the next nonce
// extends it in O(1); any other change to the live list drops it, and the
// next read recomputes it in one walk (once per head and account, as the
// account nonce moves with the head anyway).
type liveRun struct {
	from     uint64 // the account nonce it was computed for
	next     uint64
	prevSlot uint64 // 0 when the run is empty
	cost     *big.Int
	// above is the slot of the first live tx past the run (beyond a gap),
	// 0 when there is none.
	above uint64
}

// runOf returns the run of s's live nonces from the account nonce. The
// result is the cache's: callers copy cost before adding to it. Called with
// mu held.
func (e *Engine) runOf(s acctKey, accountNonce uint64) *liveRun {
	if r := e.runs[s]; r != nil && r.from == accountNonce {
		return r
	}
	r := &liveRun{from: accountNonce, next: accountNonce, cost: new(big.Int)}
	l := e.live[s]
	for _, lt := range l {
		if lt.nonce < accountNonce {
			continue // mined or spent; the next head's re-check drops the latter
		}
		if lt.nonce == r.next {
			r.next++
			r.prevSlot = lt.e.slot
			r.cost.Add(r.cost, lt.cost)
		}
	}
	if i, _ := liveSearch(l, r.next); i < len(l) {
		r.above = l[i].e.slot
	}
	if len(l) > 0 { // an account with nothing live costs nothing to walk
		e.runs[s] = r
	}
	return r
}

// liveSearch finds the first position of nonce in a live list sorted by nonce.
func liveSearch(l []*liveTx, nonce uint64) (int, bool) {
	return slices.BinarySearchFunc(l, nonce, func(x *liveTx, n uint64) int {
		switch {
		case x.nonce < n:
			return -1
		case x.nonce > n:
			return 1
		}
		return 0
	})
}

// addLive inserts a tx into its sender's live list, kept sorted by nonce,
// and keeps the sender's cached run right. Called with mu held.
func (e *Engine) addLive(sender acctKey, lt *liveTx) {
	l := e.live[sender]
	i, _ := liveSearch(l, lt.nonce)
	l = slices.Insert(l, i, lt)
	e.live[sender] = l
	r := e.runs[sender]
	switch {
	case r == nil:
	case lt.nonce < r.from:
		// Below the account nonce: the run ignores it.
	case lt.nonce == r.next && i == len(l)-1:
		// The request that was checked against the run: it extends it. No
		// higher nonce is live, so the run ends with it (above stays 0).
		r.next++
		r.prevSlot = lt.e.slot
		r.cost.Add(r.cost, lt.cost)
	default:
		delete(e.runs, sender)
	}
}

// removeLive takes an entry's txs out of their senders' live lists and
// releases its EIP-7702 authorities. Called with mu held.
func (e *Engine) removeLive(en *entry) {
	if !en.inLive {
		return
	}
	en.inLive = false
	e.removePending(en)
	for _, t := range en.txs {
		s := keyOf(&t.Inclusion)
		l := e.live[s]
		i, _ := liveSearch(l, t.Inclusion.Nonce)
		for ; i < len(l) && l[i].nonce == t.Inclusion.Nonce; i++ {
			if l[i].e == en {
				l = slices.Delete(l, i, i+1)
				break
			}
		}
		if len(l) == 0 {
			delete(e.live, s)
			delete(e.runs, s)
			continue
		}
		e.live[s] = l
		if r := e.runs[s]; r != nil && t.Inclusion.Nonce >= r.from {
			delete(e.runs, s)
		}
	}
	for _, a := range en.authTo {
		if e.delegating[a]--; e.delegating[a] <= 0 {
			delete(e.delegating, a)
		}
	}
}

// addPending records a reserved entry under each of its senders. Called
// with mu held.
func (e *Engine) addPending(en *entry) {
	if en.state != reserved {
		return
	}
	for _, t := range en.txs {
		s := keyOf(&t.Inclusion)
		if !slices.Contains(e.pending[s], en) {
			e.pending[s] = append(e.pending[s], en)
		}
	}
}

// removePending forgets a reserved entry once it commits or leaves the live
// lists. Called with mu held.
func (e *Engine) removePending(en *entry) {
	if en.state != reserved {
		return
	}
	for _, t := range en.txs {
		s := keyOf(&t.Inclusion)
		l := e.pending[s]
		if len(l) == 0 {
			continue
		}
		if l = slices.DeleteFunc(l, func(x *entry) bool { return x == en }); len(l) == 0 {
			delete(e.pending, s)
		} else {
			e.pending[s] = l
		}
	}
}
