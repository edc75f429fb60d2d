package builderapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec"
)

// The testdata documents are the example documents of ethereum/builder-specs
// (CC0), examples/{electra,fulu}/*.{json,ssz}, each JSON wrapped in {"value": ..}.

func readExample(t *testing.T, name string) ([]byte, []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var wrap struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &wrap); err != nil {
		t.Fatal(err)
	}
	sszBytes, err := os.ReadFile(filepath.Join("testdata", name+".ssz"))
	if err != nil {
		t.Fatal(err)
	}
	return wrap.Value, sszBytes
}

// jsonEqual compares two JSON documents ignoring formatting and the case of
// hex strings (go-eth2-client writes addresses with their EIP-55 checksum).
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(bytes.ToLower(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(bytes.ToLower(b), &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

func TestSpecExamplesSignedBuilderBid(t *testing.T) {
	t.Parallel()
	for _, fork := range []struct {
		name string
		want spec.DataVersion
	}{{"electra", spec.DataVersionElectra}, {"fulu", spec.DataVersionFulu}} {
		t.Run(fork.name, func(t *testing.T) {
			t.Parallel()
			doc, sszBytes := readExample(t, fork.name+"_signed_builder_bid")
			var v VersionedSignedBuilderBid
			if err := json.Unmarshal(doc, &v); err != nil {
				t.Fatalf("decode spec example: %v", err)
			}
			if v.Version != fork.want {
				t.Fatalf("version %s, want %s", v.Version, fork.want)
			}
			out, err := json.Marshal(&v)
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, doc, out) {
				t.Errorf("JSON round trip differs:\n got %s\nwant %s", out, doc)
			}
			// The SSZ example is the same bid: decoding it gives the JSON's value,
			// and encoding the JSON's value gives the SSZ bytes.
			var fromSSZ SignedBuilderBid
			if err := fromSSZ.UnmarshalSSZ(sszBytes); err != nil {
				t.Fatalf("decode SSZ example: %v", err)
			}
			enc, err := v.Data.MarshalSSZ()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, sszBytes) {
				t.Errorf("SSZ of the JSON example differs from the SSZ example")
			}
			r1, err := fromSSZ.Message.HashTreeRoot()
			if err != nil {
				t.Fatal(err)
			}
			r2, _ := v.Data.Message.HashTreeRoot()
			if r1 != r2 {
				t.Errorf("roots differ: %x vs %x", r1, r2)
			}
		})
	}
}

func TestSpecExamplesPayloadAndBlobsBundle(t *testing.T) {
	t.Parallel()
	for _, fork := range []string{"electra", "fulu"} {
		t.Run(fork, func(t *testing.T) {
			t.Parallel()
			doc, sszBytes := readExample(t, fork+"_execution_payload_and_blobs_bundle")
			var v VersionedExecutionPayloadAndBlobsBundle
			if err := json.Unmarshal(doc, &v); err != nil {
				t.Fatalf("decode spec example: %v", err)
			}
			out, err := json.Marshal(&v)
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, doc, out) {
				t.Errorf("JSON round trip differs")
			}
			enc, err := v.Data.MarshalSSZ()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, sszBytes) {
				t.Errorf("SSZ of the JSON example differs from the SSZ example (%d vs %d bytes)", len(enc), len(sszBytes))
			}
			// The header derived from the payload has the payload's root: the
			// SSZ rule that makes a blinded block sign the full block.
			h, err := HeaderFromPayload(v.Data.ExecutionPayload)
			if err != nil {
				t.Fatal(err)
			}
			hr, _ := h.HashTreeRoot()
			pr, _ := v.Data.ExecutionPayload.HashTreeRoot()
			if hr != pr {
				t.Errorf("header root %x != payload root %x", hr, pr)
			}
		})
	}
}

func TestSpecExamplesSignedBlindedBlock(t *testing.T) {
	t.Parallel()
	// go-eth2-client's Electra blinded block is also Fulu's.
	for _, fork := range []string{"electra", "fulu"} {
		t.Run(fork, func(t *testing.T) {
			t.Parallel()
			doc, sszBytes := readExample(t, fork+"_signed_blinded_beacon_block")
			var b apiv1electra.SignedBlindedBeaconBlock
			if err := json.Unmarshal(doc, &b); err != nil {
				t.Fatalf("decode: %v", err)
			}
			enc, err := b.MarshalSSZ()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, sszBytes) {
				t.Errorf("SSZ differs")
			}
		})
	}
}

func TestEnvelopeRefusesOtherVersions(t *testing.T) {
	t.Parallel()
	doc, _ := readExample(t, "fulu_signed_builder_bid")
	for name, mutate := range map[string]func(map[string]json.RawMessage){
		"deneb":      func(m map[string]json.RawMessage) { m["version"] = json.RawMessage(`"deneb"`) },
		"unknown":    func(m map[string]json.RawMessage) { m["version"] = json.RawMessage(`"osaka"`) },
		"no version": func(m map[string]json.RawMessage) { delete(m, "version") },
		"no data":    func(m map[string]json.RawMessage) { delete(m, "data") },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var m map[string]json.RawMessage
			if err := json.Unmarshal(doc, &m); err != nil {
				t.Fatal(err)
			}
			mutate(m)
			b, _ := json.Marshal(m)
			var v VersionedSignedBuilderBid
			err := json.Unmarshal(b, &v)
			if !errors.Is(err, ErrUnsupportedVersion) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("want a version or malformed error, got %v", err)
			}
		})
	}
}

func TestBuilderBidRequiresFields(t *testing.T) {
	t.Parallel()
	doc, _ := readExample(t, "electra_signed_builder_bid")
	for _, field := range []string{"header", "blob_kzg_commitments", "execution_requests", "value", "pubkey"} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			var env struct {
				Version string `json:"version"`
				Data    struct {
					Message   map[string]json.RawMessage `json:"message"`
					Signature string                     `json:"signature"`
				} `json:"data"`
			}
			if err := json.Unmarshal(doc, &env); err != nil {
				t.Fatal(err)
			}
			delete(env.Data.Message, field)
			b, _ := json.Marshal(env)
			var v VersionedSignedBuilderBid
			if err := json.Unmarshal(b, &v); !errors.Is(err, ErrMalformed) {
				t.Fatalf("missing %s: want ErrMalformed, got %v", field, err)
			}
		})
	}
}
