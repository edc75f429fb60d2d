package sidecar

import (
	"context"
	"fmt"
	"sync"

	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/constraints"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// DelegateSigner is the delegate key's signer: it signs constraints, says
// whether it works (readiness) and checks its health while Run runs.
// *blssigner.Signer fits.
type DelegateSigner interface {
	constraints.Signer
	// Name names the signer in readiness and logs (kind and URL, no credentials).
	Name() string
	// Err is nil while the signer's last call succeeded.
	Err() error
	// Run checks the signer's health until ctx ends.
	Run(ctx context.Context) error
}

// DelegationConfig runs the sidecar delegation-first (docs/protocol.md
// §5.5): it holds no validator key. Delegate, reached through Signer, signs
// the constraints of exactly the slots Delegations cover; a slot whose
// proposer has no valid delegation for it (to Delegate and the committer,
// verifying on this network, not revoked) is not offered.
type DelegationConfig struct {
	Delegate    protocol.BLSPubkey
	Signer      DelegateSigner
	Delegations []*protocol.SignedDelegation
	Revocations []*protocol.SignedRevocation
}

func (c *DelegationConfig) enabled() bool {
	return c.Signer != nil || c.Delegate != (protocol.BLSPubkey{}) || len(c.Delegations) > 0
}

func (c *DelegationConfig) check() error {
	switch {
	case c.Delegate == (protocol.BLSPubkey{}):
		return fmt.Errorf("%w: delegations without a delegate key", ErrConfig)
	case c.Signer == nil:
		return fmt.Errorf("%w: no signer for the delegate key %s", ErrConfig, c.Delegate)
	case len(c.Delegations) == 0:
		return fmt.Errorf("%w: a delegate key without delegations has no slot to sell", ErrConfig)
	}
	return nil
}

// dutySource is the duty lookup admission and the constraints sender read.
type dutySource interface {
	Duty(slot uint64) (duties.Duty, bool)
	Clock() duties.Clock
	GenesisForkVersion() [4]byte
}

// delegatedDuties offers only the duties a held delegation covers: the
// others are not ours to sell, whoever holds the validator key.
type delegatedDuties struct {
	*duties.Tracker
	keys    *constraints.DelegatedKeys
	chainID uint64
	log     zerolog.Logger

	mu     sync.Mutex
	warned map[duties.Duty]bool
}

var _ dutySource = (*delegatedDuties)(nil)

// Duty is the tracker's duty at slot when a valid delegation covers it.
func (d *delegatedDuties) Duty(slot uint64) (duties.Duty, bool) {
	duty, ok := d.Tracker.Duty(slot)
	if !ok {
		return duty, false
	}
	domains := protocol.NewDomains(d.GenesisForkVersion(), d.chainID)
	if _, err := d.keys.Check(duty.Pubkey, slot, domains); err != nil {
		d.warn(duty, err)
		return duties.Duty{}, false
	}
	return duty, true
}

func (d *delegatedDuties) warn(duty duties.Duty, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.warned[duty] {
		return
	}
	if d.warned == nil {
		d.warned = map[duties.Duty]bool{}
	}
	for k := range d.warned {
		if k.Slot+64 < duty.Slot {
			delete(d.warned, k)
		}
	}
	d.warned[duty] = true
	d.log.Warn().Str("pubkey", duty.Pubkey.String()).Uint64("slot", duty.Slot).Err(err).
		Msg("our validator proposes this slot, but no valid delegation lets our delegate key sign for it: not offered")
}
