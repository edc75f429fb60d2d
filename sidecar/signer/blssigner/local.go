package blssigner

import (
	"context"
	"fmt"
	"slices"

	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Local signs with secret keys held in memory, with the signing id and
// nonce each request asks for: what a Commit-Boost signer makes for a
// module with that signing id.
type Local struct {
	keys map[protocol.BLSPubkey]*bls.SecretKey
	list []protocol.BLSPubkey
}

var _ Backend = (*Local)(nil)

// NewLocal indexes keys by public key.
func NewLocal(keys ...*bls.SecretKey) (*Local, error) {
	l := &Local{keys: make(map[protocol.BLSPubkey]*bls.SecretKey, len(keys))}
	for i, sk := range keys {
		if sk == nil {
			return nil, fmt.Errorf("%w: key %d is nil", ErrConfig, i)
		}
		pub, err := protocol.PubkeyFromSecretKey(sk)
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %w", ErrConfig, i, err)
		}
		if _, dup := l.keys[pub]; !dup {
			l.list = append(l.list, pub)
		}
		l.keys[pub] = sk
	}
	return l, nil
}

// Kind is "local".
func (l *Local) Kind() string { return "local" }

// Endpoint is "memory".
func (l *Local) Endpoint() string { return "memory" }

// Sign signs req.Domains' signing root of req.MessageHash.
func (l *Local) Sign(_ context.Context, req Request) (Signature, error) {
	sk, ok := l.keys[req.Pubkey]
	if !ok {
		return Signature{}, fmt.Errorf("%w: %s", ErrUnknownKey, req.Pubkey)
	}
	d := req.Domains
	root := d.SigningRoot(req.MessageHash, d.SigningID, d.Nonce)
	var sig protocol.BLSSignature
	copy(sig[:], bls.SignatureToBytes(bls.Sign(sk, root[:])))
	return Signature{Signature: sig, SigningID: d.SigningID, Nonce: d.Nonce}, nil
}

// Pubkeys lists the keys in the order given.
func (l *Local) Pubkeys(context.Context) ([]protocol.BLSPubkey, error) {
	return slices.Clone(l.list), nil
}

// Check is always nil.
func (l *Local) Check(context.Context) error { return nil }
