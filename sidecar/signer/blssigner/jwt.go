package blssigner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// jwtLifetime is the expiry Commit-Boost's own modules give their tokens.
const jwtLifetime = 300 * time.Second

// commitBoostClaims are the claims Commit-Boost's signer checks (v0.10:
// cb_common::types::JwtClaims): the module id, the route asked for, and the
// keccak256 of the request body (null without a body).
type commitBoostClaims struct {
	Exp         int64        `json:"exp"`
	Module      string       `json:"module"`
	Route       string       `json:"route"`
	PayloadHash *common.Hash `json:"payload_hash"`
}

// commitBoostJWT makes the HS256 token a Commit-Boost module sends: the
// signer checks it with the module's JWT secret from its configuration.
func commitBoostJWT(secret, module, route string, body []byte, now time.Time) (string, error) {
	claims := commitBoostClaims{Exp: now.Add(jwtLifetime).Unix(), Module: module, Route: route}
	if len(body) > 0 {
		h := crypto.Keccak256Hash(body)
		claims.PayloadHash = &h
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode JWT claims: %w", err)
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`)) + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signed))
	return signed + "." + enc.EncodeToString(mac.Sum(nil)), nil
}
