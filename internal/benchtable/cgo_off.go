//go:build !cgo

package benchtable

// cgoEnabled: go-ethereum's secp256k1 (sender recovery, signing) is the C
// library with cgo and a pure-Go one without, about 4x slower.
const cgoEnabled = false
