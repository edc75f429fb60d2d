package elnode

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// testNet is a started node with funded keys.
type testNet struct {
	*Node
	keys   []*ecdsa.PrivateKey
	signer types.Signer
}

var funding = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))

// startNet starts a node whose genesis funds n fresh keys; it is closed when
// the test ends.
func startNet(tb testing.TB, n int) *testNet {
	tb.Helper()
	keys := make([]*ecdsa.PrivateKey, n)
	alloc := types.GenesisAlloc{}
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			tb.Fatal(err)
		}
		keys[i] = k
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: funding}
	}
	node, err := Start(Config{ChainID: 31337, Alloc: alloc, GenesisTime: uint64(time.Now().Unix())})
	if err != nil {
		tb.Fatalf("start node: %v", err)
	}
	tb.Cleanup(func() {
		if err := node.Close(); err != nil {
			tb.Errorf("close node: %v", err)
		}
	})
	return &testNet{Node: node, keys: keys, signer: types.LatestSigner(node.ChainConfig())}
}

func testCtx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// transfer signs a 1 wei transfer from key with the given nonce and tip.
func (tn *testNet) transfer(tb testing.TB, key *ecdsa.PrivateKey, nonce uint64, tipGwei int64) *types.Transaction {
	tb.Helper()
	to := common.Address{0xbe, 0xef}
	tx, err := types.SignNewTx(key, tn.signer, &types.DynamicFeeTx{
		ChainID:   tn.ChainConfig().ChainID,
		Nonce:     nonce,
		GasTipCap: big.NewInt(tipGwei * params.GWei),
		GasFeeCap: big.NewInt(100 * params.GWei),
		Gas:       params.TxGas,
		To:        &to,
		Value:     big.NewInt(1),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}

func encode(tb testing.TB, txs ...*types.Transaction) [][]byte {
	tb.Helper()
	out := make([][]byte, len(txs))
	for i, tx := range txs {
		b, err := tx.MarshalBinary()
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// mine builds a block (explicit txs when txs is not nil) and imports it.
func (tn *testNet) mine(tb testing.TB, ctx context.Context, txs [][]byte) *engine.ExecutionPayloadEnvelope {
	tb.Helper()
	root := common.Hash{0x42}
	env, err := tn.BuildBlock(ctx, BuildArgs{ParentBeaconRoot: root, PrevRandao: common.Hash{0x07}, Txs: txs})
	if err != nil {
		tb.Fatalf("build block: %v", err)
	}
	if err := tn.ImportPayload(ctx, env, root, nil, nil); err != nil {
		tb.Fatalf("import block %d: %v", env.ExecutionPayload.Number, err)
	}
	return env
}

func payloadTxHashes(tb testing.TB, env *engine.ExecutionPayloadEnvelope) []common.Hash {
	tb.Helper()
	out := make([]common.Hash, len(env.ExecutionPayload.Transactions))
	for i, raw := range env.ExecutionPayload.Transactions {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			tb.Fatalf("decode payload tx %d: %v", i, err)
		}
		out[i] = tx.Hash()
	}
	return out
}
