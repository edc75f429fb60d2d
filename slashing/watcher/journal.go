package watcher

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// State is where a promise stands in the journal.
type State string

// The states of a promise. Kept, slashed and refused are final. A broken
// promise goes seen → committing → committed → pending → slashed: the
// watcher's claim on the share is committed on-chain in a block before the
// evidence that names it (docs/protocol.md §9.5).
const (
	// StateSeen: the promise is known and waits for its judgement.
	StateSeen State = "seen"
	// StateCommitting: the promise was found broken; Claim was drawn and the
	// commitClaim transaction Tx signed, both journaled before it was sent.
	StateCommitting State = "committing"
	// StateCommitted: the claim's commitment was mined in CommitBlock; the
	// evidence naming it can land from the next block on.
	StateCommitted State = "committed"
	// StatePending: evidence was signed and sent in Tx; not yet mined.
	StatePending State = "pending"
	// StateKept: the promise was kept (or its transaction's nonce was used in the slot).
	StateKept State = "kept"
	// StateSlashed: the evidence in Tx was mined and slashed the operator.
	StateSlashed State = "slashed"
	// StateRefused: the promise cannot be slashed; Reason says why.
	StateRefused State = "refused"
)

// Final says whether nothing more will be done for a promise in state s.
func (s State) Final() bool { return s == StateKept || s == StateSlashed || s == StateRefused }

// inFlight says whether a transaction of the watcher is out for a promise in
// state s (its commitClaim or its evidence).
func (s State) inFlight() bool { return s == StateCommitting || s == StatePending }

// ClaimRecord is a claim as the journal keeps it: who the watcher's share of
// slashing the record's digest goes to, and the salt of its commitment. The
// first claim journaled for a digest is its claim for good: once its
// commitment may have been sent, a new salt would be a second commitment.
type ClaimRecord struct {
	Beneficiary common.Address `json:"beneficiary"`
	Salt        common.Hash    `json:"salt"`
}

// Claim returns the claim as the slashing package takes it.
func (c ClaimRecord) Claim() slashing.Claim {
	return slashing.Claim{Beneficiary: c.Beneficiary, Salt: c.Salt}
}

// Record is one line of the journal. The latest record of a digest is its state.
type Record struct {
	Digest   common.Hash    `json:"digest"`
	State    State          `json:"state"`
	Slot     uint64         `json:"slot"`
	Operator common.Address `json:"operator"`
	// Fault is the rule the evidence invokes (committing, committed, pending, slashed).
	Fault string `json:"fault,omitempty"`
	// Other is, for an equivocation, the digest of the second promise (B):
	// it proves the fault but is neither paid nor settled by it.
	Other *common.Hash `json:"other,omitempty"`
	// Tx is the commitClaim transaction (committing, committed) or the
	// evidence transaction (pending, slashed).
	Tx *common.Hash `json:"tx,omitempty"`
	// RawTx is the signed transaction of Tx, written before it is sent, so a
	// restarted watcher re-sends the very same transaction instead of a new one.
	RawTx hexutil.Bytes `json:"raw_tx,omitempty"`
	// Claim is the digest's claim (committing; later records may repeat it).
	Claim *ClaimRecord `json:"claim,omitempty"`
	// CommitBlock is the block the claim's commitment was mined in (committed).
	CommitBlock uint64 `json:"commit_block,omitempty"`
	// Reason says why a promise is not slashable (refused) or why it is judged again (seen).
	Reason string `json:"reason,omitempty"`
	// Promise is the signed promise, carried by the first record of a digest so
	// that promises handed over by users survive restarts.
	Promise *protocol.SignedCommitment `json:"promise,omitempty"`
	// Time is when the record was written (unix seconds).
	Time int64 `json:"time"`
}

// PendingTx is a transaction sent for a promise and not yet resolved: its
// claim's commitment (State committing) or its evidence (State pending).
type PendingTx struct {
	Hash  common.Hash
	Raw   []byte
	Fault string
	State State
	Other *common.Hash
}

// Journal is an append-only, fsynced JSON-lines file of Records. Each Append is
// on disk before it returns; a torn last line (a crash mid-write) is dropped on
// open. With no file it keeps the records in memory only.
type Journal struct {
	mu       sync.Mutex
	f        *os.File
	latest   map[common.Hash]Record
	promises map[common.Hash]*protocol.SignedCommitment
	claims   map[common.Hash]ClaimRecord
	pending  map[common.Hash][]PendingTx
	order    []common.Hash
	now      func() time.Time
}

func newJournal() *Journal {
	return &Journal{
		latest:   map[common.Hash]Record{},
		promises: map[common.Hash]*protocol.SignedCommitment{},
		claims:   map[common.Hash]ClaimRecord{},
		pending:  map[common.Hash][]PendingTx{},
		now:      time.Now,
	}
}

// MemoryJournal returns a journal that keeps nothing on disk (for one-shot use).
func MemoryJournal() *Journal { return newJournal() }

// OpenJournal opens (or creates) the journal at path and replays it.
func OpenJournal(path string) (*Journal, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: no journal path", ErrBadConfig)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %w", ErrJournal, path, err)
	}
	j := newJournal()
	good, err := j.replay(f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%w: %s: %w", ErrJournal, path, err)
	}
	// Drop a torn tail so the next record starts on a line of its own.
	if err := f.Truncate(good); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%w: truncate %s: %w", ErrJournal, path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%w: seek %s: %w", ErrJournal, path, err)
	}
	j.f = f
	return j, nil
}

// ReadJournal reads the journal at path without opening it for writing.
func ReadJournal(path string) (*Journal, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrJournal, err)
	}
	defer f.Close()
	j := newJournal()
	if _, err := j.replay(f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrJournal, path, err)
	}
	return j, nil
}

// replay applies every complete line of r and returns the length of the valid
// prefix. Only the last line may be damaged (a crash mid-append); damage
// anywhere else means the file was edited, and replaying past it could submit
// a promise twice, so it is refused.
func (j *Journal) replay(r io.Reader) (int64, error) {
	br := bufio.NewReader(r)
	var good int64
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			// A last line without its newline was not fully written (or not synced).
			return good, nil
		}
		if err != nil {
			return good, err
		}
		var rec Record
		if jerr := json.Unmarshal(b, &rec); jerr != nil || rec.Digest == (common.Hash{}) || rec.State == "" {
			if _, perr := br.Peek(1); errors.Is(perr, io.EOF) {
				return good, nil
			}
			return good, fmt.Errorf("line %d is not a journal record", line)
		}
		j.apply(rec)
		good += int64(len(b))
	}
}

func (j *Journal) apply(rec Record) {
	if _, ok := j.latest[rec.Digest]; !ok {
		j.order = append(j.order, rec.Digest)
	}
	if rec.Promise != nil {
		j.promises[rec.Digest] = rec.Promise
	}
	if rec.Claim != nil {
		if _, ok := j.claims[rec.Digest]; !ok {
			j.claims[rec.Digest] = *rec.Claim
		}
	}
	prev, seen := j.latest[rec.Digest]
	if rec.Promise == nil && prev.Promise != nil {
		rec.Promise = prev.Promise
	}
	j.latest[rec.Digest] = rec
	switch {
	case rec.State.inFlight() && rec.Tx != nil:
		// Replacements of one transaction pile up; a new phase starts a new list.
		if !seen || prev.State != rec.State {
			delete(j.pending, rec.Digest)
		}
		j.pending[rec.Digest] = append(j.pending[rec.Digest], PendingTx{Hash: *rec.Tx, Raw: rec.RawTx, Fault: rec.Fault, State: rec.State, Other: rec.Other})
	case !rec.State.inFlight():
		delete(j.pending, rec.Digest)
	}
}

// Append writes recs in one write and syncs the file before returning.
func (j *Journal) Append(recs ...Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var buf bytes.Buffer
	now := j.now().Unix()
	for i := range recs {
		if recs[i].Time == 0 {
			recs[i].Time = now
		}
		b, err := json.Marshal(recs[i])
		if err != nil {
			return fmt.Errorf("%w: encode: %w", ErrJournal, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if j.f != nil {
		if _, err := j.f.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("%w: write: %w", ErrJournal, err)
		}
		if err := j.f.Sync(); err != nil {
			return fmt.Errorf("%w: sync: %w", ErrJournal, err)
		}
	}
	for _, r := range recs {
		j.apply(r)
	}
	return nil
}

// Latest returns the latest record of digest d.
func (j *Journal) Latest(d common.Hash) (Record, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r, ok := j.latest[d]
	return r, ok
}

// Claim returns the claim journaled for d, if any.
func (j *Journal) Claim(d common.Hash) (ClaimRecord, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.claims[d]
	return c, ok
}

// Pending returns the unresolved transactions of d (its claim's commitment,
// or its evidence), oldest first.
func (j *Journal) Pending(d common.Hash) []PendingTx {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]PendingTx(nil), j.pending[d]...)
}

// Promise returns the signed promise of d, if the journal holds it.
func (j *Journal) Promise(d common.Hash) *protocol.SignedCommitment {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.promises[d]
}

// Outcomes returns the latest record of every digest, in the order they were first seen.
func (j *Journal) Outcomes() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Record, 0, len(j.order))
	for _, d := range j.order {
		out = append(out, j.latest[d])
	}
	return out
}

// Close closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}
