package ecdsasigner

import (
	"errors"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Sentinel errors of the ECDSA signers: sidecar/signer's, which the BLS
// signers return too; each maps to one metric reason.
var (
	// ErrUnavailable is returned when the signer cannot be reached, times
	// out, or answers a server error: asking again later may work.
	ErrUnavailable = signer.ErrUnavailable
	// ErrRefused is returned when the signer refuses the request (its rules
	// deny it, bad credentials, a request it finds malformed): asking again
	// will not help.
	ErrRefused = signer.ErrRefused
	// ErrUnknownKey is returned when the signer holds no key for the address.
	ErrUnknownKey = signer.ErrUnknownKey
	// ErrBadSignature is returned when the signer's answer is not a
	// signature by the configured address over what was asked (another
	// signer, another transaction, another chain).
	ErrBadSignature = signer.ErrBadSignature
	// ErrMalformed is returned when the signer's answer does not decode.
	ErrMalformed = signer.ErrMalformed
	// ErrUnsupported is returned when the signer's API cannot produce the
	// signature asked for (Clef and the raw promise signing root).
	ErrUnsupported = signer.ErrUnsupported
	// ErrConfig is returned by the constructors for an unusable configuration.
	ErrConfig = signer.ErrConfig
)

// reason is the metric label of err.
func reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errTimeout):
		return "timeout"
	case errors.Is(err, ErrUnavailable):
		return "unavailable"
	case errors.Is(err, ErrRefused):
		return "refused"
	case errors.Is(err, ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, ErrBadSignature):
		return "bad_signature"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrUnsupported):
		return "unsupported"
	default:
		return "other"
	}
}

// errTimeout marks an ErrUnavailable that is the call's deadline.
var errTimeout = errors.New("timed out")
