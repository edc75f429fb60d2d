// Package elnode runs an in-process go-ethereum execution node with its real
// engine API, for tests and for the devnet: a post-merge chain with every fork
// through Osaka active at genesis, JSON-RPC on a loopback port and the
// JWT-authenticated engine endpoint on another, no P2P, in-memory database.
//
// The node never builds blocks by itself: a consensus-layer driver (the
// devnet's beacon driver, or a test) calls BuildBlock and ImportPayload, which
// speak the engine API over HTTP with a JWT like a beacon node does.
package elnode

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// DefaultChainID is the chain id used when Config.ChainID is zero.
const DefaultChainID = 1337

// DefaultGasLimit is the genesis and target block gas limit used when
// Config.GasLimit is zero (mainnet's limit at the time of writing).
const DefaultGasLimit = 60_000_000

// httpModules are the namespaces served on the unauthenticated JSON-RPC
// endpoint. "testing" carries testing_buildBlockV1, which geth registers
// unauthenticated and which the auth endpoint does not serve (geth fixes its
// modules to eth and engine).
var httpModules = []string{"eth", "net", "web3", "debug", "txpool", "testing"}

// Config describes the chain the node starts.
type Config struct {
	// ChainID is the EIP-155 chain id; DefaultChainID when zero.
	ChainID uint64
	// Alloc holds the funded accounts and any predeployed contracts. The
	// system contracts the forks call into (EIP-4788, EIP-2935, EIP-7002,
	// EIP-7251, …) are added by Start and override entries at their addresses.
	Alloc types.GenesisAlloc
	// GenesisTime is the genesis block's timestamp; blocks built later must
	// have strictly larger timestamps.
	GenesisTime uint64
	// GasLimit is the genesis gas limit and the target the miner keeps;
	// DefaultGasLimit when zero.
	GasLimit uint64
}

// Node is a running execution node. It is safe for concurrent use; Close
// stops it.
type Node struct {
	stack   *node.Node
	eth     *eth.Ethereum
	genesis *core.Genesis
	secret  [32]byte
	tmpDir  string

	rpc    *rpc.Client
	client *ethclient.Client
	engine *rpc.Client

	closeOnce sync.Once
	closeErr  error
}

// NewGenesis returns the genesis Start uses for cfg: all forks through Osaka
// at time zero, cfg's alloc merged with the system contracts.
func NewGenesis(cfg Config) *core.Genesis {
	chainID := cfg.ChainID
	if chainID == 0 {
		chainID = DefaultChainID
	}
	gasLimit := cfg.GasLimit
	if gasLimit == 0 {
		gasLimit = DefaultGasLimit
	}
	zero := uint64(0)
	config := &params.ChainConfig{
		ChainID:                 new(big.Int).SetUint64(chainID),
		HomesteadBlock:          big.NewInt(0),
		EIP150Block:             big.NewInt(0),
		EIP155Block:             big.NewInt(0),
		EIP158Block:             big.NewInt(0),
		ByzantiumBlock:          big.NewInt(0),
		ConstantinopleBlock:     big.NewInt(0),
		PetersburgBlock:         big.NewInt(0),
		IstanbulBlock:           big.NewInt(0),
		MuirGlacierBlock:        big.NewInt(0),
		BerlinBlock:             big.NewInt(0),
		LondonBlock:             big.NewInt(0),
		ArrowGlacierBlock:       big.NewInt(0),
		GrayGlacierBlock:        big.NewInt(0),
		MergeNetsplitBlock:      big.NewInt(0),
		TerminalTotalDifficulty: big.NewInt(0),
		ShanghaiTime:            &zero,
		CancunTime:              &zero,
		PragueTime:              &zero,
		OsakaTime:               &zero,
		// AmsterdamTime and BogotaTime stay nil on purpose: geth's dev
		// config turns Bogota on, and post-Osaka payloads need engine API
		// versions (slot numbers, access lists) that neither the devnet
		// nor testing_buildBlockV1 use here.
		BlobScheduleConfig: &params.BlobScheduleConfig{
			Cancun: params.DefaultCancunBlobConfig,
			Prague: params.DefaultPragueBlobConfig,
		},
	}
	alloc := make(types.GenesisAlloc, len(cfg.Alloc)+8)
	maps.Copy(alloc, cfg.Alloc)
	maps.Copy(alloc, core.SystemContractAllocs())
	return &core.Genesis{
		Config:     config,
		Timestamp:  cfg.GenesisTime,
		GasLimit:   gasLimit,
		BaseFee:    big.NewInt(params.InitialBaseFee),
		Difficulty: big.NewInt(0),
		Alloc:      alloc,
	}
}

// Start starts a node for cfg: JSON-RPC and the engine API on ephemeral
// loopback ports, a fresh JWT secret, an in-memory database. The node keeps
// running until Close; Start does not take a context because the node's
// lifetime is not tied to any one call.
func Start(cfg Config) (*Node, error) {
	genesis := NewGenesis(cfg)
	if err := genesis.Config.CheckConfigForkOrder(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return nil, fmt.Errorf("generate jwt secret: %w", err)
	}
	// geth reads the engine secret from a file only; the temp dir holds
	// nothing else (the chain database is in memory).
	tmpDir, err := os.MkdirTemp("", "pledge-elnode-")
	if err != nil {
		return nil, fmt.Errorf("create temp dir: %w", err)
	}
	n := &Node{genesis: genesis, secret: secret, tmpDir: tmpDir}
	if err := n.start(); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

func (n *Node) start() error {
	jwtPath := filepath.Join(n.tmpDir, "jwtsecret")
	if err := os.WriteFile(jwtPath, []byte(hex.EncodeToString(n.secret[:])), 0o600); err != nil {
		return fmt.Errorf("write jwt secret: %w", err)
	}
	stack, err := node.New(&node.Config{
		Name:        "pledge-elnode",
		DataDir:     "", // in-memory databases
		HTTPHost:    "127.0.0.1",
		HTTPPort:    0,
		HTTPModules: httpModules,
		AuthAddr:    "127.0.0.1",
		AuthPort:    0,
		JWTSecret:   jwtPath,
		P2P: p2p.Config{
			NoDiscovery: true,
			MaxPeers:    0,
			ListenAddr:  "",
			NoDial:      true,
		},
	})
	if err != nil {
		return fmt.Errorf("create node: %w", err)
	}
	n.stack = stack

	ethcfg := ethconfig.Defaults
	ethcfg.Genesis = n.genesis
	ethcfg.NetworkId = n.genesis.Config.ChainID.Uint64()
	ethcfg.SyncMode = ethconfig.FullSync
	ethcfg.Miner.GasCeil = n.genesis.GasLimit
	ethcfg.TxPool.Journal = ""
	// The price floor of the pool would silently drop cheap test txs.
	ethcfg.TxPool.PriceLimit = 1
	backend, err := eth.New(stack, &ethcfg)
	if err != nil {
		return fmt.Errorf("create eth service: %w", err)
	}
	n.eth = backend
	// Registers engine_* (authenticated) and testing_* (served over HTTP
	// because httpModules lists it).
	if err := catalyst.Register(stack, backend); err != nil {
		return fmt.Errorf("register engine api: %w", err)
	}
	// eth_getLogs and the other filter methods live outside eth.New: rollup
	// nodes and watchers follow the Inbox and Slasher through them.
	stack.RegisterAPIs([]rpc.API{{
		Namespace: "eth",
		Service:   filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{})),
	}})
	if err := stack.Start(); err != nil {
		return fmt.Errorf("start node: %w", err)
	}
	// Without peers geth would wait for a sync that never comes before
	// accepting transactions and forkchoice updates.
	backend.SetSynced()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if n.rpc, err = rpc.DialContext(ctx, n.HTTPEndpoint()); err != nil {
		return fmt.Errorf("dial json-rpc: %w", err)
	}
	n.client = ethclient.NewClient(n.rpc)
	if n.engine, err = rpc.DialOptions(ctx, n.EngineEndpoint(), rpc.WithHTTPAuth(node.NewJWTAuth(n.secret))); err != nil {
		return fmt.Errorf("dial engine api: %w", err)
	}
	return nil
}

// Close stops the node and removes its temporary files. It is safe to call
// more than once.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		if n.engine != nil {
			n.engine.Close()
		}
		if n.rpc != nil {
			n.rpc.Close()
		}
		if n.stack != nil {
			if err := n.stack.Close(); err != nil {
				n.closeErr = fmt.Errorf("close node: %w", err)
			}
		}
		if err := os.RemoveAll(n.tmpDir); err != nil && n.closeErr == nil {
			n.closeErr = fmt.Errorf("remove temp dir: %w", err)
		}
	})
	return n.closeErr
}

// HTTPEndpoint is the URL of the unauthenticated JSON-RPC endpoint
// (eth, net, web3, debug, txpool, testing).
func (n *Node) HTTPEndpoint() string { return n.stack.HTTPEndpoint() }

// EngineEndpoint is the URL of the JWT-authenticated engine API endpoint.
func (n *Node) EngineEndpoint() string { return n.stack.HTTPAuthEndpoint() }

// JWTSecret is the engine API secret, for clients that dial EngineEndpoint.
func (n *Node) JWTSecret() [32]byte { return n.secret }

// Client is an ethclient on the JSON-RPC endpoint, owned by the node.
func (n *Node) Client() *ethclient.Client { return n.client }

// RPC is the raw JSON-RPC client under Client, for calls ethclient lacks.
func (n *Node) RPC() *rpc.Client { return n.rpc }

// ChainConfig is the chain's configuration.
func (n *Node) ChainConfig() *params.ChainConfig { return n.genesis.Config }

// Genesis is the genesis the node started from.
func (n *Node) Genesis() *core.Genesis { return n.genesis }
