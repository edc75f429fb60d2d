// Package slashing is the watcher side of Pledge's faults: it finds out whether
// a signed promise was kept, builds the on-chain evidence for each fault of the
// protocol (safety, liveness, L2 inclusion, equivocation) from any execution
// JSON-RPC endpoint (headers and eth_getProof), and judges that evidence
// off-chain by the same rules as contracts/src/Slasher.sol, so a watcher only
// submits what the contract will accept.
package slashing
