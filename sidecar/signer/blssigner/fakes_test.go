package blssigner_test

// Fakes of the Commit-Boost signer module (v0.10) and Web3Signer: processes
// this test cannot run, rebuilt on httptest from their wire formats
// (Commit-Boost's api/signer-api.yml and crates/signer/src/service.rs;
// Web3Signer's eth2 OpenAPI spec and its Commit-Boost handlers), real BLS
// keys and signatures included. Their error bodies are what the servers
// send: Commit-Boost answers its errors as plain text ("unauthorized",
// "unknown consensus signer: 0x…"), not the JSON its spec shows; Web3Signer
// (Vert.x) answers a failed route with the status's reason phrase.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// fakeKeys is a set of consensus keys, each with optional BLS proxies.
type fakeKeys struct {
	consensus map[protocol.BLSPubkey]*bls.SecretKey
	proxies   map[protocol.BLSPubkey]*bls.SecretKey
	proxyOf   map[protocol.BLSPubkey][]protocol.BLSPubkey
	order     []protocol.BLSPubkey
}

func newFakeKeys() *fakeKeys {
	return &fakeKeys{consensus: map[protocol.BLSPubkey]*bls.SecretKey{}, proxies: map[protocol.BLSPubkey]*bls.SecretKey{},
		proxyOf: map[protocol.BLSPubkey][]protocol.BLSPubkey{}}
}

func (k *fakeKeys) add(sk *bls.SecretKey) protocol.BLSPubkey {
	pk, _ := protocol.PubkeyFromSecretKey(sk)
	k.consensus[pk] = sk
	k.order = append(k.order, pk)
	return pk
}

func (k *fakeKeys) addProxy(of protocol.BLSPubkey, sk *bls.SecretKey) protocol.BLSPubkey {
	pk, _ := protocol.PubkeyFromSecretKey(sk)
	k.proxies[pk] = sk
	k.proxyOf[of] = append(k.proxyOf[of], pk)
	return pk
}

// fakeBehaviour is what a fake does besides answering correctly.
type fakeBehaviour struct {
	delay     time.Duration
	wrongSig  bool   // sign another root
	chainID   uint64 // the chain the signer claims and signs for; 0: the test's
	cbEnabled bool   // Web3Signer: --commit-boost-api-enabled
}

type fakeCommitBoost struct {
	srv       *httptest.Server
	keys      *fakeKeys
	module    string
	secret    string
	signingID common.Hash
	domains   protocol.Domains

	mu       sync.Mutex
	b        fakeBehaviour
	requests []string // route of every authenticated request
	tokens   []string
}

func newFakeCommitBoost(t *testing.T, keys *fakeKeys, module, secret string, signingID common.Hash, d protocol.Domains) *fakeCommitBoost {
	f := &fakeCommitBoost{keys: keys, module: module, secret: secret, signingID: signingID, domains: d}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCommitBoost) set(fn func(*fakeBehaviour)) {
	f.mu.Lock()
	fn(&f.b)
	f.mu.Unlock()
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg)
}

// checkJWT is cb_common::utils::validate_jwt: HS256 with the module's
// secret, unexpired, for this route, with the body's keccak256.
func (f *fakeCommitBoost) checkJWT(r *http.Request, body []byte) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	mac := hmac.New(sha256.New, []byte(f.secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var c struct {
		Exp         int64        `json:"exp"`
		Module      string       `json:"module"`
		Route       string       `json:"route"`
		PayloadHash *common.Hash `json:"payload_hash"`
	}
	if json.Unmarshal(raw, &c) != nil || c.Module != f.module || c.Route != r.URL.Path || c.Exp < time.Now().Unix()-10 {
		return false
	}
	if len(body) == 0 {
		return c.PayloadHash == nil
	}
	return c.PayloadHash != nil && *c.PayloadHash == crypto.Keccak256Hash(body)
}

func (f *fakeCommitBoost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	b := f.b
	f.mu.Unlock()
	if b.delay > 0 {
		select {
		case <-time.After(b.delay):
		case <-r.Context().Done():
			return
		}
	}
	if r.URL.Path == "/status" {
		w.WriteHeader(http.StatusOK)
		return
	}
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("Authorization") == "" {
		plain(w, http.StatusBadRequest, "Header of type `authorization` was missing")
		return
	}
	if !f.checkJWT(r, body) {
		plain(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.URL.Path)
	f.tokens = append(f.tokens, r.Header.Get("Authorization"))
	f.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/signer/v1/get_pubkeys":
		type keyMap struct {
			Consensus  protocol.BLSPubkey   `json:"consensus"`
			ProxyBLS   []protocol.BLSPubkey `json:"proxy_bls"`
			ProxyECDSA []common.Address     `json:"proxy_ecdsa"`
		}
		out := struct {
			Keys []keyMap `json:"keys"`
		}{}
		for _, pk := range f.keys.order {
			out.Keys = append(out.Keys, keyMap{Consensus: pk, ProxyBLS: append([]protocol.BLSPubkey{}, f.keys.proxyOf[pk]...), ProxyECDSA: []common.Address{}})
		}
		_ = json.NewEncoder(w).Encode(out)
	case r.Method == http.MethodPost && (r.URL.Path == "/signer/v1/request_signature/bls" || r.URL.Path == "/signer/v1/request_signature/proxy-bls"):
		var req struct {
			Pubkey     *protocol.BLSPubkey `json:"pubkey"`
			Proxy      *protocol.BLSPubkey `json:"proxy"`
			ObjectRoot *common.Hash        `json:"object_root"`
			Nonce      *uint64             `json:"nonce"`
		}
		if err := json.Unmarshal(body, &req); err != nil || req.ObjectRoot == nil || req.Nonce == nil {
			plain(w, http.StatusUnprocessableEntity, "Failed to deserialize the JSON body into the target type")
			return
		}
		var sk *bls.SecretKey
		var pk protocol.BLSPubkey
		if r.URL.Path == "/signer/v1/request_signature/bls" && req.Pubkey != nil {
			pk = *req.Pubkey
			if sk = f.keys.consensus[pk]; sk == nil {
				plain(w, http.StatusNotFound, "unknown consensus signer: "+pk.String())
				return
			}
		} else if req.Proxy != nil {
			pk = *req.Proxy
			if sk = f.keys.proxies[pk]; sk == nil {
				plain(w, http.StatusNotFound, "unknown proxy signer: "+pk.String())
				return
			}
		} else {
			plain(w, http.StatusUnprocessableEntity, "Failed to deserialize the JSON body into the target type: missing field")
			return
		}
		d := f.domains
		if b.chainID != 0 {
			d.ChainID = b.chainID
		}
		root := d.SigningRoot(*req.ObjectRoot, f.signingID, *req.Nonce)
		if b.wrongSig {
			root[0] ^= 1
		}
		var sig protocol.BLSSignature
		copy(sig[:], bls.SignatureToBytes(bls.Sign(sk, root[:])))
		// chain_id is a U256: serde writes it as a 0x-hex string.
		fmt.Fprintf(w, `{"pubkey":%q,"object_root":%q,"module_signing_id":%q,"nonce":%d,"chain_id":"%#x","signature":%q}`,
			pk, req.ObjectRoot.Hex(), f.signingID.Hex(), *req.Nonce, d.ChainID, sig)
	default:
		plain(w, http.StatusNotFound, "")
	}
}

type fakeWeb3Signer struct {
	srv     *httptest.Server
	keys    *fakeKeys
	domains protocol.Domains

	mu sync.Mutex
	b  fakeBehaviour
}

func newFakeWeb3Signer(t *testing.T, keys *fakeKeys, d protocol.Domains, cbEnabled bool) *fakeWeb3Signer {
	f := &fakeWeb3Signer{keys: keys, domains: d, b: fakeBehaviour{cbEnabled: cbEnabled}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWeb3Signer) set(fn func(*fakeBehaviour)) {
	f.mu.Lock()
	fn(&f.b)
	f.mu.Unlock()
}

// vertxFail is Vert.x's answer to routingContext.fail(status).
func vertxFail(w http.ResponseWriter, status int) { plain(w, status, http.StatusText(status)) }

func (f *fakeWeb3Signer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	b := f.b
	f.mu.Unlock()
	if b.delay > 0 {
		select {
		case <-time.After(b.delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/upcheck":
		plain(w, http.StatusOK, "OK")
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/eth2/publicKeys":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.keys.order)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/eth2/sign/"):
		// Beacon types only: a request without one of them is a bad request.
		var req struct {
			Type string `json:"type"`
		}
		if json.NewDecoder(r.Body).Decode(&req) != nil || !beaconTypes[req.Type] {
			vertxFail(w, http.StatusBadRequest)
			return
		}
		vertxFail(w, http.StatusBadRequest) // the fake signs no beacon object
	case r.Method == http.MethodPost && r.URL.Path == "/signer/v1/request_signature" && b.cbEnabled:
		var req struct {
			Type       string             `json:"type"`
			Pubkey     protocol.BLSPubkey `json:"pubkey"`
			ObjectRoot common.Hash        `json:"object_root"`
		}
		if json.NewDecoder(r.Body).Decode(&req) != nil || (req.Type != "consensus" && req.Type != "proxy_bls" && req.Type != "proxy_ecdsa") {
			vertxFail(w, http.StatusBadRequest)
			return
		}
		sk := f.keys.consensus[req.Pubkey]
		if req.Type == "proxy_bls" {
			sk = f.keys.proxies[req.Pubkey]
		}
		if sk == nil {
			vertxFail(w, http.StatusNotFound)
			return
		}
		// SigningData{object_root, COMMIT_BOOST_DOMAIN}: the domain with a
		// zero root and the network's genesis fork version.
		var buf [64]byte
		copy(buf[:32], req.ObjectRoot[:])
		domain := f.domains.CommitBoost
		if b.chainID != 0 {
			// Started with another --network: another genesis fork version.
			domain = protocol.NewDomains([4]byte{}, b.chainID).CommitBoost
		}
		copy(buf[32:], domain[:])
		root := sha256.Sum256(buf[:])
		if b.wrongSig {
			root[1] ^= 1
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		sig := protocol.BLSSignature{}
		copy(sig[:], bls.SignatureToBytes(bls.Sign(sk, root[:])))
		_ = json.NewEncoder(w).Encode(sig)
	default:
		vertxFail(w, http.StatusNotFound)
	}
}

var beaconTypes = map[string]bool{
	"AGGREGATION_SLOT": true, "AGGREGATE_AND_PROOF": true, "AGGREGATE_AND_PROOF_V2": true, "ATTESTATION": true, "BLOCK": true, "BLOCK_V2": true,
	"DEPOSIT": true, "RANDAO_REVEAL": true, "VOLUNTARY_EXIT": true, "SYNC_COMMITTEE_MESSAGE": true,
	"SYNC_COMMITTEE_SELECTION_PROOF": true, "SYNC_COMMITTEE_CONTRIBUTION_AND_PROOF": true, "VALIDATOR_REGISTRATION": true,
}
