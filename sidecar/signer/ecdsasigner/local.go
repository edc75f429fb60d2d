package ecdsasigner

import (
	"context"
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// local signs with a key held in memory (a raw key or geth keystore file
// the sidecar read at start-up).
type local struct{ key *ecdsa.PrivateKey }

// NewLocal returns a Signer holding key in memory. It does no I/O.
func NewLocal(key *ecdsa.PrivateKey, opts ...Option) (*Signer, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: no key", ErrConfig)
	}
	return newSigner(local{key: key}, crypto.PubkeyToAddress(key.PublicKey), opts)
}

func (local) kind() string     { return KindLocal }
func (local) endpoint() string { return "memory" }

func (l local) signTx(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(tx.ChainId()), l.key)
}

func (l local) signRoot(_ context.Context, _ common.Address, _ []byte, root common.Hash) ([]byte, error) {
	return protocol.SignDigest(root, l.key)
}

func (l local) holds(context.Context, common.Address) error { return nil }
