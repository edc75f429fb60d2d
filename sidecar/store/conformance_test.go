package store_test

import (
	"testing"

	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) (storetest.Store, func() storetest.Store) {
			dir := t.TempDir()
			s, err := store.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			return s, func() storetest.Store {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s, err = store.Open(dir)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		},
		Corrupt: func(t *testing.T, s storetest.Store, slot uint64) {
			if err := store.CorruptForTest(s.(*store.Store), slot); err != nil {
				t.Fatal(err)
			}
		},
	})
}
