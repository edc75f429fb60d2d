package api

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Backend is what the server needs from the sidecar: the admission engine's
// calls and a readiness verdict. Errors are matched against the Codes table;
// an error that matches nothing is an internal error and is never shown.
type Backend interface {
	// Request admits, signs and persists a promise, or says why not.
	Request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, error)
	// Result returns the promise stored for a request hash.
	Result(ctx context.Context, requestHash common.Hash) (*protocol.SignedCommitment, error)
	// Fee quotes the price of a request without admitting it.
	Fee(ctx context.Context, req protocol.CommitmentRequest) (*protocol.FeeInfo, error)
	// Slots lists the upcoming slots on offer.
	Slots(ctx context.Context) (*protocol.SlotInfoResponse, error)
	// Metadata answers bolt_metadata.
	Metadata(ctx context.Context) (BoltMetadata, error)
	// Ready returns nil when the sidecar can admit requests, else the reason.
	Ready() error
}

// BoltMetadata is the answer of bolt_metadata (docs/protocol.md §3.1).
type BoltMetadata struct {
	Version string     `json:"version"`
	Limits  BoltLimits `json:"limits"`
}

// BoltLimits are the limits a Bolt client reads before asking.
type BoltLimits struct {
	MaxCommittedGasPerSlot uint64 `json:"max_committed_gas_per_slot"`
	MinInclusionProfit     uint64 `json:"min_inclusion_profit"`
	MaxTxsPerRequest       uint64 `json:"max_txs_per_request"`
}

// BoltInclusionResult is the answer of bolt_requestInclusion: Bolt's fields,
// with signature the EIP-712 promise signature, plus the full envelope.
type BoltInclusionResult struct {
	Slot       uint64                     `json:"slot"`
	Txs        []hexutil.Bytes            `json:"txs"`
	Signature  hexutil.Bytes              `json:"signature"`
	Commitment *protocol.SignedCommitment `json:"commitment"`
}
