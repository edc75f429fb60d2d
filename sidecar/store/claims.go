package store

import (
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Sentinel errors of a refused claim (Claims): the store said no, nothing
// was written. Admission maps each to its JSON-RPC code.
var (
	// ErrNonceSold: a nonce is already sold to another transaction, or to
	// the same one for a slot still ahead of the head.
	ErrNonceSold = errors.New("nonce already promised")
	// ErrNonceGap: the nonce's predecessor is neither on chain nor sold for
	// this slot or an earlier one.
	ErrNonceGap = errors.New("nonce does not follow the sender's promised nonces")
	// ErrAuthorized: a sender is the authority of an EIP-7702 authorization
	// in a live promised transaction (protocol §3.5): its nonce and code
	// are about to change.
	ErrAuthorized = errors.New("sender is the authority of a promised authorization")
	// ErrSealed: the slot is sealed (its commitment deadline passed and its
	// ledger is being built from the store).
	ErrSealed = errors.New("slot sealed")
)

// Claims are what a promise takes that no other promise of the operator may
// take at the same time, whichever sidecar sells it: its nonces, its room in
// the slot and its share of the collateral. A store shared by several
// sidecars checks and records them atomically with the promise (CommitClaimed
// in sidecar/store/postgres); the embedded store needs none, since the one
// engine that writes to it decides under its own lock.
type Claims struct {
	// Nonces are the (chain, sender, nonce) the promise sells, each to one tx.
	Nonces []NonceClaim
	// Authorities are the accounts the promise's type-4 transactions
	// authorize code for (EIP-7702): none may have a live promise, and none
	// may be promised while the authorization is live (protocol §3.5).
	Authorities []Account
	// HeadSlot is the slot of the head the promise was checked against: a
	// nonce sold to the same tx for a slot after it is still live, so the tx
	// may not be promised again (only a missed one may, for a later slot).
	HeadSlot uint64
	// Use is the room the promise takes in its slot.
	Use SlotUse
	// Slash is the promise's slash amount, which counts towards the exposure.
	Slash *big.Int
	// Fits is called inside the store's decision with the slot's room already
	// taken by every sidecar's promises and the operator's exposure (the sum
	// of the slash amounts of the promises not yet pruned), both without this
	// promise. It returns nil when the promise fits, or the refusal.
	Fits func(used SlotUse, exposure *big.Int) error
}

// NonceClaim is one transaction's nonce.
type NonceClaim struct {
	Chain  uint64
	Sender common.Address
	Nonce  uint64
	TxHash common.Hash
	// AccountNonce is the sender's nonce on chain as the sidecar read it: a
	// nonce above it needs its predecessor sold for this slot or an earlier
	// one, or in the same promise.
	AccountNonce uint64
}

// Account is an account on a chain.
type Account struct {
	Chain   uint64
	Address common.Address
}

// SlotUse is the room promises take in a slot.
type SlotUse struct {
	Gas, Blobs uint64
	Promises   int
	// L2 is each rollup's room, by chain id.
	L2 map[uint64]L2Use
	// L2MaxTx is the longest L2 transaction (the post's memory bound).
	L2MaxTx int
}

// L2Use is a rollup's room in a slot.
type L2Use struct {
	Gas, Bytes, Txs uint64
}
