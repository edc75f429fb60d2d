package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/urfave/cli/v2"
)

// devnetBuffer is a writer safe for the devnet's goroutines.
type devnetBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *devnetBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *devnetBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// devnetApp is the CLI with `pledge devnet`, whether or not main.go lists it yet.
func devnetApp() *cli.App {
	app := newApp()
	if !slices.ContainsFunc(app.Commands, func(c *cli.Command) bool { return c.Name == "devnet" }) {
		cmd := devnetCommand()
		app.Commands = append(app.Commands, cmd)
	}
	return app
}

func runDevnetCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut devnetBuffer
	app := devnetApp()
	app.Writer, app.ErrWriter = &out, &errOut
	err = app.Run(append([]string{"pledge"}, args...))
	return out.String(), errOut.String(), err
}

// TestDevnetRefusesBadFlags: every bad flag is refused before anything
// starts, with one line naming the flag.
func TestDevnetRefusesBadFlags(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"fractional slot", []string{"--slot-duration", "1500ms"}, "--slot-duration"},
		{"zero slot", []string{"--slot-duration", "0s"}, "--slot-duration"},
		{"no validators", []string{"--validators", "0"}, "--validators"},
		{"too many rollups", []string{"--rollups", "3"}, "--rollups"},
		{"negative rollups", []string{"--rollups", "-1"}, "--rollups"},
		{"faulty slot after the run", []string{"--slots", "3", "--faulty-slot", "4"}, "--faulty-slot"},
		{"not loopback", []string{"--listen", "0.0.0.0:8017"}, "not loopback"},
		{"no port", []string{"--listen", "127.0.0.1"}, "host:port"},
		{"too many validators", []string{"--validators", "65"}, "validators"},
		{"not a number", []string{"--slots", "many"}, "slots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runDevnetCLI(t, append([]string{"devnet"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one naming %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

// TestDevnetRun runs the real command for a few slots with a faulty one:
// the banner, a line per slot, the fault slashed, the summary, exit 0.
func TestDevnetRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole devnet; skipped in -short")
	}
	clearEnv(t)
	stdout, stderr, err := runDevnetCLI(t, "--log-level", "error", "devnet",
		"--slots", "3", "--faulty-slot", "2", "--listen", "127.0.0.1:0", "--rollups", "0")
	if err != nil {
		t.Fatalf("devnet: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`user API +http://127\.0\.0\.1:\d+`),
		regexp.MustCompile(`Slasher +0x[0-9a-fA-F]{40}`),
		regexp.MustCompile(`curl -s -X POST .*"method":"slots"`),
		regexp.MustCompile(`(?m)^slot \d+ +proposer \d+ \(ours\) +block \d+ from (relay|fallback) +promised (\d+) \(\d+ L1, 0 L2\) +landed (\d+)/(\d+)`),
		regexp.MustCompile(`(?m)^slot \d+ .*faulty proposer.* landed 0/[1-9]`),
		regexp.MustCompile(`(?m)^FAULT slot \d+: safety, promise 0x[0-9a-f]{8}… tx 0x[0-9a-f]{8}… missing — watcher slashed [0-9.]+ ETH: tx 0x[0-9a-f]{64}$`),
		regexp.MustCompile(`(?m)^OK: `),
	} {
		if !want.MatchString(stdout) {
			t.Errorf("output lacks %s:\n%s", want, stdout)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^slot \d+ `).FindAllString(stdout, -1)); n != 3 {
		t.Errorf("%d slot lines, want 3:\n%s", n, stdout)
	}
}
