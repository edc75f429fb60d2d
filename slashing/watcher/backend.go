package watcher

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/slashing"
)

// Backend is the L1 endpoint the watcher reads evidence from and sends its
// transactions to. An *ethclient.Client wrapped by NewBackend is one.
type Backend interface {
	slashing.Node
	NonceAt(ctx context.Context, account common.Address, block *big.Int) (uint64, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
}

type ethBackend struct{ *ethclient.Client }

// NewBackend returns the Backend of an ethclient (raw calls go through its rpc client).
func NewBackend(c *ethclient.Client) Backend { return ethBackend{c} }

func (b ethBackend) CallContext(ctx context.Context, result any, method string, args ...any) error {
	return b.Client.Client().CallContext(ctx, result, method, args...)
}

// Deployment is a Slasher and what judging its promises needs, read from the
// Slasher itself so a watcher needs only its address.
type Deployment struct {
	Slasher   common.Address
	Registry  common.Address
	Inbox     common.Address
	Config    slashing.JudgeConfig
	Contracts slashing.Contracts
	Judge     *slashing.Judge
}

// LoadDeployment reads the Slasher's parameters (and the Registry's ledger
// grace) through caller and builds a Judge reading evidence from node.
// chainID is the L1's.
func LoadDeployment(ctx context.Context, node slashing.Node, caller bind.ContractBackend, chainID uint64, slasher common.Address) (*Deployment, error) {
	if node == nil || caller == nil {
		return nil, fmt.Errorf("%w: no node", ErrBadConfig)
	}
	s, err := bindings.NewSlasher(slasher, caller)
	if err != nil {
		return nil, fmt.Errorf("bind Slasher: %w", err)
	}
	code, err := caller.CodeAt(ctx, slasher, nil)
	if err != nil {
		return nil, fmt.Errorf("read code at %s: %w", slasher, err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: no contract at %s", ErrBadConfig, slasher)
	}
	opts := &bind.CallOpts{Context: ctx}
	d := &Deployment{Slasher: slasher}
	var (
		genesis, secs, window, frac, grace uint64
		live, user, burn                   uint16
	)
	for _, read := range []func() error{
		func() (e error) { d.Registry, e = s.Registry(opts); return },
		func() (e error) { d.Inbox, e = s.Inbox(opts); return },
		func() (e error) { genesis, e = s.GenesisTime(opts); return },
		func() (e error) { secs, e = s.SecondsPerSlot(opts); return },
		func() (e error) { window, e = s.SlashWindow(opts); return },
		func() (e error) { frac, e = s.BlobBaseFeeUpdateFraction(opts); return },
		func() (e error) { live, e = s.LivenessBps(opts); return },
		func() (e error) { user, e = s.UserBps(opts); return },
		func() (e error) { burn, e = s.BurnBps(opts); return },
	} {
		if err := read(); err != nil {
			return nil, fmt.Errorf("read Slasher %s parameters (is it a Pledge Slasher?): %w", slasher, err)
		}
	}
	reg, err := bindings.NewRegistry(d.Registry, caller)
	if err != nil {
		return nil, fmt.Errorf("bind Registry: %w", err)
	}
	if grace, err = reg.LedgerGrace(opts); err != nil {
		return nil, fmt.Errorf("read the ledger grace of Registry %s (the Slasher's): %w", d.Registry, err)
	}
	inbox, err := bindings.NewInbox(d.Inbox, caller)
	if err != nil {
		return nil, fmt.Errorf("bind Inbox: %w", err)
	}
	if d.Contracts, err = slashing.NewContracts(reg, inbox, s); err != nil {
		return nil, err
	}
	d.Config = slashing.JudgeConfig{
		Config:                    slashing.Config{L1ChainID: chainID, GenesisTime: genesis, SecondsPerSlot: secs, Inbox: d.Inbox},
		Slasher:                   slasher,
		SlashWindow:               window,
		LivenessBps:               uint64(live),
		UserBps:                   uint64(user),
		BurnBps:                   uint64(burn),
		LedgerGrace:               grace,
		BlobBaseFeeUpdateFraction: frac,
	}
	if d.Judge, err = slashing.NewJudge(node, d.Contracts, d.Config); err != nil {
		return nil, err
	}
	return d, nil
}
