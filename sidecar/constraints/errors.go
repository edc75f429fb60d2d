package constraints

import "errors"

// Sentinel errors of the constraints sender.
var (
	// ErrNoRelays is returned by New when no relay is configured.
	ErrNoRelays = errors.New("no relay specified")
	// ErrNoKey is returned when no key may sign constraints for a proposer.
	ErrNoKey = errors.New("no key signs constraints for the proposer")
	// ErrDelegation is returned when a delegate key comes without a usable delegation.
	ErrDelegation = errors.New("delegate key without a delegation for the slot")
	// ErrRelay is returned when a relay cannot be reached or answers a server error.
	ErrRelay = errors.New("relay request failed")
	// ErrRefused is returned when a relay refuses a message (4xx): sending it
	// again would not change the answer.
	ErrRefused = errors.New("relay refused the message")
)
