package rollupnode

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// L1Client is what the node reads from L1: headers, the BatchPosted logs, the
// posting transactions and two constants of the Inbox. *ethclient.Client and
// the simulated backend's client satisfy it.
type L1Client interface {
	ethereum.ContractCaller
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
	ethereum.LogFilterer
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	TransactionInBlock(ctx context.Context, blockHash common.Hash, index uint) (*types.Transaction, error)
}

// Defaults of the optional Config fields.
const (
	DefaultListen       = "127.0.0.1:0"
	DefaultPollInterval = time.Second
	DefaultGasLimit     = 30_000_000
)

// DefaultFeeRecipient is the L2 coinbase when Config.FeeRecipient is unset:
// the sequencer's fee address receives the priority fees of every L2 block.
var DefaultFeeRecipient = common.HexToAddress("0x00000000000000000000000000000000000Fee5e")

// Config is what a node needs. ChainID, Inbox, L1 (or L1URL) and Genesis are
// required; SidecarURL and Slasher only for eth_sendRawTransaction.
type Config struct {
	// ChainID is the rollup's L2 chain id; batches of other chain ids are ignored.
	ChainID uint64
	// Inbox is the L1 Inbox contract the rollup's batches are posted to.
	Inbox common.Address
	// L1 is the L1 client; when nil, L1URL is dialled.
	L1 L1Client
	// L1URL is the L1 JSON-RPC endpoint, used when L1 is nil.
	L1URL string
	// StartBlock is the first L1 block searched for batches (the Inbox's
	// deployment block is enough).
	StartBlock uint64
	// Confirmations keeps the node this many blocks behind the L1 head, so
	// reorgs shallower than it never reach the L2 chain. 0 on the devnet.
	Confirmations uint64
	// Genesis funds the L2 accounts of block 0.
	Genesis types.GenesisAlloc
	// GenesisTime is the timestamp of L2 block 0.
	GenesisTime uint64
	// SidecarURL is the Pledge sidecar's JSON-RPC endpoint eth_sendRawTransaction
	// forwards to.
	SidecarURL string
	// Slasher is the Slasher address named in the forwarded requests.
	Slasher common.Address
	// Listen is the loopback address of the JSON-RPC server (DefaultListen).
	Listen string
	// PollInterval is how often L1 is polled (DefaultPollInterval).
	PollInterval time.Duration
	// FeeRecipient is the L2 coinbase (DefaultFeeRecipient).
	FeeRecipient common.Address
	// BaseFee is the constant L2 base fee in wei (1 gwei when nil). A constant
	// keeps fee estimation trivial; the tip goes to FeeRecipient, the base fee
	// is burnt as on L1.
	BaseFee *big.Int
	// GasTip is what eth_maxPriorityFeePerGas suggests (1 gwei when nil).
	GasTip *big.Int
	// GasLimit is the gas limit of every L2 block (DefaultGasLimit); a tx that
	// does not fit in what is left is skipped.
	GasLimit uint64
}

// withDefaults checks the required fields and fills in the optional ones.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.ChainID == 0:
		return c, fmt.Errorf("%w: no chain id", ErrConfig)
	case c.Inbox == (common.Address{}):
		return c, fmt.Errorf("%w: no inbox address", ErrConfig)
	case c.L1 == nil && c.L1URL == "":
		return c, fmt.Errorf("%w: no L1 client or URL", ErrConfig)
	case c.SidecarURL != "" && c.Slasher == (common.Address{}):
		return c, fmt.Errorf("%w: a sidecar URL needs the slasher address", ErrConfig)
	case c.BaseFee != nil && c.BaseFee.Sign() <= 0:
		return c, fmt.Errorf("%w: base fee must be positive", ErrConfig)
	}
	if c.SidecarURL != "" {
		u, err := url.Parse(c.SidecarURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("%w: sidecar URL %q is not an http(s) URL", ErrConfig, c.SidecarURL)
		}
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.FeeRecipient == (common.Address{}) {
		c.FeeRecipient = DefaultFeeRecipient
	}
	if c.BaseFee == nil {
		c.BaseFee = big.NewInt(params.InitialBaseFee)
	}
	if c.GasTip == nil {
		c.GasTip = big.NewInt(params.GWei)
	}
	if c.GasLimit == 0 {
		c.GasLimit = DefaultGasLimit
	}
	return c, nil
}

// ChainConfig is the L2's rules: post-merge Ethereum up to Prague with the
// rollup's chain id. Blob transactions are refused on L2 (there is no blob
// market), and the pre-block system calls (beacon roots, history) are not run.
func ChainConfig(chainID uint64) *params.ChainConfig {
	zero := uint64(0)
	return &params.ChainConfig{
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
		ShanghaiTime:            &zero,
		CancunTime:              &zero,
		PragueTime:              &zero,
		TerminalTotalDifficulty: big.NewInt(0),
		BlobScheduleConfig: &params.BlobScheduleConfig{
			Cancun: params.DefaultCancunBlobConfig,
			Prague: params.DefaultPragueBlobConfig,
		},
	}
}
