package protocol

import "errors"

// Sentinel errors of the promise and transaction rules. Callers match them with
// errors.Is; the sidecar maps each to a JSON-RPC error code in one table.
var (
	// ErrUnknownCommitmentType is returned for a commitment type other than 1, 2 or 3.
	ErrUnknownCommitmentType = errors.New("unknown commitment type")
	// ErrInclusionCount is returned when a promise holds the wrong number of inclusions for its type.
	ErrInclusionCount = errors.New("wrong number of inclusions for commitment type")
	// ErrWrongChain is returned when an inclusion's chain does not fit the commitment type or the request.
	ErrWrongChain = errors.New("wrong chain id")
	// ErrDuplicateTx is returned when one transaction appears twice in a promise or request.
	ErrDuplicateTx = errors.New("duplicate transaction")
	// ErrBadAmount is returned for a missing, negative or over-256-bit amount.
	ErrBadAmount = errors.New("amount out of range")
	// ErrBadSignature is returned for a malformed or non-canonical ECDSA signature.
	ErrBadSignature = errors.New("malformed signature")
	// ErrWrongSigner is returned when a valid signature recovers to an unexpected address.
	ErrWrongSigner = errors.New("signature is not from the expected signer")
	// ErrMalformedPayload is returned when a commitment or request payload does not decode.
	ErrMalformedPayload = errors.New("malformed payload")

	// ErrTxTooLarge is returned when a raw transaction exceeds its size limit.
	ErrTxTooLarge = errors.New("transaction too large")
	// ErrTxMalformed is returned when a raw transaction does not decode.
	ErrTxMalformed = errors.New("malformed transaction")
	// ErrTxType is returned for a transaction type Pledge does not promise.
	ErrTxType = errors.New("unsupported transaction type")
	// ErrTxUnprotected is returned for a legacy transaction without EIP-155 replay protection.
	ErrTxUnprotected = errors.New("transaction not replay-protected (pre-EIP-155)")
	// ErrTxSignature is returned when the sender cannot be recovered from a transaction.
	ErrTxSignature = errors.New("invalid transaction signature")
	// ErrBlobSidecar is returned when a blob transaction lacks a valid sidecar.
	ErrBlobSidecar = errors.New("invalid blob sidecar")
	// ErrTxInvalid is returned for a transaction that no block could hold (e.g. gas above the cap).
	ErrTxInvalid = errors.New("invalid transaction")
	// ErrIntrinsicGas is returned when a transaction's gas limit is below its
	// intrinsic gas (base cost, calldata, initcode, access list,
	// authorizations) or the EIP-7623 calldata floor.
	ErrIntrinsicGas = errors.New("gas limit below the intrinsic gas")
	// ErrBlobFeeTooLow is returned when a blob transaction's max fee per blob
	// gas is below the blob base fee its block may reach.
	ErrBlobFeeTooLow = errors.New("max fee per blob gas below the projected blob base fee")
)
