package sidecar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/builderproxy"
	"github.com/pledgeproto/pledge/sidecar/constraints"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/fallback"
)

// ErrBeacon is returned when the beacon node cannot give what block
// building needs (genesis, spec, the proposal's randao, withdrawals or
// parent root) or refuses a block.
var ErrBeacon = errors.New("beacon node")

// BuildingConfig turns on block building; its zero value leaves the sidecar
// serving requests only (the proposer then builds its blocks unaided, and
// promises are kept only by a builder that learns of them elsewhere).
type BuildingConfig struct {
	// Relays receive the signed constraints of our slots (Constraints API)
	// and are asked for bids (Builder API), as http(s)://[0xpubkey@]host.
	Relays []string
	// BuilderListen is where the Builder API is served to the beacon node
	// (host:port); empty serves none.
	BuilderListen string
	// EngineURL is the execution client's authenticated engine API: with
	// it the builder proxy has a local fallback block.
	EngineURL string
	// JWTSecret authenticates EngineURL; required with it.
	JWTSecret *[32]byte
	// BuilderKey signs the fallback's bids; nil generates one at start
	// (the beacon node takes any builder key from its own builder endpoint).
	BuilderKey *bls.SecretKey
	// FeeRecipient receives a fallback block's fees when the proposer has
	// not registered one through the builder endpoint.
	FeeRecipient common.Address
	// PoolTxs lets the fallback block carry up to this many pending
	// mempool transactions after the promised ones (0: promises only,
	// the fastest build; reading a large pool takes time).
	PoolTxs int
	// SoftTimeout and HardTimeout bound getHeader (zero: the proxy's
	// defaults, 500 ms and 950 ms); short-slot devnets need less.
	SoftTimeout time.Duration
	HardTimeout time.Duration
}

func (c *BuildingConfig) check() error {
	for _, r := range c.Relays {
		if _, err := builderproxy.ParseRelay(r); err != nil {
			return fmt.Errorf("%w: %w", ErrConfig, err)
		}
	}
	switch {
	case c.EngineURL != "" && c.BuilderListen == "":
		return fmt.Errorf("%w: an engine URL (the fallback block) needs a builder listen address to serve it", ErrConfig)
	case c.EngineURL != "" && c.JWTSecret == nil:
		return fmt.Errorf("%w: an engine URL needs its JWT secret", ErrConfig)
	case c.EngineURL != "" && c.FeeRecipient == (common.Address{}):
		return fmt.Errorf("%w: the fallback block needs a fee recipient", ErrConfig)
	case c.BuilderListen != "" && len(c.Relays) == 0 && c.EngineURL == "":
		return fmt.Errorf("%w: the builder endpoint needs relays or an engine URL (the fallback block)", ErrConfig)
	case c.SoftTimeout < 0 || c.HardTimeout < 0:
		return fmt.Errorf("%w: negative getHeader timeout", ErrConfig)
	case c.PoolTxs < 0:
		return fmt.Errorf("%w: negative fallback pool transaction count", ErrConfig)
	}
	return nil
}

func (c *BuildingConfig) enabled() bool { return len(c.Relays) > 0 || c.BuilderListen != "" }

// building is the block-building half of a running sidecar: the
// constraints sender and the builder proxy with its fallback.
type building struct {
	sender    *constraints.Sender
	proxy     *builderproxy.Proxy
	ln        net.Listener
	engineRPC *rpc.Client
}

// startBuilding builds the configured parts. It reads the chain's genesis
// and spec from the beacon node (the fallback's fork times) and opens the
// builder listener; nothing runs until run.
func (s *Service) startBuilding(ctx context.Context, tracker *duties.Tracker, engine *admission.Engine, el *rpc.Client) (*building, error) {
	cfg := s.cfg.Building
	b := &building{}
	// The engine answers the whole top of block: the rollups' batch post,
	// then the promised L1 transactions.
	var templates constraints.Templates = engine
	var promises builderproxy.Promises = engine
	if len(cfg.Relays) > 0 {
		keys, err := constraints.NewStaticKeys(s.cfg.ValidatorKeys, nil)
		if err != nil {
			return nil, err
		}
		b.sender, err = constraints.New(tracker, templates, keys, constraints.Config{
			Relays:           cfg.Relays,
			DeadlineFraction: engine.Config().DeadlineFraction,
			Committer:        s.cfg.Committer.Address(),
		}, constraints.WithLogger(s.log), constraints.WithRegisterer(s.reg))
		if err != nil {
			return nil, err
		}
		// Relay bids are checked against what was signed for the slot.
		promises = b.sender
	}
	if cfg.BuilderListen == "" {
		return b, nil
	}

	beacon := newBeaconAPI(s.cfg.BeaconURL)
	chain, err := beacon.chain(ctx)
	if err != nil {
		return nil, err
	}
	opts := []builderproxy.Option{
		builderproxy.WithLogger(s.log), builderproxy.WithRegisterer(s.reg), builderproxy.WithPublisher(beacon),
	}
	if cfg.EngineURL != "" {
		fb, engineRPC, err := s.newFallback(ctx, chain, el)
		if err != nil {
			return nil, err
		}
		b.engineRPC = engineRPC
		opts = append(opts, builderproxy.WithFallback(&fallbackBlocks{builder: fb, beacon: beacon, clock: tracker.Clock}))
	}
	b.proxy, err = builderproxy.New(promises, builderproxy.Config{
		GenesisForkVersion: chain.genesisForkVersion,
		Relays:             cfg.Relays,
		SoftTimeout:        cfg.SoftTimeout,
		HardTimeout:        cfg.HardTimeout,
	}, opts...)
	if err != nil {
		b.close()
		return nil, err
	}
	if b.ln, err = net.Listen("tcp", cfg.BuilderListen); err != nil {
		b.close()
		return nil, fmt.Errorf("builder endpoint: listen on %s: %w", cfg.BuilderListen, err)
	}
	return b, nil
}

func (s *Service) newFallback(ctx context.Context, chain chainInfo, el *rpc.Client) (*fallback.Builder, *rpc.Client, error) {
	cfg := s.cfg.Building
	key := cfg.BuilderKey
	if key == nil {
		var err error
		if key, _, err = bls.GenerateNewKeypair(); err != nil {
			return nil, nil, fmt.Errorf("generate builder key: %w", err)
		}
	}
	engineRPC, err := fallback.DialEngine(ctx, cfg.EngineURL, *cfg.JWTSecret)
	if err != nil {
		return nil, nil, err
	}
	fb, err := fallback.New(engineRPC, el, key, fallback.Config{
		GenesisForkVersion: chain.genesisForkVersion,
		FeeRecipient:       cfg.FeeRecipient,
		FuluTime:           chain.fuluTime,
	}, s.log, fallback.WithRegisterer(s.reg), fallback.WithPoolTxs(cfg.PoolTxs))
	if err != nil {
		engineRPC.Close()
		return nil, nil, err
	}
	ev := s.log.Info().Str("builder_pubkey", fb.Pubkey().String())
	if cfg.BuilderKey == nil {
		ev = ev.Bool("ephemeral", true)
	}
	ev.Msg("fallback builder ready")
	return fb, engineRPC, nil
}

// run starts the configured parts under g.
func (b *building) run(ctx context.Context, g interface{ Go(func() error) }) {
	if b.sender != nil {
		g.Go(func() error { return b.sender.Run(ctx) })
	}
	if b.proxy != nil {
		g.Go(func() error { return b.proxy.Serve(ctx, b.ln) })
	}
}

// close releases what startBuilding opened. The listener may already be
// closed by the proxy's shutdown; closing it again is harmless.
func (b *building) close() {
	if b.ln != nil {
		_ = b.ln.Close()
	}
	if b.engineRPC != nil {
		b.engineRPC.Close()
	}
}

// fallbackBlocks adapts the fallback builder to the proxy: it adds what the
// beacon node knows of the proposal (timestamp, prev_randao, withdrawals,
// parent beacon block root) to what the proxy asks.
type fallbackBlocks struct {
	builder *fallback.Builder
	beacon  *beaconAPI
	clock   func() duties.Clock
}

var _ builderproxy.Fallback = (*fallbackBlocks)(nil)

func (f *fallbackBlocks) Build(ctx context.Context, req builderproxy.FallbackRequest) (*builderproxy.FallbackBlock, error) {
	clock := f.clock()
	if clock.SlotDuration <= 0 {
		return nil, fmt.Errorf("%w: slot clock not known yet", ErrBeacon)
	}
	ts := clock.SlotStart(req.Slot).Unix()
	if ts <= 0 {
		return nil, fmt.Errorf("%w: slot %d starts before 1970", ErrBeacon, req.Slot)
	}
	pc, err := f.beacon.proposal(ctx, req.Slot)
	if err != nil {
		return nil, err
	}
	built, err := f.builder.Build(ctx, fallback.BuildRequest{
		Slot:             req.Slot,
		Timestamp:        uint64(ts),
		ParentHash:       common.Hash(req.ParentHash),
		ProposerPubkey:   req.Proposer,
		PrevRandao:       pc.prevRandao,
		ParentBeaconRoot: pc.parentRoot,
		Withdrawals:      pc.withdrawals,
		FeeRecipient:     common.Address(req.FeeRecipient),
		GasLimit:         req.GasLimit,
		TopTxs:           req.TopTxs,
	})
	if err != nil {
		return nil, err
	}
	return &builderproxy.FallbackBlock{
		Version: built.Version, Bid: built.Bid.Data, Payload: built.Payload, BlobsBundle: built.BlobsBundle,
	}, nil
}

// beaconAPI is the part of the beacon node's REST API block building uses.
// One client per kind of call, each with its own timeout: a slow block
// publication must not share the proposal reads' deadline.
type beaconAPI struct {
	base    string
	read    *http.Client
	publish *http.Client
}

var _ builderproxy.Publisher = (*beaconAPI)(nil)

func newBeaconAPI(base string) *beaconAPI {
	return &beaconAPI{
		base:    strings.TrimRight(base, "/"),
		read:    &http.Client{Timeout: 2 * time.Second},
		publish: &http.Client{Timeout: 10 * time.Second},
	}
}

// maxBeaconAnswer bounds a JSON answer read (the spec is the largest).
const maxBeaconAnswer = 4 << 20

// get reads path's {"data": …} into out.
func (b *beaconAPI) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBeacon, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := b.read.Do(req)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", ErrBeacon, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBeaconAnswer))
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", ErrBeacon, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: GET %s: %s: %.200s", ErrBeacon, path, resp.Status, bytes.TrimSpace(body))
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil || len(env.Data) == 0 {
		return fmt.Errorf("%w: GET %s: no data in the answer", ErrBeacon, path)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("%w: GET %s: %w", ErrBeacon, path, err)
	}
	return nil
}

// chainInfo is what the fallback needs of the chain's configuration.
type chainInfo struct {
	genesisForkVersion phase0.Version
	// fuluTime is the first timestamp of Fulu; MaxUint64 when not scheduled.
	fuluTime uint64
}

func (b *beaconAPI) chain(ctx context.Context) (chainInfo, error) {
	var genesis struct {
		Time    string `json:"genesis_time"`
		Version string `json:"genesis_fork_version"`
	}
	if err := b.get(ctx, "/eth/v1/beacon/genesis", &genesis); err != nil {
		return chainInfo{}, err
	}
	var specs map[string]any
	if err := b.get(ctx, "/eth/v1/config/spec", &specs); err != nil {
		return chainInfo{}, err
	}
	var ci chainInfo
	v, err := hexutil.Decode(genesis.Version)
	if err != nil || len(v) != len(ci.genesisForkVersion) {
		return chainInfo{}, fmt.Errorf("%w: genesis fork version %q", ErrBeacon, genesis.Version)
	}
	copy(ci.genesisForkVersion[:], v)
	genesisTime, err := strconv.ParseUint(genesis.Time, 10, 64)
	if err != nil {
		return chainInfo{}, fmt.Errorf("%w: genesis time %q", ErrBeacon, genesis.Time)
	}
	num := func(key string) (uint64, bool, error) {
		raw, ok := specs[key].(string)
		if !ok {
			return 0, false, nil
		}
		n, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return 0, true, fmt.Errorf("%w: spec %s = %q", ErrBeacon, key, raw)
		}
		return n, true, nil
	}
	ci.fuluTime = math.MaxUint64
	epoch, ok, err := num("FULU_FORK_EPOCH")
	if err != nil || !ok {
		// A node without Fulu in its spec has no Fulu scheduled.
		return ci, err
	}
	secs, ok, err := num("SECONDS_PER_SLOT")
	if err == nil && (!ok || secs == 0) {
		err = fmt.Errorf("%w: spec has no SECONDS_PER_SLOT", ErrBeacon)
	}
	if err != nil {
		return chainInfo{}, err
	}
	perEpoch, ok, err := num("SLOTS_PER_EPOCH")
	if err == nil && (!ok || perEpoch == 0) {
		err = fmt.Errorf("%w: spec has no SLOTS_PER_EPOCH", ErrBeacon)
	}
	if err != nil {
		return chainInfo{}, err
	}
	// FAR_FUTURE_EPOCH and other unreachable epochs stay MaxUint64.
	if epoch <= (math.MaxUint64-genesisTime)/perEpoch/secs {
		ci.fuluTime = genesisTime + epoch*perEpoch*secs
	}
	return ci, nil
}

// proposalContext is the beacon state a block on the current head is built on.
type proposalContext struct {
	parentRoot  common.Hash
	prevRandao  common.Hash
	withdrawals []*capella.Withdrawal
}

// proposal reads the head block's root, the head state's randao mix (the
// next block's prev_randao: an epoch change copies the mix forward) and
// the withdrawals a block at slot must carry.
func (b *beaconAPI) proposal(ctx context.Context, slot uint64) (*proposalContext, error) {
	var head struct {
		Root   string `json:"root"`
		Header struct {
			Message struct {
				Slot string `json:"slot"`
			} `json:"message"`
		} `json:"header"`
	}
	if err := b.get(ctx, "/eth/v1/beacon/headers/head", &head); err != nil {
		return nil, err
	}
	var pc proposalContext
	root, err := hexutil.Decode(head.Root)
	if err != nil || len(root) != common.HashLength {
		return nil, fmt.Errorf("%w: head root %q", ErrBeacon, head.Root)
	}
	pc.parentRoot = common.BytesToHash(root)
	headSlot, err := strconv.ParseUint(head.Header.Message.Slot, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: head slot %q", ErrBeacon, head.Header.Message.Slot)
	}
	if headSlot >= slot {
		return nil, fmt.Errorf("%w: head is at slot %d, not before slot %d", ErrBeacon, headSlot, slot)
	}
	// The head's own slot names its post-state, so the reads below agree
	// with the root above even if a new head arrives meanwhile.
	state := strconv.FormatUint(headSlot, 10)
	var randao struct {
		Randao string `json:"randao"`
	}
	if err := b.get(ctx, "/eth/v1/beacon/states/"+state+"/randao", &randao); err != nil {
		return nil, err
	}
	mix, err := hexutil.Decode(randao.Randao)
	if err != nil || len(mix) != common.HashLength {
		return nil, fmt.Errorf("%w: randao %q", ErrBeacon, randao.Randao)
	}
	pc.prevRandao = common.BytesToHash(mix)
	pc.withdrawals = []*capella.Withdrawal{}
	path := "/eth/v1/builder/states/" + state + "/expected_withdrawals?proposal_slot=" + strconv.FormatUint(slot, 10)
	if err := b.get(ctx, path, &pc.withdrawals); err != nil {
		return nil, err
	}
	return &pc, nil
}

// PublishBlock posts a full signed block with its blobs (SSZ; JSON when
// the node does not take SSZ). 200 and 202 (broadcast, failed the node's
// own checks) both mean the block went out.
func (b *beaconAPI) PublishBlock(ctx context.Context, block *api.VersionedSignedProposal) error {
	var contents interface {
		MarshalSSZ() ([]byte, error)
	}
	switch {
	case block == nil:
		return fmt.Errorf("%w: no block to publish", ErrBeacon)
	case block.Version == spec.DataVersionFulu && block.Fulu != nil:
		contents = block.Fulu
	case block.Version == spec.DataVersionElectra && block.Electra != nil:
		contents = block.Electra
	default:
		return fmt.Errorf("%w: cannot publish a %s block", ErrBeacon, block.Version)
	}
	body, err := contents.MarshalSSZ()
	if err != nil {
		return fmt.Errorf("encode %s block: %w", block.Version, err)
	}
	code, err := b.post(ctx, block.Version, "application/octet-stream", body)
	if err == nil && code == http.StatusUnsupportedMediaType {
		if body, err = json.Marshal(contents); err != nil {
			return fmt.Errorf("encode %s block: %w", block.Version, err)
		}
		_, err = b.post(ctx, block.Version, "application/json", body)
	}
	return err
}

// post sends one publication; a 415 comes back as a code, not an error,
// so the caller can try the other encoding.
func (b *beaconAPI) post(ctx context.Context, v spec.DataVersion, contentType string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/eth/v2/beacon/blocks", bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrBeacon, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Eth-Consensus-Version", v.String())
	resp, err := b.publish.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%w: publish block: %w", ErrBeacon, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusOK, http.StatusAccepted:
		return resp.StatusCode, nil
	case http.StatusUnsupportedMediaType:
		if contentType != "application/json" {
			return resp.StatusCode, nil
		}
	}
	return resp.StatusCode, fmt.Errorf("%w: publish block: %s: %.200s", ErrBeacon, resp.Status, bytes.TrimSpace(answer))
}

// logBuilding says at start what block building does, so an operator sees
// a missing part (no fallback: promises rest on the relays alone).
func logBuilding(log zerolog.Logger, cfg BuildingConfig, b *building) {
	ev := log.Info().Int("relays", len(cfg.Relays)).Bool("constraints", b.sender != nil)
	if b.ln != nil {
		ev = ev.Str("builder_listen", b.ln.Addr().String()).Bool("fallback", cfg.EngineURL != "")
	}
	ev.Msg("block building on")
	if b.proxy != nil && cfg.EngineURL == "" {
		log.Warn().Msg("no --engine-url: without a local fallback block, a slot whose relays fail to prove the promises breaks them")
	}
	if b.proxy == nil && b.sender != nil {
		log.Warn().Msg("no --builder-listen: relay bids reach the beacon node unchecked (through mev-boost or directly)")
	}
}
