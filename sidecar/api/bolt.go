package api

import (
	"errors"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Bolt's JSON-RPC error codes that Pledge answers (chainbound/bolt,
// bolt-sidecar's CommitmentError). Bolt's others are about its request
// signature header (-32001 duplicate request, -32002 no X-Bolt-Signature,
// -32003 and -32004 a bad signature, -32007 a malformed header): Pledge
// authenticates a request by its transactions, ignores the header and so never
// answers them.
const (
	// BoltCodeConsensus is Bolt's "consensus validation error": the slot
	// cannot be committed to (past, not ours, deadline passed).
	BoltCodeConsensus = -32005
	// BoltCodeValidation is Bolt's "validation failed": the transactions are
	// not ones the slot's block can take (nonce, balance, fees, gas, size …).
	BoltCodeValidation = -32006
)

// boltCodes translates Pledge's codes into Bolt's for the bolt_* methods,
// where Bolt defines a code for the same condition. Codes not listed are
// answered as they are: -32600…-32603 and -32700 mean the same to both, and
// Bolt defines nothing at the others' numbers, so none is misread. Pledge's
// code travels on in data.pledge_code.
var boltCodes = map[int]int{
	CodeSlotNotOffered: BoltCodeConsensus,
	CodeDeadlinePassed: BoltCodeConsensus,
	CodeNotBacked:      BoltCodeConsensus,

	CodeTxMalformed:   BoltCodeValidation,
	CodeTxSignature:   BoltCodeValidation,
	CodeWrongChain:    BoltCodeValidation,
	CodeNonce:         BoltCodeValidation,
	CodeBalance:       BoltCodeValidation,
	CodeFeeBelowBase:  BoltCodeValidation,
	CodeUnderpriced:   BoltCodeValidation,
	CodeSlotFull:      BoltCodeValidation,
	CodeBlobSidecar:   BoltCodeValidation,
	CodeTooLarge:      BoltCodeValidation,
	CodeConflict:      BoltCodeValidation,
	CodeSenderHasCode: BoltCodeValidation,
	CodeBadBundle:     BoltCodeValidation,
	CodeIntrinsicGas:  BoltCodeValidation,
	CodeBlobFeeTooLow: BoltCodeValidation,
}

// boltError is e as a Bolt client reads it: Bolt's code where Bolt has one
// for the condition, Pledge's message and reason, Pledge's code in data.
func boltError(e *Error) *Error {
	code, ok := boltCodes[e.Code]
	if !ok {
		return e
	}
	data := ErrorData{}
	if e.Data != nil {
		data = *e.Data
	}
	data.PledgeCode = e.Code
	return &Error{Code: code, Message: e.Message, Data: &data}
}

// boltMetadataAnswer is bolt_metadata's answer as Bolt's MetadataResponse
// reads it: its LimitsOpts flattened beside version. max_committed_gas_per_slot
// and max_account_states_size are NonZero in Bolt, so never 0 here.
// max_txs_per_request is Pledge's own; Bolt's reader ignores it.
type boltMetadataAnswer struct {
	MaxCommittedGasPerSlot uint64 `json:"max_committed_gas_per_slot"`
	MinInclusionProfit     uint64 `json:"min_inclusion_profit"`
	MaxAccountStatesSize   uint64 `json:"max_account_states_size"`
	MaxTxsPerRequest       uint64 `json:"max_txs_per_request"`
	Version                string `json:"version"`
}

// errZeroGasBudget is a backend fault: Bolt's client refuses a 0 budget.
var errZeroGasBudget = errors.New("backend reports a max committed gas per slot of 0, which Bolt types non-zero")

func newBoltMetadataAnswer(md BoltMetadata) (*boltMetadataAnswer, error) {
	if md.Limits.MaxCommittedGasPerSlot == 0 {
		return nil, errZeroGasBudget
	}
	a := &boltMetadataAnswer{
		MaxCommittedGasPerSlot: md.Limits.MaxCommittedGasPerSlot,
		MinInclusionProfit:     md.Limits.MinInclusionProfit,
		MaxAccountStatesSize:   max(md.Limits.MaxAccountStatesSize, 1),
		MaxTxsPerRequest:       md.Limits.MaxTxsPerRequest,
		Version:                md.Version,
	}
	if a.MaxTxsPerRequest == 0 {
		a.MaxTxsPerRequest = protocol.MaxRequestTxs
	}
	return a, nil
}
