package ecdsasigner_test

import (
	"crypto/ecdsa"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pledgeproto/pledge/internal/web3signerfake"
)

// fakeWeb3Signer is internal/web3signerfake (a FAKE of Web3Signer in eth1
// mode, speaking its wire format with a real key) on an httptest server.
type fakeWeb3Signer struct {
	*web3signerfake.Fake
	srv *httptest.Server
	// wrap, when set by an option, wraps the fake's handler (to see requests).
	wrap func(http.Handler) http.Handler
}

func newFakeWeb3Signer(t testing.TB, key *ecdsa.PrivateKey, chainID int64, opts ...func(*fakeWeb3Signer)) *fakeWeb3Signer {
	t.Helper()
	f := &fakeWeb3Signer{Fake: web3signerfake.New(key, big.NewInt(chainID))}
	for _, o := range opts {
		o(f)
	}
	var h http.Handler = f.Fake
	if f.wrap != nil {
		h = f.wrap(h)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}
