package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	ssz "github.com/ferranbt/fastssz"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
)

// Constraints API limits (eth-fabric constraints-specs leaves them open; these
// are Pledge's, and they are the SSZ list limits used in hash_tree_root, so
// changing one changes every signing root).
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

// Domain types of Pledge's BLS messages ("pl" then a per-message byte pair).
// Beacon-chain domain types are 0x0X000000, so none of these signatures is
// valid as a beacon message, nor as a builder-API one (0x00000001).
var (
	DomainTypeConstraints = phase0.DomainType{0x70, 0x6c, 0x00, 0x01}
	DomainTypeDelegation  = phase0.DomainType{0x70, 0x6c, 0x01, 0x01}
	DomainTypeRevocation  = phase0.DomainType{0x70, 0x6c, 0x02, 0x01}
)

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

// Domains are the BLS signing domains of one network:
// compute_domain(type, genesisForkVersion, genesis_validators_root = 0).
type Domains struct {
	Constraints phase0.Domain
	Delegation  phase0.Domain
	Revocation  phase0.Domain
}

// NewDomains returns the domains for the network with the given genesis fork
// version (0x00000000 on mainnet).
func NewDomains(genesisForkVersion [4]byte) Domains {
	v := phase0.Version(genesisForkVersion)
	return Domains{
		Constraints: boostssz.ComputeDomain(DomainTypeConstraints, v, phase0.Root{}),
		Delegation:  boostssz.ComputeDomain(DomainTypeDelegation, v, phase0.Root{}),
		Revocation:  boostssz.ComputeDomain(DomainTypeRevocation, v, phase0.Root{}),
	}
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
// the Proposer itself when it signs without a delegation).
type SignedConstraints struct {
	Message   ConstraintsMessage `json:"message"`
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

// SignedDelegation is a Delegation signed by its Proposer.
type SignedDelegation struct {
	Message   Delegation   `json:"message"`
	Signature BLSSignature `json:"signature"`
}

// Revocation withdraws a Delegation (Pledge extension, /constraints/v0/builder/revoke).
type Revocation struct {
	Proposer BLSPubkey
	Delegate BLSPubkey
	Slot     uint64
}

// SignedRevocation is a Revocation signed by its Proposer.
type SignedRevocation struct {
	Message   Revocation   `json:"message"`
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
	// Receivers are only compared by relays, never used to verify here, so a
	// cheap zero check stands in for decompressing up to 64 points.
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

// hash_tree_root, written against fastssz's HashWalker the way sszgen would:
// each container marks its start, puts one chunk (or sub-root) per field and
// merkleizes. List limits are the constants above.

// HashTreeRootWith hashes Constraint{constraintType uint64, payload ByteList[2^20]}.
func (c *Constraint) HashTreeRootWith(hh ssz.HashWalker) error {
	if len(c.Payload) > MaxConstraintPayload {
		return fmt.Errorf("%w: payload has %d bytes", ErrConstraintsLimit, len(c.Payload))
	}
	idx := hh.Index()
	hh.PutUint64(c.ConstraintType)
	sub := hh.Index()
	hh.Append(c.Payload)
	hh.MerkleizeWithMixin(sub, uint64(len(c.Payload)), (MaxConstraintPayload+31)/32)
	hh.Merkleize(idx)
	return nil
}

// HashTreeRoot returns hash_tree_root(c).
func (c *Constraint) HashTreeRoot() ([32]byte, error) { return hashWith(c.HashTreeRootWith) }

// HashTreeRootWith hashes ConstraintsMessage{proposer, delegate, slot,
// constraints List[Constraint,256], receivers List[BLSPubkey,64]}.
func (m *ConstraintsMessage) HashTreeRootWith(hh ssz.HashWalker) error {
	if len(m.Constraints) > MaxConstraintsPerSlot || len(m.Receivers) > MaxReceivers {
		return fmt.Errorf("%w: %d constraints, %d receivers", ErrConstraintsLimit, len(m.Constraints), len(m.Receivers))
	}
	idx := hh.Index()
	hh.PutBytes(m.Proposer[:])
	hh.PutBytes(m.Delegate[:])
	hh.PutUint64(m.Slot)
	sub := hh.Index()
	for i := range m.Constraints {
		if err := m.Constraints[i].HashTreeRootWith(hh); err != nil {
			return fmt.Errorf("constraint %d: %w", i, err)
		}
	}
	hh.MerkleizeWithMixin(sub, uint64(len(m.Constraints)), MaxConstraintsPerSlot)
	sub = hh.Index()
	for i := range m.Receivers {
		hh.PutBytes(m.Receivers[i][:])
	}
	hh.MerkleizeWithMixin(sub, uint64(len(m.Receivers)), MaxReceivers)
	hh.Merkleize(idx)
	return nil
}

// HashTreeRoot returns hash_tree_root(m).
func (m *ConstraintsMessage) HashTreeRoot() ([32]byte, error) { return hashWith(m.HashTreeRootWith) }

// HashTreeRootWith hashes Delegation{proposer, delegate, committer Bytes20,
// slot, metadata ByteList[1024]}.
func (d *Delegation) HashTreeRootWith(hh ssz.HashWalker) error {
	if len(d.Metadata) > MaxMetadata {
		return fmt.Errorf("%w: metadata has %d bytes", ErrConstraintsLimit, len(d.Metadata))
	}
	idx := hh.Index()
	hh.PutBytes(d.Proposer[:])
	hh.PutBytes(d.Delegate[:])
	hh.PutBytes(d.Committer[:])
	hh.PutUint64(d.Slot)
	sub := hh.Index()
	hh.Append(d.Metadata)
	hh.MerkleizeWithMixin(sub, uint64(len(d.Metadata)), (MaxMetadata+31)/32)
	hh.Merkleize(idx)
	return nil
}

// HashTreeRoot returns hash_tree_root(d).
func (d *Delegation) HashTreeRoot() ([32]byte, error) { return hashWith(d.HashTreeRootWith) }

// HashTreeRootWith hashes Revocation{proposer, delegate, slot}.
func (r *Revocation) HashTreeRootWith(hh ssz.HashWalker) error {
	idx := hh.Index()
	hh.PutBytes(r.Proposer[:])
	hh.PutBytes(r.Delegate[:])
	hh.PutUint64(r.Slot)
	hh.Merkleize(idx)
	return nil
}

// HashTreeRoot returns hash_tree_root(r).
func (r *Revocation) HashTreeRoot() ([32]byte, error) { return hashWith(r.HashTreeRootWith) }

func hashWith(fn func(ssz.HashWalker) error) ([32]byte, error) {
	hh := ssz.DefaultHasherPool.Get()
	defer ssz.DefaultHasherPool.Put(hh)
	if err := fn(hh); err != nil {
		return [32]byte{}, err
	}
	return hh.HashRoot()
}

// SigningRoot returns the root the delegate signs under d.Constraints.
func (m *ConstraintsMessage) SigningRoot(d Domains) ([32]byte, error) {
	return boostssz.ComputeSigningRoot(m, d.Constraints)
}

// SigningRoot returns the root the proposer signs under d.Delegation.
func (d *Delegation) SigningRoot(ds Domains) ([32]byte, error) {
	return boostssz.ComputeSigningRoot(d, ds.Delegation)
}

// SigningRoot returns the root the proposer signs under d.Revocation.
func (r *Revocation) SigningRoot(d Domains) ([32]byte, error) {
	return boostssz.ComputeSigningRoot(r, d.Revocation)
}

// signRoot signs the signing root of obj after checking sk belongs to signer,
// so a misconfigured key fails here instead of at every relay.
func signRoot(obj boostssz.ObjWithHashTreeRoot, domain phase0.Domain, signer BLSPubkey, sk *bls.SecretKey) (BLSSignature, error) {
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
	root, err := boostssz.ComputeSigningRoot(obj, domain)
	if err != nil {
		return BLSSignature{}, err
	}
	var sig BLSSignature
	copy(sig[:], bls.SignatureToBytes(bls.Sign(sk, root[:])))
	return sig, nil
}

// verifyRoot checks sig by signer over obj's signing root under domain.
func verifyRoot(obj boostssz.ObjWithHashTreeRoot, domain phase0.Domain, signer BLSPubkey, sig BLSSignature) error {
	pk, err := signer.publicKey()
	if err != nil {
		return err
	}
	s, err := bls.SignatureFromBytes(sig[:])
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBLSSignatureMalformed, err)
	}
	root, err := boostssz.ComputeSigningRoot(obj, domain)
	if err != nil {
		return err
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
	sig, err := signRoot(m, d.Constraints, m.Delegate, sk)
	if err != nil {
		return nil, fmt.Errorf("sign constraints for slot %d: %w", m.Slot, err)
	}
	return &SignedConstraints{Message: *m, Signature: sig}, nil
}

// Verify checks the structure of the message and that Delegate signed it.
// Whether Delegate may sign for Proposer (itself, or through a Delegation for
// the slot) is the caller's check.
func (s *SignedConstraints) Verify(d Domains) error {
	if err := s.Message.Validate(); err != nil {
		return err
	}
	if _, err := s.Message.Proposer.publicKey(); err != nil {
		return fmt.Errorf("proposer: %w", err)
	}
	if err := verifyRoot(&s.Message, d.Constraints, s.Message.Delegate, s.Signature); err != nil {
		return fmt.Errorf("constraints for slot %d: %w", s.Message.Slot, err)
	}
	return nil
}

// SignDelegation validates m and signs it with sk, which must be m.Proposer's key.
func SignDelegation(m *Delegation, d Domains, sk *bls.SecretKey) (*SignedDelegation, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sig, err := signRoot(m, d.Delegation, m.Proposer, sk)
	if err != nil {
		return nil, fmt.Errorf("sign delegation for slot %d: %w", m.Slot, err)
	}
	return &SignedDelegation{Message: *m, Signature: sig}, nil
}

// Verify checks the structure of the delegation and that Proposer signed it.
func (s *SignedDelegation) Verify(d Domains) error {
	if err := s.Message.Validate(); err != nil {
		return err
	}
	if _, err := s.Message.Delegate.publicKey(); err != nil {
		return fmt.Errorf("delegate: %w", err)
	}
	if err := verifyRoot(&s.Message, d.Delegation, s.Message.Proposer, s.Signature); err != nil {
		return fmt.Errorf("delegation for slot %d: %w", s.Message.Slot, err)
	}
	return nil
}

// SignRevocation validates m and signs it with sk, which must be m.Proposer's key.
func SignRevocation(m *Revocation, d Domains, sk *bls.SecretKey) (*SignedRevocation, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	sig, err := signRoot(m, d.Revocation, m.Proposer, sk)
	if err != nil {
		return nil, fmt.Errorf("sign revocation for slot %d: %w", m.Slot, err)
	}
	return &SignedRevocation{Message: *m, Signature: sig}, nil
}

// Verify checks the structure of the revocation and that Proposer signed it.
func (s *SignedRevocation) Verify(d Domains) error {
	if err := s.Message.Validate(); err != nil {
		return err
	}
	if _, err := s.Message.Delegate.publicKey(); err != nil {
		return fmt.Errorf("delegate: %w", err)
	}
	if err := verifyRoot(&s.Message, d.Revocation, s.Message.Proposer, s.Signature); err != nil {
		return fmt.Errorf("revocation for slot %d: %w", s.Message.Slot, err)
	}
	return nil
}

// JSON. Numbers are decimal strings; byte strings are 0x-hex.

// slotJSON is a uint64 written and read as a decimal string, as in the beacon
// and builder APIs.
type slotJSON uint64

func (v slotJSON) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(uint64(v), 10) + `"`), nil
}

func (v *slotJSON) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil || s == "" {
		return fmt.Errorf("%w: slot must be a decimal string, got %s", ErrConstraintsJSON, b)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: slot %q: %w", ErrConstraintsJSON, s, err)
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

// signedJSON is the envelope of the three signed messages; both fields are
// required, so a body without "message" is refused instead of decoding to a
// zero message.
type signedJSON struct {
	Message   json.RawMessage `json:"message"`
	Signature *BLSSignature   `json:"signature"`
}

func decodeSigned(b []byte, what string, msg json.Unmarshaler, sig *BLSSignature) error {
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
	return nil
}

// UnmarshalJSON requires both message and signature.
func (s *SignedConstraints) UnmarshalJSON(b []byte) error {
	var out SignedConstraints
	if err := decodeSigned(b, "signed constraints", &out.Message, &out.Signature); err != nil {
		return err
	}
	*s = out
	return nil
}

// UnmarshalJSON requires both message and signature.
func (s *SignedDelegation) UnmarshalJSON(b []byte) error {
	var out SignedDelegation
	if err := decodeSigned(b, "signed delegation", &out.Message, &out.Signature); err != nil {
		return err
	}
	*s = out
	return nil
}

// UnmarshalJSON requires both message and signature.
func (s *SignedRevocation) UnmarshalJSON(b []byte) error {
	var out SignedRevocation
	if err := decodeSigned(b, "signed revocation", &out.Message, &out.Signature); err != nil {
		return err
	}
	*s = out
	return nil
}
