package rollupnode

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/holiman/uint256"
)

// CallArgs are the arguments of eth_call and eth_estimateGas. Fees are
// ignored: calls run with a zero gas price, as geth's do.
type CallArgs struct {
	From       *common.Address   `json:"from"`
	To         *common.Address   `json:"to"`
	Gas        *hexutil.Uint64   `json:"gas"`
	Value      *hexutil.Big      `json:"value"`
	Data       *hexutil.Bytes    `json:"data"`
	Input      *hexutil.Bytes    `json:"input"`
	AccessList *types.AccessList `json:"accessList"`
	// Fee fields are accepted so wallets can send them.
	GasPrice             *hexutil.Big `json:"gasPrice"`
	MaxFeePerGas         *hexutil.Big `json:"maxFeePerGas"`
	MaxPriorityFeePerGas *hexutil.Big `json:"maxPriorityFeePerGas"`
}

// message turns args into a message with gas limit gas.
func (args *CallArgs) message(gas uint64) *core.Message {
	msg := &core.Message{
		To:        args.To,
		GasLimit:  gas,
		Value:     new(uint256.Int),
		GasPrice:  new(uint256.Int),
		GasFeeCap: new(uint256.Int),
		GasTipCap: new(uint256.Int),
	}
	if args.From != nil {
		msg.From = *args.From
	}
	if args.Value != nil {
		msg.Value = uint256.MustFromBig((*big.Int)(args.Value))
	}
	switch {
	case args.Input != nil:
		msg.Data = *args.Input
	case args.Data != nil:
		msg.Data = *args.Data
	}
	if args.AccessList != nil {
		msg.AccessList = *args.AccessList
	}
	return msg.SkipNonceCheck().SkipEOACheck()
}

// run executes args on the state after block b without keeping the changes.
func (a *ethAPI) run(args *CallArgs, b *l2Block, gas uint64) (*core.ExecutionResult, error) {
	st, err := a.n.chain.stateAt(b)
	if err != nil {
		return nil, fmt.Errorf("open state of block %d: %w", b.header.Number, err)
	}
	evm := vm.NewEVM(a.n.chain.blockContext(b.header), st, a.n.chain.config, vm.Config{NoBaseFee: true})
	defer evm.Release()
	return core.ApplyMessage(evm, args.message(gas), core.NewGasPool(gas))
}

// callBlock is the block a call runs on: the head unless named.
func (a *ethAPI) callBlock(bnh *rpc.BlockNumberOrHash) (*l2Block, error) {
	if bnh == nil {
		return a.n.chain.head(), nil
	}
	return a.resolve(*bnh)
}

// Call is eth_call; a revert is error code 3 with the revert data, as geth answers.
func (a *ethAPI) Call(args CallArgs, bnh *rpc.BlockNumberOrHash) (hexutil.Bytes, error) {
	b, err := a.callBlock(bnh)
	if err != nil {
		return nil, err
	}
	gas := b.header.GasLimit
	if args.Gas != nil {
		gas = uint64(*args.Gas)
	}
	res, err := a.run(&args, b, gas)
	if err != nil {
		return nil, err
	}
	if err := callFailure(res); err != nil {
		return nil, err
	}
	return res.Return(), nil
}

// EstimateGas is eth_estimateGas: the least gas limit with which the call
// succeeds, found by bisection between the gas it used and the block limit.
func (a *ethAPI) EstimateGas(args CallArgs, bnh *rpc.BlockNumberOrHash) (hexutil.Uint64, error) {
	b, err := a.callBlock(bnh)
	if err != nil {
		return 0, err
	}
	hi := b.header.GasLimit
	if args.Gas != nil {
		hi = min(hi, uint64(*args.Gas))
	}
	res, err := a.run(&args, b, hi)
	if err != nil {
		return 0, err
	}
	if err := callFailure(res); err != nil {
		return 0, err
	}
	// Refunds and the 63/64 rule make the gas used a lower bound only.
	lo := res.UsedGas - 1
	for lo+1 < hi {
		mid := lo + (hi-lo)/2
		res, err := a.run(&args, b, mid)
		if err != nil || res.Failed() {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hexutil.Uint64(hi), nil
}

// callFailure is the JSON-RPC error of a failed call, nil when it succeeded.
func callFailure(res *core.ExecutionResult) error {
	if !res.Failed() {
		return nil
	}
	if errors.Is(res.Err, vm.ErrExecutionReverted) {
		return &rpcError{code: codeReverted, err: res.Err, data: hexutil.Bytes(res.Revert())}
	}
	return &rpcError{code: codeServerError, err: res.Err}
}
