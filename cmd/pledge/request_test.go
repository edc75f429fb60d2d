package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pledgeproto/pledge/internal/stack"
)

// TestRequestCommand runs the wallet command against a running stack: the
// promise must verify against the slot's committer and the transfer must be
// included. Then a request naming another slasher is refused in one line.
func TestRequestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack; skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, stack.Config{Validators: 2, Rollups: -1, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keyFile := filepath.Join(t.TempDir(), "user.key")
	if err := os.WriteFile(keyFile, []byte(st.UserKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &out, &out
		err := app.RunContext(ctx, append([]string{"pledge", "request",
			"--sidecar-url", st.UserURL(), "--execution-url", st.L1URL(), "--key-file", keyFile}, args...))
		return out.String(), err
	}
	out, err := run("--slasher", st.Contracts().Slasher.Hex(), "--wait")
	if err != nil {
		t.Fatalf("request: %v\n%s", err, out)
	}
	for _, want := range []string{"promised  tx 0x", "request_hash 0x", "included  block", "status 1", "backed    leaf "} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	_, err = run("--slasher", "0x00000000000000000000000000000000000000aa")
	if err == nil || !strings.Contains(err.Error(), "-32020") {
		t.Fatalf("a request naming another slasher: %v", err)
	}
}
