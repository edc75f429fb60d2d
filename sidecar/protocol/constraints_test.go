package protocol_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
	dynssz "github.com/pk910/dynamic-ssz"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// blsKey returns the secret key whose 32 big-endian bytes are first,
// first+1, ..., first+31 (all below the BLS12-381 group order for first < 0x73).
func blsKey(t testing.TB, first byte) (*bls.SecretKey, protocol.BLSPubkey) {
	t.Helper()
	b := make([]byte, 32)
	for i := range b {
		b[i] = first + byte(i)
	}
	sk, err := bls.SecretKeyFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := protocol.PubkeyFromSecretKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	return sk, pk
}

var blsTestDomains = protocol.NewDomains([4]byte{0x10, 0x00, 0x00, 0x38})

func blsTestMessage(proposer, delegate protocol.BLSPubkey, n int) *protocol.ConstraintsMessage {
	m := &protocol.ConstraintsMessage{Proposer: proposer, Delegate: delegate, Slot: 123456, Receivers: []protocol.BLSPubkey{proposer}}
	for i := range n {
		m.Constraints = append(m.Constraints, protocol.Constraint{
			ConstraintType: protocol.ConstraintTypeInclusion,
			Payload:        bytes.Repeat([]byte{byte(i + 1)}, 100+i),
		})
	}
	return m
}

// Mirrors of the messages for dynamic-ssz, an implementation independent of
// the hand-written HashTreeRootWith methods.
type refConstraint struct {
	ConstraintType uint64
	Payload        []byte `ssz-max:"1048576"`
}

type refConstraintsMessage struct {
	Proposer    [48]byte
	Delegate    [48]byte
	Slot        uint64
	Constraints []*refConstraint `ssz-max:"256"`
	Receivers   [][48]byte       `ssz-max:"64"`
}

type refDelegation struct {
	Proposer  [48]byte
	Delegate  [48]byte
	Committer [20]byte
	Slot      uint64
	Metadata  []byte `ssz-max:"1024"`
}

type refRevocation struct {
	Proposer [48]byte
	Delegate [48]byte
	Slot     uint64
}

func TestConstraintsHashTreeRootMatchesDynamicSSZ(t *testing.T) {
	t.Parallel()
	_, p := blsKey(t, 0x01)
	_, d := blsKey(t, 0x21)
	ds := dynssz.NewDynSsz(nil)
	for _, n := range []int{0, 1, 3, 16} {
		m := blsTestMessage(p, d, n)
		if n == 3 {
			m.Constraints[1].Payload = nil // empty payload: the zero-length list edge
			m.Receivers = nil
		}
		ref := &refConstraintsMessage{Proposer: m.Proposer, Delegate: m.Delegate, Slot: m.Slot}
		for _, c := range m.Constraints {
			ref.Constraints = append(ref.Constraints, &refConstraint{ConstraintType: c.ConstraintType, Payload: c.Payload})
		}
		for _, r := range m.Receivers {
			ref.Receivers = append(ref.Receivers, r)
		}
		want, err := ds.HashTreeRoot(ref)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.HashTreeRoot()
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%d constraints: root %x, dynamic-ssz %x", n, got, want)
		}
	}
	for _, meta := range [][]byte{nil, {1}, bytes.Repeat([]byte{7}, 33), bytes.Repeat([]byte{9}, protocol.MaxMetadata)} {
		del := &protocol.Delegation{Proposer: p, Delegate: d, Committer: common.Address{0xaa, 0xbb}, Slot: 99, Metadata: meta}
		want, err := ds.HashTreeRoot(&refDelegation{Proposer: p, Delegate: d, Committer: del.Committer, Slot: 99, Metadata: meta})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := del.HashTreeRoot(); err != nil || got != want {
			t.Errorf("delegation with %d bytes metadata: root %x (%v), dynamic-ssz %x", len(meta), got, err, want)
		}
	}
	rev := &protocol.Revocation{Proposer: p, Delegate: d, Slot: 5}
	want, err := ds.HashTreeRoot(&refRevocation{Proposer: p, Delegate: d, Slot: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rev.HashTreeRoot(); err != nil || got != want {
		t.Errorf("revocation root %x (%v), dynamic-ssz %x", got, err, want)
	}

	// Signing root = hash_tree_root(SigningData{root, domain}), domain from
	// ForkData as in the consensus specs' compute_domain.
	fd := phase0.ForkData{CurrentVersion: phase0.Version{0x10, 0x00, 0x00, 0x38}}
	fdRoot, err := fd.HashTreeRoot()
	if err != nil {
		t.Fatal(err)
	}
	var domain phase0.Domain
	copy(domain[:4], []byte{0x70, 0x6c, 0x02, 0x01})
	copy(domain[4:], fdRoot[:28])
	if domain != blsTestDomains.Revocation {
		t.Fatalf("revocation domain %x, want %x", blsTestDomains.Revocation, domain)
	}
	sd, err := (&phase0.SigningData{ObjectRoot: want, Domain: domain}).HashTreeRoot()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rev.SigningRoot(blsTestDomains); err != nil || got != sd {
		t.Fatalf("revocation signing root %x (%v), want %x", got, err, sd)
	}
}

// TestConstraintsKnownAnswerVector pins the signing root and signature of one
// fixed message. The values were computed once with this package (fastssz
// hash_tree_root, go-boost-utils compute_domain/signing root and BLS sign) and
// the hash_tree_root was checked against dynamic-ssz above; any change of the
// encoding, limits, domain type or key handling changes them and fails here.
//
// Secret key: bytes 0x01..0x20; genesis fork version 0x00000000 (mainnet);
// message: proposer = delegate = that key's pubkey, slot 1, one inclusion
// constraint with payload 0x02f86c, no receivers.
func TestConstraintsKnownAnswerVector(t *testing.T) {
	t.Parallel()
	sk, pk := blsKey(t, 0x01)
	const (
		wantPubkey      = "0x96a20bb9485ff6d8950955a629e8043a43775968ac133eb7b19c5f0389a2253676abdd6c86c7b68d38a1b7f6af8650e7"
		wantSigningRoot = "0xa51e5b331da972fd3b406fa3f58919bdb0abd83e6723fb50f5b65ea773d08de4"
		wantSignature   = "0x8748c344e96b3d01637212a77342247c7b433b9f45f3841ce057caa3e58b5bc71cfe25b5a2458c4dfbc93697bcb2c5701866972196997e003d22b7490437f39f25ca43a597e38262c8bdce5dd20840b3058a8909d28308cc642eb9d88a49d7f8"
	)
	d := protocol.NewDomains([4]byte{})
	m := &protocol.ConstraintsMessage{
		Proposer: pk, Delegate: pk, Slot: 1,
		Constraints: []protocol.Constraint{{ConstraintType: protocol.ConstraintTypeInclusion, Payload: []byte{0x02, 0xf8, 0x6c}}},
	}
	root, err := m.SigningRoot(d)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := protocol.SignConstraints(m, d, sk)
	if err != nil {
		t.Fatal(err)
	}
	if got := pk.String(); got != wantPubkey {
		t.Errorf("pubkey = %s, want %s", got, wantPubkey)
	}
	if got := "0x" + hex.EncodeToString(root[:]); got != wantSigningRoot {
		t.Errorf("signing root = %s, want %s", got, wantSigningRoot)
	}
	if got := signed.Signature.String(); got != wantSignature {
		t.Errorf("signature = %s, want %s", got, wantSignature)
	}
	if err := signed.Verify(d); err != nil {
		t.Fatal(err)
	}
}

func TestConstraintsSignVerify(t *testing.T) {
	t.Parallel()
	proposerSK, proposer := blsKey(t, 0x01)
	delegateSK, delegate := blsKey(t, 0x21)
	_, other := blsKey(t, 0x41)

	self, err := protocol.SignConstraints(blsTestMessage(proposer, proposer, 2), blsTestDomains, proposerSK)
	if err != nil {
		t.Fatal(err)
	}
	if err := self.Verify(blsTestDomains); err != nil {
		t.Fatalf("self-signed: %v", err)
	}
	signed, err := protocol.SignConstraints(blsTestMessage(proposer, delegate, 3), blsTestDomains, delegateSK)
	if err != nil {
		t.Fatal(err)
	}
	if err := signed.Verify(blsTestDomains); err != nil {
		t.Fatalf("delegated: %v", err)
	}
	if _, err := protocol.SignConstraints(blsTestMessage(proposer, delegate, 1), blsTestDomains, proposerSK); !errors.Is(err, protocol.ErrBLSWrongKey) {
		t.Fatalf("signing with a key that is not the delegate: %v", err)
	}

	// JSON round trip keeps a verifiable message.
	js, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	var back protocol.SignedConstraints
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(blsTestDomains); err != nil {
		t.Fatalf("after JSON round trip: %v", err)
	}

	clone := func() *protocol.SignedConstraints {
		js, err := json.Marshal(signed)
		if err != nil {
			t.Fatal(err)
		}
		var c protocol.SignedConstraints
		if err := json.Unmarshal(js, &c); err != nil {
			t.Fatal(err)
		}
		return &c
	}
	var notOnCurve protocol.BLSPubkey
	notOnCurve[0] = 0x80 | 0x1f // compressed flag with an x that is not a curve point
	notOnCurve[47] = 0x01
	cases := []struct {
		name   string
		mutate func(s *protocol.SignedConstraints)
		want   error
	}{
		{"slot", func(s *protocol.SignedConstraints) { s.Message.Slot++ }, protocol.ErrBLSSignatureMismatch},
		{"proposer", func(s *protocol.SignedConstraints) { s.Message.Proposer = other }, protocol.ErrBLSSignatureMismatch},
		{"delegate", func(s *protocol.SignedConstraints) { s.Message.Delegate = proposer }, protocol.ErrBLSSignatureMismatch},
		{"payload", func(s *protocol.SignedConstraints) { s.Message.Constraints[2].Payload[50] ^= 1 }, protocol.ErrBLSSignatureMismatch},
		{"payload length", func(s *protocol.SignedConstraints) {
			s.Message.Constraints[0].Payload = append(s.Message.Constraints[0].Payload, 0)
		}, protocol.ErrBLSSignatureMismatch},
		{"constraint type", func(s *protocol.SignedConstraints) { s.Message.Constraints[1].ConstraintType = 2 }, protocol.ErrBLSSignatureMismatch},
		{"constraint order", func(s *protocol.SignedConstraints) {
			c := s.Message.Constraints
			c[0], c[1] = c[1], c[0]
		}, protocol.ErrBLSSignatureMismatch},
		{"receivers", func(s *protocol.SignedConstraints) { s.Message.Receivers = append(s.Message.Receivers, other) }, protocol.ErrBLSSignatureMismatch},
		{"no receivers", func(s *protocol.SignedConstraints) { s.Message.Receivers = nil }, protocol.ErrBLSSignatureMismatch},
		{"signature of another message", func(s *protocol.SignedConstraints) { s.Signature = self.Signature }, protocol.ErrBLSSignatureMismatch},
		{"signature not a point", func(s *protocol.SignedConstraints) {
			for i := range s.Signature {
				s.Signature[i] = 0xff
			}
		}, protocol.ErrBLSSignatureMalformed},
		{"zero signature", func(s *protocol.SignedConstraints) { s.Signature = protocol.BLSSignature{} }, protocol.ErrBLSSignatureMalformed},
		{"zero proposer", func(s *protocol.SignedConstraints) { s.Message.Proposer = protocol.BLSPubkey{} }, protocol.ErrBLSPubkey},
		{"delegate not on curve", func(s *protocol.SignedConstraints) { s.Message.Delegate = notOnCurve }, protocol.ErrBLSPubkey},
		{"proposer not on curve", func(s *protocol.SignedConstraints) { s.Message.Proposer = notOnCurve }, protocol.ErrBLSPubkey},
		{"zero receiver", func(s *protocol.SignedConstraints) { s.Message.Receivers[0] = protocol.BLSPubkey{} }, protocol.ErrBLSPubkey},
		{"no constraints", func(s *protocol.SignedConstraints) { s.Message.Constraints = nil }, protocol.ErrConstraintsEmpty},
		{"too many constraints", func(s *protocol.SignedConstraints) {
			s.Message.Constraints = make([]protocol.Constraint, protocol.MaxConstraintsPerSlot+1)
		}, protocol.ErrConstraintsLimit},
		{"payload too large", func(s *protocol.SignedConstraints) {
			s.Message.Constraints[0].Payload = make([]byte, protocol.MaxConstraintPayload+1)
		}, protocol.ErrConstraintsLimit},
		{"too many receivers", func(s *protocol.SignedConstraints) {
			s.Message.Receivers = make([]protocol.BLSPubkey, protocol.MaxReceivers+1)
		}, protocol.ErrConstraintsLimit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := clone()
			tc.mutate(s)
			if err := s.Verify(blsTestDomains); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestConstraintsDomainSeparation shows a signature is bound to its domain: the
// same message signed under a beacon or builder domain, another Pledge domain
// or another network's fork version does not verify.
func TestConstraintsDomainSeparation(t *testing.T) {
	t.Parallel()
	sk, pk := blsKey(t, 0x01)
	m := blsTestMessage(pk, pk, 1)
	fork := phase0.Version{0x10, 0x00, 0x00, 0x38}
	domains := map[string]phase0.Domain{
		"beacon proposer":     boostssz.ComputeDomain(boostssz.DomainTypeBeaconProposer, fork, phase0.Root{}),
		"builder application": boostssz.ComputeDomain(boostssz.DomainTypeAppBuilder, fork, phase0.Root{}),
		"delegation":          blsTestDomains.Delegation,
		"revocation":          blsTestDomains.Revocation,
		"other network":       protocol.NewDomains([4]byte{}).Constraints,
	}
	for name, dom := range domains {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sig, err := boostssz.SignMessage(m, dom, sk)
			if err != nil {
				t.Fatal(err)
			}
			s := &protocol.SignedConstraints{Message: *m, Signature: protocol.BLSSignature(sig)}
			if err := s.Verify(blsTestDomains); !errors.Is(err, protocol.ErrBLSSignatureMismatch) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if blsTestDomains.Constraints[0] != 0x70 || blsTestDomains.Constraints[1] != 0x6c ||
		blsTestDomains.Delegation[2] != 0x01 || blsTestDomains.Revocation[2] != 0x02 {
		t.Fatalf("domain types: %x %x %x", blsTestDomains.Constraints[:4], blsTestDomains.Delegation[:4], blsTestDomains.Revocation[:4])
	}
}

func TestDelegationSignVerify(t *testing.T) {
	t.Parallel()
	proposerSK, proposer := blsKey(t, 0x01)
	delegateSK, delegate := blsKey(t, 0x21)
	_, other := blsKey(t, 0x41)
	msg := &protocol.Delegation{
		Proposer: proposer, Delegate: delegate,
		Committer: common.HexToAddress("0xabcf8e0d4e9587369b2301d0790347320302cc09"),
		Slot:      12345, Metadata: []byte("gateway-1"),
	}
	signed, err := protocol.SignDelegation(msg, blsTestDomains, proposerSK)
	if err != nil {
		t.Fatal(err)
	}
	if err := signed.Verify(blsTestDomains); err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.SignDelegation(msg, blsTestDomains, delegateSK); !errors.Is(err, protocol.ErrBLSWrongKey) {
		t.Fatalf("delegate signing its own delegation: %v", err)
	}
	js, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"proposer":"0x`, `"delegate":"0x`, `"committer":"0xabcf8e0d4e9587369b2301d0790347320302cc09"`, `"slot":"12345"`, `"metadata":"0x`, `"signature":"0x`} {
		if !strings.Contains(string(js), key) {
			t.Errorf("JSON %s lacks %s", js, key)
		}
	}
	cases := []struct {
		name   string
		mutate func(s *protocol.SignedDelegation)
		want   error
	}{
		{"slot", func(s *protocol.SignedDelegation) { s.Message.Slot-- }, protocol.ErrBLSSignatureMismatch},
		{"proposer", func(s *protocol.SignedDelegation) { s.Message.Proposer = other }, protocol.ErrBLSSignatureMismatch},
		{"delegate", func(s *protocol.SignedDelegation) { s.Message.Delegate = other }, protocol.ErrBLSSignatureMismatch},
		{"committer", func(s *protocol.SignedDelegation) { s.Message.Committer[19] ^= 1 }, protocol.ErrBLSSignatureMismatch},
		{"metadata", func(s *protocol.SignedDelegation) { s.Message.Metadata = []byte("gateway-2") }, protocol.ErrBLSSignatureMismatch},
		{"no metadata", func(s *protocol.SignedDelegation) { s.Message.Metadata = nil }, protocol.ErrBLSSignatureMismatch},
		{"signature", func(s *protocol.SignedDelegation) { s.Signature[5] ^= 1 }, protocol.ErrBLSSignatureMalformed},
		{"zero delegate", func(s *protocol.SignedDelegation) { s.Message.Delegate = protocol.BLSPubkey{} }, protocol.ErrBLSPubkey},
		{"metadata too large", func(s *protocol.SignedDelegation) { s.Message.Metadata = make([]byte, protocol.MaxMetadata+1) }, protocol.ErrConstraintsLimit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s protocol.SignedDelegation
			if err := json.Unmarshal(js, &s); err != nil {
				t.Fatal(err)
			}
			tc.mutate(&s)
			err := s.Verify(blsTestDomains)
			// A flipped signature byte may still decompress to a point; then it is a mismatch.
			if tc.name == "signature" && errors.Is(err, protocol.ErrBLSSignatureMismatch) {
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRevocationSignVerify(t *testing.T) {
	t.Parallel()
	proposerSK, proposer := blsKey(t, 0x01)
	_, delegate := blsKey(t, 0x21)
	_, other := blsKey(t, 0x41)
	signed, err := protocol.SignRevocation(&protocol.Revocation{Proposer: proposer, Delegate: delegate, Slot: 77}, blsTestDomains, proposerSK)
	if err != nil {
		t.Fatal(err)
	}
	if err := signed.Verify(blsTestDomains); err != nil {
		t.Fatal(err)
	}
	// A revocation signature is not a delegation signature for the same keys.
	asDelegation := &protocol.SignedDelegation{Message: protocol.Delegation{Proposer: proposer, Delegate: delegate, Slot: 77}, Signature: signed.Signature}
	if err := asDelegation.Verify(blsTestDomains); !errors.Is(err, protocol.ErrBLSSignatureMismatch) {
		t.Fatalf("revocation replayed as delegation: %v", err)
	}
	cases := []struct {
		name   string
		mutate func(s *protocol.SignedRevocation)
		want   error
	}{
		{"slot", func(s *protocol.SignedRevocation) { s.Message.Slot = 78 }, protocol.ErrBLSSignatureMismatch},
		{"proposer", func(s *protocol.SignedRevocation) { s.Message.Proposer = other }, protocol.ErrBLSSignatureMismatch},
		{"delegate", func(s *protocol.SignedRevocation) { s.Message.Delegate = other }, protocol.ErrBLSSignatureMismatch},
		{"zero proposer", func(s *protocol.SignedRevocation) { s.Message.Proposer = protocol.BLSPubkey{} }, protocol.ErrBLSPubkey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := *signed
			tc.mutate(&s)
			if err := s.Verify(blsTestDomains); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	js, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	var back protocol.SignedRevocation
	if err := json.Unmarshal(js, &back); err != nil || back != *signed {
		t.Fatalf("JSON round trip: %v, %s", err, js)
	}
}

// specPubkey is the example key of the constraints-specs examples.
const specPubkey = "0x93247f2209abcacf57b75a51dafae777f9dd38bc7053d1af526f220a7489a6d3a2753e5f3e8b1cfe39b56f43611df74a"

func TestConstraintsJSON(t *testing.T) {
	t.Parallel()
	sig := "0x" + strings.Repeat("1b", 96)
	t.Run("emits decimal strings and spec keys", func(t *testing.T) {
		t.Parallel()
		var pk protocol.BLSPubkey
		if err := pk.UnmarshalText([]byte(specPubkey)); err != nil {
			t.Fatal(err)
		}
		s := protocol.SignedConstraints{Message: protocol.ConstraintsMessage{
			Proposer: pk, Delegate: pk, Slot: 12345,
			Constraints: []protocol.Constraint{{ConstraintType: 1, Payload: []byte{0x02, 0xab}}},
		}}
		js, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey +
			`","slot":"12345","constraints":[{"constraintType":"1","payload":"0x02ab"}],"receivers":[]},"signature":"0x` +
			strings.Repeat("00", 96) + `"}`
		if string(js) != want {
			t.Fatalf("got  %s\nwant %s", js, want)
		}
	})
	t.Run("accepts the spec's constraint type forms", func(t *testing.T) {
		t.Parallel()
		in := `{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","slot":"12345",
			"constraints":[{"constraintType":"0x00","payload":"0x301d"},{"constraintType":"0x01","payload":"0x36"},
			{"constraintType":1,"payload":"0x"},{"constraintType":"18446744073709551615","payload":"0x00"}],
			"receivers":["` + specPubkey + `"]},"signature":"` + sig + `"}`
		var s protocol.SignedConstraints
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Fatal(err)
		}
		got := []uint64{}
		for _, c := range s.Message.Constraints {
			got = append(got, c.ConstraintType)
		}
		if len(got) != 4 || got[0] != 0 || got[1] != 1 || got[2] != 1 || got[3] != 1<<64-1 {
			t.Fatalf("types %v", got)
		}
		if s.Message.Slot != 12345 || len(s.Message.Receivers) != 1 || !bytes.Equal(s.Message.Constraints[0].Payload, []byte{0x30, 0x1d}) {
			t.Fatalf("decoded %+v", s.Message)
		}
		// The spec's example signature (0x1b..) lacks the compression flag:
		// decoding accepts any 96 bytes, Verify refuses it before any pairing.
		if err := s.Verify(blsTestDomains); !errors.Is(err, protocol.ErrBLSSignatureMalformed) {
			t.Fatalf("verify: %v", err)
		}
	})
	t.Run("accepts the spec's delegation example", func(t *testing.T) {
		t.Parallel()
		in := `{"message":{"proposer":"` + specPubkey + `","delegate":"0x84e47f2209abcacf57b75a51dafae777f9dd38bc7053d1af526f220a7489a6d3a2753e5f3e8b1cfe39b56f43611df74b",
			"committer":"0xabcf8e0d4e9587369b2301d0790347320302cc09","slot":"12345","metadata":"0xe958"},"signature":"` + sig + `"}`
		var d protocol.SignedDelegation
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatal(err)
		}
		if d.Message.Slot != 12345 || d.Message.Committer != common.HexToAddress("0xabcf8e0d4e9587369b2301d0790347320302cc09") ||
			!bytes.Equal(d.Message.Metadata, []byte{0xe9, 0x58}) {
			t.Fatalf("decoded %+v", d.Message)
		}
	})
	msg := func(slot, ctype, pk string) string {
		return `{"message":{"proposer":"` + pk + `","delegate":"` + specPubkey + `","slot":` + slot +
			`,"constraints":[{"constraintType":` + ctype + `,"payload":"0x01"}],"receivers":[]},"signature":"` + sig + `"}`
	}
	bad := map[string]string{
		"numeric slot":          msg(`12345`, `"1"`, specPubkey),
		"hex slot":              msg(`"0x10"`, `"1"`, specPubkey),
		"negative type":         msg(`"1"`, `"-1"`, specPubkey),
		"type overflow":         msg(`"1"`, `"18446744073709551616"`, specPubkey),
		"fractional type":       msg(`"1"`, `1.5`, specPubkey),
		"empty hex type":        msg(`"1"`, `"0x"`, specPubkey),
		"short pubkey":          msg(`"1"`, `"1"`, specPubkey[:len(specPubkey)-2]),
		"long pubkey":           msg(`"1"`, `"1"`, specPubkey+"00"),
		"pubkey without 0x":     msg(`"1"`, `"1"`, specPubkey[2:]+"00"),
		"pubkey not hex":        msg(`"1"`, `"1"`, "0x"+strings.Repeat("zz", 48)),
		"missing slot":          `{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","constraints":[]},"signature":"` + sig + `"}`,
		"missing payload":       strings.Replace(msg(`"1"`, `"1"`, specPubkey), `,"payload":"0x01"`, ``, 1),
		"short signature":       strings.Replace(msg(`"1"`, `"1"`, specPubkey), sig, sig[:len(sig)-2], 1),
		"odd-length payload":    strings.Replace(msg(`"1"`, `"1"`, specPubkey), `"0x01"`, `"0x1"`, 1),
		"message is not object": `{"message":[],"signature":"` + sig + `"}`,
		"message is null":       `{"message":null,"signature":"` + sig + `"}`,
		"no message":            `{"signature":"` + sig + `"}`,
		"no signature":          strings.Replace(msg(`"1"`, `"1"`, specPubkey), `,"signature":"`+sig+`"`, ``, 1),
	}
	for name, in := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var s protocol.SignedConstraints
			err := json.Unmarshal([]byte(in), &s)
			if err == nil {
				t.Fatal("decoded")
			}
			if name != "short signature" && name != "odd-length payload" && !errors.Is(err, protocol.ErrConstraintsJSON) {
				t.Fatalf("err = %v, want ErrConstraintsJSON", err)
			}
		})
	}
}

func TestConstraintProofsJSON(t *testing.T) {
	t.Parallel()
	p := protocol.ConstraintProofs{ConstraintTypes: []uint64{1, 1}, Payloads: [][]byte{{0xaa}, {}}}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"constraintTypes":["1","1"],"payloads":["0xaa","0x"]}`; string(js) != want {
		t.Fatalf("got %s, want %s", js, want)
	}
	var back protocol.ConstraintProofs
	if err := json.Unmarshal([]byte(`{"constraintTypes":[1,"0x01"],"payloads":["0xaa","0x"]}`), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.ConstraintTypes) != 2 || back.ConstraintTypes[1] != 1 || !bytes.Equal(back.Payloads[0], []byte{0xaa}) {
		t.Fatalf("decoded %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"constraintTypes":["1"],"payloads":[]}`), &back); !errors.Is(err, protocol.ErrConstraintsJSON) {
		t.Fatalf("unequal lengths: %v", err)
	}
}

func BenchmarkSignConstraints(b *testing.B) {
	sk, pk := blsKey(b, 0x01)
	m := blsTestMessage(pk, pk, 16)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.SignConstraints(m, blsTestDomains, sk); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyConstraints(b *testing.B) {
	sk, pk := blsKey(b, 0x01)
	signed, err := protocol.SignConstraints(blsTestMessage(pk, pk, 16), blsTestDomains, sk)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := signed.Verify(blsTestDomains); err != nil {
			b.Fatal(err)
		}
	}
}
