// Package storetest is the conformance suite every promise store passes:
// the embedded Pebble store (sidecar/store) and the PostgreSQL one
// (sidecar/store/postgres) run the same assertions.
package storetest

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// Store is what the suite checks.
type Store interface {
	Put(rec *store.Record) error
	ByRequest(h common.Hash) (*store.Record, error)
	Range(from, to uint64, fn func(*store.Record) error) error
	Slots(from, to uint64) ([]uint64, error)
	Prune(before uint64) (int, error)
	Close() error
}

// Harness opens stores of one implementation.
type Harness struct {
	// Open returns a new, empty store and a function that closes it and
	// opens the same data again.
	Open func(t *testing.T) (Store, func() Store)
	// Corrupt writes, behind the store's back, a record of slot that does
	// not decode.
	Corrupt func(t *testing.T, s Store, slot uint64)
}

var (
	// Domain is the signing domain of the suite's promises.
	Domain = protocol.Domain{ChainID: 7, Slasher: common.Address{0x51}}
	signer = mustKey()
)

func mustKey() *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		panic(err)
	}
	return k
}

// Committer is the address that signs the suite's promises.
func Committer() common.Address { return crypto.PubkeyToAddress(signer.PublicKey) }

// Record builds a real signed promise for slot with a distinct tx hash n.
func Record(t testing.TB, slot uint64, n int) *store.Record {
	t.Helper()
	txHash := crypto.Keccak256Hash([]byte(fmt.Sprint(slot, n)))
	p := &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion,
		Operator:       common.Address{0x0c},
		Slot:           slot,
		Inclusions: []protocol.Inclusion{{
			ChainID: Domain.ChainID, TxHash: txHash, Sender: common.Address{byte(n), byte(n >> 8)}, Nonce: uint64(n),
			MaxFeePerGas: big.NewInt(1), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(21000),
		}},
		SlashAmount: big.NewInt(1e15),
		RequestHash: crypto.Keccak256Hash([]byte("request"), txHash[:]),
	}
	sc, err := protocol.NewSignedCommitment(p, Domain, signer)
	if err != nil {
		t.Fatal(err)
	}
	return &store.Record{Slot: slot, Commitment: *sc, Txs: [][]byte{{0x02, byte(n)}}}
}

func hashOf(r *store.Record) common.Hash { return r.Commitment.Commitment.RequestHash }

func same(a, b *store.Record) bool {
	return a.Slot == b.Slot && a.Seq == b.Seq && string(a.Commitment.Signature) == string(b.Commitment.Signature) &&
		string(a.Commitment.Commitment.Payload) == string(b.Commitment.Commitment.Payload) &&
		a.Commitment.Commitment.RequestHash == b.Commitment.Commitment.RequestHash &&
		a.Commitment.Commitment.Slasher == b.Commitment.Commitment.Slasher &&
		slices.EqualFunc(a.Txs, b.Txs, func(x, y []byte) bool { return string(x) == string(y) })
}

func mustPut(t *testing.T, s Store, recs ...*store.Record) {
	t.Helper()
	for _, r := range recs {
		if err := s.Put(r); err != nil {
			t.Fatal(err)
		}
	}
}

func seqs(t *testing.T, s Store, from, to uint64) []uint64 {
	t.Helper()
	var out []uint64
	if err := s.Range(from, to, func(r *store.Record) error { out = append(out, r.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	t.Run("PutReadReopen", func(t *testing.T) {
		t.Parallel()
		s, reopen := h.Open(t)
		var want []*store.Record
		for _, slot := range []uint64{12, 10, 12, 11, 12} {
			r := Record(t, slot, len(want))
			mustPut(t, s, r)
			want = append(want, r)
		}
		s = reopen()
		defer s.Close()
		for _, r := range want {
			got, err := s.ByRequest(hashOf(r))
			if err != nil {
				t.Fatal(err)
			}
			if !same(got, r) {
				t.Fatalf("record changed across reopen:\n got %+v\nwant %+v", got, r)
			}
			if _, err := got.Commitment.Verify(Domain.ChainID, Committer()); err != nil {
				t.Fatalf("stored promise no longer verifies: %v", err)
			}
		}
		// Slot then sequence order: slot 10, 11, then 12's three in the
		// order they were made.
		var got []uint64
		if err := s.Range(0, 100, func(r *store.Record) error { got = append(got, r.Slot); return nil }); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "[10 11 12 12 12]" {
			t.Fatalf("range order by slot %v", got)
		}
		if g := seqs(t, s, 12, 13); fmt.Sprint(g) != fmt.Sprint([]uint64{want[0].Seq, want[2].Seq, want[4].Seq}) {
			t.Fatalf("slot 12 order %v", g)
		}
		r := Record(t, 12, 99)
		mustPut(t, s, r)
		if r.Seq <= want[4].Seq {
			t.Fatalf("seq %d reused after reopen (last %d)", r.Seq, want[4].Seq)
		}
	})

	t.Run("RequestIndexPointsToNewest", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		defer s.Close()
		first := Record(t, 20, 1)
		again := Record(t, 21, 1)
		again.Commitment.Commitment.RequestHash = hashOf(first)
		mustPut(t, s, first, again)
		got, err := s.ByRequest(hashOf(first))
		if err != nil || got.Slot != 21 || got.Seq != again.Seq {
			t.Fatalf("ByRequest = %+v, %v; want the newer record (slot 21)", got, err)
		}
		// Pruning the older keeps the newer findable.
		if _, err := s.Prune(21); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ByRequest(hashOf(first)); err != nil || got.Slot != 21 {
			t.Fatalf("after pruning the older one: %+v, %v", got, err)
		}
	})

	t.Run("Prune", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		defer s.Close()
		old, kept := Record(t, 5, 1), Record(t, 9, 2)
		mustPut(t, s, old, Record(t, 6, 3), kept)
		n, err := s.Prune(9)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("pruned %d, want 2", n)
		}
		if _, err := s.ByRequest(hashOf(old)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("pruned promise still found: %v", err)
		}
		if _, err := s.ByRequest(hashOf(kept)); err != nil {
			t.Fatalf("promise of a later slot lost by pruning: %v", err)
		}
		if g := seqs(t, s, 0, 100); len(g) != 1 || g[0] != kept.Seq {
			t.Fatalf("after prune the store holds %v, want [%d]", g, kept.Seq)
		}
		if n, err := s.Prune(9); err != nil || n != 0 {
			t.Fatalf("second prune: %d, %v", n, err)
		}
	})

	t.Run("Slots", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		for i, slot := range []uint64{3, 3, 5, 9, 9, 9, math.MaxUint64} {
			mustPut(t, s, Record(t, slot, i+1))
		}
		for _, tc := range []struct {
			from, to uint64
			want     []uint64
		}{
			{0, 10, []uint64{3, 5, 9}},
			{4, 9, []uint64{5}},
			{5, 5, nil},
			{9, 3, nil},
			{10, math.MaxUint64, nil},
			{0, math.MaxUint64, []uint64{3, 5, 9}},
		} {
			got, err := s.Slots(tc.from, tc.to)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("Slots(%d, %d) = %v, %v; want %v", tc.from, tc.to, got, err, tc.want)
			}
		}
		var last []uint64
		if err := s.Range(math.MaxUint64-1, math.MaxUint64, func(r *store.Record) error { last = append(last, r.Slot); return nil }); err != nil || len(last) != 0 {
			t.Fatalf("Range below MaxUint64: %v, %v", last, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("NotFoundAndClosed", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		if _, err := s.ByRequest(common.Hash{1}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("want ErrNotFound, got %v", err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"Put":       s.Put(Record(t, 1, 1)),
			"ByRequest": func() error { _, err := s.ByRequest(common.Hash{1}); return err }(),
			"Range":     s.Range(0, 10, func(*store.Record) error { return nil }),
			"Slots":     func() error { _, err := s.Slots(0, 10); return err }(),
			"Prune":     func() error { _, err := s.Prune(10); return err }(),
		} {
			if !errors.Is(err, store.ErrClosed) {
				t.Errorf("%s after Close: %v, want ErrClosed", name, err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})

	t.Run("Corrupt", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		defer s.Close()
		good := Record(t, 2, 1)
		mustPut(t, s, good)
		h.Corrupt(t, s, 3)
		err := s.Range(0, 10, func(*store.Record) error { return nil })
		if !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("want ErrCorrupt, got %v", err)
		}
		// The good record is untouched and still read alone.
		if got, err := s.ByRequest(hashOf(good)); err != nil || !same(got, good) {
			t.Fatalf("good record beside a corrupt one: %+v, %v", got, err)
		}
	})

	t.Run("FnErrorStopsRange", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		defer s.Close()
		mustPut(t, s, Record(t, 1, 1), Record(t, 2, 2), Record(t, 3, 3))
		stop := errors.New("stop")
		n := 0
		err := s.Range(0, 10, func(*store.Record) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("Range went on after fn failed: %d calls, %v", n, err)
		}
	})

	t.Run("LargeAndOddRecords", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		defer s.Close()
		big := Record(t, 4, 1)
		big.Txs = [][]byte{make([]byte, 4<<20), {}, {0}}
		big.Txs[0][0], big.Txs[0][len(big.Txs[0])-1] = 0x03, 0xff
		empty := Record(t, 4, 2)
		empty.Txs = nil
		empty.Commitment.Signature = nil
		mustPut(t, s, big, empty)
		for _, want := range []*store.Record{big, empty} {
			got, err := s.ByRequest(hashOf(want))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Txs) != len(want.Txs) || !same(got, want) {
				t.Fatalf("record of %d txs read back as %d txs", len(want.Txs), len(got.Txs))
			}
		}
	})

	t.Run("ConcurrentPutsGetDistinctSeqs", func(t *testing.T) {
		t.Parallel()
		s, _ := h.Open(t)
		defer s.Close()
		var wg sync.WaitGroup
		recs := make([]*store.Record, 64)
		for i := range recs {
			recs[i] = Record(t, 30+uint64(i%3), i)
		}
		errs := make([]error, len(recs))
		for i, r := range recs {
			wg.Go(func() { errs[i] = s.Put(r) })
		}
		wg.Wait()
		seen := map[uint64]bool{}
		for i, r := range recs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if seen[r.Seq] {
				t.Fatalf("seq %d given twice", r.Seq)
			}
			seen[r.Seq] = true
		}
		for slot := uint64(30); slot < 33; slot++ {
			if g := seqs(t, s, slot, slot+1); !slices.IsSorted(g) || len(g) == 0 {
				t.Fatalf("slot %d seqs %v not ascending", slot, g)
			}
		}
	})
}
