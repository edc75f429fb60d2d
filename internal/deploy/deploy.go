// Package deploy puts the Pledge contracts on a running chain and registers
// operators, over any JSON-RPC backend: the devnet and the end-to-end tests
// use it against a live execution client (the simulated-backend tests have
// internal/chaintest).
package deploy

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/registry"
)

// Backend is a chain reachable for transactions and receipts; *ethclient.Client is one.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// Params are the contracts' constructor parameters (docs/protocol.md §10).
// The constructors enforce their ordering: Lookahead < RotationDelay,
// LedgerGrace < SlashWindow <= 8191 < ..., SlashWindow < UnregistrationDelay.
type Params struct {
	MinCollateral  *big.Int
	GenesisTime    uint64
	SecondsPerSlot uint64
	// Lookahead is how many slots ahead of the current one promises may be
	// sold (zero: RotationDelay - 1).
	Lookahead           uint64
	RotationDelay       uint64
	UnregistrationDelay uint64
	SlashWindow         uint64
	// LedgerGrace is how many slots after its slot a ledger may be opened
	// (zero: DefaultLedgerGrace, or less to stay below SlashWindow).
	LedgerGrace uint64
	LivenessBps uint16
	UserBps     uint16
	// BurnBps is the share of every slash burnt (zero: DefaultBurnBps).
	BurnBps uint16
	// BlobBaseFeeUpdateFraction is the fork's BLOB_BASE_FEE_UPDATE_FRACTION.
	BlobBaseFeeUpdateFraction uint64
	// URC is the Universal Registry Contract allowed to call the Slasher's
	// ISlasher.slash for its own operators (docs/protocol.md §9.9); zero, the
	// default, turns that path off. The own Registry is always the Slasher's.
	URC common.Address
}

// slasherDeployGas covers the Slasher's creation (about 3.5 M gas).
const slasherDeployGas = 6_000_000

// Defaults for the parameters left zero.
const (
	DefaultLedgerGrace = 32
	DefaultBurnBps     = 1000
)

// withDefaults fills the parameters left zero.
func (p Params) withDefaults() Params {
	if p.Lookahead == 0 && p.RotationDelay > 1 {
		p.Lookahead = p.RotationDelay - 1
	}
	if p.LedgerGrace == 0 {
		p.LedgerGrace = DefaultLedgerGrace
		if p.SlashWindow > 1 && p.LedgerGrace >= p.SlashWindow {
			p.LedgerGrace = p.SlashWindow / 2
		}
	}
	if p.BurnBps == 0 {
		p.BurnBps = DefaultBurnBps
	}
	return p
}

// RegistryConfig is the Registry constructor's argument for p.
func (p Params) RegistryConfig() bindings.RegistryConfig {
	p = p.withDefaults()
	return bindings.RegistryConfig{
		MinCollateral: p.MinCollateral, GenesisTime: p.GenesisTime, SecondsPerSlot: p.SecondsPerSlot,
		Lookahead: p.Lookahead, RotationDelay: p.RotationDelay, UnregistrationDelay: p.UnregistrationDelay,
		SlashWindow: p.SlashWindow, LedgerGrace: p.LedgerGrace,
	}
}

// SlasherConfig is the Slasher constructor's config for p.
func (p Params) SlasherConfig() bindings.ISlasherConfig {
	p = p.withDefaults()
	return bindings.ISlasherConfig{
		GenesisTime:               p.GenesisTime,
		SecondsPerSlot:            p.SecondsPerSlot,
		SlashWindow:               p.SlashWindow,
		LivenessBps:               p.LivenessBps,
		UserBps:                   p.UserBps,
		BurnBps:                   p.BurnBps,
		BlobBaseFeeUpdateFraction: p.BlobBaseFeeUpdateFraction,
		Urc:                       p.URC,
	}
}

// Contracts are the deployed addresses.
type Contracts struct {
	Registry common.Address
	Inbox    common.Address
	Slasher  common.Address
}

// All deploys Registry, Inbox and Slasher from deployer, binds the Slasher in
// the Registry, and waits until all four transactions are mined.
func All(ctx context.Context, b Backend, chainID *big.Int, deployer *ecdsa.PrivateKey, p Params) (*Contracts, error) {
	if p.SecondsPerSlot == 0 || p.MinCollateral == nil {
		return nil, errors.New("deploy: seconds per slot and min collateral are required")
	}
	p = p.withDefaults()
	if p.UnregistrationDelay <= p.SlashWindow {
		return nil, fmt.Errorf("deploy: unregistration delay %d must exceed the slash window %d", p.UnregistrationDelay, p.SlashWindow)
	}
	if p.RotationDelay <= p.Lookahead {
		return nil, fmt.Errorf("deploy: rotation delay %d must exceed the lookahead %d", p.RotationDelay, p.Lookahead)
	}
	from := crypto.PubkeyToAddress(deployer.PublicKey)
	nonce, err := b.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("deploy: nonce of %s: %w", from, err)
	}
	next := func() *bind.TransactOpts {
		o := bind.NewKeyedTransactor(deployer, chainID)
		o.Context, o.Nonce = ctx, new(big.Int).SetUint64(nonce)
		nonce++
		return o
	}
	var (
		k   Contracts
		txs []*types.Transaction
		tx  *types.Transaction
	)
	if k.Registry, tx, _, err = bindings.DeployRegistry(next(), b, p.RegistryConfig()); err != nil {
		return nil, fmt.Errorf("deploy Registry: %w", err)
	}
	txs = append(txs, tx)
	if k.Inbox, tx, _, err = bindings.DeployInbox(next(), b, p.GenesisTime, p.SecondsPerSlot); err != nil {
		return nil, fmt.Errorf("deploy Inbox: %w", err)
	}
	txs = append(txs, tx)
	// The Slasher's constructor reads the Inbox's clock: the Inbox is not mined
	// yet, so no estimate; transactions of one sender run in order.
	so := next()
	so.GasLimit = slasherDeployGas
	if k.Slasher, tx, _, err = bindings.DeploySlasher(so, b, k.Registry, k.Inbox, p.SlasherConfig()); err != nil {
		return nil, fmt.Errorf("deploy Slasher: %w", err)
	}
	txs = append(txs, tx)
	reg, err := bindings.NewRegistry(k.Registry, b)
	if err != nil {
		return nil, err
	}
	o := next()
	// The Registry's constructor ran from this nonce's predecessor; initSlasher
	// may be sent before it is mined: transactions of one sender run in order.
	o.GasLimit = 100_000 // no estimate against a contract not yet mined
	if tx, err = reg.InitSlasher(o, k.Slasher); err != nil {
		return nil, fmt.Errorf("bind Slasher in Registry: %w", err)
	}
	txs = append(txs, tx)
	for _, tx := range txs {
		rcpt, err := bind.WaitMined(ctx, b, tx.Hash())
		if err != nil {
			return nil, fmt.Errorf("deploy: wait for %s: %w", tx.Hash(), err)
		}
		if rcpt.Status != types.ReceiptStatusSuccessful {
			return nil, fmt.Errorf("deploy: transaction %s failed", tx.Hash())
		}
	}
	return &k, nil
}

// RegisterOperator registers owner as an operator with the validator keys
// (real proofs of possession), the committer and collateral, and waits for it.
func RegisterOperator(ctx context.Context, b Backend, chainID *big.Int, registryAddr common.Address, owner *ecdsa.PrivateKey,
	keys []*bls.SecretKey, committer common.Address, collateral *big.Int) error {
	client, err := registry.New(b, registryAddr)
	if err != nil {
		return err
	}
	o := bind.NewKeyedTransactor(owner, chainID)
	o.Context = ctx
	tx, err := client.Register(ctx, o, keys, committer, collateral)
	if err != nil {
		return err
	}
	_, err = client.Wait(ctx, tx)
	return err
}

// Fund sends value wei from key to addr and waits until it is mined: the
// devnet and the bench give the committer the gas its ledger transactions
// need (docs/protocol.md §9.0).
func Fund(ctx context.Context, b Backend, chainID *big.Int, key *ecdsa.PrivateKey, to common.Address, value *big.Int) error {
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := b.PendingNonceAt(ctx, from)
	if err != nil {
		return fmt.Errorf("fund %s: nonce of %s: %w", to, from, err)
	}
	head, err := b.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("fund %s: head: %w", to, err)
	}
	tip := big.NewInt(1e9)
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21_000, To: &to, Value: value,
	})
	if err != nil {
		return err
	}
	if err := b.SendTransaction(ctx, tx); err != nil {
		return fmt.Errorf("fund %s: %w", to, err)
	}
	rcpt, err := bind.WaitMined(ctx, b, tx.Hash())
	if err != nil {
		return fmt.Errorf("fund %s: wait for %s: %w", to, tx.Hash(), err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("fund %s: transfer %s failed", to, tx.Hash())
	}
	return nil
}
