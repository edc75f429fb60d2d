package store

// CorruptForTest writes an undecodable record for slot behind the store's back.
func CorruptForTest(s *Store, slot uint64) error {
	return s.db.Set(promiseKey(slot, 1<<40), []byte{0xff, 0x01}, nil)
}
