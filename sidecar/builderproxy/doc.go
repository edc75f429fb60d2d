// Package builderproxy serves the Builder API to the beacon node, as
// mev-boost does, and keeps the slot's promises in its block: for a slot
// with promises it asks every relay for header_with_proofs, keeps only bids
// whose relay signature and inclusion proofs verify against the slot's
// constrained transactions, and serves the best of them or, when none is
// left, the local fallback block. Slots without promises pass through to
// the relays. Blinded blocks go back to the relay that served the header,
// or are unblinded here from the fallback's payload (docs/protocol.md §6–7,
// DESIGN.md decision 7).
package builderproxy
