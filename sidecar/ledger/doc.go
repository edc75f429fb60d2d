// Package ledger keeps the operator's slot ledgers in the Registry
// (docs/protocol.md §9.0): for every slot the sidecar sold promises for, once
// the slot has started (its commitment deadline passed), the committer calls
// Registry.openLedger with every promise of the slot (its digest and
// slash amount), which reserves their total from the free collateral so that
// only those promises can be paid from it. A promise in no ledger is void,
// so an honest sidecar opens a ledger for each of its slots, missed slots
// included, and sells nothing while it cannot.
//
// The Component runs beside the admission engine. Each tick it seals
// the slots whose deadline passed (no promise can be signed for them any
// more, and those in flight are persisted first), reads each such slot's
// promises from the store, checks on-chain that the slot has no ledger yet
// (so a restart never opens one twice), and sends openLedger as a
// dynamic-fee transaction signed with the committer key, with a fee cap of at
// least twice the projected base fee. It follows the transaction until it is
// mined, replaces it with bumped fees (same nonce) while it waits, and sends
// it again while the slot's grace (Registry.ledgerGrace) lasts. Once a
// ledger's slash window is over it gives the reservation back to the free
// collateral (Registry.release, batched), and it says up to which slot every
// ledger is released, so the engine forgets a slot's exposure only once the
// chain does too.
//
// Failures degrade (Err says why, the sidecar's readiness reports it); they
// never stop the sidecar.
package ledger
