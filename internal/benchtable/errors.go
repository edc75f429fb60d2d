package benchtable

import "errors"

var (
	// ErrUnknownRow is returned for an --only name that is no measurement.
	ErrUnknownRow = errors.New("unknown measurement")
	// ErrBenchmark is returned when a benchmark stopped without a result.
	ErrBenchmark = errors.New("benchmark failed")
	// ErrUnreadable is returned when a /proc file is not as expected.
	ErrUnreadable = errors.New("unreadable")
	// ErrTooFew is returned when a load run acknowledged too few promises to
	// give a figure.
	ErrTooFew = errors.New("too few promises acknowledged")
	// ErrSkipped marks rows that were not measured because something they
	// need was not given (the table prints "skipped", not "error").
	ErrSkipped = errors.New("skipped")
)
