package builderapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func newSK(t testing.TB) *bls.SecretKey {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func exampleBid(t testing.TB) *BuilderBid {
	t.Helper()
	doc, _ := readExample(t.(*testing.T), "fulu_signed_builder_bid")
	var v VersionedSignedBuilderBid
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	return v.Data.Message
}

func TestBidSignature(t *testing.T) {
	t.Parallel()
	sk := newSK(t)
	domain := BuilderDomain(phase0.Version{0x10, 0, 0, 0x38})
	signed, err := SignBid(exampleBid(t), domain, sk)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyBid(signed, domain); err != nil {
		t.Fatalf("valid bid: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(s *SignedBuilderBid) phase0.Domain
	}{
		{"value changed", func(s *SignedBuilderBid) phase0.Domain {
			s.Message.Value = uint256.NewInt(2)
			return domain
		}},
		{"header changed", func(s *SignedBuilderBid) phase0.Domain {
			s.Message.Header.TransactionsRoot[0] ^= 1
			return domain
		}},
		{"other network", func(*SignedBuilderBid) phase0.Domain { return BuilderDomain(phase0.Version{}) }},
		{"other key", func(s *SignedBuilderBid) phase0.Domain {
			pub, _ := PubkeyOf(newSK(t))
			s.Message.Pubkey = pub
			return domain
		}},
		{"malformed signature", func(s *SignedBuilderBid) phase0.Domain {
			s.Signature = phase0.BLSSignature{1}
			return domain
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := SignBid(exampleBid(t), domain, sk)
			if err != nil {
				t.Fatal(err)
			}
			d := tc.mutate(s)
			if err := VerifyBid(s, d); !errors.Is(err, ErrSignature) {
				t.Fatalf("want ErrSignature, got %v", err)
			}
		})
	}
}

func TestRegistrationAndReceiverSignatures(t *testing.T) {
	t.Parallel()
	sk := newSK(t)
	gfv := phase0.Version{0x10, 0, 0, 0x38}
	reg, err := SignRegistration(&apiv1.ValidatorRegistration{
		FeeRecipient: bellatrix.ExecutionAddress{1}, GasLimit: 30e6, Timestamp: time.Unix(1_700_000_000, 0),
	}, BuilderDomain(gfv), sk)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyRegistration(reg, BuilderDomain(gfv)); err != nil {
		t.Fatalf("valid registration: %v", err)
	}
	reg.Message.GasLimit++
	if err := VerifyRegistration(reg, BuilderDomain(gfv)); !errors.Is(err, ErrSignature) {
		t.Fatalf("tampered registration: %v", err)
	}

	pub, _ := PubkeyOf(sk)
	sig, err := SignReceiver(12, BuilderDomain(gfv), sk)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyReceiver(12, BuilderDomain(gfv), pub, sig); err != nil {
		t.Fatalf("valid receiver signature: %v", err)
	}
	if err := VerifyReceiver(13, BuilderDomain(gfv), pub, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("other slot: %v", err)
	}
	// builder.md: bls.Sign(sk, compute_signing_root(slot, compute_domain(DOMAIN_APPLICATION_BUILDER))),
	// the slot's hash_tree_root being its 8 little-endian bytes padded to 32.
	var slotRoot phase0.Root
	slotRoot[0] = 12
	root, err := (&phase0.SigningData{ObjectRoot: slotRoot, Domain: BuilderDomain(gfv)}).HashTreeRoot()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := bls.SignatureFromBytes(sig[:])
	pk, _ := bls.PublicKeyFromBytes(pub[:])
	if ok, err := bls.VerifySignature(s, pk, root[:]); err != nil || !ok {
		t.Fatalf("receiver signature is not over builder.md's root: %v", err)
	}
	if err := VerifySigned(receiverSlot(1), BuilderDomain(gfv), phase0.BLSPubKey{}, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("zero key: %v", err)
	}
}

// TestReceiverCommitBoost checks the reference implementation's form of the
// receiver header: a Commit-Boost signature over keccak256(slot as 8
// big-endian bytes) with the headers' signing id and nonce.
func TestReceiverCommitBoost(t *testing.T) {
	t.Parallel()
	if got, want := ReceiverMessageHash(12), crypto.Keccak256Hash([]byte{0, 0, 0, 0, 0, 0, 0, 12}); got != want {
		t.Fatalf("message hash %s, want %s", got, want)
	}
	sk, _ := bls.SecretKeyFromBytes(bytes.Repeat([]byte{0x07}, 32))
	pub, _ := PubkeyOf(sk)
	d := protocol.NewDomains([4]byte{0x10, 0, 0, 0x38}, 3151908)
	id := common.Hash{0x5e}
	root := d.SigningRoot(ReceiverMessageHash(12), id, 4)
	var sig phase0.BLSSignature
	copy(sig[:], bls.SignatureToBytes(bls.Sign(sk, root[:])))
	if err := VerifyReceiverCommitBoost(12, d, id, 4, pub, sig); err != nil {
		t.Fatalf("valid: %v", err)
	}
	for name, err := range map[string]error{
		"other slot":       VerifyReceiverCommitBoost(13, d, id, 4, pub, sig),
		"other nonce":      VerifyReceiverCommitBoost(12, d, id, 5, pub, sig),
		"other signing id": VerifyReceiverCommitBoost(12, d, common.Hash{}, 4, pub, sig),
		"builder.md form":  VerifyReceiver(12, BuilderDomain(phase0.Version{0x10, 0, 0, 0x38}), pub, sig),
	} {
		if !errors.Is(err, ErrSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBlobsBundleShape(t *testing.T) {
	t.Parallel()
	one := &BlobsBundle{Commitments: make([]deneb.KZGCommitment, 1), Blobs: make([]deneb.Blob, 1), Proofs: make([]deneb.KZGProof, 1)}
	cells := &BlobsBundle{Commitments: make([]deneb.KZGCommitment, 1), Blobs: make([]deneb.Blob, 1), Proofs: make([]deneb.KZGProof, CellsPerExtBlob)}
	if err := one.CheckShape(versionElectra); err != nil {
		t.Fatalf("electra: %v", err)
	}
	if err := one.CheckShape(versionFulu); !errors.Is(err, ErrMalformed) {
		t.Fatalf("fulu with one proof per blob: %v", err)
	}
	if err := cells.CheckShape(versionFulu); err != nil {
		t.Fatalf("fulu: %v", err)
	}
}
