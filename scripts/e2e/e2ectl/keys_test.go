package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/sidecar/keys"
)

// The first interop validators' public keys, as every client's interop
// genesis (and Prysm's --interop-num-validators) has them.
func TestInteropSecretMatchesKnownPubkeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		index  uint64
		pubkey string
	}{
		{0, "a99a76ed7796f7be22d5b7e85deeb7c5677e88e511e0b337618f8c4eb61349b4bf2d153f649f7b53359fe8b94a38e44c"},
		{1, "b89bebc699769726a318c8e9971bd3171297c61aea4a6578a7a4f94b547dcba5bac16a89108b6b6a1fe3695d1a874a0b"},
	} {
		t.Run(tc.pubkey[:8], func(t *testing.T) {
			t.Parallel()
			sk, err := interopSecret(tc.index)
			if err != nil {
				t.Fatal(err)
			}
			pk, err := bls.PublicKeyFromSecretKey(sk)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(bls.PublicKeyToBytes(pk)); got != tc.pubkey {
				t.Fatalf("interop key %d: pubkey %s, want %s", tc.index, got, tc.pubkey)
			}
		})
	}
}

// The wallet setup writes must open with the sidecar's own key loader, with
// every key in it, and refuse a wrong password.
func TestPrysmWalletLoadsInSidecar(t *testing.T) {
	t.Parallel()
	want, err := interopSecrets(3)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "wallet")
	if err := writePrysmWallet(dir, want, walletPassword); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		password string
		wantErr  bool
	}{
		{"right password", walletPassword, false},
		{"wrong password", "not-it", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := keys.LoadBLSKeys(dir, keys.Password(tc.password))
			if tc.wantErr {
				if err == nil {
					t.Fatal("wallet opened with a wrong password")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("loaded %d keys, want %d", len(got), len(want))
			}
			seen := map[string]bool{}
			for _, k := range got {
				seen[hex.EncodeToString(k.Pubkey[:])] = true
			}
			for i, sk := range want {
				pk, _ := bls.PublicKeyFromSecretKey(sk)
				if !seen[hex.EncodeToString(bls.PublicKeyToBytes(pk))] {
					t.Fatalf("interop key %d missing from the loaded wallet", i)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "direct", "accounts", "all-accounts.keystore.json")); err != nil {
		t.Fatalf("wallet not in Prysm's layout: %v", err)
	}
}
