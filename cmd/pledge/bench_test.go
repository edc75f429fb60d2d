package main

import (
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pledgeproto/pledge/internal/benchtable"
)

// columnSep splits a table line: tabwriter pads columns with at least two
// spaces, and no cell holds two spaces in a row.
var columnSep = regexp.MustCompile(`\s{2,}`)

// TestBenchAllTable runs `pledge bench` on cheap rows and checks the
// table's shape — the machine line, the header, one row per figure with a
// number, a unit and a target verdict — never its timings.
func TestBenchAllTable(t *testing.T) {
	for _, env := range []string{flagQuick, flagOnly} {
		name := envVars(env)[0]
		t.Setenv(name, "")
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		args []string
		ids  []string // the rows' ids, in order
	}{
		{"all with one row", []string{"bench", "all", "--quick", "--only", "multiproof"}, []string{"multiproof"}},
		{"no subcommand, table order kept", []string{"bench", "--quick", "--only", "promise-verify,promise-sign"}, []string{"promise-sign", "promise-verify"}},
		{"repeated --only", []string{"bench", "all", "--quick", "--only", "tx-decode", "--only", "multiproof"}, []string{"tx-decode", "multiproof"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := run(t, newApp(), tc.args...)
			if err != nil {
				t.Fatalf("%v\nstderr: %s", err, stderr)
			}
			lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
			if len(lines) < 3+len(tc.ids) {
				t.Fatalf("output too short:\n%s", stdout)
			}
			machine := lines[0]
			for _, want := range []string{"machine: ", " cores, go1.", "cgo o", "load ", " UTC"} {
				if !strings.Contains(machine, want) {
					t.Errorf("machine line %q lacks %q", machine, want)
				}
			}
			if lines[1] != "" {
				t.Errorf("no blank line after the machine line: %q", lines[1])
			}
			if got := columnSep.Split(strings.TrimSpace(lines[2]), -1); strings.Join(got, "|") != strings.Join(benchtable.Columns, "|") {
				t.Errorf("header %q, want columns %v", lines[2], benchtable.Columns)
			}
			for i, id := range tc.ids {
				cells := columnSep.Split(strings.TrimSpace(lines[3+i]), -1)
				if len(cells) != len(benchtable.Columns) {
					t.Fatalf("row %q: %d cells, want %d", lines[3+i], len(cells), len(benchtable.Columns))
				}
				if cells[0] != id {
					t.Errorf("row %d is %q, want %q", i, cells[0], id)
				}
				if v, err := strconv.ParseFloat(strings.ReplaceAll(cells[2], ",", ""), 64); err != nil || v <= 0 {
					t.Errorf("row %q: figure %q is not a positive number", id, cells[2])
				}
				if cells[3] != "µs/op" {
					t.Errorf("row %q: unit %q, want µs/op", id, cells[3])
				}
				if cells[5] != "—" && cells[5] != "yes" && cells[5] != "no" {
					t.Errorf("row %q: met %q, want yes, no or —", id, cells[5])
				}
			}
			if next := 3 + len(tc.ids); next < len(lines) && lines[next] != "" {
				t.Errorf("more rows than asked for: %q", lines[next])
			}
			for _, id := range tc.ids {
				if !strings.Contains(stderr, "bench: "+id+" — ") {
					t.Errorf("no progress line for %s on stderr: %q", id, stderr)
				}
			}
		})
	}
}

func TestBenchAllRefuses(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
		is   error
	}{
		{"unknown row", []string{"bench", "all", "--quick", "--only", "nosuch"}, `unknown measurement "nosuch" (one of: promise-sign, `, benchtable.ErrUnknownRow},
		{"unknown row among known", []string{"bench", "--only", "multiproof,latencyy"}, `"latencyy"`, benchtable.ErrUnknownRow},
		{"unknown subcommand", []string{"bench", "everything"}, `unknown bench subcommand "everything"`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, _, err := run(t, newApp(), tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want errors.Is %v", err, tc.is)
			}
			if strings.Contains(stdout, "machine:") {
				t.Errorf("a table was printed for a refused run:\n%s", stdout)
			}
		})
	}
}
