package constraints

import (
	"fmt"

	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Key is what signs a proposer's constraints for one slot.
type Key struct {
	// Signer signs the constraints: the validator's key or a delegate's.
	Signer *bls.SecretKey
	// Proposer is the validator's own key, when the sidecar holds it: with a
	// delegate Signer, the Sender signs the slot's delegation with it.
	Proposer *bls.SecretKey
	// Delegation is a delegation to Signer signed elsewhere (a remote
	// validator key), used when Proposer is nil.
	Delegation *protocol.SignedDelegation
}

// KeySource looks up the key that signs constraints for proposer in slot;
// false when the sidecar has none (the slot is not ours to constrain).
type KeySource interface {
	Key(proposer protocol.BLSPubkey, slot uint64) (Key, bool)
}

// StaticKeys is a KeySource over validator keys held in memory, optionally
// all delegating to one delegate key.
type StaticKeys struct {
	validators map[protocol.BLSPubkey]*bls.SecretKey
	delegate   *bls.SecretKey
}

var _ KeySource = (*StaticKeys)(nil)

// NewStaticKeys indexes validator secret keys by public key. delegate, when
// not nil, signs every constraint and each validator key signs its
// delegation.
func NewStaticKeys(validators []*bls.SecretKey, delegate *bls.SecretKey) (*StaticKeys, error) {
	k := &StaticKeys{validators: make(map[protocol.BLSPubkey]*bls.SecretKey, len(validators)), delegate: delegate}
	for i, sk := range validators {
		pub, err := protocol.PubkeyFromSecretKey(sk)
		if err != nil {
			return nil, fmt.Errorf("validator key %d: %w", i, err)
		}
		k.validators[pub] = sk
	}
	if delegate != nil {
		if _, err := protocol.PubkeyFromSecretKey(delegate); err != nil {
			return nil, fmt.Errorf("delegate key: %w", err)
		}
	}
	return k, nil
}

// Key returns the validator's key, or the delegate with the validator's key
// to sign the delegation.
func (k *StaticKeys) Key(proposer protocol.BLSPubkey, _ uint64) (Key, bool) {
	sk, ok := k.validators[proposer]
	if !ok {
		return Key{}, false
	}
	if k.delegate != nil {
		return Key{Signer: k.delegate, Proposer: sk}, true
	}
	return Key{Signer: sk}, true
}
