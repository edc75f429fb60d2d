package protocol

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Conformance with the Commitments API (eth-fabric/commitments-specs) as the
// reference gateway (eth-fabric/fabric, crates/urc/src/utils.rs) and the URC
// (ISlasher.Commitment, MessageType) define its hashes. Each expected value
// below is either published by the reference implementation's own tests or
// computed here by an independent path: go-ethereum's reflective ABI packer
// and plain secp256k1 recovery, which is what a verifier written from the
// spec would use.

// Published by the reference implementation (test_get_commitment_signing_root,
// test_get_commitment_request_signing_root): type 1, empty payload, zero
// request hash, zero slasher.
const (
	refCommitmentRoot = "0x9770f15c80e37efd7af931b39a8b67e01003b923ee5d808b5a87619ebdf30da1"
	refRequestHash    = "0xf61a6130b6ebfffcb3738e03fe820e4b883b623ec3ab7657ffbf385b2e94edba"
)

func TestReferenceVectors(t *testing.T) {
	t.Parallel()
	c := Commitment{CommitmentType: 1}
	if got := c.SigningRoot().Hex(); got != refCommitmentRoot {
		t.Errorf("commitment signing root %s, reference %s", got, refCommitmentRoot)
	}
	if got := crypto.Keccak256Hash(c.Preimage()).Hex(); got != refCommitmentRoot {
		t.Errorf("keccak256 of the commitment preimage %s, reference signing root %s", got, refCommitmentRoot)
	}
	r := CommitmentRequest{CommitmentType: 1}
	if got := r.RequestHash().Hex(); got != refRequestHash {
		t.Errorf("request hash %s, reference %s", got, refRequestHash)
	}
}

// packedSigningRoot computes keccak256(abi.encode(uint256(3), commitment))
// with go-ethereum's packer, independently of SigningRoot's hand-laid words.
func packedSigningRoot(t testing.TB, c Commitment) common.Hash {
	t.Helper()
	return crypto.Keccak256Hash(packedPreimage(t, c))
}

// packedPreimage is abi.encode(uint256(3), commitment) by the packer.
func packedPreimage(t testing.TB, c Commitment) []byte {
	t.Helper()
	u256, _ := abi.NewType("uint256", "", nil)
	ct, err := abi.NewType("tuple", "Commitment", []abi.ArgumentMarshaling{
		{Name: "commitmentType", Type: "uint64"},
		{Name: "payload", Type: "bytes"},
		{Name: "requestHash", Type: "bytes32"},
		{Name: "slasher", Type: "address"},
	})
	if err != nil {
		t.Fatal(err)
	}
	type commitment struct {
		CommitmentType uint64
		Payload        []byte
		RequestHash    [32]byte
		Slasher        common.Address
	}
	enc, err := abi.Arguments{{Type: u256}, {Type: ct}}.Pack(big.NewInt(3), commitment{c.CommitmentType, c.Payload, c.RequestHash, c.Slasher})
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// packedRequestHash computes keccak256(abi.encode(CommitmentRequest)) with the packer.
func packedRequestHash(t testing.TB, r CommitmentRequest) common.Hash {
	t.Helper()
	rt, err := abi.NewType("tuple", "CommitmentRequest", []abi.ArgumentMarshaling{
		{Name: "commitmentType", Type: "uint64"},
		{Name: "payload", Type: "bytes"},
		{Name: "slasher", Type: "address"},
	})
	if err != nil {
		t.Fatal(err)
	}
	type request struct {
		CommitmentType uint64
		Payload        []byte
		Slasher        common.Address
	}
	enc, err := abi.Arguments{{Type: rt}}.Pack(request{r.CommitmentType, r.Payload, r.Slasher})
	if err != nil {
		t.Fatal(err)
	}
	return crypto.Keccak256Hash(enc)
}

func TestHashesMatchThePacker(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 31, 32, 33, 300, 4096} {
		payload := bytes.Repeat([]byte{0xab}, n)
		c := Commitment{CommitmentType: uint64(n) + 1, Payload: payload, RequestHash: common.Hash{byte(n), 1}, Slasher: common.Address{0x5e, byte(n)}}
		if got, want := c.SigningRoot(), packedSigningRoot(t, c); got != want {
			t.Errorf("%d-byte payload: signing root %s, packer %s", n, got, want)
		}
		if got, want := c.Preimage(), packedPreimage(t, c); !bytes.Equal(got, want) {
			t.Errorf("%d-byte payload: preimage\n%x\npacker\n%x", n, got, want)
		}
		r := CommitmentRequest{CommitmentType: uint64(n), Payload: payload, Slasher: common.Address{0x5e, byte(n)}}
		if got, want := r.RequestHash(), packedRequestHash(t, r); got != want {
			t.Errorf("%d-byte payload: request hash %s, packer %s", n, got, want)
		}
	}
}

// TestReferenceInclusionPayload builds the reference gateway's type-1 request
// payload, abi.encode(InclusionPayload{uint64 slot, bytes signed_tx}), word by
// word from its Solidity definition, and checks Pledge reads and writes it.
func TestReferenceInclusionPayload(t *testing.T) {
	t.Parallel()
	key := userKey(t)
	raw := rawOf(t, signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 1, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to}))
	word := func(v uint64) []byte { w := make([]byte, 32); putUint64(w, v); return w }
	var ref []byte
	ref = append(ref, word(0x20)...)             // offset of the tuple
	ref = append(ref, word(1000)...)             // slot
	ref = append(ref, word(0x40)...)             // offset of signed_tx within the tuple
	ref = append(ref, word(uint64(len(raw)))...) // its length
	ref = append(ref, raw...)
	ref = append(ref, make([]byte, padded(len(raw))-len(raw))...)

	got, err := DecodeRequestPayload(TypeL1Inclusion, ref)
	if err != nil {
		t.Fatalf("reference payload refused: %v", err)
	}
	if got.Slot != 1000 || len(got.Txs) != 1 || !bytes.Equal(got.Txs[0], raw) {
		t.Fatalf("decoded %+v", got)
	}
	ours, err := EncodeRequestPayload(TypeL1Inclusion, 1000, [][]byte{raw})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, ref) {
		t.Fatalf("Pledge's type-1 payload differs from the reference's:\n%x\n%x", ours, ref)
	}
}

// TestGenericVerifier: a Pledge commitment verifies with nothing but the
// spec's definitions (packer + ecrecover), and a commitment signed that way
// by any key verifies with Pledge's code: both directions.
func TestGenericVerifier(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	committer := crypto.PubkeyToAddress(key.PublicKey)

	sc, err := NewSignedCommitment(testPromise(TypeBundle), testDomain, key)
	if err != nil {
		t.Fatal(err)
	}
	root := packedSigningRoot(t, sc.Commitment)
	sig := append([]byte(nil), sc.Signature...)
	sig[64] -= 27
	pub, err := crypto.SigToPub(root[:], sig)
	if err != nil || crypto.PubkeyToAddress(*pub) != committer {
		t.Fatalf("a generic verifier does not recover the committer: %v", err)
	}

	// The other way: signed by a generic signer over the packed root.
	other, _ := crypto.GenerateKey()
	p := testPromise(TypeL1Inclusion)
	c, err := p.Commitment(testDomain)
	if err != nil {
		t.Fatal(err)
	}
	root = packedSigningRoot(t, c)
	gsig, err := crypto.Sign(root[:], other)
	if err != nil {
		t.Fatal(err)
	}
	gsig[64] += 27
	theirs := SignedCommitment{Commitment: c, Signature: gsig}
	if _, err := theirs.Verify(testL1Chain, crypto.PubkeyToAddress(other.PublicKey)); err != nil {
		t.Fatalf("Pledge refuses a commitment signed from the spec: %v", err)
	}
}
