package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/builderproxy"
	"github.com/pledgeproto/pledge/sidecar/keys"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// Flag names of `pledge sidecar`; each is also read from PLEDGE_<NAME>.
const (
	flagConfig              = "config"
	flagBeaconURL           = "beacon-url"
	flagExecutionURL        = "execution-url"
	flagRegistry            = "registry"
	flagSlasher             = "slasher"
	flagOperator            = "operator"
	flagDataDir             = "data-dir"
	flagListen              = "listen"
	flagValidatorKeys       = "validator-keys"
	flagValidatorPassword   = "validator-password-file"
	flagCommitterKey        = "committer-key"
	flagCommitterPassword   = "committer-password-file"
	flagGasBudget           = "gas-budget"
	flagMaxBlobs            = "max-blobs"
	flagDeadlineFraction    = "deadline-fraction"
	flagMinPriorityFee      = "min-priority-fee"
	flagFeeSlope            = "fee-slope"
	flagSlashBase           = "slash-base"
	flagSlashMaxCostBps     = "slash-max-cost-bps"
	flagSlashCap            = "slash-cap"
	flagSlashWindow         = "slash-window"
	flagCommitterMinBalance = "committer-min-balance"
	flagRateLimit           = "rate-limit"
	flagRateBurst           = "rate-burst"
	flagPollInterval        = "poll-interval"
	flagMemoryLimit         = "memory-limit"
	flagPprofListen         = "pprof-listen"

	// Block building (all optional; without them the sidecar only sells promises).
	flagBuilderListen      = "builder-listen"
	flagRelays             = "relays"
	flagEngineURL          = "engine-url"
	flagJWTSecret          = "jwt-secret"
	flagBuilderKey         = "builder-key"
	flagFeeRecipient       = "fee-recipient"
	flagFallbackPoolTxs    = "fallback-pool-txs"
	flagBuilderSoftTimeout = "builder-soft-timeout"
	flagBuilderHardTimeout = "builder-hard-timeout"
)

func sidecarFlags() []cli.Flag {
	str := func(name, usage, value string) cli.Flag {
		return &cli.StringFlag{Name: name, Usage: usage, Value: value, EnvVars: envVars(name)}
	}
	flags := []cli.Flag{
		str(flagConfig, "optional config `FILE` of 'name = value' lines (flag names); flags and env vars take precedence", ""),
		str(flagBeaconURL, "beacon node REST API URL", "http://127.0.0.1:5052"),
		str(flagExecutionURL, "execution client JSON-RPC URL", "http://127.0.0.1:8545"),
		str(flagRegistry, "Registry contract address", ""),
		str(flagSlasher, "Slasher contract address (the slasher every promise's commitment names)", ""),
		str(flagOperator, "operator address in the Registry", ""),
		str(flagDataDir, "directory of the promise store", "pledge-data"),
		str(flagListen, "user API listen address (JSON-RPC, REST, /metrics, /livez, /readyz)", "127.0.0.1:8017"),
		str(flagValidatorKeys, "validator BLS keys: a raw hex key file, an EIP-2335 keystore, or a Lighthouse/Teku/Prysm key directory", ""),
		str(flagValidatorPassword, "file holding the keystores' password (not needed for raw keys)", ""),
		str(flagCommitterKey, "committer ECDSA key: a raw hex key file or a geth keystore file; it signs the promises and sends the slot ledgers (Registry.openLedger, release), so its account pays their gas", ""),
		str(flagCommitterPassword, "file holding the committer keystore's password", ""),
		&cli.Uint64Flag{Name: flagGasBudget, Usage: "gas promised per slot at most", Value: 10_000_000, EnvVars: envVars(flagGasBudget)},
		&cli.Uint64Flag{Name: flagMaxBlobs, Usage: "blobs promised per slot at most (0: no blob transactions)", Value: 0, EnvVars: envVars(flagMaxBlobs)},
		&cli.Float64Flag{Name: flagDeadlineFraction, Usage: "commitment deadline, as a fraction into the slot before", Value: admission.DefaultDeadlineFraction, EnvVars: envVars(flagDeadlineFraction)},
		str(flagMinPriorityFee, "priority fee floor of an empty slot (wei, or with gwei/ether suffix)", "1gwei"),
		str(flagFeeSlope, "rise of the floor per million gas already promised in the slot (wei per gas)", "0.1gwei"),
		str(flagSlashBase, "slash amount of every promise, before the max-cost share", "0.01ether"),
		&cli.Uint64Flag{Name: flagSlashMaxCostBps, Usage: "share of the txs' max cost added to the slash amount, in basis points", Value: 10_000, EnvVars: envVars(flagSlashMaxCostBps)},
		str(flagSlashCap, "largest slash amount of one promise", "1ether"),
		&cli.Uint64Flag{Name: flagSlashWindow, Usage: "slots after its slot a promise stays slashable: must equal the Registry's and the Slasher's slashWindow, or the sidecar refuses to start", Value: admission.DefaultSlashWindow, EnvVars: envVars(flagSlashWindow)},
		str(flagCommitterMinBalance, "warn when the committer account holds less than this (wei, or with gwei/ether suffix): it pays the slot ledgers' gas", "0.1ether"),
		&cli.Float64Flag{Name: flagRateLimit, Usage: "calls per second allowed to one client IP (0: unlimited)", Value: 100, EnvVars: envVars(flagRateLimit)},
		&cli.IntFlag{Name: flagRateBurst, Usage: "calls one client IP may make at once", Value: 200, EnvVars: envVars(flagRateBurst)},
		&cli.DurationFlag{Name: flagPollInterval, Usage: "how often the execution client's head is polled", Value: time.Second, EnvVars: envVars(flagPollInterval)},
		str(flagMemoryLimit, "soft limit on the Go runtime's memory (debug.SetMemoryLimit): near it the garbage collector runs more often instead of letting the heap grow; raise it for stores far above 100,000 promises; 0: none. Unset, GOMEMLIMIT applies if given", defaultMemoryLimit),
		str(flagPprofListen, "serve Go's pprof profiles on this address (host:port, keep it on loopback); empty: off", ""),
		str(flagBuilderListen, "serve the Builder API to the beacon node on this address (host:port; point its builder endpoint here); empty: off", ""),
		str(flagRelays, "comma-separated relays (http://0xPUBKEY@host:port) that get our slots' constraints and are asked for bids", ""),
		str(flagEngineURL, "execution client's engine API URL, for the local fallback block (needs --builder-listen and --jwt-secret)", ""),
		str(flagJWTSecret, "file holding the engine API's JWT secret (32 bytes in hex)", ""),
		str(flagBuilderKey, "BLS key file signing the fallback block's bids (raw hex or keystore); empty: a new key each start", ""),
		str(flagFeeRecipient, "fee recipient of fallback blocks when the proposer registered none through the builder endpoint", ""),
		&cli.IntFlag{Name: flagFallbackPoolTxs, Usage: "mempool txs the fallback block may carry after the promised ones (0: promises only, fastest)", Value: 0, EnvVars: envVars(flagFallbackPoolTxs)},
		&cli.DurationFlag{Name: flagBuilderSoftTimeout, Usage: "getHeader answers with the best valid bid once this passes", Value: 500 * time.Millisecond, EnvVars: envVars(flagBuilderSoftTimeout)},
		&cli.DurationFlag{Name: flagBuilderHardTimeout, Usage: "getHeader never takes longer (keep under the beacon node's 1 s)", Value: 950 * time.Millisecond, EnvVars: envVars(flagBuilderHardTimeout)},
		&cli.StringSliceFlag{Name: flagRollup, Usage: "a based rollup whose L2 txs are sold, as CHAINID=RPC_URL (repeatable)", EnvVars: envVars(flagRollup)},
		str(flagInbox, "Inbox contract every rollup's batches are posted to (needed with --rollup)", ""),
		str(flagPosterKey, "ECDSA key file (raw hex or geth keystore) signing each slot's batch post (needed with --rollup)", ""),
		str(flagPosterPassword, "file holding the poster keystore's password", ""),
		&cli.Uint64Flag{Name: flagRollupGasBudget, Usage: "L2 gas promised per rollup per slot at most", Value: 30_000_000, EnvVars: envVars(flagRollupGasBudget)},
		str(flagDelegations, "delegation-first: JSON file of SignedDelegations (written by `pledge delegate`) to the delegate key; with it no validator key is held, and only the slots it covers are sold", ""),
		str(flagRevocations, "JSON file of SignedRevocations (written by `pledge delegate revoke`): sent to the relays, and their slots are not sold", ""),
		str(flagDelegateKey, "delegate BLS key file (raw hex or keystore) signing the constraints, with --delegations", ""),
		str(flagDelegatePassword, "file holding the delegate keystore's password", ""),
		str(flagDelegatePubkey, "delegate BLS public key held by --delegate-signer-url", ""),
		&cli.Uint64Flag{Name: flagRollupBytesBudget, Usage: "bytes of L2 txs promised per rollup per slot at most (they are L1 calldata)", Value: 64 << 10, EnvVars: envVars(flagRollupBytesBudget)},
	}
	flags = append(flags, remoteSignerFlags(delegateSignerPrefix, "delegate key")...)
	flags = append(flags, committerSignerFlags()...)
	flags = append(flags, posterSignerFlags()...)
	return append(flags, storeFlags()...)
}

// Delegation-first flags.
const (
	flagDelegations      = "delegations"
	flagRevocations      = "revocations"
	flagDelegateKey      = "delegate-key"
	flagDelegatePassword = "delegate-password-file"
	flagDelegatePubkey   = "delegate"
	delegateSignerPrefix = "delegate-"
)

// delegationConfig reads the delegation-first flags; the zero value when
// --delegations is not given (then none of them may be).
func delegationConfig(c *cli.Context, reg prometheus.Registerer) (sidecar.DelegationConfig, error) {
	var dc sidecar.DelegationConfig
	if c.String(flagDelegations) == "" {
		for _, name := range []string{flagRevocations, flagDelegateKey, flagDelegatePubkey, delegateSignerPrefix + sflagURL} {
			if c.String(name) != "" {
				return dc, fmt.Errorf("--%s is only used with --%s (delegation-first)", name, flagDelegations)
			}
		}
		return dc, nil
	}
	if c.String(flagValidatorKeys) != "" {
		return dc, fmt.Errorf("give --%s or --%s, not both: validator keys sign for themselves", flagValidatorKeys, flagDelegations)
	}
	var err error
	if dc.Delegations, err = readSignedFile[protocol.SignedDelegation](flagDelegations, c.String(flagDelegations)); err != nil {
		return dc, err
	}
	if len(dc.Delegations) == 0 {
		return dc, fmt.Errorf("--%s: %s holds no delegation", flagDelegations, c.String(flagDelegations))
	}
	if p := c.String(flagRevocations); p != "" {
		if dc.Revocations, err = readSignedFile[protocol.SignedRevocation](flagRevocations, p); err != nil {
			return dc, err
		}
	}
	remote, err := remoteSigner(c, delegateSignerPrefix, blssigner.WithRegisterer(reg), blssigner.WithLogger(appFrom(c).log))
	if err != nil {
		return dc, err
	}
	switch file := c.String(flagDelegateKey); {
	case remote != nil && file != "":
		return dc, fmt.Errorf("give --%s or --%s, not both", flagDelegateKey, delegateSignerPrefix+sflagURL)
	case remote != nil:
		if c.String(flagDelegatePubkey) == "" {
			return dc, fmt.Errorf("missing --%s: the delegate key at --%s", flagDelegatePubkey, delegateSignerPrefix+sflagURL)
		}
		if err := dc.Delegate.UnmarshalText([]byte(c.String(flagDelegatePubkey))); err != nil {
			return dc, fmt.Errorf("invalid --%s: want 0x + 96 hex digits", flagDelegatePubkey)
		}
		dc.Signer = remote
	case file != "":
		k, err := loadOneBLSKey(flagDelegateKey, file, c.String(flagDelegatePassword))
		if err != nil {
			return dc, err
		}
		if p := c.String(flagDelegatePubkey); p != "" && p != k.Pubkey.String() {
			return dc, fmt.Errorf("--%s %s is not the key of --%s (%s)", flagDelegatePubkey, p, flagDelegateKey, k.Pubkey)
		}
		local, err := blssigner.NewLocal(k.Secret)
		if err != nil {
			return dc, err
		}
		if dc.Signer, err = blssigner.New(local, blssigner.WithRegisterer(reg), blssigner.WithLogger(appFrom(c).log)); err != nil {
			return dc, err
		}
		dc.Delegate = k.Pubkey
	default:
		return dc, fmt.Errorf("missing --%s or --%s: the delegate key that signs the constraints", flagDelegateKey, delegateSignerPrefix+sflagURL)
	}
	return dc, nil
}

// Flags of the based rollups.
const (
	flagRollup            = "rollup"
	flagInbox             = "inbox"
	flagPosterKey         = "poster-key"
	flagPosterPassword    = "poster-password-file"
	flagRollupGasBudget   = "rollup-gas-budget"
	flagRollupBytesBudget = "rollup-bytes-budget"
)

// rollupsConfig reads the --rollup flags; prices follow the L1 pricing flags.
func rollupsConfig(c *cli.Context, pricing admission.Pricing, reg prometheus.Registerer) (sidecar.RollupsConfig, error) {
	var rc sidecar.RollupsConfig
	specs := c.StringSlice(flagRollup)
	if len(specs) == 0 {
		return rc, nil
	}
	for _, spec := range specs {
		id, url, ok := strings.Cut(spec, "=")
		chain, err := strconv.ParseUint(strings.TrimSpace(id), 10, 64)
		if !ok || err != nil || chain == 0 || strings.TrimSpace(url) == "" {
			return rc, fmt.Errorf("invalid --%s %q: want CHAINID=RPC_URL", flagRollup, spec)
		}
		rc.Rollups = append(rc.Rollups, sidecar.RollupConfig{
			ChainID: chain, Name: fmt.Sprintf("rollup-%d", chain), RPC: strings.TrimSpace(url),
			GasBudgetPerSlot: c.Uint64(flagRollupGasBudget), BytesPerSlot: c.Uint64(flagRollupBytesBudget), Pricing: pricing,
		})
	}
	inbox, err := addressFlag(c, flagInbox)
	if err != nil {
		return rc, fmt.Errorf("%w (needed with --%s)", err, flagRollup)
	}
	rc.Inbox = inbox
	if c.String(flagPosterKey) == "" && c.String(posterSignerPrefix+eflagKind) == ecdsasigner.KindLocal {
		return rc, fmt.Errorf("missing --%s: the key that signs the batch posts (needed with --%s)", flagPosterKey, flagRollup)
	}
	poster, err := openPosterSigner(c, reg)
	if err != nil {
		return rc, err
	}
	if err := checkECDSASigner(c, "poster", poster); err != nil {
		return rc, err
	}
	rc.PosterSigner = poster
	return rc, nil
}

func sidecarCommand() *cli.Command {
	return &cli.Command{
		Name:  "sidecar",
		Usage: "sell preconfirmations for our validators' slots (run beside the beacon node)",
		Description: "At start the sidecar reads the Registry's parameters and refuses to start, with one line naming the\n" +
			"difference, when `--slash-window` is not the Registry's and the Slasher's slash window or the Slasher belongs to\n" +
			"another Registry. It sells over the duties it knows (the current and the next epoch) but never beyond the\n" +
			"Registry's `lookahead`: when the two epochs reach further (2 × slots per epoch − 1 > lookahead) the horizon is\n" +
			"capped at the lookahead, with a warning at start, and later slots are neither offered by `slots` nor signed\n" +
			"(error -32022). It also refuses to sign for a slot at or after the operator's exit slot or one its committer\n" +
			"is not bound to (rotated or revoked). For every slot it sold promises for, the committer opens the slot's\n" +
			"ledger in the Registry after the slot starts (within the Registry's `ledgerGrace`) and releases expired\n" +
			"ledgers in batches; the committer account pays that gas, so keep it funded (`--committer-min-balance`).",
		Flags: sidecarFlags(),
		Before: func(c *cli.Context) error {
			return applyConfigFile(c, c.String(flagConfig))
		},
		Action: runSidecar,
	}
}

func runSidecar(c *cli.Context) error {
	log := appFrom(c).log
	if err := applyMemoryLimit(c); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	cfg, err := sidecarConfig(c, reg)
	if err != nil {
		return err
	}
	st, err := openStore(c.Context, c, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("open the promise store: %w", err)
	}
	cfg.Store = st
	cfg.FollowStore = func(ctx context.Context, e *admission.Engine) error { return followStore(ctx, c, st, e) }
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if addr := c.String(flagPprofListen); addr != "" {
		stopPprof, err := servePprof(addr)
		if err != nil {
			return fmt.Errorf("--%s: %w", flagPprofListen, err)
		}
		defer stopPprof()
		log.Info().Str("addr", addr).Msg("pprof profiles served")
	}
	sidecar.Version = appVersion()
	svc, err := sidecar.New(*cfg, log, reg)
	if err != nil {
		if cerr := st.Close(); cerr != nil {
			log.Error().Err(cerr).Msg("close promise store")
		}
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go watchMemoryLimit(ctx, log, 30*time.Second)
	return svc.Run(ctx)
}

// defaultMemoryLimit keeps `pledge sidecar` within ~200 MB of RSS with
// 100,000 promises in its store (docs/performance.md): without a limit the
// heap grows to twice what the last collection left, which under load is
// mostly request garbage. Live memory is ~1.5 KB per promise still ahead of
// the head and ~100 B per promise behind it, so the limit is far above the
// live heap of a normal store; a collector pushed against it costs CPU.
const defaultMemoryLimit = "150MiB"

// applyMemoryLimit sets the runtime's soft memory limit from --memory-limit;
// a GOMEMLIMIT in the environment wins over the flag's default.
func applyMemoryLimit(c *cli.Context) error {
	if !c.IsSet(flagMemoryLimit) && os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	limit, err := parseBytes(c.String(flagMemoryLimit))
	if err != nil {
		return fmt.Errorf("invalid --%s %q: %w", flagMemoryLimit, c.String(flagMemoryLimit), err)
	}
	if limit > 0 {
		debug.SetMemoryLimit(limit)
	}
	return nil
}

// sidecarConfig turns the flags into a sidecar.Config, refusing the first
// wrong or missing setting with a line that names it.
func sidecarConfig(c *cli.Context, reg prometheus.Registerer) (*sidecar.Config, error) {
	registryAddr, err := addressFlag(c, flagRegistry)
	if err != nil {
		return nil, err
	}
	slasher, err := addressFlag(c, flagSlasher)
	if err != nil {
		return nil, err
	}
	operator, err := addressFlag(c, flagOperator)
	if err != nil {
		return nil, err
	}
	wei := map[string]*big.Int{}
	for _, name := range []string{flagMinPriorityFee, flagFeeSlope, flagSlashBase, flagSlashCap, flagCommitterMinBalance} {
		v, err := parseWei(c.String(name))
		if err != nil {
			return nil, fmt.Errorf("invalid --%s %q: %w", name, c.String(name), err)
		}
		wei[name] = v
	}
	if f := c.Float64(flagDeadlineFraction); f <= 0 || f >= 1 {
		return nil, fmt.Errorf("invalid --%s %g: want a fraction between 0 and 1", flagDeadlineFraction, f)
	}

	rollups, err := rollupsConfig(c, admission.Pricing{MinPriorityFee: wei[flagMinPriorityFee], FeeSlope: wei[flagFeeSlope]}, reg)
	if err != nil {
		return nil, err
	}
	building, err := buildingConfig(c)
	if err != nil {
		return nil, err
	}

	delegation, err := delegationConfig(c, reg)
	if err != nil {
		return nil, err
	}
	var secrets []*bls.SecretKey
	switch {
	case delegation.Signer != nil:
	case c.String(flagValidatorKeys) == "":
		return nil, fmt.Errorf("missing --%s (the validator keys whose slots are sold) or --%s with a delegate key", flagValidatorKeys, flagDelegations)
	default:
		var vpw keys.PasswordSource
		if p := c.String(flagValidatorPassword); p != "" {
			vpw = keys.PasswordFile(p)
		}
		blsKeys, err := keys.LoadBLSKeys(c.String(flagValidatorKeys), vpw)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", flagValidatorKeys, err)
		}
		secrets = make([]*bls.SecretKey, len(blsKeys))
		for i, k := range blsKeys {
			secrets[i] = k.Secret
		}
	}
	if c.String(flagCommitterKey) == "" && c.String(committerSignerPrefix+eflagKind) == ecdsasigner.KindLocal {
		return nil, fmt.Errorf("missing --%s: the key that signs promises", flagCommitterKey)
	}
	committer, err := openCommitterSigner(c, reg)
	if err != nil {
		return nil, err
	}
	if err := checkECDSASigner(c, "committer", committer); err != nil {
		return nil, err
	}

	apiCfg := api.DefaultConfig()
	apiCfg.RateLimit = c.Float64(flagRateLimit)
	apiCfg.RateBurst = c.Int(flagRateBurst)
	return &sidecar.Config{
		BeaconURL:     c.String(flagBeaconURL),
		ExecutionURL:  c.String(flagExecutionURL),
		Registry:      registryAddr,
		DataDir:       c.String(flagDataDir),
		Listen:        c.String(flagListen),
		ValidatorKeys: secrets,
		Delegation:    delegation,
		Committer:     committer,
		Admission: admission.Config{
			Slasher:          slasher,
			Operator:         operator,
			GasBudgetPerSlot: c.Uint64(flagGasBudget),
			MaxBlobsPerSlot:  c.Uint64(flagMaxBlobs),
			DeadlineFraction: c.Float64(flagDeadlineFraction),
			Pricing:          admission.Pricing{MinPriorityFee: wei[flagMinPriorityFee], FeeSlope: wei[flagFeeSlope]},
			Slash:            admission.SlashPolicy{Base: wei[flagSlashBase], MaxCostBps: c.Uint64(flagSlashMaxCostBps), Cap: wei[flagSlashCap]},
			SlashWindow:      c.Uint64(flagSlashWindow),
		},
		API:          apiCfg,
		PollInterval: c.Duration(flagPollInterval),
		Building:     *building,
		Rollups:      rollups,
		Ledger:       sidecar.LedgerConfig{MinBalance: wei[flagCommitterMinBalance]},
	}, nil
}

// buildingConfig reads the block-building flags. Each part is optional, but
// a part named without what it needs is refused here, with the flag to add.
func buildingConfig(c *cli.Context) (*sidecar.BuildingConfig, error) {
	b := &sidecar.BuildingConfig{
		BuilderListen: strings.TrimSpace(c.String(flagBuilderListen)),
		EngineURL:     strings.TrimSpace(c.String(flagEngineURL)),
		PoolTxs:       c.Int(flagFallbackPoolTxs),
		SoftTimeout:   c.Duration(flagBuilderSoftTimeout),
		HardTimeout:   c.Duration(flagBuilderHardTimeout),
	}
	if b.BuilderListen != "" {
		if _, _, err := net.SplitHostPort(b.BuilderListen); err != nil {
			return nil, fmt.Errorf("invalid --%s %q: want host:port", flagBuilderListen, b.BuilderListen)
		}
	}
	for _, r := range strings.Split(c.String(flagRelays), ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if _, err := builderproxy.ParseRelay(r); err != nil {
			return nil, fmt.Errorf("invalid --%s entry: %w", flagRelays, err)
		}
		b.Relays = append(b.Relays, r)
	}
	if b.SoftTimeout <= 0 || b.HardTimeout < b.SoftTimeout {
		return nil, fmt.Errorf("invalid --%s %s / --%s %s: want 0 < soft <= hard", flagBuilderSoftTimeout, b.SoftTimeout, flagBuilderHardTimeout, b.HardTimeout)
	}
	if b.PoolTxs < 0 {
		return nil, fmt.Errorf("invalid --%s %d: want 0 or more", flagFallbackPoolTxs, b.PoolTxs)
	}
	if b.BuilderListen != "" && len(b.Relays) == 0 && b.EngineURL == "" {
		return nil, fmt.Errorf("--%s needs --%s or --%s (the local fallback block) to get blocks from", flagBuilderListen, flagRelays, flagEngineURL)
	}
	if b.EngineURL == "" {
		for _, name := range []string{flagJWTSecret, flagBuilderKey, flagFeeRecipient} {
			if c.String(name) != "" {
				return nil, fmt.Errorf("--%s is only used with --%s (the local fallback block)", name, flagEngineURL)
			}
		}
		return b, nil
	}
	if u, err := url.Parse(b.EngineURL); err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, fmt.Errorf("invalid --%s %q: want an http(s):// or ws(s):// URL", flagEngineURL, b.EngineURL)
	}
	if b.BuilderListen == "" {
		return nil, fmt.Errorf("--%s needs --%s: the fallback block is served through the builder endpoint", flagEngineURL, flagBuilderListen)
	}
	if c.String(flagJWTSecret) == "" {
		return nil, fmt.Errorf("missing --%s: the engine API at --%s needs its JWT secret file", flagJWTSecret, flagEngineURL)
	}
	secret, err := readJWTSecret(c.String(flagJWTSecret))
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagJWTSecret, err)
	}
	b.JWTSecret = &secret
	if c.String(flagFeeRecipient) == "" {
		return nil, fmt.Errorf("missing --%s: who gets the fallback block's fees when the proposer registered none", flagFeeRecipient)
	}
	if b.FeeRecipient, err = addressFlag(c, flagFeeRecipient); err != nil {
		return nil, err
	}
	if p := c.String(flagBuilderKey); p != "" {
		ks, err := keys.LoadBLSKeys(p, nil)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", flagBuilderKey, err)
		}
		if len(ks) != 1 {
			return nil, fmt.Errorf("--%s: %s holds %d keys, want exactly one", flagBuilderKey, p, len(ks))
		}
		b.BuilderKey = ks[0].Secret
	}
	return b, nil
}

// readJWTSecret reads a JWT secret file: 32 bytes in hex, 0x optional, as
// geth and the beacon nodes write it.
func readJWTSecret(path string) ([32]byte, error) {
	var secret [32]byte
	raw, err := os.ReadFile(path)
	if err != nil {
		return secret, err
	}
	text := strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x")
	b, err := hex.DecodeString(text)
	if err != nil || len(b) != len(secret) {
		return secret, fmt.Errorf("%s: want 32 bytes in hex", path)
	}
	copy(secret[:], b)
	return secret, nil
}

func addressFlag(c *cli.Context, name string) (common.Address, error) {
	v := c.String(name)
	if v == "" {
		return common.Address{}, fmt.Errorf("missing --%s", name)
	}
	if !common.IsHexAddress(v) {
		return common.Address{}, fmt.Errorf("invalid --%s %q: want a 0x-prefixed 20-byte hex address", name, v)
	}
	return common.HexToAddress(v), nil
}

var weiUnits = []struct {
	suffix string
	exp    int
}{{"ether", 18}, {"gwei", 9}, {"wei", 0}}

// parseWei reads an amount in wei: "1000", "1gwei", "0.01ether".
func parseWei(s string) (*big.Int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	exp := 0
	for _, u := range weiUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, exp = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.exp
			break
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		return nil, errors.New("want a non-negative amount in wei, or with a gwei or ether suffix")
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	if !r.IsInt() {
		return nil, errors.New("amount has a fraction of a wei")
	}
	return new(big.Int).Set(r.Num()), nil
}
