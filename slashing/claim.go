package slashing

import (
	"crypto/rand"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/contracts/bindings"
)

// Claim names who receives the watcher's share of a slash. Its hash, bound to
// the slashed promise's digest, must be committed with Slasher.commitClaim in a
// block before the slash: whoever copies the slashing transaction from the
// mempool pays the same beneficiary. The salt keeps the beneficiary hidden
// until the slash.
type Claim struct {
	Beneficiary common.Address
	Salt        common.Hash
}

// NewClaim returns a claim for beneficiary with a random salt.
func NewClaim(beneficiary common.Address) (Claim, error) {
	if beneficiary == (common.Address{}) {
		return Claim{}, ErrZeroBeneficiary
	}
	c := Claim{Beneficiary: beneficiary}
	if _, err := rand.Read(c.Salt[:]); err != nil {
		return Claim{}, fmt.Errorf("claim salt: %w", err)
	}
	return c, nil
}

// Hash is the claim hash to commit for the promise with this digest.
func (c Claim) Hash(digest common.Hash) common.Hash {
	return ClaimHash(digest, c.Beneficiary, c.Salt)
}

// Binding is the claim as the Slasher binding takes it.
func (c Claim) Binding() bindings.ISlasherClaim {
	return bindings.ISlasherClaim{Beneficiary: c.Beneficiary, Salt: c.Salt}
}

// ClaimHash is Slasher.claimHash: keccak256(abi.encode(digest, beneficiary, salt)).
func ClaimHash(digest common.Hash, beneficiary common.Address, salt common.Hash) common.Hash {
	return crypto.Keccak256Hash(digest[:], common.LeftPadBytes(beneficiary[:], 32), salt[:])
}
