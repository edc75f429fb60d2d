package protocol

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// MaxPromisePayload bounds an ABI-encoded promise: a full bundle takes
// 7*32 + 32 + 16*8*32 = 4,352 bytes, so anything much larger is not a promise.
const MaxPromisePayload = 8 << 10

// promiseArgs is the ABI signature of Commitment.payload: one tuple that
// Solidity decodes with abi.decode(payload, (Promise)).
var promiseArgs = func() abi.Arguments {
	t, err := abi.NewType("tuple", "Promise", []abi.ArgumentMarshaling{
		{Name: "commitmentType", Type: "uint64"},
		{Name: "operator", Type: "address"},
		{Name: "slot", Type: "uint64"},
		{Name: "inclusions", Type: "tuple[]", InternalType: "Inclusion[]", Components: []abi.ArgumentMarshaling{
			{Name: "chainId", Type: "uint64"},
			{Name: "txHash", Type: "bytes32"},
			{Name: "sender", Type: "address"},
			{Name: "nonce", Type: "uint64"},
			{Name: "maxFeePerGas", Type: "uint256"},
			{Name: "maxFeePerBlobGas", Type: "uint256"},
			{Name: "gasLimit", Type: "uint64"},
			{Name: "maxCost", Type: "uint256"},
		}},
		{Name: "slashAmount", Type: "uint256"},
		{Name: "requestHash", Type: "bytes32"},
	})
	if err != nil {
		panic(err) // the type above is a constant
	}
	return abi.Arguments{{Type: t}}
}()

// abiInclusion and abiPromise mirror the tuple for go-ethereum's abi package,
// which matches struct fields by name.
type abiInclusion struct {
	ChainId          uint64 //nolint:revive // name fixed by the ABI component "chainId"
	TxHash           [32]byte
	Sender           common.Address
	Nonce            uint64
	MaxFeePerGas     *big.Int
	MaxFeePerBlobGas *big.Int
	GasLimit         uint64
	MaxCost          *big.Int
}

type abiPromise struct {
	CommitmentType uint64
	Operator       common.Address
	Slot           uint64
	Inclusions     []abiInclusion
	SlashAmount    *big.Int
	RequestHash    [32]byte
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// MarshalABI returns abi.encode(promise), the Commitment.payload of the
// Commitments API and the calldata form the Slasher decodes. It writes the
// words directly (every promise the sidecar signs is encoded here, and
// go-ethereum's reflective packer cost more than the rest of the encoding);
// TestMarshalABIMatchesPacker holds it to promiseArgs.Pack.
//
// Layout: the offset of the one dynamic tuple (0x20); the tuple's head
// (commitmentType, operator, slot, offset of inclusions = 6 words,
// slashAmount, requestHash); the inclusions' length and each inclusion's 8
// static words.
func (p *Promise) MarshalABI() ([]byte, error) { return p.encodeABI(putUint256) }

// lenientABI encodes like MarshalABI but cuts amounts to their low 256 bits
// instead of failing, for digests of promises Validate would refuse.
func (p *Promise) lenientABI() []byte {
	out, _ := p.encodeABI(func(w []byte, v *big.Int) error { putBigWord(w, v); return nil })
	return out
}

func (p *Promise) encodeABI(putUint256 func([]byte, *big.Int) error) ([]byte, error) {
	const headWords = 6
	n := len(p.Inclusions)
	out := make([]byte, 32*(1+headWords+1+8*n))
	word := func(i int) []byte { return out[32*i : 32*i+32] }
	putUint64(word(0), 32)
	putUint64(word(1), p.CommitmentType)
	copy(word(2)[12:], p.Operator[:])
	putUint64(word(3), p.Slot)
	putUint64(word(4), 32*headWords)
	if err := putUint256(word(5), p.SlashAmount); err != nil {
		return nil, fmt.Errorf("abi-encode promise: slash amount: %w", err)
	}
	copy(word(6), p.RequestHash[:])
	putUint64(word(7), uint64(n))
	for i := range p.Inclusions {
		inc := &p.Inclusions[i]
		w := 8 + 8*i
		putUint64(word(w), inc.ChainID)
		copy(word(w+1), inc.TxHash[:])
		copy(word(w + 2)[12:], inc.Sender[:])
		putUint64(word(w+3), inc.Nonce)
		for j, v := range [...]*big.Int{inc.MaxFeePerGas, inc.MaxFeePerBlobGas} {
			if err := putUint256(word(w+4+j), v); err != nil {
				return nil, fmt.Errorf("abi-encode promise: inclusion %d: %w", i, err)
			}
		}
		putUint64(word(w+6), inc.GasLimit)
		if err := putUint256(word(w+7), inc.MaxCost); err != nil {
			return nil, fmt.Errorf("abi-encode promise: inclusion %d: max cost: %w", i, err)
		}
	}
	return out, nil
}

// putUint64 writes v big-endian into the low 8 bytes of a zeroed word.
func putUint64(w []byte, v uint64) { binary.BigEndian.PutUint64(w[24:], v) }

// putUint256 writes v (nil is zero) into a word, refusing what a uint256
// cannot hold.
func putUint256(w []byte, v *big.Int) error {
	switch {
	case v == nil:
		return nil
	case v.Sign() < 0:
		return fmt.Errorf("%w: %v is negative", ErrBadAmount, v)
	case v.BitLen() > 256:
		return fmt.Errorf("%w: %v exceeds 256 bits", ErrBadAmount, v)
	}
	v.FillBytes(w)
	return nil
}

// UnmarshalPromiseABI decodes abi.encode(promise). It checks the encoding only;
// call Validate for the protocol rules.
func UnmarshalPromiseABI(data []byte) (*Promise, error) {
	if len(data) > MaxPromisePayload {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrMalformedPayload, len(data), MaxPromisePayload)
	}
	vals, err := promiseArgs.Unpack(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedPayload, err)
	}
	if len(vals) != 1 {
		return nil, fmt.Errorf("%w: want one tuple", ErrMalformedPayload)
	}
	ap, ok := abi.ConvertType(vals[0], new(abiPromise)).(*abiPromise)
	if !ok {
		return nil, fmt.Errorf("%w: not a promise tuple", ErrMalformedPayload)
	}
	p := &Promise{
		CommitmentType: ap.CommitmentType,
		Operator:       ap.Operator,
		Slot:           ap.Slot,
		Inclusions:     make([]Inclusion, len(ap.Inclusions)),
		SlashAmount:    ap.SlashAmount,
		RequestHash:    ap.RequestHash,
	}
	for i, inc := range ap.Inclusions {
		p.Inclusions[i] = Inclusion{
			ChainID:          inc.ChainId,
			TxHash:           inc.TxHash,
			Sender:           inc.Sender,
			Nonce:            inc.Nonce,
			MaxFeePerGas:     inc.MaxFeePerGas,
			MaxFeePerBlobGas: inc.MaxFeePerBlobGas,
			GasLimit:         inc.GasLimit,
			MaxCost:          inc.MaxCost,
		}
	}
	// abi.Unpack accepts trailing bytes and non-canonical offsets; a payload is
	// only valid in its one canonical encoding, so re-encode and compare.
	canon, err := p.MarshalABI()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedPayload, err)
	}
	if string(canon) != string(data) {
		return nil, fmt.Errorf("%w: not the canonical ABI encoding", ErrMalformedPayload)
	}
	return p, nil
}
