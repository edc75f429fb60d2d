package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/keys"
)

// Flag names of `pledge relay` (besides --listen and --beacon-url, shared
// with the sidecar); each is also read from PLEDGE_<NAME>.
const (
	flagRelaySecretKeyFile    = "secret-key-file"
	flagRelayGenerateKey      = "generate-key"
	flagGenesisForkVersion    = "genesis-fork-version"
	flagGenesisValidatorsRoot = "genesis-validators-root"
	flagGenesisTime           = "genesis-time"
	flagSecondsPerSlot        = "seconds-per-slot"
	flagSlotsPerEpoch         = "slots-per-epoch"
	flagElectraForkEpoch      = "electra-fork-epoch"
	flagElectraForkVersion    = "electra-fork-version"
	flagFuluForkEpoch         = "fulu-fork-epoch"
	flagFuluForkVersion       = "fulu-fork-version"
	flagRelayPublishTimeout   = "publish-timeout"
)

// Defaults and beacon-API details of `pledge relay`.
const (
	defaultRelayListen         = "127.0.0.1:9062"
	beaconPathGenesis          = "/eth/v1/beacon/genesis"
	beaconPathSpec             = "/eth/v1/config/spec"
	beaconPathPublishBlock     = "/eth/v2/beacon/blocks"
	beaconFetchTimeout         = 10 * time.Second
	beaconMaxAnswerBytes       = 4 << 20
	specFarFutureEpoch         = ^uint64(0)
	defaultRelaySecondsPerSlot = 12
	defaultRelaySlotsPerEpoch  = 32
)

// errBeaconNode is wrapped by every failed call to the beacon node.
var errBeaconNode = errors.New("beacon node")

func relayFlags() []cli.Flag {
	str := func(name, usage, value string) cli.Flag {
		return &cli.StringFlag{Name: name, Usage: usage, Value: value, EnvVars: envVars(name)}
	}
	u64 := func(name, usage string, value uint64) cli.Flag {
		return &cli.Uint64Flag{Name: name, Usage: usage, Value: value, EnvVars: envVars(name)}
	}
	return []cli.Flag{
		str(flagListen, "Builder API and Constraints API listen address", defaultRelayListen),
		&cli.PathFlag{Name: flagRelaySecretKeyFile, Usage: "file holding the relay's BLS secret key in hex (signs every bid)", EnvVars: envVars(flagRelaySecretKeyFile)},
		&cli.BoolFlag{Name: flagRelayGenerateKey, Usage: "sign bids with a new throwaway BLS key (its pubkey is logged); for devnets and tests", EnvVars: envVars(flagRelayGenerateKey)},
		str(flagBeaconURL, "beacon node REST API URL: chain settings not given as flags are read from it, and blocks are published through it (submitBlindedBlock v2)", ""),
		str(flagGenesisForkVersion, "genesis fork version, 4 bytes in hex (default: from --beacon-url)", ""),
		str(flagGenesisValidatorsRoot, "genesis validators root in hex; when known, blinded blocks' proposer signatures are checked (default: from --beacon-url)", ""),
		u64(flagGenesisTime, "genesis time in unix seconds (default: from --beacon-url)", 0),
		u64(flagSecondsPerSlot, "seconds per slot (default: from --beacon-url, else 12)", defaultRelaySecondsPerSlot),
		u64(flagSlotsPerEpoch, "slots per epoch (default: from --beacon-url, else 32)", defaultRelaySlotsPerEpoch),
		u64(flagElectraForkEpoch, "electra activation epoch (default: from --beacon-url)", 0),
		str(flagElectraForkVersion, "electra fork version, 4 bytes in hex (default: from --beacon-url)", ""),
		u64(flagFuluForkEpoch, "fulu activation epoch (default: from --beacon-url)", 0),
		str(flagFuluForkVersion, "fulu fork version, 4 bytes in hex (default: from --beacon-url)", ""),
		&cli.DurationFlag{Name: flagRelayPublishTimeout, Usage: "how long publishing a block through the beacon node may take", Value: 4 * time.Second, EnvVars: envVars(flagRelayPublishTimeout)},
	}
}

// relayCommand is `pledge relay`: a constraints-aware relay speaking the
// Builder API and the Constraints API.
func relayCommand() *cli.Command {
	return &cli.Command{
		Name:  "relay",
		Usage: "run a constraints-aware relay (Builder API + Constraints API) with bids signed by its BLS key",
		Flags: relayFlags(),
		// The reference builder (relay/builder) is not wired here: it needs a
		// payload source over a remote engine API and a slot feed from the
		// beacon node, which only the in-process devnet provides so far.
		Action: runRelay,
	}
}

func runRelay(c *cli.Context) error {
	log := appFrom(c).log
	sk, generated, err := relayKey(c)
	if err != nil {
		return err
	}
	cfg, err := relayConfig(c)
	if err != nil {
		return err
	}
	opts := []relay.Option{relay.WithLogger(log)}
	if u := c.String(flagBeaconURL); u != "" {
		opts = append(opts, relay.WithPublisher(newBeaconPublisher(u, c.Duration(flagRelayPublishTimeout))))
	}
	r, err := relay.New(sk, cfg, opts...)
	if err != nil {
		return err
	}
	if generated {
		// The pubkey is what mev-boost needs in the relay URL (http://0xPUBKEY@host).
		log.Warn().Str("pubkey", r.Pubkey().String()).Msg("signing bids with a generated throwaway key")
	}
	ctx, stop := signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return r.Run(ctx, c.String(flagListen))
}

// relayKey loads --secret-key-file or makes a key for --generate-key; it
// says whether the key was generated.
func relayKey(c *cli.Context) (*bls.SecretKey, bool, error) {
	path, gen := c.String(flagRelaySecretKeyFile), c.Bool(flagRelayGenerateKey)
	switch {
	case path != "" && gen:
		return nil, false, fmt.Errorf("give --%s or --%s, not both", flagRelaySecretKeyFile, flagRelayGenerateKey)
	case gen:
		sk, _, err := bls.GenerateNewKeypair()
		if err != nil {
			return nil, false, fmt.Errorf("generate relay key: %w", err)
		}
		return sk, true, nil
	case path != "":
		ks, err := keys.LoadBLSKeysLayout(path, keys.LayoutRaw, nil)
		if err != nil {
			return nil, false, fmt.Errorf("--%s: %w", flagRelaySecretKeyFile, err)
		}
		if len(ks) != 1 {
			return nil, false, fmt.Errorf("--%s: want one key, found %d", flagRelaySecretKeyFile, len(ks))
		}
		return ks[0].Secret, false, nil
	default:
		return nil, false, fmt.Errorf("missing --%s: the relay's BLS key (or --%s for a throwaway one)", flagRelaySecretKeyFile, flagRelayGenerateKey)
	}
}

// relayConfig builds the relay's chain settings: from the beacon node when
// --beacon-url is given, then every flag set on the command line or in the
// environment on top. Settings no source gave are refused by name.
func relayConfig(c *cli.Context) (relay.Config, error) {
	var chain chainSettings
	if u := c.String(flagBeaconURL); u != "" {
		if err := checkBeaconURL(u); err != nil {
			return relay.Config{}, err
		}
		ctx, cancel := context.WithTimeout(c.Context, beaconFetchTimeout)
		defer cancel()
		fetched, err := fetchChainSettings(ctx, http.DefaultClient, u)
		if err != nil {
			return relay.Config{}, err
		}
		chain = fetched
	}
	if err := chain.applyFlags(c); err != nil {
		return relay.Config{}, err
	}
	return chain.relayConfig()
}

// chainSettings are the chain parameters the relay needs; nil means unknown.
type chainSettings struct {
	genesisForkVersion    *phase0.Version
	genesisValidatorsRoot *phase0.Root
	genesisTime           *uint64
	secondsPerSlot        *uint64
	slotsPerEpoch         *uint64
	// chainID is the beacon spec's DEPOSIT_CHAIN_ID, the execution chain id
	// of the Constraints-API signing roots.
	chainID *uint64
	forks   map[spec.DataVersion]*forkSettings
}

type forkSettings struct {
	epoch   *uint64
	version *phase0.Version
}

func (s *chainSettings) fork(v spec.DataVersion) *forkSettings {
	if s.forks == nil {
		s.forks = make(map[spec.DataVersion]*forkSettings)
	}
	if s.forks[v] == nil {
		s.forks[v] = &forkSettings{}
	}
	return s.forks[v]
}

// servedForks are the forks the relay can serve, in order, with their flags.
var servedForks = []struct {
	version         spec.DataVersion
	epochFlag       string
	versionFlag     string
	specEpochName   string
	specVersionName string
}{
	{spec.DataVersionElectra, flagElectraForkEpoch, flagElectraForkVersion, "ELECTRA_FORK_EPOCH", "ELECTRA_FORK_VERSION"},
	{spec.DataVersionFulu, flagFuluForkEpoch, flagFuluForkVersion, "FULU_FORK_EPOCH", "FULU_FORK_VERSION"},
}

// applyFlags overrides s with every flag that was set. Defaults of the slot
// timing flags apply only when the beacon node did not give them.
func (s *chainSettings) applyFlags(c *cli.Context) error {
	if c.IsSet(flagGenesisForkVersion) {
		v, err := parseForkVersion(flagGenesisForkVersion, c.String(flagGenesisForkVersion))
		if err != nil {
			return err
		}
		s.genesisForkVersion = &v
	}
	if c.IsSet(flagGenesisValidatorsRoot) {
		raw, err := parseHexBytes(c.String(flagGenesisValidatorsRoot), 32)
		if err != nil {
			return fmt.Errorf("invalid --%s %q: %w", flagGenesisValidatorsRoot, c.String(flagGenesisValidatorsRoot), err)
		}
		root := phase0.Root(raw)
		s.genesisValidatorsRoot = &root
	}
	for _, u := range []struct {
		name string
		dst  **uint64
	}{{flagGenesisTime, &s.genesisTime}, {flagSecondsPerSlot, &s.secondsPerSlot}, {flagSlotsPerEpoch, &s.slotsPerEpoch}} {
		if c.IsSet(u.name) || *u.dst == nil && u.name != flagGenesisTime {
			v := c.Uint64(u.name)
			*u.dst = &v
		}
	}
	for _, f := range servedForks {
		if c.IsSet(f.epochFlag) {
			e := c.Uint64(f.epochFlag)
			s.fork(f.version).epoch = &e
		}
		if c.IsSet(f.versionFlag) {
			v, err := parseForkVersion(f.versionFlag, c.String(f.versionFlag))
			if err != nil {
				return err
			}
			s.fork(f.version).version = &v
		}
	}
	return nil
}

// relayConfig checks that every required setting is known and returns them.
func (s *chainSettings) relayConfig() (relay.Config, error) {
	const hint = " (or give --" + flagBeaconURL + ")"
	switch {
	case s.genesisForkVersion == nil:
		return relay.Config{}, fmt.Errorf("missing --%s%s", flagGenesisForkVersion, hint)
	case s.genesisTime == nil || *s.genesisTime == 0:
		return relay.Config{}, fmt.Errorf("missing --%s%s", flagGenesisTime, hint)
	case *s.secondsPerSlot == 0:
		return relay.Config{}, fmt.Errorf("invalid --%s 0: want at least one second", flagSecondsPerSlot)
	case *s.slotsPerEpoch == 0:
		return relay.Config{}, fmt.Errorf("invalid --%s 0: want at least one slot", flagSlotsPerEpoch)
	}
	cfg := relay.Config{
		GenesisForkVersion: *s.genesisForkVersion,
		GenesisTime:        time.Unix(int64(*s.genesisTime), 0),
		SecondsPerSlot:     *s.secondsPerSlot,
		SlotsPerEpoch:      *s.slotsPerEpoch,
	}
	if s.genesisValidatorsRoot != nil {
		cfg.GenesisValidatorsRoot = *s.genesisValidatorsRoot
	}
	if s.chainID != nil {
		cfg.ChainID = *s.chainID
	}
	for _, f := range servedForks {
		fs := s.forks[f.version]
		switch {
		case fs == nil || fs.epoch == nil && fs.version == nil:
			continue
		case fs.epoch == nil:
			return relay.Config{}, fmt.Errorf("missing --%s: --%s is given", f.epochFlag, f.versionFlag)
		case fs.version == nil:
			return relay.Config{}, fmt.Errorf("missing --%s: --%s is given", f.versionFlag, f.epochFlag)
		case *fs.epoch == specFarFutureEpoch:
			continue // scheduled by the chain config but not activated
		}
		cfg.Forks = append(cfg.Forks, relay.Fork{Version: f.version, Epoch: *fs.epoch, ForkVersion: *fs.version})
	}
	if len(cfg.Forks) == 0 {
		return relay.Config{}, fmt.Errorf("no fork to serve: give --%s with --%s, or --%s with --%s%s",
			flagFuluForkEpoch, flagFuluForkVersion, flagElectraForkEpoch, flagElectraForkVersion, hint)
	}
	return cfg, nil
}

func parseForkVersion(flag, s string) (phase0.Version, error) {
	raw, err := parseHexBytes(s, 4)
	if err != nil {
		return phase0.Version{}, fmt.Errorf("invalid --%s %q: %w", flag, s, err)
	}
	return phase0.Version(raw), nil
}

// parseHexBytes reads exactly n bytes of 0x-prefixed (or bare) hex.
func parseHexBytes(s string, n int) ([]byte, error) {
	raw, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X"))
	if err != nil {
		return nil, errors.New("not hex")
	}
	if len(raw) != n {
		return nil, fmt.Errorf("want %d bytes, got %d", n, len(raw))
	}
	return raw, nil
}

func checkBeaconURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid --%s %q: want an http(s) URL", flagBeaconURL, s)
	}
	return nil
}

// fetchChainSettings reads genesis and spec from the beacon node's REST API.
func fetchChainSettings(ctx context.Context, client *http.Client, base string) (chainSettings, error) {
	var s chainSettings
	var genesis struct {
		GenesisTime           string `json:"genesis_time"`
		GenesisValidatorsRoot string `json:"genesis_validators_root"`
		GenesisForkVersion    string `json:"genesis_fork_version"`
	}
	if err := beaconGet(ctx, client, base, beaconPathGenesis, &genesis); err != nil {
		return s, err
	}
	gt, err := strconv.ParseUint(genesis.GenesisTime, 10, 64)
	if err != nil {
		return s, fmt.Errorf("%w: genesis_time %q is not a number", errBeaconNode, genesis.GenesisTime)
	}
	s.genesisTime = &gt
	raw, err := parseHexBytes(genesis.GenesisValidatorsRoot, 32)
	if err != nil {
		return s, fmt.Errorf("%w: genesis_validators_root: %w", errBeaconNode, err)
	}
	root := phase0.Root(raw)
	s.genesisValidatorsRoot = &root
	if raw, err = parseHexBytes(genesis.GenesisForkVersion, 4); err != nil {
		return s, fmt.Errorf("%w: genesis_fork_version: %w", errBeaconNode, err)
	}
	gfv := phase0.Version(raw)
	s.genesisForkVersion = &gfv

	// Spec values are strings; some entries (BLOB_SCHEDULE) are lists, so
	// each is decoded on its own.
	var specValues map[string]json.RawMessage
	if err := beaconGet(ctx, client, base, beaconPathSpec, &specValues); err != nil {
		return s, err
	}
	str := func(name string) (string, bool) {
		var v string
		if raw, ok := specValues[name]; ok && json.Unmarshal(raw, &v) == nil {
			return v, true
		}
		return "", false
	}
	u64 := func(name string) (*uint64, error) {
		v, ok := str(name)
		if !ok {
			return nil, nil
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: spec %s %q is not a number", errBeaconNode, name, v)
		}
		return &n, nil
	}
	if s.secondsPerSlot, err = u64("SECONDS_PER_SLOT"); err != nil {
		return s, err
	}
	if s.slotsPerEpoch, err = u64("SLOTS_PER_EPOCH"); err != nil {
		return s, err
	}
	if s.chainID, err = u64("DEPOSIT_CHAIN_ID"); err != nil {
		return s, err
	}
	for _, f := range servedForks {
		epoch, err := u64(f.specEpochName)
		if err != nil {
			return s, err
		}
		v, ok := str(f.specVersionName)
		if epoch == nil || !ok {
			continue
		}
		raw, err := parseHexBytes(v, 4)
		if err != nil {
			return s, fmt.Errorf("%w: spec %s: %w", errBeaconNode, f.specVersionName, err)
		}
		fv := phase0.Version(raw)
		s.fork(f.version).epoch, s.fork(f.version).version = epoch, &fv
	}
	return s, nil
}

// beaconGet decodes the data field of a beacon API GET answer into out.
func beaconGet(ctx context.Context, client *http.Client, base, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+path, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", errBeaconNode, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", errBeaconNode, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, beaconMaxAnswerBytes))
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", errBeaconNode, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: GET %s: %s: %s", errBeaconNode, path, resp.Status, oneLine(body))
	}
	var wrap struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &wrap); err != nil || len(wrap.Data) == 0 {
		return fmt.Errorf("%w: GET %s: answer has no data field", errBeaconNode, path)
	}
	if err := json.Unmarshal(wrap.Data, out); err != nil {
		return fmt.Errorf("%w: GET %s: %w", errBeaconNode, path, err)
	}
	return nil
}

// oneLine shortens an error body to one line of at most 200 bytes.
func oneLine(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// beaconPublisher publishes unblinded blocks through the beacon node's
// POST /eth/v2/beacon/blocks, JSON body, fork named by Eth-Consensus-Version.
type beaconPublisher struct {
	endpoint string
	client   *http.Client
}

var _ relay.BeaconPublisher = (*beaconPublisher)(nil)

func newBeaconPublisher(base string, timeout time.Duration) *beaconPublisher {
	return &beaconPublisher{
		endpoint: strings.TrimRight(base, "/") + beaconPathPublishBlock,
		client:   &http.Client{Timeout: timeout},
	}
}

// PublishBlock posts the block with its blobs. 200 and 202 (broadcast but
// failed the node's own validation) both mean the block went out.
func (p *beaconPublisher) PublishBlock(ctx context.Context, b *api.VersionedSignedProposal) error {
	if b == nil {
		return fmt.Errorf("%w: no block to publish", errBeaconNode)
	}
	var contents any
	switch {
	case b.Version == spec.DataVersionFulu && b.Fulu != nil:
		contents = b.Fulu
	case b.Version == spec.DataVersionElectra && b.Electra != nil:
		contents = b.Electra
	default:
		return fmt.Errorf("%w: cannot publish a %s block: %w", errBeaconNode, b.Version, builderapi.ErrUnsupportedVersion)
	}
	body, err := json.Marshal(contents)
	if err != nil {
		return fmt.Errorf("encode %s block: %w", b.Version, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", errBeaconNode, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Eth-Consensus-Version", b.Version.String())
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: publish block: %w", errBeaconNode, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("%w: publish block: %s: %s", errBeaconNode, resp.Status, oneLine(answer))
	}
	return nil
}
