package rollupnode_test

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// answerCode returns 42 as one word: PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
var answerCode = []byte{0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3}

func TestCallAndEstimateGas(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	answer := common.HexToAddress("0x00000000000000000000000000000000000a2a01")
	reverter := common.HexToAddress("0x00000000000000000000000000000000000bad01")
	cfg := e.config(chainA)
	cfg.Genesis[answer] = typesAccount(answerCode)
	cfg.Genesis[reverter] = typesAccount(revertCode)
	n := e.start(cfg)
	ctx := context.Background()
	from := e.l2Addr(0)

	out, err := n.eth.CallContract(ctx, ethereum.CallMsg{From: from, To: &answer}, nil)
	if err != nil || new(big.Int).SetBytes(out).Int64() != 42 || len(out) != 32 {
		t.Fatalf("call: %x, %v; want the word 42", out, err)
	}
	if code, err := n.eth.CodeAt(ctx, answer, nil); err != nil || string(code) != string(answerCode) {
		t.Fatalf("code %x, %v", code, err)
	}
	_, err = n.eth.CallContract(ctx, ethereum.CallMsg{From: from, To: &reverter}, nil)
	var rerr rpc.Error
	if !errors.As(err, &rerr) || rerr.ErrorCode() != 3 {
		t.Fatalf("call of a reverting contract: %v; want code 3", err)
	}

	to := e.l2Addr(1)
	gas, err := n.eth.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Value: ether(1)})
	if err != nil || gas != params.TxGas {
		t.Fatalf("estimate of a transfer: %d, %v; want %d", gas, err, params.TxGas)
	}
	poor := e.l2Addr(2)
	if _, err := n.eth.EstimateGas(ctx, ethereum.CallMsg{From: poor, To: &to, Value: ether(1)}); err == nil {
		t.Fatal("estimate of a transfer the sender cannot pay succeeded")
	}
	if _, err := n.eth.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &reverter}); !errors.As(err, &rerr) || rerr.ErrorCode() != 3 {
		t.Fatalf("estimate of a reverting call: %v; want code 3", err)
	}
}
