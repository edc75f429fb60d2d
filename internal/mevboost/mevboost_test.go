package mevboost_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"

	"github.com/pledgeproto/pledge/internal/mevboost"
)

// script writes an executable shell script standing in for mev-boost.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "mev-boost")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func validConfig(binary string) mevboost.Config {
	return mevboost.Config{
		Binary:             binary,
		RelayURLs:          []string{"http://0x" + strings.Repeat("ab", 48) + "@127.0.0.1:1"},
		GenesisForkVersion: phase0.Version{0x10, 0, 0, 0x38},
		GenesisTime:        time.Unix(1_700_000_000, 0),
		StartTimeout:       2 * time.Second,
	}
}

func TestRelayURL(t *testing.T) {
	t.Parallel()
	pub := phase0.BLSPubKey{0xaa, 0xbb}
	tests := []struct {
		name, base, want string
		pub              phase0.BLSPubKey
		wantErr          bool
	}{
		{name: "http", base: "http://127.0.0.1:9062", pub: pub, want: "http://" + pub.String() + "@127.0.0.1:9062"},
		{name: "keeps path", base: "https://relay.example/api", pub: pub, want: "https://" + pub.String() + "@relay.example/api"},
		{name: "no scheme", base: "127.0.0.1:9062", pub: pub, wantErr: true},
		{name: "other scheme", base: "ftp://relay", pub: pub, wantErr: true},
		{name: "no pubkey", base: "http://127.0.0.1:9062", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := mevboost.RelayURL(tc.base, tc.pub)
			if tc.wantErr {
				if !errors.Is(err, mevboost.ErrConfig) {
					t.Fatalf("err = %v, want ErrConfig", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("RelayURL = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestStartRefusesBadConfig(t *testing.T) {
	t.Parallel()
	// The script would fail the test if it ran: every case must stop before.
	bin := script(t, "echo started >&2; exit 3")
	tests := []struct {
		name string
		edit func(*mevboost.Config)
		want error
	}{
		{"no binary", func(c *mevboost.Config) { c.Binary = "" }, mevboost.ErrNoBinary},
		{"missing binary", func(c *mevboost.Config) { c.Binary = filepath.Join(t.TempDir(), "nope") }, mevboost.ErrNoBinary},
		{"directory", func(c *mevboost.Config) { c.Binary = t.TempDir() }, mevboost.ErrNoBinary},
		{"no relay", func(c *mevboost.Config) { c.RelayURLs = nil }, mevboost.ErrConfig},
		{"relay without pubkey", func(c *mevboost.Config) { c.RelayURLs = []string{"http://127.0.0.1:1"} }, mevboost.ErrConfig},
		{"relay with quote", func(c *mevboost.Config) { c.RelayURLs = []string{`http://0xab@127.0.0.1:1/"`} }, mevboost.ErrConfig},
		{"no genesis", func(c *mevboost.Config) { c.GenesisTime = time.Time{} }, mevboost.ErrConfig},
		{"negative timeout", func(c *mevboost.Config) { c.TimeoutGetPayload = -time.Second }, mevboost.ErrConfig},
		{"negative late in slot", func(c *mevboost.Config) { c.LateInSlot = -time.Second }, mevboost.ErrConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := validConfig(bin)
			tc.edit(&cfg)
			p, err := mevboost.Start(context.Background(), cfg)
			if !errors.Is(err, tc.want) {
				if p != nil {
					_ = p.Stop()
				}
				t.Fatalf("Start err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestStartReportsEarlyExit(t *testing.T) {
	t.Parallel()
	bin := script(t, `echo "level=fatal msg=\"please specify a genesis fork version\""; exit 1`)
	start := time.Now()
	_, err := mevboost.Start(context.Background(), validConfig(bin))
	if !errors.Is(err, mevboost.ErrNotReady) || !strings.Contains(err.Error(), "please specify a genesis fork version") {
		t.Fatalf("err = %v, want ErrNotReady with mev-boost's last line", err)
	}
	// An exit is seen at once, not after the start timeout.
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("early exit reported after %s", d)
	}
}

func TestStartTimesOutAndKills(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "alive")
	// exec so the SIGTERM reaches the sleeping process itself; the marker
	// shows the process started with the arguments and environment chosen.
	bin := script(t, `echo "$SLOT_SEC $RELAYS $*" > `+marker+`; exec sleep 30`)
	t.Setenv("RELAYS", "http://0xdead@evil:1") // must not leak into the child
	cfg := validConfig(bin)
	cfg.StartTimeout = 300 * time.Millisecond
	cfg.SecondsPerSlot = 2
	cfg.LateInSlot = 1500 * time.Millisecond
	start := time.Now()
	_, err := mevboost.Start(context.Background(), cfg)
	if !errors.Is(err, mevboost.ErrNotReady) {
		t.Fatalf("err = %v, want ErrNotReady", err)
	}
	// Start returned after stopping the child, well before sleep's 30 s.
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("Start took %s: child not stopped", d)
	}
	got, err := os.ReadFile(marker)
	if err != nil {
		t.Fatal(err)
	}
	line := string(got)
	for _, want := range []string{"2 ", "-genesis-fork-version 0x10000038", "-genesis-timestamp 1700000000", "-addr 127.0.0.1:", "-config "} {
		if !strings.Contains(line, want) {
			t.Errorf("command line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "evil") {
		t.Errorf("caller's RELAYS leaked into mev-boost: %q", line)
	}
}

func TestBinaryFromEnv(t *testing.T) {
	bin := script(t, "exit 0")
	tests := []struct {
		name, value string
		wantErr     error
	}{
		{"unset", "", mevboost.ErrNoBinary},
		{"missing", filepath.Join(t.TempDir(), "nope"), mevboost.ErrNoBinary},
		{"directory", t.TempDir(), mevboost.ErrNoBinary},
		{"built", bin, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(mevboost.EnvBinary, tc.value)
			got, err := mevboost.BinaryFromEnv()
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && got != bin {
				t.Fatalf("path = %q, want %q", got, bin)
			}
		})
	}
}
