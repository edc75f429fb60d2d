// Package devnettest gives a test a running in-process devnet with the Pledge
// contracts deployed and one operator registered: the world the sidecar's
// end-to-end and HA tests sell on.
package devnettest

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
)

const (
	// collateralEther is what the operator locks when it registers.
	collateralEther = 1000
	// committerEther is sent to the committer, whose account pays the gas of
	// the slot ledgers it opens.
	committerEther = 10
)

// DefaultParams are the contract parameters Start deploys when
// Options.Params is zero. The devnet sells over the current and the next
// epoch of 8 slots (15 slots ahead at most), which the lookahead covers; the
// rotation delay lies past it.
func DefaultParams() deploy.Params {
	return deploy.Params{
		MinCollateral:             big.NewInt(1e18),
		Lookahead:                 16,
		RotationDelay:             20,
		UnregistrationDelay:       64,
		SlashWindow:               32,
		LivenessBps:               5000,
		UserBps:                   8000,
		BlobBaseFeeUpdateFraction: 5007716,
	}
}

// Options describe the world a test wants.
type Options struct {
	// Network configures the devnet. Its first two funded accounts deploy
	// the contracts and own the operator; the rest are senders.
	Network devnet.Config
	// Params are the contracts' parameters, zero for DefaultParams. Start
	// sets GenesisTime and SecondsPerSlot from the network.
	Params deploy.Params
	// Registered are the indexes of the devnet's validators that the
	// operator registers.
	Registered []int
}

// World is a running devnet with the Pledge contracts deployed and one
// operator registered, with a funded committer.
type World struct {
	Net     *devnet.Network
	EL      *ethclient.Client
	ChainID *big.Int
	// Contracts are the deployed contracts and Params their parameters.
	Contracts *deploy.Contracts
	Params    deploy.Params
	// Deployer deployed the contracts and funded the committer.
	Deployer *ecdsa.PrivateKey
	// Operator is the registered operator (the owner's address).
	Operator common.Address
	// CommitterKey signs the operator's promises; Committer is its address,
	// the one the Registry binds.
	CommitterKey *ecdsa.PrivateKey
	Committer    common.Address
	// Senders are the funded accounts left for the test.
	Senders []*ecdsa.PrivateKey
}

// Start starts the devnet and runs it until the test ends, deploys the
// contracts, registers the operator with the validators o.Registered and
// funds its committer. It fails the test when any of that fails.
func Start(t testing.TB, o Options) *World {
	t.Helper()
	n, err := devnet.Start(o.Network)
	if err != nil {
		t.Fatalf("devnettest: start devnet: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; _ = n.Close() })

	el, err := ethclient.Dial(n.EL().HTTPEndpoint())
	if err != nil {
		t.Fatalf("devnettest: dial the EL: %v", err)
	}
	t.Cleanup(el.Close)
	chainID, err := el.ChainID(ctx)
	if err != nil {
		t.Fatalf("devnettest: chain id: %v", err)
	}

	p := o.Params
	if p == (deploy.Params{}) {
		p = DefaultParams()
	}
	p.GenesisTime = uint64(n.GenesisTime().Unix())
	p.SecondsPerSlot = uint64(n.Config().SlotDuration / time.Second)
	accounts := n.Accounts()
	if len(accounts) < 2 {
		t.Fatalf("devnettest: %d funded accounts, want at least 2 (the deployer and the operator)", len(accounts))
	}
	dctx, dcancel := context.WithTimeout(ctx, time.Minute)
	defer dcancel()
	k, err := deploy.All(dctx, el, chainID, accounts[0], p)
	if err != nil {
		t.Fatalf("devnettest: deploy: %v", err)
	}
	committerKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	committer := crypto.PubkeyToAddress(committerKey.PublicKey)
	keys := make([]*bls.SecretKey, 0, len(o.Registered))
	for _, i := range o.Registered {
		keys = append(keys, n.Validators()[i].SecretKey)
	}
	if err := deploy.RegisterOperator(dctx, el, chainID, k.Registry, accounts[1], keys, committer, ether(collateralEther)); err != nil {
		t.Fatalf("devnettest: register the operator: %v", err)
	}
	if err := deploy.Fund(dctx, el, chainID, accounts[0], committer, ether(committerEther)); err != nil {
		t.Fatalf("devnettest: %v", err)
	}
	return &World{
		Net: n, EL: el, ChainID: chainID,
		Contracts: k, Params: p,
		Deployer:     accounts[0],
		Operator:     crypto.PubkeyToAddress(accounts[1].PublicKey),
		CommitterKey: committerKey, Committer: committer,
		Senders: accounts[2:],
	}
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
