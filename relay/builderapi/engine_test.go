package builderapi_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

func TestRequestsRoundTrip(t *testing.T) {
	t.Parallel()
	reqs := &electra.ExecutionRequests{
		Deposits: []*electra.DepositRequest{
			{Pubkey: phase0.BLSPubKey{1}, WithdrawalCredentials: make([]byte, 32), Amount: 32e9, Index: 3},
			{Pubkey: phase0.BLSPubKey{2}, WithdrawalCredentials: make([]byte, 32), Amount: 1e9, Index: 4},
		},
		Withdrawals:    []*electra.WithdrawalRequest{},
		Consolidations: []*electra.ConsolidationRequest{{SourceAddress: [20]byte{9}}},
	}
	enc, err := builderapi.RequestsToEngine(reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != 2 || enc[0][0] != 0x00 || enc[1][0] != 0x02 || len(enc[0]) != 1+2*192 {
		t.Fatalf("encoded lists %d, types %x/%x: empty lists must be left out", len(enc), enc[0][0], enc[1][0])
	}
	dec, err := builderapi.RequestsFromEngine(enc)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := reqs.HashTreeRoot()
	got, _ := dec.HashTreeRoot()
	if got != want {
		t.Fatal("requests changed in the round trip")
	}
	bad := []struct {
		name string
		in   [][]byte
	}{
		{"empty list", [][]byte{{0x00}}},
		{"unknown type", [][]byte{{0x07, 1, 2}}},
		{"ragged deposits", [][]byte{append([]byte{0x00}, make([]byte, 191)...)}},
		{"ragged withdrawals", [][]byte{append([]byte{0x01}, make([]byte, 75)...)}},
		{"ragged consolidations", [][]byte{append([]byte{0x02}, make([]byte, 117)...)}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := builderapi.RequestsFromEngine(tc.in); !errors.Is(err, builderapi.ErrEngineConvert) {
				t.Fatalf("err %v, want ErrEngineConvert", err)
			}
		})
	}
}

func TestPayloadConversion(t *testing.T) {
	t.Parallel()
	blobGas, excess := uint64(131072), uint64(7)
	d := &engine.ExecutableData{
		ParentHash: common.Hash{1}, FeeRecipient: common.Address{2}, LogsBloom: make([]byte, 256),
		Number: 5, GasLimit: 30e6, GasUsed: 21000, Timestamp: 99, ExtraData: []byte("x"),
		BaseFeePerGas: big.NewInt(1e9), BlockHash: common.Hash{3}, Transactions: [][]byte{{0x02, 0xc0}},
		BlobGasUsed: &blobGas, ExcessBlobGas: &excess,
	}
	p, err := builderapi.PayloadFromEngine(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := builderapi.PayloadToEngine(p)
	if err != nil {
		t.Fatal(err)
	}
	if back.BlockHash != d.BlockHash || back.BaseFeePerGas.Cmp(d.BaseFeePerGas) != 0 || *back.BlobGasUsed != blobGas ||
		*back.ExcessBlobGas != excess || len(back.Transactions) != 1 || back.Number != 5 || back.Timestamp != 99 {
		t.Fatalf("round trip changed the payload: %+v", back)
	}
	bad := []struct {
		name string
		mut  func(*engine.ExecutableData)
	}{
		{"short bloom", func(d *engine.ExecutableData) { d.LogsBloom = make([]byte, 10) }},
		{"no base fee", func(d *engine.ExecutableData) { d.BaseFeePerGas = nil }},
		{"no blob gas", func(d *engine.ExecutableData) { d.BlobGasUsed = nil }},
		{"base fee over 256 bits", func(d *engine.ExecutableData) { d.BaseFeePerGas = new(big.Int).Lsh(big.NewInt(1), 300) }},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cp := *d
			tc.mut(&cp)
			if _, err := builderapi.PayloadFromEngine(&cp); !errors.Is(err, builderapi.ErrEngineConvert) {
				t.Fatalf("err %v, want ErrEngineConvert", err)
			}
		})
	}
	if _, err := builderapi.BlobsBundleFromEngine(&engine.BlobsBundle{Commitments: []hexutil.Bytes{{1, 2}}}); !errors.Is(err, builderapi.ErrEngineConvert) {
		t.Fatalf("short commitment: %v", err)
	}
}

// TestRequestsFromEngineTable: sizes are the SSZ sizes of a deposit (192),
// withdrawal (76) and consolidation (116) request.
func TestRequestsFromEngineTable(t *testing.T) {
	t.Parallel()
	deposit := make([]byte, 192)
	deposit[0] = 0xa1     // pubkey
	deposit[48+32] = 0x20 // amount, little endian
	deposit[192-8] = 0x05 // index (deposit request: 192 bytes)
	withdrawal := bytes.Repeat([]byte{0x11}, 76)
	consolidation := bytes.Repeat([]byte{0x22}, 116)
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
			got, err := builderapi.RequestsFromEngine(tc.raw)
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
