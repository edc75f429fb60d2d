// Package chaintest runs a real EVM chain inside a test: go-ethereum's simulated
// backend on Prague, with real headers, working eth_getProof, the EIP-2935
// history contract, and a clock where every committed block is the next slot.
// It deploys Pledge's Registry, Inbox and Slasher and registers operators with
// real BLS proofs of possession.
package chaintest

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// SecondsPerSlot is the chain's slot length. Every Commit advances the clock by
// exactly one second (see New), so one committed block is one slot, and
// SkipSlots leaves slots empty.
const SecondsPerSlot = 1

// PragueBlobUpdateFraction is BLOB_BASE_FEE_UPDATE_FRACTION on Prague (EIP-7691).
const PragueBlobUpdateFraction = 5007716

// Chain is a simulated L1 with funded accounts.
type Chain struct {
	t       testing.TB
	Backend *simulated.Backend
	Client  simulated.Client
	// RPC is the raw JSON-RPC client under Client, for calls ethclient lacks (eth_getProof).
	RPC     *rpc.Client
	Eth     *ethclient.Client
	ChainID *big.Int
	// Config is the chain configuration: Prague, no later fork.
	Config *params.ChainConfig
	// GenesisTime is the timestamp of slot 0 (the first block after New).
	GenesisTime uint64
	// Keys are funded accounts: Keys[0] deploys, the rest play operators, users, watchers.
	Keys []*ecdsa.PrivateKey
}

// Funding is the balance of each of the chain's keys.
var Funding = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))

// New starts a chain with n funded keys. The clock is moved a day ahead of wall
// time so the simulated beacon never jumps to time.Now(): from then on each
// block's timestamp is its parent's plus one.
func New(t testing.TB, n int) *Chain {
	t.Helper()
	keys := make([]*ecdsa.PrivateKey, n)
	alloc := types.GenesisAlloc{}
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: Funding}
	}
	cfg := *params.AllDevChainProtocolChanges
	// Prague only: later forks (Osaka, Bogota) change blob pricing and more.
	cfg.OsakaTime, cfg.BogotaTime = nil, nil
	cfg.BlobScheduleConfig = &params.BlobScheduleConfig{Cancun: params.DefaultCancunBlobConfig, Prague: params.DefaultPragueBlobConfig}
	sim := simulated.NewBackend(alloc, func(_ *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = &cfg
	})
	t.Cleanup(func() { _ = sim.Close() })
	client := sim.Client()
	// simulated hides its *ethclient.Client behind an unexported wrapper type;
	// the field itself is exported, so reflect can reach it.
	ec, ok := reflect.ValueOf(client).FieldByName("Client").Interface().(*ethclient.Client)
	if !ok || ec == nil {
		t.Fatal("chaintest: simulated client does not embed *ethclient.Client")
	}
	c := &Chain{t: t, Backend: sim, Client: client, RPC: ec.Client(), Eth: ec, ChainID: cfg.ChainID, Config: &cfg, Keys: keys}
	ahead := time.Duration(time.Now().Unix()+86400) * time.Second
	if err := sim.AdjustTime(ahead); err != nil {
		t.Fatal(err)
	}
	c.GenesisTime = c.Head().Time
	return c
}

// Addr returns the address of key i.
func (c *Chain) Addr(i int) common.Address {
	return crypto.PubkeyToAddress(c.Keys[i].PublicKey)
}

// Head returns the latest header.
func (c *Chain) Head() *types.Header {
	c.t.Helper()
	h, err := c.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return h
}

// Slot returns the slot of the latest block.
func (c *Chain) Slot() uint64 {
	return (c.Head().Time - c.GenesisTime) / SecondsPerSlot
}

// SlotTime returns the timestamp of slot s.
func (c *Chain) SlotTime(s uint64) uint64 {
	return c.GenesisTime + s*SecondsPerSlot
}

// Commit seals the pending transactions into the next slot's block.
func (c *Chain) Commit() *types.Header {
	AwaitPool(c.RPC)
	c.Backend.Commit()
	return c.Head()
}

// AwaitPool waits, up to a second, until the transaction pool of the node
// behind client holds no queued transaction. geth moves a sent transaction
// from its queue to the executable set on a background loop, and the
// simulated backend's Commit does not always wait for it: a block sealed
// meanwhile leaves out transactions sent before it (seen on a loaded machine
// with several transactions of one sender). A transaction queued on purpose
// (a nonce gap) costs the wait, then the block is sealed anyway.
func AwaitPool(client *rpc.Client) {
	awaitPool(client, func(pending, queued uint) bool { return queued == 0 })
}

// AwaitEmptyPool waits, up to a second, until the pool of the node behind
// client is empty. The pool drops the transactions of a sealed block on a
// background loop too, and the simulated backend's AdjustTime refuses to run
// while it still lists them.
func AwaitEmptyPool(client *rpc.Client) {
	awaitPool(client, func(pending, queued uint) bool { return pending == 0 && queued == 0 })
}

func awaitPool(client *rpc.Client, done func(pending, queued uint) bool) {
	deadline := time.Now().Add(time.Second)
	for {
		var st struct{ Pending, Queued hexutil.Uint }
		if err := client.Call(&st, "txpool_status"); err != nil || done(uint(st.Pending), uint(st.Queued)) || time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// SkipSlots leaves k slots without a block, then seals one block (with no
// transactions) in the slot after them.
func (c *Chain) SkipSlots(k uint64) *types.Header {
	c.t.Helper()
	AwaitEmptyPool(c.RPC)
	if err := c.Backend.AdjustTime(time.Duration(k+1) * SecondsPerSlot * time.Second); err != nil {
		c.t.Fatal(err)
	}
	return c.Head()
}

// Opts returns transact options for key i.
func (c *Chain) Opts(i int) *bind.TransactOpts {
	return c.OptsFor(c.Keys[i])
}

// OptsFor returns transact options for key.
func (c *Chain) OptsFor(key *ecdsa.PrivateKey) *bind.TransactOpts {
	opts := bind.NewKeyedTransactor(key, c.ChainID)
	opts.Context = context.Background()
	return opts
}

// Mine seals the block holding tx and returns its receipt; it fails the test
// when err is set or the transaction reverted.
func (c *Chain) Mine(tx *types.Transaction, err error) *types.Receipt {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("send: %v", err)
	}
	c.Commit()
	r, err := c.Client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		c.t.Fatalf("receipt of %s: %v", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("tx %s reverted", tx.Hash())
	}
	return r
}

// Transfer signs (but does not send) a dynamic-fee transfer of value wei from
// key with the given nonce.
func (c *Chain) Transfer(key *ecdsa.PrivateKey, nonce uint64, to common.Address, value, feeCap *big.Int) *types.Transaction {
	c.t.Helper()
	// The simulated miner wants a tip; a fee cap below it caps the tip.
	tip := big.NewInt(params.GWei)
	if feeCap.Cmp(tip) < 0 {
		tip = feeCap
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(c.ChainID), &types.DynamicFeeTx{
		ChainID:   c.ChainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: feeCap,
		Gas:       params.TxGas,
		To:        &to,
		Value:     value,
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return tx
}

// Send submits a signed transaction to the pool.
func (c *Chain) Send(tx *types.Transaction) {
	c.t.Helper()
	if err := c.Client.SendTransaction(context.Background(), tx); err != nil {
		c.t.Fatalf("send %s: %v", tx.Hash(), err)
	}
}

// Fund sends value wei from key i to addr and seals it.
func (c *Chain) Fund(i int, addr common.Address, value *big.Int) {
	c.t.Helper()
	nonce, err := c.Client.PendingNonceAt(context.Background(), c.Addr(i))
	if err != nil {
		c.t.Fatal(err)
	}
	tx := c.Transfer(c.Keys[i], nonce, addr, value, big.NewInt(params.GWei*100))
	c.Send(tx)
	c.Mine(tx, nil)
}

// String names the chain state for failure messages.
func (c *Chain) String() string {
	h := c.Head()
	return fmt.Sprintf("block %d slot %d", h.Number, (h.Time-c.GenesisTime)/SecondsPerSlot)
}
