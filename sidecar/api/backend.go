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

// BoltMetadata is what the backend reports for bolt_metadata. The server
// answers it in Bolt's form (boltMetadataAnswer): the limits flattened beside
// the version.
type BoltMetadata struct {
	Version string
	Limits  BoltLimits
}

// BoltLimits are the limits a Bolt client reads before asking.
type BoltLimits struct {
	// MaxCommittedGasPerSlot is the gas budget of one slot. Bolt types it
	// non-zero: a backend reporting 0 is a wiring fault (an internal error).
	MaxCommittedGasPerSlot uint64
	// MinInclusionProfit is the priority fee floor, wei per gas.
	MinInclusionProfit uint64
	// MaxAccountStatesSize is the size of the account-state cache, Bolt's
	// NonZero max_account_states_size. 0 means the sidecar bounds no such
	// cache (Pledge reads accounts afresh at every head); it is then answered
	// as 1, the least Bolt's type admits (docs/protocol.md §3.1).
	MaxAccountStatesSize uint64
	// MaxTxsPerRequest is the most transactions in one request; 0 is answered
	// as protocol.MaxRequestTxs.
	MaxTxsPerRequest uint64
}

// BoltInclusionResult is the answer of bolt_requestInclusion: Bolt's
// InclusionCommitment fields (slot, txs, signature), signature being the
// promise's signature, plus the full Commitments API envelope.
type BoltInclusionResult struct {
	Slot       uint64                     `json:"slot"`
	Txs        []hexutil.Bytes            `json:"txs"`
	Signature  hexutil.Bytes              `json:"signature"`
	Commitment *protocol.SignedCommitment `json:"commitment"`
}
