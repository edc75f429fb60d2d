package admission

import (
	"context"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// benchUsers spreads the requests over enough senders that no two in flight
// stack on each other (requests i and i+benchUsers share a sender).
const benchUsers = 4096

// benchHarness is a harness whose one slot can take every request: a huge
// block gas limit and budget, a flat price, collateral for all.
func benchHarness(b *testing.B) *harness {
	b.Helper()
	h := newHarness(b, benchUsers,
		withBlockGasLimit(1<<40),
		withConfig(func(c *Config) {
			c.GasBudgetPerSlot = 1 << 40
			c.Pricing.FeeSlope = new(big.Int)
		}))
	h.collateral.set(new(big.Int).Mul(big.NewInt(1<<40), ether))
	// Warm the per-head account cache: the benchmark measures admission, not
	// the simulated EL's JSON-RPC (a sender's first request in each head pays
	// one round of account reads; see chainstate).
	for _, u := range h.users {
		if _, err := h.state.Account(context.Background(), addr(u)); err != nil {
			b.Fatal(err)
		}
	}
	return h
}

// presign makes n valid requests for slot 102: request i is sender i mod
// benchUsers with nonce i / benchUsers.
func presign(h *harness, n int) []protocol.CommitmentRequest {
	reqs := make([]protocol.CommitmentRequest, n)
	for i := range reqs {
		reqs[i] = h.l1(headSlot+2, h.tx(h.users[i%benchUsers], uint64(i/benchUsers), txOpts{}))
	}
	return reqs
}

// BenchmarkRequestValid is the whole hot path of a valid request: payload
// and tx decoding with sender recovery, the account read (from the per-head
// cache), the locked checks and reservation, commitment signing and the synced
// Pebble write.
func BenchmarkRequestValid(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		h := benchHarness(b)
		reqs := presign(h, b.N)
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := h.eng.Request(ctx, reqs[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel64", func(b *testing.B) {
		h := benchHarness(b)
		reqs := presign(h, b.N)
		ctx := context.Background()
		var next atomic.Int64
		var failed atomic.Value
		b.ReportAllocs()
		b.SetParallelism(64)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1) - 1
				if _, err := h.eng.Request(ctx, reqs[i]); err != nil {
					failed.CompareAndSwap(nil, err)
				}
			}
		})
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkRequestInvalid is the rejection path of a well-formed request with
// a wrong nonce: decoding and sender recovery, a cached account read, the
// locked check. Nothing is signed or written.
func BenchmarkRequestInvalid(b *testing.B) {
	run := func(b *testing.B, parallel bool) {
		h := benchHarness(b)
		reqs := make([]protocol.CommitmentRequest, 256)
		for i := range reqs {
			reqs[i] = h.l1(headSlot+2, h.tx(h.users[i], 7, txOpts{}))
		}
		ctx := context.Background()
		check := func(err error) {
			if !errors.Is(err, ErrNonce) {
				b.Fatalf("err = %v, want ErrNonce", err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		if !parallel {
			for i := range b.N {
				_, err := h.eng.Request(ctx, reqs[i%len(reqs)])
				check(err)
			}
			return
		}
		var next atomic.Int64
		b.SetParallelism(64)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, err := h.eng.Request(ctx, reqs[(next.Add(1)-1)%int64(len(reqs))])
				if !errors.Is(err, ErrNonce) {
					b.Errorf("err = %v, want ErrNonce", err)
					return
				}
			}
		})
	}
	b.Run("serial", func(b *testing.B) { run(b, false) })
	b.Run("parallel64", func(b *testing.B) { run(b, true) })
}

// l2PerSlot is how many L2 requests BenchmarkRequestL2Valid puts in one
// slot: about what one batch post carries (rollup.MaxPostData).
const l2PerSlot = 1000

// BenchmarkRequestL2Valid is the hot path of a valid L2 promise: decoding
// with the rollup's signer, the rollup account read (an in-memory fake
// standing for the L2 RPC's per-head cache), the locked checks including
// the post's size and gas, signing and the synced write. Requests fill
// slots of l2PerSlot each, as many as one post can carry.
//
//	go test ./sidecar/admission -run '^$' -bench RequestL2Valid -benchtime 5000x
func BenchmarkRequestL2Valid(b *testing.B) {
	h := newHarness(b, benchUsers, withPoster(), withBlockGasLimit(1<<40),
		withConfig(func(c *Config) {
			c.GasBudgetPerSlot = 1 << 40
			for id, r := range c.Rollups {
				r.GasBudgetPerSlot, r.BytesPerSlot = 1<<40, 124<<10
				c.Rollups[id] = r
			}
		}))
	h.collateral.set(new(big.Int).Mul(big.NewInt(1<<40), ether))
	reqs := make([]protocol.CommitmentRequest, b.N)
	for i := range reqs {
		slot := uint64(headSlot + 2 + i/l2PerSlot)
		if slot >= headSlot+5 {
			slot++ // headSlot+5 is not ours
		}
		reqs[i] = h.l2req(slot, h.l2tx(h.users[i%benchUsers], rollupA, uint64(i/benchUsers), txOpts{}))
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := h.eng.Request(ctx, reqs[i]); err != nil {
			b.Fatalf("request %d: %v", i, err)
		}
	}
}
