// Package relay is a constraints-aware relay: the Builder API of
// ethereum/builder-specs (status, validator registrations, getHeader,
// submitBlindedBlock v1 and v2) and the Constraints API of
// eth-fabric/constraints-specs (constraints, delegations, revocations, the
// builder-facing constraint feeds and block submissions with proofs, and
// header_with_proofs).
//
// The relay is the "builder" a proposer sees, as in mev-boost-relay: it
// checks each builder's signed submission and its inclusion proofs, then
// re-signs the bid with its own BLS key. A proposer therefore trusts the
// relay's key, not every builder's, and the relay alone holds the payload it
// reveals after the proposer signs the blinded block.
//
// State is in memory and bounded: only slots within a window around the
// current slot are accepted, older ones are evicted, and every per-slot list
// has a cap.
package relay
