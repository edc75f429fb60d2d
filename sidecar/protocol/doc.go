// Package protocol holds what every part of Pledge must agree on byte for byte:
// the promise (a Commitments API commitment signed by the operator's committer key), the
// Commitments API wire types, the derivation of a promise's fields from a signed
// transaction, the BLS-signed constraints, delegations and revocations sent to
// relays, and the SSZ multiproofs that show constrained transactions sit at the
// top of a payload.
//
// It is a leaf: it imports only go-ethereum, go-eth2-client, go-boost-utils' bls
// and ssz packages, fastssz and dynamic-ssz, so that the sidecar, the relay, the
// slasher tooling and any wallet can share it. docs/protocol.md is its
// specification; a change here is a change of the protocol.
package protocol
