package builderapi

import (
	"encoding/binary"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Headers of the Constraints API's receiver authorization. The spec names
// only X-Receiver-Signature; X-Receiver-PublicKey, which the reference
// implementation requires, is optional here and only saves the relay from
// trying every key of the receivers list. X-Receiver-SigningId and
// X-Receiver-Nonce mark the reference implementation's Commit-Boost form.
const (
	HeaderReceiverSignature = "X-Receiver-Signature"
	HeaderReceiverPublicKey = "X-Receiver-PublicKey"
	HeaderReceiverSigningID = "X-Receiver-SigningId"
	HeaderReceiverNonce     = "X-Receiver-Nonce"
)

// receiverSlot is the object builder.md signs: the slot as an SSZ uint64,
// whose hash_tree_root is its little-endian bytes padded to 32.
type receiverSlot uint64

func (s receiverSlot) HashTreeRoot() ([32]byte, error) {
	var r [32]byte
	binary.LittleEndian.PutUint64(r[:8], uint64(s))
	return r, nil
}

// SignReceiver returns the X-Receiver-Signature of sk for slot as
// builder.md defines it: bls.Sign(sk, compute_signing_root(slot,
// compute_domain(DOMAIN_APPLICATION_BUILDER))). builderDomain is
// BuilderDomain(genesisForkVersion).
func SignReceiver(slot uint64, builderDomain phase0.Domain, sk *bls.SecretKey) (phase0.BLSSignature, error) {
	sig, err := boostssz.SignMessage(receiverSlot(slot), builderDomain, sk)
	if err != nil {
		return phase0.BLSSignature{}, fmt.Errorf("sign receiver slot: %w", err)
	}
	return sig, nil
}

// VerifyReceiver checks a builder.md X-Receiver-Signature by pubkey for slot.
func VerifyReceiver(slot uint64, builderDomain phase0.Domain, pubkey phase0.BLSPubKey, sig phase0.BLSSignature) error {
	return VerifySigned(receiverSlot(slot), builderDomain, pubkey, sig)
}

// ReceiverMessageHash is the data the reference implementation's relay
// checks a receiver's Commit-Boost signature over: keccak256 of the slot as
// 8 big-endian bytes.
func ReceiverMessageHash(slot uint64) common.Hash {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], slot)
	return crypto.Keccak256Hash(b[:])
}

// VerifyReceiverCommitBoost checks the reference implementation's form of
// the header: pubkey's Commit-Boost signature over ReceiverMessageHash(slot)
// with the signing id and nonce of the X-Receiver-SigningId and
// X-Receiver-Nonce headers.
func VerifyReceiverCommitBoost(slot uint64, d protocol.Domains, signingID common.Hash, nonce uint64, pubkey phase0.BLSPubKey, sig phase0.BLSSignature) error {
	root := d.SigningRoot(ReceiverMessageHash(slot), signingID, nonce)
	if err := protocol.VerifyRoot(root, protocol.BLSPubkey(pubkey), protocol.BLSSignature(sig)); err != nil {
		return fmt.Errorf("%w: receiver %#x: %w", ErrSignature, pubkey[:], err)
	}
	return nil
}
