package elnode

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/ethereum/go-ethereum/trie"
)

func TestGenesisForks(t *testing.T) {
	t.Parallel()
	g := NewGenesis(Config{})
	cfg := g.Config
	if cfg.ChainID.Uint64() != DefaultChainID || g.GasLimit != DefaultGasLimit {
		t.Fatalf("defaults: chain id %v gas limit %d", cfg.ChainID, g.GasLimit)
	}
	num := big.NewInt(0)
	if !cfg.IsPrague(num, 0) || !cfg.IsOsaka(num, 0) {
		t.Fatal("prague and osaka must be active at genesis")
	}
	if cfg.AmsterdamTime != nil || cfg.BogotaTime != nil {
		t.Fatal("no fork after osaka may be scheduled")
	}
	for _, a := range []common.Address{params.BeaconRootsAddress, params.HistoryStorageAddress, params.WithdrawalQueueAddress, params.ConsolidationQueueAddress} {
		if len(g.Alloc[a].Code) == 0 {
			t.Errorf("system contract %s missing from alloc", a)
		}
	}
	// A caller's entry at a system address must not replace the system code.
	own := NewGenesis(Config{Alloc: types.GenesisAlloc{params.HistoryStorageAddress: {Balance: big.NewInt(1)}}})
	if !bytes.Equal(own.Alloc[params.HistoryStorageAddress].Code, params.HistoryStorageCode) {
		t.Fatal("system contract overridden by caller alloc")
	}
}

func TestTxpoolBlock(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 1)
	ctx := testCtx(t)
	tx := tn.transfer(t, tn.keys[0], 0, 2)
	if err := tn.Client().SendTransaction(ctx, tx); err != nil { // eth_sendRawTransaction
		t.Fatalf("send tx: %v", err)
	}
	root := common.Hash{0x11}
	fee := common.Address{0xfe}
	env, err := tn.BuildBlock(ctx, BuildArgs{FeeRecipient: fee, PrevRandao: common.Hash{0x22}, ParentBeaconRoot: root})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if got := payloadTxHashes(t, env); len(got) != 1 || got[0] != tx.Hash() {
		t.Fatalf("payload txs %v, want [%s]", got, tx.Hash())
	}
	if env.ExecutionPayload.FeeRecipient != fee || env.ExecutionPayload.Random != (common.Hash{0x22}) {
		t.Fatalf("attributes not applied: %+v", env.ExecutionPayload)
	}
	// Built but not imported: the head is still genesis.
	// (geth answers "not found" or, while its indexer starts, "indexing in progress")
	if r, err := tn.Client().TransactionReceipt(ctx, tx.Hash()); err == nil {
		t.Fatalf("receipt before import: %+v", r)
	}
	if err := tn.ImportPayload(ctx, env, root, nil, nil); err != nil {
		t.Fatalf("import: %v", err)
	}
	rcpt, err := tn.Client().TransactionReceipt(ctx, tx.Hash())
	if err != nil {
		t.Fatalf("receipt: %v", err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful || rcpt.BlockHash != env.ExecutionPayload.BlockHash || rcpt.BlockNumber.Uint64() != 1 {
		t.Fatalf("receipt %+v", rcpt)
	}
	head, err := tn.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if head.Hash() != env.ExecutionPayload.BlockHash || head.ParentBeaconRoot == nil || *head.ParentBeaconRoot != root {
		t.Fatalf("head %s (beacon root %v), want %s", head.Hash(), head.ParentBeaconRoot, env.ExecutionPayload.BlockHash)
	}
	// The node reports the new head as finalized too.
	fin, err := tn.Client().HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
	if err != nil || fin.Hash() != head.Hash() {
		t.Fatalf("finalized %v, %v", fin, err)
	}
}

func TestExplicitTxs(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 3)
	ctx := testCtx(t)
	// The pool holds a high-tip tx that is not in the list: it must stay out.
	poolTx := tn.transfer(t, tn.keys[2], 0, 50)
	if err := tn.Client().SendTransaction(ctx, poolTx); err != nil {
		t.Fatal(err)
	}
	// Low tips first: a fee-ordering builder would reverse these.
	want := []*types.Transaction{
		tn.transfer(t, tn.keys[0], 0, 1),
		tn.transfer(t, tn.keys[1], 0, 9),
		tn.transfer(t, tn.keys[0], 1, 30),
	}
	env := tn.mine(t, ctx, encode(t, want...))
	got := payloadTxHashes(t, env)
	if len(got) != len(want) {
		t.Fatalf("%d txs in block, want exactly %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i].Hash() {
			t.Errorf("tx %d is %s, want %s", i, got[i], want[i].Hash())
		}
	}
	block, err := tn.Client().BlockByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if block.Hash() != env.ExecutionPayload.BlockHash || len(block.Transactions()) != len(want) {
		t.Fatalf("head block %s with %d txs", block.Hash(), len(block.Transactions()))
	}
	// An empty non-nil list builds an empty block even with the pool full.
	empty := tn.mine(t, ctx, [][]byte{})
	if n := len(empty.ExecutionPayload.Transactions); n != 0 {
		t.Fatalf("empty list built %d txs", n)
	}
}

func TestBuildErrors(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 1)
	ctx := testCtx(t)
	genesisTime := tn.Genesis().Timestamp
	gapped := tn.transfer(t, tn.keys[0], 5, 1)
	tests := []struct {
		name    string
		args    BuildArgs
		wantErr error
		wantMsg string
	}{
		{"timestamp equal to parent", BuildArgs{Timestamp: genesisTime}, ErrBadTimestamp, ""},
		{"timestamp before parent", BuildArgs{Timestamp: genesisTime - 1}, ErrBadTimestamp, ""},
		{"nonce gap in explicit list", BuildArgs{Txs: encode(t, gapped)}, nil, "nonce too high"},
		{"undecodable tx", BuildArgs{Txs: [][]byte{{0x02, 0x01}}}, nil, "testing_buildBlockV1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tn.BuildBlock(ctx, tc.args)
			if err == nil {
				t.Fatal("want error")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("err %q does not mention %q", err, tc.wantMsg)
			}
		})
	}
	head, err := tn.Client().BlockNumber(ctx)
	if err != nil || head != 0 {
		t.Fatalf("failed builds moved the head to %d (%v)", head, err)
	}
}

func TestImportRejects(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 1)
	ctx := testCtx(t)
	root := common.Hash{0x42}
	env, err := tn.BuildBlock(ctx, BuildArgs{ParentBeaconRoot: root, Txs: encode(t, tn.transfer(t, tn.keys[0], 0, 1))})
	if err != nil {
		t.Fatal(err)
	}
	tampered := func(f func(*engine.ExecutableData)) *engine.ExecutionPayloadEnvelope {
		cp := *env
		data := *env.ExecutionPayload
		f(&data)
		cp.ExecutionPayload = &data
		return &cp
	}
	tests := []struct {
		name       string
		env        *engine.ExecutionPayloadEnvelope
		beaconRoot common.Hash
		hashes     []common.Hash
		requests   [][]byte
		wantMsg    string
	}{
		{"bad block hash", tampered(func(d *engine.ExecutableData) { d.BlockHash[0] ^= 1 }), root, nil, nil, "blockhash mismatch"},
		{"bad state root", tampered(func(d *engine.ExecutableData) { d.StateRoot[0] ^= 1 }), root, nil, nil, "blockhash mismatch"},
		{"dropped tx", tampered(func(d *engine.ExecutableData) { d.Transactions = [][]byte{} }), root, nil, nil, "blockhash mismatch"},
		{"wrong beacon root", env, common.Hash{0x43}, nil, nil, "blockhash mismatch"},
		{"unexpected blob hash", env, root, []common.Hash{{0x01}}, nil, "invalid"},
		{"forged withdrawal request", env, root, nil, [][]byte{append([]byte{0x01}, make([]byte, 76)...)}, "blockhash mismatch"},
		{"no payload", &engine.ExecutionPayloadEnvelope{}, root, nil, nil, "no execution payload"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tn.ImportPayload(ctx, tc.env, tc.beaconRoot, tc.hashes, tc.requests)
			if !errors.Is(err, ErrInvalidPayload) {
				t.Fatalf("err %v, want ErrInvalidPayload", err)
			}
			t.Logf("rejected: %v", err)
			if !strings.Contains(strings.ToLower(err.Error()), tc.wantMsg) {
				t.Fatalf("err %q does not say %q", err, tc.wantMsg)
			}
			if n, err := tn.Client().BlockNumber(ctx); err != nil || n != 0 {
				t.Fatalf("rejected payload moved head to %d (%v)", n, err)
			}
		})
	}
	// The untampered payload still imports: nothing above poisoned it.
	if err := tn.ImportPayload(ctx, env, root, nil, nil); err != nil {
		t.Fatalf("import original: %v", err)
	}
}

func TestGetProof(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 1)
	ctx := testCtx(t)
	sender := addr(tn.keys[0])
	tn.mine(t, ctx, encode(t, tn.transfer(t, tn.keys[0], 0, 1), tn.transfer(t, tn.keys[0], 1, 1)))
	head, err := tn.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Balance      *hexutil.Big    `json:"balance"`
		Nonce        hexutil.Uint64  `json:"nonce"`
		AccountProof []hexutil.Bytes `json:"accountProof"`
	}
	if err := tn.RPC().CallContext(ctx, &res, "eth_getProof", sender, []string{}, hexutil.EncodeBig(head.Number)); err != nil {
		t.Fatalf("eth_getProof: %v", err)
	}
	if res.Nonce != 2 {
		t.Fatalf("nonce %d, want 2", res.Nonce)
	}
	verify := func(proof []hexutil.Bytes) (*types.StateAccount, error) {
		db := memorydb.New()
		for _, node := range proof {
			if err := db.Put(crypto.Keccak256(node), node); err != nil {
				return nil, err
			}
		}
		val, err := trie.VerifyProof(head.Root, crypto.Keccak256(sender.Bytes()), db)
		if err != nil {
			return nil, err
		}
		var acc types.StateAccount
		if err := rlp.DecodeBytes(val, &acc); err != nil {
			return nil, err
		}
		return &acc, nil
	}
	acc, err := verify(res.AccountProof)
	if err != nil {
		t.Fatalf("proof does not verify against head state root: %v", err)
	}
	if acc.Nonce != 2 || acc.Balance.ToBig().Cmp((*big.Int)(res.Balance)) != 0 {
		t.Fatalf("proven account %+v, rpc said nonce %d balance %v", acc, res.Nonce, res.Balance)
	}
	// A proof with its leaf altered must not verify.
	bad := append([]hexutil.Bytes(nil), res.AccountProof...)
	leaf := append(hexutil.Bytes(nil), bad[len(bad)-1]...)
	leaf[len(leaf)-1] ^= 1
	bad[len(bad)-1] = leaf
	if _, err := verify(bad); err == nil {
		t.Fatal("tampered proof verified")
	}
}

func TestHistoryContract(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 0)
	ctx := testCtx(t)
	for range 3 {
		tn.mine(t, ctx, [][]byte{})
	}
	head, err := tn.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	get := func(num uint64) ([]byte, error) {
		input := common.BigToHash(new(big.Int).SetUint64(num))
		to := params.HistoryStorageAddress
		return tn.Client().CallContract(ctx, ethereum.CallMsg{To: &to, Data: input[:]}, head.Number)
	}
	for num := uint64(0); num < head.Number.Uint64(); num++ {
		want, err := tn.Client().HeaderByNumber(ctx, new(big.Int).SetUint64(num))
		if err != nil {
			t.Fatal(err)
		}
		got, err := get(num)
		if err != nil {
			t.Fatalf("history of block %d: %v", num, err)
		}
		if common.BytesToHash(got) != want.Hash() {
			t.Fatalf("history of block %d: %x, want %s", num, got, want.Hash())
		}
	}
	// The current block is not history yet: the contract reverts.
	if _, err := get(head.Number.Uint64()); err == nil {
		t.Fatal("history contract answered for the current block")
	}
}

func TestBLSPrecompile(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 0)
	ctx := testCtx(t)
	_, _, g, _ := bls12381.Generators()
	var g2 bls12381.G1Affine
	g2.Double(&g)
	enc := func(p *bls12381.G1Affine) []byte {
		out := make([]byte, 128)
		x, y := p.X.Bytes(), p.Y.Bytes()
		copy(out[16:64], x[:])
		copy(out[80:128], y[:])
		return out
	}
	g1add := common.BytesToAddress([]byte{0x0b})
	tests := []struct {
		name  string
		input []byte
		want  []byte
	}{
		{"G+G", append(enc(&g), enc(&g)...), enc(&g2)},
		{"G+0", append(enc(&g), make([]byte, 128)...), enc(&g)},
		{"short input", enc(&g), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tn.Client().CallContract(ctx, ethereum.CallMsg{To: &g1add, Data: tc.input}, nil)
			if tc.want == nil {
				if err == nil {
					t.Fatalf("bad input answered %x", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("G1ADD: %v", err)
			}
			if !bytes.Equal(out, tc.want) {
				t.Fatalf("G1ADD = %x, want %x", out, tc.want)
			}
		})
	}
}

func TestEngineAuth(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 0)
	ctx := testCtx(t)
	wrong := tn.JWTSecret()
	wrong[0] ^= 1
	tests := []struct {
		name string
		opts []rpc.ClientOption
		ok   bool
	}{
		{"no jwt", nil, false},
		{"wrong secret", []rpc.ClientOption{rpc.WithHTTPAuth(node.NewJWTAuth(wrong))}, false},
		{"right secret", []rpc.ClientOption{rpc.WithHTTPAuth(node.NewJWTAuth(tn.JWTSecret()))}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := rpc.DialOptions(ctx, tn.EngineEndpoint(), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var caps []string
			err = c.CallContext(ctx, &caps, "engine_exchangeCapabilities", []string{"engine_newPayloadV4"})
			if tc.ok {
				if err != nil || len(caps) == 0 {
					t.Fatalf("authenticated call: %v (caps %v)", err, caps)
				}
				return
			}
			var httpErr rpc.HTTPError
			if !errors.As(err, &httpErr) || httpErr.StatusCode != 401 {
				t.Fatalf("err %v, want HTTP 401", err)
			}
		})
	}
	// The engine namespace is not served on the open endpoint.
	var caps []string
	err := tn.RPC().CallContext(ctx, &caps, "engine_exchangeCapabilities", []string{})
	if err == nil {
		t.Fatal("engine api answered on the unauthenticated endpoint")
	}
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	n, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := n.Client().ChainID(context.Background()); err == nil {
		t.Fatal("closed node still answers")
	}
}
