// Package watcher is the long-running side of slashing: it follows L1 and the
// promises it is given (a file, a sidecar's commitmentResult, users posting
// what they hold), judges each promise once its slot's block is final enough by
// the Slasher's rules (slashing.Judge), detects equivocation across the
// promises it has seen, and submits the evidence with its own nonces, fees and
// retries. A fsynced journal of outcomes makes it safe to restart: a promise is
// never submitted twice.
package watcher
