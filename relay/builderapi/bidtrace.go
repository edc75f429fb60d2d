package builderapi

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// BidTrace is the relay-specs BidTraceV1 a builder signs (builder domain)
// when it submits a block to a relay.
type BidTrace struct {
	Slot                 uint64
	ParentHash           phase0.Hash32              `ssz-size:"32"`
	BlockHash            phase0.Hash32              `ssz-size:"32"`
	BuilderPubkey        phase0.BLSPubKey           `ssz-size:"48"`
	ProposerPubkey       phase0.BLSPubKey           `ssz-size:"48"`
	ProposerFeeRecipient bellatrix.ExecutionAddress `ssz-size:"20"`
	GasLimit             uint64
	GasUsed              uint64
	Value                *uint256.Int `ssz-type:"uint256"`
}

// decUint64 is a uint64 written as a decimal string, as every number of the
// builder API.
type decUint64 uint64

func (d decUint64) MarshalText() ([]byte, error) { return strconv.AppendUint(nil, uint64(d), 10), nil }

func (d *decUint64) UnmarshalText(b []byte) error {
	v, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not a decimal uint64", ErrMalformed, b)
	}
	*d = decUint64(v)
	return nil
}

type bidTraceJSON struct {
	Slot                 *decUint64                  `json:"slot"`
	ParentHash           *phase0.Hash32              `json:"parent_hash"`
	BlockHash            *phase0.Hash32              `json:"block_hash"`
	BuilderPubkey        *phase0.BLSPubKey           `json:"builder_pubkey"`
	ProposerPubkey       *phase0.BLSPubKey           `json:"proposer_pubkey"`
	ProposerFeeRecipient *bellatrix.ExecutionAddress `json:"proposer_fee_recipient"`
	GasLimit             *decUint64                  `json:"gas_limit"`
	GasUsed              *decUint64                  `json:"gas_used"`
	Value                *uint256.Int                `json:"value"`
}

// MarshalJSON writes the relay-specs form.
func (t *BidTrace) MarshalJSON() ([]byte, error) {
	slot, gl, gu := decUint64(t.Slot), decUint64(t.GasLimit), decUint64(t.GasUsed)
	v := t.Value
	if v == nil {
		v = new(uint256.Int)
	}
	return json.Marshal(bidTraceJSON{
		Slot: &slot, ParentHash: &t.ParentHash, BlockHash: &t.BlockHash,
		BuilderPubkey: &t.BuilderPubkey, ProposerPubkey: &t.ProposerPubkey,
		ProposerFeeRecipient: &t.ProposerFeeRecipient, GasLimit: &gl, GasUsed: &gu, Value: v,
	})
}

// UnmarshalJSON requires every field.
func (t *BidTrace) UnmarshalJSON(data []byte) error {
	var j bidTraceJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: bid trace: %w", ErrMalformed, err)
	}
	if j.Slot == nil || j.ParentHash == nil || j.BlockHash == nil || j.BuilderPubkey == nil ||
		j.ProposerPubkey == nil || j.ProposerFeeRecipient == nil || j.GasLimit == nil ||
		j.GasUsed == nil || j.Value == nil {
		return fmt.Errorf("%w: bid trace: every field is required", ErrMalformed)
	}
	*t = BidTrace{
		Slot: uint64(*j.Slot), ParentHash: *j.ParentHash, BlockHash: *j.BlockHash,
		BuilderPubkey: *j.BuilderPubkey, ProposerPubkey: *j.ProposerPubkey,
		ProposerFeeRecipient: *j.ProposerFeeRecipient, GasLimit: uint64(*j.GasLimit),
		GasUsed: uint64(*j.GasUsed), Value: j.Value,
	}
	return nil
}

// HashTreeRoot returns hash_tree_root(BidTrace), what the builder signs.
func (t *BidTrace) HashTreeRoot() ([32]byte, error) { return sszCodec.HashTreeRoot((*bidTraceSSZ)(t)) }

type bidTraceSSZ BidTrace

// SubmitBlockRequest is a builder's block submission (relay-specs Electra /
// Fulu SubmitBlockRequest) with the Constraints API proofs:
// VersionedSubmitBlockRequestWithProofs of /constraints/v0/relay/blocks_with_proofs.
// The fork is not in the body; it follows from the slot (or the
// Eth-Consensus-Version header).
type SubmitBlockRequest struct {
	Message           *BidTrace
	ExecutionPayload  *deneb.ExecutionPayload
	BlobsBundle       *BlobsBundle
	ExecutionRequests *electra.ExecutionRequests
	Signature         phase0.BLSSignature
	Proofs            *protocol.ConstraintProofs
}

type submitBlockRequestJSON struct {
	Message           *BidTrace                  `json:"message"`
	ExecutionPayload  *deneb.ExecutionPayload    `json:"execution_payload"`
	BlobsBundle       *BlobsBundle               `json:"blobs_bundle"`
	ExecutionRequests *electra.ExecutionRequests `json:"execution_requests"`
	Signature         *phase0.BLSSignature       `json:"signature"`
	Proofs            *protocol.ConstraintProofs `json:"proofs,omitempty"`
}

// MarshalJSON writes the relay-specs form with "proofs" beside "signature".
func (r *SubmitBlockRequest) MarshalJSON() ([]byte, error) {
	bb, er := r.BlobsBundle, r.ExecutionRequests
	if bb == nil {
		bb = &BlobsBundle{}
	}
	if er == nil {
		er = EmptyExecutionRequests()
	}
	return json.Marshal(submitBlockRequestJSON{
		Message: r.Message, ExecutionPayload: r.ExecutionPayload, BlobsBundle: bb,
		ExecutionRequests: er, Signature: &r.Signature, Proofs: r.Proofs,
	})
}

// UnmarshalJSON requires message, execution_payload, blobs_bundle and
// signature. Absent execution_requests mean none; absent proofs are left nil
// (the relay refuses them for a slot with constraints).
func (r *SubmitBlockRequest) UnmarshalJSON(data []byte) error {
	var j submitBlockRequestJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: submit block request: %w", ErrMalformed, err)
	}
	if j.Message == nil || j.ExecutionPayload == nil || j.BlobsBundle == nil || j.Signature == nil {
		return fmt.Errorf("%w: submit block request: message, execution_payload, blobs_bundle and signature are required", ErrMalformed)
	}
	if j.ExecutionRequests == nil {
		j.ExecutionRequests = EmptyExecutionRequests()
	}
	*r = SubmitBlockRequest{
		Message: j.Message, ExecutionPayload: j.ExecutionPayload, BlobsBundle: j.BlobsBundle,
		ExecutionRequests: j.ExecutionRequests, Signature: *j.Signature, Proofs: j.Proofs,
	}
	return nil
}
