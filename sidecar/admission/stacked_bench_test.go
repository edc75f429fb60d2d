package admission

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
)

// stackedHarness is a bench harness whose first user has `stacked` promised
// txs in slot headSlot+2.
func stackedHarness(b *testing.B, stacked int) (*harness, *ecdsa.PrivateKey) {
	b.Helper()
	h := benchHarness(b)
	u := h.users[0]
	for n := range stacked {
		if _, err := h.eng.Request(context.Background(), h.l1(headSlot+2, h.tx(u, uint64(n), txOpts{}))); err != nil {
			b.Fatalf("stack nonce %d: %v", n, err)
		}
	}
	return h, u
}

// BenchmarkRequestStacked is a valid request of a sender that already has
// `stacked` promised txs: its cost should not grow with them (the nonce
// chain is read from the cached run, the pending entries from their own
// list). Each iteration stacks one more, in the slot after the stacked ones
// (one slot holds at most MaxPromisesPerSlot), so run it with a fixed count
// of at most MaxPromisesPerSlot:
//
//	go test ./sidecar/admission -run '^$' -bench RequestStacked -benchtime 1000x
func BenchmarkRequestStacked(b *testing.B) {
	for _, stacked := range []int{0, 500, 2000} {
		b.Run(fmt.Sprintf("stacked=%d", stacked), func(b *testing.B) {
			h, u := stackedHarness(b, stacked)
			ctx := context.Background()
			reqs := make([][]byte, b.N)
			for i := range reqs {
				reqs[i] = h.tx(u, uint64(stacked+i), txOpts{})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := h.eng.Request(ctx, h.l1(headSlot+3, reqs[i])); err != nil {
					b.Fatalf("request %d: %v", i, err)
				}
			}
		})
	}
}

// BenchmarkCheckStacked is the part of a request done under the engine lock
// (the pending lookup and the stacked rules) for a sender with `stacked`
// promised txs: what every other request waits for.
//
//	go test ./sidecar/admission -run '^$' -bench CheckStacked
func BenchmarkCheckStacked(b *testing.B) {
	for _, stacked := range []int{0, 500, 2000} {
		b.Run(fmt.Sprintf("stacked=%d", stacked), func(b *testing.B) {
			h, u := stackedHarness(b, stacked)
			ctx := context.Background()
			r := h.l1(headSlot+2, h.tx(u, uint64(stacked), txOpts{}))
			pl, err := h.eng.parsePayload(r)
			if err != nil {
				b.Fatal(err)
			}
			p, err := h.eng.decodeTxs(r.CommitmentType, pl, r.RequestHash())
			if err != nil {
				b.Fatal(err)
			}
			senders := distinctSenders(p.txs)
			accounts := make(map[acctKey]chainstate.Account, 1)
			if err := h.eng.readAccounts(ctx, senders, accounts); err != nil {
				b.Fatal(err)
			}
			inc := &p.txs[0].Inclusion
			en := &entry{hash: p.hash, slot: p.slot, entryBody: &entryBody{txs: p.txs, gas: inc.GasLimit,
				slash: h.eng.cfg.Slash.Amount(inc.MaxCost)}}
			tips := map[uint64]*big.Int{h.chainID: new(big.Int).Mul(big.NewInt(int64(inc.GasLimit)), new(big.Int).Mul(big.NewInt(3), gwei))}
			collateral := new(big.Int).Mul(big.NewInt(1<<40), ether)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				h.eng.mu.Lock()
				if h.eng.pendingOf(senders) != nil {
					b.Fatal("a pending entry after every request returned")
				}
				err := h.eng.check(p, en, accounts, tips, collateral, 1<<40)
				h.eng.mu.Unlock()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
