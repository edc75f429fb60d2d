package keys_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/google/uuid"
	keystorev4 "github.com/wealdtech/go-eth2-wallet-encryptor-keystorev4"

	"github.com/pledgeproto/pledge/sidecar/keys"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// testKey is a fresh BLS key pair for fixtures.
type testKey struct {
	secret []byte
	pubkey protocol.BLSPubkey
}

func newKey(t *testing.T) testKey {
	t.Helper()
	sk, pk, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	var p protocol.BLSPubkey
	copy(p[:], bls.PublicKeyToBytes(pk))
	return testKey{secret: bls.SecretKeyToBytes(sk), pubkey: p}
}

func (k testKey) pubHex() string { return k.pubkey.String() } // 0x-prefixed

// encryptKeystore builds an EIP-2335 keystore of secret with light KDF
// parameters (tests must stay fast; the format is the same).
func encryptKeystore(t *testing.T, secret []byte, pass, pubkeyField, cipher string) []byte {
	t.Helper()
	enc := keystorev4.New(keystorev4.WithCost(t, 4), keystorev4.WithCipher(cipher))
	crypto, err := enc.Encrypt(secret, pass)
	if err != nil {
		t.Fatal(err)
	}
	ks := map[string]any{
		"crypto":      crypto,
		"description": "",
		"path":        "m/12381/3600/0/0/0",
		"uuid":        uuid.NewString(),
		"version":     4,
	}
	if pubkeyField != "" {
		ks["pubkey"] = pubkeyField
	}
	b, err := json.Marshal(ks)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
}

// lighthouseDir lays out validators/<0xpubkey>/voting-keystore.json and
// secrets/<0xpubkey> as `lighthouse account validator import` does, plus the
// files Lighthouse keeps beside them.
func lighthouseDir(t *testing.T, ks ...testKey) string {
	t.Helper()
	dir := t.TempDir()
	for i, k := range ks {
		pass := "lighthouse-pass-" + string(rune('a'+i))
		write(t, filepath.Join(dir, "validators", k.pubHex(), "voting-keystore.json"),
			encryptKeystore(t, k.secret, pass, strings.TrimPrefix(k.pubHex(), "0x"), "pbkdf2"))
		write(t, filepath.Join(dir, "secrets", k.pubHex()), []byte(pass))
	}
	write(t, filepath.Join(dir, "validators", "validator_definitions.yml"), []byte("---\n"))
	write(t, filepath.Join(dir, "validators", "slashing_protection.sqlite"), []byte("x"))
	return dir
}

// tekuDir lays out keys/<name>.json and passwords/<name>.txt.
func tekuDir(t *testing.T, ks ...testKey) string {
	t.Helper()
	dir := t.TempDir()
	for i, k := range ks {
		name := "validator_" + strings.TrimPrefix(k.pubHex(), "0x")[:8] + "_" + string(rune('0'+i))
		pass := "teku pass " + name
		write(t, filepath.Join(dir, "keys", name+".json"),
			encryptKeystore(t, k.secret, pass, strings.TrimPrefix(k.pubHex(), "0x"), "scrypt"))
		write(t, filepath.Join(dir, "passwords", name+".txt"), []byte(pass+"\n"))
	}
	return dir
}

// prysmDir writes direct/accounts/all-accounts.keystore.json: the account
// store {"private_keys":[...],"public_keys":[...]} (base64, as Go encodes
// [][]byte) encrypted as one EIP-2335 keystore under the wallet password.
func prysmDir(t *testing.T, pass string, ks ...testKey) string {
	t.Helper()
	store := struct {
		PrivateKeys [][]byte `json:"private_keys"`
		PublicKeys  [][]byte `json:"public_keys"`
	}{}
	for _, k := range ks {
		store.PrivateKeys = append(store.PrivateKeys, k.secret)
		store.PublicKeys = append(store.PublicKeys, k.pubkey[:])
	}
	plain, err := json.Marshal(store)
	if err != nil {
		t.Fatal(err)
	}
	return prysmDirRaw(t, pass, plain)
}

func prysmDirRaw(t *testing.T, pass string, plain []byte) string {
	t.Helper()
	enc := keystorev4.New(keystorev4.WithCost(t, 4))
	c, err := enc.Encrypt(plain, pass)
	if err != nil {
		t.Fatal(err)
	}
	file, err := json.Marshal(map[string]any{"crypto": c, "uuid": uuid.NewString(), "version": 4, "name": "keystore"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "direct", "accounts", "all-accounts.keystore.json"), file)
	return dir
}

func TestLoadBLSKeysLayouts(t *testing.T) {
	t.Parallel()
	k1, k2 := newKey(t), newKey(t)
	single := filepath.Join(t.TempDir(), "keystore.json")
	write(t, single, encryptKeystore(t, k1.secret, "𝔱𝔢𝔰𝔱 password", strings.TrimPrefix(k1.pubHex(), "0x"), "scrypt"))
	rawDir := t.TempDir()
	raws := map[string]string{
		"0x":              "0x" + hex.EncodeToString(k1.secret),
		"bare":            hex.EncodeToString(k1.secret),
		"newline":         "0x" + hex.EncodeToString(k1.secret) + "\n",
		"crlf, uppercase": strings.ToUpper(hex.EncodeToString(k1.secret)) + "\r\n",
	}

	type tc struct {
		name   string
		path   string
		pw     keys.PasswordSource
		layout keys.Layout
		want   []testKey
	}
	cases := []tc{
		{"single keystore", single, keys.Password("𝔱𝔢𝔰𝔱 password"), keys.LayoutKeystore, []testKey{k1}},
		{"lighthouse", lighthouseDir(t, k1, k2), nil, keys.LayoutLighthouse, []testKey{k1, k2}},
		{"teku", tekuDir(t, k1, k2), nil, keys.LayoutTeku, []testKey{k1, k2}},
		{"prysm", prysmDir(t, "wallet-pass", k1, k2), keys.Password("wallet-pass"), keys.LayoutPrysm, []testKey{k1, k2}},
	}
	pwFile := filepath.Join(t.TempDir(), "wallet-password.txt")
	write(t, pwFile, []byte("wallet-pass\n"))
	cases = append(cases, tc{"prysm, password file", prysmDir(t, "wallet-pass", k2), keys.PasswordFile(pwFile), keys.LayoutPrysm, []testKey{k2}})
	for name, content := range raws {
		p := filepath.Join(rawDir, strings.ReplaceAll(name, " ", "_"))
		write(t, p, []byte(content))
		cases = append(cases, tc{"raw " + name, p, nil, keys.LayoutRaw, []testKey{k1}})
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			layout, err := keys.DetectLayout(c.path)
			if err != nil || layout != c.layout {
				t.Fatalf("DetectLayout = %s, %v; want %s", layout, err, c.layout)
			}
			got, err := keys.LoadBLSKeys(c.path, c.pw)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("loaded %d keys, want %d", len(got), len(c.want))
			}
			for _, w := range c.want {
				found := false
				for _, g := range got {
					if g.Pubkey != w.pubkey {
						continue
					}
					found = true
					if hex.EncodeToString(bls.SecretKeyToBytes(g.Secret)) != hex.EncodeToString(w.secret) {
						t.Fatalf("key %s: wrong secret", w.pubkey)
					}
					if !strings.HasPrefix(g.Source, c.path) {
						t.Fatalf("Source %q not under %q", g.Source, c.path)
					}
					// The loaded key really signs for its public key.
					pub, err := bls.PublicKeyFromBytes(g.Pubkey[:])
					if err != nil {
						t.Fatal(err)
					}
					ok, err := bls.VerifySignature(bls.Sign(g.Secret, []byte("pledge")), pub, []byte("pledge"))
					if err != nil || !ok {
						t.Fatalf("signature by loaded key does not verify: %v", err)
					}
				}
				if !found {
					t.Fatalf("key %s not loaded", w.pubkey)
				}
			}
			// Explicit layout gives the same result.
			again, err := keys.LoadBLSKeysLayout(c.path, c.layout, c.pw)
			if err != nil || len(again) != len(got) {
				t.Fatalf("LoadBLSKeysLayout = %d keys, %v", len(again), err)
			}
		})
	}
}

func TestLoadBLSKeysErrors(t *testing.T) {
	t.Parallel()
	k1, k2 := newKey(t), newKey(t)

	type tc struct {
		name     string
		path     string // also the file the error must name, unless nameFile is set
		nameFile string
		pw       keys.PasswordSource
		want     error
	}
	var cases []tc
	add := func(c tc) { cases = append(cases, c) }

	single := filepath.Join(t.TempDir(), "keystore.json")
	write(t, single, encryptKeystore(t, k1.secret, "right", "", "pbkdf2"))
	add(tc{name: "keystore wrong password", path: single, pw: keys.Password("wrong"), want: keys.ErrWrongPassword})
	add(tc{name: "keystore without password", path: single, want: keys.ErrMissingSecret})
	add(tc{name: "keystore missing password file", path: single, pw: keys.PasswordFile(filepath.Join(t.TempDir(), "nope.txt")),
		nameFile: "nope.txt", want: keys.ErrMissingSecret})

	corrupt := filepath.Join(t.TempDir(), "corrupt.json")
	write(t, corrupt, []byte(`{"crypto": {"kdf": `))
	add(tc{name: "corrupt keystore json", path: corrupt, pw: keys.Password("x"), want: keys.ErrMalformedKeystore})
	v3 := filepath.Join(t.TempDir(), "v3.json")
	write(t, v3, []byte(`{"crypto": {}, "version": 3}`))
	add(tc{name: "keystore wrong version", path: v3, pw: keys.Password("x"), want: keys.ErrMalformedKeystore})
	wrongClaim := filepath.Join(t.TempDir(), "claim.json")
	write(t, wrongClaim, encryptKeystore(t, k1.secret, "p", strings.TrimPrefix(k2.pubHex(), "0x"), "pbkdf2"))
	add(tc{name: "keystore pubkey field mismatch", path: wrongClaim, pw: keys.Password("p"), want: keys.ErrPubkeyMismatch})
	shortKS := filepath.Join(t.TempDir(), "short.json")
	write(t, shortKS, encryptKeystore(t, k1.secret[:31], "p", "", "pbkdf2"))
	add(tc{name: "keystore with 31-byte secret", path: shortKS, pw: keys.Password("p"), want: keys.ErrKeyLength})

	rawDir := t.TempDir()
	for _, r := range []struct {
		name, content string
		want          error
	}{
		{"raw 31 bytes", "0x" + hex.EncodeToString(k1.secret[:31]), keys.ErrKeyLength},
		{"raw 33 bytes", hex.EncodeToString(append([]byte{1}, k1.secret...)), keys.ErrKeyLength},
		{"raw not hex", strings.Repeat("zz", 32), keys.ErrMalformedKey},
		{"raw zero key", strings.Repeat("00", 32), keys.ErrInvalidKey},
		{"raw key above the curve order", strings.Repeat("ff", 32), keys.ErrInvalidKey},
		{"raw empty", "\n", keys.ErrKeyLength},
	} {
		p := filepath.Join(rawDir, strings.ReplaceAll(r.name, " ", "_"))
		write(t, p, []byte(r.content))
		add(tc{name: r.name, path: p, want: r.want})
	}

	lhWrong := lighthouseDir(t, k1)
	write(t, filepath.Join(lhWrong, "secrets", k1.pubHex()), []byte("not the password"))
	add(tc{name: "lighthouse wrong password", path: lhWrong, nameFile: filepath.Join(lhWrong, "validators", k1.pubHex()),
		want: keys.ErrWrongPassword})
	lhMissing := lighthouseDir(t, k1, k2)
	if err := os.Remove(filepath.Join(lhMissing, "secrets", k2.pubHex())); err != nil {
		t.Fatal(err)
	}
	add(tc{name: "lighthouse missing secret", path: lhMissing, nameFile: filepath.Join(lhMissing, "secrets", k2.pubHex()),
		want: keys.ErrMissingSecret})
	lhRenamed := lighthouseDir(t, k1)
	if err := os.Rename(filepath.Join(lhRenamed, "validators", k1.pubHex()), filepath.Join(lhRenamed, "validators", k2.pubHex())); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(lhRenamed, "secrets", k1.pubHex()), filepath.Join(lhRenamed, "secrets", k2.pubHex())); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(lhRenamed, "validators", k2.pubHex(), "voting-keystore.json"),
		encryptKeystore(t, k1.secret, "lighthouse-pass-a", "", "pbkdf2"))
	add(tc{name: "lighthouse directory names another key", path: lhRenamed, nameFile: k2.pubHex(), want: keys.ErrPubkeyMismatch})

	tekuMissing := tekuDir(t, k1, k2)
	pws, _ := filepath.Glob(filepath.Join(tekuMissing, "passwords", "*.txt"))
	if len(pws) != 2 {
		t.Fatalf("teku fixture has %d password files", len(pws))
	}
	if err := os.Remove(pws[1]); err != nil {
		t.Fatal(err)
	}
	add(tc{name: "teku missing password file", path: tekuMissing, nameFile: pws[1], want: keys.ErrMissingSecret})
	tekuCorrupt := tekuDir(t, k1)
	ksFiles, _ := filepath.Glob(filepath.Join(tekuCorrupt, "keys", "*.json"))
	write(t, ksFiles[0], []byte("not json at all"))
	add(tc{name: "teku corrupt keystore", path: tekuCorrupt, nameFile: ksFiles[0], want: keys.ErrMalformedKeystore})
	tekuDup := tekuDir(t, k1, k1)
	add(tc{name: "teku same key twice", path: tekuDup, nameFile: filepath.Join(tekuDup, "keys"), want: keys.ErrDuplicateKey})

	prysmFile := func(dir string) string { return filepath.Join(dir, "direct", "accounts", "all-accounts.keystore.json") }
	pWrong := prysmDir(t, "wallet", k1)
	add(tc{name: "prysm wrong wallet password", path: pWrong, nameFile: prysmFile(pWrong), pw: keys.Password("nope"), want: keys.ErrWrongPassword})
	add(tc{name: "prysm no wallet password", path: pWrong, nameFile: prysmFile(pWrong), want: keys.ErrMissingSecret})
	pShort, _ := json.Marshal(map[string]any{"private_keys": [][]byte{k1.secret[:31]}, "public_keys": [][]byte{k1.pubkey[:]}})
	pShortDir := prysmDirRaw(t, "w", pShort)
	add(tc{name: "prysm 31-byte key", path: pShortDir, nameFile: prysmFile(pShortDir), pw: keys.Password("w"), want: keys.ErrKeyLength})
	pMis, _ := json.Marshal(map[string]any{"private_keys": [][]byte{k1.secret}, "public_keys": [][]byte{k2.pubkey[:]}})
	pMisDir := prysmDirRaw(t, "w", pMis)
	add(tc{name: "prysm public key mismatch", path: pMisDir, nameFile: prysmFile(pMisDir), pw: keys.Password("w"), want: keys.ErrPubkeyMismatch})
	pUneven, _ := json.Marshal(map[string]any{"private_keys": [][]byte{k1.secret}, "public_keys": [][]byte{}})
	pUnevenDir := prysmDirRaw(t, "w", pUneven)
	add(tc{name: "prysm uneven lists", path: pUnevenDir, nameFile: prysmFile(pUnevenDir), pw: keys.Password("w"), want: keys.ErrMalformedKeystore})
	pJunkDir := prysmDirRaw(t, "w", []byte("secret junk"))
	add(tc{name: "prysm plaintext not an account store", path: pJunkDir, nameFile: prysmFile(pJunkDir), pw: keys.Password("w"),
		want: keys.ErrMalformedKeystore})
	pEmpty, _ := json.Marshal(map[string]any{"private_keys": [][]byte{}, "public_keys": [][]byte{}})
	pEmptyDir := prysmDirRaw(t, "w", pEmpty)
	add(tc{name: "prysm empty wallet", path: pEmptyDir, pw: keys.Password("w"), want: keys.ErrNoKeys})

	empty := t.TempDir()
	add(tc{name: "unknown layout", path: empty, want: keys.ErrUnknownLayout})
	emptyLH := t.TempDir()
	for _, d := range []string{"validators", "secrets"} {
		if err := os.Mkdir(filepath.Join(emptyLH, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	add(tc{name: "lighthouse without validators", path: emptyLH, want: keys.ErrNoKeys})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := keys.LoadBLSKeys(c.path, c.pw)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Fatalf("keys returned with the error: %d", len(got))
			}
			name := c.nameFile
			if name == "" {
				name = c.path
			}
			if !strings.Contains(err.Error(), name) {
				t.Fatalf("error %q does not name %q", err, name)
			}
			t.Log(err)
		})
	}
}

// TestErrorsCarryNoSecret makes sure no error message quotes key material.
func TestErrorsCarryNoSecret(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	p := filepath.Join(t.TempDir(), "key")
	almost := hex.EncodeToString(k.secret)[:63] + "g" // one bad digit
	write(t, p, []byte(almost))
	_, err := keys.LoadBLSKeys(p, nil)
	if !errors.Is(err, keys.ErrMalformedKey) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), almost[:16]) || strings.Contains(err.Error(), "'g'") {
		t.Fatalf("error quotes the secret: %v", err)
	}
}

func TestLoadCommitterKey(t *testing.T) {
	t.Parallel()
	priv, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	hexKey := hex.EncodeToString(crypto.FromECDSA(priv))
	dir := t.TempDir()
	gethKS := func(pass string) string {
		id, _ := uuid.NewRandom()
		b, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: crypto.PubkeyToAddress(priv.PublicKey), PrivateKey: priv}, pass, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "UTC--"+id.String())
		write(t, p, b)
		return p
	}
	rawFile := func(name, content string) string {
		p := filepath.Join(dir, name)
		write(t, p, []byte(content))
		return p
	}
	pwFile := rawFile("pw.txt", "hunter2\n")

	good := []struct {
		name string
		path string
		pw   keys.PasswordSource
	}{
		{"raw with 0x", rawFile("raw0x", "0x"+hexKey), nil},
		{"raw bare", rawFile("rawbare", hexKey), nil},
		{"raw with newline", rawFile("rawnl", hexKey+"\n"), nil},
		{"geth keystore", gethKS("hunter2"), keys.Password("hunter2")},
		{"geth keystore, password file", gethKS("hunter2"), keys.PasswordFile(pwFile)},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := keys.LoadCommitterKey(c.path, c.pw)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(priv) {
				t.Fatal("loaded a different key")
			}
		})
	}

	bad := []struct {
		name string
		path string
		pw   keys.PasswordSource
		want error
	}{
		{"geth wrong password", gethKS("hunter2"), keys.Password("hunter3"), keys.ErrWrongPassword},
		{"geth no password", gethKS("hunter2"), nil, keys.ErrMissingSecret},
		{"geth corrupt json", rawFile("corrupt.json", `{"address": "00", "crypto": `), keys.Password("x"), keys.ErrMalformedKeystore},
		{"raw 31 bytes", rawFile("short", hexKey[:62]), nil, keys.ErrKeyLength},
		{"raw not hex", rawFile("nothex", strings.Repeat("x", 64)), nil, keys.ErrMalformedKey},
		{"raw zero", rawFile("zero", strings.Repeat("0", 64)), nil, keys.ErrInvalidKey},
		{"raw above the curve order", rawFile("big", strings.Repeat("f", 64)), nil, keys.ErrInvalidKey},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := keys.LoadCommitterKey(c.path, c.pw)
			if !errors.Is(err, c.want) || got != nil {
				t.Fatalf("LoadCommitterKey = %v, %v; want %v", got, err, c.want)
			}
			if !strings.Contains(err.Error(), c.path) {
				t.Fatalf("error %q does not name %s", err, c.path)
			}
		})
	}
	if _, err := keys.LoadCommitterKey(filepath.Join(dir, "absent"), nil); err == nil || !strings.Contains(err.Error(), "absent") {
		t.Fatalf("missing file: %v", err)
	}
}
