package protocol

import (
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
// Commitments API and the calldata form the Slasher decodes.
func (p *Promise) MarshalABI() ([]byte, error) {
	ap := abiPromise{
		CommitmentType: p.CommitmentType,
		Operator:       p.Operator,
		Slot:           p.Slot,
		Inclusions:     make([]abiInclusion, len(p.Inclusions)),
		SlashAmount:    orZero(p.SlashAmount),
		RequestHash:    p.RequestHash,
	}
	for i, inc := range p.Inclusions {
		ap.Inclusions[i] = abiInclusion{
			ChainId:          inc.ChainID,
			TxHash:           inc.TxHash,
			Sender:           inc.Sender,
			Nonce:            inc.Nonce,
			MaxFeePerGas:     orZero(inc.MaxFeePerGas),
			MaxFeePerBlobGas: orZero(inc.MaxFeePerBlobGas),
			GasLimit:         inc.GasLimit,
			MaxCost:          orZero(inc.MaxCost),
		}
	}
	out, err := promiseArgs.Pack(ap)
	if err != nil {
		return nil, fmt.Errorf("abi-encode promise: %w", err)
	}
	return out, nil
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
