package builderproxy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/builderproxy"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var (
	genesisForkVersion = phase0.Version{0x10, 0x00, 0x00, 0x38}
	genesisTime        = time.Unix(1_700_000_000, 0)
	parentHash         = phase0.Hash32{0xaa, 0xbb}
	builderDomain      = builderapi.BuilderDomain(genesisForkVersion)
)

const targetSlot = 101

type key struct {
	sk  *bls.SecretKey
	pub phase0.BLSPubKey
}

func newKey(t testing.TB) key {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := builderapi.PubkeyOf(sk)
	if err != nil {
		t.Fatal(err)
	}
	return key{sk, pub}
}

// signedTxs returns n signed transactions in network encoding.
func signedTxs(t testing.TB, n int) [][]byte {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	signer := types.NewPragueSigner(big.NewInt(3151908))
	to := crypto.PubkeyToAddress(k.PublicKey)
	out := make([][]byte, n)
	for i := range n {
		tx := types.MustSignNewTx(k, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(3151908), Nonce: uint64(i), GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(3e9),
			Gas: 21000, To: &to, Value: big.NewInt(int64(i + 1)),
		})
		b, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// payload returns a payload on parentHash holding txs, with a block hash
// derived from its contents (tag tells payloads with equal txs apart).
func payload(txs [][]byte, tag string) *deneb.ExecutionPayload {
	p := &deneb.ExecutionPayload{
		ParentHash: parentHash, FeeRecipient: bellatrix.ExecutionAddress{0xfe}, BlockNumber: targetSlot,
		GasLimit: 30_000_000, GasUsed: 21_000 * uint64(len(txs)), Timestamp: uint64(genesisTime.Unix()) + targetSlot*12,
		ExtraData: []byte(tag), BaseFeePerGas: uint256.NewInt(7),
	}
	h := crypto.NewKeccakState()
	h.Write([]byte(tag))
	for _, tx := range txs {
		p.Transactions = append(p.Transactions, bellatrix.Transaction(tx))
		h.Write(tx)
	}
	h.Read(p.BlockHash[:])
	copy(p.StateRoot[:], crypto.Keccak256(p.BlockHash[:]))
	return p
}

// bidFor signs a bid for p with sk; k > 0 adds a multiproof of p's first k txs.
func bidFor(t testing.TB, sk *bls.SecretKey, p *deneb.ExecutionPayload, k int, value uint64) *builderapi.SignedBuilderBidWithProofs {
	t.Helper()
	header, err := builderapi.HeaderFromPayload(p)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := builderapi.SignBid(&builderapi.BuilderBid{
		Header: header, BlobKZGCommitments: []deneb.KZGCommitment{}, ExecutionRequests: builderapi.EmptyExecutionRequests(),
		Value: uint256.NewInt(value),
	}, builderDomain, sk)
	if err != nil {
		t.Fatal(err)
	}
	out := &builderapi.SignedBuilderBidWithProofs{Message: signed.Message, Signature: signed.Signature}
	if k > 0 {
		txs := make([][]byte, len(p.Transactions))
		for i, tx := range p.Transactions {
			txs[i] = tx
		}
		idx := make([]uint64, k)
		for i := range idx {
			idx[i] = uint64(i)
		}
		mp, err := protocol.NewInclusionMultiProof(txs, idx)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := mp.MarshalSSZ()
		if err != nil {
			t.Fatal(err)
		}
		out.Proofs = &protocol.ConstraintProofs{ConstraintTypes: []uint64{protocol.ConstraintTypeInclusion}, Payloads: [][]byte{enc}}
	}
	return out
}

// fakeRelay answers getHeader and header_with_proofs with a fixed bid (or
// status), after a delay; it counts requests.
type fakeRelay struct {
	srv    *httptest.Server
	bid    *builderapi.SignedBuilderBidWithProofs
	status int
	delay  time.Duration
	hits   atomic.Int64
}

func newFakeRelay(t testing.TB, bid *builderapi.SignedBuilderBidWithProofs, status int, delay time.Duration) *fakeRelay {
	t.Helper()
	f := &fakeRelay{bid: bid, status: status, delay: delay}
	var withProofs, plain []byte
	if bid != nil {
		var err error
		withProofs, err = json.Marshal(&builderapi.VersionedSignedBuilderBidWithProofs{Version: spec.DataVersionFulu, Data: bid})
		if err != nil {
			t.Fatal(err)
		}
		plain, err = json.Marshal(&builderapi.VersionedSignedBuilderBid{Version: spec.DataVersionFulu, Data: bid.Bid()})
		if err != nil {
			t.Fatal(err)
		}
	}
	serve := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			f.hits.Add(1)
			if f.delay > 0 {
				select {
				case <-time.After(f.delay):
				case <-r.Context().Done():
					return
				}
			}
			if f.status != 0 {
				http.Error(w, `{"code":500,"message":"boom"}`, f.status)
				return
			}
			if body == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /constraints/v0/builder/header_with_proofs/{slot}/{parent}/{pubkey}", serve(withProofs))
	mux.HandleFunc("GET /eth/v1/builder/header/{slot}/{parent}/{pubkey}", serve(plain))
	mux.HandleFunc("GET /eth/v1/builder/status", func(w http.ResponseWriter, _ *http.Request) {
		if f.status != 0 {
			w.WriteHeader(f.status)
		}
	})
	mux.HandleFunc("POST /eth/v1/builder/validators", func(w http.ResponseWriter, _ *http.Request) {
		if f.status != 0 {
			w.WriteHeader(f.status)
		}
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// fakeFallback builds a payload with the top txs then one more, signed by
// a real builder key.
type fakeFallback struct {
	t     testing.TB
	sk    *bls.SecretKey
	fail  error
	delay time.Duration
	mu    sync.Mutex
	reqs  []builderproxy.FallbackRequest
	built *builderproxy.FallbackBlock
}

func (f *fakeFallback) Build(ctx context.Context, req builderproxy.FallbackRequest) (*builderproxy.FallbackBlock, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.fail != nil {
		return nil, f.fail
	}
	txs := append(append([][]byte{}, req.TopTxs...), signedTxs(f.t, 1)...)
	p := payload(txs, "fallback")
	p.ParentHash = req.ParentHash
	bid := bidFor(f.t, f.sk, p, 0, 1)
	b := &builderproxy.FallbackBlock{Version: spec.DataVersionFulu, Bid: bid.Bid(), Payload: p, BlobsBundle: &builderapi.BlobsBundle{}}
	f.mu.Lock()
	f.built = b
	f.mu.Unlock()
	return b, nil
}

func (f *fakeFallback) requests() []builderproxy.FallbackRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]builderproxy.FallbackRequest(nil), f.reqs...)
}

// publisher is a fake beacon node recording published blocks.
type publisher struct {
	mu     sync.Mutex
	blocks []*api.VersionedSignedProposal
	err    error
}

func (p *publisher) PublishBlock(_ context.Context, b *api.VersionedSignedProposal) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.blocks = append(p.blocks, b)
	return nil
}

func (p *publisher) published() []*api.VersionedSignedProposal {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*api.VersionedSignedProposal(nil), p.blocks...)
}

// promises is a fixed slot → txs table.
type promises map[uint64][][]byte

func (p promises) TopOfBlock(slot uint64) [][]byte { return p[slot] }

// realRelay is the project's relay on httptest, standing in slot 100.
type realRelay struct {
	relay *relay.Relay
	srv   *httptest.Server
	pub   *publisher
	key   key
}

func newRealRelay(t testing.TB) *realRelay {
	t.Helper()
	rr := &realRelay{pub: &publisher{}, key: newKey(t)}
	now := genesisTime.Add(100*12*time.Second + time.Second)
	r, err := relay.New(rr.key.sk, relay.Config{
		GenesisForkVersion: genesisForkVersion, GenesisTime: genesisTime, SecondsPerSlot: 12, SlotsPerEpoch: 32,
		Forks: []relay.Fork{{Version: spec.DataVersionFulu, ForkVersion: phase0.Version{0x70, 0, 0, 0x38}}},
	}, relay.WithClock(func() time.Time { return now }), relay.WithPublisher(rr.pub))
	if err != nil {
		t.Fatal(err)
	}
	rr.relay = r
	rr.srv = httptest.NewServer(r.Handler())
	t.Cleanup(rr.srv.Close)
	return rr
}

// elFake is a PayloadBuilder: the top txs then extra ones.
type elFake struct {
	extra [][]byte
	value uint64
}

func (e *elFake) Build(_ context.Context, slot uint64, parent phase0.Hash32, attrs builder.PayloadAttributes, top [][]byte) (*builder.Built, error) {
	p := payload(append(append([][]byte{}, top...), e.extra...), "relay-"+strconv.FormatUint(e.value, 10))
	p.ParentHash = parent
	return &builder.Built{Payload: p, Value: uint256.NewInt(e.value)}, nil
}

// submit posts the proposer's constraints for txs (if any) and a builder
// block on top of them, as a compliant builder would.
func (rr *realRelay) submit(t testing.TB, proposer key, txs [][]byte, value uint64) {
	t.Helper()
	if len(txs) > 0 {
		m := &protocol.ConstraintsMessage{Proposer: protocol.BLSPubkey(proposer.pub), Delegate: protocol.BLSPubkey(proposer.pub), Slot: targetSlot}
		for _, tx := range txs {
			m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: tx})
		}
		sc, err := protocol.SignConstraints(m, protocol.NewDomains(genesisForkVersion, 0), proposer.sk)
		if err != nil {
			t.Fatal(err)
		}
		if err := rr.relay.AddConstraints([]*protocol.SignedConstraints{sc}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := builder.New(newKey(t).sk, rr.srv.URL, genesisForkVersion, &elFake{extra: signedTxs(t, 2), value: value})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.BuildAndSubmit(context.Background(), builder.Job{
		Slot: targetSlot, ParentHash: parentHash, Proposer: proposer.pub, FeeRecipient: bellatrix.ExecutionAddress{0xfe},
		Attrs: builder.PayloadAttributes{Timestamp: uint64(genesisTime.Unix()) + targetSlot*12},
	}); err != nil {
		t.Fatal(err)
	}
}

// newProxy serves a proxy on httptest.
func newProxy(t testing.TB, p builderproxy.Promises, relays []string, opts ...builderproxy.Option) (*builderproxy.Proxy, *httptest.Server) {
	t.Helper()
	px, err := builderproxy.New(p, builderproxy.Config{
		GenesisForkVersion: genesisForkVersion, Relays: relays,
		SoftTimeout: 150 * time.Millisecond, HardTimeout: 600 * time.Millisecond,
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(px.Handler())
	t.Cleanup(srv.Close)
	return px, srv
}

func do(t testing.TB, method, url string, body []byte, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// getHeader asks the proxy for the target slot's header; nil on 204.
func getHeader(t testing.TB, url string, proposer phase0.BLSPubKey) *builderapi.VersionedSignedBuilderBid {
	t.Helper()
	code, _, body := do(t, http.MethodGet, fmt.Sprintf("%s/eth/v1/builder/header/%d/%s/%s", url, targetSlot, parentHash, proposer), nil, nil)
	switch code {
	case http.StatusNoContent:
		return nil
	case http.StatusOK:
	default:
		t.Fatalf("getHeader: %d %s", code, body)
	}
	var v builderapi.VersionedSignedBuilderBid
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if err := builderapi.VerifyBid(v.Data, builderDomain); err != nil {
		t.Fatalf("served bid does not verify: %v", err)
	}
	return &v
}

// blindedBlock is the builder-specs Fulu example blinded block carrying bid.
func blindedBlock(t testing.TB, bid *builderapi.BuilderBid) *apiv1electra.SignedBlindedBeaconBlock {
	t.Helper()
	raw, err := os.ReadFile("../../relay/builderapi/testdata/fulu_signed_blinded_beacon_block.json")
	if err != nil {
		t.Fatal(err)
	}
	var wrap struct {
		Value apiv1electra.SignedBlindedBeaconBlock `json:"value"`
	}
	if err := json.Unmarshal(raw, &wrap); err != nil {
		t.Fatal(err)
	}
	b := &wrap.Value
	b.Message.Slot = targetSlot
	b.Message.Body.ExecutionPayloadHeader = bid.Header
	b.Message.Body.BlobKZGCommitments = bid.BlobKZGCommitments
	b.Message.Body.ExecutionRequests = bid.ExecutionRequests
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
