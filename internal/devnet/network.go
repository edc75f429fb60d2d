// Package devnet is Pledge's in-process test network: an execution node
// (internal/elnode, real geth with its engine API), a beacon-API server
// (internal/beaconmock, driven here) and a proposer driver that plays beacon
// node and validator client. Each slot the driver asks the configured
// builder endpoint for a header as a validator client with an external
// builder does, checks and signs the blinded block with the proposer's real
// BLS key, submits it, and imports the revealed payload into geth; with no
// usable bid it builds the block locally through the engine API. Tests step
// slots by hand (Step); `pledge devnet` runs them on the wall clock (Run).
package devnet

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/beaconmock"
	"github.com/pledgeproto/pledge/internal/elnode"
	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builderapi"
)

// Defaults of Config's zero fields.
const (
	DefaultSlotDuration   = 2 * time.Second
	DefaultSlotsPerEpoch  = 8
	DefaultValidators     = 8
	DefaultSeed           = "pledge-devnet"
	DefaultFundedAccounts = 4
	// DefaultLocalBuildTime is how long geth fills a local block from its pool.
	DefaultLocalBuildTime = 100 * time.Millisecond
)

// DefaultGenesisForkVersion is the genesis fork version when Config leaves it zero.
var DefaultGenesisForkVersion = phase0.Version{0x10, 0x00, 0x00, 0x38}

// FundedBalance is the genesis balance of each derived account (1,000,000 ETH).
var FundedBalance = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))

// domainRandao is DOMAIN_RANDAO.
var domainRandao = phase0.DomainType{0x02, 0x00, 0x00, 0x00}

// Config describes the network. Zero fields take the defaults.
type Config struct {
	// SlotDuration is a whole number of seconds (EL timestamps are seconds).
	SlotDuration  time.Duration
	SlotsPerEpoch uint64
	// Validators is the size of the validator set, all proposing.
	Validators int
	// Seed derives every key, the duties shuffle and the randao.
	Seed string
	// GenesisForkVersion fixes every later fork's version: its first byte
	// steps by 0x10 per fork (0x10000038 gives Fulu 0x70000038).
	GenesisForkVersion phase0.Version
	// GenesisTime defaults to now, truncated to the second. Slot S's block
	// has the timestamp GenesisTime + S*SlotDuration.
	GenesisTime time.Time
	ChainID     uint64
	GasLimit    uint64
	// Alloc is merged into the genesis alloc beside the derived accounts.
	Alloc types.GenesisAlloc
	// FundedAccounts derived from Seed are given FundedBalance; -1 means none.
	FundedAccounts int
	// FeeRecipient, when set, is every validator's fee recipient; otherwise
	// each gets its own derived address.
	FeeRecipient common.Address
	// BuilderTimeout bounds getHeader (default: a third of a slot, at most 1 s).
	BuilderTimeout time.Duration
	// SubmitTimeout bounds submitBlindedBlock (default: one slot).
	SubmitTimeout time.Duration
	// BlindedBlockV1 submits blinded blocks to /eth/v1 (the payload comes
	// back and the driver imports it) instead of Fulu's /eth/v2 (202, the
	// builder publishes through the beacon node).
	BlindedBlockV1 bool
	// LocalBuildTime is how long geth fills a locally built block.
	LocalBuildTime time.Duration
}

func (c Config) withDefaults() (Config, error) {
	if c.SlotDuration == 0 {
		c.SlotDuration = DefaultSlotDuration
	}
	if c.SlotDuration < time.Second || c.SlotDuration%time.Second != 0 {
		return c, fmt.Errorf("%w: slot duration %s is not a whole number of seconds", ErrBadConfig, c.SlotDuration)
	}
	if c.SlotsPerEpoch == 0 {
		c.SlotsPerEpoch = DefaultSlotsPerEpoch
	}
	if c.Validators == 0 {
		c.Validators = DefaultValidators
	}
	if c.Validators < 0 {
		return c, fmt.Errorf("%w: %d validators", ErrBadConfig, c.Validators)
	}
	if c.Seed == "" {
		c.Seed = DefaultSeed
	}
	if c.GenesisForkVersion == (phase0.Version{}) {
		c.GenesisForkVersion = DefaultGenesisForkVersion
	}
	if c.GenesisForkVersion[0] > 0x9f {
		return c, fmt.Errorf("%w: genesis fork version %#x leaves no room for later forks", ErrBadConfig, c.GenesisForkVersion[:])
	}
	if c.GenesisTime.IsZero() {
		c.GenesisTime = time.Now().Truncate(time.Second)
	}
	c.GenesisTime = c.GenesisTime.Truncate(time.Second)
	if c.ChainID == 0 {
		c.ChainID = elnode.DefaultChainID
	}
	if c.GasLimit == 0 {
		c.GasLimit = elnode.DefaultGasLimit
	}
	switch {
	case c.FundedAccounts == 0:
		c.FundedAccounts = DefaultFundedAccounts
	case c.FundedAccounts < 0:
		c.FundedAccounts = 0
	}
	if c.BuilderTimeout == 0 {
		c.BuilderTimeout = min(c.SlotDuration/3, time.Second)
	}
	if c.SubmitTimeout == 0 {
		c.SubmitTimeout = c.SlotDuration
	}
	if c.LocalBuildTime == 0 {
		c.LocalBuildTime = DefaultLocalBuildTime
	}
	return c, nil
}

// forkNames are the forks after genesis, in order; all start at epoch 0.
var forkNames = []string{"ALTAIR", "BELLATRIX", "CAPELLA", "DENEB", "ELECTRA", "FULU"}

// forkVersion is the version of the k-th fork after genesis.
func (c Config) forkVersion(k int) phase0.Version {
	v := c.GenesisForkVersion
	v[0] += byte(0x10 * k)
	return v
}

// Option configures a Network.
type Option func(*Network)

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option {
	return func(n *Network) { n.log = l.With().Str("component", "devnet").Logger() }
}

// Network is a running devnet. Its methods are safe for concurrent use;
// slots are proposed one at a time.
type Network struct {
	cfg        Config
	log        zerolog.Logger
	el         *elnode.Node
	beacon     *beaconmock.Mock
	validators []Validator
	byPubkey   map[phase0.BLSPubKey]uint64
	accounts   []*ecdsa.PrivateKey

	gvr            phase0.Root
	fuluVersion    phase0.Version
	proposerDomain phase0.Domain
	randaoDomain   phase0.Domain
	builderDomain  phase0.Domain
	genesisRoot    phase0.Root

	client *http.Client

	step sync.Mutex // one slot at a time

	mu         sync.Mutex
	builderURL string
	registered string // builder URL the validators were registered with
	regs       []*apiv1.SignedValidatorRegistration
	skips      map[uint64]bool
	drops      map[uint64]func(*types.Transaction) bool
	hooks      []SlotHook
	records    []SlotRecord
	lastSlot   uint64      // last slot proposed or skipped
	head       beaconBlock // the beacon head
	inflight   *inflight   // the slot being proposed, for the publish endpoint

	closeOnce sync.Once
}

// beaconBlock is what the driver keeps of a beacon block.
type beaconBlock struct {
	slot uint64
	root phase0.Root
	mix  [32]byte // randao mix of the state after it
}

// Start starts the execution node and the beacon-API server. Close stops them.
func Start(cfg Config, opts ...Option) (*Network, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	vals, err := NewValidators(cfg.Seed, cfg.Validators, cfg.FeeRecipient)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	accounts, err := NewAccounts(cfg.Seed, cfg.FundedAccounts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	n := &Network{
		cfg:        cfg,
		log:        zerolog.Nop(),
		validators: vals,
		byPubkey:   make(map[phase0.BLSPubKey]uint64, len(vals)),
		accounts:   accounts,
		skips:      make(map[uint64]bool),
		drops:      make(map[uint64]func(*types.Transaction) bool),
		client:     &http.Client{},
	}
	for _, o := range opts {
		o(n)
	}
	h := sha256.New()
	for _, v := range vals {
		n.byPubkey[v.Pubkey] = v.Index
		h.Write(v.Pubkey[:])
	}
	copy(n.gvr[:], h.Sum(nil))
	n.fuluVersion = cfg.forkVersion(len(forkNames))
	n.proposerDomain = boostssz.ComputeDomain(boostssz.DomainTypeBeaconProposer, n.fuluVersion, n.gvr)
	n.randaoDomain = boostssz.ComputeDomain(domainRandao, n.fuluVersion, n.gvr)
	n.builderDomain = builderapi.BuilderDomain(cfg.GenesisForkVersion)
	n.genesisRoot = seeded("genesis-block", cfg.Seed, 0)
	n.head = beaconBlock{slot: 0, root: n.genesisRoot, mix: seeded("genesis-randao", cfg.Seed, 0)}

	alloc := make(types.GenesisAlloc, len(cfg.Alloc)+len(accounts))
	for _, k := range accounts {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Set(FundedBalance)}
	}
	for a, acc := range cfg.Alloc {
		alloc[a] = acc
	}
	n.el, err = elnode.Start(elnode.Config{
		ChainID: cfg.ChainID, Alloc: alloc, GenesisTime: uint64(cfg.GenesisTime.Unix()), GasLimit: cfg.GasLimit,
	})
	if err != nil {
		return nil, fmt.Errorf("start execution node: %w", err)
	}
	n.beacon = beaconmock.New(n.beaconConfig())
	n.beacon.SetDutiesProvider(n.duties)
	n.beacon.SetPublishHandler(n.publish)
	for _, v := range vals {
		n.beacon.SetValidator(v.Pubkey, v.Index)
	}
	n.beacon.SetRandao(0, n.head.mix)
	n.beacon.AddHeader(beaconmock.BlockHeader{Slot: 0, Root: n.genesisRoot})
	n.log.Info().Str("beacon", n.beacon.URL()).Str("el", n.el.HTTPEndpoint()).Int("validators", len(vals)).
		Dur("slot_duration", cfg.SlotDuration).Msg("devnet started")
	return n, nil
}

func (n *Network) beaconConfig() beaconmock.Config {
	c := n.cfg
	extra := map[string]string{
		"CONFIG_NAME":                        "pledge-devnet",
		"DOMAIN_RANDAO":                      "0x02000000",
		"MAX_BLOBS_PER_BLOCK_ELECTRA":        "9",
		"DEPOSIT_CHAIN_ID":                   strconv.FormatUint(c.ChainID, 10),
		"DEPOSIT_NETWORK_ID":                 strconv.FormatUint(c.ChainID, 10),
		"MIN_GENESIS_ACTIVE_VALIDATOR_COUNT": strconv.Itoa(c.Validators),
	}
	forks := []beaconmock.Fork{{PreviousVersion: c.GenesisForkVersion, CurrentVersion: c.GenesisForkVersion}}
	for k, name := range forkNames {
		v := c.forkVersion(k + 1)
		extra[name+"_FORK_VERSION"] = "0x" + fmt.Sprintf("%x", v[:])
		extra[name+"_FORK_EPOCH"] = "0"
		forks = append(forks, beaconmock.Fork{PreviousVersion: c.forkVersion(k), CurrentVersion: v})
	}
	return beaconmock.Config{
		GenesisTime:           c.GenesisTime,
		SlotDuration:          c.SlotDuration,
		SlotsPerEpoch:         c.SlotsPerEpoch,
		GenesisForkVersion:    c.GenesisForkVersion,
		GenesisValidatorsRoot: n.gvr,
		Forks:                 forks,
		Spec:                  extra,
	}
}

// Close stops the beacon server and the execution node.
func (n *Network) Close() error {
	var err error
	n.closeOnce.Do(func() {
		n.beacon.Close()
		err = n.el.Close()
	})
	return err
}

// EL is the execution node (JSON-RPC, engine API, BuildBlock, ImportPayload).
func (n *Network) EL() *elnode.Node { return n.el }

// Beacon is the beacon-API server, for tests that fail endpoints or drop streams.
func (n *Network) Beacon() *beaconmock.Mock { return n.beacon }

// BeaconURL is the beacon node's base URL (sidecar --beacon, relay publisher).
func (n *Network) BeaconURL() string { return n.beacon.URL() }

// Validators are the validator set, index i at position i.
func (n *Network) Validators() []Validator { return n.validators }

// Accounts are the funded execution-layer keys derived from the seed.
func (n *Network) Accounts() []*ecdsa.PrivateKey { return n.accounts }

// Config is the effective configuration (defaults filled in).
func (n *Network) Config() Config { return n.cfg }

// GenesisTime is the start of slot 0 and the genesis block's timestamp.
func (n *Network) GenesisTime() time.Time { return n.cfg.GenesisTime }

// GenesisValidatorsRoot is the root every proposer signature is bound to.
func (n *Network) GenesisValidatorsRoot() phase0.Root { return n.gvr }

// ForkVersion is the current (Fulu) fork version.
func (n *Network) ForkVersion() phase0.Version { return n.fuluVersion }

// SlotTime is the timestamp of slot's block.
func (n *Network) SlotTime(slot uint64) uint64 {
	return uint64(n.cfg.GenesisTime.Unix()) + slot*uint64(n.cfg.SlotDuration/time.Second)
}

// SlotStart is the wall-clock start of slot.
func (n *Network) SlotStart(slot uint64) time.Time {
	return n.cfg.GenesisTime.Add(time.Duration(slot) * n.cfg.SlotDuration)
}

// RelayConfig is the relay.Config of a relay serving this network (Fulu
// from genesis, proposer signatures checked).
func (n *Network) RelayConfig() relay.Config {
	return relay.Config{
		GenesisForkVersion:    n.cfg.GenesisForkVersion,
		ChainID:               n.cfg.ChainID,
		GenesisTime:           n.cfg.GenesisTime,
		SecondsPerSlot:        uint64(n.cfg.SlotDuration / time.Second),
		SlotsPerEpoch:         n.cfg.SlotsPerEpoch,
		Forks:                 []relay.Fork{{Version: spec.DataVersionFulu, Epoch: 0, ForkVersion: n.fuluVersion}},
		GenesisValidatorsRoot: n.gvr,
	}
}

// Proposer is the validator proposing slot: a shuffle of the validator set
// per epoch, seeded by the seed and the epoch, walked in order and wrapped.
func (n *Network) Proposer(slot uint64) Validator {
	epoch := slot / n.cfg.SlotsPerEpoch
	perm := n.shuffle(epoch)
	return n.validators[perm[int(slot%n.cfg.SlotsPerEpoch)%len(perm)]]
}

func (n *Network) shuffle(epoch uint64) []int {
	s := seeded("duties", n.cfg.Seed, epoch)
	var a, b uint64
	for i := range 8 {
		a = a<<8 | uint64(s[i])
		b = b<<8 | uint64(s[8+i])
	}
	return rand.New(rand.NewPCG(a, b)).Perm(len(n.validators))
}

// duties serves every epoch's proposer duties; the dependent root is a
// function of the epoch alone since the shuffle does not depend on blocks.
func (n *Network) duties(epoch uint64) ([]beaconmock.Duty, [32]byte, bool) {
	if len(n.validators) == 0 {
		return nil, [32]byte{}, false
	}
	start := epoch * n.cfg.SlotsPerEpoch
	out := make([]beaconmock.Duty, 0, n.cfg.SlotsPerEpoch)
	for s := start; s < start+n.cfg.SlotsPerEpoch; s++ {
		if s == 0 {
			continue // genesis has no proposer
		}
		v := n.Proposer(s)
		out = append(out, beaconmock.Duty{Slot: s, ValidatorIndex: v.Index, Pubkey: v.Pubkey})
	}
	return out, seeded("dependent-root", n.cfg.Seed, epoch), true
}
