package rollup

import (
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// postSelector is the 4-byte selector of Inbox.post(bytes).
var postSelector = crypto.Keccak256([]byte("post(bytes)"))[:4]

// PostCalldata is the call data of Inbox.post(data): the selector, the ABI
// offset and length words, and data padded to a 32-byte multiple.
func PostCalldata(data []byte) []byte {
	padded := (len(data) + 31) / 32 * 32
	out := make([]byte, 4+64+padded)
	copy(out, postSelector)
	out[4+31] = 0x20
	putWord(out[4+32:4+64], uint64(len(data)))
	copy(out[4+64:], data)
	return out
}

func putWord(w []byte, v uint64) {
	for i := range 8 {
		w[31-i] = byte(v >> (8 * i))
	}
}

// Execution gas bounds of Inbox.post, from its code (contracts/src/Inbox.sol)
// with a margin; TestPostGasBound checks them against the EVM, and
// docs/rollups.md records the measured figures.
const (
	// execBase: dispatch, ABI decoding of the bytes argument, currentSlot's
	// two immutable reads and the outer loop.
	execBase = 2_000
	// execPerBatch: the record's two storage slots, read cold then written
	// from zero (2 × (2,100 + 20,000)), the BatchPosted event (LOG4 with 96
	// bytes of data) and the header parsing: 48,430 measured.
	execPerBatch = 2*(params.ColdSloadCostEIP2929+params.SstoreSetGasEIP2200) + 5_000
	// execPerTx: per transaction, the header parsing and bounds checks, the
	// copy to memory and the two hashes, before the per-word costs below:
	// 913 measured for a 120-byte tx, 36 of it per word.
	execPerTx = 1_000
	// execPerWord: calldatacopy (3) and keccak256 (6) per 32-byte word of a tx.
	execPerWord = params.CopyGas + params.Keccak256WordGas
)

// Shape is what a post's gas depends on.
type Shape struct {
	// Batches counts batch headers (one per rollup, more for a rollup with
	// more than MaxBatchTxs transactions).
	Batches int
	// Txs counts transactions, Bytes sums their raw lengths.
	Txs, Bytes int
	// MaxTx is the longest transaction: the memory it is copied into.
	MaxTx int
}

// ShapeOf describes batches.
func ShapeOf(batches []Batch) Shape {
	var s Shape
	for _, b := range batches {
		s.Batches += max(1, (len(b.Txs)+MaxBatchTxs-1)/MaxBatchTxs)
		s.Txs += len(b.Txs)
		for _, tx := range b.Txs {
			s.Bytes += len(tx)
			s.MaxTx = max(s.MaxTx, len(tx))
		}
	}
	return s
}

// DataSize is the size of the packed data of a post of this shape.
func (s Shape) DataSize() int { return s.Batches*batchHeader + s.Txs*txHeader + s.Bytes }

// ShapeGas bounds the gas of a post of this shape whatever the bytes are: the
// call data is priced as if every byte were non-zero. Admission reserves it
// in the slot's L1 gas budget before the post exists. Zero for no batches.
func ShapeGas(s Shape) uint64 {
	if s.Batches == 0 {
		return 0
	}
	n := uint64(4 + 64 + (s.DataSize()+31)/32*32)
	return intrinsic(n*params.TxTokenPerNonZeroByte, s)
}

// PostGas bounds the gas of the post transaction carrying calldata (from
// PostCalldata) for batches of shape s: the exact intrinsic cost of the call
// data under EIP-7623 plus a bound on the execution.
func PostGas(calldata []byte, s Shape) uint64 {
	var tokens uint64
	for _, b := range calldata {
		if b == 0 {
			tokens++
		} else {
			tokens += params.TxTokenPerNonZeroByte
		}
	}
	return intrinsic(tokens, s)
}

// intrinsic is EIP-7623's charge, 21,000 + max(4·tokens + execution,
// 10·tokens), with the execution bounded from the shape.
func intrinsic(tokens uint64, s Shape) uint64 {
	words := uint64(s.Bytes/32 + s.Txs) // ⌈len/32⌉ summed is at most this
	memWords := uint64((0x80 + s.MaxTx + 31) / 32)
	exec := execBase + uint64(s.Batches)*execPerBatch + uint64(s.Txs)*execPerTx + words*execPerWord +
		memWords*params.MemoryGas + memWords*memWords/params.QuadCoeffDiv
	standard := tokens*params.TxDataZeroGas + exec
	floor := tokens * params.TxCostFloorPerToken
	return params.TxGas + max(standard, floor)
}
