package slashing

import "errors"

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

	// ErrInvalidPromise mirrors InvalidPromise / InclusionIndex / NotL1Inclusion / NotL2Inclusion.
	ErrInvalidPromise = errors.New("slashing: promise malformed or wrong kind for this fault")
	// ErrWrongSigner mirrors WrongSigner / MalformedSignature.
	ErrWrongSigner = errors.New("slashing: not signed by the operator's committer for the slot")
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
	// ErrBatchMismatch mirrors BatchMismatch.
	ErrBatchMismatch = errors.New("slashing: tx hashes do not match the inbox record")
	// ErrNotEquivocation mirrors DifferentOperators / NotEquivocation.
	ErrNotEquivocation = errors.New("slashing: promises do not equivocate")
	// ErrSettled mirrors AlreadySettled.
	ErrSettled = errors.New("slashing: promise already settled")
)
