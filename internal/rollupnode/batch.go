package rollupnode

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/pledgeproto/pledge/contracts/bindings"
)

// Batch is one rollup's part of an Inbox.post call: the raw L2 transactions
// (EIP-2718 network encoding) posted for ChainID, in posting order.
type Batch struct {
	ChainID uint64
	Txs     [][]byte
}

// Sizes of the packed encoding's headers.
const (
	batchHeaderLen = 8 + 2 // chainId:uint64 ‖ txCount:uint16
	txHeaderLen    = 3     // length:uint24
)

// DecodePost splits the argument of Inbox.post into its batches:
// (chainId:uint64 ‖ txCount:uint16 ‖ (length:uint24 ‖ rawTx)×txCount)+, big
// endian, no padding. It refuses exactly what the contract refuses (an empty
// post, a batch with no tx, an empty tx, anything truncated), so a post the
// Inbox accepted always decodes. The txs alias data.
func DecodePost(data []byte) ([]Batch, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty post", ErrMalformedPost)
	}
	var out []Batch
	off := 0
	for off < len(data) {
		if len(data)-off < batchHeaderLen {
			return nil, fmt.Errorf("%w: truncated batch header at offset %d", ErrMalformedPost, off)
		}
		b := Batch{ChainID: binary.BigEndian.Uint64(data[off:])}
		n := int(binary.BigEndian.Uint16(data[off+8:]))
		if n == 0 {
			return nil, fmt.Errorf("%w: batch for chain %d at offset %d has no tx", ErrMalformedPost, b.ChainID, off)
		}
		off += batchHeaderLen
		b.Txs = make([][]byte, 0, n)
		for range n {
			if len(data)-off < txHeaderLen {
				return nil, fmt.Errorf("%w: truncated tx length at offset %d", ErrMalformedPost, off)
			}
			l := int(data[off])<<16 | int(data[off+1])<<8 | int(data[off+2])
			if l == 0 {
				return nil, fmt.Errorf("%w: empty tx at offset %d", ErrMalformedPost, off)
			}
			off += txHeaderLen
			if len(data)-off < l {
				return nil, fmt.Errorf("%w: tx of %d bytes at offset %d overruns the post", ErrMalformedPost, l, off)
			}
			b.Txs = append(b.Txs, data[off:off+l:off+l])
			off += l
		}
		out = append(out, b)
	}
	return out, nil
}

// EncodePost is the inverse of DecodePost, for tests and tools that post
// batches. It does not check the limits (uint16 txs, uint24 bytes per tx).
func EncodePost(batches ...Batch) []byte {
	var out []byte
	for _, b := range batches {
		out = binary.BigEndian.AppendUint64(out, b.ChainID)
		out = binary.BigEndian.AppendUint16(out, uint16(len(b.Txs)))
		for _, tx := range b.Txs {
			out = append(out, byte(len(tx)>>16), byte(len(tx)>>8), byte(len(tx)))
			out = append(out, tx...)
		}
	}
	return out
}

// Fold extends the Inbox accumulator over txs:
// acc_{i+1} = keccak256(acc_i ‖ keccak256(rawTx_i)), acc_0 = 0x00…00.
func Fold(acc common.Hash, txs ...[]byte) common.Hash {
	var buf [64]byte
	for _, tx := range txs {
		copy(buf[:32], acc[:])
		copy(buf[32:], crypto.Keccak256(tx))
		acc = crypto.Keccak256Hash(buf[:])
	}
	return acc
}

// postMethod is Inbox.post in the generated bindings' ABI.
var postMethod = func() abi.Method {
	parsed, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		panic(fmt.Sprintf("rollupnode: Inbox ABI: %v", err))
	}
	m, ok := parsed.Methods["post"]
	if !ok {
		panic("rollupnode: Inbox ABI has no post method")
	}
	return m
}()

// PostArgument returns the bytes argument of an Inbox.post call's calldata.
func PostArgument(calldata []byte) ([]byte, error) {
	if len(calldata) < 4 || !bytes.Equal(calldata[:4], postMethod.ID) {
		return nil, fmt.Errorf("%w: calldata does not start with post's selector", ErrNotAPost)
	}
	vals, err := postMethod.Inputs.Unpack(calldata[4:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAPost, err)
	}
	data, ok := vals[0].([]byte)
	if !ok || len(vals) != 1 {
		return nil, fmt.Errorf("%w: post's argument is not bytes", ErrNotAPost)
	}
	return data, nil
}

// PostCalldata is the calldata of Inbox.post(data), for tests and tools.
func PostCalldata(data []byte) ([]byte, error) {
	args, err := postMethod.Inputs.Pack(data)
	if err != nil {
		return nil, fmt.Errorf("pack post: %w", err)
	}
	return append(append([]byte{}, postMethod.ID...), args...), nil
}
