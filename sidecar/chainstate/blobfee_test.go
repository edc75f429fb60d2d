package chainstate

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

const slotSeconds = 12

// blobConfigs are chains whose blob schedule changes inside the projected
// window: mainnet across BPO1 (Osaka's EIP-7918 reserve price, a new update
// fraction and target), and a Cancun-to-Prague chain (the pre-Osaka rule).
func blobConfigs() []struct {
	name   string
	config *params.ChainConfig
	start  uint64 // the head's time
} {
	prague := withTimes(params.MainnetChainConfig, func(c *params.ChainConfig, _ *params.BlobScheduleConfig) {
		c.OsakaTime, c.BPO1Time, c.BPO2Time = nil, nil, nil
	})
	return []struct {
		name   string
		config *params.ChainConfig
		start  uint64
	}{
		{"mainnet across BPO1", params.MainnetChainConfig, *params.MainnetChainConfig.BPO1Time - 5*slotSeconds},
		{"mainnet after BPO2", params.MainnetChainConfig, *params.MainnetChainConfig.BPO2Time + 1000*slotSeconds},
		{"mainnet across Prague", prague, *prague.PragueTime - 5*slotSeconds},
	}
}

func slotTimes(start uint64, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = start + uint64(i+1)*slotSeconds
	}
	return out
}

// TestMaxExcessBlobGasBoundsEveryChain builds random chains on a random head
// — any slot may be missed, each block uses any number of blobs up to its
// fork's maximum and has any base fee — with go-ethereum's own excess blob
// gas rule, and checks that the target block's excess blob gas, hence its
// blob base fee, never exceeds the bound.
func TestMaxExcessBlobGasBoundsEveryChain(t *testing.T) {
	for _, bc := range blobConfigs() {
		t.Run(bc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, uint64(len(bc.name))))
			for trial := range 400 {
				n := 1 + rng.IntN(12)
				times := slotTimes(bc.start, n)
				maxHead := uint64(eip4844.MaxBlobsPerBlock(bc.config, bc.start)) * params.BlobTxBlobGasPerBlob
				excess := rng.Uint64N(40_000_000)
				used := rng.Uint64N(maxHead/params.BlobTxBlobGasPerBlob+1) * params.BlobTxBlobGasPerBlob
				head := &types.Header{Number: big.NewInt(1000), Time: bc.start, ExcessBlobGas: &excess, BlobGasUsed: &used,
					BaseFee: big.NewInt(int64(rng.Uint64N(100e9)))}
				bound := MaxExcessBlobGas(bc.config, head, times)
				// full: every slot a block of the most blobs, at the head's
				// base fee; dense: the same at random base fees (either of
				// EIP-7918's branches may bind); sparse: missed slots, random
				// blob counts and base fees.
				for _, mode := range []string{"full", "dense", "sparse"} {
					parent := head
					var got uint64
					for i, ts := range times {
						if i < n-1 && mode == "sparse" && rng.IntN(3) == 0 {
							continue // a missed slot
						}
						x := eip4844.CalcExcessBlobGas(bc.config, parent, ts)
						got = x
						u := uint64(eip4844.MaxBlobsPerBlock(bc.config, ts))
						if mode == "sparse" {
							u = rng.Uint64N(u + 1)
						}
						u *= params.BlobTxBlobGasPerBlob
						fee := parent.BaseFee
						if mode != "full" {
							fee = big.NewInt(int64(rng.Uint64N(100e9)))
						}
						parent = &types.Header{Number: new(big.Int).Add(parent.Number, big.NewInt(1)), Time: ts,
							ExcessBlobGas: &x, BlobGasUsed: &u, BaseFee: fee}
					}
					if got > bound {
						t.Fatalf("trial %d (%s): a chain reaches excess blob gas %d, above the bound %d", trial, mode, got, bound)
					}
				}
				if exact := eip4844.CalcExcessBlobGas(bc.config, head, times[0]); n == 1 && bound != exact {
					t.Fatalf("trial %d: the next block's excess is %d, the bound %d: for one block it is exact", trial, exact, bound)
				}
			}
		})
	}
}

// TestMaxExcessBlobGasExamples pins the bound on hand-computed cases.
func TestMaxExcessBlobGasExamples(t *testing.T) {
	prague := withTimes(params.MainnetChainConfig, func(c *params.ChainConfig, _ *params.BlobScheduleConfig) {
		c.OsakaTime, c.BPO1Time, c.BPO2Time = nil, nil, nil
	})
	start := *prague.PragueTime + 100*slotSeconds
	zero := uint64(0)
	head := &types.Header{Number: big.NewInt(1), Time: start, ExcessBlobGas: &zero, BlobGasUsed: &zero, BaseFee: big.NewInt(params.GWei)}
	for _, tc := range []struct {
		slots int
		want  uint64
	}{
		// The next block's excess comes from the head alone: 0.
		{1, 0},
		// Then each full block adds max − target = 3 blobs under Prague.
		{2, 3 * params.BlobTxBlobGasPerBlob},
		{10, 9 * 3 * params.BlobTxBlobGasPerBlob},
	} {
		t.Run(fmt.Sprint(tc.slots), func(t *testing.T) {
			if got := MaxExcessBlobGas(prague, head, slotTimes(start, tc.slots)); got != tc.want {
				t.Fatalf("bound %d, want %d", got, tc.want)
			}
		})
	}
	// Before Cancun there are no blobs: no excess.
	pre := withTimes(prague, func(c *params.ChainConfig, _ *params.BlobScheduleConfig) { c.CancunTime, c.PragueTime = nil, nil })
	if got := MaxExcessBlobGas(pre, head, slotTimes(start, 3)); got != 0 {
		t.Fatalf("pre-Cancun bound %d, want 0", got)
	}
}

// TestProjectHeader: the projected header of a slot holds its time, the
// number if no slot is missed, the head's gas limit, the highest base fee
// and, when asked, the highest excess blob gas.
func TestProjectHeader(t *testing.T) {
	c := params.MainnetChainConfig
	start := *c.BPO2Time + 100*slotSeconds
	excess, used := uint64(50_000_000), uint64(21*params.BlobTxBlobGasPerBlob)
	head := &types.Header{Number: big.NewInt(24_000_000), Time: start, GasLimit: 45_000_000, BaseFee: big.NewInt(params.GWei),
		ExcessBlobGas: &excess, BlobGasUsed: &used}
	times := slotTimes(start, 3)
	h, err := ProjectHeader(c, head, times, true)
	if err != nil {
		t.Fatal(err)
	}
	if h.Number.Uint64() != 24_000_003 || h.Time != times[2] || h.GasLimit != head.GasLimit ||
		h.BaseFee.Cmp(MaxBaseFeeAfter(head.BaseFee, head.GasLimit, 3)) != 0 || h.Difficulty.Sign() != 0 {
		t.Fatalf("projected header %+v", h)
	}
	if h.ExcessBlobGas == nil || *h.ExcessBlobGas != MaxExcessBlobGas(c, head, times) {
		t.Fatalf("excess blob gas %v, want the bound %d", h.ExcessBlobGas, MaxExcessBlobGas(c, head, times))
	}
	if fee := eip4844.CalcBlobFee(c, h); fee.Cmp(eip4844.CalcBlobFee(c, head)) <= 0 {
		t.Fatalf("projected blob base fee %v not above the head's %v after full blocks", fee, eip4844.CalcBlobFee(c, head))
	}
	if h, _ := ProjectHeader(c, head, times, false); h.ExcessBlobGas != nil {
		t.Fatal("excess blob gas projected though not asked")
	}
	if _, err := ProjectHeader(c, head, nil, false); err == nil {
		t.Fatal("a projection with no slot")
	}
	if _, err := ProjectHeader(c, &types.Header{Number: big.NewInt(1)}, times, false); err == nil {
		t.Fatal("a projection from a head without base fee")
	}
}

// BenchmarkProjectHeader is the projection a request pays: without blobs
// (the base fee bound), and with them (the excess blob gas bound, whose cost
// grows with the slots between the head and the target).
func BenchmarkProjectHeader(b *testing.B) {
	c := params.MainnetChainConfig
	start := *c.BPO2Time + 100*slotSeconds
	excess, used := uint64(50_000_000), uint64(21*params.BlobTxBlobGasPerBlob)
	head := &types.Header{Number: big.NewInt(24_000_000), Time: start, GasLimit: 45_000_000, BaseFee: big.NewInt(params.GWei),
		ExcessBlobGas: &excess, BlobGasUsed: &used}
	for _, slots := range []int{2, 64} {
		for _, blobs := range []bool{false, true} {
			b.Run(fmt.Sprintf("slots=%d/blobs=%v", slots, blobs), func(b *testing.B) {
				times := slotTimes(start, slots)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ProjectHeader(c, head, times, blobs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
