package protocol

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
)

// Constraints API limits. The specs leave them open and the signing roots
// (ABI encodings) have none: these are Pledge's bounds on what it signs and
// accepts, so one message cannot make a relay hash megabytes.
const (
	// MaxConstraintsPerSlot bounds ConstraintsMessage.Constraints and ConstraintProofs.
	MaxConstraintsPerSlot = 256
	// MaxReceivers bounds ConstraintsMessage.Receivers.
	MaxReceivers = 64
	// MaxConstraintPayload bounds Constraint.Payload in bytes.
	MaxConstraintPayload = 1 << 20
	// MaxMetadata bounds Delegation.Metadata in bytes.
	MaxMetadata = 1024
)

// ConstraintTypeInclusion is "inclusion at the top of the block, in this
// order": the payload is one transaction in network encoding (a blob
// transaction with its sidecar), proved with an InclusionMultiProof.
const ConstraintTypeInclusion uint64 = 1

// DomainTypeCommitBoost is Commit-Boost's domain type (the bytes of "mmoC"):
// the reference implementation (eth-fabric/fabric) and the URC sign every
// Constraints-API message through Commit-Boost's signer, under
// compute_domain(DomainTypeCommitBoost, genesisForkVersion, zero root).
// Beacon-chain domain types are 0x0X000000 and the Builder API's is
// 0x00000001, so no signature under it passes as one of theirs.
var DomainTypeCommitBoost = phase0.DomainType{0x6d, 0x6d, 0x6f, 0x43}

// Message types: the first ABI word of every hashed message. 2 and 4 are the
// URC's IRegistry.MessageType.Delegation and .Constraints, as the reference
// implementation hashes them; the URC's MessageType is a Solidity enum
// (uint8), so Pledge's revocation type, above 255, is none of its present or
// future values.
const (
	MessageTypeDelegation  = 2
	MessageTypeConstraints = 4
	// MessageTypeRevocation ("pl" 02 01) types Pledge's revocation extension.
	MessageTypeRevocation = 0x706c0201
)

// DefaultSigningID is the Commit-Boost module signing id Pledge signs with
// unless told otherwise: keccak256("pledge"). Verification uses the id each
// message carries.
var DefaultSigningID = crypto.Keccak256Hash([]byte("pledge"))

// Sentinel errors of the BLS messages.
var (
	// ErrBLSPubkey is returned for a public key that is zero, malformed or not on the curve.
	ErrBLSPubkey = errors.New("invalid BLS public key")
	// ErrBLSSignatureMalformed is returned for a signature that is not a valid G2 point.
	ErrBLSSignatureMalformed = errors.New("malformed BLS signature")
	// ErrBLSSignatureMismatch is returned when a well-formed signature does not
	// verify for the message, domain and signer.
	ErrBLSSignatureMismatch = errors.New("BLS signature does not verify")
	// ErrBLSWrongKey is returned when asked to sign with a key that is not the message's signer.
	ErrBLSWrongKey = errors.New("secret key is not the message's signer")
	// ErrConstraintsEmpty is returned for a constraints message without constraints.
	ErrConstraintsEmpty = errors.New("no constraints")
	// ErrConstraintsLimit is returned when a list or byte string exceeds its limit.
	ErrConstraintsLimit = errors.New("constraints message exceeds a size limit")
	// ErrConstraintsJSON is returned when a BLS message does not decode from JSON.
	ErrConstraintsJSON = errors.New("malformed constraints API JSON")
)

// BLSPubkey is a compressed BLS12-381 G1 public key. JSON: 0x + 96 hex digits.
type BLSPubkey [bls.PublicKeyLength]byte

// BLSSignature is a compressed BLS12-381 G2 signature. JSON: 0x + 192 hex digits.
type BLSSignature [bls.SignatureLength]byte

// MarshalText encodes the key as 0x-hex.
func (k BLSPubkey) MarshalText() ([]byte, error) { return hexutil.Bytes(k[:]).MarshalText() }

// UnmarshalText accepts exactly 0x + 96 hex digits.
func (k *BLSPubkey) UnmarshalText(text []byte) error { return decodeFixedHex(text, k[:], "pubkey") }

// String returns the 0x-hex form.
func (k BLSPubkey) String() string { return hexutil.Encode(k[:]) }

// MarshalText encodes the signature as 0x-hex.
func (s BLSSignature) MarshalText() ([]byte, error) { return hexutil.Bytes(s[:]).MarshalText() }

// UnmarshalText accepts exactly 0x + 192 hex digits.
func (s *BLSSignature) UnmarshalText(text []byte) error {
	return decodeFixedHex(text, s[:], "signature")
}

// String returns the 0x-hex form.
func (s BLSSignature) String() string { return hexutil.Encode(s[:]) }

func decodeFixedHex(text, dst []byte, what string) error {
	if len(text) != 2+2*len(dst) || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') {
		return fmt.Errorf("%w: %s must be 0x followed by %d hex digits", ErrConstraintsJSON, what, 2*len(dst))
	}
	if _, err := hex.Decode(dst, text[2:]); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrConstraintsJSON, what, err)
	}
	return nil
}

// publicKey parses k, refusing the point at infinity: with it any signature
// check would be meaningless.
func (k BLSPubkey) publicKey() (*bls.PublicKey, error) {
	if k == (BLSPubkey{}) {
		return nil, fmt.Errorf("%w: zero", ErrBLSPubkey)
	}
	pk, err := bls.PublicKeyFromBytes(k[:])
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBLSPubkey, k, err)
	}
	if pk.IsInfinity() {
		return nil, fmt.Errorf("%w: point at infinity", ErrBLSPubkey)
	}
	return pk, nil
}

// PubkeyFromSecretKey returns the compressed public key of sk.
func PubkeyFromSecretKey(sk *bls.SecretKey) (BLSPubkey, error) {
	pk, err := bls.PublicKeyFromSecretKey(sk)
	if err != nil {
		return BLSPubkey{}, fmt.Errorf("%w: %w", ErrBLSWrongKey, err)
	}
	var out BLSPubkey
	copy(out[:], bls.PublicKeyToBytes(pk))
	return out, nil
}

// Domains is what fixes a Constraints-API signature to one network, and the
// Commit-Boost module identity this side signs with.
type Domains struct {
	// CommitBoost is compute_domain(DomainTypeCommitBoost, genesisForkVersion, zero root).
	CommitBoost phase0.Domain
	// ChainID is the execution chain id in every signing root (Commit-Boost's
	// PropCommitSigningInfo.chain_id): 1 on mainnet, 560048 on Hoodi.
	ChainID uint64
	// SigningID and Nonce are written into, and signed with, every message
	// this side signs; NewDomains sets DefaultSigningID and 0.
	SigningID common.Hash
	Nonce     uint64
}

// NewDomains returns the domains of the network with the given genesis fork
// version (0x00000000 on mainnet) and execution chain id.
func NewDomains(genesisForkVersion [4]byte, chainID uint64) Domains {
	return Domains{
		CommitBoost: boostssz.ComputeDomain(DomainTypeCommitBoost, phase0.Version(genesisForkVersion), phase0.Root{}),
		ChainID:     chainID,
		SigningID:   DefaultSigningID,
	}
}

// KnownChainID returns the execution chain id of a public network by its
// genesis fork version: mainnet, Sepolia, Holesky, Hoodi.
func KnownChainID(genesisForkVersion [4]byte) (uint64, bool) {
	id, ok := map[[4]byte]uint64{
		{0x00, 0x00, 0x00, 0x00}: 1,
		{0x90, 0x00, 0x00, 0x69}: 11155111,
		{0x01, 0x01, 0x70, 0x00}: 17000,
		{0x10, 0x00, 0x09, 0x10}: 560048,
	}[genesisForkVersion]
	return id, ok
}

// SigningRoot is the root a Commit-Boost signer signs for messageHash:
//
//	hash_tree_root(SigningData{
//	    object_root: hash_tree_root(PropCommitSigningInfo{data: messageHash,
//	        module_signing_id: signingID, nonce: uint64, chain_id: uint256}),
//	    domain: d.CommitBoost})
func (d Domains) SigningRoot(messageHash, signingID common.Hash, nonce uint64) [32]byte {
	var nonceChunk, chainChunk [32]byte
	binary.LittleEndian.PutUint64(nonceChunk[:8], nonce)
	binary.LittleEndian.PutUint64(chainChunk[:8], d.ChainID)
	info := sha256Node(sha256Node(messageHash, signingID), sha256Node(nonceChunk, chainChunk))
	return sha256Node(info, d.CommitBoost)
}

// sha256Node is an SSZ Merkle node: sha256(left ‖ right).
func sha256Node(left, right [32]byte) [32]byte {
	var buf [64]byte
	copy(buf[:32], left[:])
	copy(buf[32:], right[:])
	return sha256.Sum256(buf[:])
}

// G1Point is a BLS public key as the URC and the EVM's BLS12-381
// precompiles (EIP-2537) take it, BLS.G1Point{x_a, x_b, y_a, y_b}: the affine
// x and y, 48 bytes big-endian each, split into a high word (the first 16
// bytes, left-padded) and a low word (the last 32).
type G1Point struct{ XA, XB, YA, YB [32]byte }

// G1Point decompresses k, refusing what publicKey refuses.
func (k BLSPubkey) G1Point() (G1Point, error) {
	pk, err := k.publicKey()
	if err != nil {
		return G1Point{}, err
	}
	x, y := pk.X.Bytes(), pk.Y.Bytes()
	var p G1Point
	copy(p.XA[16:], x[:16])
	copy(p.XB[:], x[16:])
	copy(p.YA[16:], y[:16])
	copy(p.YB[:], y[16:])
	return p, nil
}

// abiWords builds an ABI encoding one 32-byte word at a time.
type abiWords []byte

func (w *abiWords) uint(v uint64) {
	var word [32]byte
	binary.BigEndian.PutUint64(word[24:], v)
	*w = append(*w, word[:]...)
}

func (w *abiWords) address(a common.Address) {
	var word [32]byte
	copy(word[12:], a[:])
	*w = append(*w, word[:]...)
}

func (w *abiWords) g1(p G1Point) {
	*w = append(*w, p.XA[:]...)
	*w = append(*w, p.XB[:]...)
	*w = append(*w, p.YA[:]...)
	*w = append(*w, p.YB[:]...)
}

// bytes writes the tail of a dynamic bytes value: length, then the data
// right-padded to whole words.
func (w *abiWords) bytes(b []byte) {
	w.uint(uint64(len(b)))
	*w = append(*w, b...)
	*w = append(*w, make([]byte, abiPadded(len(b))-len(b))...)
}

func abiPadded(n int) int { return (n + 31) &^ 31 }

// g1Words is the size of a G1Point in an ABI head: four words.
const g1Words = 4 * 32

// MessageHash is keccak256(abi.encode(uint256(MessageTypeDelegation),
// Delegation{G1Point proposer, G1Point delegate, address committer,
// uint64 slot, bytes metadata})): the URC's and the reference's.
func (d *Delegation) MessageHash() (common.Hash, error) {
	proposer, err := d.Proposer.G1Point()
	if err != nil {
		return common.Hash{}, fmt.Errorf("proposer: %w", err)
	}
	delegate, err := d.Delegate.G1Point()
	if err != nil {
		return common.Hash{}, fmt.Errorf("delegate: %w", err)
	}
	const head = 2*g1Words + 3*32
	w := make(abiWords, 0, 2*32+head+32+abiPadded(len(d.Metadata)))
	w.uint(MessageTypeDelegation)
	w.uint(2 * 32) // offset of the (dynamic) tuple
	w.g1(proposer)
	w.g1(delegate)
	w.address(d.Committer)
	w.uint(d.Slot)
	w.uint(head) // offset of metadata within the tuple
	w.bytes(d.Metadata)
	return crypto.Keccak256Hash(w), nil
}

// MessageHash is keccak256(abi.encode(uint256(MessageTypeConstraints),
// ConstraintsMessage{G1Point proposer, G1Point delegate, uint64 slot,
// Constraint[] constraints, G1Point[] receivers})) with
// Constraint{uint64 constraintType, bytes payload}: the reference's.
func (m *ConstraintsMessage) MessageHash() (common.Hash, error) {
	proposer, err := m.Proposer.G1Point()
	if err != nil {
		return common.Hash{}, fmt.Errorf("proposer: %w", err)
	}
	delegate, err := m.Delegate.G1Point()
	if err != nil {
		return common.Hash{}, fmt.Errorf("delegate: %w", err)
	}
	receivers := make([]G1Point, len(m.Receivers))
	for i, r := range m.Receivers {
		if receivers[i], err = r.G1Point(); err != nil {
			return common.Hash{}, fmt.Errorf("receiver %d: %w", i, err)
		}
	}
	// Each constraint is a dynamic tuple: type, payload offset (two words),
	// then the payload's length word and padded data.
	sizes := make([]int, len(m.Constraints))
	constraintsSize := 32 + 32*len(m.Constraints) // length, then one offset each
	for i, c := range m.Constraints {
		sizes[i] = 3*32 + abiPadded(len(c.Payload))
		constraintsSize += sizes[i]
	}
	const head = 2*g1Words + 3*32
	w := make(abiWords, 0, 2*32+head+constraintsSize+32+g1Words*len(receivers))
	w.uint(MessageTypeConstraints)
	w.uint(2 * 32) // offset of the (dynamic) tuple
	w.g1(proposer)
	w.g1(delegate)
	w.uint(m.Slot)
	w.uint(head)                           // offset of constraints within the tuple
	w.uint(uint64(head + constraintsSize)) // offset of receivers
	w.uint(uint64(len(m.Constraints)))
	off := 32 * len(m.Constraints) // element offsets count from after the length word
	for _, n := range sizes {
		w.uint(uint64(off))
		off += n
	}
	for _, c := range m.Constraints {
		w.uint(c.ConstraintType)
		w.uint(2 * 32)
		w.bytes(c.Payload)
	}
	w.uint(uint64(len(receivers)))
	for _, r := range receivers {
		w.g1(r)
	}
	return crypto.Keccak256Hash(w), nil
}

// MessageHash is keccak256(abi.encode(uint256(MessageTypeRevocation),
// Revocation{G1Point proposer, G1Point delegate, uint64 slot})): a Pledge
// extension hashed the way the reference hashes the standard messages.
func (r *Revocation) MessageHash() (common.Hash, error) {
	proposer, err := r.Proposer.G1Point()
	if err != nil {
		return common.Hash{}, fmt.Errorf("proposer: %w", err)
	}
	delegate, err := r.Delegate.G1Point()
	if err != nil {
		return common.Hash{}, fmt.Errorf("delegate: %w", err)
	}
	w := make(abiWords, 0, 2*32+2*g1Words)
	w.uint(MessageTypeRevocation)
	w.g1(proposer) // a static tuple is encoded in place
	w.g1(delegate)
	w.uint(r.Slot)
	return crypto.Keccak256Hash(w), nil
}

// Constraint is one proposer commitment turned into a builder rule.
//
// JSON: {"constraintType": "1", "payload": "0x.."}. constraintType is written
// as a decimal string like every other number of the API; because the spec's
// own examples also show JSON numbers and "0x"-hex strings, all three are
// accepted on input.
type Constraint struct {
	ConstraintType uint64
	Payload        []byte
}

// ConstraintsMessage is the "bundle" of constraints for one slot.
type ConstraintsMessage struct {
	Proposer    BLSPubkey
	Delegate    BLSPubkey
	Slot        uint64
	Constraints []Constraint
	Receivers   []BLSPubkey
}

// SignedConstraints is a ConstraintsMessage signed by its Delegate (which is
// the Proposer itself when it signs without a delegation). Nonce and
// SigningID are the Commit-Boost signing context the signature covers, as the
// reference implementation carries them.
type SignedConstraints struct {
	Message   ConstraintsMessage `json:"message"`
	Nonce     uint64             `json:"nonce,string"`
	SigningID common.Hash        `json:"signing_id"`
	Signature BLSSignature       `json:"signature"`
}

// Delegation lets Delegate sign constraints for Proposer's Slot and binds the
// committer address that signs promises.
type Delegation struct {
	Proposer  BLSPubkey
	Delegate  BLSPubkey
	Committer common.Address
	Slot      uint64
	Metadata  []byte
}

// SignedDelegation is a Delegation signed by its Proposer, with the
// Commit-Boost signing context the signature covers.
type SignedDelegation struct {
	Message   Delegation   `json:"message"`
	Nonce     uint64       `json:"nonce,string"`
	SigningID common.Hash  `json:"signing_id"`
	Signature BLSSignature `json:"signature"`
}

// Revocation withdraws a Delegation (Pledge extension,
// /constraints/v0/builder/revoke: the specs make delegations final).
type Revocation struct {
	Proposer BLSPubkey
	Delegate BLSPubkey
	Slot     uint64
}

// SignedRevocation is a Revocation signed by its Proposer, with the
// Commit-Boost signing context the signature covers.
type SignedRevocation struct {
	Message   Revocation   `json:"message"`
	Nonce     uint64       `json:"nonce,string"`
	SigningID common.Hash  `json:"signing_id"`
	Signature BLSSignature `json:"signature"`
}

// ConstraintProofs travels beside a bid (header_with_proofs): Payloads[i] is
// the proof for constraint type ConstraintTypes[i]; for ConstraintTypeInclusion
// it is an SSZ-encoded InclusionMultiProof. JSON keys constraintTypes and
// payloads; types are written as decimal strings, read as decimal strings,
// numbers or 0x-hex strings.
type ConstraintProofs struct {
	ConstraintTypes []uint64
	Payloads        [][]byte
}

// Validate checks the limits and that every type has one payload.
func (p *ConstraintProofs) Validate() error {
	if len(p.ConstraintTypes) != len(p.Payloads) {
		return fmt.Errorf("%w: %d constraint types, %d payloads", ErrConstraintsJSON, len(p.ConstraintTypes), len(p.Payloads))
	}
	if len(p.ConstraintTypes) > MaxConstraintsPerSlot {
		return fmt.Errorf("%w: %d proofs", ErrConstraintsLimit, len(p.ConstraintTypes))
	}
	return nil
}

// Validate checks the structure of the message before any cryptography:
// limits, at least one constraint, non-zero keys.
func (m *ConstraintsMessage) Validate() error {
	if len(m.Constraints) == 0 {
		return ErrConstraintsEmpty
	}
	if len(m.Constraints) > MaxConstraintsPerSlot {
		return fmt.Errorf("%w: %d constraints > %d", ErrConstraintsLimit, len(m.Constraints), MaxConstraintsPerSlot)
	}
	for i, c := range m.Constraints {
		if len(c.Payload) > MaxConstraintPayload {
			return fmt.Errorf("%w: constraint %d payload has %d bytes", ErrConstraintsLimit, i, len(c.Payload))
		}
	}
	if len(m.Receivers) > MaxReceivers {
		return fmt.Errorf("%w: %d receivers > %d", ErrConstraintsLimit, len(m.Receivers), MaxReceivers)
	}
	// Receivers must also be curve points: the signing root decompresses them.
	for i, r := range m.Receivers {
		if r == (BLSPubkey{}) {
			return fmt.Errorf("%w: receiver %d is zero", ErrBLSPubkey, i)
		}
	}
	if m.Proposer == (BLSPubkey{}) || m.Delegate == (BLSPubkey{}) {
		return fmt.Errorf("%w: zero proposer or delegate", ErrBLSPubkey)
	}
	return nil
}

// Validate checks the structure of the delegation before any cryptography.
func (d *Delegation) Validate() error {
	if len(d.Metadata) > MaxMetadata {
		return fmt.Errorf("%w: metadata has %d bytes > %d", ErrConstraintsLimit, len(d.Metadata), MaxMetadata)
	}
	if d.Proposer == (BLSPubkey{}) || d.Delegate == (BLSPubkey{}) {
		return fmt.Errorf("%w: zero proposer or delegate", ErrBLSPubkey)
	}
	return nil
}

// Validate checks the structure of the revocation before any cryptography.
func (r *Revocation) Validate() error {
	if r.Proposer == (BLSPubkey{}) || r.Delegate == (BLSPubkey{}) {
		return fmt.Errorf("%w: zero proposer or delegate", ErrBLSPubkey)
	}
	return nil
}

// hashedMessage is a message with a URC-style message hash.
type hashedMessage interface {
	MessageHash() (common.Hash, error)
}

// signingRoot is the Commit-Boost root of msg for a signing id and nonce.
func signingRoot(msg hashedMessage, d Domains, signingID common.Hash, nonce uint64) ([32]byte, error) {
	h, err := msg.MessageHash()
	if err != nil {
		return [32]byte{}, err
	}
	return d.SigningRoot(h, signingID, nonce), nil
}

// SigningRoot returns the root Delegate signed, with the message's own
// signing id and nonce.
func (s *SignedConstraints) SigningRoot(d Domains) ([32]byte, error) {
	return signingRoot(&s.Message, d, s.SigningID, s.Nonce)
}

// SigningRoot returns the root Proposer signed, with the message's own
// signing id and nonce.
func (s *SignedDelegation) SigningRoot(d Domains) ([32]byte, error) {
	return signingRoot(&s.Message, d, s.SigningID, s.Nonce)
}

// SigningRoot returns the root Proposer signed, with the message's own
// signing id and nonce.
func (s *SignedRevocation) SigningRoot(d Domains) ([32]byte, error) {
	return signingRoot(&s.Message, d, s.SigningID, s.Nonce)
}

// signRoot signs msg's root under d's signing id and nonce after checking sk
// belongs to signer, so a misconfigured key fails here instead of at every
// relay.
func signRoot(msg hashedMessage, d Domains, signer BLSPubkey, sk *bls.SecretKey) (BLSSignature, error) {
	if sk == nil {
		return BLSSignature{}, fmt.Errorf("%w: nil secret key", ErrBLSWrongKey)
	}
	pub, err := PubkeyFromSecretKey(sk)
	if err != nil {
		return BLSSignature{}, err
	}
	if pub != signer {
		return BLSSignature{}, fmt.Errorf("%w: key is %s, signer is %s", ErrBLSWrongKey, pub, signer)
	}
	root, err := signingRoot(msg, d, d.SigningID, d.Nonce)
	if err != nil {
		return BLSSignature{}, err
	}
	var sig BLSSignature
	copy(sig[:], bls.SignatureToBytes(bls.Sign(sk, root[:])))
	return sig, nil
}

// VerifyRoot checks sig by signer over root (Ethereum's POP ciphersuite).
func VerifyRoot(root [32]byte, signer BLSPubkey, sig BLSSignature) error {
	pk, err := signer.publicKey()
	if err != nil {
		return err
	}
	s, err := bls.SignatureFromBytes(sig[:])
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBLSSignatureMalformed, err)
	}
	ok, err := bls.VerifySignature(s, pk, root[:])
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBLSSignatureMalformed, err)
	}
	if !ok {
		return ErrBLSSignatureMismatch
	}
	return nil
}

// SignConstraints validates m and signs it with sk, which must be m.Delegate's key.
func SignConstraints(m *ConstraintsMessage, d Domains, sk *bls.SecretKey) (*SignedConstraints, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sig, err := signRoot(m, d, m.Delegate, sk)
	if err != nil {
		return nil, fmt.Errorf("sign constraints for slot %d: %w", m.Slot, err)
	}
	return &SignedConstraints{Message: *m, Nonce: d.Nonce, SigningID: d.SigningID, Signature: sig}, nil
}

// Verify checks the structure of the message and that Delegate signed it.
// Whether Delegate may sign for Proposer (itself, or through a Delegation for
// the slot) is the caller's check.
func (s *SignedConstraints) Verify(d Domains) error {
	if err := s.Message.Validate(); err != nil {
		return err
	}
	root, err := s.SigningRoot(d)
	if err != nil {
		return fmt.Errorf("constraints for slot %d: %w", s.Message.Slot, err)
	}
	if err := VerifyRoot(root, s.Message.Delegate, s.Signature); err != nil {
		return fmt.Errorf("constraints for slot %d: %w", s.Message.Slot, err)
	}
	return nil
}

// SignDelegation validates m and signs it with sk, which must be m.Proposer's key.
func SignDelegation(m *Delegation, d Domains, sk *bls.SecretKey) (*SignedDelegation, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sig, err := signRoot(m, d, m.Proposer, sk)
	if err != nil {
		return nil, fmt.Errorf("sign delegation for slot %d: %w", m.Slot, err)
	}
	return &SignedDelegation{Message: *m, Nonce: d.Nonce, SigningID: d.SigningID, Signature: sig}, nil
}

// Verify checks the structure of the delegation and that Proposer signed it.
func (s *SignedDelegation) Verify(d Domains) error {
	if err := s.Message.Validate(); err != nil {
		return err
	}
	root, err := s.SigningRoot(d)
	if err != nil {
		return fmt.Errorf("delegation for slot %d: %w", s.Message.Slot, err)
	}
	if err := VerifyRoot(root, s.Message.Proposer, s.Signature); err != nil {
		return fmt.Errorf("delegation for slot %d: %w", s.Message.Slot, err)
	}
	return nil
}

// SignRevocation validates m and signs it with sk, which must be m.Proposer's key.
func SignRevocation(m *Revocation, d Domains, sk *bls.SecretKey) (*SignedRevocation, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sig, err := signRoot(m, d, m.Proposer, sk)
	if err != nil {
		return nil, fmt.Errorf("sign revocation for slot %d: %w", m.Slot, err)
	}
	return &SignedRevocation{Message: *m, Nonce: d.Nonce, SigningID: d.SigningID, Signature: sig}, nil
}

// Verify checks the structure of the revocation and that Proposer signed it.
func (s *SignedRevocation) Verify(d Domains) error {
	if err := s.Message.Validate(); err != nil {
		return err
	}
	root, err := s.SigningRoot(d)
	if err != nil {
		return fmt.Errorf("revocation for slot %d: %w", s.Message.Slot, err)
	}
	if err := VerifyRoot(root, s.Message.Proposer, s.Signature); err != nil {
		return fmt.Errorf("revocation for slot %d: %w", s.Message.Slot, err)
	}
	return nil
}

// JSON. Numbers are decimal strings; byte strings are 0x-hex.

// slotJSON is a uint64 written as a decimal string, as in the beacon and
// builder APIs and the spec's examples; read from a decimal string or a JSON
// number, which the reference implementation writes.
type slotJSON uint64

func (v slotJSON) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(uint64(v), 10) + `"`), nil
}

func (v *slotJSON) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			s = ""
		}
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return fmt.Errorf("%w: want a decimal number, got %s", ErrConstraintsJSON, b)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrConstraintsJSON, s, err)
	}
	*v = slotJSON(n)
	return nil
}

// typeJSON is a constraint type: written as a decimal string; read from a
// decimal string, a JSON number or a 0x-hex string (all three appear in the
// spec's examples).
type typeJSON uint64

func (v typeJSON) MarshalJSON() ([]byte, error) { return slotJSON(v).MarshalJSON() }

func (v *typeJSON) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("%w: constraint type %s", ErrConstraintsJSON, b)
		}
		s = u
	}
	var n uint64
	var err error
	if rest, ok := strings.CutPrefix(s, "0x"); ok && len(b) > 0 && b[0] == '"' {
		if rest == "" {
			return fmt.Errorf("%w: constraint type %s", ErrConstraintsJSON, b)
		}
		n, err = strconv.ParseUint(rest, 16, 64)
	} else {
		n, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil {
		return fmt.Errorf("%w: constraint type %s: %w", ErrConstraintsJSON, b, err)
	}
	*v = typeJSON(n)
	return nil
}

type constraintJSON struct {
	ConstraintType *typeJSON      `json:"constraintType"`
	Payload        *hexutil.Bytes `json:"payload"`
	// The reference implementation's key, read only.
	ConstraintTypeSnake *typeJSON `json:"constraint_type,omitempty"`
}

// MarshalJSON writes {"constraintType": "<decimal>", "payload": "0x.."}.
func (c Constraint) MarshalJSON() ([]byte, error) {
	t := typeJSON(c.ConstraintType)
	p := hexutil.Bytes(c.Payload)
	return json.Marshal(constraintJSON{ConstraintType: &t, Payload: &p})
}

// UnmarshalJSON requires both fields.
func (c *Constraint) UnmarshalJSON(b []byte) error {
	var j constraintJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: constraint: %w", ErrConstraintsJSON, err)
	}
	if j.ConstraintType == nil {
		j.ConstraintType = j.ConstraintTypeSnake
	}
	if j.ConstraintType == nil || j.Payload == nil {
		return fmt.Errorf("%w: constraint needs constraintType and payload", ErrConstraintsJSON)
	}
	if len(*j.Payload) > MaxConstraintPayload {
		return fmt.Errorf("%w: payload has %d bytes", ErrConstraintsLimit, len(*j.Payload))
	}
	*c = Constraint{ConstraintType: uint64(*j.ConstraintType), Payload: []byte(*j.Payload)}
	return nil
}

type constraintsMessageJSON struct {
	Proposer    *BLSPubkey   `json:"proposer"`
	Delegate    *BLSPubkey   `json:"delegate"`
	Slot        *slotJSON    `json:"slot"`
	Constraints []Constraint `json:"constraints"`
	Receivers   []BLSPubkey  `json:"receivers"`
}

// MarshalJSON writes the constraints-specs form; empty lists are [] not null.
func (m ConstraintsMessage) MarshalJSON() ([]byte, error) {
	slot := slotJSON(m.Slot)
	j := constraintsMessageJSON{
		Proposer: &m.Proposer, Delegate: &m.Delegate, Slot: &slot,
		Constraints: m.Constraints, Receivers: m.Receivers,
	}
	if j.Constraints == nil {
		j.Constraints = []Constraint{}
	}
	if j.Receivers == nil {
		j.Receivers = []BLSPubkey{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON requires proposer, delegate and slot and enforces list limits
// while decoding, so an oversized message is refused before it is validated.
func (m *ConstraintsMessage) UnmarshalJSON(b []byte) error {
	var j constraintsMessageJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return wrapJSON("constraints message", err)
	}
	if j.Proposer == nil || j.Delegate == nil || j.Slot == nil {
		return fmt.Errorf("%w: constraints message needs proposer, delegate and slot", ErrConstraintsJSON)
	}
	if len(j.Constraints) > MaxConstraintsPerSlot || len(j.Receivers) > MaxReceivers {
		return fmt.Errorf("%w: %d constraints, %d receivers", ErrConstraintsLimit, len(j.Constraints), len(j.Receivers))
	}
	*m = ConstraintsMessage{
		Proposer: *j.Proposer, Delegate: *j.Delegate, Slot: uint64(*j.Slot),
		Constraints: j.Constraints, Receivers: j.Receivers,
	}
	return nil
}

type delegationJSON struct {
	Proposer  *BLSPubkey      `json:"proposer"`
	Delegate  *BLSPubkey      `json:"delegate"`
	Committer *common.Address `json:"committer"`
	Slot      *slotJSON       `json:"slot"`
	Metadata  *hexutil.Bytes  `json:"metadata"`
}

// MarshalJSON writes the constraints-specs form.
func (d Delegation) MarshalJSON() ([]byte, error) {
	slot := slotJSON(d.Slot)
	meta := hexutil.Bytes(d.Metadata)
	if meta == nil {
		meta = hexutil.Bytes{}
	}
	return json.Marshal(delegationJSON{Proposer: &d.Proposer, Delegate: &d.Delegate, Committer: &d.Committer, Slot: &slot, Metadata: &meta})
}

// UnmarshalJSON requires every field but metadata (absent means empty).
func (d *Delegation) UnmarshalJSON(b []byte) error {
	var j delegationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return wrapJSON("delegation", err)
	}
	if j.Proposer == nil || j.Delegate == nil || j.Committer == nil || j.Slot == nil {
		return fmt.Errorf("%w: delegation needs proposer, delegate, committer and slot", ErrConstraintsJSON)
	}
	out := Delegation{Proposer: *j.Proposer, Delegate: *j.Delegate, Committer: *j.Committer, Slot: uint64(*j.Slot)}
	if j.Metadata != nil {
		out.Metadata = []byte(*j.Metadata)
	}
	if len(out.Metadata) > MaxMetadata {
		return fmt.Errorf("%w: metadata has %d bytes", ErrConstraintsLimit, len(out.Metadata))
	}
	*d = out
	return nil
}

type revocationJSON struct {
	Proposer *BLSPubkey `json:"proposer"`
	Delegate *BLSPubkey `json:"delegate"`
	Slot     *slotJSON  `json:"slot"`
}

// MarshalJSON writes {"proposer", "delegate", "slot"}.
func (r Revocation) MarshalJSON() ([]byte, error) {
	slot := slotJSON(r.Slot)
	return json.Marshal(revocationJSON{Proposer: &r.Proposer, Delegate: &r.Delegate, Slot: &slot})
}

// UnmarshalJSON requires every field.
func (r *Revocation) UnmarshalJSON(b []byte) error {
	var j revocationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return wrapJSON("revocation", err)
	}
	if j.Proposer == nil || j.Delegate == nil || j.Slot == nil {
		return fmt.Errorf("%w: revocation needs proposer, delegate and slot", ErrConstraintsJSON)
	}
	*r = Revocation{Proposer: *j.Proposer, Delegate: *j.Delegate, Slot: uint64(*j.Slot)}
	return nil
}

type constraintProofsJSON struct {
	ConstraintTypes []typeJSON      `json:"constraintTypes"`
	Payloads        []hexutil.Bytes `json:"payloads"`
	// The reference implementation's key, read only.
	ConstraintTypesSnake []typeJSON `json:"constraint_types,omitempty"`
}

// MarshalJSON writes {"constraintTypes": ["1", ...], "payloads": ["0x..", ...]}.
func (p ConstraintProofs) MarshalJSON() ([]byte, error) {
	j := constraintProofsJSON{ConstraintTypes: make([]typeJSON, len(p.ConstraintTypes)), Payloads: make([]hexutil.Bytes, len(p.Payloads))}
	for i, t := range p.ConstraintTypes {
		j.ConstraintTypes[i] = typeJSON(t)
	}
	for i, b := range p.Payloads {
		j.Payloads[i] = b
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes and validates (equal lengths, within limits).
func (p *ConstraintProofs) UnmarshalJSON(b []byte) error {
	var j constraintProofsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return wrapJSON("constraint proofs", err)
	}
	if j.ConstraintTypes == nil {
		j.ConstraintTypes = j.ConstraintTypesSnake
	}
	out := ConstraintProofs{ConstraintTypes: make([]uint64, len(j.ConstraintTypes)), Payloads: make([][]byte, len(j.Payloads))}
	for i, t := range j.ConstraintTypes {
		out.ConstraintTypes[i] = uint64(t)
	}
	for i, pl := range j.Payloads {
		out.Payloads[i] = pl
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*p = out
	return nil
}

// wrapJSON keeps this package's sentinel on every decoding error, including
// the ones encoding/json reports itself.
func wrapJSON(what string, err error) error {
	if errors.Is(err, ErrConstraintsJSON) || errors.Is(err, ErrConstraintsLimit) {
		return err
	}
	return fmt.Errorf("%w: %s: %w", ErrConstraintsJSON, what, err)
}

// Equal reports whether two messages are the same, field by field (nil and
// empty lists are the same, as they are on the wire).
func (m *ConstraintsMessage) Equal(o *ConstraintsMessage) bool {
	if m.Proposer != o.Proposer || m.Delegate != o.Delegate || m.Slot != o.Slot ||
		len(m.Constraints) != len(o.Constraints) || len(m.Receivers) != len(o.Receivers) {
		return false
	}
	for i := range m.Constraints {
		if m.Constraints[i].ConstraintType != o.Constraints[i].ConstraintType ||
			!bytes.Equal(m.Constraints[i].Payload, o.Constraints[i].Payload) {
			return false
		}
	}
	for i := range m.Receivers {
		if m.Receivers[i] != o.Receivers[i] {
			return false
		}
	}
	return true
}

// signedJSON is the envelope of the three signed messages. Message and
// signature are required, so a body without "message" is refused instead of
// decoding to a zero message; nonce and signing_id, absent from the spec's
// text, default to zero.
type signedJSON struct {
	Message   json.RawMessage `json:"message"`
	Nonce     *slotJSON       `json:"nonce"`
	SigningID *common.Hash    `json:"signing_id"`
	Signature *BLSSignature   `json:"signature"`
}

func decodeSigned(b []byte, what string, msg json.Unmarshaler, nonce *uint64, signingID *common.Hash, sig *BLSSignature) error {
	var j signedJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return wrapJSON(what, err)
	}
	if len(j.Message) == 0 || j.Signature == nil {
		return fmt.Errorf("%w: %s needs message and signature", ErrConstraintsJSON, what)
	}
	if err := msg.UnmarshalJSON(j.Message); err != nil {
		return err
	}
	*sig = *j.Signature
	if j.Nonce != nil {
		*nonce = uint64(*j.Nonce)
	}
	if j.SigningID != nil {
		*signingID = *j.SigningID
	}
	return nil
}

// UnmarshalJSON requires both message and signature.
func (s *SignedConstraints) UnmarshalJSON(b []byte) error {
	var out SignedConstraints
	if err := decodeSigned(b, "signed constraints", &out.Message, &out.Nonce, &out.SigningID, &out.Signature); err != nil {
		return err
	}
	*s = out
	return nil
}

// UnmarshalJSON requires both message and signature.
func (s *SignedDelegation) UnmarshalJSON(b []byte) error {
	var out SignedDelegation
	if err := decodeSigned(b, "signed delegation", &out.Message, &out.Nonce, &out.SigningID, &out.Signature); err != nil {
		return err
	}
	*s = out
	return nil
}

// UnmarshalJSON requires both message and signature.
func (s *SignedRevocation) UnmarshalJSON(b []byte) error {
	var out SignedRevocation
	if err := decodeSigned(b, "signed revocation", &out.Message, &out.Nonce, &out.SigningID, &out.Signature); err != nil {
		return err
	}
	*s = out
	return nil
}
