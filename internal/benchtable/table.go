// Package benchtable runs Pledge's key measurements side by side, in
// process, and prints them as one table against the targets the issues set:
// promise latency and throughput on an in-process devnet, rejection
// throughput, memory per stored promise, the builder proxy's getHeader
// overhead, multiproof verification, promise signing and verification, tx
// decoding, the local fallback build, and gas on the simulated chain.
// `pledge bench all` prints it; the micro-benchmarks go through
// testing.Benchmark so the binary needs no source tree.
package benchtable

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Target is a bound a figure should meet.
type Target struct {
	// AtMost is true for "≤ Value", false for "≥ Value".
	AtMost bool
	Value  float64
	// Source says which issue set it (e.g. "#4").
	Source string
}

// String renders the target with its unit, e.g. "≤ 1 ms (#4)".
func (t Target) String(unit string) string {
	op := "≥"
	if t.AtMost {
		op = "≤"
	}
	s := fmt.Sprintf("%s %s %s", op, number(t.Value), unit)
	if t.Source != "" {
		s += " (" + t.Source + ")"
	}
	return s
}

// Met reports whether v meets the target.
func (t Target) Met(v float64) bool {
	if t.AtMost {
		return v <= t.Value
	}
	return v >= t.Value
}

// Row is one line of the table.
type Row struct {
	// ID is the measurement the row belongs to (what --only selects).
	ID string
	// What is measured, in words.
	What string
	// Value is the figure; NaN when the measurement failed (see Err).
	Value float64
	Unit  string
	// Target is nil when no issue sets one.
	Target *Target
	// Note is shown under the table (how many, what else ran, sources).
	Note string
	// Err is why the figure is missing.
	Err error
}

// Met is "yes", "no", or "—" when there is no target or no figure.
func (r Row) Met() string {
	switch {
	case r.Target == nil || r.Err != nil || math.IsNaN(r.Value):
		return "—"
	case r.Target.Met(r.Value):
		return "yes"
	default:
		return "no"
	}
}

// Figure is the value as printed, "skipped" (ErrSkipped) or "error".
func (r Row) Figure() string {
	if errors.Is(r.Err, ErrSkipped) {
		return "skipped"
	}
	if r.Err != nil || math.IsNaN(r.Value) {
		return "error"
	}
	return number(r.Value)
}

// Table is a run's rows and the machine they ran on.
type Table struct {
	Machine Machine
	Rows    []Row
}

// Columns are the table's header, in order.
var Columns = []string{"id", "what", "figure", "unit", "target", "met"}

// Write prints the machine line, the table (aligned plain text) and the
// notes and errors under it.
func (t *Table) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "machine: %s\n\n", t.Machine)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(Columns, "\t"))
	for _, r := range t.Rows {
		target := "—"
		if r.Target != nil {
			target = r.Target.String(r.Unit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.What, r.Figure(), r.Unit, target, r.Met())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	notes := false
	for _, r := range t.Rows {
		text := r.Note
		switch {
		case errors.Is(r.Err, ErrSkipped):
			text = r.Err.Error()
		case r.Err != nil:
			text = "error: " + r.Err.Error()
		}
		if text == "" {
			continue
		}
		if !notes {
			b.WriteString("\nnotes:\n")
			notes = true
		}
		fmt.Fprintf(&b, "  %s / %s: %s\n", r.ID, r.What, text)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Markdown renders the rows as a markdown table (docs/performance.md).
func (t *Table) Markdown() string {
	var b strings.Builder
	b.WriteString("| What | Figure | Unit | Target | Met |\n|---|---:|---|---|---|\n")
	for _, r := range t.Rows {
		target := ""
		if r.Target != nil {
			target = r.Target.String(r.Unit)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.What, r.Figure(), r.Unit, target, r.Met())
	}
	return b.String()
}

// number prints v with three significant digits and thousands separators
// for large values, as the docs quote figures.
func number(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1000:
		return thousands(int64(math.Round(v)))
	case a >= 100 || a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

func thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
