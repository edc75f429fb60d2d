package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// served submits a constrained block and fetches its header, as a proposer
// would before signing.
func (f *fixture) served() *builderapi.BuilderBid {
	f.t.Helper()
	if code, b := f.postConstraints(f.constraints(targetSlot, f.proposer, f.txs[:2])); code != http.StatusOK {
		f.t.Fatalf("constraints: %d %s", code, b)
	}
	if err := f.newBuilder(&fakeEL{extra: f.txs[2:], value: 7}).BuildAndSubmit(context.Background(), f.job()); err != nil {
		f.t.Fatal(err)
	}
	v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0())
	if v == nil {
		f.t.Fatal("no header")
	}
	return v.Data.Message
}

func TestBlindedBlockV1ReturnsPayload(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bid := f.served()
	block := f.blindedBlock(targetSlot, bid, f.proposer)
	code, body := f.do(http.MethodPost, "/eth/v1/builder/blinded_blocks", mustJSON(t, block), map[string]string{"Eth-Consensus-Version": "fulu"})
	if code != http.StatusOK {
		t.Fatalf("status %d %s", code, body)
	}
	var got builderapi.VersionedExecutionPayloadAndBlobsBundle
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != spec.DataVersionFulu || got.Data.ExecutionPayload.BlockHash != bid.Header.BlockHash {
		t.Fatalf("payload for another block")
	}
	h, err := builderapi.HeaderFromPayload(got.Data.ExecutionPayload)
	if err != nil {
		t.Fatal(err)
	}
	hr, _ := h.HashTreeRoot()
	br, _ := bid.Header.HashTreeRoot()
	if hr != br {
		t.Fatal("revealed payload does not match the bid's header")
	}
	if len(got.Data.ExecutionPayload.Transactions) != 3 || string(got.Data.ExecutionPayload.Transactions[0]) != string(f.txs[0]) {
		t.Fatal("payload transactions differ")
	}
	// The same block again (mev-boost retries) gets the same answer.
	if code, _ := f.do(http.MethodPost, "/eth/v1/builder/blinded_blocks", mustJSON(t, block), nil); code != http.StatusOK {
		t.Fatalf("retry: %d", code)
	}
}

func TestBlindedBlockV2PublishesAnd202(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bid := f.served()
	block := f.blindedBlock(targetSlot, bid, f.proposer)
	sszBody, err := block.MarshalSSZ()
	if err != nil {
		t.Fatal(err)
	}
	code, body := f.do(http.MethodPost, "/eth/v2/builder/blinded_blocks", sszBody, map[string]string{
		"Content-Type": "application/octet-stream", "Eth-Consensus-Version": "fulu"})
	if code != http.StatusAccepted || len(body) != 0 {
		t.Fatalf("status %d %s, want 202", code, body)
	}
	pub := f.pub.published()
	if len(pub) != 1 || pub[0].Version != spec.DataVersionFulu || pub[0].Fulu == nil {
		t.Fatalf("published %d blocks", len(pub))
	}
	full := pub[0].Fulu.SignedBlock
	if full.Signature != block.Signature || full.Message.Body.ExecutionPayload.BlockHash != bid.Header.BlockHash {
		t.Fatal("published block is not the signed one with the bid's payload")
	}
	// The unblinded block has the blinded block's root: the proposer's
	// signature is valid on it.
	fr, _ := full.Message.HashTreeRoot()
	br, _ := block.Message.HashTreeRoot()
	if fr != br {
		t.Fatal("unblinded block root differs from the signed blinded block's")
	}
}

func TestBlindedBlockV2PublishFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.pub.err = errors.New("beacon node down")
	bid := f.served()
	code, _ := f.do(http.MethodPost, "/eth/v2/builder/blinded_blocks", mustJSON(t, f.blindedBlock(targetSlot, bid, f.proposer)), nil)
	if code != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", code)
	}
}

func TestBlindedBlockRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		block func(f *fixture, bid *builderapi.BuilderBid) *apiv1electra.SignedBlindedBeaconBlock
	}{
		{"header not served", func(f *fixture, bid *builderapi.BuilderBid) *apiv1electra.SignedBlindedBeaconBlock {
			other := *bid
			h := *bid.Header
			h.BlockHash[0] ^= 1
			other.Header = &h
			return f.blindedBlock(targetSlot, &other, f.proposer)
		}},
		{"served hash, other header", func(f *fixture, bid *builderapi.BuilderBid) *apiv1electra.SignedBlindedBeaconBlock {
			other := *bid
			h := *bid.Header
			h.GasUsed++
			other.Header = &h
			return f.blindedBlock(targetSlot, &other, f.proposer)
		}},
		{"other slot", func(f *fixture, bid *builderapi.BuilderBid) *apiv1electra.SignedBlindedBeaconBlock {
			return f.blindedBlock(targetSlot+1, bid, f.proposer)
		}},
		{"not signed by the proposer", func(f *fixture, bid *builderapi.BuilderBid) *apiv1electra.SignedBlindedBeaconBlock {
			return f.blindedBlock(targetSlot, bid, f.stranger)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			bid := f.served()
			for _, path := range []string{"/eth/v1/builder/blinded_blocks", "/eth/v2/builder/blinded_blocks"} {
				code, body := f.do(http.MethodPost, path, mustJSON(t, tc.block(f, bid)), nil)
				if code != http.StatusBadRequest {
					t.Fatalf("%s: status %d %s, want 400", path, code, body)
				}
			}
			if n := len(f.pub.published()); n != 0 {
				t.Fatalf("%d blocks published", n)
			}
		})
	}
}

func TestSecondBlockForSlotRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bid := f.served()
	first := f.blindedBlock(targetSlot, bid, f.proposer)
	if code, b := f.do(http.MethodPost, "/eth/v2/builder/blinded_blocks", mustJSON(t, first), nil); code != http.StatusAccepted {
		t.Fatalf("first: %d %s", code, b)
	}
	second := f.blindedBlock(targetSlot, bid, f.proposer)
	second.Message.Body.Graffiti[0] ^= 1
	f.signBlinded(second, f.proposer)
	if code, _ := f.do(http.MethodPost, "/eth/v2/builder/blinded_blocks", mustJSON(t, second), nil); code != http.StatusBadRequest {
		t.Fatalf("second block for the slot: %d, want 400", code)
	}
	if n := len(f.pub.published()); n != 1 {
		t.Fatalf("%d blocks published, want 1", n)
	}
}
