package duties

import "time"

// Clock maps wall-clock time to beacon-chain slots and epochs. Its zero value
// (before genesis and spec are known) answers slot 0 for everything.
type Clock struct {
	// Genesis is the start of slot 0.
	Genesis time.Time
	// SlotDuration is the length of one slot (12 s on mainnet).
	SlotDuration time.Duration
	// SlotsPerEpoch is the number of slots in an epoch (32 on mainnet).
	SlotsPerEpoch uint64
}

// SlotAt is the slot running at t; times before genesis are slot 0.
func (c Clock) SlotAt(t time.Time) uint64 {
	if c.SlotDuration <= 0 || !t.After(c.Genesis) {
		return 0
	}
	return uint64(t.Sub(c.Genesis) / c.SlotDuration)
}

// SlotStart is the time slot starts.
func (c Clock) SlotStart(slot uint64) time.Time {
	return c.Genesis.Add(time.Duration(slot) * c.SlotDuration)
}

// CurrentSlot is the slot running now.
func (c Clock) CurrentSlot() uint64 { return c.SlotAt(time.Now()) }

// Epoch is the epoch that slot belongs to.
func (c Clock) Epoch(slot uint64) uint64 {
	if c.SlotsPerEpoch == 0 {
		return 0
	}
	return slot / c.SlotsPerEpoch
}

// EpochStartSlot is the first slot of epoch.
func (c Clock) EpochStartSlot(epoch uint64) uint64 { return epoch * c.SlotsPerEpoch }

// known reports whether the clock has been set from the beacon node.
func (c Clock) known() bool { return c.SlotDuration > 0 && c.SlotsPerEpoch > 0 && !c.Genesis.IsZero() }
