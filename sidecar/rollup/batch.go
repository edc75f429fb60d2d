package rollup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Sentinel errors of the package.
var (
	// ErrMalformedPost is returned by DecodePost for data the Inbox would refuse.
	ErrMalformedPost = errors.New("malformed inbox post")
	// ErrPostTooLarge is returned when a slot's batches do not fit one post transaction.
	ErrPostTooLarge = errors.New("inbox post too large")
	// ErrEmptyPost is returned when there is nothing to post.
	ErrEmptyPost = errors.New("nothing to post")
)

// Limits of the Inbox encoding (contracts/src/Inbox.sol).
const (
	// MaxBatchTxs is the most transactions one batch header can count (uint16);
	// EncodePost splits a longer batch into several of the same chain.
	MaxBatchTxs = math.MaxUint16
	// MaxRawTx is the longest transaction a uint24 length can carry.
	MaxRawTx = 1<<24 - 1
	// MaxPostData bounds the packed batches of one post: the whole L1
	// transaction must stay under the 128 KiB that execution clients' pools
	// and Pledge's own decoder accept (protocol.MaxTxSize), with 4 KiB left for
	// the ABI head, the padding, the signature and the envelope.
	MaxPostData = 124 << 10
	// MaxTxsPerSlot is Inbox.MAX_TXS_PER_SLOT: the most L2 txs one poster
	// may post for one rollup in one slot (a post past it reverts whole), so
	// that L2-inclusion evidence stays bounded.
	MaxTxsPerSlot = 1024
	// batchHeader is chainId:uint64 ‖ txCount:uint16.
	batchHeader = 10
	// txHeader is length:uint24.
	txHeader = 3
)

// Batch is one rollup's transactions for a slot, in sequencing order, each
// in its network (EIP-2718) encoding.
type Batch struct {
	ChainID uint64
	Txs     [][]byte
}

// DataSize is the number of bytes batches take in a post's packed data.
func DataSize(batches []Batch) int {
	n := 0
	for _, b := range batches {
		n += batchHeader * max(1, (len(b.Txs)+MaxBatchTxs-1)/MaxBatchTxs)
		for _, tx := range b.Txs {
			n += txHeader + len(tx)
		}
	}
	return n
}

// EncodePost packs batches in the Inbox's format:
//
//	batch = chainId:uint64 ‖ txCount:uint16 ‖ (length:uint24 ‖ rawTx)×txCount
//
// big-endian, no padding, batches concatenated in the order given. A batch of
// more than MaxBatchTxs transactions becomes several consecutive batches of
// the same chain, which the Inbox appends in order. Empty batches are
// refused, as the Inbox refuses them.
func EncodePost(batches []Batch) ([]byte, error) {
	if len(batches) == 0 {
		return nil, ErrEmptyPost
	}
	out := make([]byte, 0, DataSize(batches))
	for i, b := range batches {
		if len(b.Txs) == 0 {
			return nil, fmt.Errorf("%w: batch %d (chain %d) has no transaction", ErrMalformedPost, i, b.ChainID)
		}
		for lo := 0; lo < len(b.Txs); lo += MaxBatchTxs {
			part := b.Txs[lo:min(lo+MaxBatchTxs, len(b.Txs))]
			out = binary.BigEndian.AppendUint64(out, b.ChainID)
			out = binary.BigEndian.AppendUint16(out, uint16(len(part)))
			for j, tx := range part {
				if len(tx) == 0 || len(tx) > MaxRawTx {
					return nil, fmt.Errorf("%w: batch %d (chain %d) tx %d is %d bytes", ErrMalformedPost, i, b.ChainID, lo+j, len(tx))
				}
				out = append(out, byte(len(tx)>>16), byte(len(tx)>>8), byte(len(tx)))
				out = append(out, tx...)
			}
		}
	}
	return out, nil
}

// DecodePost unpacks a post's data exactly as Inbox.post reads it: the same
// refusals (empty data, a batch of no tx, a tx of length 0, a truncated
// header or tx), the same order. Batches of one chain are not merged.
func DecodePost(data []byte) ([]Batch, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrMalformedPost)
	}
	var out []Batch
	off := 0
	for off < len(data) {
		if len(data)-off < batchHeader {
			return nil, fmt.Errorf("%w: truncated batch header at byte %d", ErrMalformedPost, off)
		}
		b := Batch{ChainID: binary.BigEndian.Uint64(data[off:])}
		n := int(binary.BigEndian.Uint16(data[off+8:]))
		if n == 0 {
			return nil, fmt.Errorf("%w: empty batch for chain %d at byte %d", ErrMalformedPost, b.ChainID, off)
		}
		off += batchHeader
		b.Txs = make([][]byte, 0, n)
		for range n {
			if len(data)-off < txHeader {
				return nil, fmt.Errorf("%w: truncated tx header at byte %d", ErrMalformedPost, off)
			}
			l := int(data[off])<<16 | int(data[off+1])<<8 | int(data[off+2])
			if l == 0 {
				return nil, fmt.Errorf("%w: empty tx for chain %d at byte %d", ErrMalformedPost, b.ChainID, off)
			}
			off += txHeader
			if len(data)-off < l {
				return nil, fmt.Errorf("%w: tx of %d bytes truncated at byte %d", ErrMalformedPost, l, off)
			}
			b.Txs = append(b.Txs, data[off:off+l:off+l])
			off += l
		}
		out = append(out, b)
	}
	return out, nil
}

// Accumulate folds raw transactions into an Inbox record's running hash:
// acc_{i+1} = keccak256(acc_i ‖ keccak256(rawTx_i)). Start from the zero hash
// for a slot's first post of a chain.
func Accumulate(acc common.Hash, txs ...[]byte) common.Hash {
	var buf [64]byte
	for _, tx := range txs {
		copy(buf[:32], acc[:])
		copy(buf[32:], crypto.Keccak256(tx))
		acc = crypto.Keccak256Hash(buf[:])
	}
	return acc
}

// AccumulateHashes is Accumulate over transaction hashes, the form in which
// the Slasher receives a slot's list (docs/protocol.md §9.3).
func AccumulateHashes(acc common.Hash, hashes ...common.Hash) common.Hash {
	var buf [64]byte
	for _, h := range hashes {
		copy(buf[:32], acc[:])
		copy(buf[32:], h[:])
		acc = crypto.Keccak256Hash(buf[:])
	}
	return acc
}
