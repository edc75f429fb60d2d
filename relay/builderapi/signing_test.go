package builderapi

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
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
	sig, err := SignReceiver(12, ReceiverDomain(gfv), sk)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyReceiver(12, ReceiverDomain(gfv), pub, sig); err != nil {
		t.Fatalf("valid receiver signature: %v", err)
	}
	if err := VerifyReceiver(13, ReceiverDomain(gfv), pub, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("other slot: %v", err)
	}
	// A receiver signature is not a registration, nor a Pledge message.
	if ReceiverDomain(gfv) == BuilderDomain(gfv) || ReceiverDomain(gfv) == protocol.NewDomains(gfv).Constraints {
		t.Fatal("receiver domain collides")
	}
	if err := VerifySigned(receiverSlot(1), ReceiverDomain(gfv), phase0.BLSPubKey{}, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("zero key: %v", err)
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
