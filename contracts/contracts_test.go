package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
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

	"github.com/pledgeproto/pledge/internal/chaintest"
)

// Chain parameters of the test deployments (the Registry wants lookahead <
// rotationDelay and ledgerGrace < slashWindow < unregistrationDelay).
const (
	secondsPerSlot      = 12
	lookahead           = 2
	rotationDelay       = 4
	ledgerGrace         = 2
	slashWindow         = 8
	unregistrationDelay = 10
)

var minCollateral = new(big.Int).Mul(big.NewInt(params.Ether), big.NewInt(1))

// account is a funded EOA on the simulated chain.
type account struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// chain is a simulated Prague chain with funded accounts.
type chain struct {
	t       *testing.T
	backend *simulated.Backend
	client  simulated.Client
	rpc     *rpc.Client // under client, for the pool's status
	chainID *big.Int
	genesis uint64 // genesisTime handed to the contracts
	accts   []account
}

// newChain starts a simulated chain on mainnet's current rules (Osaka, which
// has Prague's EIP-2537 precompiles). The simulated backend's default dev
// config also enables the unreleased Bogota fork (EIP-8037 state-gas
// metering), which would make every gas number here meaningless for mainnet.
func newChain(t *testing.T, accounts int) *chain {
	t.Helper()
	return newChainOn(t, accounts, false)
}

// newChainOn is newChain, on the backend's full dev config when bogota is set.
func newChainOn(t *testing.T, accounts int, bogota bool) *chain {
	t.Helper()
	alloc := types.GenesisAlloc{}
	accts := make([]account, accounts)
	for i := range accts {
		key, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		accts[i] = account{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
		alloc[accts[i].addr] = types.Account{Balance: new(big.Int).Mul(big.NewInt(params.Ether), big.NewInt(1000))}
	}
	backend := simulated.NewBackend(alloc, func(_ *node.Config, ec *ethconfig.Config) {
		if bogota {
			return
		}
		cfg := *ec.Genesis.Config
		cfg.AmsterdamTime, cfg.BogotaTime = nil, nil
		ec.Genesis.Config = &cfg
	})
	t.Cleanup(func() { _ = backend.Close() })
	client := backend.Client()
	id, err := client.ChainID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The genesis block has timestamp 0; a first block brings chain time to now.
	backend.Commit()
	head, err := client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// simulated hides its *ethclient.Client behind an unexported wrapper type;
	// the field itself is exported, so reflect can reach it.
	ec, ok := reflect.ValueOf(client).FieldByName("Client").Interface().(*ethclient.Client)
	if !ok || ec == nil {
		t.Fatal("simulated client does not embed *ethclient.Client")
	}
	// Genesis a few slots back, so slot numbers are not all zero.
	return &chain{t: t, backend: backend, client: client, rpc: ec.Client(), chainID: id, genesis: head.Time - 5*secondsPerSlot, accts: accts}
}

// commit seals the sent transactions into a block, once the pool holds them
// all as executable (see chaintest.AwaitPool).
func (c *chain) commit() {
	chaintest.AwaitPool(c.rpc)
	c.backend.Commit()
}

// opts returns fresh transaction options for account i.
func (c *chain) opts(i int) *bind.TransactOpts {
	c.t.Helper()
	o, err := bind.NewKeyedTransactorWithChainID(c.accts[i].key, c.chainID)
	if err != nil {
		c.t.Fatal(err)
	}
	o.Context = context.Background()
	return o
}

// mine commits the pending transactions and returns tx's receipt, failing the
// test unless it succeeded.
func (c *chain) mine(tx *types.Transaction, err error) *types.Receipt {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("send: %v", err)
	}
	c.commit()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rcpt, err := bind.WaitMined(ctx, c.client, tx)
	if err != nil {
		c.t.Fatalf("wait: %v", err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("tx %s failed (gas used %d)", tx.Hash(), rcpt.GasUsed)
	}
	return rcpt
}

// slotOf is the slot of the block that holds rcpt.
func (c *chain) slotOf(rcpt *types.Receipt) uint64 {
	c.t.Helper()
	h, err := c.client.HeaderByHash(context.Background(), rcpt.BlockHash)
	if err != nil {
		c.t.Fatal(err)
	}
	return (h.Time - c.genesis) / secondsPerSlot
}

// headSlot is the slot of the latest block (what calls see).
func (c *chain) headSlot() uint64 {
	c.t.Helper()
	h, err := c.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return (h.Time - c.genesis) / secondsPerSlot
}

// advance moves chain time forward by n slots (one new block).
func (c *chain) advance(slots uint64) {
	c.t.Helper()
	chaintest.AwaitEmptyPool(c.rpc)
	if err := c.backend.AdjustTime(time.Duration(slots*secondsPerSlot) * time.Second); err != nil {
		c.t.Fatal(err)
	}
}

func (c *chain) balance(a common.Address) *big.Int {
	c.t.Helper()
	b, err := c.client.BalanceAt(context.Background(), a, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

// revertName names the custom error in err's revert data by contract's ABI, or
// fails the test when err is not such a revert.
func revertName(t *testing.T, err error, contract *abi.ABI) string {
	t.Helper()
	if err == nil {
		t.Fatal("expected a revert, got success")
	}
	var de interface{ ErrorData() interface{} }
	if !errors.As(err, &de) {
		t.Fatalf("expected a revert with data, got %v", err)
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		t.Fatalf("revert data of unexpected type %T", de.ErrorData())
	}
	data, decErr := hexutil.Decode(s)
	if decErr != nil || len(data) < 4 {
		t.Fatalf("bad revert data %q (%v)", s, err)
	}
	def, lookErr := contract.ErrorByID([4]byte(data[:4]))
	if lookErr != nil {
		t.Fatalf("revert data %s is no custom error of the contract (%v)", s, err)
	}
	return def.Name
}
