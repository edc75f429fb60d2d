package fallback

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/holiman/uint256"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/elnode"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func txHashes(tb testing.TB, txs [][]byte) []common.Hash {
	tb.Helper()
	out := make([]common.Hash, len(txs))
	for i, raw := range txs {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			tb.Fatalf("decode tx %d: %v", i, err)
		}
		out[i] = tx.Hash()
	}
	return out
}

func payloadTxs(b *Built) [][]byte {
	out := make([][]byte, len(b.Payload.Transactions))
	for i, tx := range b.Payload.Transactions {
		out[i] = tx
	}
	return out
}

func TestBuildPromisedOnTop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		poolTxs int
	}{
		{"promised only", 0},
		{"promised then mempool", 16},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := startNet(t, 3)
			ctx := testCtx(t)
			// The pool holds a higher-paying tx: a fee-ordered builder
			// would put it first.
			poolTx := tn.transfer(t, tn.keys[2], 0, 50)
			tn.sendToPool(t, poolTx)
			promised := []*types.Transaction{
				tn.transfer(t, tn.keys[0], 0, 1),
				tn.transfer(t, tn.keys[1], 0, 9),
				tn.transfer(t, tn.keys[0], 1, 30),
			}
			b := tn.builder(t, WithPoolTxs(tc.poolTxs))
			req := tn.request(t, encode(t, promised...))
			parent, err := tn.node.Client().HeaderByHash(ctx, req.ParentHash)
			if err != nil {
				t.Fatal(err)
			}
			built, err := b.Build(ctx, req)
			if err != nil {
				t.Fatalf("build: %v", err)
			}

			want := []*types.Transaction{promised[0], promised[1], promised[2]}
			if tc.poolTxs > 0 {
				want = append(want, poolTx)
			}
			got := txHashes(t, payloadTxs(built))
			if len(got) != len(want) {
				t.Fatalf("%d txs in payload, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i].Hash() {
					t.Errorf("tx %d is %s, want %s", i, got[i], want[i].Hash())
				}
			}

			// Attributes.
			p := built.Payload
			switch {
			case common.Hash(p.ParentHash) != req.ParentHash:
				t.Errorf("parent %s", p.ParentHash)
			case common.Address(p.FeeRecipient) != testFeeTo:
				t.Errorf("fee recipient %s", p.FeeRecipient)
			case common.Hash(p.PrevRandao) != testRandao:
				t.Errorf("prev_randao %x", p.PrevRandao)
			case p.Timestamp != req.Timestamp:
				t.Errorf("timestamp %d", p.Timestamp)
			case p.GasLimit != core.CalcGasLimit(parent.GasLimit, elnode.DefaultGasLimit):
				t.Errorf("gas limit %d", p.GasLimit)
			case len(p.Withdrawals) != 2 || *p.Withdrawals[0] != *req.Withdrawals[0] || *p.Withdrawals[1] != *req.Withdrawals[1]:
				t.Errorf("withdrawals %v", p.Withdrawals)
			case built.Version != spec.DataVersionFulu || built.Bid.Version != spec.DataVersionFulu:
				t.Errorf("version %s / %s", built.Version, built.Bid.Version)
			}

			// Value: every fee cap is far above the base fee, so each tx
			// pays its full tip on 21000 gas.
			wantValue := new(big.Int)
			for _, tx := range want {
				wantValue.Add(wantValue, new(big.Int).Mul(tx.GasTipCap(), big.NewInt(int64(params.TxGas))))
			}
			if built.Value.ToBig().Cmp(wantValue) != 0 || built.Value.ToBig().Cmp(built.Envelope.BlockValue) != 0 {
				t.Errorf("value %s, want %s (envelope %s)", built.Value.Dec(), wantValue, built.Envelope.BlockValue)
			}

			// The bid: header of this payload, signed by the builder key
			// under the builder domain, not under another.
			bid := built.Bid.Data
			if err := builderapi.VerifyBid(bid, builderapi.BuilderDomain(testForkVersion)); err != nil {
				t.Fatalf("bid signature: %v", err)
			}
			if bid.Message.Pubkey != b.Pubkey() {
				t.Fatalf("bid signed by %s, builder key %s", bid.Message.Pubkey, b.Pubkey())
			}
			if err := builderapi.VerifyBid(bid, builderapi.BuilderDomain(phase0.Version{0x01})); err == nil {
				t.Fatal("bid verified under another fork version's domain")
			}
			forged := *bid.Message
			forged.Value = new(uint256.Int).AddUint64(bid.Message.Value, 1)
			if err := builderapi.VerifyBid(&builderapi.SignedBuilderBid{Message: &forged, Signature: bid.Signature}, b.Domain()); err == nil {
				t.Fatal("bid with a raised value still verified")
			}
			h := bid.Message.Header
			if h.BlockHash != p.BlockHash || h.TransactionsRoot != protocol.TransactionsRoot(payloadTxs(built)) || bid.Message.Value.Cmp(built.Value) != 0 {
				t.Fatalf("bid header %s / root %x does not describe the payload", h.BlockHash, h.TransactionsRoot)
			}
			// What the builder proxy will check: a multiproof of the top txs.
			idx := []uint64{0, 1, 2}
			mp, err := protocol.NewInclusionMultiProof(payloadTxs(built), idx)
			if err != nil {
				t.Fatal(err)
			}
			if err := protocol.VerifyTopOfBlock(h.TransactionsRoot, req.TopTxs, mp); err != nil {
				t.Fatalf("top-of-block proof against the bid header: %v", err)
			}

			// Unblinding by block hash; an unknown hash is refused.
			again, err := b.Payload(p.BlockHash)
			if err != nil || again != built {
				t.Fatalf("payload by hash: %v", err)
			}
			if _, err := b.Payload(phase0.Hash32{0x01}); !errors.Is(err, ErrUnknownPayload) {
				t.Fatalf("unknown hash: %v, want ErrUnknownPayload", err)
			}

			// A proposer can publish it: the node imports it as its head,
			// with our beacon root and withdrawals.
			if err := tn.node.ImportPayload(ctx, built.Envelope, testBeaconRoot, nil, built.RawRequests); err != nil {
				t.Fatalf("import: %v", err)
			}
			head, err := tn.node.Client().HeaderByNumber(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if head.Hash() != common.Hash(p.BlockHash) || head.ParentBeaconRoot == nil || *head.ParentBeaconRoot != testBeaconRoot {
				t.Fatalf("head %s, want %s with beacon root", head.Hash(), common.Hash(p.BlockHash))
			}
			bal, err := tn.node.Client().BalanceAt(ctx, common.Address{0xd1}, nil)
			if err != nil || bal.Cmp(new(big.Int).Mul(big.NewInt(32_000_000_000), big.NewInt(params.GWei))) != 0 {
				t.Fatalf("withdrawal credited %v (%v)", bal, err)
			}
		})
	}
}

func TestBuildBlobTx(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 2)
	ctx := testCtx(t)
	// A V0 sidecar (one proof per blob) as a user sends it; the block is
	// Fulu, so the bundle must carry cell proofs.
	blob := tn.blobTx(t, tn.keys[0], 0, types.BlobSidecarVersion0)
	plain := tn.transfer(t, tn.keys[1], 0, 1)
	// Computing cell proofs is slow under the race detector.
	b := tn.builder(t, WithTimeout(25*time.Second))
	req := tn.request(t, encode(t, blob, plain))
	built, err := b.Build(ctx, req)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	canon, err := blob.WithoutBlobTxSidecar().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(built.Payload.Transactions[0], canon) {
		t.Fatal("payload tx 0 is not the blob tx's canonical encoding")
	}
	sc := blob.BlobTxSidecar()
	bb := built.BlobsBundle
	if err := bb.CheckShape(spec.DataVersionFulu); err != nil {
		t.Fatal(err)
	}
	if len(bb.Commitments) != 1 || !bytes.Equal(bb.Commitments[0][:], sc.Commitments[0][:]) || !bytes.Equal(bb.Blobs[0][:], sc.Blobs[0][:]) {
		t.Fatal("bundle does not hold the promised blob and commitment")
	}
	c := kzg4844.Commitment(bb.Commitments[0])
	if vh := common.Hash(kzg4844.CalcBlobHashV1(sha256.New(), &c)); vh != blob.BlobHashes()[0] {
		t.Fatalf("versioned hash %s, tx has %s", vh, blob.BlobHashes()[0])
	}
	proofs := make([]kzg4844.Proof, len(bb.Proofs))
	for i := range bb.Proofs {
		proofs[i] = kzg4844.Proof(bb.Proofs[i])
	}
	if err := kzg4844.VerifyCellProofs([]kzg4844.Blob{kzg4844.Blob(bb.Blobs[0])}, []kzg4844.Commitment{c}, proofs); err != nil {
		t.Fatalf("cell proofs: %v", err)
	}
	if len(built.Bid.Data.Message.BlobKZGCommitments) != 1 || built.Bid.Data.Message.BlobKZGCommitments[0] != bb.Commitments[0] {
		t.Fatal("bid does not carry the blob commitment")
	}
	if built.Payload.BlobGasUsed != params.BlobTxBlobGasPerBlob {
		t.Fatalf("blob gas used %d", built.Payload.BlobGasUsed)
	}
	// The versioned hashes a beacon node derives from the commitments
	// import with the payload.
	if err := tn.node.ImportPayload(ctx, built.Envelope, testBeaconRoot, []common.Hash{blob.BlobHashes()[0]}, nil); err != nil {
		t.Fatalf("import: %v", err)
	}
	rcpt, err := tn.node.Client().TransactionReceipt(ctx, blob.Hash())
	if err != nil || rcpt.Status != types.ReceiptStatusSuccessful || rcpt.BlobGasUsed != params.BlobTxBlobGasPerBlob {
		t.Fatalf("blob tx receipt %+v (%v)", rcpt, err)
	}
}

func TestBuildRefusals(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 2)
	ctx := testCtx(t)
	used := tn.transfer(t, tn.keys[0], 0, 1)
	tn.mine(t, encode(t, used)) // nonce 0 of key 0 is spent
	genesis, err := tn.node.Client().HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	noSidecar := tn.blobTx(t, tn.keys[1], 0, types.BlobSidecarVersion0).WithoutBlobTxSidecar()
	cellProofs := tn.blobTx(t, tn.keys[1], 0, types.BlobSidecarVersion1)
	ok := encode(t, tn.transfer(t, tn.keys[1], 0, 1))

	tests := []struct {
		name    string
		fulu    uint64 // Config.FuluTime
		mutate  func(*BuildRequest)
		wantErr error
		wantMsg string
	}{
		{"promised nonce already used", 0, func(r *BuildRequest) { r.TopTxs = encode(t, used) }, ErrBuild, "nonce too low"},
		{"undecodable tx", 0, func(r *BuildRequest) { r.TopTxs = [][]byte{{0x02, 0x01}} }, ErrBadRequest, "promised tx 0"},
		{"blob tx without sidecar", 0, func(r *BuildRequest) { r.TopTxs = encode(t, noSidecar) }, ErrBadRequest, "no sidecar"},
		{"cell proofs for electra", 1 << 62, func(r *BuildRequest) { r.TopTxs = encode(t, cellProofs) }, ErrBadRequest, "electra"},
		{"unknown parent", 0, func(r *BuildRequest) { r.ParentHash = common.Hash{0x99} }, ErrBuild, "unknown"},
		{"parent not head", 0, func(r *BuildRequest) { r.ParentHash = genesis.Hash() }, ErrBuild, "not current head"},
		{"timestamp not after parent", 0, func(r *BuildRequest) { r.Timestamp -= 12 }, ErrBadRequest, "not after parent"},
		{"too many withdrawals", 0, func(r *BuildRequest) {
			r.Withdrawals = append(r.Withdrawals, r.Withdrawals...)
			r.Withdrawals = append(r.Withdrawals, r.Withdrawals...)
			r.Withdrawals = append(r.Withdrawals, r.Withdrawals...)
			r.Withdrawals = append(r.Withdrawals, r.Withdrawals[0])
		}, ErrBadRequest, "withdrawals"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New(tn.engine, tn.el, newBLSKey(t), Config{GenesisForkVersion: testForkVersion, FuluTime: tc.fulu}, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			req := tn.request(t, ok)
			tc.mutate(&req)
			built, err := b.Build(ctx, req)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if built != nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("err %q does not say %q (built %v)", err, tc.wantMsg, built)
			}
			if n := len(b.cache.order); n != 0 {
				t.Fatalf("%d payloads kept after a failed build", n)
			}
		})
	}
	// The same builder still builds once the request is right.
	b := tn.builder(t)
	if _, err := b.Build(ctx, tn.request(t, ok)); err != nil {
		t.Fatalf("valid build after refusals: %v", err)
	}
}

func TestELUnavailable(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: only then does the server notice the
		// client hanging up and end the request's context.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(hang.Close)
	dial := func(t *testing.T, url string) *rpc.Client {
		c, err := rpc.DialContext(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}
	tests := []struct {
		name     string
		url      string
		ctxLimit time.Duration
		opts     []Option
		wantCtx  bool
	}{
		{"connection refused", closed.URL, 5 * time.Second, nil, false},
		{"hangs past the caller's deadline", hang.URL, 200 * time.Millisecond, nil, true},
		{"hangs past the build timeout", hang.URL, 5 * time.Second, []Option{WithTimeout(200 * time.Millisecond)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, tc.url)
			b := newBuilder(t, c, c, tc.opts...)
			ctx, cancel := context.WithTimeout(context.Background(), tc.ctxLimit)
			defer cancel()
			start := time.Now()
			_, err := b.Build(ctx, BuildRequest{Slot: 1, Timestamp: 12, ParentHash: common.Hash{1}})
			if !errors.Is(err, ErrEL) {
				t.Fatalf("err %v, want ErrEL", err)
			}
			if tc.wantCtx && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err %v does not carry the deadline", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %s to give up", d)
			}
		})
	}
}

// TestForkchoicePath runs against a client without testing_buildBlockV1.
func TestForkchoicePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		poolTip int64 // tip of a competing tx in the pool; 0: none
		wantErr error
	}{
		{"order holds: offered", 0, nil},
		{"higher-paying pool tx goes first: refused", 50, ErrOrderNotForced},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := startNet(t, 2)
			ctx := testCtx(t)
			proxy := &rpcProxy{target: tn.node.HTTPEndpoint(), missing: map[string]bool{methodBuild: true}}
			el, err := rpc.DialContext(ctx, proxy.start(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(el.Close)
			if tc.poolTip > 0 {
				tn.sendToPool(t, tn.transfer(t, tn.keys[1], 0, tc.poolTip))
			}
			promised := tn.transfer(t, tn.keys[0], 0, 1)
			b := newBuilder(t, tn.engine, el)
			req := tn.request(t, encode(t, promised))
			built, err := b.Build(ctx, req)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			// The builder never moves the node's head.
			head, herr := tn.node.Client().HeaderByNumber(ctx, nil)
			if herr != nil || head.Hash() != req.ParentHash {
				t.Fatalf("head moved to %v (%v)", head.Hash(), herr)
			}
			if tc.wantErr != nil {
				if built != nil || len(b.cache.order) != 0 {
					t.Fatal("refused payload was offered or kept")
				}
				return
			}
			if got := txHashes(t, payloadTxs(built)); got[0] != promised.Hash() {
				t.Fatalf("payload opens with %s, want %s", got[0], promised.Hash())
			}
			if err := tn.node.ImportPayload(ctx, built.Envelope, testBeaconRoot, nil, nil); err != nil {
				t.Fatalf("import: %v", err)
			}
		})
	}
}

// TestTamperedBuild has the client answer a different payload than asked:
// the builder's own checks and newPayload must catch it before any offer.
func TestTamperedBuild(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		rewrite func(res map[string]any)
		wantErr error
		wantMsg string
	}{
		{"promised txs swapped", func(res map[string]any) {
			txs := payloadField(res)["transactions"].([]any)
			txs[0], txs[1] = txs[1], txs[0]
		}, ErrPayloadMismatch, "position 0"},
		{"promised tx dropped", func(res map[string]any) {
			p := payloadField(res)
			p["transactions"] = p["transactions"].([]any)[1:]
		}, ErrPayloadMismatch, "1 transactions for 2 promised"},
		{"fee recipient changed", func(res map[string]any) {
			payloadField(res)["feeRecipient"] = hexOf(common.Address{0x66}.Bytes())
		}, ErrPayloadMismatch, "fee recipient"},
		{"prev_randao changed", func(res map[string]any) {
			payloadField(res)["prevRandao"] = hexOf(common.Hash{0x66}.Bytes())
		}, ErrPayloadMismatch, "prev_randao"},
		{"state root changed", func(res map[string]any) {
			payloadField(res)["stateRoot"] = hexOf(common.Hash{0x66}.Bytes())
		}, ErrInvalidPayload, "blockhash mismatch"},
	}
	tn := startNet(t, 2)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			proxy := &rpcProxy{target: tn.node.HTTPEndpoint(), rewrite: map[string]func(map[string]any){methodBuild: tc.rewrite}}
			el, err := rpc.DialContext(ctx, proxy.start(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(el.Close)
			b := newBuilder(t, tn.engine, el)
			req := tn.request(t, encode(t, tn.transfer(t, tn.keys[0], 0, 1), tn.transfer(t, tn.keys[1], 0, 1)))
			built, err := b.Build(ctx, req)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(strings.ToLower(err.Error()), tc.wantMsg) {
				t.Fatalf("err %v, want %v saying %q", err, tc.wantErr, tc.wantMsg)
			}
			if built != nil || len(b.cache.order) != 0 {
				t.Fatal("tampered payload offered or kept")
			}
		})
	}
}

func TestCacheKeepsTheLastFew(t *testing.T) {
	t.Parallel()
	c := newPayloadCache(3)
	mk := func(i byte) *Built {
		return &Built{Payload: newDenebPayload(phase0.Hash32{i})}
	}
	for i := byte(1); i <= 4; i++ {
		c.put(mk(i))
	}
	c.put(mk(4)) // the same block again takes no second place
	for i, want := range []bool{false, true, true, true} {
		if _, ok := c.get(phase0.Hash32{byte(i + 1)}); ok != want {
			t.Errorf("block %d kept %v, want %v", i+1, ok, want)
		}
	}
	if len(c.order) != 3 || len(c.byHash) != 3 {
		t.Fatalf("cache holds %d/%d entries, want 3", len(c.order), len(c.byHash))
	}
}

func TestNewChecksInputs(t *testing.T) {
	t.Parallel()
	c, err := rpc.DialContext(context.Background(), "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sk := newBLSKey(t)
	tests := []struct {
		name   string
		engine EngineClient
		el     EL
		cfg    Config
		opts   []Option
	}{
		{"no engine", nil, c, Config{}, nil},
		{"no el", c, nil, Config{}, nil},
		{"long extra data", c, c, Config{ExtraData: make([]byte, 33)}, nil},
		{"negative pool txs", c, c, Config{}, []Option{WithPoolTxs(-1)}},
		{"keep nothing", c, c, Config{}, []Option{WithKeep(0)}},
		{"zero timeout", c, c, Config{}, []Option{WithTimeout(0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.engine, tc.el, sk, tc.cfg, zerolog.Nop(), tc.opts...); !errors.Is(err, ErrConfig) {
				t.Fatalf("err %v, want ErrConfig", err)
			}
		})
	}
	if _, err := New(c, c, nil, Config{}, zerolog.Nop()); !errors.Is(err, ErrConfig) {
		t.Fatalf("no key: %v", err)
	}
}

// TestPoolExtraThatFailsIsDropped has the pool report a transaction that
// cannot apply (its nonce is ahead of its sender's): the block is built
// again with the promised transactions alone.
func TestPoolExtraThatFailsIsDropped(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 3)
	ctx := testCtx(t)
	good := tn.transfer(t, tn.keys[1], 0, 5)
	tn.sendToPool(t, good)
	gapped := tn.transfer(t, tn.keys[2], 3, 80) // best tip, but nonce 3 of a fresh sender
	gappedJSON, err := gapped.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var gappedObj map[string]any
	if err := json.Unmarshal(gappedJSON, &gappedObj); err != nil {
		t.Fatal(err)
	}
	from := crypto.PubkeyToAddress(tn.keys[2].PublicKey)
	proxy := &rpcProxy{target: tn.node.HTTPEndpoint(), rewrite: map[string]func(map[string]any){
		"txpool_content": func(res map[string]any) {
			pending, _ := res["pending"].(map[string]any)
			pending[from.Hex()] = map[string]any{"3": gappedObj}
		},
	}}
	el, err := rpc.DialContext(ctx, proxy.start(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(el.Close)
	reg := prometheus.NewRegistry()
	b := newBuilder(t, tn.engine, el, WithPoolTxs(8), WithRegisterer(reg))
	promised := tn.transfer(t, tn.keys[0], 0, 1)
	built, err := b.Build(ctx, tn.request(t, encode(t, promised)))
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	got := txHashes(t, payloadTxs(built))
	if len(got) != 1 || got[0] != promised.Hash() {
		t.Fatalf("payload txs %v, want only the promised %s", got, promised.Hash())
	}
	if n := counterValue(t, b.m.extrasDropped); n != 2 {
		t.Fatalf("dropped %v mempool txs, want 2 (the gapped one and the good one with it)", n)
	}
	if n := counterValue(t, b.m.builds.WithLabelValues("ok", pathTesting)); n != 1 {
		t.Fatalf("ok builds counted %v", n)
	}
}

func counterValue(tb testing.TB, c prometheus.Counter) float64 {
	tb.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		tb.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// The own senders' pending transactions (the committer's slot ledgers)
// follow the promised ones even when no mempool transaction is taken, and
// before any that is.
func TestOwnSendersFollowThePromises(t *testing.T) {
	t.Parallel()
	for _, poolTxs := range []int{0, 8} {
		t.Run(fmt.Sprintf("pool txs %d", poolTxs), func(t *testing.T) {
			t.Parallel()
			tn := startNet(t, 4)
			ctx := testCtx(t)
			stranger := tn.transfer(t, tn.keys[2], 0, 90) // the best tip in the pool
			tn.sendToPool(t, stranger)
			own := []*types.Transaction{tn.transfer(t, tn.keys[3], 0, 2), tn.transfer(t, tn.keys[3], 1, 2)}
			for _, tx := range own {
				tn.sendToPool(t, tx)
			}
			b := tn.builder(t, WithPoolTxs(poolTxs), WithOwnSenders(crypto.PubkeyToAddress(tn.keys[3].PublicKey)))
			promised := tn.transfer(t, tn.keys[0], 0, 1)
			built, err := b.Build(ctx, tn.request(t, encode(t, promised)))
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			want := []common.Hash{promised.Hash(), own[0].Hash(), own[1].Hash()}
			if poolTxs > 0 {
				want = append(want, stranger.Hash())
			}
			if got := txHashes(t, payloadTxs(built)); !slices.Equal(got, want) {
				t.Fatalf("payload txs %v, want %v", got, want)
			}
		})
	}
}
