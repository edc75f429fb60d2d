package devnet

import "errors"

// Sentinel errors of the package; match them with errors.Is.
var (
	// ErrBadConfig is returned by Start for an unusable configuration.
	ErrBadConfig = errors.New("devnet: bad config")
	// ErrNoBid means the builder endpoint offered no bid (204).
	ErrNoBid = errors.New("devnet: no bid")
	// ErrBadBid means a bid failed the validator client's checks.
	ErrBadBid = errors.New("devnet: bid refused")
	// ErrBuilder means the builder endpoint failed a request.
	ErrBuilder = errors.New("devnet: builder request failed")
	// ErrBlockRefused means a published block failed the beacon node's checks.
	ErrBlockRefused = errors.New("devnet: block refused")
	// ErrParent means a payload was asked for on a parent that is not the head.
	ErrParent = errors.New("devnet: parent is not the head")
	// ErrSlotPassed means a slot at or before the last proposed one was asked for.
	ErrSlotPassed = errors.New("devnet: slot already passed")
)
