// Package contracts holds Pledge's Solidity sources (src/), compiled with the
// project's pinned solc-js by scripts/contracts.sh; the generated abigen Go
// bindings are committed under contracts/bindings.
package contracts
