package benchtable

import (
	"context"
	"fmt"
)

// postgresPromiseRows: the full promise path on the PostgreSQL store (every
// promise's shared decision and synchronous commit in the database), shaped
// like the local-key Pebble seller's latency and throughput rows: first one
// `pledge sidecar --store postgres://…` child, then a second one on the
// same DSN beside it, the requests split evenly between the two (two
// sidecars of one operator, each its own senders). A schema of its own on
// the server PLEDGE_POSTGRES_DSN names, dropped afterwards; without the
// variable the rows say they were skipped.
func postgresPromiseRows(ctx context.Context, e *env) []Row {
	const id = "postgres-promises"
	const (
		howOne = "PostgreSQL store, one sidecar"
		howTwo = "PostgreSQL store, two sidecars on one DSN (requests split)"
	)
	all := append(pathWhats(howOne), pathWhats(howTwo)...)
	if e.postgres == "" {
		return failed(id, fmt.Errorf("%w: PLEDGE_POSTGRES_DSN not set (scripts/postgres.sh start DIR prints one)", ErrSkipped), all...)
	}
	w, err := e.world(ctx)
	if err != nil {
		return failed(id, err, all...)
	}
	dsn, drop, err := benchSchema(ctx, e.postgres)
	if err != nil {
		return failed(id, err, all...)
	}
	defer drop() // after the children below have stopped (defers run last first)
	const note = "a PostgreSQL transaction per promise on a loopback server (fsync and synchronous_commit on) holding the operator's row lock through its commit; the database shares the two cores with geth, the load generator and the sidecars"
	a, err := w.startChild(ctx, e.pledge, childOptions{name: "postgres-a", store: dsn})
	if err != nil {
		return failed(id, err, all...)
	}
	defer a.stop()
	var rows []Row
	if f, err := measurePath(ctx, e, w, []*childSidecar{a}); err != nil {
		rows = append(rows, failed(id, fmt.Errorf("%w; its log ends: %s", err, a.log.String()), pathWhats(howOne)...)...)
	} else {
		rows = append(rows, pathRows(id, howOne, note, f)...)
	}
	b, err := w.startChild(ctx, e.pledge, childOptions{name: "postgres-b", store: dsn})
	if err != nil {
		return append(rows, failed(id, err, pathWhats(howTwo)...)...)
	}
	defer b.stop()
	f, err := measurePath(ctx, e, w, []*childSidecar{a, b})
	if err != nil {
		return append(rows, failed(id, fmt.Errorf("%w; second sidecar's log ends: %s", err, b.log.String()), pathWhats(howTwo)...)...)
	}
	return append(rows, pathRows(id, howTwo, note+"; each sidecar takes half the senders and half the rate, and sees the other's promises through the store (listen/notify)", f)...)
}
