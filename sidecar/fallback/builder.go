package fallback

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// EngineClient is the execution client's JWT-authenticated engine API. An
// *rpc.Client from DialEngine satisfies it.
type EngineClient interface {
	CallContext(ctx context.Context, result any, method string, args ...any) error
}

// EL is the execution client's open JSON-RPC endpoint (eth_*, txpool_*,
// testing_*). An *rpc.Client from rpc.DialContext satisfies it.
type EL interface {
	CallContext(ctx context.Context, result any, method string, args ...any) error
}

var (
	_ EngineClient = (*rpc.Client)(nil)
	_ EL           = (*rpc.Client)(nil)
)

// DialEngine dials the engine API at url with a JWT made from secret, as a
// beacon node does. For HTTP it does no I/O until the first call.
func DialEngine(ctx context.Context, url string, secret [32]byte) (*rpc.Client, error) {
	c, err := rpc.DialOptions(ctx, url, rpc.WithHTTPAuth(node.NewJWTAuth(secret)))
	if err != nil {
		return nil, fmt.Errorf("dial engine api %s: %w", url, err)
	}
	return c, nil
}

// Config holds the builder's settings; cmd fills it from flags.
type Config struct {
	// GenesisForkVersion fixes the builder signing domain.
	GenesisForkVersion phase0.Version
	// FeeRecipient is used when a request names none.
	FeeRecipient common.Address
	// GasLimit is the gas limit the proposer registered, used when a request
	// names none; zero skips the check. The execution client picks the gas
	// limit itself (geth: --miner.gaslimit), moving at most 1/1024 from the
	// parent's towards its target; a payload that does not move towards
	// this one is still offered (a block with the promises beats a missed
	// slot) but logged and counted.
	GasLimit uint64
	// FuluTime is the first timestamp of the Fulu fork (Osaka on the
	// execution layer); earlier blocks are built as Electra (Prague). Zero
	// means Fulu from genesis.
	FuluTime uint64
	// ExtraData is the payload's extra data (at most 32 bytes).
	ExtraData []byte
}

type options struct {
	reg         prometheus.Registerer
	poolTxs     int
	own         []common.Address
	keep        int
	timeout     time.Duration
	payloadWait time.Duration
}

// Option configures a Builder.
type Option func(*options)

// WithRegisterer registers the builder's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithPoolTxs lets the builder append up to n pending mempool transactions
// (read with txpool_content) after the promised ones; 0 (the default)
// builds the promised transactions only. Extras that make the build fail
// are dropped and the block is built again without them.
func WithPoolTxs(n int) Option { return func(o *options) { o.poolTxs = n } }

// WithOwnSenders makes the builder append the pending transactions of
// these accounts (read with txpool_contentFrom) after the promised ones,
// whatever WithPoolTxs says: the sidecar's own accounts, whose transactions
// (the committer's slot ledgers) must land even when every block of the
// chain is built here from promises alone.
func WithOwnSenders(addrs ...common.Address) Option {
	return func(o *options) { o.own = append(o.own, addrs...) }
}

// WithKeep sets how many built payloads are kept for unblinding (default 8,
// a few slots' worth even when a slot is built more than once).
func WithKeep(n int) Option { return func(o *options) { o.keep = n } }

// WithTimeout bounds one Build, whatever the caller's context (default 2 s).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithPayloadWait sets how long the forkchoiceUpdated path lets the
// execution client build before getPayload (default 250 ms).
func WithPayloadWait(d time.Duration) Option { return func(o *options) { o.payloadWait = d } }

// BuildRequest names the block to build.
type BuildRequest struct {
	// Slot is the beacon slot of the block.
	Slot uint64
	// Timestamp is the slot's start time, the payload's timestamp.
	Timestamp uint64
	// ParentHash is the execution block hash of the parent: the head the
	// beacon node builds on.
	ParentHash common.Hash
	// ProposerPubkey is the proposer the bid is for (logs and the cache).
	ProposerPubkey phase0.BLSPubKey
	// PrevRandao is the randao mix for the slot.
	PrevRandao common.Hash
	// ParentBeaconRoot is the parent beacon block root (EIP-4788).
	ParentBeaconRoot common.Hash
	// Withdrawals are the slot's expected withdrawals, in order.
	Withdrawals []*capella.Withdrawal
	// FeeRecipient receives the fees; Config.FeeRecipient when zero.
	FeeRecipient common.Address
	// GasLimit is the proposer's registered gas limit; Config.GasLimit when zero.
	GasLimit uint64
	// TopTxs are the promised transactions in network encoding (blob
	// transactions with their sidecars), in promise order: the payload
	// opens with their canonical encodings, and their blobs go to the
	// blobs bundle.
	TopTxs [][]byte
}

// Built is a payload the execution client built and judged valid, with the
// bid offered for it.
type Built struct {
	Slot           uint64
	ProposerPubkey phase0.BLSPubKey
	// Version is the fork of the payload and bid (electra or fulu).
	Version spec.DataVersion
	// Payload is the full execution payload, for unblinding.
	Payload *deneb.ExecutionPayload
	// BlobsBundle holds the blobs of the payload's blob transactions: one
	// KZG proof per blob in Electra, the cell proofs in Fulu.
	BlobsBundle *builderapi.BlobsBundle
	// ExecutionRequests are the payload's EIP-7685 requests, decoded.
	ExecutionRequests *electra.ExecutionRequests
	// RawRequests are the same requests in the engine API form (type byte
	// then the SSZ-concatenated requests), as newPayload takes them.
	RawRequests [][]byte
	// ParentBeaconRoot is the root the payload was built and checked with.
	ParentBeaconRoot common.Hash
	// Value is the fees paid to the fee recipient, in wei: the bid's value.
	Value *uint256.Int
	// Bid is the signed bid for the payload's header.
	Bid *builderapi.VersionedSignedBuilderBid
	// Envelope is the execution client's answer, for importing the payload
	// (engine_newPayload) as a beacon node would.
	Envelope *engine.ExecutionPayloadEnvelope
}

// BlockHash is the payload's block hash, the key Payload looks it up by.
func (b *Built) BlockHash() phase0.Hash32 { return b.Payload.BlockHash }

// Builder builds fallback payloads through one execution client. It is safe
// for concurrent use.
type Builder struct {
	engine EngineClient
	el     EL
	sk     *bls.SecretKey
	pubkey phase0.BLSPubKey
	domain phase0.Domain
	cfg    Config
	opts   options
	log    zerolog.Logger
	m      *metrics
	cache  *payloadCache
}

// New returns a builder that signs bids with builderKey. It checks its
// inputs and does no network I/O.
func New(engineAPI EngineClient, el EL, builderKey *bls.SecretKey, cfg Config, log zerolog.Logger, opts ...Option) (*Builder, error) {
	switch {
	case engineAPI == nil:
		return nil, fmt.Errorf("%w: no engine API client specified", ErrConfig)
	case el == nil:
		return nil, fmt.Errorf("%w: no execution client specified", ErrConfig)
	case builderKey == nil:
		return nil, fmt.Errorf("%w: no builder key specified", ErrConfig)
	case len(cfg.ExtraData) > 32:
		return nil, fmt.Errorf("%w: extra data of %d bytes, at most 32", ErrConfig, len(cfg.ExtraData))
	}
	o := options{keep: 8, timeout: 2 * time.Second, payloadWait: 250 * time.Millisecond}
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case o.poolTxs < 0:
		return nil, fmt.Errorf("%w: pool txs %d, want >= 0", ErrConfig, o.poolTxs)
	case o.keep <= 0:
		return nil, fmt.Errorf("%w: keep %d payloads, want > 0", ErrConfig, o.keep)
	case o.timeout <= 0 || o.payloadWait <= 0:
		return nil, fmt.Errorf("%w: timeout %s and payload wait %s must be > 0", ErrConfig, o.timeout, o.payloadWait)
	}
	pub, err := builderapi.PubkeyOf(builderKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	m, err := newMetrics(o.reg)
	if err != nil {
		return nil, err
	}
	return &Builder{
		engine: engineAPI,
		el:     el,
		sk:     builderKey,
		pubkey: pub,
		domain: builderapi.BuilderDomain(cfg.GenesisForkVersion),
		cfg:    cfg,
		opts:   o,
		log:    log.With().Str("component", "fallback").Logger(),
		m:      m,
		cache:  newPayloadCache(o.keep),
	}, nil
}

// Pubkey is the builder key's public key, the bids' signer.
func (b *Builder) Pubkey() phase0.BLSPubKey { return b.pubkey }

// Domain is the builder signing domain the bids are signed under.
func (b *Builder) Domain() phase0.Domain { return b.domain }

// Payload returns the payload built with block hash h, for unblinding a
// signed header this builder offered; ErrUnknownPayload otherwise.
func (b *Builder) Payload(h phase0.Hash32) (*Built, error) {
	if built, ok := b.cache.get(h); ok {
		return built, nil
	}
	return nil, fmt.Errorf("%w: block hash %#x", ErrUnknownPayload, h[:])
}

// Build builds, checks and signs a payload for req. A payload is returned
// only if it opens with req.TopTxs in order, matches the request's
// attributes, and engine_newPayload judged it VALID (or ACCEPTED); anything
// else is an error and nothing is offered.
func (b *Builder) Build(ctx context.Context, req BuildRequest) (*Built, error) {
	start := time.Now()
	built, path, err := b.build(ctx, req)
	elapsed := time.Since(start)
	b.m.seconds.Observe(elapsed.Seconds())
	b.m.builds.WithLabelValues(resultLabel(err), path).Inc()
	ev := b.log.Info()
	switch {
	case err != nil && ctx.Err() != nil:
		// The caller stopped waiting (a relay's bid won the race): not a fault.
		ev = b.log.Debug().Err(err)
	case err != nil:
		ev = b.log.Warn().Err(err)
	}
	ev = ev.Uint64("slot", req.Slot).Str("path", path).Int("promised_txs", len(req.TopTxs)).Int64("duration_ms", elapsed.Milliseconds())
	if err != nil {
		if ctx.Err() != nil {
			ev.Msg("fallback build abandoned")
		} else {
			ev.Msg("fallback build failed")
		}
		return nil, fmt.Errorf("fallback build for slot %d: %w", req.Slot, err)
	}
	ev.Str("block_hash", built.Payload.BlockHash.String()).Int("txs", len(built.Payload.Transactions)).
		Str("value", built.Value.Dec()).Msg("fallback block built")
	return built, nil
}

// Build paths, for logs and metrics.
const (
	pathTesting    = "testing_buildBlockV1"
	pathForkchoice = "forkchoice"
	pathNone       = "none"
)

func (b *Builder) build(ctx context.Context, req BuildRequest) (*Built, string, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.timeout)
	defer cancel()
	version := b.versionAt(req.Timestamp)
	top, err := prepareTop(req.TopTxs, version)
	if err != nil {
		return nil, pathNone, err
	}
	parent, err := b.blockHeader(ctx, "eth_getBlockByHash", req.ParentHash)
	if err != nil {
		return nil, pathNone, err
	}
	if req.Timestamp <= uint64(parent.Time) {
		return nil, pathNone, fmt.Errorf("%w: timestamp %d not after parent's %d", ErrBadRequest, req.Timestamp, parent.Time)
	}
	if len(req.Withdrawals) > builderapi.MaxWithdrawalsPerPayload {
		return nil, pathNone, fmt.Errorf("%w: %d withdrawals", ErrBadRequest, len(req.Withdrawals))
	}
	attrs := b.attributes(req)

	path := pathTesting
	env, err := b.buildTesting(ctx, req, attrs, top, parent)
	if isMethodMissing(err) {
		b.log.Warn().Uint64("slot", req.Slot).Msg("execution client has no testing_buildBlockV1 (enable the testing namespace on HTTP); building through forkchoiceUpdated, which cannot force the order")
		path = pathForkchoice
		env, err = b.buildForkchoice(ctx, req, attrs, top, version)
	}
	if err != nil {
		return nil, path, err
	}
	if err := checkPayload(env, req.ParentHash, attrs, top, version); err != nil {
		if path == pathForkchoice && errors.Is(err, errTopMismatch) {
			return nil, path, fmt.Errorf("%w: %w", ErrOrderNotForced, err)
		}
		return nil, path, fmt.Errorf("%w: %w", ErrPayloadMismatch, err)
	}
	b.checkGasLimit(req, parent, env.ExecutionPayload.GasLimit)
	if err := b.newPayload(ctx, env, req.ParentBeaconRoot); err != nil {
		return nil, path, err
	}
	built, err := b.offer(req, env, version)
	if err != nil {
		return nil, path, err
	}
	b.cache.put(built)
	return built, path, nil
}

// versionAt is the fork of a block at timestamp ts.
func (b *Builder) versionAt(ts uint64) spec.DataVersion {
	if ts >= b.cfg.FuluTime {
		return spec.DataVersionFulu
	}
	return spec.DataVersionElectra
}

func (b *Builder) attributes(req BuildRequest) engine.PayloadAttributes {
	fee := req.FeeRecipient
	if fee == (common.Address{}) {
		fee = b.cfg.FeeRecipient
	}
	ws := make([]*types.Withdrawal, len(req.Withdrawals)) // never nil: nil means pre-Shanghai to the engine API
	for i, w := range req.Withdrawals {
		ws[i] = &types.Withdrawal{
			Index:     uint64(w.Index),
			Validator: uint64(w.ValidatorIndex),
			Address:   common.Address(w.Address),
			Amount:    uint64(w.Amount),
		}
	}
	root := req.ParentBeaconRoot
	return engine.PayloadAttributes{
		Timestamp:             req.Timestamp,
		Random:                req.PrevRandao,
		SuggestedFeeRecipient: fee,
		Withdrawals:           ws,
		BeaconRoot:            &root,
	}
}

// checkGasLimit logs a payload whose gas limit does not move towards the
// registered one: the execution client's own target decides it.
func (b *Builder) checkGasLimit(req BuildRequest, parent *blockHeader, got uint64) {
	want := req.GasLimit
	if want == 0 {
		want = b.cfg.GasLimit
	}
	if want == 0 {
		return
	}
	if exp := core.CalcGasLimit(uint64(parent.GasLimit), want); got != exp {
		b.m.gasLimitMismatch.Inc()
		b.log.Warn().Uint64("slot", req.Slot).Uint64("gas_limit", got).Uint64("want_gas_limit", exp).
			Msg("execution client's gas limit target differs from the registered one (set geth --miner.gaslimit)")
	}
}

// offer converts the payload, signs the bid and assembles the result.
func (b *Builder) offer(req BuildRequest, env *engine.ExecutionPayloadEnvelope, version spec.DataVersion) (*Built, error) {
	payload, err := builderapi.PayloadFromEngine(env.ExecutionPayload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPayloadMismatch, err)
	}
	bundle, err := builderapi.BlobsBundleFromEngine(env.BlobsBundle)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPayloadMismatch, err)
	}
	reqs, err := builderapi.RequestsFromEngine(env.Requests)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPayloadMismatch, err)
	}
	value := new(uint256.Int)
	if env.BlockValue != nil {
		if overflow := value.SetFromBig(env.BlockValue); overflow || env.BlockValue.Sign() < 0 {
			return nil, fmt.Errorf("%w: block value %v out of range", ErrPayloadMismatch, env.BlockValue)
		}
	}
	header, err := builderapi.HeaderFromPayload(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPayloadMismatch, err)
	}
	bid := &builderapi.BuilderBid{
		Header:             header,
		BlobKZGCommitments: append([]deneb.KZGCommitment{}, bundle.Commitments...),
		ExecutionRequests:  reqs,
		Value:              new(uint256.Int).Set(value),
	}
	signed, err := builderapi.SignBid(bid, b.domain, b.sk)
	if err != nil {
		return nil, err
	}
	raw := make([][]byte, len(env.Requests))
	copy(raw, env.Requests)
	return &Built{
		Slot:              req.Slot,
		ProposerPubkey:    req.ProposerPubkey,
		Version:           version,
		Payload:           payload,
		BlobsBundle:       bundle,
		ExecutionRequests: reqs,
		RawRequests:       raw,
		ParentBeaconRoot:  req.ParentBeaconRoot,
		Value:             value,
		Bid:               &builderapi.VersionedSignedBuilderBid{Version: version, Data: signed},
		Envelope:          env,
	}, nil
}
