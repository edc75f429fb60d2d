package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// submit posts a submission and returns the status and body.
func (f *fixture) submit(sub *builderapi.SubmitBlockRequest) (int, []byte) {
	f.t.Helper()
	return f.do(http.MethodPost, "/constraints/v0/relay/blocks_with_proofs", mustJSON(f.t, sub), nil)
}

// headerWithProofs fetches header_with_proofs; nil on 204.
func (f *fixture) headerWithProofs(slot uint64, parent phase0.Hash32, proposer phase0.BLSPubKey) *builderapi.VersionedSignedBuilderBidWithProofs {
	f.t.Helper()
	code, body := f.do(http.MethodGet, headerPath("/constraints/v0/builder/header_with_proofs", slot, parent, proposer), nil, nil)
	if code == http.StatusNoContent {
		return nil
	}
	if code != http.StatusOK {
		f.t.Fatalf("header_with_proofs: %d %s", code, body)
	}
	var v builderapi.VersionedSignedBuilderBidWithProofs
	if err := json.Unmarshal(body, &v); err != nil {
		f.t.Fatalf("decode %s: %v", body, err)
	}
	return &v
}

// submission builds a signed submission whose payload holds el's
// transactions, proved against top (which may differ from the relay's
// constraints, to play a dishonest builder).
func (f *fixture) submission(el *fakeEL, top [][]byte) *builderapi.SubmitBlockRequest {
	f.t.Helper()
	b := f.newBuilder(el)
	job := f.job()
	built, err := el.Build(context.Background(), job.Slot, job.ParentHash, job.Attrs, top)
	if err != nil {
		f.t.Fatal(err)
	}
	sub, err := b.Submission(job, built, top)
	if err != nil {
		f.t.Fatal(err)
	}
	return sub
}

func TestBuilderSubmissionServedWithProofs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	constrained := f.txs[:2]
	if code, b := f.postConstraints(f.constraints(targetSlot, f.proposer, constrained)); code != http.StatusOK {
		t.Fatalf("constraints: %d %s", code, b)
	}
	if got := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0()); got != nil {
		t.Fatal("a header before any submission")
	}
	el := &fakeEL{extra: signedTxs(t, 2), value: 1e9}
	if err := f.newBuilder(el).BuildAndSubmit(context.Background(), f.job()); err != nil {
		t.Fatalf("build and submit: %v", err)
	}

	v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0())
	if v == nil {
		t.Fatal("no header after a valid submission")
	}
	if v.Version != spec.DataVersionFulu {
		t.Fatalf("version %s", v.Version)
	}
	// What a proposer (the sidecar) checks: the relay signed the bid, and the
	// proof shows the constrained transactions open the block, in order.
	if v.Data.Message.Pubkey != f.relay.Pubkey() {
		t.Fatal("bid not signed by the relay's key")
	}
	if err := builderapi.VerifyBid(v.Data.Bid(), f.bdomain); err != nil {
		t.Fatalf("bid signature: %v", err)
	}
	if len(v.Data.Proofs.ConstraintTypes) != 1 || v.Data.Proofs.ConstraintTypes[0] != protocol.ConstraintTypeInclusion {
		t.Fatalf("proofs %+v", v.Data.Proofs)
	}
	var mp protocol.InclusionMultiProof
	if err := mp.UnmarshalSSZ(v.Data.Proofs.Payloads[0]); err != nil {
		t.Fatal(err)
	}
	root := v.Data.Message.Header.TransactionsRoot
	if err := protocol.VerifyTopOfBlock(root, constrained, &mp); err != nil {
		t.Fatalf("client-side proof check: %v", err)
	}
	if err := protocol.VerifyTopOfBlock(root, [][]byte{constrained[1], constrained[0]}, &mp); err == nil {
		t.Fatal("proof verifies for the wrong order")
	}
	if v.Data.Message.Value.Cmp(uint256.NewInt(1e9)) != 0 {
		t.Fatalf("value %s", v.Data.Message.Value)
	}

	// The plain Builder API serves the same bid.
	code, body := f.do(http.MethodGet, headerPath("/eth/v1/builder/header", targetSlot, parentHash, f.proposer.p0()), nil, nil)
	if code != http.StatusOK {
		t.Fatalf("getHeader: %d %s", code, body)
	}
	var plain builderapi.VersionedSignedBuilderBid
	if err := json.Unmarshal(body, &plain); err != nil {
		t.Fatal(err)
	}
	if plain.Data.Signature != v.Data.Signature {
		t.Fatal("getHeader serves another bid than header_with_proofs")
	}
}

func TestBuilderSubmissionRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sub  func(f *fixture) *builderapi.SubmitBlockRequest
	}{
		{"missing a constrained transaction", func(f *fixture) *builderapi.SubmitBlockRequest {
			return f.submission(&fakeEL{extra: f.txs[2:], value: 5}, f.txs[:1])
		}},
		{"wrong order", func(f *fixture) *builderapi.SubmitBlockRequest {
			return f.submission(&fakeEL{value: 5}, [][]byte{f.txs[1], f.txs[0]})
		}},
		{"constrained transactions not at the top", func(f *fixture) *builderapi.SubmitBlockRequest {
			return f.submission(&fakeEL{value: 5, mutate: func(txs [][]byte) [][]byte {
				return append([][]byte{f.txs[2]}, txs...)
			}}, [][]byte{f.txs[2]})
		}},
		{"no proofs", func(f *fixture) *builderapi.SubmitBlockRequest {
			sub := f.submission(&fakeEL{value: 5}, f.txs[:2])
			sub.Proofs = nil
			return sub
		}},
		{"bad proof", func(f *fixture) *builderapi.SubmitBlockRequest {
			sub := f.submission(&fakeEL{value: 5}, f.txs[:2])
			var mp protocol.InclusionMultiProof
			if err := mp.UnmarshalSSZ(sub.Proofs.Payloads[0]); err != nil {
				f.t.Fatal(err)
			}
			mp.Hashes[0][0] ^= 1
			enc, _ := mp.MarshalSSZ()
			sub.Proofs.Payloads[0] = enc
			return sub
		}},
		{"undecodable proof", func(f *fixture) *builderapi.SubmitBlockRequest {
			sub := f.submission(&fakeEL{value: 5}, f.txs[:2])
			sub.Proofs.Payloads[0] = []byte{1, 2, 3}
			return sub
		}},
		{"bad builder signature", func(f *fixture) *builderapi.SubmitBlockRequest {
			sub := f.submission(&fakeEL{value: 5}, f.txs[:2])
			sub.Message.Value = uint256.NewInt(500) // signed for 5
			return sub
		}},
		{"trace disagrees with payload", func(f *fixture) *builderapi.SubmitBlockRequest {
			sub := f.submission(&fakeEL{value: 5}, f.txs[:2])
			sub.ExecutionPayload.BlockHash[0] ^= 1
			return sub
		}},
		{"past slot", func(f *fixture) *builderapi.SubmitBlockRequest {
			sub := f.submission(&fakeEL{value: 5}, f.txs[:2])
			sub.Message.Slot = currentSlot - 1
			return sub
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if code, b := f.postConstraints(f.constraints(targetSlot, f.proposer, f.txs[:2])); code != http.StatusOK {
				t.Fatalf("constraints: %d %s", code, b)
			}
			code, body := f.submit(tc.sub(f))
			if code != http.StatusBadRequest {
				t.Fatalf("status %d (%s), want 400", code, body)
			}
			if v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0()); v != nil {
				t.Fatal("a refused submission is served")
			}
		})
	}
}

func TestBuilderCatchesNonCompliantExecutionClient(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if code, b := f.postConstraints(f.constraints(targetSlot, f.proposer, f.txs[:2])); code != http.StatusOK {
		t.Fatalf("constraints: %d %s", code, b)
	}
	swap := &fakeEL{value: 5, mutate: func(txs [][]byte) [][]byte { return append([][]byte{txs[1], txs[0]}, txs[2:]...) }}
	err := f.newBuilder(swap).BuildAndSubmit(context.Background(), f.job())
	if !errors.Is(err, builder.ErrPayload) {
		t.Fatalf("want ErrPayload, got %v", err)
	}
}

func TestBidCheckedAgainstLaterConstraints(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if code, b := f.postConstraints(f.constraints(targetSlot, f.proposer, f.txs[:1])); code != http.StatusOK {
		t.Fatalf("constraints: %d %s", code, b)
	}
	if err := f.newBuilder(&fakeEL{value: 5}).BuildAndSubmit(context.Background(), f.job()); err != nil {
		t.Fatal(err)
	}
	if f.headerWithProofs(targetSlot, parentHash, f.proposer.p0()) == nil {
		t.Fatal("no header")
	}
	// A second batch after the bid: the bid no longer proves every constraint.
	if code, b := f.postConstraints(f.constraints(targetSlot, f.proposer, f.txs[1:2])); code != http.StatusOK {
		t.Fatalf("constraints: %d %s", code, b)
	}
	if f.headerWithProofs(targetSlot, parentHash, f.proposer.p0()) != nil {
		t.Fatal("a bid that misses later constraints is still served")
	}
	if err := f.newBuilder(&fakeEL{value: 4}).BuildAndSubmit(context.Background(), f.job()); err != nil {
		t.Fatal(err)
	}
	v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0())
	if v == nil || v.Data.Message.Value.Uint64() != 4 {
		t.Fatal("the rebuilt bid is not served")
	}
}

func TestBestBidAndNoConstraints(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// No constraints: any block is fine, proofs or not.
	low := f.submission(&fakeEL{value: 3}, nil)
	if code, b := f.submit(low); code != http.StatusOK {
		t.Fatalf("submit: %d %s", code, b)
	}
	other := newKey(t)
	hb, err := builder.New(other.sk, f.srv.URL, genesisForkVersion, &fakeEL{value: 9})
	if err != nil {
		t.Fatal(err)
	}
	if err := hb.BuildAndSubmit(context.Background(), f.job()); err != nil {
		t.Fatal(err)
	}
	v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0())
	if v == nil || v.Data.Message.Value.Uint64() != 9 {
		t.Fatalf("best bid not served")
	}
	if v := f.headerWithProofs(targetSlot, phase0.Hash32{0x01}, f.proposer.p0()); v != nil {
		t.Fatal("a bid served for another parent")
	}
	if v := f.headerWithProofs(targetSlot, parentHash, f.stranger.p0()); v != nil {
		t.Fatal("a bid served for another proposer")
	}
}

func TestGetHeaderNoBid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	code, body := f.do(http.MethodGet, headerPath("/eth/v1/builder/header", targetSlot, parentHash, f.proposer.p0()), nil, nil)
	if code != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("status %d body %q, want 204 and no body", code, body)
	}
	if code, _ := f.do(http.MethodGet, "/eth/v1/builder/header/x/0x00/0x00", nil, nil); code != http.StatusBadRequest {
		t.Fatalf("malformed path: %d, want 400", code)
	}
}
