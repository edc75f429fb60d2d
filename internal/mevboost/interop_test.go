package mevboost_test

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
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/internal/mevboost"
	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The interop network: a Fulu-from-genesis chain with 12 s slots.
var (
	interopGenesisForkVersion = phase0.Version{0x10, 0x00, 0x00, 0x38}
	interopFuluForkVersion    = phase0.Version{0x70, 0x00, 0x00, 0x38}
	interopValidatorsRoot     = phase0.Root{0x42, 0x01}
	interopParentHash         = phase0.Hash32{0xaa, 0xbb, 0xcc}
)

const (
	interopSlot           = 1000
	interopSecondsPerSlot = 12
	interopChainID        = 3151908
	interopValueWei       = 7_000_000_000 // mev-boost drops zero-value bids
)

// blockPublisher stands in for the relay's beacon node.
type blockPublisher struct {
	mu     sync.Mutex
	blocks []*api.VersionedSignedProposal
}

func (p *blockPublisher) PublishBlock(_ context.Context, b *api.VersionedSignedProposal) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.blocks = append(p.blocks, b)
	return nil
}

func (p *blockPublisher) published() []*api.VersionedSignedProposal {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*api.VersionedSignedProposal(nil), p.blocks...)
}

// pathCounter counts the requests the relay gets per path, to show which
// endpoints mev-boost used.
type pathCounter struct {
	mu sync.Mutex
	n  map[string]int
	h  http.Handler
}

func (c *pathCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.n[r.URL.Path]++
	c.mu.Unlock()
	c.h.ServeHTTP(w, r)
}

func (c *pathCounter) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

// staticEL is a builder.PayloadBuilder that plays the execution client: the
// payload is the constrained transactions then extra ones, with a block hash
// derived from its inputs (no EL checks it on this path: mev-boost and the
// relay compare hashes and roots, they do not execute).
type staticEL struct{ extra [][]byte }

func (e staticEL) Build(_ context.Context, slot uint64, parent phase0.Hash32, attrs builder.PayloadAttributes, top [][]byte) (*builder.Built, error) {
	txs := append(append([][]byte{}, top...), e.extra...)
	p := &deneb.ExecutionPayload{
		ParentHash:    parent,
		FeeRecipient:  attrs.SuggestedFeeRecipient,
		BlockNumber:   slot,
		GasLimit:      30_000_000,
		GasUsed:       21_000 * uint64(len(txs)),
		Timestamp:     attrs.Timestamp,
		ExtraData:     []byte("pledge interop"),
		BaseFeePerGas: uint256.NewInt(7),
		Withdrawals:   attrs.Withdrawals,
	}
	for _, tx := range txs {
		p.Transactions = append(p.Transactions, bellatrix.Transaction(tx))
	}
	h := crypto.Keccak256(parent[:], []byte(strconv.FormatUint(slot, 10)), []byte(strconv.Itoa(len(txs))))
	copy(p.BlockHash[:], h)
	copy(p.StateRoot[:], crypto.Keccak256(h))
	return &builder.Built{Payload: p, Value: uint256.NewInt(interopValueWei)}, nil
}

func newBLSKey(t *testing.T) (*bls.SecretKey, phase0.BLSPubKey) {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := builderapi.PubkeyOf(sk)
	if err != nil {
		t.Fatal(err)
	}
	return sk, pub
}

func signedTransfers(t *testing.T, n int) [][]byte {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	to := crypto.PubkeyToAddress(k.PublicKey)
	signer := types.NewPragueSigner(big.NewInt(interopChainID))
	out := make([][]byte, n)
	for i := range n {
		tx := types.MustSignNewTx(k, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(interopChainID), Nonce: uint64(i), GasTipCap: big.NewInt(1e9),
			GasFeeCap: big.NewInt(3e9), Gas: 21_000, To: &to, Value: big.NewInt(int64(i + 1)),
		})
		if out[i], err = tx.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// call sends a request and returns status, headers and body.
func call(t *testing.T, method, url string, body []byte, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
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

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blindedBlock is the builder-specs Fulu example blinded block (the relay's
// own test vector) carrying bid's header, commitments and requests at slot,
// signed by the proposer under the Fulu proposer domain, as a validator
// client would sign it.
func blindedBlock(t *testing.T, slot uint64, bid *builderapi.BuilderBid, proposer *bls.SecretKey) *apiv1electra.SignedBlindedBeaconBlock {
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
	b.Message.Slot = phase0.Slot(slot)
	b.Message.Body.ExecutionPayloadHeader = bid.Header
	b.Message.Body.BlobKZGCommitments = bid.BlobKZGCommitments
	b.Message.Body.ExecutionRequests = bid.ExecutionRequests
	domain := boostssz.ComputeDomain(boostssz.DomainTypeBeaconProposer, interopFuluForkVersion, interopValidatorsRoot)
	if b.Signature, err = boostssz.SignMessage(b.Message, domain, proposer); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInteropWithPledgeRelay runs the real flashbots mev-boost against the
// Pledge relay: a validator registration goes through, a builder block with
// constraint proofs submitted to the relay comes back from mev-boost's
// getHeader with the relay's signature intact, and a signed blinded block
// sent to mev-boost is unblinded by the relay (v1: payload returned; v2:
// 202 and the relay publishes).
func TestInteropWithPledgeRelay(t *testing.T) {
	if os.Getenv(mevboost.EnvBinary) == "" {
		t.Skipf("mev-boost %s not built: run PLEDGE_MEVBOOST=$(scripts/build-mevboost.sh) go test ./internal/mevboost/", mevboost.Version)
	}
	bin, err := mevboost.BinaryFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	relaySK, relayPub := newBLSKey(t)
	proposerSK, proposerPub := newBLSKey(t)
	builderSK, _ := newBLSKey(t)
	feeRecipient := bellatrix.ExecutionAddress{0xfe, 0xe0}

	// Both mev-boost and the relay run on the wall clock: genesis is put so
	// that interopSlot began at the last whole second, and the whole flow
	// fits well inside its 12 s.
	genesis := time.Now().Truncate(time.Second).Add(-interopSlot * interopSecondsPerSlot * time.Second)
	pub := &blockPublisher{}
	r, err := relay.New(relaySK, relay.Config{
		GenesisForkVersion:    interopGenesisForkVersion,
		GenesisTime:           genesis,
		SecondsPerSlot:        interopSecondsPerSlot,
		SlotsPerEpoch:         32,
		Forks:                 []relay.Fork{{Version: spec.DataVersionFulu, Epoch: 0, ForkVersion: interopFuluForkVersion}},
		GenesisValidatorsRoot: interopValidatorsRoot,
	}, relay.WithPublisher(pub))
	if err != nil {
		t.Fatal(err)
	}
	counter := &pathCounter{n: map[string]int{}, h: r.Handler()}
	relaySrv := httptest.NewServer(counter)
	t.Cleanup(relaySrv.Close)

	relayURL, err := mevboost.RelayURL(relaySrv.URL, relayPub)
	if err != nil {
		t.Fatal(err)
	}
	var boostLog bytes.Buffer
	var boostLogMu sync.Mutex
	boost, err := mevboost.Start(ctx, mevboost.Config{
		Binary:             bin,
		RelayURLs:          []string{relayURL},
		GenesisForkVersion: interopGenesisForkVersion,
		GenesisTime:        genesis,
		SecondsPerSlot:     interopSecondsPerSlot,
		// A slow machine must not push getHeader past mev-boost's 2 s
		// late-in-slot cut-off (it would answer 204 without asking the relay).
		LateInSlot: 10 * time.Second,
		LogLevel:   "debug",
		Output:     lockedWriter{mu: &boostLogMu, w: &boostLog},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := boost.Stop(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			boostLogMu.Lock()
			t.Logf("mev-boost output:\n%s", boostLog.String())
			boostLogMu.Unlock()
		}
	})

	t.Run("register validator", func(t *testing.T) {
		reg, err := builderapi.SignRegistration(&apiv1.ValidatorRegistration{
			FeeRecipient: feeRecipient, GasLimit: 30_000_000, Timestamp: time.Now().Truncate(time.Second),
		}, builderapi.BuilderDomain(interopGenesisForkVersion), proposerSK)
		if err != nil {
			t.Fatal(err)
		}
		code, _, body := call(t, http.MethodPost, boost.URL()+"/eth/v1/builder/validators",
			mustJSON(t, []*apiv1.SignedValidatorRegistration{reg}), map[string]string{"Content-Type": "application/json"})
		if code != http.StatusOK {
			t.Fatalf("mev-boost registerValidator: %d %s", code, body)
		}
		got := r.Registration(proposerPub)
		if got == nil || got.Message.FeeRecipient != feeRecipient {
			t.Fatal("the relay did not store the registration mev-boost forwarded")
		}
	})

	// The proposer's constraints for the slot, then a builder block proving them.
	txs := signedTransfers(t, 3)
	cm := &protocol.ConstraintsMessage{Proposer: protocol.BLSPubkey(proposerPub), Delegate: protocol.BLSPubkey(proposerPub), Slot: interopSlot}
	for _, tx := range txs[:2] {
		cm.Constraints = append(cm.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: tx})
	}
	sc, err := protocol.SignConstraints(cm, protocol.NewDomains(interopGenesisForkVersion, 0), proposerSK)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, body := call(t, http.MethodPost, relaySrv.URL+"/constraints/v0/builder/constraints",
		mustJSON(t, []*protocol.SignedConstraints{sc}), map[string]string{"Content-Type": "application/json"}); code != http.StatusOK {
		t.Fatalf("post constraints: %d %s", code, body)
	}
	b, err := builder.New(builderSK, relaySrv.URL, interopGenesisForkVersion, staticEL{extra: txs[2:]})
	if err != nil {
		t.Fatal(err)
	}
	job := builder.Job{
		Slot: interopSlot, ParentHash: interopParentHash, Proposer: proposerPub, FeeRecipient: feeRecipient,
		Attrs: builder.PayloadAttributes{
			Timestamp:             uint64(genesis.Unix()) + interopSlot*interopSecondsPerSlot,
			SuggestedFeeRecipient: feeRecipient,
		},
	}
	if err := b.BuildAndSubmit(ctx, job); err != nil {
		t.Fatalf("builder submission with proofs: %v", err)
	}

	var bid *builderapi.BuilderBid
	t.Run("get header", func(t *testing.T) {
		path := fmt.Sprintf("/eth/v1/builder/header/%d/%s/%s", interopSlot, interopParentHash, proposerPub)
		code, _, body := call(t, http.MethodGet, boost.URL()+path, nil, map[string]string{"Accept": "application/json"})
		if code != http.StatusOK {
			t.Fatalf("mev-boost getHeader: %d %s", code, body)
		}
		var got builderapi.VersionedSignedBuilderBid
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("decode mev-boost's bid: %v: %s", err, body)
		}
		if got.Version != spec.DataVersionFulu || got.Data == nil || got.Data.Message == nil {
			t.Fatalf("bid version %s, want fulu with a message", got.Version)
		}
		m := got.Data.Message
		if m.Pubkey != relayPub || m.Value.Uint64() != interopValueWei || m.Header.ParentHash != interopParentHash {
			t.Fatalf("bid pubkey %s value %s parent %s: not the relay's bid", m.Pubkey, m.Value.Dec(), m.Header.ParentHash)
		}
		// mev-boost re-encodes the bid; the relay's signature must still hold.
		if err := builderapi.VerifyBid(got.Data, builderapi.BuilderDomain(interopGenesisForkVersion)); err != nil {
			t.Fatalf("relay signature after mev-boost: %v", err)
		}
		if counter.count("/eth/v1/builder/header/"+strconv.Itoa(interopSlot)+"/"+interopParentHash.String()+"/"+proposerPub.String()) != 1 {
			t.Fatal("mev-boost did not ask the relay for the header")
		}
		bid = m
	})
	if bid == nil {
		t.FailNow()
	}
	block := blindedBlock(t, interopSlot, bid, proposerSK)
	hdr := map[string]string{"Content-Type": "application/json", "Accept": "application/json", "Eth-Consensus-Version": "fulu"}

	t.Run("blinded block v1 returns the payload", func(t *testing.T) {
		code, _, body := call(t, http.MethodPost, boost.URL()+"/eth/v1/builder/blinded_blocks", mustJSON(t, block), hdr)
		if code != http.StatusOK {
			t.Fatalf("mev-boost submitBlindedBlock v1: %d %s", code, body)
		}
		var got builderapi.VersionedExecutionPayloadAndBlobsBundle
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("decode payload: %v", err)
		}
		if got.Version != spec.DataVersionFulu || got.Data == nil || got.Data.ExecutionPayload == nil {
			t.Fatalf("payload version %s, want fulu with a payload", got.Version)
		}
		p := got.Data.ExecutionPayload
		h, err := builderapi.HeaderFromPayload(p)
		if err != nil {
			t.Fatal(err)
		}
		hr, _ := h.HashTreeRoot()
		br, _ := bid.Header.HashTreeRoot()
		if hr != br {
			t.Fatal("payload from mev-boost does not match the signed header")
		}
		if len(p.Transactions) != 3 || !bytes.Equal(p.Transactions[0], txs[0]) || !bytes.Equal(p.Transactions[1], txs[1]) {
			t.Fatal("constrained transactions are not at the top of the payload")
		}
	})

	// Beacon nodes ask mev-boost for SSZ; the relay answers JSON, so
	// mev-boost converts both ways. The relay's signature and the payload
	// must survive the conversions.
	t.Run("get header as SSZ", func(t *testing.T) {
		path := fmt.Sprintf("/eth/v1/builder/header/%d/%s/%s", interopSlot, interopParentHash, proposerPub)
		code, h, body := call(t, http.MethodGet, boost.URL()+path, nil, map[string]string{"Accept": "application/octet-stream;q=1.0,application/json;q=0.9"})
		if code != http.StatusOK {
			t.Fatalf("mev-boost getHeader: %d %s", code, body)
		}
		if ct, v := h.Get("Content-Type"), h.Get("Eth-Consensus-Version"); ct != "application/octet-stream" || v != "fulu" {
			t.Fatalf("Content-Type %q Eth-Consensus-Version %q, want SSZ fulu", ct, v)
		}
		var got builderapi.SignedBuilderBid
		if err := got.UnmarshalSSZ(body); err != nil {
			t.Fatalf("decode SSZ bid: %v", err)
		}
		if got.Message.Header.BlockHash != bid.Header.BlockHash {
			t.Fatal("SSZ bid is for another block")
		}
		if err := builderapi.VerifyBid(&got, builderapi.BuilderDomain(interopGenesisForkVersion)); err != nil {
			t.Fatalf("relay signature after mev-boost's SSZ encoding: %v", err)
		}
	})

	t.Run("blinded block v1 as SSZ", func(t *testing.T) {
		sszBlock, err := block.MarshalSSZ()
		if err != nil {
			t.Fatal(err)
		}
		code, h, body := call(t, http.MethodPost, boost.URL()+"/eth/v1/builder/blinded_blocks", sszBlock, map[string]string{
			"Content-Type": "application/octet-stream", "Accept": "application/octet-stream", "Eth-Consensus-Version": "fulu"})
		if code != http.StatusOK {
			t.Fatalf("mev-boost submitBlindedBlock v1 (SSZ): %d %s", code, body)
		}
		if ct := h.Get("Content-Type"); ct != "application/octet-stream" {
			t.Fatalf("Content-Type %q, want SSZ", ct)
		}
		var got builderapi.ExecutionPayloadAndBlobsBundle
		if err := got.UnmarshalSSZ(body); err != nil {
			t.Fatalf("decode SSZ payload: %v", err)
		}
		if got.ExecutionPayload == nil || got.ExecutionPayload.BlockHash != bid.Header.BlockHash || len(got.ExecutionPayload.Transactions) != 3 {
			t.Fatal("SSZ payload is not the bid's")
		}
	})

	t.Run("blinded block v2 answers 202 and the relay publishes", func(t *testing.T) {
		// The relay also publishes on v1 when it has a beacon node, so count
		// from here.
		before := len(pub.published())
		code, _, body := call(t, http.MethodPost, boost.URL()+"/eth/v2/builder/blinded_blocks", mustJSON(t, block), hdr)
		if code != http.StatusAccepted {
			t.Fatalf("mev-boost submitBlindedBlock v2: %d %s, want 202", code, body)
		}
		if n := counter.count("/eth/v2/builder/blinded_blocks"); n != 1 {
			t.Fatalf("relay got %d v2 calls, want 1 (no fallback to v1)", n)
		}
		// mev-boost answers 202 on the first relay success; the publish
		// happened before the relay answered.
		blocks := pub.published()[before:]
		if len(blocks) != 1 || blocks[0].Fulu == nil {
			t.Fatalf("relay published %d blocks on v2, want 1 fulu block", len(blocks))
		}
		full := blocks[0].Fulu.SignedBlock
		if full.Signature != block.Signature || full.Message.Body.ExecutionPayload.BlockHash != bid.Header.BlockHash {
			t.Fatal("published block is not the proposer's with the bid's payload")
		}
	})
}

// lockedWriter serialises writes from mev-boost's stdout and stderr copiers.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
