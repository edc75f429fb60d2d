// Package slashing will hold the watcher side of Pledge: detecting broken
// promises (safety, liveness, L2 inclusion, equivocation), building the
// evidence each fault needs (headers, eth_getProof account proofs) and
// submitting it to the slasher contract.
package slashing
