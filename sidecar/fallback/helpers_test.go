package fallback

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/elnode"
)

var (
	testForkVersion = phase0.Version{0x10, 0x00, 0x00, 0x38}
	testBeaconRoot  = common.Hash{0x42}
	testRandao      = common.Hash{0x07}
	testFeeTo       = common.Address{0xfe}
	funding         = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))
)

// testNet is a started execution node with funded keys and clients dialled
// the way the sidecar dials them.
type testNet struct {
	node   *elnode.Node
	keys   []*ecdsa.PrivateKey
	signer types.Signer
	engine *rpc.Client
	el     *rpc.Client
}

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
	node, err := elnode.Start(elnode.Config{ChainID: 31337, Alloc: alloc, GenesisTime: uint64(time.Now().Unix())})
	if err != nil {
		tb.Fatalf("start node: %v", err)
	}
	tb.Cleanup(func() {
		if err := node.Close(); err != nil {
			tb.Errorf("close node: %v", err)
		}
	})
	ctx := testCtx(tb)
	engineAPI, err := DialEngine(ctx, node.EngineEndpoint(), node.JWTSecret())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(engineAPI.Close)
	el, err := rpc.DialContext(ctx, node.HTTPEndpoint())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(el.Close)
	return &testNet{node: node, keys: keys, signer: types.LatestSigner(node.ChainConfig()), engine: engineAPI, el: el}
}

func testCtx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

func newBLSKey(tb testing.TB) *bls.SecretKey {
	tb.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		tb.Fatal(err)
	}
	return sk
}

// newBuilder returns a builder on tn's clients (or the given ones).
func newBuilder(tb testing.TB, engineAPI EngineClient, el EL, opts ...Option) *Builder {
	tb.Helper()
	b, err := New(engineAPI, el, newBLSKey(tb), Config{
		GenesisForkVersion: testForkVersion,
		GasLimit:           elnode.DefaultGasLimit,
	}, zerolog.Nop(), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func (tn *testNet) builder(tb testing.TB, opts ...Option) *Builder {
	return newBuilder(tb, tn.engine, tn.el, opts...)
}

// request asks for the next block on the current head.
func (tn *testNet) request(tb testing.TB, top [][]byte) BuildRequest {
	tb.Helper()
	head, err := tn.node.Client().HeaderByNumber(testCtx(tb), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return BuildRequest{
		Slot:             head.Number.Uint64() + 1,
		Timestamp:        head.Time + 12,
		ParentHash:       head.Hash(),
		ProposerPubkey:   phase0.BLSPubKey{0xaa},
		PrevRandao:       testRandao,
		ParentBeaconRoot: testBeaconRoot,
		Withdrawals: []*capella.Withdrawal{
			{Index: 7, ValidatorIndex: 100, Address: bellatrix.ExecutionAddress{0xd1}, Amount: 32_000_000_000},
			{Index: 8, ValidatorIndex: 101, Address: bellatrix.ExecutionAddress{0xd2}, Amount: 1},
		},
		FeeRecipient: testFeeTo,
		TopTxs:       top,
	}
}

// transfer signs a 1 wei transfer from key with the given nonce and tip.
func (tn *testNet) transfer(tb testing.TB, key *ecdsa.PrivateKey, nonce uint64, tipGwei int64) *types.Transaction {
	tb.Helper()
	to := common.Address{0xbe, 0xef}
	tx, err := types.SignNewTx(key, tn.signer, &types.DynamicFeeTx{
		ChainID:   tn.node.ChainConfig().ChainID,
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

// blobTx signs a blob transaction with one blob and a sidecar of the given
// version (0: one proof per blob; 1: cell proofs).
func (tn *testNet) blobTx(tb testing.TB, key *ecdsa.PrivateKey, nonce uint64, version byte) *types.Transaction {
	tb.Helper()
	var blob kzg4844.Blob
	for i := 0; i < len(blob); i += 32 {
		blob[i+1] = byte(i / 32) // keep every field element below the modulus
	}
	commit, err := kzg4844.BlobToCommitment(&blob)
	if err != nil {
		tb.Fatal(err)
	}
	proof, err := kzg4844.ComputeBlobProof(&blob, commit)
	if err != nil {
		tb.Fatal(err)
	}
	sc := types.NewBlobTxSidecar(types.BlobSidecarVersion0, []kzg4844.Blob{blob}, []kzg4844.Commitment{commit}, []kzg4844.Proof{proof})
	if version == types.BlobSidecarVersion1 {
		if err := sc.ToV1(); err != nil {
			tb.Fatal(err)
		}
	}
	tx, err := types.SignNewTx(key, tn.signer, &types.BlobTx{
		ChainID:    uint256.MustFromBig(tn.node.ChainConfig().ChainID),
		Nonce:      nonce,
		GasTipCap:  uint256.NewInt(2 * params.GWei),
		GasFeeCap:  uint256.NewInt(100 * params.GWei),
		Gas:        params.TxGas,
		To:         common.Address{0xb1},
		BlobFeeCap: uint256.NewInt(params.GWei),
		BlobHashes: sc.BlobHashes(),
		Sidecar:    sc,
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

// sendToPool submits txs and waits until the pool counts them as pending.
func (tn *testNet) sendToPool(tb testing.TB, txs ...*types.Transaction) {
	tb.Helper()
	ctx := testCtx(tb)
	for _, tx := range txs {
		if err := tn.node.Client().SendTransaction(ctx, tx); err != nil {
			tb.Fatalf("send %s: %v", tx.Hash(), err)
		}
	}
	for _, tx := range txs {
		from, err := types.Sender(tn.signer, tx)
		if err != nil {
			tb.Fatal(err)
		}
		for {
			n, err := tn.node.Client().PendingNonceAt(ctx, from)
			if err != nil {
				tb.Fatal(err)
			}
			if n > tx.Nonce() {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// mine builds a block of exactly txs with elnode and imports it.
func (tn *testNet) mine(tb testing.TB, txs [][]byte) {
	tb.Helper()
	ctx := testCtx(tb)
	env, err := tn.node.BuildBlock(ctx, elnode.BuildArgs{ParentBeaconRoot: testBeaconRoot, Txs: txs})
	if err != nil {
		tb.Fatal(err)
	}
	if err := tn.node.ImportPayload(ctx, env, testBeaconRoot, nil, nil); err != nil {
		tb.Fatal(err)
	}
}

// rpcProxy stands between the builder and the node's open JSON-RPC
// endpoint: it can answer "method not found" for chosen methods (a geth
// without the testing namespace) and rewrite the result of others (a
// client that builds something else than asked).
type rpcProxy struct {
	target  string
	missing map[string]bool
	rewrite map[string]func(result map[string]any)
}

func (p *rpcProxy) start(tb testing.TB) string {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	tb.Cleanup(srv.Close)
	return srv.URL
}

func (p *rpcProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	_ = json.Unmarshal(body, &msg) // batches and garbage are forwarded as they are
	w.Header().Set("Content-Type", "application/json")
	if p.missing[msg.Method] {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"jsonrpc": "2.0", "id": msg.ID,
			"error": map[string]any{"code": -32601, "message": "the method " + msg.Method + " does not exist/is not available"},
		})
		return
	}
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if f := p.rewrite[msg.Method]; f != nil {
		var env map[string]any
		if err := json.Unmarshal(out, &env); err == nil {
			if res, ok := env["result"].(map[string]any); ok {
				f(res)
				out, _ = json.Marshal(env)
			}
		}
	}
	_, _ = w.Write(out)
}

// payloadField returns the executionPayload object of a build result.
func payloadField(res map[string]any) map[string]any {
	p, _ := res["executionPayload"].(map[string]any)
	return p
}

func hexOf(b []byte) string { return hexutil.Encode(b) }
