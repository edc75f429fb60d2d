package blssigner

import "github.com/pledgeproto/pledge/sidecar/signer"

// Sentinel errors of the BLS signers: sidecar/signer's, which the ECDSA
// signers return too.
var (
	// ErrUnavailable is returned when the signer cannot be reached, times
	// out, or answers a server error: asking again later may work.
	ErrUnavailable = signer.ErrUnavailable
	// ErrRefused is returned when the signer refuses the request (bad
	// credentials, a malformed request): asking again will not help.
	ErrRefused = signer.ErrRefused
	// ErrUnknownKey is returned when the signer holds no key for the public key.
	ErrUnknownKey = signer.ErrUnknownKey
	// ErrBadSignature is returned when the signer's answer does not verify
	// for the key, message and signing context asked for.
	ErrBadSignature = signer.ErrBadSignature
	// ErrUnsupported is returned when the signer's API cannot sign Pledge's messages.
	ErrUnsupported = signer.ErrUnsupported
	// ErrConfig is returned by the constructors for an unusable configuration.
	ErrConfig = signer.ErrConfig
)
