package stack

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/internal/rollupnode"
)

// receiptLogs is the rollup nodes' L1 client. The in-process execution node
// registers no filter API (no eth_getLogs), so FilterLogs reads the logs
// from each block's receipts instead; everything else is the ethclient's.
type receiptLogs struct{ *ethclient.Client }

var _ rollupnode.L1Client = receiptLogs{}

// errNoSubscriptions: the devnet's L1 is read over HTTP, by polling.
var errNoSubscriptions = errors.New("log subscriptions are not served; poll FilterLogs")

// FilterLogs returns the logs of q's blocks matching its addresses and topics.
func (c receiptLogs) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	var blocks []rpc.BlockNumberOrHash
	if q.BlockHash != nil {
		blocks = append(blocks, rpc.BlockNumberOrHashWithHash(*q.BlockHash, false))
	} else {
		from, to := uint64(0), uint64(0)
		if q.FromBlock != nil {
			from = q.FromBlock.Uint64()
		}
		if q.ToBlock != nil {
			to = q.ToBlock.Uint64()
		} else {
			head, err := c.BlockNumber(ctx)
			if err != nil {
				return nil, fmt.Errorf("filter logs: head: %w", err)
			}
			to = head
		}
		for n := from; n <= to; n++ {
			blocks = append(blocks, rpc.BlockNumberOrHashWithNumber(rpc.BlockNumber(new(big.Int).SetUint64(n).Int64())))
		}
	}
	var out []types.Log
	for _, b := range blocks {
		receipts, err := c.BlockReceipts(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("filter logs: receipts of block %s: %w", b.String(), err)
		}
		for _, r := range receipts {
			for _, l := range r.Logs {
				if matches(q, l) {
					out = append(out, *l)
				}
			}
		}
	}
	return out, nil
}

// SubscribeFilterLogs is not served.
func (receiptLogs) SubscribeFilterLogs(context.Context, ethereum.FilterQuery, chan<- types.Log) (ethereum.Subscription, error) {
	return nil, errNoSubscriptions
}

// matches applies eth_getLogs' address and positional topic rules.
func matches(q ethereum.FilterQuery, l *types.Log) bool {
	if len(q.Addresses) > 0 && !slices.Contains(q.Addresses, l.Address) {
		return false
	}
	if len(q.Topics) > len(l.Topics) {
		return false
	}
	for i, alts := range q.Topics {
		if len(alts) > 0 && !slices.Contains(alts, l.Topics[i]) {
			return false
		}
	}
	return true
}
