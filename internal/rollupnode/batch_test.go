package rollupnode_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/internal/rollupnode"
)

func TestDecodePost(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte{0xab}, 1<<16+1) // needs the third length byte
	good := []rollupnode.Batch{
		{ChainID: chainA, Txs: [][]byte{{1}, {2, 3}}},
		{ChainID: chainB, Txs: [][]byte{big}},
		{ChainID: chainA, Txs: [][]byte{{4}}},
	}
	enc := rollupnode.EncodePost(good...)
	got, err := rollupnode.DecodePost(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, good) {
		t.Fatalf("decoded %d batches, not the encoded ones", len(got))
	}

	bad := map[string][]byte{
		"empty":                  nil,
		"short batch header":     enc[:9],
		"no tx":                  {0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
		"short tx length":        {0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0},
		"empty tx":               {0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0},
		"tx overruns":            {0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 7},
		"count over txs present": {0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 7},
		"trailing bytes":         append(append([]byte{}, enc...), 1, 2),
	}
	for name, data := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := rollupnode.DecodePost(data); !errors.Is(err, rollupnode.ErrMalformedPost) {
				t.Fatalf("error %v, want ErrMalformedPost", err)
			}
		})
	}
}

func TestPostArgument(t *testing.T) {
	t.Parallel()
	data := rollupnode.EncodePost(rollupnode.Batch{ChainID: 1, Txs: [][]byte{{9}}})
	calldata, err := rollupnode.PostCalldata(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rollupnode.PostArgument(calldata)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("argument %x, %v; want %x", got, err, data)
	}
	for name, cd := range map[string][]byte{
		"short":          calldata[:3],
		"other selector": append([]byte{1, 2, 3, 4}, calldata[4:]...),
		"truncated args": calldata[:len(calldata)-40],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := rollupnode.PostArgument(cd); !errors.Is(err, rollupnode.ErrNotAPost) {
				t.Fatalf("error %v, want ErrNotAPost", err)
			}
		})
	}
}

// Fold is docs/protocol.md §9.3's accumulator, written out by hand here.
func TestFold(t *testing.T) {
	t.Parallel()
	txs := [][]byte{{1}, {2, 3}}
	acc := common.Hash{}
	for _, tx := range txs {
		acc = crypto.Keccak256Hash(append(acc.Bytes(), crypto.Keccak256(tx)...))
	}
	if got := rollupnode.Fold(common.Hash{}, txs...); got != acc {
		t.Fatalf("fold %s, want %s", got, acc)
	}
	if got := rollupnode.Fold(rollupnode.Fold(common.Hash{}, txs[0]), txs[1]); got != acc {
		t.Fatalf("fold in two steps %s, want %s", got, acc)
	}
}

// FuzzDecodePost: whatever decodes re-encodes to the same bytes, and nothing panics.
func FuzzDecodePost(f *testing.F) {
	f.Add(rollupnode.EncodePost(rollupnode.Batch{ChainID: 7, Txs: [][]byte{{1}, {2, 3}}}))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		batches, err := rollupnode.DecodePost(data)
		if err != nil {
			return
		}
		if enc := rollupnode.EncodePost(batches...); !bytes.Equal(enc, data) {
			t.Fatalf("re-encoded %x, decoded from %x", enc, data)
		}
	})
}
