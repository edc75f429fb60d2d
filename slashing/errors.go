package slashing

import (
	"errors"
	"fmt"
)

// Sentinel errors. Each refusal of the Judge matches a custom error of the
// Slasher contract (named in the comment), so a watcher can tell in advance why
// the contract would revert.
var (
	// ErrBadConfig is returned by the constructors for missing dependencies or parameters.
	ErrBadConfig = errors.New("slashing: bad configuration")
	// ErrSlotNotReached is returned when the chain has no block at or after the slot's time yet.
	ErrSlotNotReached = errors.New("slashing: slot not reached")
	// ErrNoSlotBlock is returned when the slot has no block (a liveness case, not safety/L2).
	ErrNoSlotBlock = errors.New("slashing: no block at the slot")
	// ErrSlotHasBlock is returned for liveness when the slot does have a block (SlotNotMissed).
	ErrSlotHasBlock = errors.New("slashing: the slot has a block")
	// ErrNoProof is returned when the node's eth_getProof answer is unusable.
	ErrNoProof = errors.New("slashing: account proof unavailable")
	// ErrInboxPosts is returned when the L2 txs of a slot cannot be read back from the block.
	ErrInboxPosts = errors.New("slashing: inbox posts not reconstructible")
	// ErrLedgerUnavailable is returned when a slot's ledger is on-chain but its
	// LedgerOpened event (the leaves) cannot be read back or does not match it.
	ErrLedgerUnavailable = errors.New("slashing: ledger leaves unavailable")

	// ErrInvalidPromise mirrors InvalidPromise / InclusionIndex / NotL1Inclusion / NotL2Inclusion.
	ErrInvalidPromise = errors.New("slashing: promise malformed or wrong kind for this fault")
	// ErrWrongSigner mirrors WrongSigner (and, through the errors wrapping it,
	// MalformedSignature): the signer does not bind the operator for the slot.
	ErrWrongSigner = errors.New("slashing: not signed by the operator's committer for the slot")
	// ErrMalformedSignature mirrors MalformedSignature; it wraps ErrWrongSigner.
	ErrMalformedSignature = fmt.Errorf("%w: malformed signature", ErrWrongSigner)
	// ErrNotLedgerCommitter mirrors WrongSigner(signer, ledger.committer): a
	// promise in a ledger (or equivocation's second promise) signed by another
	// key than the one that opened the ledger. It wraps ErrWrongSigner.
	ErrNotLedgerCommitter = fmt.Errorf("%w: not the committer that opened the slot's ledger", ErrWrongSigner)
	// ErrNoCommitter mirrors WrongSigner(signer, 0): the operator has no
	// committer for the slot (revoked key, exit slot passed, or not registered
	// yet), so no unledgered promise for it binds. It wraps ErrWrongSigner.
	ErrNoCommitter = fmt.Errorf("%w: no committer for the slot (revoked, exited or unregistered)", ErrWrongSigner)
	// ErrExpired mirrors EvidenceExpired.
	ErrExpired = errors.New("slashing: evidence window over")
	// ErrNotAnchored mirrors HeaderNotAnchored / NotParent / NotSlotBlock.
	ErrNotAnchored = errors.New("slashing: header not canonical or not the slot's")
	// ErrBadProof mirrors the MerkleTrie / AccountProof errors.
	ErrBadProof = errors.New("slashing: account proof does not verify")
	// ErrPromiseKept mirrors PromiseKept: the promised transaction (or its nonce) landed.
	ErrPromiseKept = errors.New("slashing: promise kept")
	// ErrNotIncludable mirrors SenderHasCode / NonceAlreadyUsed / NonceGap / BadPrior /
	// InsufficientBalance / FeeBelowBaseFee / BlobFeeBelowBlobBaseFee / GasAboveBlockLimit:
	// the transaction was not includable at the parent state, so missing it is no fault.
	ErrNotIncludable = errors.New("slashing: transaction not includable at the parent state")
	// ErrBadPrior mirrors BadPrior: a prior promise of the safety evidence that
	// does not cover its nonce or is not backed (in its slot's ledger, signed by
	// the committer that opened it). It wraps ErrNotIncludable.
	ErrBadPrior = fmt.Errorf("%w: bad prior promise", ErrNotIncludable)
	// ErrBatchMismatch mirrors BatchMismatch.
	ErrBatchMismatch = errors.New("slashing: tx hashes do not match the inbox record")
	// ErrNotEquivocation mirrors DifferentOperators / NotEquivocation.
	ErrNotEquivocation = errors.New("slashing: promises do not equivocate")
	// ErrSettled mirrors AlreadySettled.
	ErrSettled = errors.New("slashing: promise already settled")
	// ErrNotInLedger mirrors NotInLedger: the promise is not a leaf of its
	// slot's ledger (no ledger, wrong proof, or another amount), so it is void.
	ErrNotInLedger = errors.New("slashing: promise not in its slot's ledger (void)")
	// ErrLedgerPending is ErrNotInLedger while the slot's ledger may still be
	// opened (none yet, within the ledger grace). Transient.
	ErrLedgerPending = errors.New("slashing: the slot's ledger may still be opened")
	// ErrClaimNotCommitted mirrors ClaimNotCommitted: the claim hash was not
	// committed with Slasher.commitClaim in a block before the slash.
	ErrClaimNotCommitted = errors.New("slashing: claim not committed in an earlier block")
	// ErrZeroBeneficiary mirrors ZeroBeneficiary.
	ErrZeroBeneficiary = errors.New("slashing: claim names no beneficiary")

	// The URC path (Slasher.slash, docs/protocol.md §9.9).

	// ErrNotURC mirrors NotURC: the deployment has no URC (that path is off).
	ErrNotURC = errors.New("slashing: no URC may call this Slasher")
	// ErrNotThisSlasher mirrors NotThisSlasher: the commitment names another slasher.
	ErrNotThisSlasher = errors.New("slashing: the commitment names another slasher")
	// ErrNotURCPromise mirrors NotURCPromise: the promise names a Registry
	// operator, which only the own path judges.
	ErrNotURCPromise = errors.New("slashing: the promise names a Registry operator, not a URC one")
	// ErrCommitmentMismatch mirrors CommitmentMismatch: the commitment's type or
	// request hash differs from its promise's.
	ErrCommitmentMismatch = errors.New("slashing: the commitment's type or request hash differs from the promise's")
	// ErrDelegationMismatch mirrors DelegationMismatch: the delegation is for
	// another slot or another committer.
	ErrDelegationMismatch = errors.New("slashing: the delegation is for another slot or committer")
	// ErrNoPoster mirrors NoPoster: L2 evidence needs a delegation whose
	// metadata names the poster.
	ErrNoPoster = errors.New("slashing: no delegation names the poster of the slot's batches")
	// ErrMalformedEvidence mirrors MalformedEvidence: the evidence bytes do not
	// decode as one of the four faults' encodings.
	ErrMalformedEvidence = errors.New("slashing: malformed URC evidence")
)
