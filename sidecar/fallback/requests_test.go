package fallback

import (
	"bytes"
	"testing"

	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
)

func newDenebPayload(h phase0.Hash32) *deneb.ExecutionPayload {
	return &deneb.ExecutionPayload{BlockHash: h}
}

func TestDecodeRequests(t *testing.T) {
	t.Parallel()
	deposit := make([]byte, sizeDeposit)
	deposit[0] = 0xa1             // pubkey
	deposit[48+32] = 0x20         // amount, little endian
	deposit[sizeDeposit-8] = 0x05 // index
	withdrawal := bytes.Repeat([]byte{0x11}, sizeWithdrawal)
	consolidation := bytes.Repeat([]byte{0x22}, sizeConsolidation)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	tests := []struct {
		name               string
		raw                [][]byte
		deps, wds, consols int
		wantErr            bool
	}{
		{"none", nil, 0, 0, 0, false},
		{"one of each", [][]byte{cat([]byte{0}, deposit), cat([]byte{1}, withdrawal), cat([]byte{2}, consolidation)}, 1, 1, 1, false},
		{"two withdrawals", [][]byte{cat([]byte{1}, withdrawal, withdrawal)}, 0, 2, 0, false},
		{"empty list", [][]byte{{1}}, 0, 0, 0, true},
		{"types out of order", [][]byte{cat([]byte{1}, withdrawal), cat([]byte{0}, deposit)}, 0, 0, 0, true},
		{"type twice", [][]byte{cat([]byte{1}, withdrawal), cat([]byte{1}, withdrawal)}, 0, 0, 0, true},
		{"unknown type", [][]byte{cat([]byte{3}, withdrawal)}, 0, 0, 0, true},
		{"truncated", [][]byte{cat([]byte{0}, deposit[:100])}, 0, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeRequests(tc.raw)
			if tc.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Deposits) != tc.deps || len(got.Withdrawals) != tc.wds || len(got.Consolidations) != tc.consols {
				t.Fatalf("decoded %d/%d/%d", len(got.Deposits), len(got.Withdrawals), len(got.Consolidations))
			}
			if tc.deps == 1 {
				d := got.Deposits[0]
				if d.Pubkey[0] != 0xa1 || d.Amount != 0x20 || d.Index != 5 {
					t.Fatalf("deposit %+v", d)
				}
			}
		})
	}
}
