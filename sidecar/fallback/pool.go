package fallback

import (
	"bytes"
	"container/heap"
	"context"
	"math/big"
	"sort"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// poolContent is the part of txpool_content the builder reads.
type poolContent struct {
	Pending map[common.Address]map[string]*types.Transaction `json:"pending"`
}

// senderContent is the part of txpool_contentFrom the builder reads.
type senderContent struct {
	Pending map[string]*types.Transaction `json:"pending"`
}

// poolExtras picks the pending transactions to follow the promised ones:
// first those of the own senders (WithOwnSenders), each in nonce order,
// then up to WithPoolTxs others, best tip first with each sender's nonces
// in order. It keeps only transactions likely to apply, since one that
// fails costs a second build: no sender of a promised transaction (their
// nonces moved), no blob transactions (the pool does not hand out
// sidecars), a fee cap that covers the highest base fee the block can
// have, and the gas the block has left. An error reading the pool only
// means no extras.
func (b *Builder) poolExtras(ctx context.Context, parent *blockHeader, top []topTx) []hexutil.Bytes {
	if b.opts.poolTxs == 0 && len(b.opts.own) == 0 {
		return nil
	}
	content := poolContent{Pending: map[common.Address]map[string]*types.Transaction{}}
	for _, a := range b.opts.own {
		var own senderContent
		if err := b.el.CallContext(ctx, &own, "txpool_contentFrom", a); err != nil {
			b.log.Debug().Err(err).Str("sender", a.Hex()).Msg("read txpool_contentFrom; building without the sender's transactions")
			continue
		}
		content.Pending[a] = own.Pending
	}
	if b.opts.poolTxs > 0 {
		var all poolContent
		if err := b.el.CallContext(ctx, &all, "txpool_content"); err != nil {
			b.log.Debug().Err(err).Msg("read txpool_content; building without mempool transactions")
		}
		for a, txs := range all.Pending {
			if _, own := content.Pending[a]; !own {
				content.Pending[a] = txs
			}
		}
	}
	own := make(map[common.Address]bool, len(b.opts.own))
	for _, a := range b.opts.own {
		own[a] = true
	}
	promised := make(map[common.Address]bool, len(top))
	gasLimit := uint64(parent.GasLimit)
	gasLeft := gasLimit - gasLimit/1024 // the lowest limit the block can have
	for _, t := range top {
		promised[t.sender] = true
		gasLeft -= min(gasLeft, t.tx.Gas())
	}
	// EIP-1559: the base fee rises at most 1/8 per block.
	minFee := new(big.Int)
	if parent.BaseFee != nil {
		pb := parent.BaseFee.ToInt()
		minFee.Add(pb, new(big.Int).Rsh(pb, 3))
		minFee.Add(minFee, common.Big1)
	}
	q := make(senderHeap, 0, len(content.Pending))
	for addr, byNonce := range content.Pending {
		if promised[addr] || len(byNonce) == 0 {
			continue
		}
		txs := make([]*types.Transaction, 0, len(byNonce))
		for k, tx := range byNonce {
			if n, err := strconv.ParseUint(k, 10, 64); err != nil || tx == nil || n != tx.Nonce() {
				txs = nil // a malformed answer: skip the sender
				break
			}
			txs = append(txs, tx)
		}
		if len(txs) == 0 {
			continue
		}
		sort.Slice(txs, func(i, j int) bool { return txs[i].Nonce() < txs[j].Nonce() })
		q = append(q, &senderTxs{addr: addr, txs: txs, minFee: minFee, own: own[addr]})
	}
	heap.Init(&q)
	var out []hexutil.Bytes
	others := 0
	for q.Len() > 0 && (q[0].own || others < b.opts.poolTxs) {
		s := q[0]
		tx := s.txs[0]
		if tx.Type() == types.BlobTxType || tx.GasFeeCap().Cmp(minFee) < 0 || tx.Gas() > gasLeft {
			heap.Pop(&q) // later nonces of this sender cannot come without it
			continue
		}
		raw, err := tx.MarshalBinary()
		if err != nil {
			heap.Pop(&q)
			continue
		}
		out = append(out, raw)
		if !s.own {
			others++
		}
		gasLeft -= tx.Gas()
		s.txs = s.txs[1:]
		if len(s.txs) == 0 {
			heap.Pop(&q)
		} else {
			heap.Fix(&q, 0)
		}
	}
	return out
}

// senderTxs is one sender's pending transactions, by nonce.
type senderTxs struct {
	addr   common.Address
	txs    []*types.Transaction
	minFee *big.Int
	own    bool // WithOwnSenders: goes first, outside the WithPoolTxs count
}

func (s *senderTxs) tip() *big.Int { return s.txs[0].EffectiveGasTipValue(s.minFee) }

// senderHeap orders the own senders first, then senders by the tip of
// their next transaction, highest first; ties by address so the choice is
// deterministic.
type senderHeap []*senderTxs

func (h senderHeap) Len() int { return len(h) }
func (h senderHeap) Less(i, j int) bool {
	if h[i].own != h[j].own {
		return h[i].own
	}
	if c := h[i].tip().Cmp(h[j].tip()); c != 0 {
		return c > 0
	}
	return bytes.Compare(h[i].addr[:], h[j].addr[:]) < 0
}
func (h senderHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *senderHeap) Push(x any)   { *h = append(*h, x.(*senderTxs)) }
func (h *senderHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
