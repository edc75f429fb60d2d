package blssigner

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Commit-Boost signer API paths (v0.10, api/signer-api.yml).
const (
	cbPathPubkeys  = "/signer/v1/get_pubkeys"
	cbPathBLS      = "/signer/v1/request_signature/bls"
	cbPathProxyBLS = "/signer/v1/request_signature/proxy-bls"
	cbPathStatus   = "/status"
)

// CommitBoostConfig reaches a Commit-Boost signer module as a Commit-Boost
// module does.
type CommitBoostConfig struct {
	HTTP HTTPConfig
	// ModuleID is the module's id in the Commit-Boost configuration
	// ([[modules]] id); its signing_id there is what every signature carries.
	ModuleID string
	// JWTSecret is the module's JWT secret (CB_SIGNER_JWT / the signer's
	// jwt secrets). It signs each request's token; it is never sent or logged.
	JWTSecret string
}

// CommitBoost signs through Commit-Boost's signer API (v0.10 and later):
// POST /signer/v1/request_signature/bls for a consensus (validator) key and
// /signer/v1/request_signature/proxy-bls for a proxy key, with the message
// hash as object_root and the request's nonce. The signer signs
// SigningData{hash_tree_root(PropCommitSigningInfo{object_root,
// module_signing_id, nonce, chain_id}), COMMIT_BOOST_DOMAIN}: the §5.2
// signature, with the module's signing id (from its configuration, not the
// request's) and its chain's id. Earlier Commit-Boost versions (one
// /signer/v1/request_signature with a "type" field) sign the bare object
// root; Web3Signer speaks that form.
type CommitBoost struct {
	http   httpClient
	module string
	secret string
	now    func() time.Time

	mu    sync.Mutex
	proxy map[protocol.BLSPubkey]bool // false: a consensus key
}

var _ Backend = (*CommitBoost)(nil)

// NewCommitBoost checks the configuration; it does no I/O.
func NewCommitBoost(cfg CommitBoostConfig) (*CommitBoost, error) {
	h, err := newHTTPClient(cfg.HTTP)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.ModuleID) == "" || cfg.JWTSecret == "" {
		return nil, fmt.Errorf("%w: a Commit-Boost signer needs the module id and its JWT secret", ErrConfig)
	}
	return &CommitBoost{http: h, module: cfg.ModuleID, secret: cfg.JWTSecret, now: time.Now, proxy: map[protocol.BLSPubkey]bool{}}, nil
}

// Kind is "commit-boost".
func (c *CommitBoost) Kind() string { return "commit-boost" }

// Endpoint is the signer's URL.
func (c *CommitBoost) Endpoint() string { return c.http.URL() }

// call sends one authenticated request to route.
func (c *CommitBoost) call(ctx context.Context, method, route string, body []byte) (int, []byte, error) {
	token, err := commitBoostJWT(c.secret, c.module, route, body, c.now())
	if err != nil {
		return 0, nil, err
	}
	return c.http.do(ctx, method, route, body, token)
}

// cbKeyMap is one entry of get_pubkeys' answer.
type cbKeyMap struct {
	Consensus protocol.BLSPubkey   `json:"consensus"`
	ProxyBLS  []protocol.BLSPubkey `json:"proxy_bls"`
}

// keys reads get_pubkeys and remembers which keys are proxies.
func (c *CommitBoost) keys(ctx context.Context) ([]cbKeyMap, error) {
	status, body, err := c.call(ctx, http.MethodGet, cbPathPubkeys, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		err := signer.StatusError(http.MethodGet, cbPathPubkeys, status, body)
		if status == http.StatusNotFound {
			err = fmt.Errorf("%w: %w", ErrUnavailable, err) // no such route: not a Commit-Boost signer
		}
		return nil, err
	}
	var answer struct {
		Keys []cbKeyMap `json:"keys"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, fmt.Errorf("%w: get_pubkeys answer: %w", ErrRefused, err)
	}
	c.mu.Lock()
	for _, k := range answer.Keys {
		c.proxy[k.Consensus] = false
		for _, p := range k.ProxyBLS {
			c.proxy[p] = true
		}
	}
	c.mu.Unlock()
	return answer.Keys, nil
}

// Pubkeys lists the consensus keys and their BLS proxies.
func (c *CommitBoost) Pubkeys(ctx context.Context) ([]protocol.BLSPubkey, error) {
	maps, err := c.keys(ctx)
	if err != nil {
		return nil, err
	}
	var out []protocol.BLSPubkey
	for _, m := range maps {
		out = append(out, m.Consensus)
		out = append(out, m.ProxyBLS...)
	}
	return out, nil
}

// Check asks /status (no authentication).
func (c *CommitBoost) Check(ctx context.Context) error {
	status, body, err := c.http.do(ctx, http.MethodGet, cbPathStatus, nil, "")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("%w: %w", ErrUnavailable, signer.StatusError(http.MethodGet, cbPathStatus, status, body))
	}
	return nil
}

// isProxy says whether pk is a proxy key, asking get_pubkeys the first time.
func (c *CommitBoost) isProxy(ctx context.Context, pk protocol.BLSPubkey) (bool, error) {
	c.mu.Lock()
	proxy, ok := c.proxy[pk]
	c.mu.Unlock()
	if ok {
		return proxy, nil
	}
	if _, err := c.keys(ctx); err != nil {
		return false, err
	}
	c.mu.Lock()
	proxy, ok = c.proxy[pk]
	c.mu.Unlock()
	if !ok {
		return false, fmt.Errorf("%w: %s is neither a consensus nor a proxy key of module %s", ErrUnknownKey, pk, c.module)
	}
	return proxy, nil
}

// cbSignResponse is BlsSignResponse. chain_id is a U256, which the signer
// writes as a 0x-hex string; a JSON number or decimal string is read too.
type cbSignResponse struct {
	Pubkey          protocol.BLSPubkey    `json:"pubkey"`
	ObjectRoot      common.Hash           `json:"object_root"`
	ModuleSigningID common.Hash           `json:"module_signing_id"`
	Nonce           uint64                `json:"nonce"`
	ChainID         json.RawMessage       `json:"chain_id"`
	Signature       protocol.BLSSignature `json:"signature"`
}

// Sign asks for the signature of req.MessageHash with req.Domains.Nonce.
func (c *CommitBoost) Sign(ctx context.Context, req Request) (Signature, error) {
	proxy, err := c.isProxy(ctx, req.Pubkey)
	if err != nil {
		return Signature{}, err
	}
	route, keyField := cbPathBLS, "pubkey"
	if proxy {
		route, keyField = cbPathProxyBLS, "proxy"
	}
	body, err := json.Marshal(map[string]any{
		keyField: req.Pubkey, "object_root": req.MessageHash, "nonce": req.Domains.Nonce,
	})
	if err != nil {
		return Signature{}, fmt.Errorf("encode signature request: %w", err)
	}
	status, answer, err := c.call(ctx, http.MethodPost, route, body)
	if err != nil {
		return Signature{}, err
	}
	if status != http.StatusOK {
		return Signature{}, signer.StatusError(http.MethodPost, route, status, answer)
	}
	var r cbSignResponse
	if err := json.Unmarshal(answer, &r); err != nil {
		return Signature{}, fmt.Errorf("%w: %s answer: %w", ErrBadSignature, route, err)
	}
	chainID, err := parseChainID(r.ChainID)
	if err != nil {
		return Signature{}, fmt.Errorf("%w: %s answer: %w", ErrBadSignature, route, err)
	}
	switch {
	case r.Pubkey != req.Pubkey:
		return Signature{}, fmt.Errorf("%w: signed by %s, asked %s", ErrBadSignature, r.Pubkey, req.Pubkey)
	case r.ObjectRoot != req.MessageHash:
		return Signature{}, fmt.Errorf("%w: signed object root %s, asked %s", ErrBadSignature, r.ObjectRoot, req.MessageHash)
	case r.Nonce != req.Domains.Nonce:
		return Signature{}, fmt.Errorf("%w: signed nonce %d, asked %d", ErrBadSignature, r.Nonce, req.Domains.Nonce)
	case chainID != req.Domains.ChainID:
		return Signature{}, fmt.Errorf("%w: the signer signs for chain %d, this network is chain %d", ErrBadSignature, chainID, req.Domains.ChainID)
	}
	return Signature{Signature: r.Signature, SigningID: r.ModuleSigningID, Nonce: r.Nonce}, nil
}

func parseChainID(raw json.RawMessage) (uint64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, fmt.Errorf("no chain_id")
	}
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	n, ok := new(big.Int), false
	if rest, hex := strings.CutPrefix(s, "0x"); hex {
		n, ok = n.SetString(rest, 16)
	} else {
		n, ok = n.SetString(s, 10)
	}
	if !ok || n.Sign() < 0 || !n.IsUint64() {
		return 0, fmt.Errorf("chain_id %s", raw)
	}
	return n.Uint64(), nil
}
