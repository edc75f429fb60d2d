package protocol

import (
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

func TestPromiseABIRoundTrip(t *testing.T) {
	t.Parallel()
	for _, typ := range []uint64{TypeL1Inclusion, TypeL2Inclusion, TypeBundle} {
		p := testPromise(typ)
		enc, err := p.MarshalABI()
		if err != nil {
			t.Fatal(err)
		}
		back, err := UnmarshalPromiseABI(enc)
		if err != nil {
			t.Fatalf("type %d: %v", typ, err)
		}
		if !reflect.DeepEqual(p, back) {
			t.Fatalf("type %d: round trip\n got %+v\nwant %+v", typ, back, p)
		}
		if back.Digest(testDomain) != p.Digest(testDomain) {
			t.Fatal("digest changed over the round trip")
		}
	}
}

func TestPromiseABIRejects(t *testing.T) {
	t.Parallel()
	enc, err := testPromise(TypeBundle).MarshalABI()
	if err != nil {
		t.Fatal(err)
	}
	dirtyPadding := append([]byte(nil), enc...)
	dirtyPadding[0] = 1 // the tuple's offset word now points far past the end
	cases := map[string][]byte{
		"empty":          nil,
		"truncated":      enc[:len(enc)-1],
		"trailing bytes": append(append([]byte(nil), enc...), make([]byte, 32)...),
		"bad offset":     dirtyPadding,
		"oversized":      make([]byte, MaxPromisePayload+1),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := UnmarshalPromiseABI(data); !errors.Is(err, ErrMalformedPayload) {
				t.Fatalf("want ErrMalformedPayload, got %v", err)
			}
		})
	}
}

func TestSignedCommitmentVerify(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	committer := crypto.PubkeyToAddress(key.PublicKey)
	p := testPromise(TypeL1Inclusion)
	sc, err := NewSignedCommitment(p, testDomain, key)
	if err != nil {
		t.Fatal(err)
	}
	// Over JSON, as a wallet receives it.
	js, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	var got SignedCommitment
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	back, err := got.Verify(testL1Chain, committer)
	if err != nil {
		t.Fatal(err)
	}
	if back.Digest(testDomain) != p.Digest(testDomain) {
		t.Fatal("verified promise differs from the signed one")
	}

	tamper := map[string]func(*SignedCommitment){
		"envelope type":    func(s *SignedCommitment) { s.Commitment.CommitmentType = TypeBundle },
		"envelope request": func(s *SignedCommitment) { s.Commitment.RequestHash[0] ^= 1 },
		"slasher":          func(s *SignedCommitment) { s.Commitment.Slasher[0] ^= 1 },
		"payload byte":     func(s *SignedCommitment) { s.Commitment.Payload[len(s.Commitment.Payload)-1] ^= 1 },
		"signature":        func(s *SignedCommitment) { s.Signature[10] ^= 1 },
		"short signature":  func(s *SignedCommitment) { s.Signature = s.Signature[:10] },
	}
	for name, f := range tamper {
		t.Run(name, func(t *testing.T) {
			c := got
			c.Commitment.Payload = append([]byte(nil), got.Commitment.Payload...)
			c.Signature = append([]byte(nil), got.Signature...)
			f(&c)
			if _, err := c.Verify(testL1Chain, committer); err == nil {
				t.Fatal("tampered commitment verified")
			}
		})
	}
	t.Run("wrong l1 chain", func(t *testing.T) {
		if _, err := got.Verify(1, committer); err == nil {
			t.Fatal("verified for another L1 chain")
		}
	})
}

func TestNewSignedCommitmentRefusesInvalidPromise(t *testing.T) {
	t.Parallel()
	p := testPromise(TypeL1Inclusion)
	p.SlashAmount = nil
	if _, err := NewSignedCommitment(p, testDomain, testKey(t)); !errors.Is(err, ErrBadAmount) {
		t.Fatalf("want ErrBadAmount, got %v", err)
	}
}

func TestRequestPayload(t *testing.T) {
	t.Parallel()
	txs := [][]byte{{0x02, 0xc0}, {0x01, 0x02, 0x03}}
	enc, err := EncodeRequestPayload(77, txs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRequestPayload(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slot != 77 || !reflect.DeepEqual(got.Txs, txs) {
		t.Fatalf("round trip: %+v", got)
	}

	tooMany := make([][]byte, MaxRequestTxs+1)
	for i := range tooMany {
		tooMany[i] = []byte{1}
	}
	encTooMany, _ := EncodeRequestPayload(1, tooMany)
	encNone, _ := EncodeRequestPayload(1, nil)
	nonCanonical, _ := rlp.EncodeToBytes([]interface{}{[]byte{0, 5}, txs}) // slot with a leading zero
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrMalformedPayload},
		{"not a list", []byte{0x80}, ErrMalformedPayload},
		{"trailing", append(append([]byte(nil), enc...), 0x80), ErrMalformedPayload},
		{"non-canonical slot", nonCanonical, ErrMalformedPayload},
		{"no txs", encNone, ErrInclusionCount},
		{"too many txs", encTooMany, ErrInclusionCount},
		{"oversized", make([]byte, MaxRequestPayload+1), ErrMalformedPayload},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DecodeRequestPayload(tc.data); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRequestHash(t *testing.T) {
	t.Parallel()
	h := []common.Hash{{1}, {2}}
	base := RequestHash(TypeBundle, 10, h, testDomain.Slasher)
	if base != RequestHash(TypeBundle, 10, []common.Hash{{1}, {2}}, testDomain.Slasher) {
		t.Fatal("request hash is not deterministic")
	}
	for name, other := range map[string]common.Hash{
		"type":    RequestHash(TypeL1Inclusion, 10, h, testDomain.Slasher),
		"slot":    RequestHash(TypeBundle, 11, h, testDomain.Slasher),
		"order":   RequestHash(TypeBundle, 10, []common.Hash{{2}, {1}}, testDomain.Slasher),
		"subset":  RequestHash(TypeBundle, 10, h[:1], testDomain.Slasher),
		"slasher": RequestHash(TypeBundle, 10, h, common.Address{9}),
	} {
		if other == base {
			t.Errorf("changing the %s does not change the request hash", name)
		}
	}
}

// TestPromiseFromRequest walks the path a sidecar takes: decode the request,
// decode each tx, build and sign the promise, and a wallet verifies it.
func TestPromiseFromRequest(t *testing.T) {
	t.Parallel()
	key := userKey(t)
	raw := rawOf(t, signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to}))
	payload, err := EncodeRequestPayload(900, [][]byte{raw})
	if err != nil {
		t.Fatal(err)
	}
	req := CommitmentRequest{CommitmentType: TypeL1Inclusion, Payload: payload, Slasher: testDomain.Slasher}
	rp, err := DecodeRequestPayload(req.Payload)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := DecodeTransaction(rp.Txs[0], testL1Chain)
	if err != nil {
		t.Fatal(err)
	}
	p := &Promise{
		CommitmentType: req.CommitmentType,
		Operator:       common.Address{0xc0},
		Slot:           rp.Slot,
		Inclusions:     []Inclusion{tx.Inclusion},
		SlashAmount:    big.NewInt(1e16),
		RequestHash:    RequestHash(req.CommitmentType, rp.Slot, []common.Hash{tx.Inclusion.TxHash}, req.Slasher),
	}
	sc, err := NewSignedCommitment(p, testDomain, testKey(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := sc.Verify(testL1Chain, crypto.PubkeyToAddress(testKey(t).PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if got.Inclusions[0].Sender != crypto.PubkeyToAddress(key.PublicKey) || got.Slot != 900 {
		t.Fatalf("promise %+v", got)
	}
}
