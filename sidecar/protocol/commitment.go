package protocol

import (
	"crypto/ecdsa"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// Limits of a commitment request.
const (
	// MaxRequestTxs is the most transactions one request may carry (a bundle's limit).
	MaxRequestTxs = MaxBundleSize
	// MaxRequestPayload bounds the RLP request payload: room for two full blob txs.
	MaxRequestPayload = 2 << 20
)

// CommitmentRequest is the Commitments API request (eth-fabric/commitments-specs).
// For Pledge's commitment types the payload is RequestPayload in RLP.
type CommitmentRequest struct {
	CommitmentType uint64         `json:"commitment_type"`
	Payload        hexutil.Bytes  `json:"payload"`
	Slasher        common.Address `json:"slasher"`
}

// RequestPayload is what a user asks for: these signed transactions, in this
// order, in slot Slot. Encoded as rlp([slot, [tx_1, ..., tx_n]]) with each tx in
// its network encoding (a blob tx with its sidecar), because RLP is canonical,
// compact for binary data and in every Ethereum library.
type RequestPayload struct {
	Slot uint64
	Txs  [][]byte
}

// EncodeRequestPayload returns rlp([slot, [txs...]]).
func EncodeRequestPayload(slot uint64, txs [][]byte) ([]byte, error) {
	return rlp.EncodeToBytes(&RequestPayload{Slot: slot, Txs: txs})
}

// DecodeRequestPayload decodes and bounds a request payload. The transactions
// are not decoded here; see DecodeTransaction.
func DecodeRequestPayload(b []byte) (*RequestPayload, error) {
	if len(b) > MaxRequestPayload {
		return nil, fmt.Errorf("%w: request payload of %d bytes, limit %d", ErrMalformedPayload, len(b), MaxRequestPayload)
	}
	var p RequestPayload
	if err := rlp.DecodeBytes(b, &p); err != nil {
		return nil, fmt.Errorf("%w: request payload is not rlp([slot, [txs]]): %v", ErrMalformedPayload, err)
	}
	if len(p.Txs) == 0 || len(p.Txs) > MaxRequestTxs {
		return nil, fmt.Errorf("%w: %d transactions, want 1 to %d", ErrInclusionCount, len(p.Txs), MaxRequestTxs)
	}
	return &p, nil
}

// RequestHash identifies a request independently of how it was encoded:
// keccak256(uint64be(commitmentType) ‖ uint64be(slot) ‖ txHash_1 ‖ … ‖ txHash_n ‖ slasher).
// The same transactions for the same slot always give the same hash, which is
// what makes requests idempotent and commitmentResult lookups possible.
func RequestHash(commitmentType, slot uint64, txHashes []common.Hash, slasher common.Address) common.Hash {
	buf := make([]byte, 16+32*len(txHashes)+common.AddressLength)
	binary.BigEndian.PutUint64(buf[0:], commitmentType)
	binary.BigEndian.PutUint64(buf[8:], slot)
	for i, h := range txHashes {
		copy(buf[16+32*i:], h[:])
	}
	copy(buf[16+32*len(txHashes):], slasher[:])
	return crypto.Keccak256Hash(buf)
}

// Commitment is the Commitments API commitment. Payload is abi.encode(Promise).
type Commitment struct {
	CommitmentType uint64         `json:"commitment_type"`
	Payload        hexutil.Bytes  `json:"payload"`
	RequestHash    common.Hash    `json:"request_hash"`
	Slasher        common.Address `json:"slasher"`
}

// SignedCommitment is a commitment with the committer's EIP-712 signature of
// the promise in its payload.
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
	payload, err := p.MarshalABI()
	if err != nil {
		return nil, err
	}
	sig, err := SignPromise(p, d, key)
	if err != nil {
		return nil, err
	}
	return &SignedCommitment{
		Commitment: Commitment{
			CommitmentType: p.CommitmentType,
			Payload:        payload,
			RequestHash:    p.RequestHash,
			Slasher:        d.Slasher,
		},
		Signature: sig,
	}, nil
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

// Verify opens the commitment and checks that committer signed it for the
// domain (the L1 chain and the Slasher named in the envelope).
func (s *SignedCommitment) Verify(l1ChainID uint64, committer common.Address) (*Promise, error) {
	p, err := s.Open(l1ChainID)
	if err != nil {
		return nil, err
	}
	d := Domain{ChainID: l1ChainID, Slasher: s.Commitment.Slasher}
	if err := VerifyPromise(p, d, s.Signature, committer); err != nil {
		return nil, err
	}
	return p, nil
}

// Signer recovers the address that signed the commitment.
func (s *SignedCommitment) Signer(l1ChainID uint64) (common.Address, *Promise, error) {
	p, err := s.Open(l1ChainID)
	if err != nil {
		return common.Address{}, nil, err
	}
	d := Domain{ChainID: l1ChainID, Slasher: s.Commitment.Slasher}
	addr, err := RecoverPromiseSigner(p, d, s.Signature)
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
