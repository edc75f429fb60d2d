package ecdsasigner_test

import (
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/pledgeproto/pledge/internal/cleftest"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// BenchmarkSignPromise signs promises with the local key and through each
// remote signer that can sign one, side by side in one run, on loopback,
// and reports each one's p50 and p99. The Web3Signer here is the in-process
// FAKE (fake_test.go): it measures Pledge's client, HTTP on loopback and
// one ECDSA signature, not the Java service's own time. Clef cannot sign a
// promise (docs/protocol.md §2.1): it is in BenchmarkSignTx.
func BenchmarkSignPromise(b *testing.B) {
	k := newKey(b)
	local, err := ecdsasigner.NewLocal(k.ecdsaPriv)
	if err != nil {
		b.Fatal(err)
	}
	fake := newFakeWeb3Signer(b, k.ecdsaPriv, testChain)
	w3s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	p := testPromise(7)
	for _, s := range []*ecdsasigner.Signer{local, w3s} {
		b.Run(s.Kind(), func(b *testing.B) {
			b.ReportAllocs()
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				if _, err := s.SignPromise(b.Context(), p, testDomain); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkSignTx signs the ledgers' and the posts' kind of transaction
// with the local key, the real Clef (light-scrypt keystore: Clef decrypts
// the key at every signature) and the Web3Signer FAKE, side by side.
func BenchmarkSignTx(b *testing.B) {
	k := newKey(b)
	local, err := ecdsasigner.NewLocal(k.ecdsaPriv)
	if err != nil {
		b.Fatal(err)
	}
	fake := newFakeWeb3Signer(b, k.ecdsaPriv, testChain)
	w3s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	c := cleftest.Start(b, k.ecdsaPriv, cleftest.Options{ChainID: testChain})
	clef, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: c.URL}, k.addr, []string{testMethod})
	if err != nil {
		b.Fatal(err)
	}
	tx := testTx(testChain, 1)
	for _, s := range []*ecdsasigner.Signer{local, clef, w3s} {
		b.Run(s.Kind(), func(b *testing.B) {
			b.ReportAllocs()
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				if _, err := s.SignTx(b.Context(), tx, big.NewInt(testChain)); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			reportPercentiles(b, lat)
		})
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 { return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
