package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
	keystorev4 "github.com/wealdtech/go-eth2-wallet-encryptor-keystorev4"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// blsOrder is the order r of BLS12-381's G1.
var blsOrder, _ = new(big.Int).SetString("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16)

// interopKey is interop validator i's key (Prysm's --interop-num-validators):
// sha256 of the index as 32 little-endian bytes, read little-endian, mod r.
func interopKey(t *testing.T, i uint64) *bls.SecretKey {
	t.Helper()
	var idx [32]byte
	binary.LittleEndian.PutUint64(idx[:], i)
	h := sha256.Sum256(idx[:])
	for a, b := 0, len(h)-1; a < b; a, b = a+1, b-1 {
		h[a], h[b] = h[b], h[a]
	}
	var be [32]byte
	new(big.Int).Mod(new(big.Int).SetBytes(h[:]), blsOrder).FillBytes(be[:])
	sk, err := bls.SecretKeyFromBytes(be[:])
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

// tekuInteropKeys writes interop validators 0..n-1 as EIP-2335 keystores in
// a Teku key directory (keys/, passwords/), as `--validator-keys` reads it.
func tekuInteropKeys(t *testing.T, n int) (string, []protocol.BLSPubkey) {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"keys", "passwords"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	enc := keystorev4.New(keystorev4.WithCost(t, 4))
	var pubs []protocol.BLSPubkey
	for i := range n {
		sk := interopKey(t, uint64(i))
		pk, err := protocol.PubkeyFromSecretKey(sk)
		if err != nil {
			t.Fatal(err)
		}
		pubs = append(pubs, pk)
		pass := fmt.Sprintf("interop-%d", i)
		cr, err := enc.Encrypt(bls.SecretKeyToBytes(sk), pass)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(map[string]any{"crypto": cr, "pubkey": strings.TrimPrefix(pk.String(), "0x"),
			"path": fmt.Sprintf("m/12381/3600/%d/0/0", i), "uuid": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "version": 4})
		name := fmt.Sprintf("validator-%d", i)
		regWriteFile(t, filepath.Join(dir, "keys"), name+".json", string(js))
		regWriteFile(t, filepath.Join(dir, "passwords"), name+".txt", pass)
	}
	return dir, pubs
}

func clearDelegateEnv(t *testing.T) {
	t.Helper()
	clearEnv(t)
	for _, f := range delegateFlags(false) {
		for _, env := range envVars(f.Names()[0]) {
			t.Setenv(env, "")
			_ = os.Unsetenv(env)
		}
	}
}

// TestDelegateRoundTrip: delegations and revocations made by `pledge
// delegate` from the interop keystores verify as a relay checks them, cover
// exactly the validators and slots asked, and none of their signatures
// passes as any other message of the validator key.
func TestDelegateRoundTrip(t *testing.T) {
	clearDelegateEnv(t)
	keysDir, validators := tekuInteropKeys(t, 2)
	delegateSK, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	delegate, _ := protocol.PubkeyFromSecretKey(delegateSK)
	delegateFile := regWriteFile(t, t.TempDir(), "delegate.key", fmt.Sprintf("%#x\n", bls.SecretKeyToBytes(delegateSK)))
	committer := common.HexToAddress("0x00000000000000000000000000000000c0ffee01")
	fork := [4]byte{0x50, 0x00, 0x00, 0x00}
	domains := protocol.NewDomains(fork, 3151908)
	out := filepath.Join(t.TempDir(), "delegations.json")
	common := []string{"--validator-keys", keysDir, "--genesis-fork-version", "0x50000000", "--chain-id", "3151908"}

	if _, stderr, err := run(t, newApp(), append(append([]string{"delegate"}, common...),
		"--delegate-key", delegateFile, "--committer", committer.Hex(), "--epochs", "3", "--slots-per-epoch", "4", "--out", out)...); err != nil {
		t.Fatalf("pledge delegate: %v\n%s", err, stderr)
	}
	var ds []*protocol.SignedDelegation
	if b, err := os.ReadFile(out); err != nil || json.Unmarshal(b, &ds) != nil {
		t.Fatalf("read %s: %v", out, err)
	}
	if len(ds) != 2*4 {
		t.Fatalf("%d delegations, want 2 validators × 4 slots", len(ds))
	}
	seen := map[string]bool{}
	for _, d := range ds {
		m := d.Message
		if m.Delegate != delegate || m.Committer != committer || m.Slot < 12 || m.Slot > 15 || (m.Proposer != validators[0] && m.Proposer != validators[1]) {
			t.Fatalf("delegation %+v", m)
		}
		seen[fmt.Sprint(m.Proposer, m.Slot)] = true
		if d.SigningID != protocol.DefaultSigningID || d.Nonce != 0 {
			t.Fatalf("signing id %s nonce %d", d.SigningID, d.Nonce)
		}
		if err := d.Verify(domains); err != nil {
			t.Fatalf("delegation of slot %d does not verify: %v", m.Slot, err)
		}
		if err := d.Verify(protocol.NewDomains([4]byte{}, 1)); err == nil {
			t.Fatal("the delegation verifies on mainnet too")
		}
		assertNoReplay(t, d, domains, fork)
	}
	if len(seen) != 8 {
		t.Fatalf("%d distinct validator-slot pairs, want 8", len(seen))
	}

	// Revocations: same selection, to stdout.
	stdout, stderr, err := run(t, newApp(), append(append([]string{"delegate", "revoke"}, common...),
		"--delegate", delegate.String(), "--slots", "13", "--validators", validators[1].String())...)
	if err != nil {
		t.Fatalf("pledge delegate revoke: %v\n%s", err, stderr)
	}
	var rs []*protocol.SignedRevocation
	if err := json.Unmarshal([]byte(stdout), &rs); err != nil || len(rs) != 1 {
		t.Fatalf("revocations %q: %v", stdout, err)
	}
	if r := rs[0]; r.Message.Proposer != validators[1] || r.Message.Slot != 13 || r.Message.Delegate != delegate || r.Verify(domains) != nil {
		t.Fatalf("revocation %+v", r.Message)
	}
	asDelegation := protocol.SignedDelegation{Message: protocol.Delegation{Proposer: validators[1], Delegate: delegate, Committer: committer, Slot: 13},
		SigningID: rs[0].SigningID, Signature: rs[0].Signature}
	if err := asDelegation.Verify(domains); !errors.Is(err, protocol.ErrBLSSignatureMismatch) {
		t.Fatalf("a revocation signature passes as a delegation: %v", err)
	}
}

// assertNoReplay: d's signature verifies as no constraints message, no
// revocation, and no beacon-chain or Builder-API message over its hash.
func assertNoReplay(t *testing.T, d *protocol.SignedDelegation, domains protocol.Domains, fork [4]byte) {
	t.Helper()
	m := d.Message
	for name, verify := range map[string]func() error{
		"constraints": func() error {
			s := protocol.SignedConstraints{Message: protocol.ConstraintsMessage{Proposer: m.Proposer, Delegate: m.Proposer, Slot: m.Slot,
				Constraints: []protocol.Constraint{{ConstraintType: protocol.ConstraintTypeInclusion}}}, SigningID: d.SigningID, Signature: d.Signature}
			return s.Verify(domains)
		},
		"revocation": func() error {
			s := protocol.SignedRevocation{Message: protocol.Revocation{Proposer: m.Proposer, Delegate: m.Delegate, Slot: m.Slot}, SigningID: d.SigningID, Signature: d.Signature}
			return s.Verify(domains)
		},
		"delegation of another slot": func() error {
			s := *d
			s.Message.Slot++
			return s.Verify(domains)
		},
	} {
		if err := verify(); err == nil {
			t.Fatalf("the delegation signature verifies as a %s", name)
		}
	}
	h, err := m.MessageHash()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := bls.PublicKeyFromBytes(m.Proposer[:])
	sig, err := bls.SignatureFromBytes(d.Signature[:])
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range map[string]phase0.DomainType{
		"beacon proposer": boostssz.DomainTypeBeaconProposer, "beacon attester": {0x01}, "randao": {0x02}, "deposit": {0x03},
		"voluntary exit": {0x04}, "selection proof": {0x05}, "aggregate and proof": {0x06}, "sync committee": {0x07},
		"application builder": boostssz.DomainTypeAppBuilder, "bare Commit-Boost": protocol.DomainTypeCommitBoost,
	} {
		root, err := (&phase0.SigningData{ObjectRoot: phase0.Root(h), Domain: boostssz.ComputeDomain(typ, phase0.Version(fork), phase0.Root{})}).HashTreeRoot()
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := bls.VerifySignature(sig, pub, root[:]); ok {
			t.Fatalf("the delegation signature verifies as a %s message", name)
		}
	}
}

// TestDelegateRefusals: every bad invocation is one line naming the flag,
// and nothing is written.
func TestDelegateRefusals(t *testing.T) {
	clearDelegateEnv(t)
	keysDir, _ := tekuInteropKeys(t, 1)
	other, _ := protocol.PubkeyFromSecretKey(interopKey(t, 5))
	pk := other.String()
	base := []string{"delegate", "--validator-keys", keysDir, "--genesis-fork-version", "0x50000000", "--chain-id", "7",
		"--delegate", pk, "--committer", "0x00000000000000000000000000000000000000c0"}
	out := filepath.Join(t.TempDir(), "out.json")
	with := func(a []string, more ...string) []string { return append(slices.Clone(a), more...) }
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no slots", base, "missing --slots or --epochs"},
		{"slots and epochs", with(base, "--slots", "1", "--epochs", "1"), "not both"},
		{"bad range", with(base, "--slots", "9-3"), "invalid --slots"},
		{"no network", []string{"delegate", "--validator-keys", keysDir, "--slots", "1", "--delegate", pk, "--committer", "0x00000000000000000000000000000000000000c0"}, "missing --genesis-fork-version"},
		{"unknown network", []string{"delegate", "--validator-keys", keysDir, "--slots", "1", "--genesis-fork-version", "0x50000000", "--delegate", pk, "--committer", "0x00000000000000000000000000000000000000c0"}, "missing --chain-id"},
		{"bad delegate", with(base[:len(base)-4], "--delegate", "0x12", "--committer", "0x00000000000000000000000000000000000000c0", "--slots", "1"), "invalid --delegate"},
		{"not a curve point", with(base[:len(base)-4], "--delegate", "0x"+strings.Repeat("ab", 48), "--committer", "0x00000000000000000000000000000000000000c0", "--slots", "1"), "invalid --delegate"},
		{"no committer", with(base[:len(base)-2], "--slots", "1"), "missing --committer"},
		{"keys and signer", with(base, "--slots", "1", "--signer-url", "http://127.0.0.1:1"), "--signer-url"},
		{"signer flag without signer", with(base, "--slots", "1", "--signer-module-id", "M"), "only used with --signer-url"},
		{"commit-boost without secret", with(base[:1], "--genesis-fork-version", "0x50000000", "--chain-id", "7", "--delegate", pk,
			"--committer", "0x00000000000000000000000000000000000000c0", "--slots", "1", "--signer-url", "http://127.0.0.1:1"), "--signer-module-id"},
		{"unknown validator", with(base, "--slots", "1", "--validators", pk), "not among the signer's keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, newApp(), append(slices.Clone(tc.args), "--out", out)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v, want one line with %q", err, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("a file was written")
			}
		})
	}
}
