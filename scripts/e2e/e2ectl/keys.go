package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
)

// blsOrder is the order r of the BLS12-381 groups.
var blsOrder, _ = new(big.Int).SetString("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16)

// interopSecret returns the secret key of interop validator i, as the
// Ethereum interop "mocked start" convention defines it and Prysm's
// --interop-num-validators uses: sha256 of the index as 32 little-endian
// bytes, read as a little-endian integer, modulo r.
func interopSecret(i uint64) (*bls.SecretKey, error) {
	var idx [32]byte
	binary.LittleEndian.PutUint64(idx[:], i)
	h := sha256.Sum256(idx[:])
	for a, b := 0, len(h)-1; a < b; a, b = a+1, b-1 {
		h[a], h[b] = h[b], h[a]
	}
	n := new(big.Int).Mod(new(big.Int).SetBytes(h[:]), blsOrder)
	var be [32]byte
	n.FillBytes(be[:])
	sk, err := bls.SecretKeyFromBytes(be[:])
	if err != nil {
		return nil, fmt.Errorf("interop key %d: %w", i, err)
	}
	return sk, nil
}

// interopSecrets returns the keys of interop validators 0..n-1.
func interopSecrets(n int) ([]*bls.SecretKey, error) {
	out := make([]*bls.SecretKey, n)
	for i := range out {
		sk, err := interopSecret(uint64(i))
		if err != nil {
			return nil, err
		}
		out[i] = sk
	}
	return out, nil
}

// account derives a devnet account from a label and an index.
func account(label string, i int) *ecdsa.PrivateKey {
	var idx [8]byte
	binary.BigEndian.PutUint64(idx[:], uint64(i))
	h := sha256.Sum256(append([]byte("pledge-e2e/"+label+"/"), idx[:]...))
	k, err := crypto.ToECDSA(h[:])
	if err != nil {
		// A sha256 output is a valid secp256k1 key except with negligible
		// probability; these labels are fixed, so this never happens.
		panic(fmt.Sprintf("account %s/%d: %v", label, i, err))
	}
	return k
}

// The devnet's accounts.
func operatorKey() *ecdsa.PrivateKey  { return account("operator", 0) }
func committerKey() *ecdsa.PrivateKey { return account("committer", 0) }
func senderKeys(n int) []*ecdsa.PrivateKey {
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		out[i] = account("sender", i)
	}
	return out
}

// l2SenderKeys are the demo rollup's senders: funded in its genesis only.
func l2SenderKeys(n int) []*ecdsa.PrivateKey {
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		out[i] = account("l2-sender", i)
	}
	return out
}

// walletPassword opens the Prysm wallet setup writes; it is a devnet secret
// written beside the wallet.
const walletPassword = "pledge-e2e-devnet"

// keystoreKDFRounds is deliberately small: the wallet holds public interop
// keys, and the sidecar decrypts it at every (re)start of the run.
const keystoreKDFRounds = 1024

// eip2335 is an EIP-2335 (version 4) keystore with the pbkdf2 KDF.
type eip2335 struct {
	Crypto      map[string]any `json:"crypto"`
	Description string         `json:"description"`
	Pubkey      string         `json:"pubkey"`
	Path        string         `json:"path"`
	UUID        string         `json:"uuid"`
	Version     int            `json:"version"`
}

// encryptKeystore seals secret under password as EIP-2335 prescribes:
// pbkdf2-sha256 key, AES-128-CTR with its first half, a sha256 checksum of
// the second half and the ciphertext.
func encryptKeystore(secret []byte, password string) (*eip2335, error) {
	salt := make([]byte, 32)
	iv := make([]byte, aes.BlockSize)
	uuid := make([]byte, 16)
	for _, b := range [][]byte{salt, iv, uuid} {
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
	}
	dk, err := pbkdf2.Key(sha256.New, password, salt, keystoreKDFRounds, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(dk[:16])
	if err != nil {
		return nil, err
	}
	ct := make([]byte, len(secret))
	cipher.NewCTR(block, iv).XORKeyStream(ct, secret)
	sum := sha256.Sum256(append(append([]byte{}, dk[16:32]...), ct...))
	uuid[6], uuid[8] = uuid[6]&0x0f|0x40, uuid[8]&0x3f|0x80
	return &eip2335{
		Crypto: map[string]any{
			"kdf": map[string]any{
				"function": "pbkdf2",
				"params":   map[string]any{"dklen": 32, "c": keystoreKDFRounds, "prf": "hmac-sha256", "salt": hex.EncodeToString(salt)},
				"message":  "",
			},
			"checksum": map[string]any{"function": "sha256", "params": map[string]any{}, "message": hex.EncodeToString(sum[:])},
			"cipher":   map[string]any{"function": "aes-128-ctr", "params": map[string]any{"iv": hex.EncodeToString(iv)}, "message": hex.EncodeToString(ct)},
		},
		UUID:    fmt.Sprintf("%x-%x-%x-%x-%x", uuid[0:4], uuid[4:6], uuid[6:8], uuid[8:10], uuid[10:]),
		Version: 4,
	}, nil
}

// writePrysmWallet writes the keys as a Prysm "direct" wallet —
// direct/accounts/all-accounts.keystore.json, one keystore whose plaintext
// lists every key — which `pledge sidecar --validator-keys` reads with one
// decryption however many keys it holds.
func writePrysmWallet(dir string, keys []*bls.SecretKey, password string) error {
	store := struct {
		PrivateKeys [][]byte `json:"private_keys"`
		PublicKeys  [][]byte `json:"public_keys"`
	}{}
	for i, sk := range keys {
		pk, err := bls.PublicKeyFromSecretKey(sk)
		if err != nil {
			return fmt.Errorf("validator %d: %w", i, err)
		}
		b := sk.Bytes()
		store.PrivateKeys = append(store.PrivateKeys, b[:])
		store.PublicKeys = append(store.PublicKeys, bls.PublicKeyToBytes(pk))
	}
	plain, err := json.Marshal(store)
	if err != nil {
		return err
	}
	ks, err := encryptKeystore(plain, password)
	if err != nil {
		return err
	}
	out, err := json.MarshalIndent(ks, "", "  ")
	if err != nil {
		return err
	}
	accounts := filepath.Join(dir, "direct", "accounts")
	if err := os.MkdirAll(accounts, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(accounts, "all-accounts.keystore.json"), out, 0o600)
}
