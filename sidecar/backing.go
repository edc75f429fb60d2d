package sidecar

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/duties"
)

// backing is the operator's standing in the Registry as admission reads it
// (admission.Registry): the collateral, and whether a promise for a slot
// would be held on-chain. Every read goes through the registry cache.
type backing struct {
	cache     *registry.Cache
	operator  common.Address
	committer common.Address
	params    *registry.Params
	clock     interface{ Clock() duties.Clock }
	log       zerolog.Logger
	horizon   sync.Once
	now       func() time.Time // nil: time.Now
}

var _ admission.Registry = (*backing)(nil)

func (b *backing) Collateral(ctx context.Context) (*big.Int, error) {
	v, err := b.cache.Collateral(ctx, b.operator)
	if err != nil {
		return nil, fmt.Errorf("%w: read collateral from the registry: %v", admission.ErrUnavailable, err)
	}
	return v, nil
}

// Backs checks a promise for slot against the Registry (docs/protocol.md
// §9.0): the operator registered and not exiting at or before slot, slot
// within the lookahead of the current slot, our committer bound at slot —
// the promised slot, not the current one: a rotation or revocation already
// announced voids the key from its slot on.
func (b *backing) Backs(ctx context.Context, slot uint64) error {
	clock := b.clock.Clock()
	if clock.SlotDuration <= 0 {
		return fmt.Errorf("%w: slot clock not known yet (beacon node)", admission.ErrUnavailable)
	}
	if err := b.sameClock(clock); err != nil {
		return err
	}
	b.horizon.Do(func() { warnHorizon(b.log, b.params, clock.SlotsPerEpoch) })
	now := time.Now
	if b.now != nil {
		now = b.now
	}
	if cur := clock.SlotAt(now()); slot > cur+b.params.Lookahead {
		return fmt.Errorf("%w: slot %d is beyond the registry's lookahead of %d slots (current slot %d)", admission.ErrNotBacked, slot, b.params.Lookahead, cur)
	}
	st, err := b.cache.Status(ctx, b.operator)
	if err != nil {
		return fmt.Errorf("%w: read the operator's status from the registry: %v", admission.ErrUnavailable, err)
	}
	if err := st.Backs(slot); err != nil {
		return fmt.Errorf("%w: %w", admission.ErrNotBacked, err)
	}
	got, err := b.cache.CommitterAt(ctx, b.operator, slot)
	if err != nil {
		return fmt.Errorf("%w: read the committer of slot %d from the registry: %v", admission.ErrUnavailable, slot, err)
	}
	if got != b.committer {
		return fmt.Errorf("%w: the registry binds committer %s to operator %s at slot %d, not ours (%s): rotated, revoked or exited", admission.ErrNotBacked, got, b.operator, slot, b.committer)
	}
	return nil
}

// sameClock refuses to back anything when the beacon chain's slots are not
// the Registry's: slot numbers would not mean the same on both sides.
func (b *backing) sameClock(c duties.Clock) error {
	if uint64(c.Genesis.Unix()) != b.params.GenesisTime || c.SlotDuration != time.Duration(b.params.SecondsPerSlot)*time.Second {
		return fmt.Errorf("%w: the beacon chain's genesis %d and %s slots differ from the registry's %d and %d s", admission.ErrNotBacked,
			c.Genesis.Unix(), c.SlotDuration, b.params.GenesisTime, b.params.SecondsPerSlot)
	}
	return nil
}

// contractParams reads the Registry's parameters and checks the sidecar's
// against them and the Slasher's: a sidecar whose slash window is not the
// contracts' would forget promises still slashable (or keep exposure
// forever), and a Slasher of another Registry would judge promises against
// other collateral.
func (s *Service) contractParams(ctx context.Context, reg *registry.Client, caller bind.ContractCaller) (*registry.Params, error) {
	p, err := reg.Params(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the registry's parameters: %w", err)
	}
	slasher, err := bindings.NewSlasherCaller(s.cfg.Admission.Slasher, caller)
	if err != nil {
		return nil, err
	}
	o := &bind.CallOpts{Context: ctx}
	sw, err := slasher.SlashWindow(o)
	if err != nil {
		return nil, fmt.Errorf("read the slash window of the Slasher at %s (is it one?): %w", s.cfg.Admission.Slasher, err)
	}
	slasherReg, err := slasher.Registry(o)
	if err != nil {
		return nil, fmt.Errorf("read the registry of the Slasher at %s: %w", s.cfg.Admission.Slasher, err)
	}
	switch {
	case slasherReg != s.cfg.Registry:
		return nil, fmt.Errorf("%w: the Slasher %s belongs to the registry %s, not to %s", ErrConfig, s.cfg.Admission.Slasher, slasherReg, s.cfg.Registry)
	case sw != p.SlashWindow:
		return nil, fmt.Errorf("%w: the Slasher's slash window is %d slots, the registry's %d", ErrConfig, sw, p.SlashWindow)
	case s.cfg.Admission.SlashWindow != p.SlashWindow:
		return nil, fmt.Errorf("%w: --slash-window is %d, the contracts' slash window is %d slots: set --slash-window %d",
			ErrConfig, s.cfg.Admission.SlashWindow, p.SlashWindow, p.SlashWindow)
	case p.Lookahead == 0 || p.LedgerGrace == 0:
		return nil, fmt.Errorf("%w: the registry at %s has no lookahead or ledger grace (an older Registry?)", ErrConfig, s.cfg.Registry)
	}
	return p, nil
}

// warnHorizon says when the duties the sidecar sells over (the current and
// the next epoch) reach past the Registry's lookahead: the slots beyond it
// are not offered (admission refuses them with ErrNotBacked).
func warnHorizon(log zerolog.Logger, p *registry.Params, slotsPerEpoch uint64) {
	if slotsPerEpoch == 0 {
		return
	}
	if horizon := 2*slotsPerEpoch - 1; horizon > p.Lookahead {
		log.Warn().Uint64("horizon", horizon).Uint64("lookahead", p.Lookahead).
			Msg("the registry's lookahead is shorter than the two epochs of duties: slots beyond it are not offered")
	}
}

// errNotTxSigner: the committer signer cannot sign the ledgers' transactions.
var errNotTxSigner = errors.New("the committer signer cannot sign transactions (the slot ledgers need it)")
