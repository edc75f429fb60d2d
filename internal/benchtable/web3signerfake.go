package benchtable

import (
	"crypto/ecdsa"
	"math/big"
	"net/http/httptest"

	"github.com/pledgeproto/pledge/internal/web3signerfake"
)

// web3signerFake is internal/web3signerfake — a FAKE of Web3Signer in eth1
// mode, not the Java service: its wire format with a real secp256k1 key —
// on an httptest server on loopback in the bench process, for the
// remote-signer rows.
type web3signerFake struct {
	*web3signerfake.Fake
	srv *httptest.Server
}

func startWeb3SignerFake(key *ecdsa.PrivateKey, chainID *big.Int) *web3signerFake {
	f := web3signerfake.New(key, chainID)
	return &web3signerFake{Fake: f, srv: httptest.NewServer(f)}
}

func (f *web3signerFake) close() { f.srv.Close() }

// committerFlags are `pledge sidecar`'s flags signing the promises through it.
func (f *web3signerFake) committerFlags() []string {
	return []string{"--committer-signer", "web3signer", "--committer-signer-url", f.srv.URL, "--committer-signer-pubkey", f.ID()}
}
