package rollupnode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// ethAPI is the eth_ namespace: the subset wallets and ethclient use. Block
// tags safe, finalized and pending read the head (the L2 has no finality of
// its own here and no mempool); pending nonces count the txs this node got
// promised by the sidecar.
type ethAPI struct{ n *Node }

// ChainId is eth_chainId.
func (a *ethAPI) ChainId() hexutil.Uint64 { return hexutil.Uint64(a.n.cfg.ChainID) }

// BlockNumber is eth_blockNumber.
func (a *ethAPI) BlockNumber() hexutil.Uint64 {
	return hexutil.Uint64(a.n.chain.head().header.Number.Uint64())
}

// GasPrice is eth_gasPrice: the constant base fee plus the suggested tip.
func (a *ethAPI) GasPrice() *hexutil.Big {
	return (*hexutil.Big)(new(big.Int).Add(a.n.cfg.BaseFee, a.n.cfg.GasTip))
}

// MaxPriorityFeePerGas is eth_maxPriorityFeePerGas.
func (a *ethAPI) MaxPriorityFeePerGas() *hexutil.Big {
	return (*hexutil.Big)(new(big.Int).Set(a.n.cfg.GasTip))
}

// resolve finds the block a number, tag or hash names.
func (a *ethAPI) resolve(bnh rpc.BlockNumberOrHash) (*l2Block, error) {
	if h, ok := bnh.Hash(); ok {
		if b := a.n.chain.blockByHash(h); b != nil {
			return b, nil
		}
		return nil, fmt.Errorf("%w: %s", ErrUnknownBlock, h)
	}
	num, _ := bnh.Number()
	return a.byNumber(num)
}

// byNumber finds a block by number or tag.
func (a *ethAPI) byNumber(num rpc.BlockNumber) (*l2Block, error) {
	switch num {
	case rpc.LatestBlockNumber, rpc.PendingBlockNumber, rpc.SafeBlockNumber, rpc.FinalizedBlockNumber:
		return a.n.chain.head(), nil
	case rpc.EarliestBlockNumber:
		return a.n.chain.block(0), nil
	}
	if num < 0 {
		return nil, fmt.Errorf("%w: tag %d", ErrUnknownBlock, num)
	}
	if b := a.n.chain.block(uint64(num)); b != nil {
		return b, nil
	}
	return nil, fmt.Errorf("%w: %d", ErrUnknownBlock, num)
}

// stateAt opens the state after the named block.
func (a *ethAPI) stateAt(bnh rpc.BlockNumberOrHash) (*state.StateDB, *l2Block, error) {
	b, err := a.resolve(bnh)
	if err != nil {
		return nil, nil, err
	}
	st, err := a.n.chain.stateAt(b)
	if err != nil {
		return nil, nil, fmt.Errorf("open state of block %d: %w", b.header.Number, err)
	}
	return st, b, nil
}

// GetBalance is eth_getBalance.
func (a *ethAPI) GetBalance(addr common.Address, bnh rpc.BlockNumberOrHash) (*hexutil.Big, error) {
	st, _, err := a.stateAt(bnh)
	if err != nil {
		return nil, err
	}
	return (*hexutil.Big)(st.GetBalance(addr).ToBig()), nil
}

// GetTransactionCount is eth_getTransactionCount; "pending" also counts the
// nonces promised through this node and not yet posted.
func (a *ethAPI) GetTransactionCount(addr common.Address, bnh rpc.BlockNumberOrHash) (hexutil.Uint64, error) {
	st, _, err := a.stateAt(bnh)
	if err != nil {
		return 0, err
	}
	nonce := st.GetNonce(addr)
	if num, ok := bnh.Number(); ok && num == rpc.PendingBlockNumber {
		nonce = max(nonce, a.n.promisedNext(addr))
	}
	return hexutil.Uint64(nonce), nil
}

// GetCode is eth_getCode.
func (a *ethAPI) GetCode(addr common.Address, bnh rpc.BlockNumberOrHash) (hexutil.Bytes, error) {
	st, _, err := a.stateAt(bnh)
	if err != nil {
		return nil, err
	}
	return st.GetCode(addr), nil
}

// GetStorageAt is eth_getStorageAt.
func (a *ethAPI) GetStorageAt(addr common.Address, slot common.Hash, bnh rpc.BlockNumberOrHash) (hexutil.Bytes, error) {
	st, _, err := a.stateAt(bnh)
	if err != nil {
		return nil, err
	}
	v := st.GetState(addr, slot)
	return v[:], nil
}

// GetBlockByNumber is eth_getBlockByNumber; null for a block not derived yet.
func (a *ethAPI) GetBlockByNumber(num rpc.BlockNumber, fullTx bool) (map[string]any, error) {
	b, err := a.byNumber(num)
	if errors.Is(err, ErrUnknownBlock) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return blockJSON(b, fullTx)
}

// GetBlockByHash is eth_getBlockByHash.
func (a *ethAPI) GetBlockByHash(hash common.Hash, fullTx bool) (map[string]any, error) {
	b := a.n.chain.blockByHash(hash)
	if b == nil {
		return nil, nil
	}
	return blockJSON(b, fullTx)
}

// GetTransactionByHash is eth_getTransactionByHash; null for an unknown or
// skipped tx.
func (a *ethAPI) GetTransactionByHash(hash common.Hash) (map[string]any, error) {
	b, i, ok := a.n.chain.lookupTx(hash)
	if !ok {
		return nil, nil
	}
	return txJSON(b, i)
}

// GetTransactionReceipt is eth_getTransactionReceipt; null for an unknown or
// skipped tx (see rollup_txStatus for why it was skipped).
func (a *ethAPI) GetTransactionReceipt(hash common.Hash) (map[string]any, error) {
	b, i, ok := a.n.chain.lookupTx(hash)
	if !ok {
		return nil, nil
	}
	m, err := toMap(b.receipts[i])
	if err != nil {
		return nil, err
	}
	m["from"] = b.senders[i]
	m["to"] = b.txs[i].To()
	return m, nil
}

// SendRawTransaction is eth_sendRawTransaction: the tx is not pooled here but
// forwarded to the sidecar as an L2 inclusion request; the hash comes back
// only once the sidecar promised it.
func (a *ethAPI) SendRawTransaction(ctx context.Context, input hexutil.Bytes) (common.Hash, error) {
	return a.n.forward(ctx, input)
}

// blockJSON is the RPC form of a block: the header's fields, its hash, and
// its txs as hashes or objects.
func blockJSON(b *l2Block, fullTx bool) (map[string]any, error) {
	m, err := toMap(b.header)
	if err != nil {
		return nil, err
	}
	txs := make([]any, len(b.txs))
	for i, tx := range b.txs {
		if !fullTx {
			txs[i] = tx.Hash()
			continue
		}
		if txs[i], err = txJSON(b, i); err != nil {
			return nil, err
		}
	}
	m["hash"] = b.hash
	m["transactions"] = txs
	m["uncles"] = []common.Hash{}
	m["withdrawals"] = []*types.Withdrawal{}
	m["size"] = hexutil.Uint64(types.NewBlockWithHeader(b.header).WithBody(types.Body{Transactions: b.txs, Withdrawals: []*types.Withdrawal{}}).Size())
	return m, nil
}

// txJSON is the RPC form of the i-th tx of b.
func txJSON(b *l2Block, i int) (map[string]any, error) {
	m, err := toMap(b.txs[i])
	if err != nil {
		return nil, err
	}
	m["blockHash"] = b.hash
	m["blockNumber"] = (*hexutil.Big)(b.header.Number)
	m["transactionIndex"] = hexutil.Uint64(i)
	m["from"] = b.senders[i]
	return m, nil
}

// toMap marshals v with its own JSON form and opens it for extra fields.
func toMap(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", v, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("reopen %T: %w", v, err)
	}
	return m, nil
}

// rollupAPI is the rollup_ namespace: what eth_ cannot say about lazy
// sequencing.
type rollupAPI struct{ n *Node }

// TxStatus is one posted tx's fate.
type TxStatus struct {
	// Status is "executed", "skipped" or "unknown" (not posted, or not derived yet).
	Status string          `json:"status"`
	Block  *hexutil.Uint64 `json:"block,omitempty"`
	Reason string          `json:"reason,omitempty"`
}

// TxStatus is rollup_txStatus.
func (a *rollupAPI) TxStatus(hash common.Hash) TxStatus {
	if b, _, ok := a.n.chain.lookupTx(hash); ok {
		num := hexutil.Uint64(b.header.Number.Uint64())
		return TxStatus{Status: "executed", Block: &num}
	}
	if s, ok := a.n.chain.skippedTx(hash); ok {
		num := hexutil.Uint64(s.Block)
		return TxStatus{Status: "skipped", Block: &num, Reason: s.Reason}
	}
	return TxStatus{Status: "unknown"}
}
