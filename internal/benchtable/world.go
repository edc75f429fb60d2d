package benchtable

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/loadgen"
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
	// worldAccounts are funded at genesis; every load chunk takes fresh ones.
	worldAccounts = 4000
	// chunk bounds one load run: each chunk takes fresh senders, because a
	// request cut off when a run ends may still have been promised, leaving
	// that sender's next nonce unknown to the generator.
	chunk = 5 * time.Second
)

// world is an in-process devnet (geth with its engine API, the beacon
// mock and its driver) with the Pledge contracts deployed and one operator
// registered. The sidecars the rows measure run beside it as child
// processes (`pledge sidecar`, see child.go), so their CPU time and memory
// are their own.
type world struct {
	net     *devnet.Network
	el      *ethclient.Client
	chainID *big.Int
	slasher common.Address
	// registry, operator and committer are what a second sidecar needs.
	registry  common.Address
	operator  common.Address
	committer *ecdsa.PrivateKey
	senders   []*ecdsa.PrivateKey
	dataDir   string

	mu     sync.Mutex
	stored int // promises acknowledged (each a synced write)

	stop func()
}

func startWorld(ctx context.Context) (w *world, err error) {
	n, err := devnet.Start(devnet.Config{
		SlotDuration: worldSlot, SlotsPerEpoch: worldSlotsPerEpoch, Validators: 1,
		FundedAccounts: 2 + worldAccounts, GasLimit: worldGasLimit,
		// The builder endpoint answers within its hard timeout (1.2 s).
		BuilderTimeout: 1500 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("start devnet: %w", err)
	}
	var cleanups []func()
	w = &world{net: n}
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
		// Promises are sold over the current and next epoch: the lookahead covers them.
		Lookahead: 2 * worldSlotsPerEpoch, RotationDelay: 2*worldSlotsPerEpoch + 4,
		UnregistrationDelay: 16000, SlashWindow: 8000, LivenessBps: 5000, UserBps: 8000, BlobBaseFeeUpdateFraction: 5007716,
	})
	if err != nil {
		return w, fmt.Errorf("deploy contracts: %w", err)
	}
	w.slasher, w.registry = k.Slasher, k.Registry
	committer, err := crypto.GenerateKey()
	if err != nil {
		return w, err
	}
	operator := crypto.PubkeyToAddress(accounts[1].PublicKey)
	w.operator, w.committer = operator, committer
	// Collateral for far more than 100,000 promises at the default slash
	// policy (0.01 ETH + the tx's max cost each): exposure never refuses.
	collateral := new(big.Int).Mul(big.NewInt(100_000), big.NewInt(1e18))
	validator := n.Validators()[0].SecretKey
	if err := deploy.RegisterOperator(dctx, w.el, w.chainID, k.Registry, accounts[1], []*bls.SecretKey{validator},
		crypto.PubkeyToAddress(committer.PublicKey), collateral); err != nil {
		return w, fmt.Errorf("register operator: %w", err)
	}

	// The committer opens each slot's ledger: it needs gas.
	if err := deploy.Fund(dctx, w.el, w.chainID, accounts[0], crypto.PubkeyToAddress(committer.PublicKey), new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
		return w, fmt.Errorf("fund the committer: %w", err)
	}
	if w.dataDir, err = os.MkdirTemp("", "pledge-bench-"); err != nil {
		return w, err
	}
	cleanups = append(cleanups, func() { _ = os.RemoveAll(w.dataDir) })
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

// take returns n senders no run has used yet.
func (w *world) take(n int) ([]*ecdsa.PrivateKey, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.senders) < n {
		return nil, fmt.Errorf("%w: %d fresh senders left, %d wanted", ErrTooFew, len(w.senders), n)
	}
	out := w.senders[:n]
	w.senders = w.senders[n:]
	return out, nil
}

// load runs the load generator for cfg.Duration (or until cfg.Requests
// promises) in chunks, each with n fresh senders, and merges the results.
func (w *world) load(ctx context.Context, n int, cfg loadgen.Config) (*loadgen.Result, error) {
	total := &loadgen.Result{Errors: map[int]int{}}
	left, want := cfg.Duration, cfg.Requests
	for left > 0 && (want == 0 || total.Valid.OK < want) {
		c := cfg
		c.Duration = min(left, chunk)
		if want > 0 {
			c.Requests = want - total.Valid.OK
		}
		res, err := w.loadOnce(ctx, n, c)
		if err != nil {
			return nil, err
		}
		left -= c.Duration
		total.Elapsed += res.Elapsed
		for _, p := range []struct{ to, from *loadgen.Counts }{{&total.Valid, &res.Valid}, {&total.Invalid, &res.Invalid}} {
			p.to.Sent += p.from.Sent
			p.to.OK += p.from.OK
			p.to.Refused += p.from.Refused
			p.to.Failed += p.from.Failed
		}
		total.Latencies = append(total.Latencies, res.Latencies...)
		for code, k := range res.Errors {
			total.Errors[code] += k
		}
	}
	slices.Sort(total.Latencies)
	return total, nil
}

// loadOnce runs the load generator once with n fresh senders (nonces from
// 0) and counts the promises it got.
func (w *world) loadOnce(ctx context.Context, n int, cfg loadgen.Config) (*loadgen.Result, error) {
	senders, err := w.take(n)
	if err != nil {
		return nil, err
	}
	if cfg.URL == "" {
		return nil, fmt.Errorf("%w: no sidecar to drive", ErrBenchmark)
	}
	cfg.ChainID, cfg.Slasher = w.chainID, w.slasher
	cfg.Senders, cfg.StartNonces = senders, make([]uint64, n)
	cfg.GasFeeCap, cfg.GasTipCap = big.NewInt(100e9), big.NewInt(5e9)
	cfg.OnPromise = func(common.Hash, *protocol.SignedCommitment) {
		w.mu.Lock()
		w.stored++
		w.mu.Unlock()
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
