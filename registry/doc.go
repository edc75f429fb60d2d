// Package registry will hold the client of the on-chain Pledge registry:
// operators, their validator BLS keys and committer address, posted
// collateral, and the exposure of unsettled promises against it.
package registry
