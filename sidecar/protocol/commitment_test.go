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
	for _, tc := range []struct {
		typ uint64
		txs [][]byte
	}{{TypeL1Inclusion, txs[:1]}, {TypeL2Inclusion, txs[1:]}, {TypeBundle, txs}} {
		enc, err := EncodeRequestPayload(tc.typ, 77, tc.txs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeRequestPayload(tc.typ, enc)
		if err != nil {
			t.Fatalf("type %d: %v", tc.typ, err)
		}
		if got.Slot != 77 || !reflect.DeepEqual(got.Txs, tc.txs) {
			t.Fatalf("type %d round trip: %+v", tc.typ, got)
		}
	}
	if _, err := EncodeRequestPayload(TypeL1Inclusion, 1, txs); !errors.Is(err, ErrInclusionCount) {
		t.Fatalf("two txs as type 1: %v", err)
	}

	enc, _ := EncodeRequestPayload(TypeBundle, 77, txs)
	one, _ := EncodeRequestPayload(TypeL1Inclusion, 77, txs[:1])
	tooMany := make([][]byte, MaxRequestTxs+1)
	for i := range tooMany {
		tooMany[i] = []byte{1}
	}
	encTooMany, _ := EncodeRequestPayload(TypeBundle, 1, tooMany)
	encNone, _ := EncodeRequestPayload(TypeBundle, 1, nil)
	dirtyPad := append([]byte(nil), one...)
	dirtyPad[len(dirtyPad)-1] = 1 // the tx's padding must be zero
	cases := []struct {
		name string
		typ  uint64
		data []byte
		want error
	}{
		{"empty", TypeL1Inclusion, nil, ErrMalformedPayload},
		{"one word", TypeL1Inclusion, make([]byte, 32), ErrMalformedPayload},
		{"trailing", TypeBundle, append(append([]byte(nil), enc...), make([]byte, 32)...), ErrMalformedPayload},
		{"dirty padding", TypeL1Inclusion, dirtyPad, ErrMalformedPayload},
		{"bundle as type 1", TypeL1Inclusion, enc, ErrMalformedPayload},
		{"no txs", TypeBundle, encNone, ErrInclusionCount},
		{"too many txs", TypeBundle, encTooMany, ErrInclusionCount},
		{"unknown type", 9, one, ErrUnknownCommitmentType},
		{"oversized", TypeBundle, make([]byte, MaxRequestPayload+1), ErrMalformedPayload},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DecodeRequestPayload(tc.typ, tc.data); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRequestHash(t *testing.T) {
	t.Parallel()
	pl, _ := EncodeRequestPayload(TypeBundle, 10, [][]byte{{1}, {2}})
	base := CommitmentRequest{CommitmentType: TypeBundle, Payload: pl, Slasher: testDomain.Slasher}
	again := base
	again.Payload = append([]byte(nil), pl...)
	if base.RequestHash() != again.RequestHash() {
		t.Fatal("request hash is not deterministic")
	}
	other := func(f func(*CommitmentRequest)) common.Hash {
		r := base
		r.Payload = append([]byte(nil), pl...)
		f(&r)
		return r.RequestHash()
	}
	for name, h := range map[string]common.Hash{
		"type":    other(func(r *CommitmentRequest) { r.CommitmentType = TypeL1Inclusion }),
		"payload": other(func(r *CommitmentRequest) { r.Payload[len(r.Payload)-1] ^= 1 }),
		"length":  other(func(r *CommitmentRequest) { r.Payload = r.Payload[:len(r.Payload)-32] }),
		"slasher": other(func(r *CommitmentRequest) { r.Slasher = common.Address{9} }),
	} {
		if h == base.RequestHash() {
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
	payload, err := EncodeRequestPayload(TypeL1Inclusion, 900, [][]byte{raw})
	if err != nil {
		t.Fatal(err)
	}
	req := CommitmentRequest{CommitmentType: TypeL1Inclusion, Payload: payload, Slasher: testDomain.Slasher}
	rp, err := DecodeRequestPayload(req.CommitmentType, req.Payload)
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
		RequestHash:    req.RequestHash(),
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
