package store

import (
	"bufio"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var (
	domain   = protocol.Domain{ChainID: 7, Slasher: common.Address{0x51}}
	signer   = mustKey()
	operator = common.Address{0x0c}
)

func mustKey() *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		panic(err)
	}
	return k
}

// record builds a real signed promise for slot with a distinct tx hash n.
func record(t testing.TB, slot uint64, n int) *Record {
	t.Helper()
	r, err := makeRecord(slot, n)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func makeRecord(slot uint64, n int) (*Record, error) {
	txHash := crypto.Keccak256Hash([]byte(fmt.Sprint(slot, n)))
	p := &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion,
		Operator:       operator,
		Slot:           slot,
		Inclusions: []protocol.Inclusion{{
			ChainID: domain.ChainID, TxHash: txHash, Sender: common.Address{byte(n)}, Nonce: uint64(n),
			MaxFeePerGas: big.NewInt(1), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(21000),
		}},
		SlashAmount: big.NewInt(1e15),
		RequestHash: crypto.Keccak256Hash([]byte("request"), txHash[:]),
	}
	sc, err := protocol.NewSignedCommitment(p, domain, signer)
	if err != nil {
		return nil, err
	}
	return &Record{Slot: slot, Commitment: *sc, Txs: [][]byte{{0x02, byte(n)}}}, nil
}

func open(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutReadReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	var want []*Record
	for _, slot := range []uint64{12, 10, 12, 11, 12} {
		r := record(t, slot, len(want))
		if err := s.Put(r); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, dir)
	defer s.Close()
	for _, r := range want {
		got, err := s.ByRequest(r.Commitment.Commitment.RequestHash)
		if err != nil {
			t.Fatal(err)
		}
		if got.Slot != r.Slot || got.Seq != r.Seq || string(got.Commitment.Signature) != string(r.Commitment.Signature) ||
			string(got.Commitment.Commitment.Payload) != string(r.Commitment.Commitment.Payload) || string(got.Txs[0]) != string(r.Txs[0]) {
			t.Fatalf("record changed across reopen:\n got %+v\nwant %+v", got, r)
		}
		if _, err := got.Commitment.Verify(domain.ChainID, crypto.PubkeyToAddress(signer.PublicKey)); err != nil {
			t.Fatalf("stored promise no longer verifies: %v", err)
		}
	}
	// Slot 12's promises come back in the order they were made.
	var seqs []uint64
	if err := s.Range(12, 13, func(r *Record) error { seqs = append(seqs, r.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seqs) != fmt.Sprint([]uint64{want[0].Seq, want[2].Seq, want[4].Seq}) {
		t.Fatalf("slot 12 order %v", seqs)
	}
	// Sequence numbers continue after a reopen instead of reusing old keys.
	r := record(t, 12, 99)
	if err := s.Put(r); err != nil {
		t.Fatal(err)
	}
	if r.Seq <= want[4].Seq {
		t.Fatalf("seq %d reused after reopen (last %d)", r.Seq, want[4].Seq)
	}
}

func TestNotFoundAndClosed(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	if _, err := s.ByRequest(common.Hash{1}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(record(t, 1, 1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put after Close: %v", err)
	}
	if _, err := s.ByRequest(common.Hash{1}); !errors.Is(err, ErrClosed) {
		t.Fatalf("ByRequest after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	old, kept := record(t, 5, 1), record(t, 9, 2)
	for _, r := range []*Record{old, record(t, 6, 3), kept} {
		if err := s.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Prune(9)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("pruned %d, want 2", n)
	}
	if _, err := s.ByRequest(old.Commitment.Commitment.RequestHash); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pruned promise still found: %v", err)
	}
	if _, err := s.ByRequest(kept.Commitment.Commitment.RequestHash); err != nil {
		t.Fatalf("promise of a later slot lost by pruning: %v", err)
	}
}

// Slots lists each slot holding promises once, in order, within its range.
func TestSlots(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	for i, slot := range []uint64{3, 3, 5, 9, 9, 9, math.MaxUint64} {
		if err := s.Put(record(t, slot, i+1)); err != nil {
			t.Fatal(err)
		}
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
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Slots(0, 10); !errors.Is(err, ErrClosed) {
		t.Fatalf("Slots on a closed store: %v", err)
	}
}

func TestCorruptRecord(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	if err := s.db.Set(promiseKey(3, 0), []byte{0xff, 0x01}, nil); err != nil {
		t.Fatal(err)
	}
	err := s.Range(0, 10, func(*Record) error { return nil })
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("want ErrCorrupt, got %v", err)
	}
}

// TestCrashKeepsAcknowledged runs a writer in a child process, kills it with
// SIGKILL while it is writing from many goroutines, and checks that every
// promise the child had acknowledged (printed after Put returned) is there.
func TestCrashKeepsAcknowledged(t *testing.T) {
	if dir := os.Getenv("PLEDGE_STORE_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process; skipped in -short")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledged$")
	cmd.Env = append(os.Environ(), "PLEDGE_STORE_CRASH_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 500 {
		if h, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
			acked[h] = true
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged only %d promises before it ended", len(acked))
	}

	s := open(t, dir)
	defer s.Close()
	for h := range acked {
		if _, err := s.ByRequest(common.HexToHash(h)); err != nil {
			t.Fatalf("acknowledged promise %s lost after SIGKILL: %v", h, err)
		}
	}
}

func crashChild(dir string) {
	s, err := Open(dir)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				r, err := makeRecord(uint64(100+i%7), g*1_000_000+i)
				if err == nil {
					err = s.Put(r)
				}
				if err != nil {
					fmt.Println("put:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintln(w, "ack", r.Commitment.Commitment.RequestHash.Hex())
				_ = w.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func BenchmarkPutSynced(b *testing.B) {
	s := open(b, b.TempDir())
	defer s.Close()
	recs := make([]*Record, 256)
	for i := range recs {
		recs[i] = record(b, 1, i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := s.Put(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutSynced64 writes from 64 goroutines: each Put still waits for
// its own fsync, but concurrent ones share it (group commit).
func BenchmarkPutSynced64(b *testing.B) {
	s := open(b, b.TempDir())
	defer s.Close()
	recs := make([]*Record, 256)
	for i := range recs {
		recs[i] = record(b, 1, i)
	}
	b.ReportAllocs()
	b.SetParallelism(32) // 2 cores × 32 = 64 writers on this machine
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if err := s.Put(recs[i%len(recs)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
