package sidecar

import (
	"bufio"
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
	"sync"
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
	// beacon and attrs follow the payload_attributes events the fallback
	// builds from; nil without a fallback.
	beacon *beaconAPI
	attrs  *attributesCache
	log    zerolog.Logger
}

// startBuilding builds the configured parts. It reads the chain's genesis
// and spec from the beacon node (the fallback's fork times) and opens the
// builder listener; nothing runs until run.
func (s *Service) startBuilding(ctx context.Context, tracker dutySource, delegated *constraints.DelegatedKeys, engine *admission.Engine, el *rpc.Client) (*building, error) {
	cfg := s.cfg.Building
	b := &building{log: s.log}
	// The engine answers the whole top of block: the rollups' batch post,
	// the missed transactions it carries forward, then the promised L1
	// transactions.
	var templates constraints.Templates = engine
	var promises builderproxy.Promises = engine
	if len(cfg.Relays) > 0 {
		var keys constraints.KeySource = delegated
		senderOpts := []constraints.Option{constraints.WithLogger(s.log), constraints.WithRegisterer(s.reg)}
		if delegated == nil {
			static, err := constraints.NewStaticKeys(s.cfg.ValidatorKeys, nil)
			if err != nil {
				return nil, err
			}
			keys = static
		} else if len(s.cfg.Delegation.Revocations) > 0 {
			senderOpts = append(senderOpts, constraints.WithRevocations(s.cfg.Delegation.Revocations...))
		}
		var err error
		b.sender, err = constraints.New(tracker, templates, keys, constraints.Config{
			Relays:           cfg.Relays,
			DeadlineFraction: engine.Config().DeadlineFraction,
			Committer:        s.cfg.Committer.Address(),
			ChainID:          s.cfg.Admission.L1ChainID,
		}, senderOpts...)
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
		b.beacon, b.attrs = beacon, newAttributesCache()
		opts = append(opts, builderproxy.WithFallback(&fallbackBlocks{
			builder: fb, beacon: beacon, clock: tracker.Clock, attrs: b.attrs, log: s.log,
		}))
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
	}, s.log, fallback.WithRegisterer(s.reg), fallback.WithPoolTxs(cfg.PoolTxs),
		// The committer's slot ledgers land in our own blocks too.
		fallback.WithOwnSenders(s.cfg.Committer.Address()))
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
	if b.attrs != nil {
		g.Go(func() error { return b.beacon.followPayloadAttributes(ctx, b.attrs, b.log) })
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
	// attrs holds the beacon node's payload_attributes events; nil reads
	// the proposal from the REST endpoints only.
	attrs *attributesCache
	log   zerolog.Logger
}

// attributesWait bounds how long a build waits for the proposal's
// payload_attributes event when the stream is up but the event is not in
// yet: the beacon node computes it lazily, often just as it asks for the
// header.
const attributesWait = 250 * time.Millisecond

// proposal is what the block at req.Slot on req.ParentHash must carry
// besides its transactions: from the payload_attributes event when the
// beacon node sent one (the standard source; Prysm serves no
// expected_withdrawals endpoint), else read from the REST endpoints.
func (f *fallbackBlocks) proposal(ctx context.Context, req builderproxy.FallbackRequest, slotStart uint64) (*proposalContext, error) {
	parent := common.Hash(req.ParentHash)
	if f.attrs != nil {
		if pc := f.attrs.wait(ctx, req.Slot, parent, attributesWait); pc != nil {
			if pc.timestamp != slotStart {
				return nil, fmt.Errorf("%w: payload_attributes for slot %d has timestamp %d, the slot starts at %d",
					ErrBeacon, req.Slot, pc.timestamp, slotStart)
			}
			return pc, nil
		}
		f.log.Debug().Uint64("slot", req.Slot).Str("parent_hash", parent.Hex()).
			Msg("no payload_attributes event for the proposal: reading the beacon REST endpoints")
	}
	pc, err := f.beacon.proposal(ctx, req.Slot)
	if err != nil {
		return nil, err
	}
	pc.timestamp = slotStart
	return pc, nil
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
	pc, err := f.proposal(ctx, req, uint64(ts))
	if err != nil {
		return nil, err
	}
	built, err := f.builder.Build(ctx, fallback.BuildRequest{
		Slot:             req.Slot,
		Timestamp:        pc.timestamp,
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
	// stream holds the event stream open: one long response, so no
	// client-wide timeout, only for the dial and the headers.
	stream *http.Client
}

var _ builderproxy.Publisher = (*beaconAPI)(nil)

func newBeaconAPI(base string) *beaconAPI {
	return &beaconAPI{
		base:    strings.TrimRight(base, "/"),
		read:    &http.Client{Timeout: 2 * time.Second},
		publish: &http.Client{Timeout: 10 * time.Second},
		stream: &http.Client{Transport: &http.Transport{
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 15 * time.Second}).DialContext,
			ResponseHeaderTimeout: 5 * time.Second,
		}},
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
	timestamp   uint64
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

// attributesKeep is how many slots behind the newest event the cache
// keeps: a proposal is asked for in its own slot, so older ones are dead.
const attributesKeep = 64

// attributesKey names one proposal: a slot and the execution block it
// builds on (a reorg gives the same slot another parent).
type attributesKey struct {
	slot   uint64
	parent common.Hash
}

// attributesCache holds the beacon node's payload_attributes events by
// proposal; the latest event for a proposal wins.
type attributesCache struct {
	mu      sync.Mutex
	entries map[attributesKey]*proposalContext
	newest  uint64
	// changed is closed and replaced at every put, waking the waiters.
	changed chan struct{}
	// streaming says the event stream is open and delivering, so an event
	// not in yet may still come; otherwise nobody waits for one.
	streaming bool
}

func newAttributesCache() *attributesCache {
	return &attributesCache{entries: make(map[attributesKey]*proposalContext), changed: make(chan struct{})}
}

// put records an event's attributes and drops those attributesKeep slots
// older than the newest.
func (c *attributesCache) put(slot uint64, parent common.Hash, pc *proposalContext) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[attributesKey{slot, parent}] = pc
	if slot > c.newest {
		c.newest = slot
		for k := range c.entries {
			if k.slot+attributesKeep < c.newest {
				delete(c.entries, k)
			}
		}
	}
	close(c.changed)
	c.changed = make(chan struct{})
}

// get is the attributes of the proposal at slot on parent, nil if none came.
func (c *attributesCache) get(slot uint64, parent common.Hash) *proposalContext {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[attributesKey{slot, parent}]
}

// setStreaming records whether the event stream is open.
func (c *attributesCache) setStreaming(on bool) {
	c.mu.Lock()
	c.streaming = on
	c.mu.Unlock()
}

// wait is get, waiting up to d (and no longer than ctx) for the event while
// the stream is open; nil when none came.
func (c *attributesCache) wait(ctx context.Context, slot uint64, parent common.Hash, d time.Duration) *proposalContext {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		c.mu.Lock()
		pc, changed, streaming := c.entries[attributesKey{slot, parent}], c.changed, c.streaming
		c.mu.Unlock()
		if pc != nil || !streaming {
			return pc
		}
		select {
		case <-changed:
		case <-timer.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// payloadAttributesEvent is the beacon-API payload_attributes event
// (version and data). go-eth2-client's decoder wants the execution
// requests in Electra's attributes, which the spec's event does not carry.
type payloadAttributesEvent struct {
	Version string `json:"version"`
	Data    struct {
		ProposalSlot      string `json:"proposal_slot"`
		ParentBlockRoot   string `json:"parent_block_root"`
		ParentBlockHash   string `json:"parent_block_hash"`
		PayloadAttributes struct {
			Timestamp             string                `json:"timestamp"`
			PrevRandao            string                `json:"prev_randao"`
			Withdrawals           []*capella.Withdrawal `json:"withdrawals"`
			ParentBeaconBlockRoot string                `json:"parent_beacon_block_root"`
		} `json:"payload_attributes"`
	} `json:"data"`
}

// errAttributes is a malformed payload_attributes event.
var errAttributes = fmt.Errorf("%w: payload_attributes event", ErrBeacon)

// parsePayloadAttributes decodes one payload_attributes event into the
// proposal it announces. Only Deneb and later attributes (with
// withdrawals and the parent beacon block root) build a block here.
func parsePayloadAttributes(data []byte) (uint64, common.Hash, *proposalContext, error) {
	var ev payloadAttributesEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return 0, common.Hash{}, nil, fmt.Errorf("%w: %w", errAttributes, err)
	}
	d, a := &ev.Data, &ev.Data.PayloadAttributes
	slot, err := strconv.ParseUint(d.ProposalSlot, 10, 64)
	if err != nil {
		return 0, common.Hash{}, nil, fmt.Errorf("%w: proposal_slot %q", errAttributes, d.ProposalSlot)
	}
	hash32 := func(name, v string) (common.Hash, error) {
		b, err := hexutil.Decode(v)
		if err != nil || len(b) != common.HashLength {
			return common.Hash{}, fmt.Errorf("%w: %s %q", errAttributes, name, v)
		}
		return common.BytesToHash(b), nil
	}
	parent, err := hash32("parent_block_hash", d.ParentBlockHash)
	if err != nil {
		return 0, common.Hash{}, nil, err
	}
	pc := &proposalContext{withdrawals: a.Withdrawals}
	if pc.timestamp, err = strconv.ParseUint(a.Timestamp, 10, 64); err != nil {
		return 0, common.Hash{}, nil, fmt.Errorf("%w: timestamp %q", errAttributes, a.Timestamp)
	}
	if pc.prevRandao, err = hash32("prev_randao", a.PrevRandao); err != nil {
		return 0, common.Hash{}, nil, err
	}
	if a.ParentBeaconBlockRoot == "" {
		return 0, common.Hash{}, nil, fmt.Errorf("%w: %s attributes have no parent_beacon_block_root", errAttributes, ev.Version)
	}
	if pc.parentRoot, err = hash32("parent_beacon_block_root", a.ParentBeaconBlockRoot); err != nil {
		return 0, common.Hash{}, nil, err
	}
	if pc.withdrawals == nil {
		return 0, common.Hash{}, nil, fmt.Errorf("%w: %s attributes have no withdrawals", errAttributes, ev.Version)
	}
	for i, w := range pc.withdrawals {
		if w == nil {
			return 0, common.Hash{}, nil, fmt.Errorf("%w: withdrawal %d is null", errAttributes, i)
		}
	}
	return slot, parent, pc, nil
}

// Event stream reconnection backoff: from the first to the last, doubling.
const (
	streamBackoffMin = 500 * time.Millisecond
	streamBackoffMax = 15 * time.Second
	// maxEventLine bounds one SSE line (an event's JSON is one line; 16
	// withdrawals are about 3 KiB).
	maxEventLine = 1 << 20
)

// followPayloadAttributes keeps a payload_attributes event stream open,
// putting every event in cache, until ctx ends (then it returns nil). A
// dropped or refused stream is reopened after a backoff that doubles up to
// streamBackoffMax and starts over once a stream delivered an event.
func (b *beaconAPI) followPayloadAttributes(ctx context.Context, cache *attributesCache, log zerolog.Logger) error {
	backoff := streamBackoffMin
	for failures := 0; ; failures++ {
		got, err := b.streamPayloadAttributes(ctx, cache, log)
		if ctx.Err() != nil {
			return nil
		}
		if got > 0 {
			backoff, failures = streamBackoffMin, 0
		}
		ev := log.Warn()
		if failures > 0 {
			ev = log.Debug() // said once; the fallback still has the REST endpoints
		}
		ev.Err(err).Int("events", got).Dur("retry_in", backoff).Msg("payload_attributes stream ended")
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, streamBackoffMax)
	}
}

// streamPayloadAttributes reads one event stream to its end and says how
// many events it put in cache. A malformed event is logged and skipped.
func (b *beaconAPI) streamPayloadAttributes(ctx context.Context, cache *attributesCache, log zerolog.Logger) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/eth/v1/events?topics=payload_attributes", nil)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrBeacon, err)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := b.stream.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%w: open payload_attributes stream: %w", ErrBeacon, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("%w: open payload_attributes stream: %s: %.200s", ErrBeacon, resp.Status, bytes.TrimSpace(body))
	}
	// Only a stream that has delivered an event makes builds wait for
	// theirs: a node that accepts the topic but never emits it (a node
	// without local proposers to prepare) must not slow every build.
	defer cache.setStreaming(false)
	got := 0
	err = readSSE(resp.Body, func(event string, data []byte) {
		if event != "payload_attributes" {
			return
		}
		slot, parent, pc, err := parsePayloadAttributes(data)
		if err != nil {
			log.Warn().Err(err).Msg("payload_attributes event skipped")
			return
		}
		cache.put(slot, parent, pc)
		if got == 0 {
			cache.setStreaming(true)
		}
		got++
	})
	if err == nil {
		err = fmt.Errorf("%w: payload_attributes stream closed by the beacon node", ErrBeacon)
	}
	return got, err
}

// readSSE calls fn for every event of a text/event-stream body (the
// "event:" and "data:" fields, a blank line ending each event, ':' lines
// being comments) until the body ends (nil) or fails.
func readSSE(r io.Reader, fn func(event string, data []byte)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxEventLine)
	var (
		event string
		data  []byte
	)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			if len(data) > 0 {
				fn(event, data)
			}
			event, data = "", nil
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			event = value
		case "data":
			if len(data) > 0 {
				data = append(data, '\n')
			}
			data = append(data, value...)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: read event stream: %w", ErrBeacon, err)
	}
	return nil
}
