package admission

import "errors"

// Sentinel errors of admission, one per cause a client can act on. The api
// package maps each to its JSON-RPC code (docs/protocol.md §4, code in
// brackets). Transaction and payload errors come from the protocol package
// (protocol.ErrTx*, ErrWrongChain, ErrDuplicateTx, ErrInclusionCount,
// ErrMalformedPayload, ErrBlobSidecar) and are passed through wrapped.
var (
	// ErrSlotNotOffered: not one of our validators' slots, or in the past (-32004).
	ErrSlotNotOffered = errors.New("slot not offered")
	// ErrDeadlinePassed: the slot's commitment deadline is over (-32005).
	ErrDeadlinePassed = errors.New("commitment deadline passed for this slot")
	// ErrNonce: not the sender's next nonce after its earlier promises (-32006).
	ErrNonce = errors.New("nonce is not the sender's next nonce after earlier promises")
	// ErrBalance: the balance does not cover the max cost of the sender's promised txs (-32007).
	ErrBalance = errors.New("insufficient balance for the max cost of the sender's promised transactions")
	// ErrFeeBelowBase: max fee below the projected base fee of the slot (-32008).
	ErrFeeBelowBase = errors.New("max fee per gas below the projected base fee of the slot")
	// ErrUnderpriced: priority fee below the current price (-32009).
	ErrUnderpriced = errors.New("priority fee below the price")
	// ErrSlotFull: the slot's gas or blob budget would be exceeded (-32010).
	ErrSlotFull = errors.New("slot gas or blob budget exhausted")
	// ErrExposure: the operator's free collateral cannot back this promise (-32011).
	ErrExposure = errors.New("exposure limit: free collateral cannot back this promise")
	// ErrUnknownRollup: a transaction for a chain that is neither L1 nor a configured rollup (-32013).
	ErrUnknownRollup = errors.New("unknown rollup chain id")
	// ErrNotFound: no promise for this request hash (-32016).
	ErrNotFound = errors.New("no commitment for this request hash")
	// ErrUnavailable: a dependency (EL, registry, store) is down; the wrapped error says which (-32017).
	ErrUnavailable = errors.New("unavailable")
	// ErrConflict: the sender's nonce is already promised to another transaction (-32018).
	ErrConflict = errors.New("nonce already promised to another transaction")
	// ErrSenderHasCode: the sender has code, e.g. an EIP-7702 delegation (-32019).
	ErrSenderHasCode = errors.New("sender has code")
	// ErrWrongSlasher: the request names a Slasher other than ours (-32020).
	ErrWrongSlasher = errors.New("slasher is not ours")
	// ErrUnknownType: a commitment type we do not offer for the chain asked (-32020).
	ErrUnknownType = errors.New("commitment type not offered")
	// ErrNotBacked: the Registry would not hold a promise for the slot — the
	// operator is not registered or exits before it, the slot is beyond the
	// Registry's lookahead, or our committer is not the one bound at the
	// slot (rotated or revoked); the wrapped error says which (-32022).
	ErrNotBacked = errors.New("the registry does not back a promise for this slot")
)
