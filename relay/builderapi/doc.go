// Package builderapi holds the Builder-API wire types that go-eth2-client does
// not carry (bids, bid traces, blob bundles and their versioned envelopes),
// with the JSON of ethereum/builder-specs and flashbots/relay-specs, the
// Constraints-API extensions that put proofs beside a bid, and the builder
// signing domain. The consensus types (execution payloads and headers, blinded
// blocks, validator registrations) are go-eth2-client's.
//
// Only the Electra layout (execution_requests in the bid) is modelled; it is
// also Fulu's, whose only wire difference is the cell proofs of the blobs
// bundle and the version string.
package builderapi

import "errors"

// Sentinel errors of the wire types.
var (
	// ErrUnsupportedVersion is returned for a fork version other than electra or fulu.
	ErrUnsupportedVersion = errors.New("unsupported fork version")
	// ErrMalformed is returned when a document does not decode or misses a required field.
	ErrMalformed = errors.New("malformed builder API document")
	// ErrSignature is returned when a builder-domain signature does not verify.
	ErrSignature = errors.New("builder API signature does not verify")
)
