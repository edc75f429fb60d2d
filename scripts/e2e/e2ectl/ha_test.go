package main

import (
	"context"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// Two sidecars of one operator must never promise two transactions for one
// sender nonce: check finds it whichever sidecars answered, and does not
// count the same promise answered twice.
func TestEquivocations(t *testing.T) {
	t.Parallel()
	alice, bob := common.Address{0xa}, common.Address{0xb}
	tests := []struct {
		name string
		acks []ack
		want int
	}{
		{"none", []ack{
			{Sender: alice, Nonce: 0, TxHash: common.Hash{1}, Sidecar: "a"},
			{Sender: alice, Nonce: 1, TxHash: common.Hash{2}, Sidecar: "b"},
			{Sender: bob, Nonce: 0, TxHash: common.Hash{3}, Sidecar: "a"},
		}, 0},
		{"the same promise from both sidecars", []ack{
			{Sender: alice, Nonce: 0, TxHash: common.Hash{1}, Sidecar: "a"},
			{Sender: alice, Nonce: 0, TxHash: common.Hash{1}, Sidecar: "b"},
		}, 0},
		{"two transactions for one nonce", []ack{
			{Sender: alice, Nonce: 0, TxHash: common.Hash{1}, Sidecar: "a"},
			{Sender: bob, Nonce: 0, TxHash: common.Hash{3}, Sidecar: "a"},
			{Sender: alice, Nonce: 0, TxHash: common.Hash{2}, Sidecar: "b"},
		}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := equivocations(tc.acks)
			if len(got) != tc.want {
				t.Fatalf("%d equivocations (%v), want %d", len(got), got, tc.want)
			}
			for _, err := range got {
				if !errors.Is(err, errEquivocation) {
					t.Fatalf("%v is not errEquivocation", err)
				}
			}
		})
	}
}

// The high-availability check needs both the killed peer and when.
func TestCheckPeerKilledNeedsItsTime(t *testing.T) {
	t.Parallel()
	base := []string{"check", "-sidecar", "http://a,http://b", "-rpc", "http://r", "-beacon", "http://b", "-genesis-time", "1", "-acks", "x"}
	for _, extra := range [][]string{{"-peer-killed", "http://b"}, {"-peer-killed-at-ms", "5"}} {
		if err := run(context.Background(), append(append([]string(nil), base...), extra...)); !errors.Is(err, errUsage) {
			t.Fatalf("check %v: %v, want the usage error", extra, err)
		}
	}
}
