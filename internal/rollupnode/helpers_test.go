package rollupnode_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// Chain ids of the two rollups the tests post for.
const (
	chainA uint64 = 1001
	chainB uint64 = 1002
)

// l2Funding is what every L2 genesis account holds.
var l2Funding = new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))

// env is an L1 (simulated, Prague, 1 s slots) with the Inbox deployed and a
// few L2 keys funded in every rollup's genesis.
type env struct {
	t     *testing.T
	l1    *chaintest.Chain
	inbox *bindings.Inbox
	addr  common.Address
	keys  []*ecdsa.PrivateKey
}

func newEnv(t *testing.T) *env {
	t.Helper()
	l1 := chaintest.New(t, 2)
	addr, tx, inbox, err := bindings.DeployInbox(l1.Opts(0), l1.Client, l1.GenesisTime, chaintest.SecondsPerSlot)
	l1.Mine(tx, err)
	e := &env{t: t, l1: l1, inbox: inbox, addr: addr}
	for range 3 {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		e.keys = append(e.keys, k)
	}
	return e
}

func (e *env) l2Addr(i int) common.Address { return crypto.PubkeyToAddress(e.keys[i].PublicKey) }

// config is a node configuration for chainID following e's Inbox; the
// genesis funds keys 0 and 1 (key 2 is poor).
func (e *env) config(chainID uint64) rollupnode.Config {
	return rollupnode.Config{
		ChainID: chainID,
		Inbox:   e.addr,
		L1:      e.l1.Client,
		Genesis: types.GenesisAlloc{
			e.l2Addr(0): {Balance: l2Funding},
			e.l2Addr(1): {Balance: l2Funding},
		},
		// Tests drive Sync themselves; Run's own polls only add the first one.
		PollInterval: time.Hour,
	}
}

// logBuffer collects a node's logs; zerolog writes from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a node being Run, with an ethclient on its URL and its logs.
type running struct {
	*rollupnode.Node
	eth  *ethclient.Client
	logs *logBuffer
}

// start runs a node until the end of the test.
func (e *env) start(cfg rollupnode.Config) *running {
	e.t.Helper()
	logs := &logBuffer{}
	n, err := rollupnode.New(cfg, zerolog.New(logs))
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("run: %v", err)
		}
	})
	eth, err := ethclient.Dial(n.URL())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(eth.Close)
	return &running{Node: n, eth: eth, logs: logs}
}

// sync derives everything L1 has.
func (r *running) sync(t *testing.T) {
	t.Helper()
	if err := r.Sync(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

// post sends one Inbox.post call holding batches and seals it in the next L1 block.
func (e *env) post(batches ...rollup.Batch) *types.Receipt {
	e.t.Helper()
	opts := e.l1.Opts(1)
	// Gas estimation runs in the latest block's slot, where the Inbox record
	// may already exist and its SSTOREs cost less than in the next slot.
	opts.GasLimit = 2_000_000
	tx, err := e.inbox.Post(opts, encodePost(e.t, batches...))
	return e.l1.Mine(tx, err)
}

// transfer signs an L2 dynamic-fee transfer from key for chainID: tip 1 gwei,
// fee cap 3 gwei (the L2 base fee is 1 gwei).
func transfer(t *testing.T, key *ecdsa.PrivateKey, chainID, nonce uint64, to common.Address, value *big.Int) *types.Transaction {
	t.Helper()
	return signTx(t, key, chainID, &types.DynamicFeeTx{
		Nonce:     nonce,
		GasTipCap: big.NewInt(params.GWei),
		GasFeeCap: big.NewInt(3 * params.GWei),
		Gas:       params.TxGas,
		To:        &to,
		Value:     value,
	})
}

// signTx signs d for chainID with key.
func signTx(t *testing.T, key *ecdsa.PrivateKey, chainID uint64, d *types.DynamicFeeTx) *types.Transaction {
	t.Helper()
	d.ChainID = new(big.Int).SetUint64(chainID)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(d.ChainID), d)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// raw is the network encoding of tx.
func raw(t *testing.T, tx *types.Transaction) []byte {
	t.Helper()
	b, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// raws encodes txs.
func raws(t *testing.T, txs ...*types.Transaction) [][]byte {
	t.Helper()
	out := make([][]byte, len(txs))
	for i, tx := range txs {
		out[i] = raw(t, tx)
	}
	return out
}

// receipt fetches a receipt through the node's JSON-RPC and fails the test
// when there is none.
func (r *running) receipt(t *testing.T, h common.Hash) *types.Receipt {
	t.Helper()
	rc, err := r.eth.TransactionReceipt(context.Background(), h)
	if err != nil {
		t.Fatalf("receipt of %s: %v", h, err)
	}
	return rc
}

// noReceipt checks that the node has no receipt for h.
func (r *running) noReceipt(t *testing.T, h common.Hash) {
	t.Helper()
	rc, err := r.eth.TransactionReceipt(context.Background(), h)
	if !errors.Is(err, ethereum.NotFound) {
		t.Fatalf("receipt of %s: got %+v, %v; want not found", h, rc, err)
	}
}

func (r *running) balance(t *testing.T, a common.Address) *big.Int {
	t.Helper()
	b, err := r.eth.BalanceAt(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (r *running) nonce(t *testing.T, a common.Address) uint64 {
	t.Helper()
	n, err := r.eth.NonceAt(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

func zerologNop() zerolog.Logger { return zerolog.Nop() }

// typesAccount is a genesis account holding code.
func typesAccount(code []byte) types.Account { return types.Account{Code: code, Balance: new(big.Int)} }

// encodePost packs batches as Inbox.post takes them.
func encodePost(t testing.TB, batches ...rollup.Batch) []byte {
	t.Helper()
	data, err := rollup.EncodePost(batches)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
