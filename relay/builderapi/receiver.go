package builderapi

import (
	"encoding/binary"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
)

// Headers of the Constraints API's receiver authorization. The spec names
// only X-Receiver-Signature ("a BLS signature over the requested slot");
// X-Receiver-PublicKey is optional here and only saves the relay from trying
// every key of the receivers list.
const (
	HeaderReceiverSignature = "X-Receiver-Signature"
	HeaderReceiverPublicKey = "X-Receiver-PublicKey"
)

// DomainTypeReceiver is Pledge's domain type for the receiver signature over
// a slot, next to the protocol's 0x706c00/01/0201 types. The Constraints API
// leaves the signing scheme open; signing under a domain of its own keeps the
// signature from passing as any other message.
var DomainTypeReceiver = phase0.DomainType{0x70, 0x6c, 0x03, 0x01}

// ReceiverDomain returns compute_domain(DomainTypeReceiver, genesisForkVersion, zero root).
func ReceiverDomain(genesisForkVersion phase0.Version) phase0.Domain {
	return boostssz.ComputeDomain(DomainTypeReceiver, genesisForkVersion, phase0.Root{})
}

// receiverSlot is the signed object: the slot as an SSZ uint64, whose
// hash_tree_root is its little-endian bytes padded to 32.
type receiverSlot uint64

func (s receiverSlot) HashTreeRoot() ([32]byte, error) {
	var r [32]byte
	binary.LittleEndian.PutUint64(r[:8], uint64(s))
	return r, nil
}

// SignReceiver returns the X-Receiver-Signature of sk for slot.
func SignReceiver(slot uint64, domain phase0.Domain, sk *bls.SecretKey) (phase0.BLSSignature, error) {
	sig, err := boostssz.SignMessage(receiverSlot(slot), domain, sk)
	if err != nil {
		return phase0.BLSSignature{}, fmt.Errorf("sign receiver slot: %w", err)
	}
	return sig, nil
}

// VerifyReceiver checks an X-Receiver-Signature by pubkey for slot.
func VerifyReceiver(slot uint64, domain phase0.Domain, pubkey phase0.BLSPubKey, sig phase0.BLSSignature) error {
	return VerifySigned(receiverSlot(slot), domain, pubkey, sig)
}
