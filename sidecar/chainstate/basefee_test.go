package chainstate

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// consensusAfterFullBlocks runs go-ethereum's own base fee rule over n full
// blocks: the highest base fee consensus can produce.
func consensusAfterFullBlocks(base *big.Int, gasLimit uint64, n uint64) *big.Int {
	h := &types.Header{Number: big.NewInt(20_000_000), GasLimit: gasLimit, GasUsed: gasLimit, BaseFee: new(big.Int).Set(base)}
	for range n {
		h = &types.Header{Number: new(big.Int).Add(h.Number, big.NewInt(1)), GasLimit: gasLimit, GasUsed: gasLimit,
			BaseFee: eip1559.CalcBaseFee(params.MainnetChainConfig, h)}
	}
	return h.BaseFee
}

// ceilNineEighths is the documented "+12.5 % per block, rounded up", with at
// least 1 wei, computed with rationals.
func ceilNineEighths(base *big.Int, n uint64) *big.Int {
	b := new(big.Int).Set(base)
	for range n {
		r := new(big.Rat).Mul(new(big.Rat).SetInt(b), big.NewRat(9, 8))
		c := new(big.Int).Quo(r.Num(), r.Denom())
		if !r.IsInt() {
			c.Add(c, big.NewInt(1))
		}
		if c.Cmp(b) == 0 {
			c.Add(c, big.NewInt(1))
		}
		b = c
	}
	return b
}

func TestMaxBaseFeeAfter(t *testing.T) {
	gwei := big.NewInt(params.GWei)
	for _, tc := range []struct {
		base     *big.Int
		gasLimit uint64
		blocks   uint64
	}{
		{gwei, 30_000_000, 0},
		{gwei, 30_000_000, 1},
		{gwei, 30_000_000, 2},
		{gwei, 36_000_000, 64},
		{big.NewInt(7), 30_000_000, 1}, // b/8 < 1: the 1 wei minimum
		{big.NewInt(0), 30_000_000, 3}, // zero base fee still rises
		{big.NewInt(1_000_000_007), 30_000_000, 5},
		{big.NewInt(1_000_000_007), 30_000_001, 5}, // odd limit: consensus rises by more than b/8
		{new(big.Int).Mul(gwei, big.NewInt(500)), 45_000_001, 32},
		{big.NewInt(875_000_000), 60_000_000, 12},
	} {
		t.Run(fmt.Sprintf("%v/%d/%d", tc.base, tc.gasLimit, tc.blocks), func(t *testing.T) {
			t.Parallel()
			got := MaxBaseFeeAfter(tc.base, tc.gasLimit, tc.blocks)
			if cons := consensusAfterFullBlocks(tc.base, tc.gasLimit, tc.blocks); got.Cmp(cons) < 0 {
				t.Fatalf("projected %v below consensus' maximum %v", got, cons)
			}
			if doc := ceilNineEighths(tc.base, tc.blocks); got.Cmp(doc) < 0 {
				t.Fatalf("projected %v below the documented ceil(b·9/8) %v", got, doc)
			} else if tc.gasLimit%2 == 0 && got.Cmp(doc) != 0 {
				// With an even gas limit the documented rule is the bound: no slack added.
				t.Fatalf("projected %v, want exactly ceil(b·9/8) = %v for an even gas limit", got, doc)
			}
			if tc.blocks == 0 && got.Cmp(tc.base) != 0 {
				t.Fatalf("0 blocks ahead = %v, want the base %v unchanged", got, tc.base)
			}
		})
	}
}

func TestMaxBaseFeeAfterDoesNotMutate(t *testing.T) {
	base := big.NewInt(params.GWei)
	_ = MaxBaseFeeAfter(base, 30_000_000, 10)
	if base.Int64() != params.GWei {
		t.Fatalf("input mutated to %v", base)
	}
}
