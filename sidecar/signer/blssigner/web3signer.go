package blssigner

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Web3Signer paths: its eth2 API and its Commit-Boost API.
const (
	w3sPathPublicKeys = "/api/v1/eth2/publicKeys"
	w3sPathUpcheck    = "/upcheck"
	w3sPathCBSign     = "/signer/v1/request_signature"
)

// Web3Signer signs through Web3Signer.
//
// Its eth2 API (POST /api/v1/eth2/sign/{identifier}) cannot sign a Pledge
// message: every request names a beacon-chain type (BLOCK_V2, ATTESTATION,
// AGGREGATE_AND_PROOF, RANDAO_REVEAL, VOLUNTARY_EXIT, DEPOSIT, SYNC_COMMITTEE_*,
// VALIDATOR_REGISTRATION, ...) and Web3Signer computes the signing root from
// the typed object under that type's domain itself (the request's
// "signingRoot" is only compared with it), so none yields a root in the
// Commit-Boost domain with a Pledge message in it. Web3Signer started with
// --commit-boost-api-enabled=true also serves Commit-Boost's signer API as
// Commit-Boost v0.9 defined it: POST /signer/v1/request_signature
// {"type": "consensus"|"proxy_bls", "pubkey", "object_root"} signs
// SigningData{object_root, COMMIT_BOOST_DOMAIN} (the genesis fork version of
// its --network, a zero genesis validators root) and answers the signature
// as a JSON string. Web3Signer uses that API here: the object root sent is
// hash_tree_root(PropCommitSigningInfo{messageHash, signing_id, nonce,
// chain_id}), computed here with the request's signing id and nonce, so
// the signature is exactly §5.2's. The eth2 API serves the key list
// (/api/v1/eth2/publicKeys) and the health check (/upcheck). Web3Signer's
// own API has no authentication: protect it with TLS client certificates
// (or a proxy checking the bearer token).
type Web3Signer struct {
	http httpClient

	mu        sync.Mutex
	consensus map[protocol.BLSPubkey]bool
}

var _ Backend = (*Web3Signer)(nil)

// NewWeb3Signer checks the configuration; it does no I/O.
func NewWeb3Signer(cfg HTTPConfig) (*Web3Signer, error) {
	h, err := newHTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Web3Signer{http: h, consensus: map[protocol.BLSPubkey]bool{}}, nil
}

// Kind is "web3signer".
func (w *Web3Signer) Kind() string { return "web3signer" }

// Endpoint is the signer's URL.
func (w *Web3Signer) Endpoint() string { return w.http.URL() }

// Pubkeys lists the consensus keys of the eth2 API.
func (w *Web3Signer) Pubkeys(ctx context.Context) ([]protocol.BLSPubkey, error) {
	status, body, err := w.http.do(ctx, http.MethodGet, w3sPathPublicKeys, nil, "")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		err := signer.StatusError(http.MethodGet, w3sPathPublicKeys, status, body)
		if status == http.StatusNotFound {
			err = fmt.Errorf("%w: %w (not in eth2 mode?)", ErrUnavailable, err)
		}
		return nil, err
	}
	var keys []protocol.BLSPubkey
	if err := json.Unmarshal(body, &keys); err != nil {
		return nil, fmt.Errorf("%w: %s answer: %w", ErrRefused, w3sPathPublicKeys, err)
	}
	w.mu.Lock()
	for _, k := range keys {
		w.consensus[k] = true
	}
	w.mu.Unlock()
	return keys, nil
}

// Check asks /upcheck.
func (w *Web3Signer) Check(ctx context.Context) error {
	status, body, err := w.http.do(ctx, http.MethodGet, w3sPathUpcheck, nil, "")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("%w: %w", ErrUnavailable, signer.StatusError(http.MethodGet, w3sPathUpcheck, status, body))
	}
	return nil
}

// keyType is the Commit-Boost request type of pk: "consensus" for a key of
// the eth2 API, "proxy_bls" for a proxy key the Commit-Boost API lists.
func (w *Web3Signer) keyType(ctx context.Context, pk protocol.BLSPubkey) (string, error) {
	w.mu.Lock()
	known, ok := w.consensus[pk]
	w.mu.Unlock()
	if !ok {
		keys, err := w.Pubkeys(ctx)
		if err != nil {
			return "", err
		}
		known = slices.Contains(keys, pk)
	}
	if known {
		return "consensus", nil
	}
	return "proxy_bls", nil
}

// Sign asks the Commit-Boost API to sign the PropCommitSigningInfo root of
// req.MessageHash with req.Domains' signing id and nonce.
func (w *Web3Signer) Sign(ctx context.Context, req Request) (Signature, error) {
	typ, err := w.keyType(ctx, req.Pubkey)
	if err != nil {
		return Signature{}, err
	}
	d := req.Domains
	body, err := json.Marshal(map[string]any{
		"type": typ, "pubkey": req.Pubkey,
		"object_root": signingInfoRoot(req.MessageHash, d.SigningID, d.Nonce, d.ChainID),
	})
	if err != nil {
		return Signature{}, fmt.Errorf("encode signature request: %w", err)
	}
	status, answer, err := w.http.do(ctx, http.MethodPost, w3sPathCBSign, body, "")
	if err != nil {
		return Signature{}, err
	}
	if status != http.StatusOK {
		err := signer.StatusError(http.MethodPost, w3sPathCBSign, status, answer)
		if status == http.StatusNotFound && typ == "consensus" {
			// The key is Web3Signer's, so the route is what is missing.
			return Signature{}, fmt.Errorf("%w: Web3Signer's Commit-Boost API answers 404 for a key it holds: start it with "+
				"--commit-boost-api-enabled=true (its eth2 API signs beacon-chain types only, none of which carries a Pledge message): %w",
				ErrUnsupported, err)
		}
		return Signature{}, err
	}
	var sig protocol.BLSSignature
	if err := json.Unmarshal(answer, &sig); err != nil {
		return Signature{}, fmt.Errorf("%w: %s answer: %w", ErrBadSignature, w3sPathCBSign, err)
	}
	return Signature{Signature: sig, SigningID: d.SigningID, Nonce: d.Nonce}, nil
}
