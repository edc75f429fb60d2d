package builderapi

import (
	"encoding/json"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/deneb"
)

// BlobsBundle is the blobs bundle of the builder specs. In Electra there is
// one KZG proof per blob; in Fulu there are CellsPerExtBlob cell proofs per
// blob. The JSON is the same.
type BlobsBundle struct {
	Commitments []deneb.KZGCommitment `ssz-max:"4096" ssz-size:"?,48"`
	Proofs      []deneb.KZGProof      `ssz-max:"524288" ssz-size:"?,48"`
	Blobs       []deneb.Blob          `ssz-max:"4096" ssz-size:"?,131072"`
}

type blobsBundleJSON struct {
	Commitments []deneb.KZGCommitment `json:"commitments"`
	Proofs      []deneb.KZGProof      `json:"proofs"`
	Blobs       []deneb.Blob          `json:"blobs"`
}

// MarshalJSON writes {"commitments", "proofs", "blobs"}; empty lists are [].
func (b *BlobsBundle) MarshalJSON() ([]byte, error) {
	j := blobsBundleJSON{Commitments: b.Commitments, Proofs: b.Proofs, Blobs: b.Blobs}
	if j.Commitments == nil {
		j.Commitments = []deneb.KZGCommitment{}
	}
	if j.Proofs == nil {
		j.Proofs = []deneb.KZGProof{}
	}
	if j.Blobs == nil {
		j.Blobs = []deneb.Blob{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON requires the three lists and checks their SSZ limits.
func (b *BlobsBundle) UnmarshalJSON(data []byte) error {
	var j blobsBundleJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: blobs bundle: %w", ErrMalformed, err)
	}
	if j.Commitments == nil || j.Proofs == nil || j.Blobs == nil {
		return fmt.Errorf("%w: blobs bundle: commitments, proofs and blobs are required", ErrMalformed)
	}
	if len(j.Commitments) > MaxBlobCommitmentsPerBlock || len(j.Blobs) > MaxBlobCommitmentsPerBlock ||
		len(j.Proofs) > CellsPerExtBlob*MaxBlobCommitmentsPerBlock {
		return fmt.Errorf("%w: blobs bundle exceeds its limits", ErrMalformed)
	}
	*b = BlobsBundle(j)
	return nil
}

// CheckShape checks the counts a fork requires: one blob per commitment, and
// one proof (Electra) or CellsPerExtBlob proofs (Fulu) per blob.
func (b *BlobsBundle) CheckShape(v spec.DataVersion) error {
	if len(b.Blobs) != len(b.Commitments) {
		return fmt.Errorf("%w: %d blobs for %d commitments", ErrMalformed, len(b.Blobs), len(b.Commitments))
	}
	per := 1
	if v == spec.DataVersionFulu {
		per = CellsPerExtBlob
	}
	if len(b.Proofs) != per*len(b.Blobs) {
		return fmt.Errorf("%w: %d proofs for %d blobs in %s", ErrMalformed, len(b.Proofs), len(b.Blobs), v)
	}
	return nil
}

// MarshalSSZ returns the SSZ encoding (the same for both forks; only the
// hash_tree_root limit of Proofs differs, and nothing signs a bundle).
func (b *BlobsBundle) MarshalSSZ() ([]byte, error) { return sszCodec.MarshalSSZ((*blobsBundleSSZ)(b)) }

type blobsBundleSSZ BlobsBundle

// ExecutionPayloadAndBlobsBundle is what submitBlindedBlock (v1) returns.
type ExecutionPayloadAndBlobsBundle struct {
	ExecutionPayload *deneb.ExecutionPayload
	BlobsBundle      *BlobsBundle
}

type executionPayloadAndBlobsBundleJSON struct {
	ExecutionPayload *deneb.ExecutionPayload `json:"execution_payload"`
	BlobsBundle      *BlobsBundle            `json:"blobs_bundle"`
}

// MarshalSSZ returns the SSZ encoding (the octet-stream response).
func (p *ExecutionPayloadAndBlobsBundle) MarshalSSZ() ([]byte, error) {
	return sszCodec.MarshalSSZ((*payloadAndBlobsSSZ)(p))
}

// UnmarshalSSZ decodes the SSZ encoding.
func (p *ExecutionPayloadAndBlobsBundle) UnmarshalSSZ(buf []byte) error {
	return sszCodec.UnmarshalSSZ((*payloadAndBlobsSSZ)(p), buf)
}

type payloadAndBlobsSSZ ExecutionPayloadAndBlobsBundle

// MarshalJSON writes {"execution_payload", "blobs_bundle"}.
func (p *ExecutionPayloadAndBlobsBundle) MarshalJSON() ([]byte, error) {
	bb := p.BlobsBundle
	if bb == nil {
		bb = &BlobsBundle{}
	}
	return json.Marshal(executionPayloadAndBlobsBundleJSON{ExecutionPayload: p.ExecutionPayload, BlobsBundle: bb})
}

// UnmarshalJSON requires both fields.
func (p *ExecutionPayloadAndBlobsBundle) UnmarshalJSON(data []byte) error {
	var j executionPayloadAndBlobsBundleJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: payload and blobs bundle: %w", ErrMalformed, err)
	}
	if j.ExecutionPayload == nil || j.BlobsBundle == nil {
		return fmt.Errorf("%w: execution_payload and blobs_bundle are required", ErrMalformed)
	}
	*p = ExecutionPayloadAndBlobsBundle(j)
	return nil
}

// VersionedExecutionPayloadAndBlobsBundle is the submitBlindedBlock (v1)
// response envelope.
type VersionedExecutionPayloadAndBlobsBundle struct {
	Version spec.DataVersion
	Data    *ExecutionPayloadAndBlobsBundle
}

// MarshalJSON writes the envelope.
func (v *VersionedExecutionPayloadAndBlobsBundle) MarshalJSON() ([]byte, error) {
	return marshalEnvelope(v.Version, v.Data)
}

// UnmarshalJSON reads the envelope and refuses other fork versions.
func (v *VersionedExecutionPayloadAndBlobsBundle) UnmarshalJSON(b []byte) error {
	var data ExecutionPayloadAndBlobsBundle
	ver, err := unmarshalEnvelope(b, &data)
	if err != nil {
		return err
	}
	*v = VersionedExecutionPayloadAndBlobsBundle{Version: ver, Data: &data}
	return nil
}
