package signer

import "errors"

// Sentinel errors of the signers, BLS and ECDSA alike; each maps to one
// metric reason. blssigner and ecdsasigner return (and re-export) these, so
// errors.Is works the same whichever package a signer came from.
var (
	// ErrUnavailable is returned when the signer cannot be reached, times
	// out, or answers a server error: asking again later may work.
	ErrUnavailable = errors.New("signer unavailable")
	// ErrRefused is returned when the signer refuses the request (its rules
	// deny it, bad credentials, a request it finds malformed): asking again
	// will not help.
	ErrRefused = errors.New("signer refused the request")
	// ErrUnknownKey is returned when the signer holds no such key.
	ErrUnknownKey = errors.New("signer has no such key")
	// ErrBadSignature is returned when the signer's answer is not a
	// signature by the key asked for over what was asked (another key,
	// another message, another chain or signing context).
	ErrBadSignature = errors.New("signer answered a signature that does not verify")
	// ErrMalformed is returned when the signer's answer does not decode.
	ErrMalformed = errors.New("signer answered something that does not decode")
	// ErrUnsupported is returned when the signer's API cannot produce the
	// signature asked for.
	ErrUnsupported = errors.New("signer cannot produce this signature")
	// ErrConfig is returned by the constructors for an unusable configuration.
	ErrConfig = errors.New("invalid signer config")
)
