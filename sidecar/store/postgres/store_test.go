package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pledgeproto/pledge/internal/pgtest"
	"github.com/pledgeproto/pledge/sidecar/store/storetest"
)

func open(t testing.TB, dsn string) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	pgtest.ServerDSN(t)
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) (storetest.Store, func() storetest.Store) {
			dsn := pgtest.DSN(t)
			s := open(t, dsn)
			return s, func() storetest.Store {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s = open(t, dsn)
				return s
			}
		},
		Corrupt: func(t *testing.T, s storetest.Store, slot uint64) {
			_, err := s.(*Store).pool.Exec(context.Background(),
				`INSERT INTO pledge_promises (slot, request_hash, record) VALUES ($1, $2, $3)`, key(slot), []byte{1}, []byte{0xff, 0x01})
			if err != nil {
				t.Fatal(err)
			}
		},
	})
}

// Migration is idempotent, recorded, and a newer schema is refused.
func TestMigrations(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	s := open(t, dsn)
	s.Close()
	s = open(t, dsn) // again: nothing to do
	defer s.Close()
	ctx := context.Background()
	var n, v int
	if err := s.pool.QueryRow(ctx, `SELECT count(*), max(version) FROM pledge_schema`).Scan(&n, &v); err != nil {
		t.Fatal(err)
	}
	if n != SchemaVersion || v != SchemaVersion {
		t.Fatalf("schema table holds %d versions up to %d, want %d", n, v, SchemaVersion)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO pledge_schema (version) VALUES ($1)`, SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, dsn)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("a database of a newer build: %v, want ErrSchemaTooNew", err)
	}
}

// Sidecars starting at once migrate once.
func TestConcurrentMigration(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestRefusesAsyncCommit(t *testing.T) {
	t.Parallel()
	dsn := pgtest.ServerDSN(t)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	_ = cfg
	if _, err := Open(context.Background(), dsn+"&synchronous_commit=off"); err == nil {
		t.Fatal("a DSN with synchronous_commit=off was accepted")
	}
}
