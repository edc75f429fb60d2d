package stack

import (
	"fmt"
	"io"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// Promise is one promise the traffic generator got, with what became of it.
type Promise struct {
	Slot uint64
	// ChainID is the L1's for an L1 transfer, the rollup's for an L2 one.
	ChainID    uint64
	L2         bool
	TxHash     common.Hash
	Digest     common.Hash
	Commitment *protocol.SignedCommitment
	// Landed: the L1 tx is in the slot's block, or the L2 tx has a receipt
	// on its rollup node.
	Landed bool
	// State is the watcher's judgement (kept, slashed…), when it has one.
	State watcher.State
}

// tracker holds the promises by slot and what the slot driver saw, shared
// by the generator, the proposer hook and the reporter.
type tracker struct {
	mu       sync.Mutex
	bySlot   map[uint64][]*Promise
	byDigest map[common.Hash]*Promise
	refused  map[uint64]int
	// fallbacks is the builder proxy's count of fallback blocks delivered,
	// read at the start of each slot: a slot whose next slot starts with a
	// higher count got the fallback block.
	fallbacks map[uint64]float64
	// offered are the rollups the sidecar sold L2 inclusion for.
	offered map[uint64]bool
}

func newTracker() *tracker {
	return &tracker{
		bySlot:    map[uint64][]*Promise{},
		byDigest:  map[common.Hash]*Promise{},
		refused:   map[uint64]int{},
		fallbacks: map[uint64]float64{},
		offered:   map[uint64]bool{},
	}
}

func (t *tracker) add(p *Promise) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.byDigest[p.Digest]; ok {
		return // the same request again gives the same promise
	}
	t.bySlot[p.Slot] = append(t.bySlot[p.Slot], p)
	t.byDigest[p.Digest] = p
}

func (t *tracker) offer(chain uint64) {
	t.mu.Lock()
	t.offered[chain] = true
	t.mu.Unlock()
}

func (t *tracker) isOffered(chain uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offered[chain]
}

func (t *tracker) refuse(slot uint64) {
	t.mu.Lock()
	t.refused[slot]++
	t.mu.Unlock()
}

// promises returns copies of the slot's promises.
func (t *tracker) promises(slot uint64) []Promise {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Promise, len(t.bySlot[slot]))
	for i, p := range t.bySlot[slot] {
		out[i] = *p
	}
	return out
}

func (t *tracker) refusedIn(slot uint64) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refused[slot]
}

func (t *tracker) byHash(d common.Hash) (Promise, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.byDigest[d]
	if !ok {
		return Promise{}, false
	}
	return *p, true
}

func (t *tracker) setLanded(d common.Hash, landed bool) {
	t.mu.Lock()
	if p, ok := t.byDigest[d]; ok {
		p.Landed = landed
	}
	t.mu.Unlock()
}

func (t *tracker) setState(d common.Hash, st watcher.State) {
	t.mu.Lock()
	if p, ok := t.byDigest[d]; ok {
		p.State = st
	}
	t.mu.Unlock()
}

// all returns copies of every promise.
func (t *tracker) all() []Promise {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Promise, 0, len(t.byDigest))
	for _, p := range t.byDigest {
		out = append(out, *p)
	}
	return out
}

// promisedIn is the faulty proposer's drop rule for slot: every
// transaction promised in it (the L1 transfers and the batch post never
// reach the pool, but a user may also have sent theirs there).
func (t *tracker) promisedIn(slot uint64) func(*types.Transaction) bool {
	return func(tx *types.Transaction) bool {
		t.mu.Lock()
		defer t.mu.Unlock()
		for _, p := range t.bySlot[slot] {
			if p.TxHash == tx.Hash() {
				return true
			}
		}
		return false
	}
}

func (t *tracker) noteSlotStart(slot uint64, fallbacks float64) {
	t.mu.Lock()
	t.fallbacks[slot] = fallbacks
	t.mu.Unlock()
}

// fallbackCounts returns the proxy's fallback count at the start of slot
// and of the next slot, when both are known.
func (t *tracker) fallbackCounts(slot uint64) (at, next float64, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok1 := t.fallbacks[slot]
	next, ok2 := t.fallbacks[slot+1]
	return at, next, ok1 && ok2
}

// printer writes whole lines to Out from several goroutines.
type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) linef(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}
