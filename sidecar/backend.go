package sidecar

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/ledger"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Codes is the error table of the user API: protocol's errors (api's
// defaults) and admission's, as docs/protocol.md §4 lists them.
func Codes() *api.Codes {
	c := api.DefaultCodes()
	for _, e := range []struct {
		err  error
		code int
	}{
		{admission.ErrSlotNotOffered, api.CodeSlotNotOffered},
		{admission.ErrDeadlinePassed, api.CodeDeadlinePassed},
		{admission.ErrNonce, api.CodeNonce},
		{admission.ErrBalance, api.CodeBalance},
		{admission.ErrFeeBelowBase, api.CodeFeeBelowBase},
		{admission.ErrUnderpriced, api.CodeUnderpriced},
		{admission.ErrSlotFull, api.CodeSlotFull},
		{admission.ErrExposure, api.CodeExposure},
		{admission.ErrUnknownRollup, api.CodeUnknownRollup},
		{admission.ErrNotFound, api.CodeNotFound},
		{admission.ErrUnavailable, api.CodeUnavailable},
		{admission.ErrConflict, api.CodeConflict},
		{admission.ErrSenderHasCode, api.CodeSenderHasCode},
		{admission.ErrWrongSlasher, api.CodeUnknownType},
		{admission.ErrUnknownType, api.CodeUnknownType},
		{admission.ErrNotBacked, api.CodeNotBacked},
	} {
		c.Register(e.err, e.code)
	}
	return c
}

// backend is the api.Backend of a running sidecar.
type backend struct {
	engine   *admission.Engine
	tracker  *duties.Tracker
	state    *chainstate.State
	registry *registry.Cache
	ledgers  *ledger.Component
	cfg      *Config
	// readiness are further reasons not to sell (the delegate's BLS signer):
	// each is nil while its part works.
	readiness []func() error

	// The committer binding is checked at most once per slot: a sidecar whose
	// key the Registry does not bind would sell promises nobody can enforce.
	mu          sync.Mutex
	bindingSlot uint64
	bindingErr  error
}

var _ api.Backend = (*backend)(nil)

func (b *backend) Request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
	if err := b.Ready(); err != nil {
		return nil, fmt.Errorf("%w: %v", admission.ErrUnavailable, err)
	}
	return b.engine.Request(ctx, req)
}

func (b *backend) Result(ctx context.Context, h common.Hash) (*protocol.SignedCommitment, error) {
	return b.engine.Result(ctx, h)
}

func (b *backend) Fee(ctx context.Context, req protocol.CommitmentRequest) (*protocol.FeeInfo, error) {
	return b.engine.Fee(ctx, req)
}

func (b *backend) Slots(ctx context.Context) (*protocol.SlotInfoResponse, error) {
	return b.engine.Slots(ctx)
}

func (b *backend) Metadata(context.Context) (api.BoltMetadata, error) {
	cfg := b.engine.Config()
	var minTip uint64
	if cfg.Pricing.MinPriorityFee != nil && cfg.Pricing.MinPriorityFee.IsUint64() {
		minTip = cfg.Pricing.MinPriorityFee.Uint64()
	}
	return api.BoltMetadata{
		Version: "pledge/" + Version,
		Limits: api.BoltLimits{
			MaxCommittedGasPerSlot: cfg.GasBudgetPerSlot,
			MinInclusionProfit:     minTip,
			MaxTxsPerRequest:       protocol.MaxRequestTxs,
		},
	}, nil
}

// Ready is nil while the beacon node and the execution client answer,
// duties are known, the Registry binds our committer to the operator and
// the slot ledgers due are opened (a promise in no ledger is void, so none
// is sold while they are not), and every readiness hook is nil (the
// delegate's BLS signer answers: without it no constraints are signed).
func (b *backend) Ready() error {
	if err := b.tracker.Ready(); err != nil {
		return fmt.Errorf("beacon node: %w", err)
	}
	if err := b.state.Ready(); err != nil {
		return fmt.Errorf("execution client: %w", err)
	}
	if err := b.committerBound(); err != nil {
		return err
	}
	if err := b.ledgers.Err(); err != nil {
		return fmt.Errorf("slot ledgers: %w", err)
	}
	for _, ready := range b.readiness {
		if err := ready(); err != nil {
			return err
		}
	}
	return nil
}

func (b *backend) committerBound() error {
	slot := b.tracker.Clock().CurrentSlot()
	b.mu.Lock()
	defer b.mu.Unlock()
	if slot == b.bindingSlot && b.bindingSlot != 0 {
		return b.bindingErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	operator, want := b.cfg.Admission.Operator, b.cfg.Committer.Address()
	got, err := b.registry.CommitterAt(ctx, operator, slot)
	switch {
	case err != nil:
		b.bindingErr = fmt.Errorf("registry: read committer of %s: %w", operator, err)
	case got != want:
		b.bindingErr = fmt.Errorf("registry binds committer %s to operator %s at slot %d, not ours (%s)", got, operator, slot, want)
	default:
		b.bindingErr = nil
	}
	b.bindingSlot = slot
	return b.bindingErr
}
