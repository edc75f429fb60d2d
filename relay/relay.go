package relay

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// BeaconPublisher publishes an unblinded block with its blobs through a
// beacon node (POST /eth/v2/beacon/blocks). go-eth2-client's SubmitProposal
// fits behind it.
type BeaconPublisher interface {
	PublishBlock(ctx context.Context, block *api.VersionedSignedProposal) error
}

// Fork is one fork of the chain the relay serves.
type Fork struct {
	// Version is the data version, electra or fulu.
	Version spec.DataVersion
	// Epoch is the fork's activation epoch.
	Epoch uint64
	// ForkVersion is the 4-byte fork version (for the proposer's domain).
	ForkVersion phase0.Version
}

// Config is the chain the relay serves. Every field but GenesisValidatorsRoot
// is required.
type Config struct {
	// GenesisForkVersion fixes the builder domain and the Commit-Boost domain
	// of the Constraints-API signatures.
	GenesisForkVersion phase0.Version
	// ChainID is the execution chain id in the Constraints-API signing roots;
	// zero means the chain of a known GenesisForkVersion (protocol.KnownChainID).
	ChainID uint64
	// GenesisTime and SecondsPerSlot give the current slot.
	GenesisTime    time.Time
	SecondsPerSlot uint64
	// SlotsPerEpoch maps slots to forks.
	SlotsPerEpoch uint64
	// Forks lists electra and/or fulu with their epochs; the relay serves no
	// slot before the first.
	Forks []Fork
	// GenesisValidatorsRoot, when set, makes the relay check the proposer's
	// signature on blinded blocks before revealing a payload.
	GenesisValidatorsRoot phase0.Root
}

// Limits bound the in-memory state. Zero fields take the defaults.
type Limits struct {
	// PastSlots is how many slots before the current one are kept (default 32).
	PastSlots uint64
	// FutureSlots is how far ahead messages are accepted (default 64: two epochs of duties).
	FutureSlots uint64
	// ConstraintsPerSlot caps SignedConstraints messages per slot (default 64).
	ConstraintsPerSlot int
	// DelegationsPerSlot caps delegations per slot (default 32).
	DelegationsPerSlot int
	// SubmissionsPerSlot caps stored builder submissions per slot (default 256).
	SubmissionsPerSlot int
	// MaxBodyBytes caps request bodies (default 32 MiB: a block with blobs).
	MaxBodyBytes int64
	// StreamBuffer is the per-subscriber buffer of the SSE feed (default 16).
	StreamBuffer int
}

func (l Limits) withDefaults() Limits {
	if l.PastSlots == 0 {
		l.PastSlots = 32
	}
	if l.FutureSlots == 0 {
		l.FutureSlots = 64
	}
	if l.ConstraintsPerSlot == 0 {
		l.ConstraintsPerSlot = 64
	}
	if l.DelegationsPerSlot == 0 {
		l.DelegationsPerSlot = 32
	}
	if l.SubmissionsPerSlot == 0 {
		l.SubmissionsPerSlot = 256
	}
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = 32 << 20
	}
	if l.StreamBuffer == 0 {
		l.StreamBuffer = 16
	}
	return l
}

// Option configures a Relay.
type Option func(*Relay)

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option {
	return func(r *Relay) { r.log = l.With().Str("service", "relay").Logger() }
}

// WithPublisher sets the beacon node the relay publishes unblinded blocks
// through; required for submitBlindedBlockV2.
func WithPublisher(p BeaconPublisher) Option { return func(r *Relay) { r.publisher = p } }

// WithClock replaces time.Now (tests, simulated devnets).
func WithClock(now func() time.Time) Option { return func(r *Relay) { r.now = now } }

// WithLimits sets the state bounds.
func WithLimits(l Limits) Option { return func(r *Relay) { r.limits = l } }

// Relay serves the Builder API and the Constraints API from in-memory state.
type Relay struct {
	sk     *bls.SecretKey
	pubkey phase0.BLSPubKey
	cfg    Config
	forks  []Fork

	builderDomain phase0.Domain
	domains       protocol.Domains

	log       zerolog.Logger
	publisher BeaconPublisher
	now       func() time.Time
	limits    Limits

	mu    sync.Mutex
	slots map[uint64]*slotState
	regs  map[phase0.BLSPubKey]*registration

	metrics *metrics

	stream  *broker
	closing chan struct{}
	close   sync.Once
}

// New returns a relay that signs its bids with sk. It does no I/O.
func New(sk *bls.SecretKey, cfg Config, opts ...Option) (*Relay, error) {
	if sk == nil {
		return nil, errors.New("relay: no BLS secret key specified")
	}
	pub, err := builderapi.PubkeyOf(sk)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	if cfg.SecondsPerSlot == 0 || cfg.SlotsPerEpoch == 0 {
		return nil, errors.New("relay: seconds per slot and slots per epoch are required")
	}
	if cfg.GenesisTime.IsZero() {
		return nil, errors.New("relay: no genesis time specified")
	}
	if len(cfg.Forks) == 0 {
		return nil, errors.New("relay: no fork specified")
	}
	chainID := cfg.ChainID
	if chainID == 0 {
		chainID, _ = protocol.KnownChainID(cfg.GenesisForkVersion)
	}
	forks := append([]Fork(nil), cfg.Forks...)
	sort.Slice(forks, func(i, j int) bool { return forks[i].Epoch < forks[j].Epoch })
	for _, f := range forks {
		if err := builderapi.CheckVersion(f.Version); err != nil {
			return nil, fmt.Errorf("relay: fork at epoch %d: %w", f.Epoch, err)
		}
	}
	r := &Relay{
		sk:            sk,
		pubkey:        pub,
		cfg:           cfg,
		forks:         forks,
		builderDomain: builderapi.BuilderDomain(cfg.GenesisForkVersion),
		domains:       protocol.NewDomains(cfg.GenesisForkVersion, chainID),
		log:           zerolog.Nop(),
		now:           time.Now,
		slots:         make(map[uint64]*slotState),
		regs:          make(map[phase0.BLSPubKey]*registration),
		closing:       make(chan struct{}),
	}
	for _, o := range opts {
		o(r)
	}
	r.limits = r.limits.withDefaults()
	r.stream = newBroker(r.limits.StreamBuffer)
	return r, nil
}

// Pubkey is the relay's BLS key, the pubkey of every bid it serves.
func (r *Relay) Pubkey() phase0.BLSPubKey { return r.pubkey }

// currentSlot is the wall-clock slot (0 before genesis).
func (r *Relay) currentSlot() uint64 {
	d := r.now().Sub(r.cfg.GenesisTime)
	if d < 0 {
		return 0
	}
	return uint64(d / (time.Duration(r.cfg.SecondsPerSlot) * time.Second))
}

// checkWindow refuses slots the relay does not keep.
func (r *Relay) checkWindow(slot uint64) error {
	cur := r.currentSlot()
	lo := uint64(0)
	if cur > r.limits.PastSlots {
		lo = cur - r.limits.PastSlots
	}
	if slot < lo || slot > cur+r.limits.FutureSlots {
		return fmt.Errorf("%w: slot %d, current %d", ErrSlotWindow, slot, cur)
	}
	return nil
}

// forkAt returns the fork of slot, or an error before the first served fork.
func (r *Relay) forkAt(slot uint64) (Fork, error) {
	epoch := slot / r.cfg.SlotsPerEpoch
	var f *Fork
	for i := range r.forks {
		if r.forks[i].Epoch <= epoch {
			f = &r.forks[i]
		}
	}
	if f == nil {
		return Fork{}, fmt.Errorf("%w: slot %d is before the first served fork", builderapi.ErrUnsupportedVersion, slot)
	}
	return *f, nil
}

// Handler returns the HTTP handler of both APIs.
func (r *Relay) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /eth/v1/builder/status", r.handleStatus)
	mux.HandleFunc("POST /eth/v1/builder/validators", r.handleRegisterValidators)
	mux.HandleFunc("GET /eth/v1/builder/header/{slot}/{parent_hash}/{pubkey}", r.handleGetHeader)
	mux.HandleFunc("POST /eth/v1/builder/blinded_blocks", r.handleBlindedBlockV1)
	mux.HandleFunc("POST /eth/v2/builder/blinded_blocks", r.handleBlindedBlockV2)

	mux.HandleFunc("POST /constraints/v0/builder/constraints", r.handlePostConstraints)
	mux.HandleFunc("POST /constraints/v0/builder/delegate", r.handleDelegate)
	mux.HandleFunc("POST /constraints/v0/builder/revoke", r.handleRevoke)
	mux.HandleFunc("GET /constraints/v0/builder/capabilities", r.handleCapabilities)
	mux.HandleFunc("GET /constraints/v0/builder/header_with_proofs/{slot}/{parent_hash}/{pubkey}", r.handleHeaderWithProofs)
	mux.HandleFunc("GET /constraints/v0/relay/delegations/{slot}", r.handleGetDelegations)
	mux.HandleFunc("GET /constraints/v0/relay/constraints/{slot}", r.handleGetConstraints)
	mux.HandleFunc("GET /constraints/v0/relay/constraints_stream/{slot}", r.handleConstraintsStream)
	mux.HandleFunc("POST /constraints/v0/relay/blocks_with_proofs", r.handleBlocksWithProofs)
	return mux
}

// Run serves Handler on addr until ctx ends, then stops taking requests,
// ends the SSE streams and lets in-flight requests (a payload being
// revealed) finish for up to 5 s.
func (r *Relay) Run(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("relay: listen on %s: %w", addr, err)
	}
	return r.Serve(ctx, ln)
}

// Serve is Run on an open listener (tests take an ephemeral port).
func (r *Relay) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           r.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		// Requests must not die with ctx: shutdown drains them instead.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	r.log.Info().Str("addr", ln.Addr().String()).Str("pubkey", r.pubkey.String()).Msg("relay listening")
	select {
	case err := <-errc:
		return fmt.Errorf("relay: serve: %w", err)
	case <-ctx.Done():
	}
	r.Close()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("relay: shutdown: %w", err)
	}
	return nil
}

// Close ends the SSE streams; Serve calls it on shutdown.
func (r *Relay) Close() { r.close.Do(func() { close(r.closing) }) }
