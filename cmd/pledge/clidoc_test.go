package main

import (
	"os"
	"strings"
	"testing"
)

// TestCLIReference keeps docs/cli.md equal to the flags the binary defines.
// Set PLEDGE_UPDATE_CLI_DOC=1 to rewrite the file after changing a flag.
func TestCLIReference(t *testing.T) {
	const path = "../../docs/cli.md"
	want := cliReference(newApp())
	if os.Getenv("PLEDGE_UPDATE_CLI_DOC") != "" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it with PLEDGE_UPDATE_CLI_DOC=1)", err)
	}
	if string(got) != want {
		t.Fatalf("docs/cli.md is stale: regenerate with PLEDGE_UPDATE_CLI_DOC=1 go test ./cmd/pledge -run TestCLIReference")
	}
	for _, cmd := range []string{"sidecar", "registry register", "relay", "watch", "slash", "bench requests"} {
		if !strings.Contains(want, "## `pledge "+cmd+"`") {
			t.Errorf("reference lacks `pledge %s`", cmd)
		}
	}
}
