package chainstate

import (
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// reserveBaseFee is a base fee high enough that EIP-7918's reserve price
// decides a parent's excess blob gas: the bound takes both branches.
var reserveBaseFee = new(big.Int).Lsh(common.Big1, 200)

// MaxExcessBlobGas returns an upper bound of the excess blob gas of a block
// at the last of slotTimes, built on head. slotTimes are the start times of
// the slots after head's, up to the block's own: a block may come in each of
// them, and each may be full of blobs. Each step is go-ethereum's own
// eip4844.CalcExcessBlobGas with the config's blob schedule at the child's
// time (so a BPO fork in between is accounted for), over a parent with the
// highest excess any block of the earlier slots can have and the most blob
// gas any of them can use, under both of EIP-7918's branches; a block's
// parent may also be head itself, with its actual fields. Zero when blobs are
// not active at the last time.
func MaxExcessBlobGas(config *params.ChainConfig, head *types.Header, slotTimes []uint64) uint64 {
	var (
		// bound and used cover the slots before the current one: the
		// highest excess a block there can have, the most blob gas it can
		// use. Both only grow: a block's parent may be in any earlier slot.
		bound, used uint64
		excess      uint64
		blobs       bool // a slot before the current one can hold blobs
	)
	for _, t := range slotTimes {
		excess = 0
		if !config.IsCancun(config.LondonBlock, t) {
			continue
		}
		excess = eip4844.CalcExcessBlobGas(config, head, t)
		if blobs {
			for _, fee := range []*big.Int{common.Big0, reserveBaseFee} {
				parent := &types.Header{ExcessBlobGas: &bound, BlobGasUsed: &used, BaseFee: fee}
				excess = max(excess, eip4844.CalcExcessBlobGas(config, parent, t))
			}
		}
		bound = max(bound, excess)
		used = max(used, eip4844.MaxBlobGasPerBlock(config, t))
		blobs = true
	}
	return excess
}

// ProjectHeader returns the header of a block at the last of slotTimes, built
// on head with a block in every slot between (slotTimes as for
// MaxExcessBlobGas), as far as the rules a transaction meets go: its number
// if no slot is missed, its time, head's gas limit and the highest base fee
// it can have (MaxBaseFeeAfter). With blobs, and once blobs are active, it
// also holds the highest excess blob gas the block can have
// (MaxExcessBlobGas), so that eip4844.CalcBlobFee of it is the highest blob
// base fee; that bound costs a few microseconds per slot, so it is left out
// when no blob transaction is to be judged.
func ProjectHeader(config *params.ChainConfig, head *types.Header, slotTimes []uint64, blobs bool) (*types.Header, error) {
	switch {
	case len(slotTimes) == 0:
		return nil, errors.New("project header: no slot after the head")
	case head.BaseFee == nil:
		return nil, errors.New("project header: the head has no base fee")
	}
	n := uint64(len(slotTimes))
	t := slotTimes[n-1]
	h := &types.Header{
		Number:     new(big.Int).Add(head.Number, new(big.Int).SetUint64(n)),
		Time:       t,
		GasLimit:   head.GasLimit,
		BaseFee:    MaxBaseFeeAfter(head.BaseFee, head.GasLimit, n),
		Difficulty: new(big.Int),
	}
	if blobs && config.IsCancun(config.LondonBlock, t) {
		excess, used := MaxExcessBlobGas(config, head, slotTimes), uint64(0)
		h.ExcessBlobGas, h.BlobGasUsed = &excess, &used
	}
	return h, nil
}
