package benchtable

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestTargetMet(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		target Target
		v      float64
		want   bool
	}{
		{"at most, under", Target{AtMost: true, Value: 1}, 0.5, true},
		{"at most, equal", Target{AtMost: true, Value: 1}, 1, true},
		{"at most, over", Target{AtMost: true, Value: 1}, 1.01, false},
		{"at least, over", Target{Value: 10_000}, 12_000, true},
		{"at least, under", Target{Value: 10_000}, 9_999, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.target.Met(tc.v); got != tc.want {
				t.Errorf("Met(%v) = %v, want %v", tc.v, got, tc.want)
			}
		})
	}
}

func TestRowMetAndFigure(t *testing.T) {
	t.Parallel()
	target := &Target{AtMost: true, Value: 1, Source: "#4"}
	cases := []struct {
		name      string
		row       Row
		met, figs string
	}{
		{"met", Row{Value: 0.25, Target: target}, "yes", "0.25"},
		{"missed", Row{Value: 24.7, Target: target}, "no", "24.7"},
		{"no target", Row{Value: 116}, "—", "116"},
		{"failed", Row{Value: math.NaN(), Target: target, Err: errors.New("boom")}, "—", "error"},
		{"error with a value", Row{Value: 3, Target: target, Err: errors.New("boom")}, "—", "error"},
		{"thousands", Row{Value: 275450, Target: &Target{AtMost: true, Value: 200_000}}, "no", "275,450"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.row.Met(); got != tc.met {
				t.Errorf("Met = %q, want %q", got, tc.met)
			}
			if got := tc.row.Figure(); got != tc.figs {
				t.Errorf("Figure = %q, want %q", got, tc.figs)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{
		0.0123: "0.0123", 1.234: "1.23", 12.34: "12.3", 123.4: "123", 1234.5: "1,235", 1_234_567: "1,234,567", 5: "5", -2500: "-2,500",
	} {
		if got := number(v); got != want {
			t.Errorf("number(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestSelection(t *testing.T) {
	t.Parallel()
	ids := func(ms []measurement) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.id)
		}
		return strings.Join(out, ",")
	}
	cases := []struct {
		name    string
		only    []string
		want    string
		wantErr error
	}{
		{"all", nil, ids(measurements), nil},
		{"empty names", []string{"", " , "}, ids(measurements), nil},
		{"table order", []string{"gas", "latency,promise-sign"}, "promise-sign,latency,gas", nil},
		{"duplicates once", []string{"gas,gas"}, "gas", nil},
		{"unknown", []string{"latency", "nosuch"}, "", ErrUnknownRow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := selection(tc.only)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && ids(got) != tc.want {
				t.Errorf("selection = %s, want %s", ids(got), tc.want)
			}
		})
	}
}

func TestTableWrite(t *testing.T) {
	t.Parallel()
	tab := &Table{
		Machine: Machine{CPU: "Test CPU", Cores: 2, GoVersion: "go1.26.8", Cgo: true, Load: 0.5, Date: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)},
		Rows: []Row{
			{ID: "latency", What: "promise latency p99", Value: 0.8, Unit: "ms", Target: &Target{AtMost: true, Value: 1, Source: "#4"}, Note: "1,000 promises"},
			{ID: "memory", What: "process RSS", Value: math.NaN(), Unit: "MB", Err: errors.New("no /proc")},
		},
	}
	var b strings.Builder
	if err := tab.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"machine: Test CPU, 2 cores, go1.26.8 ", "cgo on, load 0.50, 2026-01-02 03:04 UTC\n",
		"id ", "latency ", " 0.8 ", "≤ 1 ms (#4)", "yes\n", "memory ", "error",
		"notes:\n", "latency / promise latency p99: 1,000 promises\n", "memory / process RSS: error: no /proc\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	md := tab.Markdown()
	if !strings.Contains(md, "| promise latency p99 | 0.8 | ms | ≤ 1 ms (#4) | yes |") || !strings.Contains(md, "| process RSS | error | MB |  | — |") {
		t.Errorf("markdown:\n%s", md)
	}
}

func TestThisMachine(t *testing.T) {
	t.Parallel()
	m := ThisMachine()
	if m.Cores < 1 || m.GoVersion == "" || m.CPU == "" || m.Date.IsZero() {
		t.Errorf("machine %+v", m)
	}
}

func TestStatusKB(t *testing.T) {
	t.Parallel()
	status := "Name:\tpledge\nVmHWM:\t  557056 kB\nVmRSS:\t  12 kB\nBad:\t12 MB\nNaN:\tx kB\n"
	cases := []struct {
		key     string
		want    uint64
		wantErr bool
	}{
		{"VmRSS:", 12 * 1024, false},
		{"VmHWM:", 557056 * 1024, false},
		{"VmSwap:", 0, true},
		{"Bad:", 0, true},
		{"NaN:", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			got, err := statusKB(status, tc.key)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("statusKB(%s) = %d, %v; want %d, error %v", tc.key, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
