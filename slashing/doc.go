// Package slashing is the watcher side of Pledge's faults: it finds out whether
// a signed promise was kept, builds the on-chain evidence for each fault of the
// protocol (safety, liveness, L2 inclusion, equivocation) from any execution
// JSON-RPC endpoint (headers, eth_getProof, the Registry's slot ledgers and
// their LedgerOpened events), and judges that evidence off-chain by the same
// rules as contracts/src/Slasher.sol, so a watcher only submits what the
// contract will accept.
//
// Every piece of evidence carries a Backing: the promise's leaf in its slot's
// ledger (paid from the ledger's reservation), or the neighbouring leaves that
// prove it absent (paid from the free collateral, after the ledger grace).
// A slash also names a Claim, whose hash (ClaimHash) must be committed with
// Slasher.commitClaim a block before; CallData and its siblings encode the
// calls. Building and judging only read the chain.
//
// Promises of operators registered in the Universal Registry Contract (naming
// operator zero) are slashed through the URC instead (Slasher.slash,
// docs/protocol.md §9.9): Judge.URC and Judge.AssessURC judge them, the
// URC*Evidence encoders and NewURCSlash build the URC's call.
package slashing
