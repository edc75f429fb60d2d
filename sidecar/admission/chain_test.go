package admission

import (
	"context"
	"math/big"
	"testing"
	"time"
)

// checkRuns compares every cached run with a fresh walk of its live list.
func (h *harness) checkRuns(step string) {
	h.t.Helper()
	h.eng.mu.Lock()
	defer h.eng.mu.Unlock()
	for s, r := range h.eng.runs {
		if len(h.eng.live[s]) == 0 {
			h.t.Fatalf("%s: run cached for %v, which has nothing live", step, s)
		}
		next, prev, cost := r.from, uint64(0), new(big.Int)
		for _, lt := range h.eng.live[s] {
			if lt.nonce == next {
				next, prev = next+1, lt.e.slot
				cost.Add(cost, lt.cost)
			}
		}
		if r.next != next || r.prevSlot != prev || r.cost.Cmp(cost) != 0 {
			h.t.Fatalf("%s: cached run of %v from %d = (next %d, slot %d, cost %v), a walk says (%d, %d, %v)",
				step, s.addr, r.from, r.next, r.prevSlot, r.cost, next, prev, cost)
		}
	}
	for s, l := range h.eng.pending {
		for _, en := range l {
			if en.state != reserved || !en.inLive {
				h.t.Fatalf("%s: %v has pending entry in state %d (live %v)", step, s.addr, en.state, en.inLive)
			}
		}
	}
}

// TestRunCacheFollowsTheChain drives a sender's chain through extension,
// a request between gaps, drops and retirement, and checks after each step
// that the cached run is what a walk of the live list gives.
func TestRunCacheFollowsTheChain(t *testing.T) {
	h := newHarness(t, 2)
	u, v := h.users[0], h.users[1]
	var raws [][]byte
	for n := range uint64(4) {
		raws = append(raws, h.tx(u, n, txOpts{}))
		h.mustAccept(h.l1(headSlot+2+n/2, raws[n]))
		h.checkRuns("stack")
	}
	u4 := h.tx(u, 4, txOpts{})
	h.mustAccept(h.req(3, headSlot+4, u4, h.tx(v, 0, txOpts{})))
	h.checkRuns("bundle")
	// A wrong nonce is refused from the cached run, and changes nothing.
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+4, h.tx(u, 7, txOpts{})))
	wantErr(t, err, ErrNonce)
	h.checkRuns("refused")
	// v spends its nonce 0 elsewhere: the bundle is dropped, which takes
	// u's nonce 4 out of its chain.
	h.sendOnChain(h.tx(v, 0, txOpts{value: big.NewInt(5)}))
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.checkRuns("bundle dropped")
	// The same tx alone may be promised again, and extends the run.
	h.mustAccept(h.l1(headSlot+4, u4))
	h.checkRuns("nonce 4 again")
	h.eng.mu.Lock()
	r := h.eng.runs[acctKey{h.chainID, addr(u)}]
	h.eng.mu.Unlock()
	if r == nil || r.next != 5 {
		t.Fatalf("run after nonce 4 = %+v, want next 5", r)
	}
	// Slot 102's block holds its promised txs and the head reaches it.
	h.sendOnChain(raws[0])
	h.sendOnChain(raws[1])
	h.passHead(26*time.Second, headSlot+3)
	h.checkRuns("retired")
	if hs := h.eng.headSlot; hs != headSlot+2 {
		t.Fatalf("head at slot %d, want %d", hs, headSlot+2)
	}
	h.mustAccept(h.l1(headSlot+4, h.tx(u, 5, txOpts{})))
	h.checkRuns("after retirement")
}
