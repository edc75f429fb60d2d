package watcher

import "errors"

// Sentinel errors of the watcher.
var (
	// ErrBadConfig is returned by the constructors for missing dependencies or parameters.
	ErrBadConfig = errors.New("watcher: bad configuration")
	// ErrBadPromise is returned for a promise that does not decode, is for
	// another deployment or is not signed by its operator's committer.
	ErrBadPromise = errors.New("watcher: promise refused")
	// ErrJournal is returned when the journal cannot be read or written.
	ErrJournal = errors.New("watcher: journal")
	// ErrSource is returned when a promise source cannot be read.
	ErrSource = errors.New("watcher: promise source")
)
