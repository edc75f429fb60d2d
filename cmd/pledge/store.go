package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/postgres"
)

const (
	flagStore             = "store"
	flagStoreSyncInterval = "store-sync-interval"
)

// storeFlags are the promise store's flags of `pledge sidecar`.
func storeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagStore, EnvVars: envVars(flagStore),
			Usage: "promise store: a directory (embedded Pebble, one sidecar; default: --data-dir) or a postgres://… DSN (PostgreSQL, shared by several sidecars of the operator)"},
		&cli.DurationFlag{Name: flagStoreSyncInterval, EnvVars: envVars(flagStoreSyncInterval), Value: time.Second,
			Usage: "with PostgreSQL: how often to read the other sidecars' promises when no notification came"},
	}
}

// libpqKeywords matches a libpq key=value connection string's first
// setting ("host=db dbname=pledge …").
var libpqKeywords = regexp.MustCompile(`^\s*(host|hostaddr|port|dbname|user|password|sslmode|service|application_name|target_session_attrs)\s*=`)

// promiseStore is the store the sidecar runs on.
type promiseStore = sidecar.PromiseStore

var (
	_ promiseStore = (*store.Store)(nil)
	_ promiseStore = (*postgres.Store)(nil)
)

// storeOpenTimeout bounds connecting to PostgreSQL and migrating its schema.
const storeOpenTimeout = 30 * time.Second

// openStore opens the store --store names: PostgreSQL for a postgres:// or
// postgresql:// DSN (schema created or migrated), else Pebble in that
// directory, or in dataDir when --store is not set.
func openStore(ctx context.Context, c *cli.Context, dataDir string) (promiseStore, error) {
	where := c.String(flagStore)
	switch {
	case strings.HasPrefix(where, "postgres://"), strings.HasPrefix(where, "postgresql://"):
		// An unreachable host would otherwise hold start-up for the
		// operating system's TCP timeout.
		octx, cancel := context.WithTimeout(ctx, storeOpenTimeout)
		defer cancel()
		st, err := postgres.Open(octx, where)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", flagStore, redactDSN(where), err)
		}
		return st, nil
	case strings.Contains(where, "://"):
		return nil, fmt.Errorf("--%s %s: a directory or a postgres:// DSN", flagStore, redactDSN(where))
	case libpqKeywords.MatchString(where):
		// A key=value connection string would otherwise open Pebble in a
		// directory of that name: one sidecar's private store, so the
		// operator's sidecars would sell the same nonces and room twice.
		return nil, fmt.Errorf("--%s: a key=value connection string is not taken, give a postgres:// DSN (or a directory)", flagStore)
	case where == "":
		where = dataDir
	}
	if where == "" {
		return nil, errors.New("no promise store: set --" + flagStore + " or --" + flagDataDir)
	}
	return store.Open(where)
}

// followStore keeps eng's templates in step with the promises the other
// sidecars sell, for a shared store, until ctx ends; for an embedded one it
// returns at once. Run it in the service's group, after eng.Load.
func followStore(ctx context.Context, c *cli.Context, st promiseStore, eng *admission.Engine) error {
	pg, ok := st.(*postgres.Store)
	if !ok {
		return nil
	}
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- pg.Listen(ctx, wake, time.Second, appFrom(c).log) }()
	err := eng.Follow(ctx, wake, c.Duration(flagStoreSyncInterval))
	<-done
	return err
}

// redactDSN drops a DSN's credentials for messages.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "@"); i >= 0 {
		if j := strings.Index(dsn, "://"); j >= 0 && j < i {
			return dsn[:j+3] + "…" + dsn[i:]
		}
	}
	return dsn
}
