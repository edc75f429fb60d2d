package admission

import (
	"errors"
	"math/big"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Pricing is the priority fee floor of a slot, linear in the gas already
// promised (docs/pricing.md):
//
//	marginal price at U gas promised:  p(U) = MinPriorityFee + FeeSlope·U/10⁶
//
// A request of g gas arriving when U gas is promised pays, per gas, the
// average of p over the gas it takes:
//
//	floor(U, g) = MinPriorityFee + ⌈FeeSlope·(U + g/2)/10⁶⌉
//
// so the price of a slot's gas does not depend on how it is split into
// requests: one 2M-gas request costs what two 1M-gas ones in a row cost. Top-
// of-block space is scarce and each promise adds collateral at risk, so the
// last gas of a slot is dearer than the first; a rising price keeps room for
// late, more valuable requests instead of selling the slot out at the floor.
type Pricing struct {
	// MinPriorityFee is the floor in wei per gas of an empty slot.
	MinPriorityFee *big.Int
	// FeeSlope is how much the floor (wei per gas) rises per million gas
	// already promised in the slot.
	FeeSlope *big.Int
}

var million = big.NewInt(1_000_000)

// Floor returns the priority fee per gas a request of gas g must pay when
// promised gas is already in the slot.
func (p Pricing) Floor(promised, g uint64) *big.Int {
	// FeeSlope·(2U + g) / (2·10⁶), rounded up: two halves keep g/2 exact.
	x := new(big.Int).SetUint64(promised)
	x.Lsh(x, 1)
	x.Add(x, new(big.Int).SetUint64(g))
	x.Mul(x, p.FeeSlope)
	den := new(big.Int).Lsh(million, 1)
	x.Add(x, new(big.Int).Sub(den, big.NewInt(1)))
	x.Quo(x, den)
	return x.Add(x, p.MinPriorityFee)
}

// guaranteedTip is the priority fee per gas the transaction pays at any base
// fee up to projected: min(tipCap, feeCap − projected). Legacy and
// access-list txs have tipCap = feeCap = gasPrice.
func guaranteedTip(t *protocol.Tx, projected *big.Int) *big.Int {
	room := new(big.Int).Sub(t.Tx.GasFeeCap(), projected)
	if tip := t.Tx.GasTipCap(); tip.Cmp(room) < 0 {
		return new(big.Int).Set(tip)
	}
	if room.Sign() < 0 {
		return room.SetInt64(0)
	}
	return room
}

// SlashPolicy decides a promise's slash amount from the max cost of its
// transactions (docs/pricing.md):
//
//	slashAmount = min(Cap, Base + MaxCostBps/10⁴ · Σ maxCost)
//
// Base makes every promise worth keeping, however small its transaction; the
// max cost term scales the compensation with what the user put at stake; Cap
// stops one large transaction from taking up the collateral that should back
// many promises (exposure rule, docs/protocol.md §9.6).
type SlashPolicy struct {
	Base       *big.Int
	MaxCostBps uint64
	Cap        *big.Int
}

func (s SlashPolicy) check() error {
	if s.Cap == nil || s.Cap.Sign() <= 0 {
		return errors.New("slash policy: cap must be positive")
	}
	if s.Base.Sign() < 0 {
		return errors.New("slash policy: negative base")
	}
	if s.Base.Sign() == 0 && s.MaxCostBps == 0 {
		return errors.New("slash policy: base and max cost share are both zero")
	}
	return nil
}

// Amount returns the slash amount of a promise over txs with these max costs
// summed. It is at least 1 wei: the protocol refuses a zero slash amount.
func (s SlashPolicy) Amount(maxCost *big.Int) *big.Int {
	a := new(big.Int).Mul(maxCost, new(big.Int).SetUint64(s.MaxCostBps))
	a.Quo(a, big.NewInt(10_000))
	a.Add(a, s.Base)
	if a.Cmp(s.Cap) > 0 {
		a.Set(s.Cap)
	}
	if a.Sign() == 0 {
		a.SetInt64(1)
	}
	return a
}
