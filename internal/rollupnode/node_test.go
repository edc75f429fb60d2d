package rollupnode_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// One L1 call carries batches of two rollups (A twice); each node executes
// only its own txs, in posting order, and serves them through ethclient.
func TestNodeExecutesOnlyItsBatchesInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.start(e.config(chainA)), e.start(e.config(chainB))
	alice, bob, carol := e.keys[0], e.l2Addr(1), e.l2Addr(2)

	// Consecutive nonces: executed out of order, the later ones would be skipped.
	a0 := transfer(t, alice, chainA, 0, carol, ether(1))
	a1 := transfer(t, alice, chainA, 1, carol, ether(2))
	a2 := transfer(t, alice, chainA, 2, carol, ether(3))
	b0 := transfer(t, alice, chainB, 0, bob, ether(5))
	l1r := e.post(
		rollup.Batch{ChainID: chainA, Txs: raws(t, a0, a1)},
		rollup.Batch{ChainID: chainB, Txs: raws(t, b0)},
		rollup.Batch{ChainID: chainA, Txs: raws(t, a2)},
	)
	if len(l1r.Logs) != 3 {
		t.Fatalf("post emitted %d events, want 3", len(l1r.Logs))
	}
	a.sync(t)
	b.sync(t)

	ctx := context.Background()
	l1Block, err := e.l1.Client.HeaderByNumber(ctx, l1r.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	head, err := a.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if head.Number.Uint64() != 1 || head.Time != l1Block.Time || head.Coinbase != rollupnode.DefaultFeeRecipient {
		t.Fatalf("A head: number %d time %d coinbase %s; want 1, %d, %s", head.Number, head.Time, head.Coinbase, l1Block.Time, rollupnode.DefaultFeeRecipient)
	}
	// The header JSON must round-trip exactly: ethclient recomputes the hash from it.
	if head.Hash() != a.Head().Hash() {
		t.Fatalf("header over RPC hashes to %s, node's head is %s", head.Hash(), a.Head().Hash())
	}
	for i, tx := range []*types.Transaction{a0, a1, a2} {
		r := a.receipt(t, tx.Hash())
		if r.Status != types.ReceiptStatusSuccessful || r.TransactionIndex != uint(i) || r.BlockHash != head.Hash() || r.BlockNumber.Uint64() != 1 {
			t.Fatalf("receipt of A tx %d: status %d index %d block %s/%d", i, r.Status, r.TransactionIndex, r.BlockHash, r.BlockNumber)
		}
	}
	a.noReceipt(t, b0.Hash())
	b.noReceipt(t, a0.Hash())
	if r := b.receipt(t, b0.Hash()); r.Status != types.ReceiptStatusSuccessful || r.TransactionIndex != 0 {
		t.Fatalf("receipt of B tx: status %d index %d", r.Status, r.TransactionIndex)
	}

	if got := a.balance(t, carol); got.Cmp(ether(6)) != 0 {
		t.Fatalf("carol on A has %s, want 6 ether", got)
	}
	if got := b.balance(t, carol); got.Sign() != 0 {
		t.Fatalf("carol on B has %s, want 0", got)
	}
	if got := b.balance(t, bob); got.Cmp(new(big.Int).Add(l2Funding, ether(5))) != 0 {
		t.Fatalf("bob on B has %s, want funding + 5 ether", got)
	}
	if n := a.nonce(t, e.l2Addr(0)); n != 3 {
		t.Fatalf("alice's nonce on A is %d, want 3", n)
	}
	if n := b.nonce(t, e.l2Addr(0)); n != 1 {
		t.Fatalf("alice's nonce on B is %d, want 1", n)
	}
	// Alice paid value + gas at base fee + tip; the tips went to the fee recipient.
	gas := new(big.Int).SetUint64(3 * params.TxGas)
	tips := new(big.Int).Mul(gas, big.NewInt(params.GWei))
	if got := a.balance(t, rollupnode.DefaultFeeRecipient); got.Cmp(tips) != 0 {
		t.Fatalf("fee recipient got %s, want %s", got, tips)
	}
	spent := new(big.Int).Add(ether(6), new(big.Int).Mul(gas, big.NewInt(2*params.GWei)))
	if got := a.balance(t, e.l2Addr(0)); got.Cmp(new(big.Int).Sub(l2Funding, spent)) != 0 {
		t.Fatalf("alice on A has %s, want %s", got, new(big.Int).Sub(l2Funding, spent))
	}
	blk, err := a.eth.BlockByNumber(ctx, big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	if blk.Hash() != head.Hash() || len(blk.Transactions()) != 3 || blk.Transactions()[2].Hash() != a2.Hash() {
		t.Fatalf("block 1 over RPC: hash %s, %d txs", blk.Hash(), len(blk.Transactions()))
	}
	if id, err := a.eth.ChainID(ctx); err != nil || id.Uint64() != chainA {
		t.Fatalf("chain id %v, %v", id, err)
	}
	if n, err := a.eth.BlockNumber(ctx); err != nil || n != 1 {
		t.Fatalf("block number %d, %v", n, err)
	}

	// An L1 block without batches for A makes no L2 block; the next batch does.
	e.l1.Commit()
	a3 := transfer(t, alice, chainA, 3, carol, ether(1))
	e.post(rollup.Batch{ChainID: chainA, Txs: raws(t, a3)})
	a.sync(t)
	if r := a.receipt(t, a3.Hash()); r.BlockNumber.Uint64() != 2 {
		t.Fatalf("next batch in L2 block %d, want 2", r.BlockNumber)
	}
	// History stays readable.
	if got, err := a.eth.BalanceAt(ctx, carol, big.NewInt(1)); err != nil || got.Cmp(ether(6)) != 0 {
		t.Fatalf("carol at block 1: %s, %v", got, err)
	}
}

// revertCode is a contract that always reverts: PUSH1 0 PUSH1 0 REVERT.
var revertCode = []byte{0x60, 0x00, 0x60, 0x00, 0xfd}

// Lazy sequencing: invalid txs of a batch are skipped and recorded, the
// valid ones around them execute; a reverting tx is valid and gets a receipt.
func TestNodeSkipsInvalidTxs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reverter := common.HexToAddress("0x00000000000000000000000000000000000bad01")
	cfg := e.config(chainA)
	cfg.Genesis[reverter] = types.Account{Code: revertCode, Balance: new(big.Int)}
	n := e.start(cfg)
	alice, poor, dst := e.keys[0], e.keys[2], e.l2Addr(1)

	first := transfer(t, alice, chainA, 0, dst, ether(1))
	reverts := signTx(t, alice, chainA, &types.DynamicFeeTx{Nonce: 1, GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(3 * params.GWei), Gas: 50_000, To: &reverter})
	last := transfer(t, alice, chainA, 2, dst, ether(1))
	invalid := []struct {
		name   string
		raw    []byte
		reason string
	}{
		{"nonce gap", raw(t, transfer(t, alice, chainA, 7, dst, ether(1))), "nonce too high"},
		{"nonce reused", raw(t, transfer(t, alice, chainA, 0, dst, ether(2))), "nonce too low"},
		{"insufficient funds", raw(t, transfer(t, poor, chainA, 0, dst, ether(1))), "insufficient funds"},
		{"wrong chain id", raw(t, transfer(t, alice, chainB, 2, dst, ether(1))), "chain id"},
		{"not a transaction", []byte{0x02, 0xde, 0xad}, "undecodable"},
		{"fee cap below base fee", raw(t, signTx(t, alice, chainA, &types.DynamicFeeTx{Nonce: 2, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(params.GWei / 2), Gas: params.TxGas, To: &dst})), "max fee per gas less than block base fee"},
	}
	batch := [][]byte{raw(t, first), raw(t, reverts)}
	for _, c := range invalid {
		batch = append(batch, c.raw)
	}
	batch = append(batch, raw(t, last))
	e.post(rollup.Batch{ChainID: chainA, Txs: batch})
	n.sync(t)

	for i, c := range []struct {
		tx     *types.Transaction
		status uint64
	}{{first, types.ReceiptStatusSuccessful}, {reverts, types.ReceiptStatusFailed}, {last, types.ReceiptStatusSuccessful}} {
		r := n.receipt(t, c.tx.Hash())
		if r.Status != c.status || r.TransactionIndex != uint(i) {
			t.Fatalf("receipt %d: status %d index %d, want %d and %d", i, r.Status, r.TransactionIndex, c.status, i)
		}
	}
	if got := n.nonce(t, e.l2Addr(0)); got != 3 {
		t.Fatalf("alice's nonce %d, want 3", got)
	}
	if got := n.balance(t, dst); got.Cmp(new(big.Int).Add(l2Funding, ether(2))) != 0 {
		t.Fatalf("dst has %s, want funding + 2 ether", got)
	}
	for _, c := range invalid {
		t.Run(c.name, func(t *testing.T) {
			h := crypto.Keccak256Hash(c.raw)
			if tx := new(types.Transaction); tx.UnmarshalBinary(c.raw) == nil {
				h = tx.Hash()
			}
			n.noReceipt(t, h)
			var st rollupnode.TxStatus
			if err := n.eth.Client().CallContext(context.Background(), &st, "rollup_txStatus", h); err != nil {
				t.Fatal(err)
			}
			if st.Status != "skipped" || st.Block == nil || *st.Block != 1 || !strings.Contains(st.Reason, c.reason) {
				t.Fatalf("status %+v, want skipped in block 1 for %q", st, c.reason)
			}
			if s, ok := n.Skipped(h); !ok || s.Reason != st.Reason {
				t.Fatalf("Skipped(%s) = %+v, %v", h, s, ok)
			}
		})
	}
	var st rollupnode.TxStatus
	if err := n.eth.Client().CallContext(context.Background(), &st, "rollup_txStatus", first.Hash()); err != nil || st.Status != "executed" {
		t.Fatalf("status of an executed tx: %+v, %v", st, err)
	}
}
