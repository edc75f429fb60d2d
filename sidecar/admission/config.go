package admission

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// Config holds the operator's choices. Zero values of optional fields take
// the defaults documented on each field.
type Config struct {
	// L1ChainID is the chain whose slots are sold and the chain named by L1 inclusions.
	L1ChainID uint64
	// Slasher is the Slasher contract: the slasher of every commitment, and the
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
	// chain id. They are offered only when the engine has a batch poster
	// (WithPoster); without one a configured rollup's transactions are
	// refused with ErrUnknownType.
	Rollups map[uint64]Rollup
}

// RollupState reads a rollup's accounts (nonce, balance, code) at its head.
// A *chainstate.State over the rollup's L2 RPC endpoint serves it: a rollup
// node answers the same eth_ calls as an L1 client.
type RollupState interface {
	Account(ctx context.Context, addr common.Address) (chainstate.Account, error)
}

// Rollup is one configured based rollup (docs/rollups.md).
type Rollup struct {
	// Name is for logs and the operator's eyes.
	Name string
	// Inbox is the Inbox contract its batches are posted to. Every rollup
	// must use the same one: one call carries every rollup's batch of a
	// slot, which is what makes a bundle over several rollups atomic.
	Inbox common.Address
	// State reads the rollup's accounts, to check nonces and balances.
	State RollupState
	// GasBudgetPerSlot caps the L2 gas (sum of gas limits) promised for the
	// rollup in one slot.
	GasBudgetPerSlot uint64
	// BytesPerSlot caps the bytes of the rollup's transactions promised in
	// one slot: they are L1 call data of the slot's post. All rollups
	// together are further capped by what one post can carry.
	BytesPerSlot uint64
	// Pricing is the priority fee floor of the rollup's transactions, over
	// the L2 gas already promised for the rollup in the slot.
	Pricing Pricing
}

// MaxPromisesPerSlot bounds the promises (signed requests, dropped ones
// included) sold for one slot: the slot's ledger lists them all in one
// Registry.openLedger transaction, 44 bytes of call data each, which must
// stay under the 128 KiB execution clients' pools accept and EIP-7825's
// per-transaction gas cap (sidecar/ledger's TestLargestLedgerFitsOneTransaction).
const MaxPromisesPerSlot = 2500

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
	rollups := make(map[uint64]Rollup, len(out.Rollups))
	var inbox common.Address
	// In chain id order, so the rollup named as the odd one out is the same
	// on every start.
	for _, id := range slices.Sorted(maps.Keys(out.Rollups)) {
		r := out.Rollups[id]
		if id == out.L1ChainID || id == 0 {
			errs = append(errs, fmt.Errorf("rollup chain id %d is invalid (0 or the L1's)", id))
		}
		if r.Pricing.MinPriorityFee == nil {
			r.Pricing.MinPriorityFee = new(big.Int)
		}
		if r.Pricing.FeeSlope == nil {
			r.Pricing.FeeSlope = new(big.Int)
		}
		switch {
		case r.State == nil:
			errs = append(errs, fmt.Errorf("rollup %d: no L2 state reader", id))
		case r.Inbox == (common.Address{}):
			errs = append(errs, fmt.Errorf("rollup %d: inbox address is zero", id))
		case inbox != (common.Address{}) && r.Inbox != inbox:
			errs = append(errs, fmt.Errorf("rollup %d: inbox %s differs from another rollup's %s (one post carries every rollup's batch)", id, r.Inbox, inbox))
		case r.GasBudgetPerSlot == 0:
			errs = append(errs, fmt.Errorf("rollup %d: gas budget per slot is 0", id))
		case r.BytesPerSlot == 0 || r.BytesPerSlot > rollup.MaxPostData:
			errs = append(errs, fmt.Errorf("rollup %d: bytes per slot %d outside [1, %d]", id, r.BytesPerSlot, rollup.MaxPostData))
		case r.Pricing.MinPriorityFee.Sign() < 0 || r.Pricing.FeeSlope.Sign() < 0:
			errs = append(errs, fmt.Errorf("rollup %d: pricing: negative fee or slope", id))
		}
		if r.Inbox != (common.Address{}) {
			inbox = r.Inbox
		}
		rollups[id] = r
	}
	out.Rollups = rollups
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
