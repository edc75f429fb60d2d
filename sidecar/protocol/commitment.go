package protocol

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// Limits of a commitment request.
const (
	// MaxRequestTxs is the most transactions one request may carry (a bundle's limit).
	MaxRequestTxs = MaxBundleSize
	// MaxRequestPayload bounds the ABI request payload: room for two full blob txs.
	MaxRequestPayload = 2 << 20
)

// messageTypeCommitment is the URC's MessageType.Commitment: the first word
// of every commitment signing root, so that no other message the committer
// key signs (a URC registration, a delegation, constraints) hashes alike.
const messageTypeCommitment = 3

// CommitmentRequest is the Commitments API request (eth-fabric/commitments-specs).
// For Pledge's commitment types the payload is an InclusionPayload (types 1
// and 2) or a BundlePayload (type 3), ABI-encoded (EncodeRequestPayload).
type CommitmentRequest struct {
	CommitmentType uint64         `json:"commitment_type"`
	Payload        hexutil.Bytes  `json:"payload"`
	Slasher        common.Address `json:"slasher"`
}

// RequestHash is the request's hash as the reference gateway (eth-fabric/fabric)
// defines it: keccak256(abi.encode(CommitmentRequest{commitmentType, payload,
// slasher})). Payloads are accepted only in their canonical encoding, so the
// same transactions for the same slot always give the same hash: requests are
// idempotent and commitmentResult finds them.
func (r CommitmentRequest) RequestHash() common.Hash {
	n := len(r.Payload)
	buf := make([]byte, 32*5+padded(n))
	putUint64(buf[0:32], 32)
	putUint64(buf[32:64], r.CommitmentType)
	putUint64(buf[64:96], 3*32)
	copy(buf[96+12:128], r.Slasher[:])
	putUint64(buf[128:160], uint64(n))
	copy(buf[160:], r.Payload)
	return crypto.Keccak256Hash(buf)
}

// RequestPayload is what a user asks for: these signed transactions, in this
// order, in slot Slot, each in its network encoding (a blob tx with its
// sidecar).
type RequestPayload struct {
	Slot uint64
	Txs  [][]byte
}

// The request payloads, as Solidity declares them:
//
//	struct InclusionPayload { uint64 slot; bytes signedTx; }    // types 1 and 2
//	struct BundlePayload    { uint64 slot; bytes[] signedTxs; } // type 3
//
// and encodes them with abi.encode(payload). InclusionPayload is the reference
// gateway's type-1 payload, byte for byte.
var (
	inclusionPayloadArgs = tupleArgs("InclusionPayload", abi.ArgumentMarshaling{Name: "slot", Type: "uint64"}, abi.ArgumentMarshaling{Name: "signedTx", Type: "bytes"})
	bundlePayloadArgs    = tupleArgs("BundlePayload", abi.ArgumentMarshaling{Name: "slot", Type: "uint64"}, abi.ArgumentMarshaling{Name: "signedTxs", Type: "bytes[]"})
)

type abiInclusionPayload struct {
	Slot     uint64
	SignedTx []byte
}

type abiBundlePayload struct {
	Slot      uint64
	SignedTxs [][]byte
}

func tupleArgs(name string, fields ...abi.ArgumentMarshaling) abi.Arguments {
	t, err := abi.NewType("tuple", name, fields)
	if err != nil {
		panic(err) // the types are constants
	}
	return abi.Arguments{{Type: t}}
}

// EncodeRequestPayload returns the request payload of the commitment type:
// abi.encode(InclusionPayload{slot, tx}) for types 1 and 2 (one transaction),
// abi.encode(BundlePayload{slot, txs}) for type 3.
func EncodeRequestPayload(commitmentType, slot uint64, txs [][]byte) ([]byte, error) {
	switch commitmentType {
	case TypeL1Inclusion, TypeL2Inclusion:
		if len(txs) != 1 {
			return nil, fmt.Errorf("%w: type %d takes 1 transaction, got %d", ErrInclusionCount, commitmentType, len(txs))
		}
		return inclusionPayloadArgs.Pack(abiInclusionPayload{Slot: slot, SignedTx: txs[0]})
	case TypeBundle:
		return bundlePayloadArgs.Pack(abiBundlePayload{Slot: slot, SignedTxs: txs})
	default:
		return nil, fmt.Errorf("%w: %d", ErrUnknownCommitmentType, commitmentType)
	}
}

// NewCommitmentRequest builds the request for these transactions in slot,
// judged by slasher.
func NewCommitmentRequest(commitmentType, slot uint64, txs [][]byte, slasher common.Address) (CommitmentRequest, error) {
	payload, err := EncodeRequestPayload(commitmentType, slot, txs)
	if err != nil {
		return CommitmentRequest{}, err
	}
	return CommitmentRequest{CommitmentType: commitmentType, Payload: payload, Slasher: slasher}, nil
}

// DecodeRequestPayload decodes and bounds the request payload of a commitment
// type. Only the canonical encoding is accepted. The transactions are not
// decoded here; see DecodeTransaction.
func DecodeRequestPayload(commitmentType uint64, b []byte) (*RequestPayload, error) {
	if len(b) > MaxRequestPayload {
		return nil, fmt.Errorf("%w: request payload of %d bytes, limit %d", ErrMalformedPayload, len(b), MaxRequestPayload)
	}
	var (
		p    RequestPayload
		args abi.Arguments
		want string
	)
	switch commitmentType {
	case TypeL1Inclusion, TypeL2Inclusion:
		args, want = inclusionPayloadArgs, "abi.encode(InclusionPayload{uint64 slot, bytes signedTx})"
	case TypeBundle:
		args, want = bundlePayloadArgs, "abi.encode(BundlePayload{uint64 slot, bytes[] signedTxs})"
	default:
		return nil, fmt.Errorf("%w: %d", ErrUnknownCommitmentType, commitmentType)
	}
	vals, err := args.Unpack(b)
	if err != nil || len(vals) != 1 {
		return nil, fmt.Errorf("%w: request payload of type %d is not %s", ErrMalformedPayload, commitmentType, want)
	}
	if commitmentType == TypeBundle {
		v, ok := abi.ConvertType(vals[0], new(abiBundlePayload)).(*abiBundlePayload)
		if !ok {
			return nil, fmt.Errorf("%w: request payload of type %d is not %s", ErrMalformedPayload, commitmentType, want)
		}
		p.Slot, p.Txs = v.Slot, v.SignedTxs
	} else {
		v, ok := abi.ConvertType(vals[0], new(abiInclusionPayload)).(*abiInclusionPayload)
		if !ok {
			return nil, fmt.Errorf("%w: request payload of type %d is not %s", ErrMalformedPayload, commitmentType, want)
		}
		p.Slot, p.Txs = v.Slot, [][]byte{v.SignedTx}
	}
	if len(p.Txs) == 0 || len(p.Txs) > MaxRequestTxs {
		return nil, fmt.Errorf("%w: %d transactions, want 1 to %d", ErrInclusionCount, len(p.Txs), MaxRequestTxs)
	}
	// abi.Unpack takes trailing bytes and odd offsets; the request hash is over
	// the bytes, so only the one canonical encoding is accepted.
	canon, err := EncodeRequestPayload(commitmentType, p.Slot, p.Txs)
	if err != nil || !bytes.Equal(canon, b) {
		return nil, fmt.Errorf("%w: request payload is not the canonical %s", ErrMalformedPayload, want)
	}
	return &p, nil
}

// Commitment is the Commitments API commitment. For Pledge's types, Payload
// is abi.encode(Promise) and CommitmentType and RequestHash repeat the promise's.
type Commitment struct {
	CommitmentType uint64         `json:"commitment_type"`
	Payload        hexutil.Bytes  `json:"payload"`
	RequestHash    common.Hash    `json:"request_hash"`
	Slasher        common.Address `json:"slasher"`
}

// SigningRoot is what the committer signs, as the reference gateway and the
// URC compute it: keccak256(Preimage()), 3 being the URC's
// MessageType.Commitment. A generic Commitments API verifier checks a
// Pledge promise with it alone.
func (c Commitment) SigningRoot() common.Hash {
	return crypto.Keccak256Hash(c.Preimage())
}

// Preimage is what keccak256 turns into the signing root:
// abi.encode(uint256(3), Commitment{commitmentType, payload, requestHash,
// slasher}). A remote signer that hashes what it is sent (Web3Signer's eth1
// API) is sent these bytes.
func (c Commitment) Preimage() []byte {
	n := len(c.Payload)
	buf := make([]byte, 32*7+padded(n))
	putUint64(buf[0:32], messageTypeCommitment)
	putUint64(buf[32:64], 2*32)
	putUint64(buf[64:96], c.CommitmentType)
	putUint64(buf[96:128], 4*32)
	copy(buf[128:160], c.RequestHash[:])
	copy(buf[160+12:192], c.Slasher[:])
	putUint64(buf[192:224], uint64(n))
	copy(buf[224:], c.Payload)
	return buf
}

// padded rounds n up to a whole number of 32-byte words.
func padded(n int) int { return (n + 31) &^ 31 }

// SignedCommitment is a commitment with the committer's signature of its
// signing root: 65 bytes r ‖ s ‖ v, v ∈ {27, 28}, low s.
type SignedCommitment struct {
	Commitment Commitment    `json:"commitment"`
	Signature  hexutil.Bytes `json:"signature"`
}

// NewSignedCommitment signs the promise with the committer key and wraps it in
// the Commitments API envelope.
func NewSignedCommitment(p *Promise, d Domain, key *ecdsa.PrivateKey) (*SignedCommitment, error) {
	if err := p.Validate(d.ChainID); err != nil {
		return nil, fmt.Errorf("refuse to sign: %w", err)
	}
	c, err := p.Commitment(d)
	if err != nil {
		return nil, err
	}
	sig, err := SignDigest(c.SigningRoot(), key)
	if err != nil {
		return nil, err
	}
	return &SignedCommitment{Commitment: c, Signature: sig}, nil
}

// Open decodes the promise inside the commitment and checks that the envelope
// agrees with it and that it follows the rules of its type. It does not check
// the signature; see Verify.
func (s *SignedCommitment) Open(l1ChainID uint64) (*Promise, error) {
	p, err := UnmarshalPromiseABI(s.Commitment.Payload)
	if err != nil {
		return nil, err
	}
	if p.CommitmentType != s.Commitment.CommitmentType {
		return nil, fmt.Errorf("%w: envelope says type %d, promise says %d", ErrMalformedPayload, s.Commitment.CommitmentType, p.CommitmentType)
	}
	if p.RequestHash != s.Commitment.RequestHash {
		return nil, fmt.Errorf("%w: envelope request_hash differs from the promise's", ErrMalformedPayload)
	}
	if err := p.Validate(l1ChainID); err != nil {
		return nil, err
	}
	return p, nil
}

// Verify opens the commitment and checks that committer signed it.
func (s *SignedCommitment) Verify(l1ChainID uint64, committer common.Address) (*Promise, error) {
	got, p, err := s.Signer(l1ChainID)
	if err != nil {
		return nil, err
	}
	if got != committer {
		return nil, fmt.Errorf("%w: signed by %s, want %s", ErrWrongSigner, got, committer)
	}
	return p, nil
}

// Signer recovers the address that signed the commitment.
func (s *SignedCommitment) Signer(l1ChainID uint64) (common.Address, *Promise, error) {
	p, err := s.Open(l1ChainID)
	if err != nil {
		return common.Address{}, nil, err
	}
	addr, err := RecoverDigestSigner(s.Commitment.SigningRoot(), s.Signature)
	return addr, p, err
}

// Offering says which commitment types a gateway sells for one chain.
type Offering struct {
	ChainID         uint64   `json:"chain_id"`
	CommitmentTypes []uint64 `json:"commitment_types"`
}

// SlotInfo lists the offerings for one upcoming slot. Pledge adds the proposer
// and the committer bound for the slot so a wallet can check a promise's
// signer before it asks.
type SlotInfo struct {
	Slot      uint64         `json:"slot"`
	Offerings []Offering     `json:"offerings"`
	Proposer  string         `json:"proposer,omitempty"`
	Committer common.Address `json:"committer"`
	Operator  common.Address `json:"operator"`
}

// SlotInfoResponse is the answer of `slots`.
type SlotInfoResponse struct {
	Slots []SlotInfo `json:"slots"`
}

// FeeInfo is the answer of `fee`: payload is a FeeQuote in ABI encoding.
type FeeInfo struct {
	Payload        hexutil.Bytes `json:"payload"`
	CommitmentType uint64        `json:"commitment_type"`
}
