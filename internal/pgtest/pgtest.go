// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema on the server scripts/postgres.sh started, named by
// PLEDGE_POSTGRES_DSN (scripts/test.sh sets it).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the variable holding the server's DSN.
const EnvDSN = "PLEDGE_POSTGRES_DSN"

// ServerDSN returns the server's DSN. Without one the test fails under
// CI=true (CI must never skip it silently) and is skipped elsewhere, with a
// message naming the script that starts a server.
func ServerDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn != "" {
		return dsn
	}
	const how = EnvDSN + " is not set: run scripts/test.sh, or `export " + EnvDSN + "=$(scripts/postgres.sh start /tmp/pledge-pg)`"
	if os.Getenv("CI") == "true" {
		t.Fatal("needs PostgreSQL: " + how)
	}
	t.Skip("needs PostgreSQL: " + how)
	return ""
}

// DSN creates a schema of its own for the test (dropped at its end) and
// returns a DSN whose sessions use it.
func DSN(t testing.TB) string {
	t.Helper()
	server := ServerDSN(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to PostgreSQL at %s: %v", EnvDSN, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, server); err == nil {
			_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			_ = c.Close(ctx)
		}
	})
	u, err := url.Parse(server)
	if err != nil || u.Scheme == "" {
		return server + " search_path=" + schema
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
