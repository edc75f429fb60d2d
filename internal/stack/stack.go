// Package stack assembles the whole Pledge system in one process on
// loopback, for `pledge devnet` and the end-to-end tests: the in-process
// devnet (geth, beacon API and proposer driver), the contracts deployed and
// the operator registered with the validators, a Pledge relay with the
// reference builder, the sidecar with its builder proxy as the validators'
// builder endpoint, the demo rollup nodes, the watcher, and a small traffic
// generator. It prints, slot by slot, what was promised, where it landed
// and every fault the watcher slashed.
package stack

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// Defaults of Config's zero fields.
const (
	DefaultSlotDuration = 2 * time.Second
	DefaultValidators   = 4
	DefaultRollups      = 1
	DefaultListen       = "127.0.0.1:8017"
	// FirstRollupChainID is the chain id of the first demo rollup; the
	// second is the next one.
	FirstRollupChainID = 167001
	// MaxRollups bounds the demo rollups.
	MaxRollups = 2
)

// Account roles among the devnet's funded accounts; the rest send traffic.
const (
	accDeployer = iota
	accOperator
	accWatcher
	accPoster
	accUser
	accFirstSender
)

// senders is how many funded accounts the traffic generator rotates over:
// a sender is reused only once its last promise has been judged by the
// chain, so a broken promise never leaves a nonce gap behind a later one.
const senders = 24

// Config describes the run. Zero fields take the defaults.
type Config struct {
	// Slots is how many slots the run serves traffic for, after the stack
	// is up; 0 runs until the context ends.
	Slots uint64
	// SlotDuration is a whole number of seconds (DefaultSlotDuration).
	SlotDuration time.Duration
	// Validators is the size of the validator set, all registered to the
	// stack's operator (DefaultValidators).
	Validators int
	// Rollups is the number of demo rollups, 1 to MaxRollups; 0 takes
	// DefaultRollups and a negative number runs none.
	Rollups int
	// FaultySlot, when not 0, makes the proposer of the FaultySlot-th slot
	// of the run (1 is the first) drop the promised transactions, so its
	// promises break and the watcher slashes them.
	FaultySlot uint64
	// Traffic turns on the generator: L1 transfers and one L2 transfer per
	// rollup, every slot, through the user API and the rollup nodes.
	Traffic bool
	// Listen is the sidecar's user API address, loopback only (DefaultListen).
	Listen string
	// Out receives the banner, the slot lines and the faults (default: discarded).
	Out io.Writer
	// DataDir holds the promise store and the watcher's journal; empty uses
	// a temporary directory removed by Close.
	DataDir string
}

func (c Config) withDefaults() (Config, error) {
	if c.SlotDuration == 0 {
		c.SlotDuration = DefaultSlotDuration
	}
	if c.SlotDuration < time.Second || c.SlotDuration%time.Second != 0 {
		return c, fmt.Errorf("%w: slot duration %s is not a whole number of seconds", ErrBadConfig, c.SlotDuration)
	}
	if c.Validators == 0 {
		c.Validators = DefaultValidators
	}
	if c.Validators < 1 || c.Validators > 64 {
		return c, fmt.Errorf("%w: %d validators, want 1 to 64", ErrBadConfig, c.Validators)
	}
	switch {
	case c.Rollups == 0:
		c.Rollups = DefaultRollups
	case c.Rollups < 0:
		c.Rollups = 0
	case c.Rollups > MaxRollups:
		return c, fmt.Errorf("%w: %d rollups, at most %d", ErrBadConfig, c.Rollups, MaxRollups)
	}
	if c.Slots > 0 && c.FaultySlot > c.Slots {
		return c, fmt.Errorf("%w: faulty slot %d is after the last of %d slots", ErrBadConfig, c.FaultySlot, c.Slots)
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if err := loopback(c.Listen); err != nil {
		return c, err
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	return c, nil
}

// loopback checks that addr is host:port on a loopback address: the devnet
// holds well-known keys and must not be reachable from elsewhere.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: listen address %q: want host:port", ErrBadConfig, addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: listen address %q is not loopback (127.0.0.1, ::1 or localhost)", ErrBadConfig, addr)
	}
	return nil
}

// Option configures Start.
type Option func(*options)

type options struct{ log zerolog.Logger }

// WithLogger sets the logger of the parts (default: disabled). The slot
// lines go to Config.Out, not here.
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// Stack is a running system. Wait blocks until the run is over; Close
// releases everything.
type Stack struct {
	cfg Config
	log zerolog.Logger
	out *printer

	net       *devnet.Network
	el        *ethclient.Client
	chainID   *big.Int
	contracts *deploy.Contracts
	operator  common.Address
	committer common.Address
	// committerKey signs the sidecar's promises.
	committerKey *ecdsa.PrivateKey
	reg          *prometheus.Registry
	sidecar      *sidecar.Service
	userURL      string
	watcher      *watcher.Watcher
	journal      *watcher.Journal
	watchURL     string
	rollups      []*rollupnode.Node
	relayURL     string
	senders      []*ecdsa.PrivateKey

	// firstSlot is the first slot of the run; faulty is the absolute
	// faulty slot (0: none).
	firstSlot uint64
	faulty    uint64
	lastSlot  uint64 // 0: no last slot

	collateralBefore *big.Int

	track *tracker

	cancel  context.CancelFunc
	parts   sync.WaitGroup
	partMu  sync.Mutex
	partErr []error
	done    chan struct{}
	summary *Summary

	closers   []func()
	closeOnce sync.Once
	tmpDir    string
}

// Start brings the whole system up on loopback, prints the banner and
// starts the run in the background. ctx bounds the run: when it ends, the
// run stops as with Config.Slots reached. Call Wait for the outcome, then
// Close.
func Start(ctx context.Context, cfg Config, opts ...Option) (s *Stack, err error) {
	cfg, err = cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	o := options{log: zerolog.Nop()}
	for _, opt := range opts {
		opt(&o)
	}
	s = &Stack{
		cfg: cfg, log: o.log, out: &printer{w: cfg.Out}, done: make(chan struct{}), track: newTracker(),
		// Before the network: the proposer hook reads the builder proxy's metrics.
		reg: prometheus.NewRegistry(),
	}
	st := s // the named result is nil on an error return
	defer func() {
		if err != nil {
			st.shutdown()
			st.Close()
		}
	}()
	if cfg.DataDir == "" {
		if s.tmpDir, err = os.MkdirTemp("", "pledge-devnet-"); err != nil {
			return nil, fmt.Errorf("%w: data directory: %w", ErrStart, err)
		}
		cfg.DataDir = s.tmpDir
		s.cfg.DataDir = s.tmpDir
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	stop := context.AfterFunc(ctx, cancel)
	s.closers = append(s.closers, func() { stop() })

	if err := s.startNetwork(runCtx); err != nil {
		return nil, err
	}
	if err := s.deployContracts(ctx); err != nil {
		return nil, err
	}
	if err := s.startRelay(runCtx); err != nil {
		return nil, err
	}
	if err := s.startRollups(); err != nil {
		return nil, err
	}
	// The rollup nodes serve before the sidecar starts: it reads their chain
	// ids and states; they reach the sidecar only when a wallet sends a tx.
	for _, n := range s.rollups {
		s.goPart(runCtx, "rollup node", n.Run)
	}
	if err := s.startSidecar(ctx, runCtx); err != nil {
		return nil, err
	}
	if err := s.startWatcher(ctx, runCtx); err != nil {
		return nil, err
	}

	// The run starts two slots ahead, so that the first slot's requests
	// can be sent in the slot before it, whatever the wall clock says now.
	s.firstSlot = s.wallSlot() + 2
	if cfg.Slots > 0 {
		s.lastSlot = s.firstSlot + cfg.Slots - 1
	}
	if cfg.FaultySlot > 0 {
		s.faulty = s.firstSlot + cfg.FaultySlot - 1
		s.net.DropTxs(s.faulty, s.track.promisedIn(s.faulty))
	}
	s.printBanner()
	if cfg.Traffic {
		s.goPart(runCtx, "traffic", s.runTraffic)
	}
	go s.report(runCtx)
	return s, nil
}

// goPart runs a long-running part; an error other than the context's is
// kept for the summary and ends the run.
func (s *Stack) goPart(ctx context.Context, name string, run func(context.Context) error) {
	s.parts.Add(1)
	go func() {
		defer s.parts.Done()
		err := run(ctx)
		if err != nil && ctx.Err() == nil {
			s.partMu.Lock()
			s.partErr = append(s.partErr, fmt.Errorf("%w: %s: %w", ErrPart, name, err))
			s.partMu.Unlock()
			s.out.linef("ERROR %s stopped: %v", name, err)
			s.cancel()
		}
	}()
}

func (s *Stack) startNetwork(ctx context.Context) error {
	n, err := devnet.Start(devnet.Config{
		SlotDuration:   s.cfg.SlotDuration,
		Validators:     s.cfg.Validators,
		FundedAccounts: accFirstSender + senders,
		// getHeader goes through the sidecar's proxy to the relay, with the
		// fallback block built beside: give it a whole second.
		BuilderTimeout: time.Second,
	}, devnet.WithLogger(s.log))
	if err != nil {
		return fmt.Errorf("%w: devnet: %w", ErrStart, err)
	}
	s.net = n
	s.closers = append(s.closers, func() {
		if err := n.Close(); err != nil {
			s.log.Warn().Err(err).Msg("close devnet")
		}
	})
	s.senders = n.Accounts()[accFirstSender : accFirstSender+senders]
	s.goPart(ctx, "devnet", n.Run)
	if s.el, err = ethclient.Dial(n.EL().HTTPEndpoint()); err != nil {
		return fmt.Errorf("%w: dial the execution node: %w", ErrStart, err)
	}
	s.closers = append(s.closers, s.el.Close)
	s.chainID = new(big.Int).SetUint64(n.Config().ChainID)
	return nil
}

// deployContracts deploys Registry, Inbox and Slasher and registers the
// operator with every validator key and a fresh committer.
func (s *Stack) deployContracts(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, 30*s.cfg.SlotDuration)
	defer cancel()
	accounts := s.net.Accounts()
	k, err := deploy.All(dctx, s.el, s.chainID, accounts[accDeployer], deploy.Params{
		MinCollateral:             ether(1),
		GenesisTime:               uint64(s.net.GenesisTime().Unix()),
		SecondsPerSlot:            uint64(s.cfg.SlotDuration / time.Second),
		Lookahead:                 lookahead,
		RotationDelay:             rotationDelay,
		UnregistrationDelay:       128,
		SlashWindow:               slashWindow,
		LivenessBps:               5000,
		UserBps:                   8000,
		BlobBaseFeeUpdateFraction: 5007716,
	})
	if err != nil {
		return fmt.Errorf("%w: deploy contracts: %w", ErrStart, err)
	}
	s.contracts = k
	committer, err := crypto.GenerateKey()
	if err != nil {
		return fmt.Errorf("%w: committer key: %w", ErrStart, err)
	}
	s.committerKey = committer
	s.committer = crypto.PubkeyToAddress(committer.PublicKey)
	// The committer opens the slot ledgers: its account pays their gas.
	if err := deploy.Fund(dctx, s.el, s.chainID, accounts[accDeployer], s.committer, ether(committerETH)); err != nil {
		return fmt.Errorf("%w: fund the committer: %w", ErrStart, err)
	}
	s.operator = crypto.PubkeyToAddress(accounts[accOperator].PublicKey)
	keys := make([]*bls.SecretKey, 0, len(s.net.Validators()))
	for _, v := range s.net.Validators() {
		keys = append(keys, v.SecretKey)
	}
	if err := deploy.RegisterOperator(dctx, s.el, s.chainID, k.Registry, accounts[accOperator], keys, s.committer, ether(collateralETH)); err != nil {
		return fmt.Errorf("%w: register the operator: %w", ErrStart, err)
	}
	if s.collateralBefore, err = s.collateral(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrStart, err)
	}
	return nil
}

// slashWindow is short on the devnet: promises are judged within slots.
const slashWindow = 64

// The devnet sells over the current and the next epoch of 8 slots: at most
// 15 slots ahead. The Registry's lookahead covers that, and the rotation
// delay (which places the exit slot too) lies past it, so no promise sold
// changes signer or is voided by an exit.
const (
	lookahead     = 16
	rotationDelay = 20
)

// committerETH funds the committer, which pays the slot ledgers' gas.
const committerETH = 10

// collateralETH is the operator's collateral.
const collateralETH = 100

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// startRelay serves a Pledge relay on loopback and has the reference
// builder build on the EL for it at the start of every slot.
func (s *Stack) startRelay(ctx context.Context) error {
	relayKey, _, err := bls.GenerateNewKeypair()
	if err != nil {
		return fmt.Errorf("%w: relay key: %w", ErrStart, err)
	}
	r, err := relay.New(relayKey, s.net.RelayConfig(),
		relay.WithPublisher(devnet.NewBlockPublisher(s.net.BeaconURL(), 0)),
		relay.WithLogger(s.log))
	if err != nil {
		return fmt.Errorf("%w: relay: %w", ErrStart, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("%w: relay: %w", ErrStart, err)
	}
	pub := r.Pubkey()
	s.relayURL = fmt.Sprintf("http://0x%x@%s", pub[:], ln.Addr())
	s.goPart(ctx, "relay", func(ctx context.Context) error { return r.Serve(ctx, ln) })

	builderKey, _, err := bls.GenerateNewKeypair()
	if err != nil {
		return fmt.Errorf("%w: builder key: %w", ErrStart, err)
	}
	b, err := builder.New(builderKey, "http://"+ln.Addr().String(), s.net.RelayConfig().GenesisForkVersion,
		devnet.NewELBuilder(s.net.EL(), 50*time.Millisecond), builder.WithLogger(s.log))
	if err != nil {
		return fmt.Errorf("%w: builder: %w", ErrStart, err)
	}
	s.net.OnSlot(func(ctx context.Context, info devnet.SlotInfo) {
		s.track.noteSlotStart(info.Slot, s.fallbackBlocks())
		if err := b.BuildAndSubmit(ctx, info.BuilderJob()); err != nil {
			s.log.Warn().Err(err).Uint64("slot", info.Slot).Msg("reference builder")
		}
	})
	return nil
}

// startRollups creates the demo rollup nodes; their JSON-RPC listeners are
// bound, so their URLs are known to the sidecar's configuration.
func (s *Stack) startRollups() error {
	if s.cfg.Rollups == 0 {
		return nil
	}
	sidecarURL, err := s.userAPIAddr()
	if err != nil {
		return err
	}
	alloc := types.GenesisAlloc{}
	for _, k := range s.senders {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: ether(1000)}
	}
	for i := range s.cfg.Rollups {
		n, err := rollupnode.New(rollupnode.Config{
			ChainID:      uint64(FirstRollupChainID + i),
			Inbox:        s.contracts.Inbox,
			L1:           s.el,
			Genesis:      alloc,
			GenesisTime:  uint64(s.net.GenesisTime().Unix()),
			SidecarURL:   sidecarURL,
			Slasher:      s.contracts.Slasher,
			Listen:       "127.0.0.1:0",
			PollInterval: s.cfg.SlotDuration / 8,
		}, s.log)
		if err != nil {
			return fmt.Errorf("%w: rollup %d: %w", ErrStart, FirstRollupChainID+i, err)
		}
		s.rollups = append(s.rollups, n)
		s.closers = append(s.closers, func() { _ = n.Close() })
	}
	return nil
}

// userAPIAddr fixes the user API's address before the sidecar starts, so
// the rollup nodes can forward to it: a :0 port is resolved to a free one.
func (s *Stack) userAPIAddr() (string, error) {
	if s.userURL != "" {
		return s.userURL, nil
	}
	addr := s.cfg.Listen
	if _, port, _ := net.SplitHostPort(addr); port == "0" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return "", fmt.Errorf("%w: user API: %w", ErrStart, err)
		}
		addr = ln.Addr().String()
		_ = ln.Close()
	}
	s.cfg.Listen = addr
	s.userURL = "http://" + addr
	return s.userURL, nil
}

func (s *Stack) startSidecar(ctx, runCtx context.Context) error {
	if _, err := s.userAPIAddr(); err != nil {
		return err
	}
	keys := make([]*bls.SecretKey, 0, len(s.net.Validators()))
	for _, v := range s.net.Validators() {
		keys = append(keys, v.SecretKey)
	}
	apiCfg := api.DefaultConfig()
	apiCfg.RateLimit = 0 // one user, the generator, on loopback
	jwt := s.net.EL().JWTSecret()
	feeRecipient := crypto.PubkeyToAddress(s.net.Accounts()[accOperator].PublicKey)
	cfg := sidecar.Config{
		BeaconURL:     s.net.BeaconURL(),
		ExecutionURL:  s.net.EL().HTTPEndpoint(),
		Registry:      s.contracts.Registry,
		DataDir:       filepath.Join(s.cfg.DataDir, "sidecar"),
		Listen:        s.cfg.Listen,
		ValidatorKeys: keys,
		Committer:     admission.NewKeySigner(s.committerKey),
		Admission: admission.Config{
			Slasher:          s.contracts.Slasher,
			Operator:         s.operator,
			GasBudgetPerSlot: 10_000_000,
			Pricing:          admission.Pricing{MinPriorityFee: big.NewInt(1e9), FeeSlope: new(big.Int)},
			Slash:            admission.SlashPolicy{Base: big.NewInt(1e16), MaxCostBps: 10_000, Cap: ether(1)},
			SlashWindow:      slashWindow,
		},
		API:          apiCfg,
		PollInterval: s.cfg.SlotDuration / 8,
		Building: sidecar.BuildingConfig{
			Relays:        []string{s.relayURL},
			BuilderListen: "127.0.0.1:0",
			EngineURL:     s.net.EL().EngineEndpoint(),
			JWTSecret:     &jwt,
			FeeRecipient:  feeRecipient,
			SoftTimeout:   400 * time.Millisecond,
			HardTimeout:   800 * time.Millisecond,
		},
	}
	s.configureRollups(&cfg)
	svc, err := sidecar.New(cfg, s.log, s.reg)
	if err != nil {
		return fmt.Errorf("%w: sidecar: %w", ErrStart, err)
	}
	s.sidecar = svc
	s.goPart(runCtx, "sidecar", svc.Run)
	select {
	case <-svc.Started():
	case <-runCtx.Done():
		return fmt.Errorf("%w: sidecar did not start: %w", ErrStart, errors.Join(s.partErrs()...))
	case <-ctx.Done():
		return fmt.Errorf("%w: sidecar did not start: %w", ErrStart, ctx.Err())
	}
	addr := svc.BuilderAddr()
	if addr == nil {
		return fmt.Errorf("%w: sidecar serves no builder endpoint", ErrStart)
	}
	s.net.SetBuilderURL("http://" + addr.String())
	// Serving is not selling: the sidecar sells once it knows its duties,
	// reads the chain and sees its committer bound. Start returns then, so
	// a first request is never refused as unavailable.
	if err := waitReady(ctx, s.userURL+"/readyz"); err != nil {
		return fmt.Errorf("%w: sidecar not ready: %w", ErrStart, err)
	}
	return nil
}

// waitReady polls a /readyz endpoint until it answers 200 or ctx ends.
func waitReady(ctx context.Context, url string) error {
	var last string
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = string(body)
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last answer: %s)", ctx.Err(), last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// configureRollups makes the demo rollups the sidecar's: their nodes'
// RPC for L2 state, one Inbox, and the poster account signing each slot's
// batch post.
func (s *Stack) configureRollups(cfg *sidecar.Config) {
	if len(s.rollups) == 0 {
		return
	}
	cfg.Rollups = sidecar.RollupsConfig{Inbox: s.contracts.Inbox, PosterKey: s.net.Accounts()[accPoster]}
	for _, n := range s.rollups {
		cfg.Rollups.Rollups = append(cfg.Rollups.Rollups, sidecar.RollupConfig{
			ChainID:          n.ChainID(),
			Name:             fmt.Sprintf("demo-%d", n.ChainID()),
			RPC:              n.URL(),
			GasBudgetPerSlot: 10_000_000,
			BytesPerSlot:     16 << 10,
			Pricing:          admission.Pricing{MinPriorityFee: new(big.Int), FeeSlope: new(big.Int)},
		})
	}
}

func (s *Stack) startWatcher(ctx, runCtx context.Context) error {
	backend := watcher.NewBackend(s.el)
	dep, err := watcher.LoadDeployment(ctx, backend, s.el, s.chainID.Uint64(), s.contracts.Slasher)
	if err != nil {
		return fmt.Errorf("%w: watcher: %w", ErrStart, err)
	}
	s.journal, err = watcher.OpenJournal(filepath.Join(s.cfg.DataDir, "watcher.journal"))
	if err != nil {
		return fmt.Errorf("%w: watcher journal: %w", ErrStart, err)
	}
	j := s.journal
	s.closers = append(s.closers, func() { _ = j.Close() })
	s.watcher, err = watcher.New(backend, dep, s.net.Accounts()[accWatcher], s.journal,
		watcher.WithLogger(s.log.With().Str("service", "watcher").Logger()),
		watcher.WithConfirmations(1),
		watcher.WithPollInterval(s.cfg.SlotDuration/4),
		watcher.WithBackoff(s.cfg.SlotDuration/4, 2*s.cfg.SlotDuration),
		watcher.WithBumpAfter(2))
	if err != nil {
		return fmt.Errorf("%w: watcher: %w", ErrStart, err)
	}
	s.goPart(runCtx, "watcher", s.watcher.Run)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("%w: watcher API: %w", ErrStart, err)
	}
	s.watchURL = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: s.watcher.Handler(nil), ReadHeaderTimeout: 5 * time.Second}
	s.goPart(runCtx, "watcher API", func(ctx context.Context) error {
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
		}
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-errc
		return nil
	})
	return nil
}

// wallSlot is the slot the wall clock is in.
func (s *Stack) wallSlot() uint64 {
	d := time.Since(s.net.GenesisTime())
	if d < 0 {
		return 0
	}
	return uint64(d / s.cfg.SlotDuration)
}

func (s *Stack) collateral(ctx context.Context) (*big.Int, error) {
	c, err := registry.New(s.el, s.contracts.Registry)
	if err != nil {
		return nil, err
	}
	v, err := c.Collateral(ctx, s.operator)
	if err != nil {
		return nil, fmt.Errorf("read the operator's collateral: %w", err)
	}
	return v, nil
}

func (s *Stack) partErrs() []error {
	s.partMu.Lock()
	defer s.partMu.Unlock()
	return append([]error(nil), s.partErr...)
}

// Wait blocks until the run is over (Config.Slots served and judged, or the
// context given to Start ended), stops every part but the execution node,
// and returns what happened. Its error says what failed, if anything; the
// chain stays readable until Close.
func (s *Stack) Wait() (*Summary, error) {
	<-s.done
	s.shutdown()
	sum := s.summary
	if errs := s.partErrs(); len(errs) > 0 {
		sum.PartErrors = errs
	}
	return sum, sum.Err()
}

// shutdown stops the run's parts and waits for them.
func (s *Stack) shutdown() {
	if s.cancel != nil {
		s.cancel()
	}
	s.parts.Wait()
}

// Close stops everything Start started and removes the temporary data.
func (s *Stack) Close() {
	s.closeOnce.Do(func() {
		s.shutdown()
		for i := len(s.closers) - 1; i >= 0; i-- {
			s.closers[i]()
		}
		if s.tmpDir != "" {
			_ = os.RemoveAll(s.tmpDir)
		}
	})
}

// UserURL is the sidecar's user API (JSON-RPC on POST /).
func (s *Stack) UserURL() string { return s.userURL }

// WatcherURL is the watcher's HTTP API (POST /promises).
func (s *Stack) WatcherURL() string { return s.watchURL }

// L1 is a client of the execution node, open until Close.
func (s *Stack) L1() *ethclient.Client { return s.el }

// Contracts are the deployed contracts.
func (s *Stack) Contracts() deploy.Contracts { return *s.contracts }

// Operator is the registered operator's address.
func (s *Stack) Operator() common.Address { return s.operator }

// RollupURLs are the demo rollup nodes' JSON-RPC endpoints.
func (s *Stack) RollupURLs() []string {
	out := make([]string, len(s.rollups))
	for i, n := range s.rollups {
		out[i] = n.URL()
	}
	return out
}

// dialRPC opens a JSON-RPC client owned by the caller.
func dialRPC(ctx context.Context, url string) (*rpc.Client, error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	return c, nil
}

// L1URL is the L1 execution client's JSON-RPC URL.
func (s *Stack) L1URL() string { return s.net.EL().HTTPEndpoint() }
