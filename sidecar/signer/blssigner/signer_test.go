package blssigner_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

var testDomains = protocol.NewDomains([4]byte{0x10, 0x00, 0x00, 0x38}, 3151908)

func newSK(t testing.TB) *bls.SecretKey {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func pub(t testing.TB, sk *bls.SecretKey) protocol.BLSPubkey {
	t.Helper()
	pk, err := protocol.PubkeyFromSecretKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	return pk
}

// delegationRequest is the request for proposer's delegation of slot to delegate.
func delegationRequest(t testing.TB, proposer, delegate protocol.BLSPubkey, slot uint64, d protocol.Domains) (blssigner.Request, protocol.Delegation) {
	t.Helper()
	m := protocol.Delegation{Proposer: proposer, Delegate: delegate, Committer: common.Address{0xc0}, Slot: slot}
	h, err := m.MessageHash()
	if err != nil {
		t.Fatal(err)
	}
	return blssigner.Request{Pubkey: proposer, MessageHash: h, Domains: d}, m
}

// envelopeVerifies builds the SignedDelegation from sig and verifies it the
// way a relay does: protocol.SignedDelegation.Verify.
func envelopeVerifies(t *testing.T, m protocol.Delegation, sig blssigner.Signature, d protocol.Domains) *protocol.SignedDelegation {
	t.Helper()
	sd := &protocol.SignedDelegation{Message: m, Nonce: sig.Nonce, SigningID: sig.SigningID, Signature: sig.Signature}
	if err := sd.Verify(d); err != nil {
		t.Fatalf("the signed delegation does not verify: %v", err)
	}
	return sd
}

func wrap(t *testing.T, b blssigner.Backend, opts ...blssigner.Option) *blssigner.Signer {
	t.Helper()
	s, err := blssigner.New(b, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBackendsSignVerifiableDelegations(t *testing.T) {
	t.Parallel()
	validator, proxySK, delegate := newSK(t), newSK(t), newSK(t)
	keys := newFakeKeys()
	vpk := keys.add(validator)
	ppk := keys.addProxy(vpk, proxySK)
	cbID := crypto.Keccak256Hash([]byte("a module's signing id"))
	cb := newFakeCommitBoost(t, keys, "PLEDGE", "module-secret", cbID, testDomains)
	w3s := newFakeWeb3Signer(t, keys, testDomains, true)

	local, err := blssigner.NewLocal(validator, proxySK)
	if err != nil {
		t.Fatal(err)
	}
	cbBackend, err := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: cb.srv.URL}, ModuleID: "PLEDGE", JWTSecret: "module-secret"})
	if err != nil {
		t.Fatal(err)
	}
	w3sBackend, err := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: w3s.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	d := testDomains
	d.Nonce = 7
	for _, tc := range []struct {
		name      string
		b         blssigner.Backend
		key       protocol.BLSPubkey
		signingID common.Hash
	}{
		{"local", local, vpk, d.SigningID},
		{"commit-boost consensus key", cbBackend, vpk, cbID},
		{"commit-boost proxy key", cbBackend, ppk, cbID},
		{"web3signer consensus key", w3sBackend, vpk, d.SigningID},
		{"web3signer proxy key", w3sBackend, ppk, d.SigningID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := wrap(t, tc.b)
			req, m := delegationRequest(t, tc.key, pub(t, delegate), 4242, d)
			sig, err := s.Sign(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if sig.SigningID != tc.signingID || sig.Nonce != 7 {
				t.Fatalf("signing id %s nonce %d, want %s and 7", sig.SigningID, sig.Nonce, tc.signingID)
			}
			envelopeVerifies(t, m, sig, d)
			if err := s.Err(); err != nil {
				t.Fatalf("Err after a good signature: %v", err)
			}
		})
	}
	cb.mu.Lock()
	routes := strings.Join(cb.requests, " ")
	cb.mu.Unlock()
	for _, want := range []string{"/signer/v1/get_pubkeys", "/signer/v1/request_signature/bls", "/signer/v1/request_signature/proxy-bls"} {
		if !strings.Contains(routes, want) {
			t.Errorf("the Commit-Boost fake saw no %s (saw %s)", want, routes)
		}
	}
}

func TestPubkeysAndHealth(t *testing.T) {
	t.Parallel()
	keys := newFakeKeys()
	a := keys.add(newSK(t))
	p := keys.addProxy(a, newSK(t))
	b := keys.add(newSK(t))
	cb := newFakeCommitBoost(t, keys, "PLEDGE", "s", protocol.DefaultSigningID, testDomains)
	w3s := newFakeWeb3Signer(t, keys, testDomains, false)
	cbB, _ := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: cb.srv.URL}, ModuleID: "PLEDGE", JWTSecret: "s"})
	w3sB, _ := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: w3s.srv.URL})
	for name, tc := range map[string]struct {
		b    blssigner.Backend
		want []protocol.BLSPubkey
	}{
		"commit-boost": {cbB, []protocol.BLSPubkey{a, p, b}},
		"web3signer":   {w3sB, []protocol.BLSPubkey{a, b}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := wrap(t, tc.b).Pubkeys(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("keys %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("key %d: %s, want %s", i, got[i], tc.want[i])
				}
			}
			if err := tc.b.Check(context.Background()); err != nil {
				t.Fatalf("health: %v", err)
			}
		})
	}
}

// TestWeb3SignerEth2APICannotSign: without its Commit-Boost API, Web3Signer
// cannot sign a Pledge message, and the error says why.
func TestWeb3SignerEth2APICannotSign(t *testing.T) {
	t.Parallel()
	keys := newFakeKeys()
	vpk := keys.add(newSK(t))
	w3s := newFakeWeb3Signer(t, keys, testDomains, false)
	b, _ := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: w3s.srv.URL})
	s := wrap(t, b)
	req, _ := delegationRequest(t, vpk, pub(t, newSK(t)), 1, testDomains)
	_, err := s.Sign(context.Background(), req)
	if !errors.Is(err, blssigner.ErrUnsupported) || !strings.Contains(err.Error(), "--commit-boost-api-enabled") {
		t.Fatalf("err %v, want ErrUnsupported naming --commit-boost-api-enabled", err)
	}
	if r := s.Err(); r == nil || !strings.Contains(r.Error(), "web3signer "+w3s.srv.URL) {
		t.Fatalf("readiness %v, want the signer named", r)
	}
}

// TestFailures: every way a signer fails is an error of its kind, the
// readiness names the signer and the reason, and no signature is returned.
func TestFailures(t *testing.T) {
	t.Parallel()
	validator := newSK(t)
	keys := newFakeKeys()
	vpk := keys.add(validator)
	stranger := pub(t, newSK(t))
	type setup struct {
		b     blssigner.Backend
		fake  func(func(*fakeBehaviour))
		close func()
	}
	commitBoost := func(t *testing.T, secret string) setup {
		f := newFakeCommitBoost(t, keys, "PLEDGE", "module-secret", protocol.DefaultSigningID, testDomains)
		b, err := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: f.srv.URL}, ModuleID: "PLEDGE", JWTSecret: secret})
		if err != nil {
			t.Fatal(err)
		}
		return setup{b, f.set, f.srv.Close}
	}
	web3signer := func(t *testing.T, _ string) setup {
		f := newFakeWeb3Signer(t, keys, testDomains, true)
		b, err := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: f.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		return setup{b, f.set, f.srv.Close}
	}
	for kind, mk := range map[string]func(*testing.T, string) setup{"commit-boost": commitBoost, "web3signer": web3signer} {
		for _, tc := range []struct {
			name   string
			secret string
			key    protocol.BLSPubkey
			mutate func(s setup)
			want   error
			reason string
		}{
			{name: "down", mutate: func(s setup) { s.close() }, want: blssigner.ErrUnavailable, reason: "unavailable"},
			{name: "slow", mutate: func(s setup) { s.fake(func(b *fakeBehaviour) { b.delay = time.Second }) }, want: blssigner.ErrUnavailable, reason: "no answer within"},
			{name: "wrong signature", mutate: func(s setup) { s.fake(func(b *fakeBehaviour) { b.wrongSig = true }) }, want: blssigner.ErrBadSignature, reason: "does not verify"},
			{name: "other chain", mutate: func(s setup) { s.fake(func(b *fakeBehaviour) { b.chainID = 1 }) }, want: blssigner.ErrBadSignature},
			{name: "unknown key", key: stranger, want: blssigner.ErrUnknownKey},
			{name: "wrong secret", secret: "not-the-secret", want: blssigner.ErrRefused, reason: "401"},
		} {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				if kind == "web3signer" && tc.name == "wrong secret" {
					t.Skip("Web3Signer has no authentication of its own (TLS client certificates guard it; see TestTLS)")
				}
				secret := tc.secret
				if secret == "" {
					secret = "module-secret"
				}
				s := mk(t, secret)
				if tc.mutate != nil {
					tc.mutate(s)
				}
				key := vpk
				if tc.key != (protocol.BLSPubkey{}) {
					key = tc.key
				}
				signer := wrap(t, s.b, blssigner.WithTimeout(150*time.Millisecond))
				req, _ := delegationRequest(t, key, pub(t, newSK(t)), 9, testDomains)
				sig, err := signer.Sign(context.Background(), req)
				if !errors.Is(err, tc.want) {
					t.Fatalf("err %v, want %v", err, tc.want)
				}
				if sig != (blssigner.Signature{}) {
					t.Fatal("a signature came back with the error")
				}
				ready := signer.Err()
				if ready == nil || !strings.Contains(ready.Error(), kind) || !strings.Contains(ready.Error(), tc.reason) {
					t.Fatalf("readiness %v, want the signer %s and %q", ready, kind, tc.reason)
				}
			})
		}
	}
}

// A caller that gives up (a deadline passed, the sidecar stops) says
// nothing about the signer: the call fails but the signer stays ready, while
// the signer's own timeout still marks it down.
func TestCallerGivingUpIsNotASignerFailure(t *testing.T) {
	t.Parallel()
	keys := newFakeKeys()
	vpk := keys.add(newSK(t))
	f := newFakeCommitBoost(t, keys, "PLEDGE", "module-secret", protocol.DefaultSigningID, testDomains)
	f.set(func(b *fakeBehaviour) { b.delay = 300 * time.Millisecond })
	b, err := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: f.srv.URL}, ModuleID: "PLEDGE", JWTSecret: "module-secret"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := delegationRequest(t, vpk, pub(t, newSK(t)), 9, testDomains)

	patient := wrap(t, b, blssigner.WithTimeout(2*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := patient.Sign(ctx, req); err == nil {
		t.Fatal("a signature came back after the caller gave up")
	}
	if err := patient.Err(); err != nil {
		t.Fatalf("the signer is marked down after its caller gave up: %v", err)
	}

	hasty := wrap(t, b, blssigner.WithTimeout(50*time.Millisecond))
	if _, err := hasty.Sign(context.Background(), req); !errors.Is(err, blssigner.ErrUnavailable) || hasty.Err() == nil {
		t.Fatalf("a signer past its own timeout: %v, Err %v; want unavailable and marked down", err, hasty.Err())
	}
}

// TestReadinessFollowsHealth: Run's health checks mark a signer that went
// away and clear it when it is back; a bad signature stays the reason.
func TestReadinessFollowsHealth(t *testing.T) {
	t.Parallel()
	keys := newFakeKeys()
	vpk := keys.add(newSK(t))
	f := newFakeCommitBoost(t, keys, "M", "s", protocol.DefaultSigningID, testDomains)
	b, _ := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: f.srv.URL}, ModuleID: "M", JWTSecret: "s"})
	s := wrap(t, b, blssigner.WithTimeout(100*time.Millisecond), blssigner.WithCheckInterval(20*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	waitFor(t, "healthy", func() bool { return s.Err() == nil })
	f.set(func(b *fakeBehaviour) { b.delay = 300 * time.Millisecond })
	waitFor(t, "slow signer not ready", func() bool { return s.Err() != nil })
	f.set(func(b *fakeBehaviour) { b.delay = 0 })
	waitFor(t, "ready again", func() bool { return s.Err() == nil })

	f.set(func(b *fakeBehaviour) { b.wrongSig = true })
	req, _ := delegationRequest(t, vpk, pub(t, newSK(t)), 9, testDomains)
	if _, err := s.Sign(context.Background(), req); !errors.Is(err, blssigner.ErrBadSignature) {
		t.Fatalf("err %v", err)
	}
	time.Sleep(100 * time.Millisecond) // several health checks pass
	if err := s.Err(); !errors.Is(err, blssigner.ErrBadSignature) {
		t.Fatalf("readiness %v: a healthy endpoint cleared a bad signature", err)
	}
	f.set(func(b *fakeBehaviour) { b.wrongSig = false })
	if _, err := s.Sign(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("readiness %v after a good signature", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(5 * time.Second)
	for time.Now().Before(end) {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting: %s", what)
}

// syncBuf is a log sink safe for concurrent writes.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCredentialsNeverLogged: the JWT secret, the tokens made from it and a
// bearer token appear in no log line and no error, success or failure.
func TestCredentialsNeverLogged(t *testing.T) {
	t.Parallel()
	const secret, bearer = "jwt-secret-7f3a9c", "bearer-token-51e0d2"
	keys := newFakeKeys()
	vpk := keys.add(newSK(t))
	f := newFakeCommitBoost(t, keys, "PLEDGE", secret, protocol.DefaultSigningID, testDomains)
	var logs syncBuf
	log := zerolog.New(&logs).Level(zerolog.DebugLevel)
	var errs []string
	for _, s := range []string{secret, "wrong-" + secret} {
		b, _ := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: f.srv.URL}, ModuleID: "PLEDGE", JWTSecret: s})
		signer := wrap(t, b, blssigner.WithLogger(log))
		req, _ := delegationRequest(t, vpk, pub(t, newSK(t)), 3, testDomains)
		_, err := signer.Sign(context.Background(), req)
		if err != nil {
			errs = append(errs, err.Error())
			log.Error().Err(err).Msg("sign")
			log.Error().Err(signer.Err()).Msg("ready")
		}
	}
	w3s := newFakeWeb3Signer(t, keys, testDomains, true)
	b, _ := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: w3s.srv.URL, BearerToken: bearer})
	signer := wrap(t, b, blssigner.WithLogger(log))
	w3s.srv.Close()
	req, _ := delegationRequest(t, vpk, pub(t, newSK(t)), 3, testDomains)
	if _, err := signer.Sign(context.Background(), req); err != nil {
		errs = append(errs, err.Error())
		log.Error().Err(err).Msg("sign")
	}
	if len(errs) != 2 {
		t.Fatalf("want two failures (wrong secret, signer down), got %q", errs)
	}
	f.mu.Lock()
	tokens := append([]string{}, f.tokens...)
	f.mu.Unlock()
	if len(tokens) == 0 {
		t.Fatal("no token reached the fake")
	}
	out := logs.String() + strings.Join(errs, "\n")
	for _, s := range append(tokens, secret, bearer, strings.TrimPrefix(tokens[0], "Bearer ")) {
		if strings.Contains(out, s) {
			t.Fatalf("a credential is in the logs or errors:\n%s", out)
		}
	}
	if !strings.Contains(out, "401") {
		t.Fatalf("the log does not say what failed:\n%s", out)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	sk := newSK(t)
	local, _ := blssigner.NewLocal(sk)
	reg := prometheus.NewRegistry()
	s := wrap(t, local, blssigner.WithRegisterer(reg))
	again := wrap(t, local, blssigner.WithRegisterer(reg)) // a second signer on one registry
	req, _ := delegationRequest(t, pub(t, sk), pub(t, newSK(t)), 3, testDomains)
	for _, sg := range []*blssigner.Signer{s, again} {
		if _, err := sg.Sign(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	req.Pubkey = pub(t, newSK(t))
	if _, err := s.Sign(context.Background(), req); !errors.Is(err, blssigner.ErrUnknownKey) {
		t.Fatalf("err %v", err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var observed, series uint64
	var errCount float64
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			switch mf.GetName() {
			case "pledge_signer_sign_seconds":
				observed += m.GetHistogram().GetSampleCount()
				series++
			case "pledge_signer_errors_total":
				errCount += m.GetCounter().GetValue()
				if m.GetLabel()[0].GetValue() != "unknown_key" && m.GetLabel()[1].GetValue() != "unknown_key" {
					t.Errorf("error labels %v", m.GetLabel())
				}
			}
		}
	}
	if observed != 3 || series != 2 || errCount != 1 {
		t.Fatalf("%d observations in %d series and %v errors, want 3 in 2 (two keys) and 1", observed, series, errCount)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for name, mk := range map[string]func() error{
		"no scheme": func() error { _, err := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: "signer:9000"}); return err },
		"credentials": func() error {
			_, err := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: "http://u:p@signer:9000"})
			return err
		},
		"no module": func() error {
			_, err := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: "http://cb:20000"}, JWTSecret: "s"})
			return err
		},
		"no secret": func() error {
			_, err := blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: blssigner.HTTPConfig{URL: "http://cb:20000"}, ModuleID: "M"})
			return err
		},
		"nil backend":      func() error { _, err := blssigner.New(nil); return err },
		"nil local key":    func() error { _, err := blssigner.NewLocal(nil); return err },
		"bad CA":           func() error { _, err := blssigner.TLSConfig([]byte("not pem"), nil, nil); return err },
		"cert without key": func() error { _, err := blssigner.TLSConfig(nil, []byte("x"), nil); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if err := mk(); !errors.Is(err, blssigner.ErrConfig) {
				t.Fatalf("err %v, want ErrConfig", err)
			}
		})
	}
	if err := func() error {
		_, err := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: "http://u:secretpw@signer:9000"})
		return err
	}(); strings.Contains(err.Error(), "secretpw") {
		t.Fatalf("the error repeats the URL's password: %v", err)
	}
}

// certs is a CA with a server certificate for 127.0.0.1 and a client certificate.
type certs struct {
	caPEM, serverCert, serverKey, clientCert, clientKey []byte
	pool                                                *x509.CertPool
}

func newCerts(t *testing.T) certs {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, usage x509.ExtKeyUsage) ([]byte, []byte) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"}, NotBefore: time.Now().Add(-time.Hour),
			NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, _ := x509.MarshalECPrivateKey(k)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	}
	c := certs{caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), pool: x509.NewCertPool()}
	c.pool.AddCert(ca)
	c.serverCert, c.serverKey = leaf(2, x509.ExtKeyUsageServerAuth)
	c.clientCert, c.clientKey = leaf(3, x509.ExtKeyUsageClientAuth)
	return c
}

// TestTLS: a signer behind TLS that requires a client certificate signs
// for a client with the CA and the certificate, and refuses one without.
func TestTLS(t *testing.T) {
	t.Parallel()
	c := newCerts(t)
	keys := newFakeKeys()
	vpk := keys.add(newSK(t))
	fake := &fakeWeb3Signer{keys: keys, domains: testDomains, b: fakeBehaviour{cbEnabled: true}}
	srv := httptest.NewUnstartedServer(fake)
	cert, err := tls.X509KeyPair(c.serverCert, c.serverKey)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: c.pool}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	withCert, err := blssigner.TLSConfig(c.caPEM, c.clientCert, c.clientKey)
	if err != nil {
		t.Fatal(err)
	}
	caOnly, err := blssigner.TLSConfig(c.caPEM, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	req, m := delegationRequest(t, vpk, pub(t, newSK(t)), 5, testDomains)
	for _, tc := range []struct {
		name string
		cfg  *tls.Config
		want error
	}{
		{"CA and client certificate", withCert, nil},
		{"no client certificate", caOnly, blssigner.ErrUnavailable},
		{"system roots", nil, blssigner.ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := blssigner.NewWeb3Signer(blssigner.HTTPConfig{URL: srv.URL, TLS: tc.cfg})
			if err != nil {
				t.Fatal(err)
			}
			sig, err := wrap(t, b).Sign(context.Background(), req)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if tc.want == nil {
				envelopeVerifies(t, m, sig, testDomains)
			}
		})
	}

}
