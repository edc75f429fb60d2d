// Package ecdsasigner signs with Pledge's secp256k1 keys — the committer
// (promises, docs/protocol.md §2.1, and the slot ledgers' Registry
// transactions) and the batch poster (the L1 transaction posting a slot's
// rollup batches) — through one of three backends that live side by side:
// a key held in memory (NewLocal), go-ethereum's Clef (NewClef, its external
// account_* API) and Web3Signer's eth1 mode (NewWeb3Signer).
//
// What each backend can sign:
//
//	backend      transactions                 promise (raw §2.1 signing root)
//	local        yes                          yes
//	clef         account_signTransaction      no: every account_signData content type and
//	                                          account_signTypedData hash a prefix (EIP-191
//	                                          0x45 / 0x00, EIP-712 0x1901) or an RLP header
//	web3signer   eth_signTransaction          yes: POST /api/v1/eth1/sign/{pubkey} signs
//	                                          keccak256(data) with no prefix, so it is sent
//	                                          the signing root's preimage
//
// A Signer wraps a backend with what every caller needs: a timeout per call,
// a check that what comes back is signed by the configured address over
// exactly what was asked (the transaction's signing hash, the promise's
// signing root; low s, v ∈ {27, 28}), metrics, and the last failure for
// readiness. A Signer never falls back to another key or backend: a failed
// call is an error, and the caller does not acknowledge what it could not
// sign.
package ecdsasigner
