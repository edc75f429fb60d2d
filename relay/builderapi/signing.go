package builderapi

import (
	"fmt"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
)

// BuilderDomain returns compute_domain(DOMAIN_APPLICATION_BUILDER,
// genesisForkVersion, zero root): the domain of validator registrations,
// builder bids and bid traces. It is fixed at genesis so it survives forks.
func BuilderDomain(genesisForkVersion phase0.Version) phase0.Domain {
	return boostssz.ComputeDomain(boostssz.DomainTypeAppBuilder, genesisForkVersion, phase0.Root{})
}

// PubkeyOf returns the compressed public key of sk.
func PubkeyOf(sk *bls.SecretKey) (phase0.BLSPubKey, error) {
	pk, err := bls.PublicKeyFromSecretKey(sk)
	if err != nil {
		return phase0.BLSPubKey{}, fmt.Errorf("public key of secret key: %w", err)
	}
	var out phase0.BLSPubKey
	copy(out[:], bls.PublicKeyToBytes(pk))
	return out, nil
}

// VerifySigned checks sig by pubkey over obj's signing root under domain. It
// refuses the point at infinity as a key, for which any check is meaningless.
func VerifySigned(obj boostssz.ObjWithHashTreeRoot, domain phase0.Domain, pubkey phase0.BLSPubKey, sig phase0.BLSSignature) error {
	pk, err := bls.PublicKeyFromBytes(pubkey[:])
	if err != nil {
		return fmt.Errorf("%w: public key %#x: %w", ErrSignature, pubkey[:], err)
	}
	if pk.IsInfinity() {
		return fmt.Errorf("%w: public key is the point at infinity", ErrSignature)
	}
	s, err := bls.SignatureFromBytes(sig[:])
	if err != nil {
		return fmt.Errorf("%w: malformed signature: %w", ErrSignature, err)
	}
	root, err := boostssz.ComputeSigningRoot(obj, domain)
	if err != nil {
		return fmt.Errorf("%w: signing root: %w", ErrMalformed, err)
	}
	ok, err := bls.VerifySignature(s, pk, root[:])
	if err != nil || !ok {
		return fmt.Errorf("%w: by %#x", ErrSignature, pubkey[:])
	}
	return nil
}

// SignBid sets bid.Pubkey to sk's key and signs the bid under domain.
func SignBid(bid *BuilderBid, domain phase0.Domain, sk *bls.SecretKey) (*SignedBuilderBid, error) {
	pub, err := PubkeyOf(sk)
	if err != nil {
		return nil, err
	}
	bid.Pubkey = pub
	sig, err := boostssz.SignMessage(bid, domain, sk)
	if err != nil {
		return nil, fmt.Errorf("sign builder bid: %w", err)
	}
	return &SignedBuilderBid{Message: bid, Signature: sig}, nil
}

// VerifyBid checks the bid is signed by its own Pubkey under domain.
func VerifyBid(s *SignedBuilderBid, domain phase0.Domain) error {
	if s == nil || s.Message == nil || s.Message.Header == nil {
		return fmt.Errorf("%w: empty bid", ErrMalformed)
	}
	return VerifySigned(s.Message, domain, s.Message.Pubkey, s.Signature)
}

// SignBidTrace sets t.BuilderPubkey to sk's key and signs the trace under domain.
func SignBidTrace(t *BidTrace, domain phase0.Domain, sk *bls.SecretKey) (phase0.BLSSignature, error) {
	pub, err := PubkeyOf(sk)
	if err != nil {
		return phase0.BLSSignature{}, err
	}
	t.BuilderPubkey = pub
	sig, err := boostssz.SignMessage(t, domain, sk)
	if err != nil {
		return phase0.BLSSignature{}, fmt.Errorf("sign bid trace: %w", err)
	}
	return sig, nil
}

// VerifyRegistration checks a validator registration is signed by its
// validator's key under the builder domain.
func VerifyRegistration(r *apiv1.SignedValidatorRegistration, domain phase0.Domain) error {
	if r == nil || r.Message == nil {
		return fmt.Errorf("%w: empty registration", ErrMalformed)
	}
	return VerifySigned(r.Message, domain, r.Message.Pubkey, r.Signature)
}

// SignRegistration signs a registration with the validator key sk (tests,
// devnet proposer driver).
func SignRegistration(r *apiv1.ValidatorRegistration, domain phase0.Domain, sk *bls.SecretKey) (*apiv1.SignedValidatorRegistration, error) {
	pub, err := PubkeyOf(sk)
	if err != nil {
		return nil, err
	}
	r.Pubkey = pub
	sig, err := boostssz.SignMessage(r, domain, sk)
	if err != nil {
		return nil, fmt.Errorf("sign registration: %w", err)
	}
	return &apiv1.SignedValidatorRegistration{Message: r, Signature: sig}, nil
}
