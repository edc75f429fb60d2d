package slashing

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func urcTestPromise(t testing.TB, nonce uint64, slot uint64) SignedPromise {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	p := &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion, Slot: slot, SlashAmount: big.NewInt(5), RequestHash: common.Hash{3},
		Inclusions: []protocol.Inclusion{{ChainID: 1, TxHash: common.Hash{byte(nonce) + 1}, Sender: common.Address{4}, Nonce: nonce,
			MaxFeePerGas: big.NewInt(7), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(9)}},
	}
	sig, err := protocol.SignPromise(p, protocol.Domain{ChainID: 1, Slasher: common.Address{0xaa}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return SignedPromise{Promise: p, Signature: sig}
}

// Every URC evidence encoding decodes back to what was encoded.
func TestURCEvidenceRoundTrip(t *testing.T) {
	t.Parallel()
	a, b := urcTestPromise(t, 0, 5), urcTestPromise(t, 0, 6)
	b.Promise.Inclusions[0].TxHash = common.Hash{0x77}
	prior := urcTestPromise(t, 0, 5)
	for _, tc := range []struct {
		name  string
		fault Fault
		ev    any
	}{
		{"safety", FaultSafety, &SafetyEvidence{Index: 0, Header: []byte{1, 2}, ParentHeader: []byte{3}, ParentProof: [][]byte{{4}, {5, 6}}, BlockProof: [][]byte{{7}},
			Priors: []Prior{{SignedPromise: prior, Index: 0}}}},
		{"liveness", FaultLiveness, &LivenessEvidence{Header1: []byte{1}, Header2: []byte{2, 3}}},
		{"l2", FaultL2Inclusion, &L2Evidence{Index: 0, Header: []byte{9}, TxHashes: []common.Hash{{1}, {2}}}},
		{"equivocation", FaultEquivocation, &EquivocationEvidence{A: a, B: b, IndexA: 0, IndexB: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			enc, err := URCEvidence(tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			f, got, err := DecodeURCEvidence(enc)
			if err != nil || f != tc.fault {
				t.Fatalf("decode: %v, %v", f, err)
			}
			re, err := URCEvidence(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(re, enc) {
				t.Fatal("re-encoding the decoded evidence differs")
			}
			if eq, ok := got.(*EquivocationEvidence); ok {
				if eq.A.Promise != nil {
					t.Fatal("A is the commitment: it must not travel in the evidence")
				}
				d := protocol.Domain{ChainID: 1, Slasher: common.Address{0xaa}}
				if eq.B.Promise.Digest(d) != b.Promise.Digest(d) || !bytes.Equal(eq.B.Signature, b.Signature) {
					t.Fatal("B differs after the round trip")
				}
			}
		})
	}
}

// The poster is read only from a real delegation with exactly one clean address word.
func TestURCDelegationPoster(t *testing.T) {
	t.Parallel()
	poster := common.Address{0x11}
	dirty := PosterMetadata(poster)
	dirty[0] = 1
	for _, tc := range []struct {
		name string
		d    URCDelegation
		ok   bool
	}{
		{"delegated", URCDelegation{Slot: 3, Metadata: PosterMetadata(poster)}, true},
		{"opt-in form", URCDelegation{Metadata: PosterMetadata(poster)}, false},
		{"no metadata", URCDelegation{Slot: 3}, false},
		{"zero poster", URCDelegation{Slot: 3, Metadata: PosterMetadata(common.Address{})}, false},
		{"dirty high bytes", URCDelegation{Slot: 3, Metadata: dirty}, false},
		{"long metadata", URCDelegation{Slot: 3, Metadata: append(PosterMetadata(poster), 0)}, false},
	} {
		got, ok := tc.d.Poster()
		if ok != tc.ok || (ok && got != poster) {
			t.Errorf("%s: %s, %v; want ok=%v", tc.name, got, ok, tc.ok)
		}
	}
}

// The URC call data carries the URC's selector.
func TestURCSlashCallData(t *testing.T) {
	t.Parallel()
	sp := urcTestPromise(t, 0, 5)
	s, err := NewURCSlash(common.Address{0xaa}, sp, URCDelegation{}, &LivenessEvidence{Header1: []byte{1}, Header2: []byte{2}}, common.Address{0xbb})
	if err != nil {
		t.Fatal(err)
	}
	want, err := protocol.RecoverPromiseSigner(sp.Promise, protocol.Domain{ChainID: 1, Slasher: common.Address{0xaa}}, sp.Signature)
	if err != nil || s.Committer != want {
		t.Fatalf("committer %s, want the promise's signer %s (%v)", s.Committer, want, err)
	}
	data, err := s.CallData()
	if err != nil {
		t.Fatal(err)
	}
	if sel := crypto.Keccak256([]byte(URCSlashSignature))[:4]; !bytes.Equal(data[:4], sel) {
		t.Fatalf("selector %x, want %x", data[:4], sel)
	}
	if _, err := URCEvidence(struct{}{}); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("unknown evidence type: %v", err)
	}
}

// DecodeURCEvidence never panics and refuses with ErrMalformedEvidence.
func FuzzDecodeURCEvidence(f *testing.F) {
	for _, ev := range []any{
		&LivenessEvidence{Header1: []byte{1}, Header2: []byte{2}},
		&L2Evidence{Header: []byte{1}, TxHashes: []common.Hash{{1}}},
		&SafetyEvidence{Header: []byte{1}, ParentHeader: []byte{2}},
	} {
		b, err := URCEvidence(ev)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, _, err := DecodeURCEvidence(b); err != nil && !errors.Is(err, ErrMalformedEvidence) {
			t.Fatalf("refusal without ErrMalformedEvidence: %v", err)
		}
	})
}
