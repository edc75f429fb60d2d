package elnode

import "errors"

// Sentinel errors of the package; callers match them with errors.Is.
var (
	// ErrBadConfig is returned by Start when the chain configuration is invalid.
	ErrBadConfig = errors.New("elnode: bad config")
	// ErrInvalidPayload means the execution client judged a payload INVALID
	// (or INVALID_BLOCK_HASH); the wrapped text carries its validation error.
	ErrInvalidPayload = errors.New("elnode: payload invalid")
	// ErrNotImported means the client neither accepted nor rejected a payload
	// (SYNCING or ACCEPTED): it is not the canonical head.
	ErrNotImported = errors.New("elnode: payload not imported")
	// ErrNoPayloadID means forkchoiceUpdated did not start a payload build.
	ErrNoPayloadID = errors.New("elnode: no payload build started")
	// ErrUnsupportedFork means the block's timestamp falls in a fork this
	// driver does not speak the engine API of (before Cancun or after Osaka).
	ErrUnsupportedFork = errors.New("elnode: unsupported fork")
	// ErrBadTimestamp means the requested block timestamp is not after its parent's.
	ErrBadTimestamp = errors.New("elnode: timestamp not after parent")
)
