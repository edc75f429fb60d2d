// Package constraints sends a proposer's constraints to relays: at the
// commitment deadline of each slot one of our validators proposes, it signs
// the slot's promised transactions as type-1 constraints (with the
// validator's key or a delegate's, with the delegation) and posts them to
// every relay through the Constraints API, retrying with backoff until the
// slot starts and sending again when a relay that failed comes back
// (docs/protocol.md §5 and §7).
package constraints
