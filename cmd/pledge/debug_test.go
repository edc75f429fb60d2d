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
