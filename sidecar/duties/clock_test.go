package duties_test

import (
	"testing"
	"time"

	"github.com/pledgeproto/pledge/sidecar/duties"
)

func TestClock(t *testing.T) {
	t.Parallel()
	g := time.Unix(1_606_824_023, 0) // mainnet genesis
	mainnet := duties.Clock{Genesis: g, SlotDuration: 12 * time.Second, SlotsPerEpoch: 32}
	fast := duties.Clock{Genesis: g, SlotDuration: 250 * time.Millisecond, SlotsPerEpoch: 4}
	cases := []struct {
		name  string
		c     duties.Clock
		at    time.Time
		slot  uint64
		epoch uint64
	}{
		{"before genesis", mainnet, g.Add(-time.Hour), 0, 0},
		{"at genesis", mainnet, g, 0, 0},
		{"last instant of slot 0", mainnet, g.Add(12*time.Second - time.Nanosecond), 0, 0},
		{"start of slot 1", mainnet, g.Add(12 * time.Second), 1, 0},
		{"last slot of epoch 0", mainnet, g.Add(31 * 12 * time.Second), 31, 0},
		{"first slot of epoch 1", mainnet, g.Add(32 * 12 * time.Second), 32, 1},
		{"far slot", mainnet, g.Add(10_000_000 * 12 * time.Second), 10_000_000, 312_500},
		{"sub-second slots", fast, g.Add(1100 * time.Millisecond), 4, 1},
		{"zero clock", duties.Clock{}, time.Now(), 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			slot := tc.c.SlotAt(tc.at)
			if slot != tc.slot {
				t.Fatalf("SlotAt = %d, want %d", slot, tc.slot)
			}
			if e := tc.c.Epoch(slot); e != tc.epoch {
				t.Fatalf("Epoch(%d) = %d, want %d", slot, e, tc.epoch)
			}
			if tc.c.SlotDuration == 0 {
				return
			}
			start := tc.c.SlotStart(slot)
			if tc.at.After(g) && (start.After(tc.at) || !tc.c.SlotStart(slot+1).After(tc.at)) {
				t.Fatalf("slot %d spans [%v, %v), not containing %v", slot, start, tc.c.SlotStart(slot+1), tc.at)
			}
			if tc.c.EpochStartSlot(tc.epoch) > slot || tc.c.EpochStartSlot(tc.epoch+1) <= slot {
				t.Fatalf("epoch %d start slot %d does not contain slot %d", tc.epoch, tc.c.EpochStartSlot(tc.epoch), slot)
			}
		})
	}
	if got := mainnet.SlotStart(1); !got.Equal(g.Add(12 * time.Second)) {
		t.Fatalf("SlotStart(1) = %v", got)
	}
	now := time.Now()
	live := duties.Clock{Genesis: now.Add(-time.Hour), SlotDuration: 12 * time.Second, SlotsPerEpoch: 32}
	if cs := live.CurrentSlot(); cs < 299 || cs > 301 {
		t.Fatalf("CurrentSlot an hour after genesis = %d, want 300", cs)
	}
}
