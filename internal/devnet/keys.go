package devnet

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// Validator is one of the devnet's validators, with its real BLS key.
type Validator struct {
	Index     uint64
	SecretKey *bls.SecretKey
	Pubkey    phase0.BLSPubKey
	// FeeRecipient is where the validator registers its execution rewards.
	FeeRecipient common.Address
}

// seeded hashes a label, the seed and an index: the root of every
// deterministic value of the devnet, so one seed reproduces a whole network.
func seeded(label, seed string, i uint64) [32]byte {
	var idx [8]byte
	binary.BigEndian.PutUint64(idx[:], i)
	h := sha256.New()
	h.Write([]byte("pledge-devnet/" + label + "/"))
	h.Write([]byte(seed))
	h.Write(idx[:])
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// NewValidators derives n validators from seed. The secret key is a hash of
// the seed reduced modulo the curve order, so the same seed always gives
// the same keys (and the same keys in the sidecar's config).
func NewValidators(seed string, n int, feeRecipient common.Address) ([]Validator, error) {
	out := make([]Validator, n)
	for i := range out {
		raw := seeded("validator", seed, uint64(i))
		sk, err := bls.SecretKeyFromBytes(raw[:])
		if err != nil {
			return nil, fmt.Errorf("validator %d key: %w", i, err)
		}
		pub, err := builderapi.PubkeyOf(sk)
		if err != nil {
			return nil, fmt.Errorf("validator %d key: %w", i, err)
		}
		fee := feeRecipient
		if fee == (common.Address{}) {
			h := seeded("fee-recipient", seed, uint64(i))
			fee = common.BytesToAddress(h[12:])
		}
		out[i] = Validator{Index: uint64(i), SecretKey: sk, Pubkey: pub, FeeRecipient: fee}
	}
	return out, nil
}

// NewAccounts derives n funded execution-layer accounts from seed.
func NewAccounts(seed string, n int) ([]*ecdsa.PrivateKey, error) {
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		raw := seeded("account", seed, uint64(i))
		k, err := crypto.ToECDSA(raw[:])
		if err != nil {
			return nil, fmt.Errorf("account %d key: %w", i, err)
		}
		out[i] = k
	}
	return out, nil
}
