package ecdsasigner_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

const testChain = 1337

var testDomain = protocol.Domain{ChainID: testChain, Slasher: common.HexToAddress("0x00000000000000000000000000000000005a5e00")}

// testPromise is a valid type-1 promise; n varies its request hash.
func testPromise(n byte) *protocol.Promise {
	return &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion,
		Operator:       common.HexToAddress("0x00000000000000000000000000000000000000c0"),
		Slot:           123456,
		SlashAmount:    big.NewInt(1e17),
		RequestHash:    common.Hash{0x11, n},
		Inclusions: []protocol.Inclusion{{
			ChainID: testChain, TxHash: common.Hash{0xaa, n}, Sender: common.Address{0xbb, n}, Nonce: 7,
			MaxFeePerGas: big.NewInt(30e9), MaxFeePerBlobGas: new(big.Int), GasLimit: 21_000,
			MaxCost: big.NewInt(21_000 * 30e9),
		}},
	}
}

// testMethod is the contract call testTx makes (in no 4byte database).
const testMethod = "pledgeTestCall(uint256)"

// testTx is an unsigned EIP-1559 transaction for chain calling testMethod.
func testTx(chain int64, nonce uint64) *types.Transaction {
	to := common.HexToAddress("0x000000000000000000000000000000000000be11")
	data := append(crypto.Keccak256([]byte(testMethod))[:4], common.LeftPadBytes([]byte{42}, 32)...)
	return types.NewTx(&types.DynamicFeeTx{
		ChainID: big.NewInt(chain), Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(3e9),
		Gas: 100_000, To: &to, Value: big.NewInt(5), Data: data,
	})
}

func newKey(t testing.TB) *ecdsaKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &ecdsaKey{k, crypto.PubkeyToAddress(k.PublicKey)}
}

type ecdsaKey struct {
	*ecdsaPriv
	addr common.Address
}

type ecdsaPriv = ecdsa.PrivateKey

// A local key and Web3Signer (through its wire format) sign the very bytes
// §2.1 names: the signature recovers to the address over the promise's
// digest, and equals the local key's (RFC 6979 makes both deterministic).
func TestPromiseSignatureIsTheProtocolsOne(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	local, err := ecdsasigner.NewLocal(k.ecdsaPriv)
	if err != nil {
		t.Fatal(err)
	}
	fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain)
	remote, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for n := range byte(3) {
		p := testPromise(n)
		want, err := protocol.SignPromise(p, testDomain, k.ecdsaPriv)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*ecdsasigner.Signer{local, remote} {
			sig, err := s.SignPromise(t.Context(), p, testDomain)
			if err != nil {
				t.Fatalf("%s: %v", s.Name(), err)
			}
			if !bytes.Equal(sig, want) {
				t.Errorf("%s: signature %x, want %x", s.Name(), sig, want)
			}
			if got, err := protocol.RecoverPromiseSigner(p, testDomain, sig); err != nil || got != k.addr {
				t.Errorf("%s: recovers to %s (%v), want %s", s.Name(), got, err, k.addr)
			}
		}
	}
	if err := remote.Check(t.Context()); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestSignsTransactions(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	local, err := ecdsasigner.NewLocal(k.ecdsaPriv)
	if err != nil {
		t.Fatal(err)
	}
	fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain)
	remote, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	unsigned := testTx(testChain, 9)
	for _, s := range []*ecdsasigner.Signer{local, remote} {
		tx, err := s.SignTx(t.Context(), unsigned, big.NewInt(testChain))
		if err != nil {
			t.Fatalf("%s: %v", s.Name(), err)
		}
		signer := types.LatestSignerForChainID(big.NewInt(testChain))
		if from, err := types.Sender(signer, tx); err != nil || from != k.addr {
			t.Errorf("%s: sender %s (%v), want %s", s.Name(), from, err, k.addr)
		}
		if signer.Hash(tx) != signer.Hash(unsigned) {
			t.Errorf("%s: signed another transaction", s.Name())
		}
	}
}

// A high s from the signer (a KMS may answer one) is brought to its low
// twin, which is a signature of the same key: accepted, in §2.1's form.
func TestHighSIsNormalised(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain, func(f *fakeWeb3Signer) { f.HighS = true })
	s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p := testPromise(1)
	sig, err := s.SignPromise(t.Context(), p, testDomain)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := protocol.RecoverPromiseSigner(p, testDomain, sig); err != nil || got != k.addr {
		t.Fatalf("recovers to %s (%v), want %s", got, err, k.addr)
	}
}

// Every way a remote signer can fail gives an error with the sentinel a
// caller acts on and the signer's name, a metric with the reason, a
// readiness error — and never a signature.
func TestWeb3SignerFailures(t *testing.T) {
	t.Parallel()
	const timeout = 200 * time.Millisecond
	cases := []struct {
		name   string
		fake   func(*fakeWeb3Signer)
		down   bool
		want   error
		reason string
		tx     bool // the transaction path fails too
		in     string
	}{
		{name: "down", down: true, want: ecdsasigner.ErrUnavailable, reason: "unavailable", tx: true, in: "connection refused"},
		{name: "slow", fake: func(f *fakeWeb3Signer) { f.Delay = 2 * timeout }, want: ecdsasigner.ErrUnavailable, reason: "timeout", tx: true, in: "timed out after 200ms"},
		{name: "another key", fake: func(f *fakeWeb3Signer) { f.WrongKey, _ = crypto.GenerateKey() }, want: ecdsasigner.ErrBadSignature, reason: "bad_signature", tx: true, in: "recovers to"},
		{name: "not hex", fake: func(f *fakeWeb3Signer) { f.Garbage = "<html>proxy says hi</html>" }, want: ecdsasigner.ErrMalformed, reason: "malformed", tx: true},
		{name: "short signature", fake: func(f *fakeWeb3Signer) { f.Garbage = "0x1234" }, want: ecdsasigner.ErrMalformed, reason: "malformed", tx: true},
		{name: "unknown key 404", fake: func(f *fakeWeb3Signer) {
			f.Status, f.Body = 404, `{"message":"Signer not found for identifier"}`
		}, want: ecdsasigner.ErrUnknownKey, reason: "unknown_key", in: "Signer not found for identifier"},
		{name: "server error 500", fake: func(f *fakeWeb3Signer) { f.Status, f.Body = 500, "Internal Server Error" }, want: ecdsasigner.ErrUnavailable, reason: "unavailable", tx: true, in: "Internal Server Error"},
		{name: "unauthorised 401", fake: func(f *fakeWeb3Signer) { f.Status, f.Body = 401, `{"error":"bad token"}` }, want: ecdsasigner.ErrRefused, reason: "refused", tx: true, in: "bad token"},
		{name: "bad request 400", fake: func(f *fakeWeb3Signer) { f.Status, f.Body = 400, "Bad Request" }, want: ecdsasigner.ErrRefused, reason: "refused", tx: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			k := newKey(t)
			fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain, func(f *fakeWeb3Signer) {
				if c.fake != nil {
					c.fake(f)
				}
			})
			if c.down {
				fake.srv.Close()
			}
			reg := prometheus.NewRegistry()
			var logs bytes.Buffer
			s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey,
				ecdsasigner.WithTimeout(timeout), ecdsasigner.WithRegisterer(reg), ecdsasigner.WithLogger(zerolog.New(&logs)))
			if err != nil {
				t.Fatal(err)
			}
			sig, err := s.SignPromise(t.Context(), testPromise(1), testDomain)
			if !errors.Is(err, c.want) || sig != nil {
				t.Fatalf("SignPromise = %x, %v; want no signature and %v", sig, err, c.want)
			}
			if !strings.Contains(err.Error(), "web3signer "+fake.srv.URL) || !strings.Contains(err.Error(), c.in) {
				t.Errorf("error %q does not name the signer or say %q", err, c.in)
			}
			if got := testutil.ToFloat64(errCounter(t, reg, c.reason)); got != 1 {
				t.Errorf("pledge_signer_errors_total{reason=%q} = %v, want 1", c.reason, got)
			}
			if s.Err() == nil {
				t.Error("Err is nil after a failure: readiness would not say")
			}
			if !strings.Contains(logs.String(), "signer failed") {
				t.Errorf("no log of the failure: %s", logs.String())
			}
			if c.tx {
				if tx, err := s.SignTx(t.Context(), testTx(testChain, 1), big.NewInt(testChain)); err == nil || tx != nil {
					t.Errorf("SignTx = %v, %v; want an error", tx, err)
				}
			}
		})
	}
}

// The transaction path refuses what is not the transaction asked for, by
// the address configured, on the chain asked.
func TestWeb3SignerTxFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		fake func(*fakeWeb3Signer)
		want error
		in   string
	}{
		{name: "tampered nonce", fake: func(f *fakeWeb3Signer) { f.TamperNonce = true }, want: ecdsasigner.ErrBadSignature, in: "another transaction"},
		{name: "another chain", fake: func(f *fakeWeb3Signer) { f.ChainID = big.NewInt(1) }, want: ecdsasigner.ErrBadSignature, in: "for chain 1"},
		{name: "json-rpc error", fake: func(f *fakeWeb3Signer) { f.RPCError = "Internal error" }, want: ecdsasigner.ErrRefused, in: "Internal error"},
		{name: "not a transaction", fake: func(f *fakeWeb3Signer) { f.Garbage = "0x0102" }, want: ecdsasigner.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			k := newKey(t)
			fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain, c.fake)
			s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			tx, err := s.SignTx(t.Context(), testTx(testChain, 4), big.NewInt(testChain))
			if !errors.Is(err, c.want) || tx != nil || !strings.Contains(err.Error(), c.in) {
				t.Fatalf("SignTx = %v, %v; want %v saying %q", tx, err, c.want, c.in)
			}
		})
	}
	t.Run("unknown account", func(t *testing.T) {
		t.Parallel()
		k, other := newKey(t), newKey(t)
		fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain)
		s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &other.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignTx(t.Context(), testTx(testChain, 4), big.NewInt(testChain)); !errors.Is(err, ecdsasigner.ErrUnknownKey) {
			t.Errorf("SignTx as an address the signer lacks: %v, want ErrUnknownKey", err)
		}
		if err := s.Check(t.Context()); !errors.Is(err, ecdsasigner.ErrUnknownKey) {
			t.Errorf("Check: %v, want ErrUnknownKey", err)
		}
		if _, err := s.SignPromise(t.Context(), testPromise(1), testDomain); !errors.Is(err, ecdsasigner.ErrUnknownKey) {
			t.Errorf("SignPromise: %v, want ErrUnknownKey", err)
		}
	})
}

// A bearer token goes to the signer and nowhere else: not in errors, not
// in logs.
func TestBearerTokenIsSentAndNeverShown(t *testing.T) {
	t.Parallel()
	const token = "s3cr3t-t0ken-value"
	k := newKey(t)
	var (
		mu   sync.Mutex
		seen []string
	)
	fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain, func(f *fakeWeb3Signer) {
		f.wrap = func(inner http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, r.Header.Get("Authorization"))
				mu.Unlock()
				if r.Header.Get("Authorization") != "Bearer "+token {
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = w.Write([]byte(`{"error":"unauthorised"}`))
					return
				}
				inner.ServeHTTP(w, r)
			})
		}
	})
	var logs bytes.Buffer
	for _, tok := range []string{token, "wrong-" + token} {
		s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL, BearerToken: tok}, &k.PublicKey,
			ecdsasigner.WithLogger(zerolog.New(&logs)))
		if err != nil {
			t.Fatal(err)
		}
		_, perr := s.SignPromise(t.Context(), testPromise(1), testDomain)
		_, terr := s.SignTx(t.Context(), testTx(testChain, 1), big.NewInt(testChain))
		if tok == token && (perr != nil || terr != nil) {
			t.Fatalf("with the token: %v / %v", perr, terr)
		}
		if tok != token && (!errors.Is(perr, ecdsasigner.ErrRefused) || !errors.Is(terr, ecdsasigner.ErrRefused)) {
			t.Fatalf("with a wrong token: %v / %v, want ErrRefused", perr, terr)
		}
		for _, e := range []error{perr, terr} {
			if e != nil && strings.Contains(e.Error(), token) {
				t.Errorf("error shows the token: %v", e)
			}
		}
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("logs show the token:\n%s", logs.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || seen[0] != "Bearer "+token {
		t.Errorf("Authorization headers sent: %q", seen)
	}
}

func TestConstructorsCheckTheirInputs(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	for name, err := range map[string]error{
		"local no key":        second(ecdsasigner.NewLocal(nil)),
		"web3signer no key":   second(ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: "http://127.0.0.1:9000"}, nil)),
		"web3signer no url":   second(ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{}, &k.PublicKey)),
		"web3signer userinfo": second(ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: "http://user:pw@127.0.0.1:9000"}, &k.PublicKey)),
		"clef no url":         second(ecdsasigner.NewClef(ecdsasigner.Remote{}, k.addr, nil)),
		"clef no address":     second(ecdsasigner.NewClef(ecdsasigner.Remote{URL: "http://127.0.0.1:8550"}, common.Address{}, nil)),
		"clef ipc with token": second(ecdsasigner.NewClef(ecdsasigner.Remote{URL: "/run/clef.ipc", BearerToken: "x"}, k.addr, nil)),
		"clef bad method":     second(ecdsasigner.NewClef(ecdsasigner.Remote{URL: "http://127.0.0.1:8550"}, k.addr, []string{"post(bytes"})),
		"zero timeout":        second(ecdsasigner.NewLocal(k.ecdsaPriv, ecdsasigner.WithTimeout(0))),
	} {
		if !errors.Is(err, ecdsasigner.ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
	if err := second(ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: "http://user:pw@127.0.0.1:9000"}, &k.PublicKey)); strings.Contains(err.Error(), "pw") {
		t.Errorf("error repeats the URL's credentials: %v", err)
	}
}

func TestWeb3SignerPublicKey(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	uncompressed := crypto.FromECDSAPub(&k.PublicKey)
	for _, s := range []string{
		"0x" + common.Bytes2Hex(uncompressed[1:]),
		"0x" + common.Bytes2Hex(uncompressed),
		"0x" + common.Bytes2Hex(crypto.CompressPubkey(&k.PublicKey)),
	} {
		pub, err := ecdsasigner.Web3SignerPublicKey(s)
		if err != nil || crypto.PubkeyToAddress(*pub) != k.addr {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := ecdsasigner.Web3SignerPublicKey("0x1234"); !errors.Is(err, ecdsasigner.ErrConfig) {
		t.Errorf("short key: %v", err)
	}
}

func TestMetricsShareOneRegistry(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	a, b := newKey(t), newKey(t)
	sa, err := ecdsasigner.NewLocal(a.ecdsaPriv, ecdsasigner.WithRegisterer(reg))
	if err != nil {
		t.Fatal(err)
	}
	sb, err := ecdsasigner.NewLocal(b.ecdsaPriv, ecdsasigner.WithRegisterer(reg))
	if err != nil {
		t.Fatalf("a second signer on the same registry: %v", err)
	}
	for _, s := range []*ecdsasigner.Signer{sa, sb} {
		if _, err := s.SignPromise(context.Background(), testPromise(2), testDomain); err != nil {
			t.Fatal(err)
		}
	}
	n, err := testutil.GatherAndCount(reg, "pledge_signer_sign_seconds")
	if err != nil || n != 2 {
		t.Errorf("pledge_signer_sign_seconds series = %d (%v), want one per key", n, err)
	}
}

func errCounter(t *testing.T, reg *prometheus.Registry, reason string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "x"})
	for _, mf := range mfs {
		if mf.GetName() != "pledge_signer_errors_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					c.Add(m.GetCounter().GetValue())
				}
			}
		}
	}
	return c
}

func second[T any](_ T, err error) error { return err }

// A caller that gives up (a client hung up mid-request) says nothing about
// the signer: the call fails, but the signer is not marked down, so the
// sidecar stays ready for everyone else.
func TestCallerGivingUpIsNotASignerFailure(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	fake := newFakeWeb3Signer(t, k.ecdsaPriv, testChain, func(f *fakeWeb3Signer) { f.Delay = 300 * time.Millisecond })
	reg := prometheus.NewRegistry()
	s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey,
		ecdsasigner.WithTimeout(2*time.Second), ecdsasigner.WithRegisterer(reg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if sig, err := s.SignPromise(ctx, testPromise(1), testDomain); err == nil || sig != nil {
		t.Fatalf("SignPromise = %x, %v; want the caller's deadline", sig, err)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("the signer is marked down after its caller gave up: %v", err)
	}
	for _, reason := range []string{"timeout", "unavailable"} {
		if got := testutil.ToFloat64(errCounter(t, reg, reason)); got != 0 {
			t.Errorf("pledge_signer_errors_total{reason=%q} = %v, want 0", reason, got)
		}
	}
	// The signer's own deadline still counts.
	s2, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &k.PublicKey,
		ecdsasigner.WithTimeout(50*time.Millisecond), ecdsasigner.WithRegisterer(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.SignPromise(t.Context(), testPromise(1), testDomain); !errors.Is(err, ecdsasigner.ErrUnavailable) || s2.Err() == nil {
		t.Fatalf("a signer past its own deadline: %v, Err %v; want unavailable and marked down", err, s2.Err())
	}
}
