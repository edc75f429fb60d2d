package rollup

import (
	"bytes"
	"compress/flate"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/internal/chaintest"
)

// l2Kind is a realistic L2 transaction shape.
type l2Kind string

const (
	// transfer: an EIP-1559 ETH transfer, ~114 bytes signed.
	transfer l2Kind = "transfer"
	// erc20: an EIP-1559 call of transfer(address,uint256) on one token, ~181 bytes.
	erc20 l2Kind = "erc20"
)

// l2Txs signs n L2 transactions of a kind, from 64 senders (nonces rising),
// to varied recipients and amounts, as a busy rollup's batch looks.
func l2Txs(t testing.TB, kind l2Kind, n int) [][]byte {
	t.Helper()
	chain := big.NewInt(167_000)
	signer := types.LatestSignerForChainID(chain)
	keys := make([]*ecdsa.PrivateKey, min(n, 64))
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	token := common.HexToAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3")
	out := make([][]byte, n)
	for i := range out {
		to := common.BytesToAddress(crypto.Keccak256([]byte{byte(i), byte(i >> 8), 7})[:20])
		amount := new(big.Int).Mul(big.NewInt(int64(1+i*7919%100_000)), big.NewInt(params.GWei*1000))
		inner := &types.DynamicFeeTx{ChainID: chain, Nonce: uint64(i / len(keys)), GasTipCap: big.NewInt(params.GWei / 100),
			GasFeeCap: big.NewInt(params.GWei / 10), Gas: 21_000, To: &to, Value: amount}
		if kind == erc20 {
			data := append(crypto.Keccak256([]byte("transfer(address,uint256)"))[:4], common.LeftPadBytes(to[:], 32)...)
			inner.Data = append(data, common.LeftPadBytes(amount.Bytes(), 32)...)
			inner.To, inner.Value, inner.Gas = &token, new(big.Int), 65_000
		}
		raw, err := types.MustSignNewTx(keys[i%len(keys)], signer, inner).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = raw
	}
	return out
}

// fullPost is a batch of kind filling one post: as many txs as MaxPostData
// holds, at most the Inbox's MaxTxsPerSlot.
func fullPost(t testing.TB, kind l2Kind) [][]byte {
	size := len(l2Txs(t, kind, 1)[0])
	txs := l2Txs(t, kind, min((MaxPostData-batchHeader)/(txHeader+size-2), MaxTxsPerSlot))
	for DataSize([]Batch{{Txs: txs}}) > MaxPostData {
		txs = txs[:len(txs)-1]
	}
	return txs
}

// TestPostGasBound posts real batches to the Inbox on a Prague chain: the
// receipt's gas is within PostGas, PostGas within ShapeGas, and the bound is
// tight (within 5 %, plus a batch's margin), so reserving it wastes little
// of the slot's L1 gas.
func TestPostGasBound(t *testing.T) {
	t.Parallel()
	c := chaintest.New(t, 2)
	k := c.Deploy(chaintest.DefaultParams())
	for _, tc := range []struct {
		rollups, txs int // txs 0: a full post
		kind         l2Kind
	}{
		{1, 1, transfer}, {1, 16, transfer}, {3, 16, erc20}, {2, 200, erc20}, {1, 0, transfer},
	} {
		t.Run(fmt.Sprintf("%dx%d_%s", tc.rollups, tc.txs, tc.kind), func(t *testing.T) {
			var batches []Batch
			for r := range tc.rollups {
				txs := fullPost(t, tc.kind)
				if tc.txs > 0 {
					txs = l2Txs(t, tc.kind, tc.txs)
				}
				batches = append(batches, Batch{ChainID: uint64(100 + r), Txs: txs})
			}
			data, err := EncodePost(batches)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) > MaxPostData {
				t.Fatalf("%d bytes do not fit one post (%d)", len(data), MaxPostData)
			}
			cd := PostCalldata(data)
			bound, shape := PostGas(cd, ShapeOf(batches)), ShapeGas(ShapeOf(batches))
			o := c.Opts(0)
			o.GasLimit = bound
			rcpt := c.Mine(k.Inbox.Post(o, data))
			if rcpt.GasUsed > bound || bound > shape || bound > rcpt.GasUsed*105/100+uint64(tc.rollups)*2_000 {
				t.Fatalf("gas used %d, PostGas %d, ShapeGas %d", rcpt.GasUsed, bound, shape)
			}
			slot := (c.Head().Time - c.GenesisTime) / chaintest.SecondsPerSlot
			for _, b := range batches {
				rec, err := k.Inbox.BatchOf(&bind.CallOpts{}, b.ChainID, slot, c.Addr(0))
				if err != nil {
					t.Fatal(err)
				}
				if rec.Acc != Accumulate(common.Hash{}, b.Txs...) || int(rec.Count) != len(b.Txs) {
					t.Fatalf("rollup %d: record differs from Accumulate", b.ChainID)
				}
			}
		})
	}
}

// BenchmarkInboxPost posts one batch of n realistic L2 txs per iteration to
// the Inbox on the simulated Prague chain and reports the post's size, its
// gas, and the L1 gas per L2 tx. The largest n is what one post can carry
// (MaxPostData): the L2 promises per slot the sidecar can sequence and post.
//
//	go test ./sidecar/rollup -run '^$' -bench InboxPost -benchtime 3x
func BenchmarkInboxPost(b *testing.B) {
	for _, kind := range []l2Kind{transfer, erc20} {
		full := fullPost(b, kind)
		for _, n := range []int{1, 16, 128, 512, len(full)} {
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				c := chaintest.New(b, 2)
				k := c.Deploy(chaintest.DefaultParams())
				batches := []Batch{{ChainID: 167_000, Txs: full[:n]}}
				data, err := EncodePost(batches)
				if err != nil {
					b.Fatal(err)
				}
				if len(data) > MaxPostData {
					b.Fatalf("%d bytes exceed MaxPostData", len(data))
				}
				var gas uint64
				b.ResetTimer()
				for range b.N {
					o := c.Opts(0)
					o.GasLimit = PostGas(PostCalldata(data), ShapeOf(batches))
					gas = c.Mine(k.Inbox.Post(o, data)).GasUsed
				}
				b.ReportMetric(float64(len(PostCalldata(data))), "calldata_bytes")
				b.ReportMetric(float64(gas), "gas/post")
				b.ReportMetric(float64(gas)/float64(n), "gas/l2tx")
			})
		}
	}
}

// tokens is EIP-7623's token count: what L1 call data is priced by.
func tokens(b []byte) uint64 {
	var n uint64
	for _, x := range b {
		if x == 0 {
			n++
		} else {
			n += params.TxTokenPerNonZeroByte
		}
	}
	return n
}

// BenchmarkCompressBatch measures what compress/flate (best compression)
// would save on realistic batches, in bytes and in EIP-7623 tokens (gas is
// 10 per token at the floor that prices posts). It reports the compressed
// size as a percentage of the plain one.
//
//	go test ./sidecar/rollup -run '^$' -bench CompressBatch -benchtime 20x
func BenchmarkCompressBatch(b *testing.B) {
	for _, kind := range []l2Kind{transfer, erc20} {
		for _, n := range []int{16, 128, 1000} {
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				data, err := EncodePost([]Batch{{ChainID: 167_000, Txs: l2Txs(b, kind, n)}})
				if err != nil {
					b.Fatal(err)
				}
				var out bytes.Buffer
				b.SetBytes(int64(len(data)))
				b.ResetTimer()
				for range b.N {
					out.Reset()
					w, err := flate.NewWriter(&out, flate.BestCompression)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := w.Write(data); err != nil {
						b.Fatal(err)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(100*float64(out.Len())/float64(len(data)), "%bytes")
				b.ReportMetric(100*float64(tokens(out.Bytes()))/float64(tokens(data)), "%tokens")
			})
		}
	}
}

// BenchmarkPostTx is the poster's cost to encode and sign one slot's post
// of 128 L2 transfers (the nonce read is a fake).
func BenchmarkPostTx(b *testing.B) {
	p, _, _ := newTestPoster(b)
	batches := []Batch{{ChainID: 167_000, Txs: l2Txs(b, transfer, 128)}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		// A new slot each time: the cached post would skip the work.
		if _, err := p.PostTx(b.Context(), 101+uint64(i), batches); err != nil {
			b.Fatal(err)
		}
	}
}
