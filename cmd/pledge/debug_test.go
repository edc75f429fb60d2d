package main

import "testing"

func TestParseBytes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"": 0, "0": 0, "123": 123, "160MiB": 160 << 20, "200MB": 200e6, "1GiB": 1 << 30, " 64 KiB ": 64 << 10, "5B": 5,
	} {
		got, err := parseBytes(in)
		if err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "MiB", "1.5GiB", "12 apples", "99999999999999GiB"} {
		if got, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) = %d, want an error", in, got)
		}
	}
}

func TestLiveHeapState(t *testing.T) {
	t.Parallel()
	const limit = 100 << 20
	mb := func(n uint64) uint64 { return n << 20 }
	steps := []struct {
		live          uint64
		high, changed bool
	}{
		{mb(40), false, false},
		{mb(70), false, false}, // at the line, not past it
		{mb(71), true, true},   // past: warn once
		{mb(90), true, false},  // still past: no repeat
		{mb(65), true, false},  // under the line but inside the margin: no flapping
		{mb(59), false, true},  // well under: say so once
		{mb(50), false, false},
	}
	high := false
	for i, s := range steps {
		got, changed := liveHeapState(s.live, limit, high)
		if got != s.high || changed != s.changed {
			t.Fatalf("step %d (%d MiB live): high %v changed %v, want %v %v", i, s.live>>20, got, changed, s.high, s.changed)
		}
		high = got
	}
}
