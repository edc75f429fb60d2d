package benchtable

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/loadgen"
	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The world's shape. Every slot is ours (one validator), and the block gas
// limit is raised so the slot budget never caps a throughput run: the
// measurement is the sidecar's request path, not the slots on offer.
const (
	worldSlot          = 2 * time.Second
	worldSlotsPerEpoch = 16
	worldGasLimit      = 300_000_000
	worldSenders       = 64
)

// world is an in-process devnet (geth with its engine API, the beacon
// mock and its driver) with the Pledge contracts deployed, one operator
// registered, and a sidecar (sidecar.New(...).Run) serving its user API
// with no per-client rate limit, as `pledge sidecar --rate-limit 0` would.
type world struct {
	net     *devnet.Network
	el      *ethclient.Client
	chainID *big.Int
	slasher common.Address
	url     string
	senders []*ecdsa.PrivateKey
	dataDir string

	mu     sync.Mutex
	nonces map[common.Address]uint64 // next nonce the sidecar expects
	stored int                       // promises acknowledged (each a synced write)

	stop func()
}

func startWorld(ctx context.Context) (w *world, err error) {
	n, err := devnet.Start(devnet.Config{
		SlotDuration: worldSlot, SlotsPerEpoch: worldSlotsPerEpoch, Validators: 1,
		FundedAccounts: 2 + worldSenders, GasLimit: worldGasLimit,
	})
	if err != nil {
		return nil, fmt.Errorf("start devnet: %w", err)
	}
	var cleanups []func()
	w = &world{net: n, nonces: map[common.Address]uint64{}}
	w.stop = func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	defer func() {
		if err != nil {
			w.stop()
		}
	}()
	netCtx, netCancel := context.WithCancel(context.Background())
	netDone := make(chan struct{})
	go func() { defer close(netDone); _ = n.Run(netCtx) }()
	cleanups = append(cleanups, func() { netCancel(); <-netDone; _ = n.Close() })

	if w.el, err = ethclient.DialContext(ctx, n.EL().HTTPEndpoint()); err != nil {
		return w, fmt.Errorf("dial devnet EL: %w", err)
	}
	cleanups = append(cleanups, w.el.Close)
	if w.chainID, err = w.el.ChainID(ctx); err != nil {
		return w, fmt.Errorf("devnet chain id: %w", err)
	}
	accounts := n.Accounts()
	w.senders = accounts[2:]
	dctx, dcancel := context.WithTimeout(ctx, time.Minute)
	defer dcancel()
	k, err := deploy.All(dctx, w.el, w.chainID, accounts[0], deploy.Params{
		MinCollateral: big.NewInt(1e18), GenesisTime: uint64(n.GenesisTime().Unix()), SecondsPerSlot: uint64(worldSlot / time.Second),
		RotationDelay: 4, UnregistrationDelay: 64, SlashWindow: 8000, LivenessBps: 5000, UserBps: 8000, BlobBaseFeeUpdateFraction: 5007716,
	})
	if err != nil {
		return w, fmt.Errorf("deploy contracts: %w", err)
	}
	w.slasher = k.Slasher
	committer, err := crypto.GenerateKey()
	if err != nil {
		return w, err
	}
	operator := crypto.PubkeyToAddress(accounts[1].PublicKey)
	// Collateral for far more than 100,000 promises at the default slash
	// policy (0.01 ETH + the tx's max cost each): exposure never refuses.
	collateral := new(big.Int).Mul(big.NewInt(100_000), big.NewInt(1e18))
	validator := n.Validators()[0].SecretKey
	if err := deploy.RegisterOperator(dctx, w.el, w.chainID, k.Registry, accounts[1], []*bls.SecretKey{validator},
		crypto.PubkeyToAddress(committer.PublicKey), collateral); err != nil {
		return w, fmt.Errorf("register operator: %w", err)
	}

	if w.dataDir, err = os.MkdirTemp("", "pledge-bench-"); err != nil {
		return w, err
	}
	cleanups = append(cleanups, func() { _ = os.RemoveAll(w.dataDir) })
	apiCfg := api.DefaultConfig()
	apiCfg.RateLimit = 0
	svc, err := sidecar.New(sidecar.Config{
		BeaconURL: n.BeaconURL(), ExecutionURL: n.EL().HTTPEndpoint(), Registry: k.Registry,
		DataDir: w.dataDir, Listen: "127.0.0.1:0",
		ValidatorKeys: []*bls.SecretKey{validator}, Committer: admission.NewKeySigner(committer),
		Admission: admission.Config{
			Slasher: k.Slasher, Operator: operator, GasBudgetPerSlot: worldGasLimit,
			Pricing:     admission.Pricing{MinPriorityFee: big.NewInt(1e9), FeeSlope: big.NewInt(0)},
			Slash:       admission.DefaultSlashPolicy(),
			SlashWindow: 8000,
		},
		API:          apiCfg,
		PollInterval: 500 * time.Millisecond,
	}, zerolog.Nop(), nil)
	if err != nil {
		return w, fmt.Errorf("sidecar config: %w", err)
	}
	svcCtx, svcCancel := context.WithCancel(context.Background())
	svcDone := make(chan error, 1)
	go func() { svcDone <- svc.Run(svcCtx) }()
	cleanups = append(cleanups, func() {
		svcCancel()
		select {
		case <-svcDone:
		case <-time.After(15 * time.Second):
		}
	})
	select {
	case <-svc.Started():
	case err := <-svcDone:
		return w, fmt.Errorf("sidecar stopped: %w", err)
	case <-time.After(30 * time.Second):
		return w, errors.New("sidecar did not start within 30 s")
	case <-ctx.Done():
		return w, ctx.Err()
	}
	w.url = "http://" + svc.Addr().String()
	if err := waitReady(ctx, w.url+"/readyz", 30*time.Second); err != nil {
		return w, err
	}
	return w, nil
}

func waitReady(ctx context.Context, url string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sidecar not ready after %s", d)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// load runs the load generator with the given senders, starting each at
// the nonce after its last promise, and records the promises it got.
func (w *world) load(ctx context.Context, senders []*ecdsa.PrivateKey, cfg loadgen.Config) (*loadgen.Result, error) {
	w.mu.Lock()
	nonces := make([]uint64, len(senders))
	for i, k := range senders {
		nonces[i] = w.nonces[crypto.PubkeyToAddress(k.PublicKey)]
	}
	w.mu.Unlock()
	cfg.URL, cfg.ChainID, cfg.Slasher = w.url, w.chainID, w.slasher
	cfg.Senders, cfg.StartNonces = senders, nonces
	cfg.GasFeeCap, cfg.GasTipCap = big.NewInt(100e9), big.NewInt(5e9)
	cfg.OnPromise = func(_ common.Hash, sc *protocol.SignedCommitment) {
		p, err := protocol.UnmarshalPromiseABI(sc.Commitment.Payload)
		w.mu.Lock()
		defer w.mu.Unlock()
		w.stored++
		if err == nil && len(p.Inclusions) == 1 {
			inc := p.Inclusions[0]
			if inc.Nonce+1 > w.nonces[inc.Sender] {
				w.nonces[inc.Sender] = inc.Nonce + 1
			}
		}
	}
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("load generator: %w", err)
	}
	if res.Invalid.OK > 0 {
		return res, fmt.Errorf("the sidecar promised %d invalid requests", res.Invalid.OK)
	}
	return res, nil
}

func (w *world) storedPromises() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stored
}
