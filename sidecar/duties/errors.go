package duties

import "errors"

var (
	// ErrNotReady is returned by Ready while genesis, spec or the current
	// epoch's proposer duties are not known yet.
	ErrNotReady = errors.New("duties not ready")
	// ErrBeaconUnavailable is returned by Ready while the beacon node fails to
	// answer; duties already known stay usable until their slot passes.
	ErrBeaconUnavailable = errors.New("beacon node unavailable")
	// ErrBadSpec is returned when the beacon node's spec lacks a usable slot
	// duration or epoch length.
	ErrBadSpec = errors.New("unusable beacon spec")
	// ErrStreamClosed is returned by StreamHeads when the beacon node ends the
	// event stream.
	ErrStreamClosed = errors.New("event stream closed by the beacon node")
	// ErrNoBeacon is returned by New without a beacon node.
	ErrNoBeacon = errors.New("no beacon node given")
)
