package rollup

import (
	"bytes"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/contracts/bindings"
)

func randBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		batches []Batch
	}{
		{"one rollup, one tx", []Batch{{ChainID: 7, Txs: [][]byte{{0x02, 0x01}}}}},
		{"two rollups", []Batch{{ChainID: 7, Txs: [][]byte{randBytes(t, 120), randBytes(t, 1)}}, {ChainID: 1 << 60, Txs: [][]byte{randBytes(t, 300)}}}},
		{"a tx of the largest length", []Batch{{ChainID: 9, Txs: [][]byte{randBytes(t, MaxRawTx)}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data, err := EncodePost(tc.batches)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) != DataSize(tc.batches) || len(data) != ShapeOf(tc.batches).DataSize() {
				t.Fatalf("encoded %d bytes, DataSize %d, shape %d", len(data), DataSize(tc.batches), ShapeOf(tc.batches).DataSize())
			}
			got, err := DecodePost(data)
			if err != nil {
				t.Fatal(err)
			}
			if !equalBatches(got, tc.batches) {
				t.Fatal("decoded batches differ")
			}
		})
	}
}

// The packing is the Inbox's, byte for byte.
func TestEncodePostLayout(t *testing.T) {
	t.Parallel()
	data, err := EncodePost([]Batch{{ChainID: 0x0102030405060708, Txs: [][]byte{{0xaa, 0xbb}, {0xcc}}}, {ChainID: 9, Txs: [][]byte{{0xdd}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		1, 2, 3, 4, 5, 6, 7, 8, 0, 2, 0, 0, 2, 0xaa, 0xbb, 0, 0, 1, 0xcc,
		0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 0, 1, 0xdd,
	}
	if !bytes.Equal(data, want) {
		t.Fatalf("packed %x\nwant   %x", data, want)
	}
}

func TestEncodeSplitsLongBatches(t *testing.T) {
	t.Parallel()
	txs := make([][]byte, MaxBatchTxs+2)
	for i := range txs {
		txs[i] = []byte{byte(i), byte(i >> 8)}
	}
	data, err := EncodePost([]Batch{{ChainID: 5, Txs: txs}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodePost(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ChainID != 5 || got[1].ChainID != 5 || len(got[0].Txs) != MaxBatchTxs || len(got[1].Txs) != 2 ||
		!bytes.Equal(got[1].Txs[1], txs[len(txs)-1]) {
		t.Fatalf("split into %d batches", len(got))
	}
	if s := ShapeOf([]Batch{{ChainID: 5, Txs: txs}}); s.Batches != 2 || s.DataSize() != len(data) {
		t.Fatalf("shape %+v for %d bytes", s, len(data))
	}
}

func TestEncodeRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		batches []Batch
		want    error
	}{
		{"nothing", nil, ErrEmptyPost},
		{"empty batch", []Batch{{ChainID: 1}}, ErrMalformedPost},
		{"empty tx", []Batch{{ChainID: 1, Txs: [][]byte{{}}}}, ErrMalformedPost},
		{"tx too long for uint24", []Batch{{ChainID: 1, Txs: [][]byte{make([]byte, MaxRawTx+1)}}}, ErrMalformedPost},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := EncodePost(tc.batches); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDecodeRefusesWhatTheInboxRefuses(t *testing.T) {
	t.Parallel()
	good, err := EncodePost([]Batch{{ChainID: 3, Txs: [][]byte{{1, 2, 3}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "empty"},
		{"short batch header", good[:9], "batch header at byte 0"},
		{"zero tx count", []byte{0, 0, 0, 0, 0, 0, 0, 3, 0, 0}, "empty batch"},
		{"short tx header", good[:11], "tx header at byte 10"},
		{"zero-length tx", []byte{0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0, 0, 0}, "empty tx"},
		{"truncated tx", good[:len(good)-1], "truncated at byte 13"},
		{"trailing garbage", append(append([]byte{}, good...), 1), "batch header at byte 16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodePost(tc.data)
			if !errors.Is(err, ErrMalformedPost) || !bytes.Contains([]byte(err.Error()), []byte(tc.msg)) {
				t.Fatalf("err = %v, want ErrMalformedPost saying %q", err, tc.msg)
			}
		})
	}
}

func FuzzDecodePost(f *testing.F) {
	good, _ := EncodePost([]Batch{{ChainID: 3, Txs: [][]byte{{1, 2, 3}, {4}}}, {ChainID: 4, Txs: [][]byte{{5}}}})
	f.Add(good)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 3, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodePost(data)
		if err != nil {
			return
		}
		// What decodes re-encodes to the same bytes: one reading only.
		again, err := EncodePost(b)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("re-encoding differs: %v", err)
		}
	})
}

// Accumulate over raw txs equals AccumulateHashes over their hashes for
// every transaction type a rollup takes: the raw bytes the Inbox hashes are
// the ones the tx hash covers.
func TestAccumulateMatchesTxHashes(t *testing.T) {
	t.Parallel()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	chain := big.NewInt(777)
	signer := types.LatestSignerForChainID(chain)
	to := common.Address{1}
	var raws [][]byte
	var hashes []common.Hash
	for i, inner := range []types.TxData{
		&types.LegacyTx{Nonce: 0, GasPrice: big.NewInt(1), Gas: 21000, To: &to},
		&types.AccessListTx{ChainID: chain, Nonce: 1, GasPrice: big.NewInt(1), Gas: 21000, To: &to},
		&types.DynamicFeeTx{ChainID: chain, Nonce: 2, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 21000, To: &to, Data: []byte{1}},
	} {
		tx := types.MustSignNewTx(key, signer, inner)
		raw, err := tx.MarshalBinary()
		if err != nil {
			t.Fatalf("tx %d: %v", i, err)
		}
		raws, hashes = append(raws, raw), append(hashes, tx.Hash())
	}
	if a, b := Accumulate(common.Hash{}, raws...), AccumulateHashes(common.Hash{}, hashes...); a != b || a == (common.Hash{}) {
		t.Fatalf("Accumulate %s, AccumulateHashes %s", a, b)
	}
	// Folding in two steps is folding once (posts of one slot append).
	if Accumulate(Accumulate(common.Hash{}, raws[:1]...), raws[1:]...) != Accumulate(common.Hash{}, raws...) {
		t.Fatal("accumulator is not incremental")
	}
}

func TestPostCalldataIsTheABIEncoding(t *testing.T) {
	t.Parallel()
	abi, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 31, 32, 33, 1000} {
		data := randBytes(t, n)
		want, err := abi.Pack("post", data)
		if err != nil {
			t.Fatal(err)
		}
		if got := PostCalldata(data); !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: call data differs from the ABI's", n)
		}
	}
}

func equalBatches(a, b []Batch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ChainID != b[i].ChainID || len(a[i].Txs) != len(b[i].Txs) {
			return false
		}
		for j := range a[i].Txs {
			if !bytes.Equal(a[i].Txs[j], b[i].Txs[j]) {
				return false
			}
		}
	}
	return true
}
