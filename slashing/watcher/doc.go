// Package watcher is the long-running side of slashing: it follows L1 and the
// promises it is given (a file, a sidecar's commitmentResult, users posting
// what they hold), judges each promise once its slot's block is final enough by
// the Slasher's rules (slashing.Judge), detects equivocation across the
// promises it has seen, and slashes in two transactions with its own nonces,
// fees and retries: first Slasher.commitClaim binds its beneficiary to the
// promise, then, from a later block, the evidence names that claim, so a
// copy of the evidence pays the same beneficiary. A fsynced journal makes it
// safe to restart: a claim is drawn once per promise and journaled before its
// commitment is sent, and a promise is never submitted twice.
package watcher
