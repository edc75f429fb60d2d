package constraints

import (
	"context"
	"fmt"

	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

// Signer signs a message hash with one BLS key (docs/protocol.md §5.2).
// *blssigner.Signer (a local key or a remote signer, with its timeout and
// checks) and *blssigner.Local fit.
type Signer interface {
	Sign(ctx context.Context, req blssigner.Request) (blssigner.Signature, error)
}

var (
	_ Signer = (*blssigner.Signer)(nil)
	_ Signer = (*blssigner.Local)(nil)
)

// Key is what signs a proposer's constraints for one slot.
type Key struct {
	// Delegate is the key that signs the constraints: the validator's own,
	// or a delegate's.
	Delegate protocol.BLSPubkey
	// Signer signs for Delegate.
	Signer Signer
	// Proposer, when not nil, signs for the validator itself: with a
	// Delegate other than the validator, the Sender has it sign the slot's
	// delegation.
	Proposer Signer
	// Delegation is a delegation to Delegate signed elsewhere (a validator
	// key the sidecar never holds), used when Proposer is nil.
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
	validators map[protocol.BLSPubkey]*blssigner.Local
	delegate   *blssigner.Local
	delegatePK protocol.BLSPubkey
}

var _ KeySource = (*StaticKeys)(nil)

// NewStaticKeys indexes validator secret keys by public key. delegate, when
// not nil, signs every constraint and each validator key signs its
// delegation.
func NewStaticKeys(validators []*bls.SecretKey, delegate *bls.SecretKey) (*StaticKeys, error) {
	k := &StaticKeys{validators: make(map[protocol.BLSPubkey]*blssigner.Local, len(validators))}
	for i, sk := range validators {
		pub, err := protocol.PubkeyFromSecretKey(sk)
		if err != nil {
			return nil, fmt.Errorf("validator key %d: %w", i, err)
		}
		if k.validators[pub], err = blssigner.NewLocal(sk); err != nil {
			return nil, fmt.Errorf("validator key %d: %w", i, err)
		}
	}
	if delegate != nil {
		pub, err := protocol.PubkeyFromSecretKey(delegate)
		if err != nil {
			return nil, fmt.Errorf("delegate key: %w", err)
		}
		if k.delegate, err = blssigner.NewLocal(delegate); err != nil {
			return nil, fmt.Errorf("delegate key: %w", err)
		}
		k.delegatePK = pub
	}
	return k, nil
}

// Key returns the validator's key, or the delegate with the validator's key
// to sign the delegation.
func (k *StaticKeys) Key(proposer protocol.BLSPubkey, _ uint64) (Key, bool) {
	v, ok := k.validators[proposer]
	if !ok {
		return Key{}, false
	}
	if k.delegate != nil {
		return Key{Delegate: k.delegatePK, Signer: k.delegate, Proposer: v}, true
	}
	return Key{Delegate: proposer, Signer: v}, true
}
