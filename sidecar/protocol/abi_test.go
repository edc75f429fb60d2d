package protocol

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// packReflect is the reference encoding: go-ethereum's abi packer.
func packReflect(p *Promise) ([]byte, error) {
	ap := abiPromise{
		CommitmentType: p.CommitmentType, Operator: p.Operator, Slot: p.Slot,
		Inclusions:  make([]abiInclusion, len(p.Inclusions)),
		SlashAmount: orZero(p.SlashAmount), RequestHash: p.RequestHash,
	}
	for i, inc := range p.Inclusions {
		ap.Inclusions[i] = abiInclusion{
			ChainId: inc.ChainID, TxHash: inc.TxHash, Sender: inc.Sender, Nonce: inc.Nonce,
			MaxFeePerGas: orZero(inc.MaxFeePerGas), MaxFeePerBlobGas: orZero(inc.MaxFeePerBlobGas),
			GasLimit: inc.GasLimit, MaxCost: orZero(inc.MaxCost),
		}
	}
	return promiseArgs.Pack(ap)
}

func randomPromise(r *rand.Rand, n int) *Promise {
	word := func() *big.Int {
		switch r.IntN(4) {
		case 0:
			return nil
		case 1:
			return new(big.Int)
		case 2:
			return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)) // max uint256
		}
		return new(big.Int).SetUint64(r.Uint64())
	}
	var h common.Hash
	var a common.Address
	fill := func(b []byte) {
		for i := range b {
			b[i] = byte(r.Uint32())
		}
	}
	fill(a[:])
	fill(h[:])
	p := &Promise{CommitmentType: r.Uint64(), Operator: a, Slot: r.Uint64(), SlashAmount: word(), RequestHash: h}
	for range n {
		var inc Inclusion
		inc.ChainID, inc.Nonce, inc.GasLimit = r.Uint64(), r.Uint64(), r.Uint64()
		fill(inc.TxHash[:])
		fill(inc.Sender[:])
		inc.MaxFeePerGas, inc.MaxFeePerBlobGas, inc.MaxCost = word(), word(), word()
		p.Inclusions = append(p.Inclusions, inc)
	}
	return p
}

// TestMarshalABIMatchesPacker: the hand-written encoding is byte for byte
// go-ethereum's, for 0 to 16 inclusions and edge values, and decodes back.
func TestMarshalABIMatchesPacker(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		p := randomPromise(r, i%17)
		got, err := p.MarshalABI()
		if err != nil {
			t.Fatalf("promise %d: %v", i, err)
		}
		want, err := packReflect(p)
		if err != nil {
			t.Fatalf("promise %d: reference: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("promise %d (%d inclusions): encoding differs from abi.Pack\n got %x\nwant %x", i, len(p.Inclusions), got, want)
		}
		back, err := UnmarshalPromiseABI(got)
		if err != nil {
			t.Fatalf("promise %d: decode: %v", i, err)
		}
		if back.Slot != p.Slot || len(back.Inclusions) != len(p.Inclusions) || back.RequestHash != p.RequestHash {
			t.Fatalf("promise %d: decoded %+v", i, back)
		}
	}
}

// TestMarshalABIRefusesOutOfRange: what a uint256 cannot hold is refused,
// never wrapped (go-ethereum's packer reduces some values modulo 2^256).
func TestMarshalABIRefusesOutOfRange(t *testing.T) {
	t.Parallel()
	over := new(big.Int).Lsh(big.NewInt(1), 256)
	for _, tc := range []struct {
		name string
		edit func(p *Promise)
	}{
		{"negative slash", func(p *Promise) { p.SlashAmount = big.NewInt(-1) }},
		{"slash of 2^256", func(p *Promise) { p.SlashAmount = over }},
		{"negative max fee", func(p *Promise) { p.Inclusions[0].MaxFeePerGas = big.NewInt(-5) }},
		{"blob fee of 2^256", func(p *Promise) { p.Inclusions[0].MaxFeePerBlobGas = over }},
		{"max cost of 2^256", func(p *Promise) { p.Inclusions[0].MaxCost = over }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := randomPromise(rand.New(rand.NewPCG(3, 4)), 2)
			tc.edit(p)
			if _, err := p.MarshalABI(); !errors.Is(err, ErrBadAmount) {
				t.Fatalf("MarshalABI = %v, want ErrBadAmount", err)
			}
		})
	}
}

func BenchmarkMarshalABI(b *testing.B) {
	p := randomPromise(rand.New(rand.NewPCG(5, 6)), 1)
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.MarshalABI(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("abi.Pack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := packReflect(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
