package chainstate

import "math/big"

// elasticity is EIP-1559's elasticity multiplier: a block's gas target is
// half its gas limit.
const elasticity = 2

// baseFeeDenominator is EIP-1559's base fee change denominator: at most a
// 1/8 move per block.
const baseFeeDenominator = 8

// MaxBaseFeeAfter returns an upper bound of the base fee of the block that
// comes `blocks` blocks after a block with base fee `base` and gas limit
// `gasLimit`: every block in between full. With blocks = 0 it is base itself.
//
// Each step takes the largest of
//   - ceil(b·9/8) − b, the "+12.5 % rounded up" of docs/protocol.md §3.3;
//   - EIP-1559's exact rise after a full block, ((L − T)·b / T) / 8 with
//     T = L/2 — larger than b/8 when the gas limit L is odd (L − T = T + 1);
//   - 1 wei, EIP-1559's minimum rise.
//
// so it is never below what consensus allows. The gas limit is taken as
// constant; it can drift by L/1024 a block, which moves the odd-limit term by
// far less than the rounding already gives away.
func MaxBaseFeeAfter(base *big.Int, gasLimit uint64, blocks uint64) *big.Int {
	b := new(big.Int).Set(base)
	target := gasLimit / elasticity
	var (
		up    = new(big.Int)
		exact = new(big.Int)
		tgt   = new(big.Int).SetUint64(target)
		over  = new(big.Int).SetUint64(gasLimit - target)
		den   = big.NewInt(baseFeeDenominator)
		seven = big.NewInt(baseFeeDenominator - 1)
	)
	for range blocks {
		// ceil(b/8) = (b + 7) / 8
		up.Add(b, seven)
		up.Quo(up, den)
		if target > 0 {
			exact.Mul(b, over)
			exact.Quo(exact, tgt)
			exact.Quo(exact, den)
			if exact.Cmp(up) > 0 {
				up.Set(exact)
			}
		}
		if up.Sign() == 0 {
			up.SetInt64(1)
		}
		b.Add(b, up)
	}
	return b
}
