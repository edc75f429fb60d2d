package builderproxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// Promises gives the transactions a slot's block must open with, in order
// (network encoding); empty when the slot has no promises. The constraints
// Sender fits: it answers what it signed for the slot.
type Promises interface {
	TopOfBlock(slot uint64) [][]byte
}

// FallbackRequest is what the proxy knows when it asks for a local block;
// the fallback adds what the beacon node knows (prev_randao, withdrawals,
// parent beacon block root, timestamp).
type FallbackRequest struct {
	Slot       uint64
	ParentHash phase0.Hash32
	Proposer   phase0.BLSPubKey
	// FeeRecipient and GasLimit are the proposer's registration's, zero when
	// the proxy has none.
	FeeRecipient bellatrix.ExecutionAddress
	GasLimit     uint64
	// TopTxs open the block in this order (network encoding).
	TopTxs [][]byte
}

// FallbackBlock is a local block checked by the execution client, with its
// bid signed by the sidecar's builder key.
type FallbackBlock struct {
	Version     spec.DataVersion
	Bid         *builderapi.SignedBuilderBid
	Payload     *deneb.ExecutionPayload
	BlobsBundle *builderapi.BlobsBundle
}

// Fallback builds the local block holding every promised transaction.
type Fallback interface {
	Build(ctx context.Context, req FallbackRequest) (*FallbackBlock, error)
}

// Publisher publishes a full signed block with its blobs through the beacon
// node (POST /eth/v2/beacon/blocks); relay.BeaconPublisher has the same shape.
type Publisher interface {
	PublishBlock(ctx context.Context, block *api.VersionedSignedProposal) error
}

// Config is the proxy's chain and relays.
type Config struct {
	// GenesisForkVersion fixes the builder domain relay bids are signed under.
	GenesisForkVersion phase0.Version
	// Relays are the relays' URLs, http(s)://[0xpubkey@]host.
	Relays []string
	// SoftTimeout: once it passes, getHeader answers with the best valid
	// bid it has (default 500 ms).
	SoftTimeout time.Duration
	// HardTimeout: getHeader never takes longer (default 950 ms, under the
	// beacon nodes' 1 s).
	HardTimeout time.Duration
	// Timeouts of the other operations.
	Timeouts Timeouts
}

type options struct {
	log       zerolog.Logger
	reg       prometheus.Registerer
	fallback  Fallback
	publisher Publisher
	transport http.RoundTripper
	keepSlots uint64
}

// Option configures a Proxy.
type Option func(*options)

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// WithRegisterer registers the proxy's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithFallback sets the local fallback builder, served for a slot with
// promises when no relay bid proves them.
func WithFallback(f Fallback) Option { return func(o *options) { o.fallback = f } }

// WithPublisher sets the beacon node that publishes unblinded fallback
// blocks (submitBlindedBlockV2).
func WithPublisher(p Publisher) Option { return func(o *options) { o.publisher = p } }

// WithTransport sets the HTTP transport of every relay client.
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.transport = rt } }

// Proxy serves the Builder API to the beacon node.
type Proxy struct {
	promises      Promises
	cfg           Config
	opts          options
	relays        []*relayClient
	builderDomain phase0.Domain
	log           zerolog.Logger
	m             *metrics

	mu       sync.Mutex
	served   map[phase0.Hash32]*servedBid
	revealed map[uint64]phase0.Root // slot → root of the one fallback block revealed
	regs     map[phase0.BLSPubKey]*apiv1.ValidatorRegistration
	maxSlot  uint64

	keyMu sync.Mutex
	keys  map[phase0.BLSPubKey]*bls.PublicKey
}

// New checks its inputs and builds a proxy; it does no network I/O.
func New(p Promises, cfg Config, opts ...Option) (*Proxy, error) {
	if p == nil {
		return nil, errors.New("builderproxy: no promises source specified")
	}
	if cfg.SoftTimeout == 0 {
		cfg.SoftTimeout = 500 * time.Millisecond
	}
	if cfg.HardTimeout == 0 {
		cfg.HardTimeout = 950 * time.Millisecond
	}
	if cfg.SoftTimeout < 0 || cfg.HardTimeout < cfg.SoftTimeout {
		return nil, fmt.Errorf("builderproxy: soft timeout %s, hard %s: want 0 < soft <= hard", cfg.SoftTimeout, cfg.HardTimeout)
	}
	t := &cfg.Timeouts
	if t.Register == 0 {
		t.Register = 3 * time.Second
	}
	if t.Payload == 0 {
		t.Payload = 4 * time.Second
	}
	if t.Status == 0 {
		t.Status = time.Second
	}
	if t.Register < 0 || t.Payload < 0 || t.Status < 0 {
		return nil, errors.New("builderproxy: negative timeout")
	}
	o := options{log: zerolog.Nop(), keepSlots: 64}
	for _, opt := range opts {
		opt(&o)
	}
	if len(cfg.Relays) == 0 && o.fallback == nil {
		return nil, errors.New("builderproxy: no relay and no fallback specified")
	}
	m, err := newMetrics(o.reg)
	if err != nil {
		return nil, err
	}
	px := &Proxy{
		promises: p, cfg: cfg, opts: o, m: m,
		builderDomain: builderapi.BuilderDomain(cfg.GenesisForkVersion),
		log:           o.log.With().Str("component", "builderproxy").Logger(),
		served:        make(map[phase0.Hash32]*servedBid),
		revealed:      make(map[uint64]phase0.Root),
		regs:          make(map[phase0.BLSPubKey]*apiv1.ValidatorRegistration),
		keys:          make(map[phase0.BLSPubKey]*bls.PublicKey),
	}
	for _, raw := range cfg.Relays {
		e, err := ParseRelay(raw)
		if err != nil {
			return nil, fmt.Errorf("builderproxy: %w", err)
		}
		px.relays = append(px.relays, newRelayClient(e, cfg.HardTimeout, cfg.Timeouts, o.transport))
	}
	return px, nil
}

// Handler returns the Builder API handler.
func (p *Proxy) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /eth/v1/builder/status", p.handleStatus)
	mux.HandleFunc("POST /eth/v1/builder/validators", p.handleRegisterValidators)
	mux.HandleFunc("GET /eth/v1/builder/header/{slot}/{parent_hash}/{pubkey}", p.handleGetHeader)
	mux.HandleFunc("POST /eth/v1/builder/blinded_blocks", p.handleBlindedBlock(1))
	mux.HandleFunc("POST /eth/v2/builder/blinded_blocks", p.handleBlindedBlock(2))
	return mux
}

// Run serves Handler on addr until ctx ends, then lets in-flight requests
// (a payload being revealed) finish for up to 5 s.
func (p *Proxy) Run(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("builderproxy: listen on %s: %w", addr, err)
	}
	return p.Serve(ctx, ln)
}

// Serve is Run on an open listener.
func (p *Proxy) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           p.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	p.log.Info().Str("addr", ln.Addr().String()).Int("relays", len(p.relays)).Msg("builder proxy listening")
	select {
	case err := <-errc:
		return fmt.Errorf("builderproxy: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("builderproxy: shutdown: %w", err)
	}
	return nil
}
