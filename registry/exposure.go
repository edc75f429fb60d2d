package registry

import (
	"fmt"
	"math/big"
)

// Exposure is the collateral left uncommitted: collateral minus the slash
// amounts of the unsettled promises. Negative means over-committed (the
// collateral fell, by a slash, below what is already promised).
func Exposure(collateral *big.Int, unsettled []*big.Int) *big.Int {
	left := new(big.Int)
	if collateral != nil {
		left.Set(collateral)
	}
	for _, a := range unsettled {
		if a != nil {
			left.Sub(left, a)
		}
	}
	return left
}

// CheckExposure refuses (ErrOverexposed) a new promise of slashAmount when the
// unsettled promises' slash amounts plus it would exceed the collateral: the
// protocol's rule for whether the sidecar may sign.
func CheckExposure(collateral *big.Int, unsettled []*big.Int, slashAmount *big.Int) error {
	if slashAmount == nil || slashAmount.Sign() < 0 {
		return fmt.Errorf("slash amount: %w", ErrNegativeValue)
	}
	for i, a := range unsettled {
		if a != nil && a.Sign() < 0 {
			return fmt.Errorf("unsettled promise %d: %w", i, ErrNegativeValue)
		}
	}
	left := Exposure(collateral, unsettled)
	if left.Cmp(slashAmount) < 0 {
		return fmt.Errorf("%w: %s wei uncommitted, promise slashes %s wei", ErrOverexposed, left, slashAmount)
	}
	return nil
}
