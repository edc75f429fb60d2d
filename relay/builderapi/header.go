package builderapi

import (
	"fmt"

	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// withdrawalsList is List[Withdrawal, 16]; a one-field container's root is
// its field's root, so hashing it gives withdrawals_root.
type withdrawalsList struct {
	Withdrawals []*capella.Withdrawal `ssz-max:"16"`
}

// HeaderFromPayload returns the ExecutionPayloadHeader of p: the payload's
// fields with transactions_root and withdrawals_root in place of the lists.
func HeaderFromPayload(p *deneb.ExecutionPayload) (*deneb.ExecutionPayloadHeader, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: nil payload", ErrMalformed)
	}
	if len(p.Withdrawals) > MaxWithdrawalsPerPayload {
		return nil, fmt.Errorf("%w: %d withdrawals", ErrMalformed, len(p.Withdrawals))
	}
	txs := make([][]byte, len(p.Transactions))
	for i, tx := range p.Transactions {
		txs[i] = tx
	}
	wl := withdrawalsList{Withdrawals: p.Withdrawals}
	if wl.Withdrawals == nil {
		wl.Withdrawals = []*capella.Withdrawal{}
	}
	wroot, err := sszCodec.HashTreeRoot(&wl)
	if err != nil {
		return nil, fmt.Errorf("%w: withdrawals root: %w", ErrMalformed, err)
	}
	baseFee := p.BaseFeePerGas
	if baseFee == nil {
		baseFee = new(uint256.Int)
	}
	return &deneb.ExecutionPayloadHeader{
		ParentHash:       p.ParentHash,
		FeeRecipient:     p.FeeRecipient,
		StateRoot:        p.StateRoot,
		ReceiptsRoot:     p.ReceiptsRoot,
		LogsBloom:        p.LogsBloom,
		PrevRandao:       p.PrevRandao,
		BlockNumber:      p.BlockNumber,
		GasLimit:         p.GasLimit,
		GasUsed:          p.GasUsed,
		Timestamp:        p.Timestamp,
		ExtraData:        append([]byte{}, p.ExtraData...),
		BaseFeePerGas:    new(uint256.Int).Set(baseFee),
		BlockHash:        p.BlockHash,
		TransactionsRoot: protocol.TransactionsRoot(txs),
		WithdrawalsRoot:  wroot,
		BlobGasUsed:      p.BlobGasUsed,
		ExcessBlobGas:    p.ExcessBlobGas,
	}, nil
}
