package protocol_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
	dynssz "github.com/pk910/dynamic-ssz"
	blst "github.com/supranational/blst/bindings/go"

	"github.com/pledgeproto/pledge/relay/builderapi"
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

var blsTestDomains = protocol.NewDomains([4]byte{0x10, 0x00, 0x00, 0x38}, 3151908)

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

// The reference implementation's published vectors (eth-fabric/fabric,
// crates/urc/src/utils.rs tests) and the keys they use.
const (
	refProposer = "0xaf6e96c0eccd8d4ae868be9299af737855a1b08d57bccb565ea7e69311a30baeebe08d493c3fea97077e8337e95ac5a6"
	refDelegate = "0xaf53b192a82ec1229e8fce4f99cb60287ce33896192b6063ac332b36fbe87ba1b2936bbc849ec68a0132362ab11a7754"

	refDelegationHash  = "0xcd9aca062121f6f50df1bfd7e74e2b023a5a0d9e1387447568a2119db5022e1b"
	refConstraintsHash = "0xb27bb26406c8fe6cf9e5bb1723d7dd2b06e4d32efc0cb0419dc57cc6c4b0ca87"
)

func mustPubkey(t testing.TB, s string) protocol.BLSPubkey {
	t.Helper()
	var k protocol.BLSPubkey
	if err := k.UnmarshalText([]byte(s)); err != nil {
		t.Fatal(err)
	}
	return k
}

func refDelegationMessage(t testing.TB) *protocol.Delegation {
	return &protocol.Delegation{
		Proposer: mustPubkey(t, refProposer), Delegate: mustPubkey(t, refDelegate),
		Committer: common.HexToAddress("0x1111111111111111111111111111111111111111"),
		Slot:      5, Metadata: []byte("some-metadata-here"),
	}
}

func refConstraintsMessage(t testing.TB) *protocol.ConstraintsMessage {
	return &protocol.ConstraintsMessage{
		Proposer: mustPubkey(t, refProposer), Delegate: mustPubkey(t, refDelegate), Slot: 67890,
		Constraints: []protocol.Constraint{{ConstraintType: 1, Payload: []byte{0x01, 0x02}}, {ConstraintType: 2, Payload: []byte{0x03, 0x04}}},
		Receivers:   []protocol.BLSPubkey{mustPubkey(t, refProposer)},
	}
}

// TestReferenceMessageHashVectors reproduces the reference implementation's
// published message hashes byte for byte.
func TestReferenceMessageHashVectors(t *testing.T) {
	t.Parallel()
	d, err := refDelegationMessage(t).MessageHash()
	if err != nil {
		t.Fatal(err)
	}
	if d.Hex() != refDelegationHash {
		t.Errorf("delegation hash %s, reference %s", d.Hex(), refDelegationHash)
	}
	c, err := refConstraintsMessage(t).MessageHash()
	if err != nil {
		t.Fatal(err)
	}
	if c.Hex() != refConstraintsHash {
		t.Errorf("constraints hash %s, reference %s", c.Hex(), refConstraintsHash)
	}
}

// abiG1 is BLS.G1Point for go-ethereum's ABI encoder.
type abiG1 struct {
	XA, XB, YA, YB [32]byte
}

var abiG1Components = []abi.ArgumentMarshaling{
	{Name: "x_a", Type: "bytes32"}, {Name: "x_b", Type: "bytes32"}, {Name: "y_a", Type: "bytes32"}, {Name: "y_b", Type: "bytes32"},
}

func abiType(t testing.TB, typ string, components []abi.ArgumentMarshaling) abi.Type {
	t.Helper()
	ty, err := abi.NewType(typ, "", components)
	if err != nil {
		t.Fatal(err)
	}
	return ty
}

// blstG1 decompresses a key with blst, independent of the package's
// gnark-crypto path, into the ABI struct.
func blstG1(t testing.TB, k protocol.BLSPubkey) abiG1 {
	t.Helper()
	p := new(blst.P1Affine).Uncompress(k[:])
	if p == nil {
		t.Fatalf("blst: %s is not a point", k)
	}
	raw := p.Serialize() // x ‖ y, 48 bytes big-endian each
	var g abiG1
	copy(g.XA[16:], raw[0:16])
	copy(g.XB[:], raw[16:48])
	copy(g.YA[16:], raw[48:64])
	copy(g.YB[:], raw[64:96])
	return g
}

// abiDelegationHash is the delegation message hash through go-ethereum's ABI
// encoder and blst's decompression.
func abiDelegationHash(t testing.TB, d *protocol.Delegation) common.Hash {
	t.Helper()
	tuple := abiType(t, "tuple", []abi.ArgumentMarshaling{
		{Name: "proposer", Type: "tuple", Components: abiG1Components},
		{Name: "delegate", Type: "tuple", Components: abiG1Components},
		{Name: "committer", Type: "address"}, {Name: "slot", Type: "uint64"}, {Name: "metadata", Type: "bytes"},
	})
	args := abi.Arguments{{Type: abiType(t, "uint256", nil)}, {Type: tuple}}
	enc, err := args.Pack(big.NewInt(protocol.MessageTypeDelegation), struct {
		Proposer, Delegate abiG1
		Committer          common.Address
		Slot               uint64
		Metadata           []byte
	}{blstG1(t, d.Proposer), blstG1(t, d.Delegate), d.Committer, d.Slot, d.Metadata})
	if err != nil {
		t.Fatal(err)
	}
	return crypto.Keccak256Hash(enc)
}

// abiConstraintsHash is the constraints message hash the same independent way.
func abiConstraintsHash(t testing.TB, m *protocol.ConstraintsMessage) common.Hash {
	t.Helper()
	tuple := abiType(t, "tuple", []abi.ArgumentMarshaling{
		{Name: "proposer", Type: "tuple", Components: abiG1Components},
		{Name: "delegate", Type: "tuple", Components: abiG1Components},
		{Name: "slot", Type: "uint64"},
		{Name: "constraints", Type: "tuple[]", Components: []abi.ArgumentMarshaling{
			{Name: "constraintType", Type: "uint64"}, {Name: "payload", Type: "bytes"},
		}},
		{Name: "receivers", Type: "tuple[]", Components: abiG1Components},
	})
	type abiConstraint struct {
		ConstraintType uint64
		Payload        []byte
	}
	v := struct {
		Proposer, Delegate abiG1
		Slot               uint64
		Constraints        []abiConstraint
		Receivers          []abiG1
	}{Proposer: blstG1(t, m.Proposer), Delegate: blstG1(t, m.Delegate), Slot: m.Slot,
		Constraints: []abiConstraint{}, Receivers: []abiG1{}}
	for _, c := range m.Constraints {
		v.Constraints = append(v.Constraints, abiConstraint{c.ConstraintType, c.Payload})
	}
	for _, r := range m.Receivers {
		v.Receivers = append(v.Receivers, blstG1(t, r))
	}
	args := abi.Arguments{{Type: abiType(t, "uint256", nil)}, {Type: tuple}}
	enc, err := args.Pack(big.NewInt(protocol.MessageTypeConstraints), v)
	if err != nil {
		t.Fatal(err)
	}
	return crypto.Keccak256Hash(enc)
}

// TestMessageHashMatchesABIEncoder checks the hand-written word encoding
// against go-ethereum's ABI encoder (and the G1 points against blst) beyond
// the two published vectors: empty and word-straddling payloads, no
// receivers, many constraints.
func TestMessageHashMatchesABIEncoder(t *testing.T) {
	t.Parallel()
	_, p := blsKey(t, 0x01)
	_, d := blsKey(t, 0x21)
	_, r := blsKey(t, 0x41)
	for _, meta := range [][]byte{nil, {1}, bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{7}, 33), bytes.Repeat([]byte{9}, protocol.MaxMetadata)} {
		del := &protocol.Delegation{Proposer: p, Delegate: d, Committer: common.Address{0xaa, 0xbb}, Slot: 1<<64 - 1, Metadata: meta}
		got, err := del.MessageHash()
		if err != nil {
			t.Fatal(err)
		}
		if want := abiDelegationHash(t, del); got != want {
			t.Errorf("delegation with %d bytes metadata: %s, ABI encoder %s", len(meta), got, want)
		}
	}
	for _, n := range []int{0, 1, 3, 40} {
		m := blsTestMessage(p, d, n)
		switch n {
		case 0:
			m.Receivers = nil
		case 3:
			m.Constraints[1].Payload = nil
			m.Receivers = []protocol.BLSPubkey{p, d, r}
		}
		got, err := m.MessageHash()
		if err != nil {
			t.Fatal(err)
		}
		if want := abiConstraintsHash(t, m); got != want {
			t.Errorf("%d constraints: %s, ABI encoder %s", n, got, want)
		}
	}
	// The published vectors, the independent way too.
	if got := abiDelegationHash(t, refDelegationMessage(t)); got.Hex() != refDelegationHash {
		t.Errorf("ABI encoder delegation hash %s", got.Hex())
	}
	if got := abiConstraintsHash(t, refConstraintsMessage(t)); got.Hex() != refConstraintsHash {
		t.Errorf("ABI encoder constraints hash %s", got.Hex())
	}
}

// propCommitSigningInfo is Commit-Boost's PropCommitSigningInfo for
// dynamic-ssz (chain_id, a uint256, as its 32 little-endian bytes).
type propCommitSigningInfo struct {
	Data            [32]byte
	ModuleSigningID [32]byte
	Nonce           uint64
	ChainID         [32]byte
}

// refSigningRoot is Commit-Boost's signing root computed through
// dynamic-ssz, go-eth2-client's SigningData and go-boost-utils'
// compute_domain.
func refSigningRoot(t testing.TB, msgHash common.Hash, fork phase0.Version, chainID uint64, signingID common.Hash, nonce uint64) [32]byte {
	t.Helper()
	info := propCommitSigningInfo{Data: msgHash, ModuleSigningID: signingID, Nonce: nonce}
	new(big.Int).SetUint64(chainID).FillBytes(info.ChainID[:])
	slices.Reverse(info.ChainID[:])
	obj, err := dynssz.NewDynSsz(nil).HashTreeRoot(&info)
	if err != nil {
		t.Fatal(err)
	}
	domain := boostssz.ComputeDomain(phase0.DomainType{0x6d, 0x6d, 0x6f, 0x43}, fork, phase0.Root{})
	root, err := (&phase0.SigningData{ObjectRoot: obj, Domain: domain}).HashTreeRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// interopKey0 is validator 0 of the Ethereum interop (mock-genesis) keys
// every client's devnet tooling derives.
const (
	interopKey0    = "0x25295f0d1d592a90b333e26e85149708208e9f8e8bc18f6c77bd62f8ad7a6866"
	interopPubkey0 = "0xa99a76ed7796f7be22d5b7e85deeb7c5677e88e511e0b337618f8c4eb61349b4bf2d153f649f7b53359fe8b94a38e44c"
)

// Mainnet (genesis fork version 0x00000000, chain id 1), the module id
// keccak256("pledge"), nonce 0.
var mainnetDomains = protocol.NewDomains([4]byte{}, 1)

// Known answers for the reference delegation signed by interop key 0 as if
// it were the proposer (proposer field set to its key), and for the
// reference constraints message signed as the delegate. BLS signatures are
// deterministic, so these pin the whole chain: message hash, Commit-Boost
// signing root, hash to G2.
const (
	interopDelegationRoot  = "0x1931676e7b4469b178edd86d24d470a5db908f3453da14934bc61e28325205ca"
	interopDelegationSig   = "0xa145f5ca937055482b5a9e47114677cb066431f72768184f9f7a0645ebddb84bae4134ee820c00c8f209e7a30738f0df102ca67db6bbd50f79815dbceb9623b320fbc0f30ab88716de7aeea0c9f04905fe4819bb588fcf574931d74fcf44d7b4"
	interopConstraintsRoot = "0xcabcd7b5d9e75a6a602da4dd651abc29c255bb85807ed36b511e713977a02b90"
	interopConstraintsSig  = "0xb5bf82cb5739e9323ff96bf9ff92383ca2fb7d4c5d476e14fc0f0d6c945aeb4b4463ca63a5d7f81272a272ca47d1c0a8049c1eaf0726aaf1fd45b185c72aac0350f6df01cc893df64fe975dae9acc71c4e532be880973658ea0cf1ef6b069275"
)

// TestInteropVectors signs with a known key through this package and checks
// the signature with blst directly over a root computed independently: what
// Pledge signs, a Commit-Boost verifier accepts. Then the reverse: blst
// signs the independent root and this package verifies it.
func TestInteropVectors(t *testing.T) {
	t.Parallel()
	raw, err := hexutil.Decode(interopKey0)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := bls.SecretKeyFromBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := protocol.PubkeyFromSecretKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	if pk.String() != interopPubkey0 {
		t.Fatalf("interop key 0 pubkey %s, want %s", pk, interopPubkey0)
	}
	blstSK := new(blst.SecretKey).Deserialize(raw)
	const dst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"

	del := refDelegationMessage(t)
	del.Proposer = pk
	cons := refConstraintsMessage(t)
	cons.Delegate = pk
	cases := []struct {
		name     string
		sign     func() (protocol.BLSSignature, [32]byte, error)
		msgHash  common.Hash
		verify   func(sig protocol.BLSSignature) error
		wantRoot string
		wantSig  string
	}{
		{
			name: "delegation",
			sign: func() (protocol.BLSSignature, [32]byte, error) {
				s, err := protocol.SignDelegation(del, mainnetDomains, sk)
				if err != nil {
					return protocol.BLSSignature{}, [32]byte{}, err
				}
				root, err := s.SigningRoot(mainnetDomains)
				return s.Signature, root, err
			},
			msgHash: abiDelegationHash(t, del),
			verify: func(sig protocol.BLSSignature) error {
				s := protocol.SignedDelegation{Message: *del, SigningID: protocol.DefaultSigningID, Signature: sig}
				return s.Verify(mainnetDomains)
			},
			wantRoot: interopDelegationRoot, wantSig: interopDelegationSig,
		},
		{
			name: "constraints",
			sign: func() (protocol.BLSSignature, [32]byte, error) {
				s, err := protocol.SignConstraints(cons, mainnetDomains, sk)
				if err != nil {
					return protocol.BLSSignature{}, [32]byte{}, err
				}
				root, err := s.SigningRoot(mainnetDomains)
				return s.Signature, root, err
			},
			msgHash: abiConstraintsHash(t, cons),
			verify: func(sig protocol.BLSSignature) error {
				s := protocol.SignedConstraints{Message: *cons, SigningID: protocol.DefaultSigningID, Signature: sig}
				return s.Verify(mainnetDomains)
			},
			wantRoot: interopConstraintsRoot, wantSig: interopConstraintsSig,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sig, root, err := tc.sign()
			if err != nil {
				t.Fatal(err)
			}
			want := refSigningRoot(t, tc.msgHash, phase0.Version{}, 1, protocol.DefaultSigningID, 0)
			if root != want {
				t.Fatalf("signing root %x, independent %x", root, want)
			}
			if got := hexutil.Encode(root[:]); got != tc.wantRoot {
				t.Errorf("signing root %s, pinned %s", got, tc.wantRoot)
			}
			if got := sig.String(); got != tc.wantSig {
				t.Errorf("signature %s, pinned %s", got, tc.wantSig)
			}
			// They would verify Pledge's: blst over the independent root.
			bsig := new(blst.P2Affine).Uncompress(sig[:])
			bpk := new(blst.P1Affine).Uncompress(pk[:])
			if bsig == nil || bpk == nil || !bsig.Verify(true, bpk, true, want[:], []byte(dst)) {
				t.Fatal("blst does not verify Pledge's signature")
			}
			// Pledge verifies theirs: blst signs the independent root.
			theirs := new(blst.P2Affine).Sign(blstSK, want[:], []byte(dst))
			var ts protocol.BLSSignature
			copy(ts[:], theirs.Compress())
			if ts != sig {
				t.Errorf("blst signature %s differs from Pledge's %s", ts, sig)
			}
			if err := tc.verify(ts); err != nil {
				t.Fatalf("Pledge does not verify blst's signature: %v", err)
			}
		})
	}
}

// TestSigningRootMatchesCommitBoost checks Domains.SigningRoot against the
// independent computation across networks, ids and nonces, and the domain
// against Commit-Boost's constant.
func TestSigningRootMatchesCommitBoost(t *testing.T) {
	t.Parallel()
	h := crypto.Keccak256Hash([]byte("message"))
	for _, tc := range []struct {
		fork    [4]byte
		chainID uint64
		id      common.Hash
		nonce   uint64
	}{
		{[4]byte{}, 1, protocol.DefaultSigningID, 0},
		{[4]byte{0x10, 0, 0x09, 0x10}, 560048, common.Hash{0xff}, 1<<64 - 1},
		{[4]byte{0x10, 0, 0, 0x38}, 3151908, common.Hash{}, 7},
	} {
		d := protocol.NewDomains(tc.fork, tc.chainID)
		if got, want := d.SigningRoot(h, tc.id, tc.nonce), refSigningRoot(t, h, tc.fork, tc.chainID, tc.id, tc.nonce); got != want {
			t.Errorf("%x/%d: %x, want %x", tc.fork, tc.chainID, got, want)
		}
	}
	// Commit-Boost's mainnet COMMIT_BOOST_DOMAIN: "mmoC" then the first 28
	// bytes of the mainnet fork data root (the builder domain's suffix).
	if got, want := hexutil.Encode(mainnetDomains.CommitBoost[:]), "0x6d6d6f43f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a9"; got != want {
		t.Errorf("mainnet Commit-Boost domain %s, want %s", got, want)
	}
	if got, want := protocol.DefaultSigningID, crypto.Keccak256Hash([]byte("pledge")); got != want {
		t.Errorf("default signing id %s", got)
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

// TestSignatureReplay shows a delegation signature verifies as nothing else:
// not as constraints, a revocation or a receiver signature over the same
// keys and slot, not on another network, chain or signing context, and not
// as any beacon-chain or Builder-API message over the same data; and that a
// Builder-API signature by the same key is no delegation.
func TestSignatureReplay(t *testing.T) {
	t.Parallel()
	sk, pk := blsKey(t, 0x01)
	const slot = 9
	signed, err := protocol.SignDelegation(&protocol.Delegation{Proposer: pk, Delegate: pk, Committer: common.Address{0xc0}, Slot: slot}, blsTestDomains, sk)
	if err != nil {
		t.Fatal(err)
	}
	sig := signed.Signature
	fork := phase0.Version{0x10, 0x00, 0x00, 0x38}
	typed := map[string]func() error{
		"constraints": func() error {
			s := protocol.SignedConstraints{Message: protocol.ConstraintsMessage{Proposer: pk, Delegate: pk, Slot: slot,
				Constraints: []protocol.Constraint{{ConstraintType: protocol.ConstraintTypeInclusion}}}, SigningID: signed.SigningID, Signature: sig}
			return s.Verify(blsTestDomains)
		},
		"revocation": func() error {
			s := protocol.SignedRevocation{Message: protocol.Revocation{Proposer: pk, Delegate: pk, Slot: slot}, SigningID: signed.SigningID, Signature: sig}
			return s.Verify(blsTestDomains)
		},
		"receiver (builder.md)": func() error {
			return builderapi.VerifyReceiver(slot, builderapi.BuilderDomain(fork), phase0.BLSPubKey(pk), phase0.BLSSignature(sig))
		},
		"receiver (Commit-Boost)": func() error {
			return builderapi.VerifyReceiverCommitBoost(slot, blsTestDomains, signed.SigningID, 0, phase0.BLSPubKey(pk), phase0.BLSSignature(sig))
		},
		"other network": func() error { return signed.Verify(protocol.NewDomains([4]byte{}, blsTestDomains.ChainID)) },
		"other chain":   func() error { return signed.Verify(protocol.NewDomains(fork, blsTestDomains.ChainID+1)) },
		"other signing id": func() error {
			s := *signed
			s.SigningID[0] ^= 1
			return s.Verify(blsTestDomains)
		},
		"other nonce": func() error {
			s := *signed
			s.Nonce++
			return s.Verify(blsTestDomains)
		},
	}
	for name, verify := range typed {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := verify(); err == nil {
				t.Fatal("the delegation signature verified")
			}
		})
	}

	// The message hash as the object of every beacon and Builder-API domain,
	// and as a bare Commit-Boost object (no PropCommitSigningInfo).
	h, err := signed.Message.MessageHash()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bls.PublicKeyFromBytes(pk[:])
	if err != nil {
		t.Fatal(err)
	}
	s, err := bls.SignatureFromBytes(sig[:])
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range map[string]phase0.DomainType{
		"beacon proposer": boostssz.DomainTypeBeaconProposer, "beacon attester": {0x01}, "randao": {0x02},
		"deposit": {0x03}, "voluntary exit": {0x04}, "selection proof": {0x05}, "aggregate and proof": {0x06},
		"sync committee": {0x07}, "application builder": boostssz.DomainTypeAppBuilder, "bare Commit-Boost": protocol.DomainTypeCommitBoost,
	} {
		root, err := (&phase0.SigningData{ObjectRoot: phase0.Root(h), Domain: boostssz.ComputeDomain(typ, fork, phase0.Root{})}).HashTreeRoot()
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := bls.VerifySignature(s, pub, root[:]); ok {
			t.Errorf("the delegation signature verifies as a %s message", name)
		}
	}

	// A validator registration signed by the same key is no delegation.
	reg, err := builderapi.SignRegistration(&apiv1.ValidatorRegistration{FeeRecipient: bellatrix.ExecutionAddress{0xc0}, GasLimit: 30_000_000, Timestamp: time.Unix(slot, 0)},
		builderapi.BuilderDomain(fork), sk)
	if err != nil {
		t.Fatal(err)
	}
	forged := *signed
	forged.Signature = protocol.BLSSignature(reg.Signature)
	if err := forged.Verify(blsTestDomains); !errors.Is(err, protocol.ErrBLSSignatureMismatch) {
		t.Fatalf("a registration signature as a delegation: %v", err)
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
			`","slot":"12345","constraints":[{"constraintType":"1","payload":"0x02ab"}],"receivers":[]},"nonce":"0","signing_id":"0x` +
			strings.Repeat("00", 32) + `","signature":"0x` + strings.Repeat("00", 96) + `"}`
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
	t.Run("accepts the reference implementation's form", func(t *testing.T) {
		t.Parallel()
		id := "0x" + strings.Repeat("ab", 32)
		in := `{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","slot":12345,
			"constraints":[{"constraint_type":1,"payload":"0x0102"}],"receivers":[]},"nonce":7,"signing_id":"` + id + `","signature":"` + sig + `"}`
		var s protocol.SignedConstraints
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Fatal(err)
		}
		if s.Message.Slot != 12345 || s.Nonce != 7 || s.SigningID != common.HexToHash(id) ||
			len(s.Message.Constraints) != 1 || s.Message.Constraints[0].ConstraintType != 1 {
			t.Fatalf("decoded %+v", s)
		}
		var p protocol.ConstraintProofs
		if err := json.Unmarshal([]byte(`{"constraint_types":[1],"payloads":["0xaa"]}`), &p); err != nil || len(p.ConstraintTypes) != 1 {
			t.Fatalf("reference proofs: %v %+v", err, p)
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
		"hex slot":              msg(`"0x10"`, `"1"`, specPubkey),
		"negative type":         msg(`"1"`, `"-1"`, specPubkey),
		"type overflow":         msg(`"1"`, `"18446744073709551616"`, specPubkey),
		"fractional type":       msg(`"1"`, `1.5`, specPubkey),
		"empty hex type":        msg(`"1"`, `"0x"`, specPubkey),
		"short pubkey":          msg(`"1"`, `"1"`, specPubkey[:len(specPubkey)-2]),
		"long pubkey":           msg(`"1"`, `"1"`, specPubkey+"00"),
		"pubkey without 0x":     msg(`"1"`, `"1"`, specPubkey[2:]+"00"),
		"pubkey not hex":        msg(`"1"`, `"1"`, "0x"+strings.Repeat("zz", 48)),
		"hex nonce":             strings.Replace(msg(`"1"`, `"1"`, specPubkey), `"signature"`, `"nonce":"0x1","signature"`, 1),
		"short signing id":      strings.Replace(msg(`"1"`, `"1"`, specPubkey), `"signature"`, `"signing_id":"0x01","signature"`, 1),
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
