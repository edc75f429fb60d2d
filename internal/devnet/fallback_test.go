package devnet_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	apiv1fulu "github.com/attestantio/go-eth2-client/api/v1/fulu"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/altair"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/relay/builderapi"
)

// fakeBuilder is a builder endpoint that misbehaves on purpose: it builds a
// real payload on the network's EL for the slot announced by OnSlot, then
// answers according to mode.
type fakeBuilder struct {
	t    *testing.T
	n    *devnet.Network
	mode string
	sk   *bls.SecretKey
	srv  *httptest.Server

	mu    sync.Mutex
	info  devnet.SlotInfo
	built *builder.Built
}

func newFakeBuilder(t *testing.T, n *devnet.Network, mode string) *fakeBuilder {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeBuilder{t: t, n: n, mode: mode, sk: sk}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /eth/v1/builder/validators", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /eth/v1/builder/header/{slot}/{parent}/{pubkey}", f.header)
	mux.HandleFunc("POST /eth/v2/builder/blinded_blocks", f.blinded)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	n.OnSlot(func(_ context.Context, info devnet.SlotInfo) {
		f.mu.Lock()
		f.info = info
		f.mu.Unlock()
	})
	n.SetBuilderURL(f.srv.URL)
	return f
}

func (f *fakeBuilder) header(w http.ResponseWriter, r *http.Request) {
	switch f.mode {
	case "500":
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case "slow":
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
		return
	case "garbage":
		_, _ = w.Write([]byte(`{"version":"fulu","data":{"message":{}}}`))
		return
	}
	f.mu.Lock()
	info := f.info
	f.mu.Unlock()
	job := info.BuilderJob()
	built, err := devnet.NewELBuilder(f.n.EL(), 20*time.Millisecond).Build(r.Context(), info.Slot, job.ParentHash, job.Attrs, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	f.mu.Lock()
	f.built = built
	f.mu.Unlock()
	hdr, err := builderapi.HeaderFromPayload(built.Payload)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	bid := &builderapi.BuilderBid{Header: hdr, BlobKZGCommitments: built.BlobsBundle.Commitments, ExecutionRequests: built.ExecutionRequests, Value: built.Value}
	domain := builderapi.BuilderDomain(f.n.RelayConfig().GenesisForkVersion)
	signer := f.sk
	switch f.mode {
	case "badsig":
		other, _, _ := bls.GenerateNewKeypair()
		signer = other
	case "wrongparent":
		hdr.ParentHash = phase0.Hash32{0xde, 0xad}
	case "wrongtime":
		hdr.Timestamp++
	}
	signed, err := builderapi.SignBid(bid, domain, signer)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if f.mode == "badsig" {
		pub, _ := builderapi.PubkeyOf(f.sk)
		signed.Message.Pubkey = pub // claims a key that did not sign
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(&builderapi.VersionedSignedBuilderBid{Version: spec.DataVersionFulu, Data: signed})
}

// blinded answers 202 without publishing (withhold), or publishes the
// block under a forged signature, which the beacon node must refuse (forge).
func (f *fakeBuilder) blinded(w http.ResponseWriter, r *http.Request) {
	var b apiv1electra.SignedBlindedBeaconBlock
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if f.mode == "withhold" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	f.mu.Lock()
	built := f.built
	f.mu.Unlock()
	m := b.Message
	full := &electra.SignedBeaconBlock{
		Message: &electra.BeaconBlock{
			Slot: m.Slot, ProposerIndex: m.ProposerIndex, ParentRoot: m.ParentRoot, StateRoot: m.StateRoot,
			Body: &electra.BeaconBlockBody{
				RANDAOReveal: m.Body.RANDAOReveal, ETH1Data: m.Body.ETH1Data, Graffiti: m.Body.Graffiti,
				ProposerSlashings: m.Body.ProposerSlashings, AttesterSlashings: m.Body.AttesterSlashings,
				Attestations: m.Body.Attestations, Deposits: m.Body.Deposits, VoluntaryExits: m.Body.VoluntaryExits,
				SyncAggregate: m.Body.SyncAggregate, ExecutionPayload: built.Payload,
				BLSToExecutionChanges: m.Body.BLSToExecutionChanges, BlobKZGCommitments: m.Body.BlobKZGCommitments,
				ExecutionRequests: m.Body.ExecutionRequests,
			},
		},
		Signature: b.Signature,
	}
	full.Signature[5] ^= 0xff // forged
	err := devnet.NewBlockPublisher(f.n.BeaconURL(), 0).PublishBlock(r.Context(), &api.VersionedSignedProposal{
		Version: spec.DataVersionFulu, Fulu: &apiv1fulu.SignedBlockContents{SignedBlock: full},
	})
	if err == nil {
		f.t.Error("the beacon node accepted a block with a forged proposer signature")
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if !strings.Contains(err.Error(), "400") {
		f.t.Errorf("forged block: %v, want a 400 refusal", err)
	}
	http.Error(w, err.Error(), http.StatusBadGateway)
}

// TestLocalFallback: whenever the builder offers nothing usable before the
// proposer signs, the slot still gets a block, built locally, and a pool tx
// lands in it.
func TestLocalFallback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(t *testing.T, n *devnet.Network)
	}{
		{"no builder", func(*testing.T, *devnet.Network) {}},
		{"builder down", func(t *testing.T, n *devnet.Network) {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			n.SetBuilderURL(srv.URL)
		}},
		{"relay without bids (204)", func(t *testing.T, n *devnet.Network) {
			n.SetBuilderURL(newRelay(t, n).srv.URL) // nobody builds for it
		}},
		{"500", func(t *testing.T, n *devnet.Network) { newFakeBuilder(t, n, "500") }},
		{"timeout", func(t *testing.T, n *devnet.Network) { newFakeBuilder(t, n, "slow") }},
		{"malformed bid", func(t *testing.T, n *devnet.Network) { newFakeBuilder(t, n, "garbage") }},
		{"bad bid signature", func(t *testing.T, n *devnet.Network) { newFakeBuilder(t, n, "badsig") }},
		{"bid on another parent", func(t *testing.T, n *devnet.Network) { newFakeBuilder(t, n, "wrongparent") }},
		{"bid with another timestamp", func(t *testing.T, n *devnet.Network) { newFakeBuilder(t, n, "wrongtime") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := startNet(t, devnet.Config{BuilderTimeout: 300 * time.Millisecond})
			tc.setup(t, n)
			tx := transfer(t, n, 1, 0)
			rec := step(t, n)
			if rec.Source != devnet.SourceLocal || rec.BlockNumber != 1 || rec.Reason == "" {
				t.Fatalf("record %+v, want a local block 1 with a reason", rec)
			}
			b := blockAt(t, n, 1)
			if b.Time() != n.SlotTime(1) || b.Hash() != rec.BlockHash {
				t.Fatalf("block 1 at %d (%s), want %d (%s)", b.Time(), b.Hash(), n.SlotTime(1), rec.BlockHash)
			}
			if len(b.Transactions()) != 1 || b.Transactions()[0].Hash() != tx.Hash() {
				t.Fatalf("local block holds %d txs, want the pool tx", len(b.Transactions()))
			}
			t.Logf("fell back: %s", rec.Reason)
		})
	}
}

// TestMissedAfterSigning: once the proposer signed a blinded block, a
// builder that never reveals it (or publishes a forged block) costs the
// slot; the next slot builds on the last block.
func TestMissedAfterSigning(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"withhold", "forge"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			n := startNet(t, devnet.Config{SubmitTimeout: 300 * time.Millisecond})
			newFakeBuilder(t, n, mode)
			rec := step(t, n)
			if rec.Source != devnet.SourceMissed || rec.BlockHash != ([32]byte{}) {
				t.Fatalf("record %+v, want a missed slot", rec)
			}
			n.SetBuilderURL("")
			rec = step(t, n)
			if rec.Slot != 2 || rec.Source != devnet.SourceLocal || rec.BlockNumber != 1 {
				t.Fatalf("record %+v, want local block 1 in slot 2", rec)
			}
			if b := blockAt(t, n, 1); b.Time() != n.SlotTime(2) || b.ParentHash() != blockAt(t, n, 0).Hash() {
				t.Fatalf("block 1 at %d on %s", b.Time(), b.ParentHash())
			}
		})
	}
}

// TestSkipSlot: a skipped slot has no block with its timestamp and the next
// block's parent is the block before it.
func TestSkipSlot(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{})
	withRelay(t, n)
	n.SkipSlot(2)
	for range 3 {
		step(t, n)
	}
	recs := n.Records()
	if len(recs) != 3 || recs[1].Source != devnet.SourceSkipped || recs[2].Source != devnet.SourceRelay {
		t.Fatalf("records %+v", recs)
	}
	b1, b2 := blockAt(t, n, 1), blockAt(t, n, 2)
	if b1.Time() != n.SlotTime(1) || b2.Time() != n.SlotTime(3) || b2.ParentHash() != b1.Hash() {
		t.Fatalf("blocks at %d and %d, want %d and %d with block 2 on block 1", b1.Time(), b2.Time(), n.SlotTime(1), n.SlotTime(3))
	}
	if _, err := n.EL().Client().BlockByNumber(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if head, _ := n.EL().Client().BlockNumber(context.Background()); head != 2 {
		t.Fatalf("head is block %d, want 2", head)
	}
}

// TestDropTxs: a proposer told to drop a tx builds locally without it and
// without its sender's later nonces, and keeps other senders' txs.
func TestDropTxs(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{})
	withRelay(t, n)
	dropped := transfer(t, n, 0, 0)
	later := transfer(t, n, 0, 1)
	kept := transfer(t, n, 1, 0)
	n.DropTxs(1, func(tx *types.Transaction) bool { return tx.Hash() == dropped.Hash() })
	rec := step(t, n)
	if rec.Source != devnet.SourceLocal {
		t.Fatalf("record %+v, want a local block", rec)
	}
	txs := blockAt(t, n, 1).Transactions()
	if len(txs) != 1 || txs[0].Hash() != kept.Hash() {
		t.Fatalf("block holds %d txs, want only %s (not %s nor %s)", len(txs), kept.Hash(), dropped.Hash(), later.Hash())
	}
	// The next slot is honest again: the relay's block carries both.
	if rec := step(t, n); rec.Source != devnet.SourceRelay || rec.TxCount != 2 {
		t.Fatalf("next slot %+v, want the relay's block with the 2 txs", rec)
	}
}

// TestPublishRefusesStrayBlocks: the beacon node accepts only the block of
// the slot being proposed.
func TestPublishRefusesStrayBlocks(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{})
	body := &electra.BeaconBlockBody{
		ETH1Data:          &phase0.ETH1Data{BlockHash: make([]byte, 32)},
		SyncAggregate:     &altair.SyncAggregate{SyncCommitteeBits: make([]byte, 64)},
		ExecutionPayload:  &deneb.ExecutionPayload{BaseFeePerGas: uint256.NewInt(7)},
		ExecutionRequests: builderapi.EmptyExecutionRequests(),
	}
	block := &api.VersionedSignedProposal{Version: spec.DataVersionFulu, Fulu: &apiv1fulu.SignedBlockContents{
		SignedBlock: &electra.SignedBeaconBlock{Message: &electra.BeaconBlock{Slot: 7, Body: body}},
	}}
	err := devnet.NewBlockPublisher(n.BeaconURL(), 0).PublishBlock(context.Background(), block)
	if err == nil || !strings.Contains(err.Error(), "not being proposed") {
		t.Fatalf("stray block: %v", err)
	}
	if err := devnet.NewBlockPublisher(n.BeaconURL(), 0).PublishBlock(context.Background(), &api.VersionedSignedProposal{Version: spec.DataVersionDeneb}); err == nil {
		t.Fatal("deneb block accepted")
	}
}
