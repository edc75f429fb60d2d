package sidecar

import (
	"context"
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// RollupConfig is one based rollup whose L2 transactions the sidecar sells
// (docs/rollups.md). Its state is read over its own JSON-RPC.
type RollupConfig struct {
	ChainID uint64
	Name    string
	// RPC is the rollup node's eth_ JSON-RPC, read for nonces and balances.
	RPC string
	// GasBudgetPerSlot and BytesPerSlot cap what one slot promises.
	GasBudgetPerSlot uint64
	BytesPerSlot     uint64
	Pricing          admission.Pricing
}

// RollupsConfig turns on based-rollup promises.
type RollupsConfig struct {
	Rollups []RollupConfig
	// Inbox is the Inbox contract every rollup posts to.
	Inbox common.Address
	// PosterKey signs each slot's one batch post, unless PosterSigner does
	// (a remote signer: Clef, Web3Signer). Give one of them.
	PosterKey    *ecdsa.PrivateKey
	PosterSigner rollup.TxSigner
}

// posterAddress is the batch poster's account, if one is configured.
func (c *RollupsConfig) posterAddress() (common.Address, bool) {
	switch {
	case c.PosterSigner != nil:
		return c.PosterSigner.Address(), true
	case c.PosterKey != nil:
		return crypto.PubkeyToAddress(c.PosterKey.PublicKey), true
	}
	return common.Address{}, false
}

func (c *RollupsConfig) check() error {
	if len(c.Rollups) == 0 {
		return nil
	}
	switch {
	case c.Inbox == (common.Address{}):
		return fmt.Errorf("%w: rollups configured without an inbox address", ErrConfig)
	case c.PosterKey == nil && c.PosterSigner == nil:
		return fmt.Errorf("%w: rollups configured without a poster key", ErrConfig)
	case c.PosterKey != nil && c.PosterSigner != nil:
		return fmt.Errorf("%w: a poster key and a poster signer: give one", ErrConfig)
	}
	seen := map[uint64]bool{}
	for _, r := range c.Rollups {
		switch {
		case r.ChainID == 0:
			return fmt.Errorf("%w: rollup %q has no chain id", ErrConfig, r.Name)
		case seen[r.ChainID]:
			return fmt.Errorf("%w: rollup chain %d configured twice", ErrConfig, r.ChainID)
		case r.RPC == "":
			return fmt.Errorf("%w: rollup %d has no RPC URL", ErrConfig, r.ChainID)
		}
		seen[r.ChainID] = true
	}
	return nil
}

// rollups is the running L2 side: one chain state per rollup and the poster.
type rollups struct {
	states  []*chainstate.State
	clients []*ethclient.Client
	poster  *rollup.Poster
}

func (r *rollups) close() {
	for _, c := range r.clients {
		c.Close()
	}
}

// startRollups connects to every rollup's RPC, checks its chain id, and
// fills the admission config with the rollups and their state readers.
func (s *Service) startRollups(ctx context.Context, l1 *ethclient.Client, l1State *chainstate.State, tracker *duties.Tracker) (*rollups, error) {
	cfg := s.cfg.Rollups
	if len(cfg.Rollups) == 0 {
		return nil, nil
	}
	r := &rollups{}
	s.cfg.Admission.Rollups = make(map[uint64]admission.Rollup, len(cfg.Rollups))
	for _, rc := range cfg.Rollups {
		client, err := ethclient.DialContext(ctx, rc.RPC)
		if err != nil {
			r.close()
			return nil, fmt.Errorf("rollup %d RPC %s: %w", rc.ChainID, rc.RPC, err)
		}
		r.clients = append(r.clients, client)
		id, err := client.ChainID(ctx)
		if err != nil {
			r.close()
			return nil, fmt.Errorf("rollup %d RPC %s: chain id: %w", rc.ChainID, rc.RPC, err)
		}
		if !id.IsUint64() || id.Uint64() != rc.ChainID {
			r.close()
			return nil, fmt.Errorf("%w: rollup RPC %s is on chain %s, configured as %d", ErrConfig, rc.RPC, id, rc.ChainID)
		}
		log := s.log.With().Uint64("rollup", rc.ChainID).Logger()
		state, err := chainstate.New(client, log, chainstate.WithPollInterval(s.cfg.PollInterval))
		if err != nil {
			r.close()
			return nil, err
		}
		r.states = append(r.states, state)
		s.cfg.Admission.Rollups[rc.ChainID] = admission.Rollup{
			Name:             rc.Name,
			Inbox:            cfg.Inbox,
			State:            state,
			GasBudgetPerSlot: rc.GasBudgetPerSlot,
			BytesPerSlot:     rc.BytesPerSlot,
			Pricing:          rc.Pricing,
		}
	}
	pcfg := rollup.PosterConfig{L1ChainID: s.cfg.Admission.L1ChainID, Inbox: cfg.Inbox}
	var (
		poster *rollup.Poster
		err    error
	)
	if cfg.PosterSigner != nil {
		poster, err = rollup.NewSignerPoster(pcfg, cfg.PosterSigner, l1, l1State, tracker, s.log)
	} else {
		poster, err = rollup.NewPoster(pcfg, cfg.PosterKey, l1, l1State, tracker, s.log)
	}
	if err != nil {
		r.close()
		return nil, err
	}
	r.poster = poster
	return r, nil
}

// run polls every rollup's head until ctx ends.
func (r *rollups) run(ctx context.Context, log zerolog.Logger) func() error {
	return func() error {
		done := make(chan error, len(r.states))
		for _, st := range r.states {
			go func() { done <- st.Run(ctx) }()
		}
		var first error
		for range r.states {
			if err := <-done; err != nil && first == nil && ctx.Err() == nil {
				first = err
				log.Warn().Err(err).Msg("rollup state stopped")
			}
		}
		return first
	}
}
