package admission

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"
)

// Config holds the operator's choices. Zero values of optional fields take
// the defaults documented on each field.
type Config struct {
	// L1ChainID is the chain whose slots are sold and the EIP-712 domain's chain.
	L1ChainID uint64
	// Slasher is the Slasher contract: the domain's verifying contract, and the
	// only slasher a request may name.
	Slasher common.Address
	// Operator is the operator's address in the Registry.
	Operator common.Address
	// GasBudgetPerSlot caps the gas promised in one slot (further capped by the
	// head block's gas limit).
	GasBudgetPerSlot uint64
	// MaxBlobsPerSlot caps the blobs promised in one slot (0: no blob txs).
	MaxBlobsPerSlot uint64
	// DeadlineFraction places the commitment deadline of slot S at
	// SlotStart(S) − T + DeadlineFraction·T (docs/protocol.md §7). Default 2/3.
	DeadlineFraction float64
	// Pricing is the priority fee floor; see Pricing.
	Pricing Pricing
	// Slash decides each promise's slash amount; see SlashPolicy.
	Slash SlashPolicy
	// SlashWindow is how many slots after its slot a promise can be slashed:
	// it counts towards exposure and is kept until then. Default 8000.
	SlashWindow uint64
	// Rollups are the based rollups whose L2 transactions may be promised, by
	// chain id. L2 validation arrives with issue 6; until then a configured
	// rollup is known (no ErrUnknownRollup) but not offered (ErrUnknownType).
	Rollups map[uint64]Rollup
}

// Rollup is one configured based rollup.
type Rollup struct {
	Name  string
	Inbox common.Address
}

// DefaultDeadlineFraction is 2/3: the deadline is 8 s into slot S−1 on mainnet.
const DefaultDeadlineFraction = 2.0 / 3.0

// DefaultSlashWindow is docs/protocol.md §10's mainnet slash window.
const DefaultSlashWindow = 8000

func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.DeadlineFraction == 0 {
		out.DeadlineFraction = DefaultDeadlineFraction
	}
	if out.SlashWindow == 0 {
		out.SlashWindow = DefaultSlashWindow
	}
	if out.Pricing.MinPriorityFee == nil {
		out.Pricing.MinPriorityFee = new(big.Int)
	}
	if out.Pricing.FeeSlope == nil {
		out.Pricing.FeeSlope = new(big.Int)
	}
	if out.Slash.Base == nil {
		out.Slash.Base = new(big.Int)
	}
	var errs []error
	if out.L1ChainID == 0 {
		errs = append(errs, errors.New("L1 chain id is 0"))
	}
	if out.Slasher == (common.Address{}) {
		errs = append(errs, errors.New("slasher address is zero"))
	}
	if out.Operator == (common.Address{}) {
		errs = append(errs, errors.New("operator address is zero"))
	}
	if out.GasBudgetPerSlot == 0 {
		errs = append(errs, errors.New("gas budget per slot is 0"))
	}
	if out.DeadlineFraction <= 0 || out.DeadlineFraction > 1 {
		errs = append(errs, fmt.Errorf("deadline fraction %v outside (0, 1]", out.DeadlineFraction))
	}
	if out.Pricing.MinPriorityFee.Sign() < 0 || out.Pricing.FeeSlope.Sign() < 0 {
		errs = append(errs, errors.New("pricing: negative fee or slope"))
	}
	if err := out.Slash.check(); err != nil {
		errs = append(errs, err)
	}
	for id := range out.Rollups {
		if id == out.L1ChainID || id == 0 {
			errs = append(errs, fmt.Errorf("rollup chain id %d is invalid (0 or the L1's)", id))
		}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("admission config: %w", errors.Join(errs...))
	}
	return out, nil
}

// DefaultPricing is a starting point for mainnet: a 1 gwei floor rising by
// 0.1 gwei per million gas promised, so a 36M-gas slot ends at 4.6 gwei.
func DefaultPricing() Pricing {
	return Pricing{MinPriorityFee: big.NewInt(params.GWei), FeeSlope: big.NewInt(params.GWei / 10)}
}

// DefaultSlashPolicy: 0.01 ETH plus the transactions' max cost, at most 1 ETH.
func DefaultSlashPolicy() SlashPolicy {
	return SlashPolicy{
		Base:       new(big.Int).Div(big.NewInt(params.Ether), big.NewInt(100)),
		MaxCostBps: 10_000,
		Cap:        big.NewInt(params.Ether),
	}
}
