package postgres

import (
	"context"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/internal/pgtest"
	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/storetest"
)

func claimsOf(rec *store.Record, nonce, accountNonce, head uint64) *store.Claims {
	return &store.Claims{
		Nonces: []store.NonceClaim{{Chain: 7, Sender: common.Address{0xaa}, Nonce: nonce,
			TxHash: common.BytesToHash(rec.Txs[0]), AccountNonce: accountNonce}},
		HeadSlot: head, Use: store.SlotUse{Gas: 21_000, Promises: 1}, Slash: big.NewInt(10),
	}
}

// The database's own rules, each refusing with its sentinel and writing
// nothing.
func TestCommitClaimedRules(t *testing.T) {
	t.Parallel()
	s := open(t, pgtest.DSN(t))
	defer s.Close()
	ctx := context.Background()
	commit := func(rec *store.Record, c *store.Claims) error {
		_, err := s.CommitClaimed(ctx, rec, c)
		return err
	}
	a := storetest.Record(t, 10, 1)
	if err := commit(a, claimsOf(a, 5, 5, 8)); err != nil {
		t.Fatal(err)
	}
	// Another tx for nonce 5: sold.
	b := storetest.Record(t, 11, 2)
	if err := commit(b, claimsOf(b, 5, 5, 8)); !errors.Is(err, store.ErrNonceSold) {
		t.Fatalf("second tx for a nonce: %v", err)
	}
	// The same tx again while slot 10 is ahead of the head: sold.
	a2 := storetest.Record(t, 12, 3)
	a2.Txs = a.Txs
	if err := commit(a2, claimsOf(a2, 5, 5, 9)); !errors.Is(err, store.ErrNonceSold) {
		t.Fatalf("same tx for a later slot while live: %v", err)
	}
	// ... and once the head passed slot 10 (a missed promise): allowed.
	if err := commit(a2, claimsOf(a2, 5, 5, 10)); err != nil {
		t.Fatalf("same tx again after its slot passed: %v", err)
	}
	// Nonce 7 with nonce 6 promised nowhere: a gap.
	c := storetest.Record(t, 13, 4)
	if err := commit(c, claimsOf(c, 7, 5, 10)); !errors.Is(err, store.ErrNonceGap) {
		t.Fatalf("nonce gap: %v", err)
	}
	// Nonce 6 for a slot before nonce 5's: a gap at that slot.
	d := storetest.Record(t, 9, 5)
	if err := commit(d, claimsOf(d, 6, 5, 8)); !errors.Is(err, store.ErrNonceGap) {
		t.Fatalf("nonce stacked before its predecessor's slot: %v", err)
	}
	// Fits sees the slot's room and the exposure, and its refusal stands.
	e := storetest.Record(t, 10, 6)
	ce := claimsOf(e, 0, 0, 8)
	ce.Nonces[0].Sender = common.Address{0xbb}
	var seen store.SlotUse
	var exp *big.Int
	refuse := errors.New("full")
	ce.Fits = func(u store.SlotUse, x *big.Int) error { seen, exp = u, x; return refuse }
	if err := commit(e, ce); !errors.Is(err, refuse) {
		t.Fatalf("Fits refusal: %v", err)
	}
	if seen.Gas != 21_000 || seen.Promises != 1 || exp.Int64() != 20 {
		t.Fatalf("Fits saw %+v and exposure %v, want slot 10's one promise and 20 wei", seen, exp)
	}
	n := 0
	if err := s.Range(0, 100, func(*store.Record) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("%d records stored (%v), want 2", n, err)
	}
	// The same request again returns the stored promise, writing nothing.
	got, err := s.CommitClaimed(ctx, a, claimsOf(a, 5, 5, 8))
	if err != nil || got.Seq != a.Seq && got.Slot != 10 {
		t.Fatalf("replay: %+v, %v", got, err)
	}
	// Sealed slots take nothing.
	if err := s.Seal(ctx, 20); err != nil {
		t.Fatal(err)
	}
	f := storetest.Record(t, 19, 7)
	cf := claimsOf(f, 0, 0, 8)
	cf.Nonces[0].Sender = common.Address{0xcc}
	if err := commit(f, cf); !errors.Is(err, store.ErrSealed) {
		t.Fatalf("sealed slot: %v", err)
	}
	// Prune frees the slot room and the exposure.
	if _, err := s.Prune(11); err != nil {
		t.Fatal(err)
	}
	g := storetest.Record(t, 30, 8)
	cg := claimsOf(g, 0, 0, 8)
	cg.Nonces[0].Sender = common.Address{0xdd}
	cg.Fits = func(u store.SlotUse, x *big.Int) error { exp = x; return nil }
	if err := commit(g, cg); err != nil || exp.Int64() != 10 {
		t.Fatalf("after prune: exposure %v, %v; want slot 12's 10 wei", exp, err)
	}
}

// BenchmarkCommitClaimed: one sidecar's decision and synced commit, one
// writer at a time and 64 at once (the operator row serializes them).
func BenchmarkCommitClaimed(b *testing.B) {
	for _, par := range []int{1, 32} {
		b.Run(map[int]string{1: "serial", 32: "64writers"}[par], func(b *testing.B) {
			s := open(b, pgtest.DSN(b))
			defer s.Close()
			recs := make([]*store.Record, 256)
			for i := range recs {
				recs[i] = storetest.Record(b, 1, i)
			}
			var n atomic.Uint64
			b.ReportAllocs()
			b.SetParallelism(par)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					rec := *recs[i%256]
					rec.Commitment.Commitment.RequestHash = common.Hash{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}
					c := claimsOf(&rec, 0, 0, 0)
					c.Nonces[0].Sender = common.Address{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}
					if _, err := s.CommitClaimed(context.Background(), &rec, c); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
