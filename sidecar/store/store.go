// Package store keeps the sidecar's signed promises on disk, in Pebble, so
// that nothing acknowledged is lost: a promise is written with a synced commit
// before the sidecar answers the request that produced it, and everything is
// read back into the slot templates on restart.
//
// Concurrent Puts share fsyncs: Pebble's commit pipeline gathers the batches
// that arrive while a WAL sync is in flight and makes them durable with the
// next one (group commit), so throughput grows with the number of concurrent
// requests while each caller still returns only after its own data is synced.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Sentinel errors of the store.
var (
	// ErrNotFound is returned when no promise answers a lookup.
	ErrNotFound = errors.New("promise not found")
	// ErrClosed is returned by calls on a closed store.
	ErrClosed = errors.New("store closed")
	// ErrCorrupt is returned when a stored record does not decode.
	ErrCorrupt = errors.New("corrupt record")
)

// Key layout. Promises are keyed by slot then by a sequence number, so a
// slot's promises read back in the order they were made: the order of the
// constraints and of the nonce stacking.
//
//	p ‖ slot(8) ‖ seq(8)   → record (RLP)
//	r ‖ requestHash(32)    → slot(8) ‖ seq(8)
const (
	prefixPromise = 'p'
	prefixRequest = 'r'
)

// Record is one signed promise with what the sidecar needs to keep it: the
// raw transactions (network encoding), which the promise itself only hashes.
type Record struct {
	Slot       uint64
	Commitment protocol.SignedCommitment
	Txs        [][]byte
	// Seq orders the promises of a slot; the store assigns it on Put.
	Seq uint64
}

// storedRecord is the on-disk form.
type storedRecord struct {
	CommitmentType uint64
	Payload        []byte
	RequestHash    common.Hash
	Slasher        common.Address
	Signature      []byte
	Txs            [][]byte
}

// Store is the promise database. It is safe for concurrent use.
type Store struct {
	db      *pebble.DB
	nextSeq atomic.Uint64

	// mu guards closed: every operation holds it shared, Close exclusively,
	// so no call touches the database after Close.
	mu     sync.RWMutex
	closed bool
}

// Open opens (or creates) the store in dir and finds the next sequence number.
func Open(dir string) (*Store, error) {
	db, err := pebble.Open(dir, &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		return nil, fmt.Errorf("open promise store %s: %w", dir, err)
	}
	s := &Store{db: db}
	if err := s.loadSeq(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) loadSeq() error {
	var next uint64
	defer func() { s.nextSeq.Store(next) }()
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixPromise}, UpperBound: []byte{prefixPromise + 1}})
	if err != nil {
		return fmt.Errorf("scan promise store: %w", err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		if k := it.Key(); len(k) == 17 {
			if seq := binary.BigEndian.Uint64(k[9:]); seq >= next {
				next = seq + 1
			}
		}
	}
	return it.Error()
}

func promiseKey(slot, seq uint64) []byte {
	k := make([]byte, 17)
	k[0] = prefixPromise
	binary.BigEndian.PutUint64(k[1:], slot)
	binary.BigEndian.PutUint64(k[9:], seq)
	return k
}

func requestKey(h common.Hash) []byte {
	return append([]byte{prefixRequest}, h[:]...)
}

// Put writes the record durably (synced to disk) and returns only then. It
// assigns rec.Seq. The request index points at the newest record of a request
// hash.
func (s *Store) Put(rec *Record) error {
	if !s.acquire() {
		return ErrClosed
	}
	defer s.mu.RUnlock()
	rec.Seq = s.nextSeq.Add(1) - 1

	c := &rec.Commitment.Commitment
	val, err := EncodeRecord(rec)
	if err != nil {
		return err
	}
	pk := promiseKey(rec.Slot, rec.Seq)
	b := s.db.NewBatch()
	defer b.Close()
	if err := b.Set(pk, val, nil); err != nil {
		return fmt.Errorf("stage promise: %w", err)
	}
	if err := b.Set(requestKey(c.RequestHash), pk[1:], nil); err != nil {
		return fmt.Errorf("stage request index: %w", err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("persist promise for slot %d: %w", rec.Slot, err)
	}
	return nil
}

// EncodeRecord is a record's stored form (RLP), without its slot and
// sequence, which the stores keep in their keys.
func EncodeRecord(rec *Record) ([]byte, error) {
	c := &rec.Commitment.Commitment
	val, err := rlp.EncodeToBytes(&storedRecord{
		CommitmentType: c.CommitmentType,
		Payload:        c.Payload,
		RequestHash:    c.RequestHash,
		Slasher:        c.Slasher,
		Signature:      rec.Commitment.Signature,
		Txs:            rec.Txs,
	})
	if err != nil {
		return nil, fmt.Errorf("encode promise: %w", err)
	}
	return val, nil
}

func decodeRecord(key, val []byte) (*Record, error) {
	if len(key) != 17 {
		return nil, fmt.Errorf("%w: key of %d bytes", ErrCorrupt, len(key))
	}
	return DecodeRecord(binary.BigEndian.Uint64(key[1:9]), binary.BigEndian.Uint64(key[9:17]), val)
}

// DecodeRecord reads a record's stored form (EncodeRecord); a value that
// does not decode is ErrCorrupt.
func DecodeRecord(slot, seq uint64, val []byte) (*Record, error) {
	var sr storedRecord
	if err := rlp.DecodeBytes(val, &sr); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return &Record{
		Slot: slot,
		Seq:  seq,
		Commitment: protocol.SignedCommitment{
			Commitment: protocol.Commitment{
				CommitmentType: sr.CommitmentType,
				Payload:        sr.Payload,
				RequestHash:    sr.RequestHash,
				Slasher:        sr.Slasher,
			},
			Signature: sr.Signature,
		},
		Txs: sr.Txs,
	}, nil
}

// ByRequest returns the newest promise made for a request hash.
func (s *Store) ByRequest(h common.Hash) (*Record, error) {
	if !s.acquire() {
		return nil, ErrClosed
	}
	defer s.mu.RUnlock()
	ref, closer, err := s.db.Get(requestKey(h))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("look up request %s: %w", h, err)
	}
	pk := append([]byte{prefixPromise}, ref...)
	closer.Close()
	val, closer, err := s.db.Get(pk)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound // pruned between the two reads
	}
	if err != nil {
		return nil, fmt.Errorf("read promise for request %s: %w", h, err)
	}
	defer closer.Close()
	return decodeRecord(pk, val)
}

// Range calls fn for every promise with from <= slot < to, in slot then
// sequence order, and stops at fn's first error.
func (s *Store) Range(from, to uint64, fn func(*Record) error) error {
	if !s.acquire() {
		return ErrClosed
	}
	defer s.mu.RUnlock()
	return s.rangeLocked(from, to, fn)
}

func (s *Store) rangeLocked(from, to uint64, fn func(*Record) error) error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: promiseKey(from, 0), UpperBound: promiseKey(to, 0)})
	if err != nil {
		return fmt.Errorf("scan promises: %w", err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		rec, err := decodeRecord(it.Key(), it.Value())
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return it.Error()
}

// Slots returns the slots with from <= slot < to that hold at least one
// promise, ascending. It reads keys only and skips from slot to slot, so it
// costs one seek per slot returned, whatever the promises per slot.
func (s *Store) Slots(from, to uint64) ([]uint64, error) {
	if !s.acquire() {
		return nil, ErrClosed
	}
	defer s.mu.RUnlock()
	if from >= to {
		return nil, nil
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: promiseKey(from, 0), UpperBound: promiseKey(to, 0)})
	if err != nil {
		return nil, fmt.Errorf("scan promise slots: %w", err)
	}
	defer it.Close()
	var out []uint64
	for ok := it.First(); ok; {
		k := it.Key()
		if len(k) != 17 {
			return nil, fmt.Errorf("%w: promise key of %d bytes", ErrCorrupt, len(k))
		}
		slot := binary.BigEndian.Uint64(k[1:9])
		out = append(out, slot)
		if slot == math.MaxUint64 {
			break
		}
		ok = it.SeekGE(promiseKey(slot+1, 0))
	}
	return out, it.Error()
}

// Prune deletes every promise of a slot before `before`, with its request
// index entry, in one synced batch. It returns how many it deleted.
func (s *Store) Prune(before uint64) (int, error) {
	if !s.acquire() {
		return 0, ErrClosed
	}
	defer s.mu.RUnlock()
	b := s.db.NewBatch()
	defer b.Close()
	n := 0
	err := s.rangeLocked(0, before, func(rec *Record) error {
		n++
		// Keep the index entry when it already points at a newer promise.
		if ref, closer, err := s.db.Get(requestKey(rec.Commitment.Commitment.RequestHash)); err == nil {
			stale := binary.BigEndian.Uint64(ref[:8]) < before
			closer.Close()
			if stale {
				if err := b.Delete(requestKey(rec.Commitment.Commitment.RequestHash), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune before slot %d: %w", before, err)
	}
	if err := b.DeleteRange(promiseKey(0, 0), promiseKey(before, 0), nil); err != nil {
		return 0, fmt.Errorf("prune before slot %d: %w", before, err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return 0, fmt.Errorf("prune before slot %d: %w", before, err)
	}
	return n, nil
}

// acquire takes the shared lock unless the store is closed; the caller
// releases it with s.mu.RUnlock.
func (s *Store) acquire() bool {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return false
	}
	return true
}

// Close flushes and closes the database. Further calls fail with ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	return s.db.Close()
}

// quietLogger drops Pebble's informational chatter; errors still surface
// through the returned errors.
type quietLogger struct{}

func (quietLogger) Infof(string, ...interface{})  {}
func (quietLogger) Errorf(string, ...interface{}) {}
func (quietLogger) Fatalf(format string, args ...interface{}) {
	panic(fmt.Sprintf(format, args...))
}
