package registry

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
)

// PopTag starts every proof-of-possession message; the contract packs the same
// 32 bytes (the string right-padded with zeros).
const PopTag = "pledge.registry.pop.v1"

// Sizes of the EIP-2537 point encodings and of a compressed public key.
const (
	G1EncodingLength    = 128
	G2EncodingLength    = 256
	CompressedKeyLength = bls.PublicKeyLength
)

// ProofOfPossession is one validator key with its proof, in the forms the
// Registry takes (PublicKeyG1, Signature) and indexes (PublicKey).
type ProofOfPossession struct {
	// PublicKey is the 48-byte compressed key (what validators and relays use).
	PublicKey []byte
	// PublicKeyG1 is the key as a 128-byte EIP-2537 G1 point.
	PublicKeyG1 []byte
	// Signature is the BLS signature of PopMessage as a 256-byte EIP-2537 G2 point.
	Signature []byte
}

// PopMessage is what a validator key signs to bind itself to operator in the
// Registry at address registry on chain chainID:
// abi.encodePacked(bytes32(PopTag), uint256 chainID, address registry, address operator).
// Binding the chain and contract keeps a proof from being replayed elsewhere;
// binding the operator keeps anyone else from registering a key they saw.
func PopMessage(chainID *big.Int, registry, operator common.Address) []byte {
	msg := make([]byte, 0, 32+32+20+20)
	var tag [32]byte
	copy(tag[:], PopTag)
	msg = append(msg, tag[:]...)
	msg = append(msg, common.BigToHash(chainID).Bytes()...)
	msg = append(msg, registry.Bytes()...)
	return append(msg, operator.Bytes()...)
}

// Prove signs PopMessage with sk (POP ciphersuite, as go-boost-utils' bls.Sign)
// and returns the key and signature in the encodings the Registry expects.
func Prove(sk *bls.SecretKey, chainID *big.Int, registry, operator common.Address) (*ProofOfPossession, error) {
	if sk == nil {
		return nil, fmt.Errorf("%w: nil secret key", ErrBadKey)
	}
	pk, err := bls.PublicKeyFromSecretKey(sk)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	sig := bls.Sign(sk, PopMessage(chainID, registry, operator))
	return &ProofOfPossession{
		PublicKey:   bls.PublicKeyToBytes(pk),
		PublicKeyG1: EncodeG1(pk),
		Signature:   EncodeG2(sig),
	}, nil
}

// EncodeG1 returns the 128-byte EIP-2537 encoding of a G1 point: x ‖ y, each
// coordinate 64 bytes big-endian (16 zero bytes of padding). Infinity is all zeros.
func EncodeG1(p *bls.PublicKey) []byte {
	out := make([]byte, G1EncodingLength)
	x, y := p.X.Bytes(), p.Y.Bytes()
	copy(out[16:64], x[:])
	copy(out[80:128], y[:])
	return out
}

// EncodeG2 returns the 256-byte EIP-2537 encoding of a G2 point:
// x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, each 64 bytes. (The compressed form puts c1 first;
// EIP-2537 does not.)
func EncodeG2(p *bls.Signature) []byte {
	out := make([]byte, G2EncodingLength)
	for i, fe := range [4][48]byte{p.X.A0.Bytes(), p.X.A1.Bytes(), p.Y.A0.Bytes(), p.Y.A1.Bytes()} {
		copy(out[i*64+16:(i+1)*64], fe[:])
	}
	return out
}

// CompressedToG1 turns a 48-byte compressed public key into its EIP-2537
// encoding, checking that it is a valid key (on the curve, in the subgroup).
func CompressedToG1(compressed []byte) ([]byte, error) {
	pk, err := bls.PublicKeyFromBytes(compressed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	if pk.IsInfinity() {
		return nil, fmt.Errorf("%w: point at infinity", ErrBadKey)
	}
	return EncodeG1(pk), nil
}

// CompressedSignatureToG2 turns a 96-byte compressed signature into its
// EIP-2537 encoding (for proofs made elsewhere, e.g. by a remote signer).
func CompressedSignatureToG2(compressed []byte) ([]byte, error) {
	sig, err := bls.SignatureFromBytes(compressed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return EncodeG2(sig), nil
}

// KeyHash is the Registry's index of a key: keccak256 of the compressed key.
func KeyHash(compressed []byte) common.Hash {
	return crypto.Keccak256Hash(compressed)
}
