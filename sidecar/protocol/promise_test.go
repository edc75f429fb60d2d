package protocol

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

const testL1Chain = 3151908

var testDomain = Domain{ChainID: testL1Chain, Slasher: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}

// testKey returns a fixed committer key so signatures are reproducible.
func testKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testInclusion(chain uint64, n byte) Inclusion {
	return Inclusion{
		ChainID:          chain,
		TxHash:           common.Hash{0xaa, n},
		Sender:           common.Address{0xbb, n},
		Nonce:            uint64(n) + 7,
		MaxFeePerGas:     big.NewInt(30_000_000_000 + int64(n)),
		MaxFeePerBlobGas: big.NewInt(int64(n)),
		GasLimit:         21_000 + uint64(n),
		MaxCost:          new(big.Int).Lsh(big.NewInt(int64(n)+1), 200),
	}
}

func testPromise(typ uint64) *Promise {
	p := &Promise{
		CommitmentType: typ,
		Operator:       common.HexToAddress("0x00000000000000000000000000000000000000c0"),
		Slot:           123456,
		SlashAmount:    big.NewInt(1e17),
		RequestHash:    common.Hash{0x11, 0x22},
	}
	switch typ {
	case TypeL1Inclusion:
		p.Inclusions = []Inclusion{testInclusion(testL1Chain, 1)}
	case TypeL2Inclusion:
		p.Inclusions = []Inclusion{testInclusion(167000, 2)}
	case TypeBundle:
		p.Inclusions = []Inclusion{testInclusion(167000, 3), testInclusion(testL1Chain, 4), testInclusion(42069, 5)}
	}
	return p
}

func TestDigestIsTheCommitmentSigningRoot(t *testing.T) {
	t.Parallel()
	for _, typ := range []uint64{TypeL1Inclusion, TypeL2Inclusion, TypeBundle} {
		p := testPromise(typ)
		for _, d := range []Domain{testDomain, {ChainID: 1, Slasher: common.Address{0x01}}} {
			payload, err := packReflect(p)
			if err != nil {
				t.Fatal(err)
			}
			want := packedSigningRoot(t, Commitment{CommitmentType: typ, Payload: payload, RequestHash: p.RequestHash, Slasher: d.Slasher})
			if got := p.Digest(d); got != want {
				t.Errorf("type %d slasher %s: digest %x, packer %x", typ, d.Slasher, got, want)
			}
		}
	}
}

// TestKnownAnswer pins the digest and signature of one promise. The values
// were produced by this package, whose digest is checked against go-ethereum's
// ABI packer above; the signature is deterministic (RFC 6979). A change here
// means every deployed verifier would disagree with us.
func TestKnownAnswer(t *testing.T) {
	t.Parallel()
	p := testPromise(TypeL1Inclusion)
	const (
		wantDigest = "0x21db45b1458b3981eb9bc08f014f3f0f87fefe1910a48ec106760cddbe0c1c77"
		wantSig    = "0x952ec37d91b0718b439c067f6312d3f60aa795ab8fe56ba6bc2bc49cf92f28610b88e7e9b050465184f4c2b3c0754dddd6d9a02fc63894e46b8540c82f51e5941b"
	)
	sig, err := SignPromise(p, testDomain, testKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Digest(testDomain).Hex(); got != wantDigest {
		t.Errorf("digest %s, want %s", got, wantDigest)
	}
	if got := hexutil.Encode(sig); got != wantSig {
		t.Errorf("signature %s, want %s", got, wantSig)
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	committer := crypto.PubkeyToAddress(key.PublicKey)
	for _, typ := range []uint64{TypeL1Inclusion, TypeL2Inclusion, TypeBundle} {
		p := testPromise(typ)
		sig, err := SignPromise(p, testDomain, key)
		if err != nil {
			t.Fatal(err)
		}
		if sig[64] != 27 && sig[64] != 28 {
			t.Fatalf("v = %d", sig[64])
		}
		if err := VerifyPromise(p, testDomain, sig, committer); err != nil {
			t.Fatalf("type %d: %v", typ, err)
		}
	}
}

// TestTamperedFieldFailsVerification changes every signed field in turn: the
// signature must then recover to another address.
func TestTamperedFieldFailsVerification(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	committer := crypto.PubkeyToAddress(key.PublicKey)
	base := testPromise(TypeBundle)
	sig, err := SignPromise(base, testDomain, key)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() *Promise {
		c := *base
		c.Inclusions = append([]Inclusion(nil), base.Inclusions...)
		return &c
	}
	inc := func(f func(*Inclusion)) func(*Promise) { return func(p *Promise) { f(&p.Inclusions[1]) } }
	cases := map[string]func(*Promise){
		"commitmentType":   func(p *Promise) { p.CommitmentType = TypeL1Inclusion },
		"operator":         func(p *Promise) { p.Operator[19] ^= 1 },
		"slot":             func(p *Promise) { p.Slot++ },
		"slashAmount":      func(p *Promise) { p.SlashAmount = new(big.Int).Add(p.SlashAmount, big.NewInt(1)) },
		"requestHash":      func(p *Promise) { p.RequestHash[31] ^= 1 },
		"inclusion order":  func(p *Promise) { p.Inclusions[0], p.Inclusions[1] = p.Inclusions[1], p.Inclusions[0] },
		"inclusion drop":   func(p *Promise) { p.Inclusions = p.Inclusions[:2] },
		"chainId":          inc(func(i *Inclusion) { i.ChainID++ }),
		"txHash":           inc(func(i *Inclusion) { i.TxHash[0] ^= 1 }),
		"sender":           inc(func(i *Inclusion) { i.Sender[0] ^= 1 }),
		"nonce":            inc(func(i *Inclusion) { i.Nonce++ }),
		"maxFeePerGas":     inc(func(i *Inclusion) { i.MaxFeePerGas = big.NewInt(1) }),
		"maxFeePerBlobGas": inc(func(i *Inclusion) { i.MaxFeePerBlobGas = big.NewInt(99) }),
		"gasLimit":         inc(func(i *Inclusion) { i.GasLimit++ }),
		"maxCost":          inc(func(i *Inclusion) { i.MaxCost = big.NewInt(5) }),
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			p := clone()
			tamper(p)
			err := VerifyPromise(p, testDomain, sig, committer)
			if !errors.Is(err, ErrWrongSigner) && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("tampered %s verified: %v", name, err)
			}
		})
	}
	t.Run("domain slasher", func(t *testing.T) {
		d := testDomain
		d.Slasher[0] ^= 1
		if err := VerifyPromise(base, d, sig, committer); !errors.Is(err, ErrWrongSigner) {
			t.Fatalf("verified under another slasher: %v", err)
		}
	})
	t.Run("other key", func(t *testing.T) {
		other, _ := crypto.GenerateKey()
		sig2, err := SignPromise(base, testDomain, other)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyPromise(base, testDomain, sig2, committer); !errors.Is(err, ErrWrongSigner) {
			t.Fatalf("other key's signature verified: %v", err)
		}
	})
}

func TestMalformedSignatures(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	p := testPromise(TypeL1Inclusion)
	sig, err := SignPromise(p, testDomain, key)
	if err != nil {
		t.Fatal(err)
	}
	// The malleable twin (n - s, flipped v) recovers the same key; it must be refused.
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(sig[32:64])
	highS := append([]byte(nil), sig...)
	new(big.Int).Sub(n, s).FillBytes(highS[32:64])
	highS[64] = 55 - sig[64] // 27 <-> 28

	cases := map[string][]byte{
		"empty":       nil,
		"short":       sig[:64],
		"long":        append(append([]byte(nil), sig...), 0),
		"v=0":         append(append([]byte(nil), sig[:64]...), 0),
		"v=29":        append(append([]byte(nil), sig[:64]...), 29),
		"zero r":      append(make([]byte, 32), sig[32:]...),
		"high s twin": highS,
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := RecoverPromiseSigner(p, testDomain, bad); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("want ErrBadSignature, got %v", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		edit func(*Promise)
		typ  uint64
		want error
	}{
		{"l1 ok", func(*Promise) {}, TypeL1Inclusion, nil},
		{"l2 ok", func(*Promise) {}, TypeL2Inclusion, nil},
		{"bundle ok", func(*Promise) {}, TypeBundle, nil},
		{"unknown type", func(p *Promise) { p.CommitmentType = 9 }, TypeL1Inclusion, ErrUnknownCommitmentType},
		{"l1 on rollup chain", func(p *Promise) { p.Inclusions[0].ChainID = 167000 }, TypeL1Inclusion, ErrWrongChain},
		{"l2 on l1 chain", func(p *Promise) { p.Inclusions[0].ChainID = testL1Chain }, TypeL2Inclusion, ErrWrongChain},
		{"l1 with two", func(p *Promise) { p.Inclusions = append(p.Inclusions, testInclusion(testL1Chain, 9)) }, TypeL1Inclusion, ErrInclusionCount},
		{"l1 with none", func(p *Promise) { p.Inclusions = nil }, TypeL1Inclusion, ErrInclusionCount},
		{"bundle of one", func(p *Promise) { p.Inclusions = p.Inclusions[:1] }, TypeBundle, ErrInclusionCount},
		{"bundle too big", func(p *Promise) {
			for len(p.Inclusions) <= MaxBundleSize {
				p.Inclusions = append(p.Inclusions, testInclusion(testL1Chain, byte(len(p.Inclusions)+10)))
			}
		}, TypeBundle, ErrInclusionCount},
		{"bundle duplicate tx", func(p *Promise) { p.Inclusions[2].TxHash = p.Inclusions[0].TxHash }, TypeBundle, ErrDuplicateTx},
		{"nil slash", func(p *Promise) { p.SlashAmount = nil }, TypeL1Inclusion, ErrBadAmount},
		{"zero slash", func(p *Promise) { p.SlashAmount = new(big.Int) }, TypeL1Inclusion, ErrBadAmount},
		{"negative fee", func(p *Promise) { p.Inclusions[0].MaxFeePerGas = big.NewInt(-1) }, TypeL1Inclusion, ErrBadAmount},
		{"257-bit cost", func(p *Promise) { p.Inclusions[0].MaxCost = new(big.Int).Lsh(big.NewInt(1), 256) }, TypeL1Inclusion, ErrBadAmount},
		{"nil blob fee", func(p *Promise) { p.Inclusions[0].MaxFeePerBlobGas = nil }, TypeL1Inclusion, ErrBadAmount},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := testPromise(tc.typ)
			tc.edit(p)
			err := p.Validate(testL1Chain)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Validate = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDigestOfInvalidPromiseDoesNotPanic(t *testing.T) {
	t.Parallel()
	p := testPromise(TypeL1Inclusion)
	p.SlashAmount = new(big.Int).Lsh(big.NewInt(3), 300)
	p.Inclusions[0].MaxCost = nil
	_ = p.Digest(testDomain)
}

func BenchmarkSignPromise(b *testing.B) {
	key := testKey(b)
	p := testPromise(TypeL1Inclusion)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignPromise(p, testDomain, key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPromise(b *testing.B) {
	key := testKey(b)
	committer := crypto.PubkeyToAddress(key.PublicKey)
	p := testPromise(TypeL1Inclusion)
	sig, err := SignPromise(p, testDomain, key)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := VerifyPromise(p, testDomain, sig, committer); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPromiseDigest(b *testing.B) {
	p := testPromise(TypeBundle)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Digest(testDomain)
	}
}
