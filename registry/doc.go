// Package registry is the Go client of Pledge's on-chain Registry contract:
// operators register validator BLS keys (each with a proof of possession
// checked on-chain), post ETH collateral, bind a committer address and leave
// after an exit delay. It also holds what the sidecar reads on the hot path —
// a TTL cache of collateral, status and committer bindings — and the
// exposure rule: the slash amounts of unsettled promises never exceed the
// collateral. The slot ledgers (openLedger, release, ledgerOf) and the
// Registry's parameters (Params) are read and packed here; the sidecar's
// sidecar/ledger sends them.
//
// Keys cross the chain boundary in the EIP-2537 encodings (G1 public keys as
// 128 bytes, G2 signatures as 256 bytes); the Registry indexes keys by
// keccak256 of their usual 48-byte compressed form, computed on-chain.
package registry
