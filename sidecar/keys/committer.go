package keys

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
)

// LoadCommitterKey loads the committer's secp256k1 key from path: a geth
// keystore (JSON, opened with pw) or a raw hex key (0x optional, surrounding
// whitespace ignored; pw unused and may be nil).
func LoadCommitterKey(path string, pw PasswordSource) (*ecdsa.PrivateKey, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("committer key %s: %w", path, err)
	}
	defer zero(content)
	if bytes.HasPrefix(bytes.TrimSpace(content), []byte("{")) {
		return loadGethKeystore(path, content, pw)
	}
	secret, err := decodeHexSecret(content, path)
	if err != nil {
		return nil, err
	}
	defer zero(secret)
	key, err := crypto.ToECDSA(secret)
	if err != nil {
		return nil, fmt.Errorf("committer key %s: %w", path, ErrInvalidKey)
	}
	return key, nil
}

func loadGethKeystore(path string, content []byte, pw PasswordSource) (*ecdsa.PrivateKey, error) {
	pass, err := password(pw, path)
	if err != nil {
		return nil, err
	}
	key, err := keystore.DecryptKey(content, pass)
	switch {
	case errors.Is(err, keystore.ErrDecrypt):
		return nil, fmt.Errorf("keystore %s: %w", path, ErrWrongPassword)
	case err != nil:
		return nil, fmt.Errorf("keystore %s: %w: %w", path, ErrMalformedKeystore, err)
	}
	return key.PrivateKey, nil
}
