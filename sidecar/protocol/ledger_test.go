package protocol

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func randomLeaves(r *rand.Rand, n int) []LedgerLeaf {
	out := make([]LedgerLeaf, n)
	for i := range out {
		var d common.Hash
		for j := range d {
			d[j] = byte(r.UintN(256))
		}
		out[i] = LedgerLeaf{Digest: d, Amount: new(big.Int).SetUint64(r.Uint64())}
	}
	return out
}

// Every leaf proves at its index and at no other; absent digests prove absence.
func TestLedgerProofs(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 100} {
		lg, err := NewLedger(randomLeaves(r, n))
		if err != nil {
			t.Fatal(err)
		}
		count := uint64(len(lg.Leaves))
		for i, l := range lg.Leaves {
			p := lg.Proof(i)
			if !VerifyLedgerProof(lg.Root(), count, uint64(i), l.Hash(), p) {
				t.Fatalf("n=%d: leaf %d does not verify", n, i)
			}
			if n > 1 && VerifyLedgerProof(lg.Root(), count, uint64((i+1)%n), l.Hash(), p) {
				t.Fatalf("n=%d: leaf %d verifies at index %d", n, i, (i+1)%n)
			}
			bad := LedgerLeaf{Digest: l.Digest, Amount: new(big.Int).Add(l.Amount, big.NewInt(1))}
			if VerifyLedgerProof(lg.Root(), count, uint64(i), bad.Hash(), p) {
				t.Fatalf("n=%d: leaf %d verifies with another amount", n, i)
			}
		}
		for _, d := range randomLeaves(r, 5) {
			nb, err := lg.Absence(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			if len(nb) == 2 && nb[1] != nb[0]+1 {
				t.Fatalf("neighbours %v not consecutive", nb)
			}
		}
		if _, err := lg.Absence(lg.Leaves[0].Digest); !errors.Is(err, ErrInLedger) {
			t.Fatalf("absence of a leaf: %v", err)
		}
		back, err := DecodeLedger(lg.Pack())
		if err != nil || back.Root() != lg.Root() || back.Total().Cmp(lg.Total()) != 0 {
			t.Fatalf("pack round trip: %v", err)
		}
	}
}

func TestLedgerRefusals(t *testing.T) {
	t.Parallel()
	d := common.Hash{1}
	if _, err := NewLedger(nil); !errors.Is(err, ErrLedgerEmpty) {
		t.Fatalf("empty: %v", err)
	}
	if _, err := NewLedger([]LedgerLeaf{{Digest: d, Amount: new(big.Int).Lsh(big.NewInt(1), 96)}}); !errors.Is(err, ErrLedgerAmount) {
		t.Fatalf("2^96: %v", err)
	}
	if _, err := NewLedger([]LedgerLeaf{{Digest: d, Amount: big.NewInt(1)}, {Digest: d, Amount: big.NewInt(2)}}); !errors.Is(err, ErrLedgerLeaves) {
		t.Fatalf("two amounts: %v", err)
	}
	lg, err := NewLedger([]LedgerLeaf{{Digest: d, Amount: big.NewInt(1)}, {Digest: d, Amount: big.NewInt(1)}})
	if err != nil || len(lg.Leaves) != 1 {
		t.Fatalf("duplicate promise: %v", err)
	}
	if _, err := DecodeLedger(make([]byte, 43)); !errors.Is(err, ErrLedgerLeaves) {
		t.Fatalf("43 bytes: %v", err)
	}
	two := append(lg.Pack(), lg.Pack()...)
	if _, err := DecodeLedger(two); !errors.Is(err, ErrLedgerLeaves) {
		t.Fatalf("unsorted: %v", err)
	}
}
