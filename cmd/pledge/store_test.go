package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/internal/pgtest"
	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/postgres"
)

// runStoreFlags parses args with storeFlags and calls openStore.
func runStoreFlags(t *testing.T, dataDir string, args ...string) (promiseStore, error) {
	t.Helper()
	var st promiseStore
	var openErr error
	app := &cli.App{Flags: storeFlags(), Action: func(c *cli.Context) error {
		st, openErr = openStore(context.Background(), c, dataDir)
		return nil
	}}
	if err := app.Run(append([]string{"pledge"}, args...)); err != nil {
		t.Fatal(err)
	}
	if st != nil {
		t.Cleanup(func() { _ = st.Close() })
	}
	return st, openErr
}

func TestOpenStore(t *testing.T) {
	dir := t.TempDir()
	st, err := runStoreFlags(t, dir)
	if _, ok := st.(*store.Store); err != nil || !ok {
		t.Fatalf("default: %T, %v; want Pebble in --data-dir", st, err)
	}
	other := filepath.Join(t.TempDir(), "promises")
	st, err = runStoreFlags(t, dir, "--store", other)
	if _, ok := st.(*store.Store); err != nil || !ok {
		t.Fatalf("a directory: %T, %v", st, err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("Pebble not opened in the --store directory: %v", err)
	}
	_, err = runStoreFlags(t, dir, "--store", "mysql://root:secret@db/pledge")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("an unknown scheme: %v (want an error without the password)", err)
	}
	// A libpq key=value string must not open a private Pebble store named
	// after it: each sidecar would then decide alone.
	kv := "host=db dbname=pledge password=secret"
	_, err = runStoreFlags(t, dir, "--store", kv)
	if err == nil || !strings.Contains(err.Error(), "postgres://") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("a key=value connection string: %v (want a refusal asking for a postgres:// DSN, without the password)", err)
	}
	if _, err := os.Stat(kv); err == nil { // relative: where Pebble would have opened it
		_ = os.RemoveAll(kv)
		t.Fatal("a Pebble store was created under the key=value string's name")
	}
	st, err = runStoreFlags(t, dir, "--store", pgtest.DSN(t))
	if _, ok := st.(*postgres.Store); err != nil || !ok {
		t.Fatalf("a postgres DSN: %T, %v", st, err)
	}
}
