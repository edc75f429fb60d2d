package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// Every command refuses a command line missing what it needs, before any
// network I/O, with the usage error.
func TestRunRefusesBadCommandLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"launch"}},
		{"setup without dir", []string{"setup", "-genesis-time", "1"}},
		{"setup without genesis time", []string{"setup", "-dir", "x"}},
		{"deploy without rpc", []string{"deploy", "-beacon", "http://b", "-genesis-time", "1", "-out", "x"}},
		{"drive with a bad slasher", []string{"drive", "-sidecar", "http://s", "-rpc", "http://r", "-slasher", "nope", "-senders-file", "f", "-out", "o"}},
		{"check without acks", []string{"check", "-sidecar", "http://s", "-rpc", "http://r", "-beacon", "http://b", "-genesis-time", "1"}},
		{"rollup without inbox", []string{"rollup", "-rpc", "http://r", "-chain-id", "7", "-listen", "127.0.0.1:0", "-senders-file", "f"}},
		{"drive with L2 senders but no L2 RPC", []string{"drive", "-sidecar", "http://s", "-rpc", "http://r", "-slasher", "0x0000000000000000000000000000000000000001", "-senders-file", "f", "-out", "o", "-l2-senders-file", "g"}},
		{"check with a bad poster", []string{"check", "-sidecar", "http://s", "-rpc", "http://r", "-beacon", "http://b", "-genesis-time", "1", "-acks", "a", "-poster", "nope"}},
		{"check with a registry but no operator", []string{"check", "-sidecar", "http://s", "-rpc", "http://r", "-beacon", "http://b", "-genesis-time", "1", "-acks", "a", "-registry", "0x0000000000000000000000000000000000000001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := run(context.Background(), tc.args); !errors.Is(err, errUsage) {
				t.Fatalf("run(%q) = %v, want the usage error", tc.args, err)
			}
		})
	}
}

// What drive appends, check reads back unchanged; a torn line is an error,
// not a silently dropped promise.
func TestAckLogRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "acks.jsonl")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	log := &ackLog{f: f}
	want := []ack{
		{RequestHash: common.HexToHash("0x01"), TxHash: common.HexToHash("0x02"), Slot: 7, Nonce: 3, Signature: []byte{1, 2}, Payload: []byte{3}, AckedAtMs: 10},
		{RequestHash: common.HexToHash("0x03"), TxHash: common.HexToHash("0x04"), Slot: 8, Nonce: 4, Signature: []byte{5}, Payload: []byte{6}, AckedAtMs: 11},
	}
	for _, a := range want {
		if err := log.write(a); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readAcks(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d acks, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].RequestHash != want[i].RequestHash || got[i].Slot != want[i].Slot || string(got[i].Signature) != string(want[i].Signature) {
			t.Fatalf("ack %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := f.WriteString(`{"request_hash":"0x`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := readAcks(path); err == nil {
		t.Fatal("a torn last line was read without an error")
	}
}

// check finds the deployment beside the acks file: the ledger check is on
// whenever `deploy -out` wrote it there.
func TestCheckReadsContractsBesideAcks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := checkConfig{acksFile: filepath.Join(dir, "acks.jsonl")}
	if err := c.contractsFrom(""); err != nil || c.registry != "" {
		t.Fatalf("no contracts.env: registry %q, %v; want the ledger check off", c.registry, err)
	}
	env := "REGISTRY=0x00000000000000000000000000000000000000aa\nINBOX=0x01\nOPERATOR=0x00000000000000000000000000000000000000bb\n"
	if err := os.WriteFile(filepath.Join(dir, "contracts.env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.contractsFrom(""); err != nil {
		t.Fatal(err)
	}
	if common.HexToAddress(c.registry) != common.HexToAddress("0xaa") || common.HexToAddress(c.operator) != common.HexToAddress("0xbb") {
		t.Fatalf("registry %q operator %q", c.registry, c.operator)
	}
}
