package builderapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

const (
	versionElectra = spec.DataVersionElectra
	versionFulu    = spec.DataVersionFulu
)

// seedSubmission is a valid submission document.
func seedSubmission(t testing.TB) []byte {
	t.Helper()
	p := &deneb.ExecutionPayload{
		BaseFeePerGas: uint256.NewInt(7),
		Transactions:  []bellatrix.Transaction{{0x02, 0xc0}, {0x01}},
		ExtraData:     []byte{},
	}
	mp, err := protocol.NewInclusionMultiProof([][]byte{{0x02, 0xc0}, {0x01}}, []uint64{0})
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := mp.MarshalSSZ()
	r := &SubmitBlockRequest{
		Message:          &BidTrace{Slot: 5, Value: uint256.NewInt(9), GasLimit: 30e6},
		ExecutionPayload: p,
		BlobsBundle:      &BlobsBundle{},
		Proofs:           &protocol.ConstraintProofs{ConstraintTypes: []uint64{1}, Payloads: [][]byte{enc}},
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzSubmitBlockRequestJSON feeds the decoder of builder submissions (the
// relay's largest untrusted input): it must never panic, and whatever it
// accepts must re-encode to a document that decodes to the same encoding.
// Run with a short minimization time, or the fuzzer spends its budget
// minimizing the large seed:
//
//	go test ./relay/builderapi -run XXX -fuzz FuzzSubmitBlockRequestJSON -fuzztime 60s -fuzzminimizetime 2s
func FuzzSubmitBlockRequestJSON(f *testing.F) {
	f.Add(seedSubmission(f))
	f.Add([]byte(`{"message":{},"execution_payload":{},"blobs_bundle":{},"signature":"0x"}`))
	f.Add([]byte(`{"proofs":{"constraintTypes":["1"],"payloads":["0x"]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r SubmitBlockRequest
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		once, err := json.Marshal(&r)
		if err != nil {
			t.Fatalf("re-encode an accepted document: %v", err)
		}
		var again SubmitBlockRequest
		if err := json.Unmarshal(once, &again); err != nil {
			t.Fatalf("decode own encoding: %v\n%s", err, once)
		}
		twice, err := json.Marshal(&again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("encoding not stable:\n%s\n%s", once, twice)
		}
		// Header derivation on accepted input must not panic either.
		_, _ = HeaderFromPayload(r.ExecutionPayload)
	})
}

func TestSubmitBlockRequestRoundTrip(t *testing.T) {
	t.Parallel()
	doc := seedSubmission(t)
	var r SubmitBlockRequest
	if err := json.Unmarshal(doc, &r); err != nil {
		t.Fatal(err)
	}
	if r.Proofs == nil || len(r.Proofs.Payloads) != 1 || r.Message.Slot != 5 || len(r.ExecutionPayload.Transactions) != 2 {
		t.Fatalf("decoded %+v", r)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"message", "execution_payload", "blobs_bundle", "execution_requests", "signature", "proofs"} {
		if _, ok := m[k]; !ok {
			t.Errorf("field %q missing from the encoding", k)
		}
	}
	for _, k := range []string{"message", "execution_payload", "blobs_bundle", "signature"} {
		mm := map[string]json.RawMessage{}
		for kk, v := range m {
			if kk != k {
				mm[kk] = v
			}
		}
		b, _ := json.Marshal(mm)
		if err := json.Unmarshal(b, new(SubmitBlockRequest)); err == nil {
			t.Errorf("accepted without %q", k)
		}
	}
}
