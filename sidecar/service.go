// Package sidecar wires the preconfirmation sidecar together: the duty
// tracker (beacon node), the chain state (execution client), the admission
// engine with its promise store, the user API and, when configured, block
// building (the constraints sender, the builder proxy and its local
// fallback block). cmd/pledge builds a Config from flags and runs a Service.
package sidecar

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/constraints"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/ledger"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// Version is reported by bolt_metadata; cmd/pledge sets it from the build.
var Version = "dev"

// ErrConfig is returned by New for a configuration the sidecar cannot run with.
var ErrConfig = errors.New("invalid sidecar config")

// PromiseStore keeps the signed promises: the embedded Pebble store
// (sidecar/store) or PostgreSQL shared by several sidecars
// (sidecar/store/postgres).
type PromiseStore interface {
	admission.Store
	Close() error
}

// Config is everything the sidecar needs; cmd/pledge fills it from flags.
type Config struct {
	BeaconURL    string
	ExecutionURL string
	// Registry is the Registry contract the operator's collateral and
	// committer binding are read from.
	Registry common.Address
	// DataDir holds the embedded promise store when Store is nil.
	DataDir string
	// Store is the promise store; nil opens the embedded Pebble store in
	// DataDir. The service closes it when it stops.
	Store PromiseStore
	// FollowStore, when set, keeps the engine's templates in step with the
	// promises the operator's other sidecars sell into a shared Store, until
	// ctx ends. It runs after the stored promises are loaded.
	FollowStore func(context.Context, *admission.Engine) error
	// Listen is the user API's address (host:port).
	Listen string

	// ValidatorKeys are the BLS keys whose proposer slots are sold; each
	// signs its own constraints. Give them or Delegation, not both.
	ValidatorKeys []*bls.SecretKey
	// Delegation runs the sidecar with no validator key: a delegate key and
	// the validators' delegations to it.
	Delegation DelegationConfig
	// Committer signs promises; its address must be bound to Operator in the Registry.
	Committer admission.Signer

	Admission admission.Config
	API       api.Config

	// PollInterval is how often the execution client's head is polled.
	PollInterval time.Duration
	// RegistryTTL bounds how stale a collateral or committer read may be.
	RegistryTTL time.Duration
	// PruneEvery is how often promises past the slash window are deleted.
	PruneEvery time.Duration

	// Building turns on block building; the zero value serves requests only.
	Building BuildingConfig
	// Rollups turns on L2 promises for based rollups; the zero value sells L1 only.
	Rollups RollupsConfig
	// Ledger tunes the slot ledgers the committer opens (sidecar/ledger).
	Ledger LedgerConfig
}

// LedgerConfig tunes the slot ledgers; zero values take the defaults of
// sidecar/ledger. The committer account pays their gas.
type LedgerConfig struct {
	// MinBalance: below it the committer's balance is warned about.
	MinBalance *big.Int
	// Interval is how often the ledgers due are looked for (default a quarter slot).
	Interval time.Duration
}

func (c *Config) check() error {
	switch {
	case c.BeaconURL == "":
		return fmt.Errorf("%w: no beacon node URL", ErrConfig)
	case c.ExecutionURL == "":
		return fmt.Errorf("%w: no execution client URL", ErrConfig)
	case c.Registry == (common.Address{}):
		return fmt.Errorf("%w: no registry address", ErrConfig)
	case c.DataDir == "" && c.Store == nil:
		return fmt.Errorf("%w: no data directory and no promise store", ErrConfig)
	case c.Listen == "":
		return fmt.Errorf("%w: no listen address", ErrConfig)
	case len(c.ValidatorKeys) == 0 && !c.Delegation.enabled():
		return fmt.Errorf("%w: no validator keys and no delegations", ErrConfig)
	case len(c.ValidatorKeys) > 0 && c.Delegation.enabled():
		return fmt.Errorf("%w: validator keys and delegations given: the validator keys sign for themselves, give one or the other", ErrConfig)
	case c.Committer == nil:
		return fmt.Errorf("%w: no committer key", ErrConfig)
	case c.Admission.Operator == (common.Address{}):
		return fmt.Errorf("%w: no operator address", ErrConfig)
	case c.Admission.Slasher == (common.Address{}):
		return fmt.Errorf("%w: no slasher address", ErrConfig)
	}
	if c.Delegation.enabled() {
		if err := c.Delegation.check(); err != nil {
			return err
		}
	}
	if err := c.Building.check(); err != nil {
		return err
	}
	if err := c.Rollups.check(); err != nil {
		return err
	}
	if _, ok := c.Committer.(ledger.TxSigner); !ok {
		return fmt.Errorf("%w: %w", ErrConfig, errNotTxSigner)
	}
	if addr, ok := c.Rollups.posterAddress(); ok && addr == c.Committer.Address() {
		return fmt.Errorf("%w: the batch poster key is the committer key: both accounts send transactions (posts, slot ledgers) and would race for nonces; use another poster key", ErrConfig)
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.RegistryTTL <= 0 {
		c.RegistryTTL = 12 * time.Second
	}
	if c.PruneEvery <= 0 {
		c.PruneEvery = 10 * time.Minute
	}
	c.API.Slasher = c.Admission.Slasher
	return nil
}

// Service is a running sidecar. Create it with New and start it with Run.
type Service struct {
	cfg Config
	log zerolog.Logger
	reg *prometheus.Registry

	// Set by Run once the dependencies are connected.
	mu       sync.Mutex
	tracker  *duties.Tracker
	state    *chainstate.State
	engine   *admission.Engine
	registry *registry.Cache
	listener net.Listener
	builder  net.Listener
	started  chan struct{}
}

// New checks the configuration. It does no network or disk I/O.
func New(cfg Config, log zerolog.Logger, reg *prometheus.Registry) (*Service, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	return &Service{
		cfg:     cfg,
		log:     log.With().Str("component", "sidecar").Logger(),
		reg:     reg,
		started: make(chan struct{}),
	}, nil
}

// Addr returns the user API's address once Run is serving, else nil.
func (s *Service) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}

// BuilderAddr returns the Builder API's address once Run is serving it,
// else nil (also when no builder listen address is configured).
func (s *Service) BuilderAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.builder == nil {
		return nil
	}
	return s.builder.Addr()
}

// Started is closed when Run serves the user API.
func (s *Service) Started() <-chan struct{} { return s.started }

// Engine returns the admission engine once Run has built it (for the block
// building parts wired beside the API).
func (s *Service) Engine() *admission.Engine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.engine
}

// Run connects to the beacon node, the execution client and the registry,
// reloads the stored promises, and serves until ctx ends. A dependency that
// goes down later degrades readiness; it does not stop Run.
func (s *Service) Run(ctx context.Context) error {
	el, err := ethclient.DialContext(ctx, s.cfg.ExecutionURL)
	if err != nil {
		return fmt.Errorf("execution client %s: %w", s.cfg.ExecutionURL, err)
	}
	defer el.Close()
	chainID, err := el.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("execution client %s: chain id: %w", s.cfg.ExecutionURL, err)
	}
	switch {
	case !chainID.IsUint64():
		return fmt.Errorf("execution client %s: chain id %s out of range", s.cfg.ExecutionURL, chainID)
	case s.cfg.Admission.L1ChainID == 0:
		s.cfg.Admission.L1ChainID = chainID.Uint64()
	case s.cfg.Admission.L1ChainID != chainID.Uint64():
		return fmt.Errorf("%w: configured for chain %d, but the execution client is on chain %s", ErrConfig, s.cfg.Admission.L1ChainID, chainID)
	}
	regClient, err := registry.New(el, s.cfg.Registry)
	if err != nil {
		return fmt.Errorf("registry at %s: %w", s.cfg.Registry, err)
	}
	regCache, err := registry.NewCache(regClient, s.cfg.RegistryTTL)
	if err != nil {
		return err
	}

	params, err := s.contractParams(ctx, regClient, el)
	if err != nil {
		return err
	}
	committer := s.cfg.Committer.(ledger.TxSigner) // checked by New

	var delegated *constraints.DelegatedKeys
	candidates, err := s.validatorPubkeys()
	if err != nil {
		return err
	}
	if s.cfg.Delegation.enabled() {
		if delegated, err = s.delegatedKeys(); err != nil {
			return err
		}
		candidates = delegated.Proposers()
	}
	ours, err := s.registeredKeys(ctx, regClient, candidates)
	if err != nil {
		return err
	}
	beacon, err := duties.Connect(ctx, s.cfg.BeaconURL, 5*time.Second)
	if err != nil {
		return err
	}
	tracker, err := duties.New(beacon, ours, s.log, duties.WithRegisterer(s.reg))
	if err != nil {
		return err
	}
	// Delegation-first, our slots are those a delegation covers.
	var slots dutySource = tracker
	if delegated != nil {
		slots = &delegatedDuties{Tracker: tracker, keys: delegated, chainID: s.cfg.Admission.L1ChainID, log: s.log}
	}
	state, err := chainstate.New(el, s.log, chainstate.WithPollInterval(s.cfg.PollInterval))
	if err != nil {
		return err
	}
	st := s.cfg.Store
	if st == nil {
		if st, err = store.Open(s.cfg.DataDir); err != nil {
			return err
		}
	}
	defer func() {
		if err := st.Close(); err != nil {
			s.log.Error().Err(err).Msg("close promise store")
		}
	}()
	l2, err := s.startRollups(ctx, el, state, tracker)
	if err != nil {
		return err
	}
	engineOpts := []admission.Option{admission.WithRegisterer(s.reg)}
	if l2 != nil {
		defer l2.close()
		engineOpts = append(engineOpts, admission.WithPoster(l2.poster))
	}
	view := &backing{cache: regCache, operator: s.cfg.Admission.Operator, committer: s.cfg.Committer.Address(),
		params: params, clock: tracker, log: s.log}
	engine, err := admission.New(s.cfg.Admission, slots, state, view, st, s.cfg.Committer, s.log, engineOpts...)
	if err != nil {
		return err
	}
	// The slot ledgers name the account whose Inbox batches carry the
	// slot's L2 promises: the batch poster, or the committer without rollups.
	poster := committer.Address()
	if l2 != nil {
		poster = l2.poster.Address()
	}
	ledgers, err := ledger.New(ledger.Config{
		ChainID:     s.cfg.Admission.L1ChainID,
		Registry:    s.cfg.Registry,
		Operator:    s.cfg.Admission.Operator,
		Poster:      poster,
		Grace:       params.LedgerGrace,
		SlashWindow: params.SlashWindow,
		MinBalance:  s.cfg.Ledger.MinBalance,
		Interval:    s.cfg.Ledger.Interval,
	}, engine, el, regClient, state, tracker, committer, s.log, ledger.WithRegisterer(s.reg))
	if err != nil {
		return err
	}
	if err := engine.Load(ctx); err != nil {
		return fmt.Errorf("reload stored promises: %w", err)
	}
	// Re-check the reloaded templates at once rather than at the next new
	// head: until then a missed promise's tx would not be carried, and the
	// top of block (and constraints) of a stacked slot would open with a
	// nonce the chain cannot reach.
	if _, err := state.Refresh(ctx); err == nil {
		if err := engine.OnHead(ctx); err != nil {
			s.log.Warn().Err(err).Msg("first re-check of the reloaded promises failed; retried at the next head")
		}
	}

	var build *building
	if s.cfg.Building.enabled() {
		if build, err = s.startBuilding(ctx, slots, delegated, engine, el.Client()); err != nil {
			return fmt.Errorf("block building: %w", err)
		}
		defer build.close()
	}

	backend := &backend{engine: engine, tracker: tracker, state: state, registry: regCache, ledgers: ledgers, cfg: &s.cfg}
	if sg := s.cfg.Delegation.Signer; sg != nil {
		backend.readiness = append(backend.readiness, sg.Err)
	}
	committerHealth, _ := s.cfg.Committer.(checkedSigner)
	if committerHealth != nil {
		backend.readiness = append(backend.readiness, func() error {
			if err := committerHealth.Err(); err != nil {
				return fmt.Errorf("committer signer %s: %w", committerHealth.Name(), err)
			}
			return nil
		})
	}
	apiCfg := s.cfg.API
	apiCfg.Codes = Codes()
	apiCfg.Gatherer = s.reg
	server, err := api.New(backend, apiCfg, s.log, s.reg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}

	s.mu.Lock()
	s.tracker, s.state, s.engine, s.registry, s.listener = tracker, state, engine, regCache, ln
	if build != nil {
		s.builder = build.ln
	}
	s.mu.Unlock()
	s.log.Info().Str("listen", ln.Addr().String()).Int("validators", len(ours)).
		Str("committer", s.cfg.Committer.Address().Hex()).Msg("sidecar serving")
	if build != nil {
		logBuilding(s.log, s.cfg.Building, build)
	}
	close(s.started)

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return tracker.Run(gctx) })
	g.Go(func() error { return state.Run(gctx) })
	g.Go(func() error { return s.followHeads(gctx, state, engine) })
	g.Go(func() error { return s.prune(gctx, engine, ledgers) })
	g.Go(func() error { return ledgers.Run(gctx) })
	if committerHealth != nil {
		g.Go(func() error { return checkSigner(gctx, committerHealth, signerCheckInterval) })
	}
	if s.cfg.FollowStore != nil {
		g.Go(func() error {
			if err := s.cfg.FollowStore(gctx, engine); err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("follow the shared promise store: %w", err)
			}
			return nil
		})
	}
	g.Go(func() error { return server.Serve(gctx, ln) })
	if sg := s.cfg.Delegation.Signer; sg != nil {
		g.Go(func() error { return sg.Run(gctx) })
	}
	if l2 != nil {
		g.Go(l2.run(gctx, s.log))
	}
	if build != nil {
		build.run(gctx, g)
	}
	err = g.Wait()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// validatorPubkeys are the public keys of the configured validator keys.
func (s *Service) validatorPubkeys() ([]protocol.BLSPubkey, error) {
	out := make([]protocol.BLSPubkey, 0, len(s.cfg.ValidatorKeys))
	for _, sk := range s.cfg.ValidatorKeys {
		pk, err := protocol.PubkeyFromSecretKey(sk)
		if err != nil {
			return nil, err
		}
		out = append(out, pk)
	}
	return out, nil
}

// delegatedKeys indexes the configured delegations to our delegate key and
// committer, warning about each one left out.
func (s *Service) delegatedKeys() (*constraints.DelegatedKeys, error) {
	dc := s.cfg.Delegation
	keys, skipped, err := constraints.NewDelegatedKeys(dc.Delegate, s.cfg.Committer.Address(), dc.Signer, dc.Delegations, dc.Revocations)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	for _, why := range skipped {
		s.log.Warn().Err(why).Msg("delegation left out")
	}
	if len(keys.Proposers()) == 0 {
		return nil, fmt.Errorf("%w: none of the %d delegations is to delegate %s with committer %s", ErrConfig,
			len(dc.Delegations), dc.Delegate, s.cfg.Committer.Address())
	}
	s.log.Info().Str("delegate", dc.Delegate.String()).Str("signer", dc.Signer.Name()).
		Int("validators", len(keys.Proposers())).Int("delegations", len(dc.Delegations)-len(skipped)).
		Int("revocations", len(dc.Revocations)).Msg("delegation-first: no validator key held")
	return keys, nil
}

// registeredKeys keeps the validator keys the Registry binds to our
// operator. A key that is not offered is warned about: selling its slots
// would be selling promises no collateral backs.
func (s *Service) registeredKeys(ctx context.Context, reg *registry.Client, candidates []protocol.BLSPubkey) ([]protocol.BLSPubkey, error) {
	var ours []protocol.BLSPubkey
	for _, pk := range candidates {
		op, err := reg.OperatorOf(ctx, pk[:])
		if err != nil {
			return nil, fmt.Errorf("look up validator %s in the registry: %w", pk, err)
		}
		if op != s.cfg.Admission.Operator {
			s.log.Warn().Str("pubkey", pk.String()).Str("registered_to", op.Hex()).
				Msg("validator key not registered to this operator: its slots are not offered")
			continue
		}
		ours = append(ours, pk)
	}
	if len(ours) == 0 {
		return nil, fmt.Errorf("%w: none of the %d validator keys is registered to operator %s", ErrConfig,
			len(candidates), s.cfg.Admission.Operator)
	}
	return ours, nil
}

// followHeads re-checks the templates on every new execution head, so a
// promised transaction the user invalidated is dropped with its reason.
func (s *Service) followHeads(ctx context.Context, state *chainstate.State, engine *admission.Engine) error {
	heads := state.Subscribe()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-heads:
			if !ok {
				return nil
			}
			if err := engine.OnHead(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn().Err(err).Msg("re-check templates on new head")
			}
		}
	}
}

// prune forgets the promises past the slash window, but only those whose
// slot's ledger is released on-chain (ledgers.Watermark): until then its
// reservation holds collateral, so its promises keep counting in the
// exposure, or a new ledger could find too little free collateral.
func (s *Service) prune(ctx context.Context, engine *admission.Engine, ledgers *ledger.Component) error {
	t := time.NewTicker(s.cfg.PruneEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			n, err := engine.PruneBefore(ctx, ledgers.Watermark())
			if err != nil {
				s.log.Warn().Err(err).Msg("prune promises past the slash window")
				continue
			}
			if n > 0 {
				s.log.Info().Int("pruned", n).Msg("pruned promises past the slash window")
			}
		}
	}
}

// checkedSigner is a committer whose last failure makes the sidecar not
// ready (ecdsasigner.Signer): a remote signer that is down or answers wrong
// sells nothing meanwhile.
type checkedSigner interface {
	Name() string
	Err() error
	Check(ctx context.Context) error
}

// signerCheckInterval is how often a failed committer signer is asked again.
const signerCheckInterval = 5 * time.Second

// checkSigner asks a failed signer again every interval until ctx ends: a
// success clears its failure, and the sidecar sells again.
func checkSigner(ctx context.Context, s checkedSigner, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if s.Err() != nil {
				_ = s.Check(ctx) // records its own outcome; readiness reports it
			}
		}
	}
}
