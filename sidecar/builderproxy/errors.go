package builderproxy

import "errors"

// Sentinel errors of the proxy.
var (
	// ErrBadRequest is returned for a request that does not parse.
	ErrBadRequest = errors.New("bad request")
	// ErrUnknownHeader is returned for a blinded block whose header the proxy did not serve.
	ErrUnknownHeader = errors.New("blinded block is not for a header this proxy served")
	// ErrHeaderMismatch is returned for a blinded block that differs from the served bid,
	// or a second, different block for a slot already revealed.
	ErrHeaderMismatch = errors.New("blinded block does not match the served bid")
	// ErrRelay is returned when a relay cannot be reached or answers an error.
	ErrRelay = errors.New("relay request failed")
	// ErrBid is returned for a relay bid that is malformed or not for the request.
	ErrBid = errors.New("invalid bid")
	// ErrBidSignature is returned for a bid whose relay signature does not verify.
	ErrBidSignature = errors.New("bid signature does not verify")
	// ErrBidProofs is returned for a bid whose proofs do not show the slot's
	// constrained transactions open the block.
	ErrBidProofs = errors.New("bid proofs do not verify")
	// ErrNoRelayAnswered is returned when no relay took a blinded block or registration.
	ErrNoRelayAnswered = errors.New("no relay answered")
	// ErrNoPublisher is returned for submitBlindedBlockV2 of a fallback block without a beacon node.
	ErrNoPublisher = errors.New("no beacon node configured to publish blocks")
	// ErrPublish is returned when the beacon node refuses the unblinded block.
	ErrPublish = errors.New("publish block through the beacon node")
)
