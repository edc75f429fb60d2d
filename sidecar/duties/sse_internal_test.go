package duties

import (
	"errors"
	"strings"
	"testing"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
)

const headJSON = `{"slot":"10","block":"0x` + "aa00000000000000000000000000000000000000000000000000000000000000" +
	`","state":"0x` + "bb00000000000000000000000000000000000000000000000000000000000000" +
	`","epoch_transition":false,"execution_optimistic":false}`

func TestReadHeadEvents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		stream  string
		slots   []uint64
		wantErr bool
	}{
		{"one event", "event: head\ndata: " + headJSON + "\n\n", []uint64{10}, false},
		{"crlf and keep-alive comments", ":\r\n: ping\r\nevent: head\r\ndata: " + headJSON + "\r\n\r\n", []uint64{10}, false},
		{"other topics ignored", "event: block\ndata: {}\n\nevent: head\ndata:" + headJSON + "\n\n", []uint64{10}, false},
		{"data split over lines", "event: head\ndata: {\"slot\":\"11\",\ndata: " + headJSON[len(`{"slot":"10",`):] + "\n\n", []uint64{11}, false},
		{"unterminated event dropped", "event: head\ndata: " + headJSON + "\n", nil, false},
		{"malformed json", "event: head\ndata: {\"slot\":\n\n", nil, true},
		{"head without slot", "event: head\ndata: {}\n\n", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []uint64
			err := readHeadEvents(strings.NewReader(tc.stream), func(ev *apiv1.HeadEvent) { got = append(got, uint64(ev.Slot)) })
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if len(got) != len(tc.slots) {
				t.Fatalf("slots = %v, want %v", got, tc.slots)
			}
			for i := range got {
				if got[i] != tc.slots[i] {
					t.Fatalf("slots = %v, want %v", got, tc.slots)
				}
			}
		})
	}
}

func TestParseSpec(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		spec    map[string]any
		wantErr bool
	}{
		{"ms wins", map[string]any{"SLOT_DURATION_MS": uint64(500), "SECONDS_PER_SLOT": uint64(12), "SLOTS_PER_EPOCH": uint64(32)}, false},
		{"no duration", map[string]any{"SLOTS_PER_EPOCH": uint64(32)}, true},
		{"no epoch length", map[string]any{"SLOT_DURATION_MS": uint64(500)}, true},
		{"zero epoch length", map[string]any{"SLOT_DURATION_MS": uint64(500), "SLOTS_PER_EPOCH": uint64(0)}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, n, err := parseSpec(tc.spec)
			if (err != nil) != tc.wantErr || (err != nil && !errors.Is(err, ErrBadSpec)) {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil && (d != 500*time.Millisecond || n != 32) {
				t.Fatalf("parseSpec = %v, %d", d, n)
			}
		})
	}
}
