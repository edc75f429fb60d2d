package stack

import "errors"

// Sentinel errors of the package; match them with errors.Is.
var (
	// ErrBadConfig is returned by Start for an unusable configuration.
	ErrBadConfig = errors.New("stack: bad config")
	// ErrStart means a part of the stack did not come up.
	ErrStart = errors.New("stack: start failed")
	// ErrNotLanded means a promise of a slot whose proposer was honest did
	// not land: the system broke a promise it should have kept.
	ErrNotLanded = errors.New("promise not landed")
	// ErrNotSlashed means a promise the faulty proposer broke was not
	// slashed by the watcher in time.
	ErrNotSlashed = errors.New("broken promise not slashed")
	// ErrNoLedger means a slot with promises got no ledger in the Registry
	// listing them (docs/protocol.md §9.0), within its grace.
	ErrNoLedger = errors.New("slot ledger missing")
	// ErrPart means a running part of the stack stopped with an error.
	ErrPart = errors.New("stack: part failed")
)
