package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// runSignerFlags parses args with the signer flags and the key flags, and
// calls open with the context.
func runSignerFlags(t *testing.T, args []string, open func(*cli.Context) error) error {
	t.Helper()
	str := func(n string) cli.Flag { return &cli.StringFlag{Name: n} }
	flags := append(append([]cli.Flag{str(flagCommitterKey), str(flagCommitterPassword), str(flagPosterKey), str(flagPosterPassword)},
		committerSignerFlags()...), posterSignerFlags()...)
	app := &cli.App{Name: "t", Flags: flags, Action: open, Metadata: map[string]any{appMetadataKey: &appContext{log: zerolog.Nop()}}}
	app.Writer, app.ErrWriter = os.Stderr, os.Stderr
	return app.RunContext(context.Background(), append([]string{"t"}, args...))
}

// Not parallel: urfave/cli's App.Run writes package-level help flags.
func TestSignerFlags(t *testing.T) {
	dir := t.TempDir()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "k.hex")
	if err := os.WriteFile(keyFile, []byte(hexutil.Encode(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatal(err)
	}
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("tok-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pub := hexutil.Encode(crypto.FromECDSAPub(&key.PublicKey)[1:])
	addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
	cases := []struct {
		name     string
		args     []string
		poster   bool
		wantKind string
		wantErr  string
	}{
		{name: "local committer", args: []string{"--committer-key", keyFile}, wantKind: "local"},
		{name: "web3signer committer", args: []string{"--committer-signer", "web3signer", "--committer-signer-url", "https://127.0.0.1:9000", "--committer-signer-pubkey", pub, "--committer-signer-token-file", tokenFile}, wantKind: "web3signer"},
		{name: "clef committer refused", args: []string{"--committer-signer", "clef", "--committer-signer-url", "http://127.0.0.1:8550", "--committer-signer-address", addr}, wantErr: "Clef cannot be the committer's signer"},
		{name: "clef poster", poster: true, args: []string{"--poster-signer", "clef", "--poster-signer-url", "http://127.0.0.1:8550", "--poster-signer-address", addr}, wantKind: "clef"},
		{name: "clef poster over ipc", poster: true, args: []string{"--poster-signer", "clef", "--poster-signer-url", "/run/clef/clef.ipc", "--poster-signer-address", addr}, wantKind: "clef"},
		{name: "key and remote", args: []string{"--committer-key", keyFile, "--committer-signer", "web3signer", "--committer-signer-url", "http://x:1", "--committer-signer-pubkey", pub}, wantErr: "not both"},
		{name: "remote flag with local", args: []string{"--committer-key", keyFile, "--committer-signer-url", "http://x:1"}, wantErr: "only used with a remote"},
		{name: "no key", args: nil, wantErr: "missing --committer-key"},
		{name: "no url", args: []string{"--committer-signer", "web3signer", "--committer-signer-pubkey", pub}, wantErr: "missing --committer-signer-url"},
		{name: "bad pubkey", args: []string{"--committer-signer", "web3signer", "--committer-signer-url", "http://x:1", "--committer-signer-pubkey", "0x12"}, wantErr: "--committer-signer-pubkey"},
		{name: "clef without address", poster: true, args: []string{"--poster-signer", "clef", "--poster-signer-url", "http://x:1"}, wantErr: "--poster-signer-address"},
		{name: "unknown kind", args: []string{"--committer-signer", "vault", "--committer-signer-url", "http://x:1"}, wantErr: "want local, clef or web3signer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got *ecdsasigner.Signer
			err := runSignerFlags(t, c.args, func(ctx *cli.Context) error {
				var err error
				if c.poster {
					got, err = openPosterSigner(ctx, prometheus.NewRegistry())
				} else {
					got, err = openCommitterSigner(ctx, prometheus.NewRegistry())
				}
				return err
			})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want it to say %q", err, c.wantErr)
				}
				if strings.Contains(err.Error(), "tok-secret") {
					t.Errorf("error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind() != c.wantKind || got.Address().Hex() != addr {
				t.Fatalf("signer %s for %s, want %s for %s", got.Kind(), got.Address(), c.wantKind, addr)
			}
		})
	}
}

func TestClefCommitterErrorSaysWhy(t *testing.T) {
	t.Parallel()
	if !strings.Contains(errClefCommitter.Error(), "§2.1") || errors.Unwrap(errClefCommitter) != nil {
		t.Fatalf("%v", errClefCommitter)
	}
}
