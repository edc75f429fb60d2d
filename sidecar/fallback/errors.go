package fallback

import "errors"

// Sentinel errors of the package; callers match them with errors.Is.
var (
	// ErrConfig is returned by New for a missing dependency or a bad setting.
	ErrConfig = errors.New("fallback: bad configuration")
	// ErrBadRequest is returned for a build request that cannot be built
	// (a promised transaction that does not decode, a blob transaction
	// without its sidecar, a timestamp outside the supported forks).
	ErrBadRequest = errors.New("fallback: bad build request")
	// ErrEL is returned when the execution client cannot be reached or does
	// not answer in time; the wrapped error says which call.
	ErrEL = errors.New("fallback: execution client unavailable")
	// ErrBuild is returned when the execution client refuses to build the
	// block, for example because a promised transaction is no longer valid
	// at the parent state (nonce already used, balance too low).
	ErrBuild = errors.New("fallback: execution client could not build the block")
	// ErrOrderNotForced is returned when the execution client does not
	// offer testing_buildBlockV1 and the payload it built on its own does
	// not open with the promised transactions.
	ErrOrderNotForced = errors.New("fallback: promised transactions not at the top of the payload")
	// ErrPayloadMismatch is returned when a built payload does not match
	// the request (parent, attributes, withdrawals, promised transactions,
	// blobs bundle). It is never offered.
	ErrPayloadMismatch = errors.New("fallback: built payload does not match the request")
	// ErrInvalidPayload is returned when engine_newPayload judges the built
	// payload INVALID. It is never offered.
	ErrInvalidPayload = errors.New("fallback: execution client judged the payload invalid")
	// ErrNotChecked is returned when engine_newPayload neither accepted nor
	// rejected the payload (SYNCING): an unchecked payload is not offered.
	ErrNotChecked = errors.New("fallback: payload could not be checked")
	// ErrUnknownPayload is returned by Payload for a block hash this builder
	// did not build, or built too long ago to still hold.
	ErrUnknownPayload = errors.New("fallback: unknown payload")
)
