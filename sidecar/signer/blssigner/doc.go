// Package blssigner signs Pledge's BLS messages (delegations, revocations
// and constraints, docs/protocol.md §5) with one of three backends that live
// side by side: keys held in memory (Local), Commit-Boost's signer API
// (CommitBoost) and Web3Signer (Web3Signer, through its Commit-Boost API;
// its eth2 API signs beacon-chain types only). Signer wraps a backend with
// what every caller needs: a timeout per call, a check that the returned
// signature verifies under §5.2 for the key and message asked for, metrics,
// and the last failure for readiness. A signer never falls back to another
// key or backend: a failed call is an error.
package blssigner
