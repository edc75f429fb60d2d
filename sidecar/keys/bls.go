package keys

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/flashbots/go-boost-utils/bls"
	keystorev4 "github.com/wealdtech/go-eth2-wallet-encryptor-keystorev4"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// BLSKey is a BLS secret key with its public key and the file it came from.
type BLSKey struct {
	Secret *bls.SecretKey
	Pubkey protocol.BLSPubkey
	// Source is the file the key was read from (for logs; never the secret).
	Source string
}

// Layout is how BLS keys are stored on disk.
type Layout int

// The layouts LoadBLSKeys understands.
const (
	// LayoutAuto detects the layout from what is at the path.
	LayoutAuto Layout = iota
	// LayoutRaw is one file holding a 32-byte secret key in hex (0x optional).
	LayoutRaw
	// LayoutKeystore is one EIP-2335 keystore file; the password source opens it.
	LayoutKeystore
	// LayoutLighthouse is a Lighthouse validator data directory:
	// validators/<0xpubkey>/voting-keystore.json with its password in secrets/<0xpubkey>.
	LayoutLighthouse
	// LayoutTeku is a Teku key directory: keys/<name>.json with its password in passwords/<name>.txt.
	LayoutTeku
	// LayoutPrysm is a Prysm wallet directory: direct/accounts/all-accounts.keystore.json,
	// opened with the wallet password from the password source.
	LayoutPrysm
)

func (l Layout) String() string {
	switch l {
	case LayoutAuto:
		return "auto"
	case LayoutRaw:
		return "raw"
	case LayoutKeystore:
		return "keystore"
	case LayoutLighthouse:
		return "lighthouse"
	case LayoutTeku:
		return "teku"
	case LayoutPrysm:
		return "prysm"
	}
	return fmt.Sprintf("layout(%d)", int(l))
}

const (
	prysmAccounts = "all-accounts.keystore.json"
	lighthouseKS  = "voting-keystore.json"
)

// DetectLayout says which layout is at path: a file is a keystore if it holds
// JSON and a raw key otherwise; a directory is recognised by its subdirectories.
func DetectLayout(path string) (Layout, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return LayoutAuto, fmt.Errorf("keys %s: %w", path, err)
	}
	if !fi.IsDir() {
		b, err := os.ReadFile(path)
		if err != nil {
			return LayoutAuto, fmt.Errorf("key file %s: %w", path, err)
		}
		defer zero(b)
		if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
			return LayoutKeystore, nil
		}
		return LayoutRaw, nil
	}
	switch {
	case isDir(filepath.Join(path, "validators")) && isDir(filepath.Join(path, "secrets")):
		return LayoutLighthouse, nil
	case isDir(filepath.Join(path, "keys")) && isDir(filepath.Join(path, "passwords")):
		return LayoutTeku, nil
	case prysmFile(path) != "":
		return LayoutPrysm, nil
	}
	return LayoutAuto, fmt.Errorf("keys %s: %w: want a Lighthouse datadir (validators/, secrets/), "+
		"a Teku directory (keys/, passwords/) or a Prysm wallet (direct/accounts/%s)", path, ErrUnknownLayout, prysmAccounts)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// prysmFile finds the accounts keystore of a Prysm wallet given the wallet
// directory, its direct/ or its direct/accounts/ directory.
func prysmFile(dir string) string {
	for _, p := range []string{
		filepath.Join(dir, "direct", "accounts", prysmAccounts),
		filepath.Join(dir, "accounts", prysmAccounts),
		filepath.Join(dir, prysmAccounts),
	} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// LoadBLSKeys loads every BLS key at path, detecting the layout. pw opens a
// single keystore or a Prysm wallet; Lighthouse and Teku keep one password
// file per keystore and ignore it (nil is fine).
func LoadBLSKeys(path string, pw PasswordSource) ([]BLSKey, error) {
	return LoadBLSKeysLayout(path, LayoutAuto, pw)
}

// LoadBLSKeysLayout loads the BLS keys at path stored in the given layout.
// Keys come back sorted by public key.
func LoadBLSKeysLayout(path string, layout Layout, pw PasswordSource) ([]BLSKey, error) {
	if layout == LayoutAuto {
		var err error
		if layout, err = DetectLayout(path); err != nil {
			return nil, err
		}
	}
	var (
		keys []BLSKey
		err  error
	)
	switch layout {
	case LayoutRaw:
		var k BLSKey
		k, err = loadRawBLS(path)
		keys = []BLSKey{k}
	case LayoutKeystore:
		var pass string
		if pass, err = password(pw, path); err == nil {
			keys, err = decryptAll([]keystoreJob{{file: path, password: pass}})
		}
	case LayoutLighthouse:
		keys, err = loadLighthouse(path)
	case LayoutTeku:
		keys, err = loadTeku(path)
	case LayoutPrysm:
		keys, err = loadPrysm(path, pw)
	default:
		return nil, fmt.Errorf("keys %s: %w: %s", path, ErrUnknownLayout, layout)
	}
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("keys %s (%s layout): %w", path, layout, ErrNoKeys)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i].Pubkey[:], keys[j].Pubkey[:]) < 0 })
	for i := 1; i < len(keys); i++ {
		if keys[i].Pubkey == keys[i-1].Pubkey {
			return nil, fmt.Errorf("%w %s in %s and %s", ErrDuplicateKey, keys[i].Pubkey, keys[i-1].Source, keys[i].Source)
		}
	}
	return keys, nil
}

// blsKey checks a 32-byte big-endian secret and derives its public key.
func blsKey(secret []byte, source string) (BLSKey, error) {
	if len(secret) != bls.SecretKeyLength {
		return BLSKey{}, fmt.Errorf("key %s: %w (got %d)", source, ErrKeyLength, len(secret))
	}
	sk, err := bls.SecretKeyFromBytes(secret)
	if err != nil {
		return BLSKey{}, fmt.Errorf("key %s: %w: zero", source, ErrInvalidKey)
	}
	// SecretKeyFromBytes reduces modulo the curve order; a key at or above the
	// order is not a valid EIP-2333 key and would silently sign as another.
	canonical := bls.SecretKeyToBytes(sk)
	defer zero(canonical)
	if !bytes.Equal(canonical, secret) {
		return BLSKey{}, fmt.Errorf("key %s: %w: not below the curve order", source, ErrInvalidKey)
	}
	pub, err := bls.PublicKeyFromSecretKey(sk)
	if err != nil {
		return BLSKey{}, fmt.Errorf("key %s: %w", source, ErrInvalidKey)
	}
	var pk protocol.BLSPubkey
	copy(pk[:], bls.PublicKeyToBytes(pub))
	return BLSKey{Secret: sk, Pubkey: pk, Source: source}, nil
}

// decodeHexSecret parses a raw hex key file's content. Hex decoding errors are
// not wrapped: they would quote a character of the secret.
func decodeHexSecret(content []byte, path string) ([]byte, error) {
	s := strings.TrimSpace(string(content))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(s) != 2*32 {
		if _, err := hex.DecodeString(s); err != nil {
			return nil, fmt.Errorf("key file %s: %w: not hex", path, ErrMalformedKey)
		}
		return nil, fmt.Errorf("key file %s: %w (got %d)", path, ErrKeyLength, len(s)/2)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w: not hex", path, ErrMalformedKey)
	}
	return b, nil
}

func loadRawBLS(path string) (BLSKey, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return BLSKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	defer zero(content)
	secret, err := decodeHexSecret(content, path)
	if err != nil {
		return BLSKey{}, err
	}
	defer zero(secret)
	return blsKey(secret, path)
}

// eip2335 is the part of an EIP-2335 keystore the loader reads.
type eip2335 struct {
	Crypto  map[string]any `json:"crypto"`
	Pubkey  string         `json:"pubkey"`
	Version int            `json:"version"`
}

func readKeystore(path string) (eip2335, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return eip2335{}, fmt.Errorf("keystore %s: %w", path, err)
	}
	var ks eip2335
	if err := json.Unmarshal(b, &ks); err != nil {
		return eip2335{}, fmt.Errorf("keystore %s: %w: %w", path, ErrMalformedKeystore, err)
	}
	if ks.Crypto == nil {
		return eip2335{}, fmt.Errorf("keystore %s: %w: no crypto section", path, ErrMalformedKeystore)
	}
	if ks.Version != 4 {
		return eip2335{}, fmt.Errorf("keystore %s: %w: version %d, want 4 (EIP-2335)", path, ErrMalformedKeystore, ks.Version)
	}
	return ks, nil
}

// decryptKeystore opens an EIP-2335 keystore and returns its secret.
func decryptKeystore(path, pass string) ([]byte, eip2335, error) {
	ks, err := readKeystore(path)
	if err != nil {
		return nil, ks, err
	}
	secret, err := keystorev4.New().Decrypt(ks.Crypto, pass)
	if err != nil {
		// keystorev4 says "invalid checksum" for a wrong password and other
		// words for a damaged crypto section.
		if strings.Contains(err.Error(), "checksum") {
			return nil, ks, fmt.Errorf("keystore %s: %w", path, ErrWrongPassword)
		}
		return nil, ks, fmt.Errorf("keystore %s: %w: %w", path, ErrMalformedKeystore, err)
	}
	return secret, ks, nil
}

type keystoreJob struct {
	file     string
	password string
	// wantPubkey is the public key the layout names the keystore by, if any.
	wantPubkey string
}

// decryptAll opens keystores in parallel: each KDF run takes up to a second
// (and scrypt 256 MiB), so a few at a time, not all at once nor one by one.
func decryptAll(jobs []keystoreJob) ([]BLSKey, error) {
	workers := min(runtime.GOMAXPROCS(0), 4, len(jobs))
	out := make([]BLSKey, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = decryptJob(jobs[i])
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func decryptJob(j keystoreJob) (BLSKey, error) {
	secret, ks, err := decryptKeystore(j.file, j.password)
	if err != nil {
		return BLSKey{}, err
	}
	defer zero(secret)
	k, err := blsKey(secret, j.file)
	if err != nil {
		return BLSKey{}, err
	}
	for _, claim := range []string{ks.Pubkey, j.wantPubkey} {
		if claim == "" {
			continue
		}
		if !strings.EqualFold(strings.TrimPrefix(claim, "0x"), strings.TrimPrefix(k.Pubkey.String(), "0x")) {
			return BLSKey{}, fmt.Errorf("keystore %s: %w: claims %s, derives %s", j.file, ErrPubkeyMismatch, claim, k.Pubkey)
		}
	}
	return k, nil
}

// loadLighthouse reads validators/<0xpubkey>/voting-keystore.json with the
// password in secrets/<0xpubkey>.
func loadLighthouse(dir string) ([]BLSKey, error) {
	vdir := filepath.Join(dir, "validators")
	entries, err := os.ReadDir(vdir)
	if err != nil {
		return nil, fmt.Errorf("lighthouse validators %s: %w", vdir, err)
	}
	var jobs []keystoreJob
	for _, e := range entries {
		// Other entries (validator_definitions.yml, slashing_protection.sqlite,
		// api-token.txt) are Lighthouse's own.
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "0x") {
			continue
		}
		ksPath := filepath.Join(vdir, e.Name(), lighthouseKS)
		if _, err := os.Stat(ksPath); err != nil {
			return nil, fmt.Errorf("keystore %s: %w", ksPath, err)
		}
		secretPath := filepath.Join(dir, "secrets", e.Name())
		pass, err := readPasswordFile(secretPath)
		if err != nil {
			return nil, fmt.Errorf("keystore %s: %w", ksPath, err)
		}
		jobs = append(jobs, keystoreJob{file: ksPath, password: pass, wantPubkey: e.Name()})
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	return decryptAll(jobs)
}

// loadTeku reads keys/<name>.json with the password in passwords/<name>.txt.
func loadTeku(dir string) ([]BLSKey, error) {
	kdir := filepath.Join(dir, "keys")
	entries, err := os.ReadDir(kdir)
	if err != nil {
		return nil, fmt.Errorf("teku keys %s: %w", kdir, err)
	}
	var jobs []keystoreJob
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		ksPath := filepath.Join(kdir, e.Name())
		pwPath := filepath.Join(dir, "passwords", strings.TrimSuffix(e.Name(), ".json")+".txt")
		pass, err := readPasswordFile(pwPath)
		if err != nil {
			return nil, fmt.Errorf("keystore %s: %w", ksPath, err)
		}
		jobs = append(jobs, keystoreJob{file: ksPath, password: pass})
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	return decryptAll(jobs)
}

// prysmAccountStore is what a Prysm wallet's accounts keystore decrypts to:
// parallel lists of secret and public keys, base64 as Go encodes [][]byte.
type prysmAccountStore struct {
	PrivateKeys [][]byte `json:"private_keys"`
	PublicKeys  [][]byte `json:"public_keys"`
}

// loadPrysm opens a Prysm wallet's all-accounts.keystore.json: one EIP-2335
// keystore, under the wallet password, whose plaintext is the account store.
func loadPrysm(dir string, pw PasswordSource) ([]BLSKey, error) {
	file := prysmFile(dir)
	if file == "" {
		return nil, fmt.Errorf("prysm wallet %s: %w: no direct/accounts/%s", dir, ErrNoKeys, prysmAccounts)
	}
	pass, err := password(pw, file)
	if err != nil {
		return nil, err
	}
	plain, _, err := decryptKeystore(file, pass)
	if err != nil {
		return nil, err
	}
	defer zero(plain)
	var store prysmAccountStore
	if err := json.Unmarshal(plain, &store); err != nil {
		// The error would quote the plaintext; say only what is wrong.
		return nil, fmt.Errorf("keystore %s: %w: decrypted content is not a Prysm account store", file, ErrMalformedKeystore)
	}
	defer func() {
		for _, sk := range store.PrivateKeys {
			zero(sk)
		}
	}()
	if len(store.PrivateKeys) != len(store.PublicKeys) {
		return nil, fmt.Errorf("keystore %s: %w: %d private keys but %d public keys",
			file, ErrMalformedKeystore, len(store.PrivateKeys), len(store.PublicKeys))
	}
	keys := make([]BLSKey, 0, len(store.PrivateKeys))
	for i, sk := range store.PrivateKeys {
		k, err := blsKey(sk, fmt.Sprintf("%s[%d]", file, i))
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(store.PublicKeys[i], k.Pubkey[:]) {
			return nil, fmt.Errorf("keystore %s: account %d: %w", file, i, ErrPubkeyMismatch)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
