package devnet_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/internal/devnet"
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
	enc, err := devnet.RequestsToEngine(reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != 2 || enc[0][0] != 0x00 || enc[1][0] != 0x02 || len(enc[0]) != 1+2*192 {
		t.Fatalf("encoded lists %d, types %x/%x: empty lists must be left out", len(enc), enc[0][0], enc[1][0])
	}
	dec, err := devnet.RequestsFromEngine(enc)
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
			if _, err := devnet.RequestsFromEngine(tc.in); !errors.Is(err, devnet.ErrConvert) {
				t.Fatalf("err %v, want ErrConvert", err)
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
	p, err := devnet.PayloadFromEngine(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := devnet.PayloadToEngine(p)
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
			if _, err := devnet.PayloadFromEngine(&cp); !errors.Is(err, devnet.ErrConvert) {
				t.Fatalf("err %v, want ErrConvert", err)
			}
		})
	}
	if _, err := devnet.BlobsBundleFromEngine(&engine.BlobsBundle{Commitments: []hexutil.Bytes{{1, 2}}}); !errors.Is(err, devnet.ErrConvert) {
		t.Fatalf("short commitment: %v", err)
	}
}

func TestValidatorsDeterministic(t *testing.T) {
	t.Parallel()
	a, err := devnet.NewValidators("seed", 3, common.Address{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := devnet.NewValidators("seed", 3, common.Address{})
	c, _ := devnet.NewValidators("other", 3, common.Address{})
	for i := range a {
		if a[i].Pubkey != b[i].Pubkey || a[i].FeeRecipient != b[i].FeeRecipient {
			t.Fatalf("validator %d differs for the same seed", i)
		}
		if a[i].Pubkey == c[i].Pubkey {
			t.Fatalf("validator %d equal for different seeds", i)
		}
		if i > 0 && a[i].Pubkey == a[i-1].Pubkey {
			t.Fatal("two validators share a key")
		}
	}
}

func TestStartRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  devnet.Config
	}{
		{"fractional slot", devnet.Config{SlotDuration: 1500 * time.Millisecond}},
		{"sub-second slot", devnet.Config{SlotDuration: 500 * time.Millisecond}},
		{"negative validators", devnet.Config{Validators: -1}},
		{"fork version without room", devnet.Config{GenesisForkVersion: phase0.Version{0xf0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if n, err := devnet.Start(tc.cfg); !errors.Is(err, devnet.ErrBadConfig) {
				if n != nil {
					n.Close()
				}
				t.Fatalf("err %v, want ErrBadConfig", err)
			}
		})
	}
}
