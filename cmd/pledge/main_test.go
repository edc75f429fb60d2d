package main

import (
	"bytes"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// These tests set process environment variables, so none of them runs in
// parallel (t.Setenv forbids it, and the flags read the real environment).

// clearEnv unsets every PLEDGE_* variable the app reads, so a developer's
// shell settings cannot change the results; t.Setenv restores them afterwards.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, name := range []string{flagLogFormat, flagLogLevel} {
		env := envVars(name)[0]
		t.Setenv(env, "")
		if err := os.Unsetenv(env); err != nil {
			t.Fatal(err)
		}
	}
}

// run executes the app in-process with args (without the program name) and
// returns what it wrote to stdout and stderr.
func run(t *testing.T, app *cli.App, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app.Writer = &out
	app.ErrWriter = &errOut
	err = app.Run(append([]string{"pledge"}, args...))
	return out.String(), errOut.String(), err
}

func TestVersion(t *testing.T) {
	clearEnv(t)
	stdout, stderr, err := run(t, newApp(), "version")
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	if first, _, _ := strings.Cut(stdout, "\n"); !strings.HasPrefix(first, "pledge ") || len(first) == len("pledge ") {
		t.Errorf("first line = %q, want \"pledge <version>\"", first)
	}
	for _, want := range []string{
		"go: " + runtime.Version() + "\n",
		"platform: " + runtime.GOOS + "/" + runtime.GOARCH + "\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("version output %q lacks %q", stdout, want)
		}
	}
	if stderr != "" {
		t.Errorf("version wrote to stderr: %q", stderr)
	}
}

func TestVersionFromLdflags(t *testing.T) {
	clearEnv(t)
	old := version
	version = "v1.2.3"
	t.Cleanup(func() { version = old })

	stdout, _, err := run(t, newApp(), "version")
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	if first, _, _ := strings.Cut(stdout, "\n"); first != "pledge v1.2.3" {
		t.Errorf("first line = %q, want %q", first, "pledge v1.2.3")
	}
}

func TestBadInvocation(t *testing.T) {
	const levels = "want one of trace, debug, info, warn, error"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // the whole error message
	}{
		{
			name: "bad log level flag",
			args: []string{"--log-level", "x", "version"},
			want: `invalid --log-level "x": ` + levels,
		},
		{
			name: "level zerolog knows but pledge does not accept",
			args: []string{"--log-level", "fatal", "version"},
			want: `invalid --log-level "fatal": ` + levels,
		},
		{
			name: "empty log level flag",
			args: []string{"--log-level=", "version"},
			want: `invalid --log-level "": ` + levels,
		},
		{
			name: "bad log format flag",
			args: []string{"--log-format", "yaml", "version"},
			want: `invalid --log-format "yaml": want one of json, console`,
		},
		{
			name: "bad log level from env",
			env:  map[string]string{"PLEDGE_LOG_LEVEL": "bogus"},
			args: []string{"version"},
			want: `invalid PLEDGE_LOG_LEVEL "bogus": ` + levels,
		},
		{
			name: "bad log format from env",
			env:  map[string]string{"PLEDGE_LOG_FORMAT": "xml"},
			args: []string{"version"},
			want: `invalid PLEDGE_LOG_FORMAT "xml": want one of json, console`,
		},
		{
			name: "bad memory limit",
			args: []string{"sidecar", "--memory-limit", "lots"},
			want: `invalid --memory-limit "lots": want a size such as 160MiB, 200MB or a number of bytes`,
		},
		{
			name: "bad memory limit from env",
			env:  map[string]string{"PLEDGE_MEMORY_LIMIT": "-5MiB"},
			args: []string{"sidecar"},
			want: `invalid --memory-limit "-5MiB": want a size such as 160MiB, 200MB or a number of bytes`,
		},
		{
			name: "unknown subcommand",
			args: []string{"bogus"},
			want: `unknown command "bogus": run "pledge help" for the list`,
		},
		{
			name: "unknown global flag",
			args: []string{"--nope", "version"},
			want: "flag provided but not defined: -nope",
		},
		{
			name: "unknown version flag",
			args: []string{"version", "--nope"},
			want: "flag provided but not defined: -nope",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			stdout, stderr, err := run(t, newApp(), tt.args...)
			if err == nil {
				t.Fatalf("no error; stdout %q", stdout)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
			// One clear line from main, nothing else: no help dump, no output.
			if stdout != "" || stderr != "" {
				t.Errorf("unexpected output: stdout %q, stderr %q", stdout, stderr)
			}
		})
	}
}

// probe adds a test-only subcommand that logs through the logger the root
// command stored, at info and warn.
func probe(app *cli.App) *cli.App {
	app.Commands = append(app.Commands, &cli.Command{
		Name: "probe",
		Action: func(c *cli.Context) error {
			log := appFrom(c).log
			log.Info().Str("slot", "1").Msg("info line")
			log.Warn().Str("slot", "2").Msg("warn line")
			return nil
		},
	})
	return app
}

func TestLogger(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantJSON  bool
		wantLines []string // messages expected, in order; the first word is the level
	}{
		{
			name:      "defaults: json when stderr is not a terminal, info level",
			args:      []string{"probe"},
			wantJSON:  true,
			wantLines: []string{"info line", "warn line"},
		},
		{
			name:      "warn level drops info",
			args:      []string{"--log-level", "warn", "probe"},
			wantJSON:  true,
			wantLines: []string{"warn line"},
		},
		{
			name:      "console format",
			args:      []string{"--log-format", "console", "probe"},
			wantLines: []string{"info line", "warn line"},
		},
		{
			name:      "settings from env",
			env:       map[string]string{"PLEDGE_LOG_LEVEL": "warn", "PLEDGE_LOG_FORMAT": "console"},
			args:      []string{"probe"},
			wantLines: []string{"warn line"},
		},
		{
			name:      "flag overrides env",
			env:       map[string]string{"PLEDGE_LOG_LEVEL": "bogus"},
			args:      []string{"--log-level", "warn", "probe"},
			wantJSON:  true,
			wantLines: []string{"warn line"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, stderr, err := run(t, probe(newApp()), tt.args...)
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if stderr == "" {
				lines = nil
			}
			if len(lines) != len(tt.wantLines) {
				t.Fatalf("got %d log lines, want %d: %q", len(lines), len(tt.wantLines), stderr)
			}
			for i, line := range lines {
				var rec struct {
					Level   string `json:"level"`
					Message string `json:"message"`
					Slot    string `json:"slot"`
					Time    string `json:"time"`
				}
				jsonErr := json.Unmarshal([]byte(line), &rec)
				if !tt.wantJSON {
					if jsonErr == nil {
						t.Errorf("line %d is JSON, want console: %q", i, line)
					}
					if !strings.Contains(line, tt.wantLines[i]) {
						t.Errorf("line %d = %q, want message %q", i, line, tt.wantLines[i])
					}
					continue
				}
				if jsonErr != nil {
					t.Fatalf("line %d is not JSON: %q: %v", i, line, jsonErr)
				}
				wantLevel, _, _ := strings.Cut(tt.wantLines[i], " ")
				if rec.Message != tt.wantLines[i] || rec.Level != wantLevel || rec.Time == "" || rec.Slot == "" {
					t.Errorf("line %d = %+v, want %s message %q with time and slot", i, rec, wantLevel, tt.wantLines[i])
				}
			}
		})
	}
}

func TestEnvVars(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"log-level":       "PLEDGE_LOG_LEVEL",
		"log-format":      "PLEDGE_LOG_FORMAT",
		"beacon-url":      "PLEDGE_BEACON_URL",
		"commitment-port": "PLEDGE_COMMITMENT_PORT",
	}
	for flag, want := range tests {
		t.Run(flag, func(t *testing.T) {
			t.Parallel()
			got := envVars(flag)
			if len(got) != 1 || got[0] != want {
				t.Errorf("envVars(%q) = %q, want [%q]", flag, got, want)
			}
		})
	}
}
