package builderapi

import (
	"encoding/json"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// BuilderBid is the Electra (and Fulu) BuilderBid of the builder specs:
// the header the proposer signs blinded, its blob commitments and execution
// requests, the value paid to the proposer and the signer's key.
//
// The struct tags give dynamic-ssz its SSZ layout; hash_tree_root(BuilderBid)
// is what the bid signature covers.
type BuilderBid struct {
	Header             *deneb.ExecutionPayloadHeader
	BlobKZGCommitments []deneb.KZGCommitment `ssz-max:"4096" ssz-size:"?,48"`
	ExecutionRequests  *electra.ExecutionRequests
	Value              *uint256.Int     `ssz-type:"uint256"`
	Pubkey             phase0.BLSPubKey `ssz-size:"48"`
}

type builderBidJSON struct {
	Header             *deneb.ExecutionPayloadHeader `json:"header"`
	BlobKZGCommitments []deneb.KZGCommitment         `json:"blob_kzg_commitments"`
	ExecutionRequests  *electra.ExecutionRequests    `json:"execution_requests"`
	Value              *uint256.Int                  `json:"value"`
	Pubkey             *phase0.BLSPubKey             `json:"pubkey"`
}

// MarshalJSON writes the builder-specs form; empty lists are [] not null.
func (b *BuilderBid) MarshalJSON() ([]byte, error) {
	j := builderBidJSON{
		Header:             b.Header,
		BlobKZGCommitments: b.BlobKZGCommitments,
		ExecutionRequests:  b.ExecutionRequests,
		Value:              b.Value,
		Pubkey:             &b.Pubkey,
	}
	if j.BlobKZGCommitments == nil {
		j.BlobKZGCommitments = []deneb.KZGCommitment{}
	}
	if j.ExecutionRequests == nil {
		j.ExecutionRequests = EmptyExecutionRequests()
	}
	if j.Value == nil {
		j.Value = new(uint256.Int)
	}
	return json.Marshal(j)
}

// UnmarshalJSON requires every field of the spec.
func (b *BuilderBid) UnmarshalJSON(data []byte) error {
	var j builderBidJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: builder bid: %w", ErrMalformed, err)
	}
	switch {
	case j.Header == nil:
		return fmt.Errorf("%w: builder bid: header missing", ErrMalformed)
	case j.BlobKZGCommitments == nil:
		return fmt.Errorf("%w: builder bid: blob_kzg_commitments missing", ErrMalformed)
	case j.ExecutionRequests == nil:
		return fmt.Errorf("%w: builder bid: execution_requests missing", ErrMalformed)
	case j.Value == nil:
		return fmt.Errorf("%w: builder bid: value missing", ErrMalformed)
	case j.Pubkey == nil:
		return fmt.Errorf("%w: builder bid: pubkey missing", ErrMalformed)
	}
	if len(j.BlobKZGCommitments) > MaxBlobCommitmentsPerBlock {
		return fmt.Errorf("%w: builder bid: %d blob commitments", ErrMalformed, len(j.BlobKZGCommitments))
	}
	*b = BuilderBid{
		Header:             j.Header,
		BlobKZGCommitments: j.BlobKZGCommitments,
		ExecutionRequests:  j.ExecutionRequests,
		Value:              j.Value,
		Pubkey:             *j.Pubkey,
	}
	return nil
}

// HashTreeRoot returns hash_tree_root(BuilderBid).
func (b *BuilderBid) HashTreeRoot() ([32]byte, error) {
	return sszCodec.HashTreeRoot((*builderBidSSZ)(b))
}

// MarshalSSZ returns the SSZ encoding.
func (b *BuilderBid) MarshalSSZ() ([]byte, error) { return sszCodec.MarshalSSZ((*builderBidSSZ)(b)) }

// UnmarshalSSZ decodes the SSZ encoding.
func (b *BuilderBid) UnmarshalSSZ(buf []byte) error {
	return sszCodec.UnmarshalSSZ((*builderBidSSZ)(b), buf)
}

// builderBidSSZ has BuilderBid's layout without its methods, so dynamic-ssz
// walks the fields instead of calling back into the methods above.
type builderBidSSZ BuilderBid

// SignedBuilderBid is a BuilderBid with the signature of its Pubkey under
// the builder domain.
type SignedBuilderBid struct {
	Message   *BuilderBid
	Signature phase0.BLSSignature `ssz-size:"96"`
}

type signedBuilderBidJSON struct {
	Message   *BuilderBid          `json:"message"`
	Signature *phase0.BLSSignature `json:"signature"`
}

// MarshalJSON writes {"message": .., "signature": ..}.
func (s *SignedBuilderBid) MarshalJSON() ([]byte, error) {
	return json.Marshal(signedBuilderBidJSON{Message: s.Message, Signature: &s.Signature})
}

// UnmarshalJSON requires both message and signature.
func (s *SignedBuilderBid) UnmarshalJSON(data []byte) error {
	var j signedBuilderBidJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: signed builder bid: %w", ErrMalformed, err)
	}
	if j.Message == nil || j.Signature == nil {
		return fmt.Errorf("%w: signed builder bid: message and signature are required", ErrMalformed)
	}
	*s = SignedBuilderBid{Message: j.Message, Signature: *j.Signature}
	return nil
}

// MarshalSSZ returns the SSZ encoding (the getHeader octet-stream body).
func (s *SignedBuilderBid) MarshalSSZ() ([]byte, error) {
	return sszCodec.MarshalSSZ((*signedBuilderBidSSZ)(s))
}

// UnmarshalSSZ decodes the SSZ encoding.
func (s *SignedBuilderBid) UnmarshalSSZ(buf []byte) error {
	return sszCodec.UnmarshalSSZ((*signedBuilderBidSSZ)(s), buf)
}

type signedBuilderBidSSZ SignedBuilderBid

// VersionedSignedBuilderBid is the getHeader response: {"version", "data"}.
type VersionedSignedBuilderBid struct {
	Version spec.DataVersion
	Data    *SignedBuilderBid
}

// MarshalJSON writes the envelope; the version must be electra or fulu.
func (v *VersionedSignedBuilderBid) MarshalJSON() ([]byte, error) {
	return marshalEnvelope(v.Version, v.Data)
}

// UnmarshalJSON reads the envelope and refuses other fork versions.
func (v *VersionedSignedBuilderBid) UnmarshalJSON(b []byte) error {
	var data SignedBuilderBid
	ver, err := unmarshalEnvelope(b, &data)
	if err != nil {
		return err
	}
	*v = VersionedSignedBuilderBid{Version: ver, Data: &data}
	return nil
}

// SignedBuilderBidWithProofs is a SignedBuilderBid with the constraint proofs
// beside message and signature (Constraints API header_with_proofs).
type SignedBuilderBidWithProofs struct {
	Message   *BuilderBid
	Signature phase0.BLSSignature
	Proofs    *protocol.ConstraintProofs
}

type signedBuilderBidWithProofsJSON struct {
	Message   *BuilderBid                `json:"message"`
	Proofs    *protocol.ConstraintProofs `json:"proofs"`
	Signature *phase0.BLSSignature       `json:"signature"`
}

// MarshalJSON writes {"message", "proofs", "signature"}; absent proofs are
// written as empty lists so a client always finds the field.
func (s *SignedBuilderBidWithProofs) MarshalJSON() ([]byte, error) {
	p := s.Proofs
	if p == nil {
		p = &protocol.ConstraintProofs{ConstraintTypes: []uint64{}, Payloads: [][]byte{}}
	}
	return json.Marshal(signedBuilderBidWithProofsJSON{Message: s.Message, Proofs: p, Signature: &s.Signature})
}

// UnmarshalJSON requires message, signature and proofs.
func (s *SignedBuilderBidWithProofs) UnmarshalJSON(data []byte) error {
	var j signedBuilderBidWithProofsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: signed builder bid with proofs: %w", ErrMalformed, err)
	}
	if j.Message == nil || j.Signature == nil || j.Proofs == nil {
		return fmt.Errorf("%w: signed builder bid with proofs: message, signature and proofs are required", ErrMalformed)
	}
	*s = SignedBuilderBidWithProofs{Message: j.Message, Signature: *j.Signature, Proofs: j.Proofs}
	return nil
}

// Bid returns the bid without its proofs.
func (s *SignedBuilderBidWithProofs) Bid() *SignedBuilderBid {
	return &SignedBuilderBid{Message: s.Message, Signature: s.Signature}
}

// VersionedSignedBuilderBidWithProofs is the header_with_proofs response.
type VersionedSignedBuilderBidWithProofs struct {
	Version spec.DataVersion
	Data    *SignedBuilderBidWithProofs
}

// MarshalJSON writes the envelope.
func (v *VersionedSignedBuilderBidWithProofs) MarshalJSON() ([]byte, error) {
	return marshalEnvelope(v.Version, v.Data)
}

// UnmarshalJSON reads the envelope and refuses other fork versions.
func (v *VersionedSignedBuilderBidWithProofs) UnmarshalJSON(b []byte) error {
	var data SignedBuilderBidWithProofs
	ver, err := unmarshalEnvelope(b, &data)
	if err != nil {
		return err
	}
	*v = VersionedSignedBuilderBidWithProofs{Version: ver, Data: &data}
	return nil
}

// EmptyExecutionRequests returns execution requests with three empty lists,
// the value for a payload that carries none.
func EmptyExecutionRequests() *electra.ExecutionRequests {
	return &electra.ExecutionRequests{
		Deposits:       []*electra.DepositRequest{},
		Withdrawals:    []*electra.WithdrawalRequest{},
		Consolidations: []*electra.ConsolidationRequest{},
	}
}
