// Package signer holds what Pledge's remote signers have in common, whatever
// the curve: the sentinel errors every signer returns, the metrics they
// share on one registry, and the HTTP side of reaching a remote signer (TLS
// with a CA and a client certificate, a bearer token, a bounded answer, and
// the mapping of an HTTP status to a sentinel). The signers themselves are
// in blssigner (delegations, revocations, constraints) and ecdsasigner
// (promises and transactions).
package signer
