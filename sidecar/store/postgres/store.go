// Package postgres keeps the sidecar's signed promises in PostgreSQL, so that
// several sidecars of one operator can sell the same slots: every write is
// committed with synchronous commit before it returns, and CommitClaimed
// decides, atomically across all of them, whether a promise may be sold at
// all (its nonces, its slot's room, the exposure) before it is recorded.
//
// Atomicity: every claimed promise locks the one row of pledge_operator for
// the length of its transaction, so the decisions of all sidecars are
// serialized (the commits of unclaimed writes still group). A unique key on
// (chain, sender, nonce) backs the sold-nonce rule on its own: no bug in the
// deciding code can write two transactions for one nonce.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/pledgeproto/pledge/sidecar/store"
)

// ErrSchemaTooNew is returned by Open for a database migrated by a newer
// Pledge: this build would misread it.
var ErrSchemaTooNew = errors.New("promise store schema is newer than this build")

// channel is the LISTEN/NOTIFY channel a committed promise is announced on,
// with its slot as payload.
const channel = "pledge_promises"

// Store is the PostgreSQL promise store. It is safe for concurrent use, and
// for use by several processes on one database.
type Store struct {
	pool    *pgxpool.Pool
	name    string
	timeout time.Duration

	// mu guards closed: every call holds it shared, Close exclusively.
	mu     sync.RWMutex
	closed bool
}

var _ fmt.Stringer = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithTimeout bounds each call that takes no context (Put, ByRequest,
// Range, Slots, Prune). Default 5 s.
func WithTimeout(d time.Duration) Option { return func(s *Store) { s.timeout = d } }

// Open connects to the database at dsn (a postgres:// URL or key=value
// string), creates or migrates the schema, and refuses a schema newer than
// this build's. Sessions run with synchronous_commit on unless the DSN asks
// for remote_write or remote_apply; a DSN that turns it off is refused.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("promise store: parse the PostgreSQL DSN: %w", err)
	}
	rp := cfg.ConnConfig.RuntimeParams
	switch sc := rp["synchronous_commit"]; sc {
	case "", "on":
		rp["synchronous_commit"] = "on"
	case "remote_write", "remote_apply":
	default:
		return nil, fmt.Errorf("promise store: synchronous_commit=%s would acknowledge promises before they are durable; use on, remote_write or remote_apply", sc)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	s := &Store{
		name:    fmt.Sprintf("postgres %s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database),
		timeout: 5 * time.Second,
	}
	for _, o := range opts {
		o(s)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: connect: %w", s.name, err)
	}
	err = migrate(ctx, conn.Conn())
	conn.Release()
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	s.pool = pool
	return s, nil
}

// String names the store (host, port, database; never credentials).
func (s *Store) String() string { return s.name }

// key maps a uint64 onto a bigint with the same order.
func key(u uint64) int64 { return int64(u ^ 1<<63) }

func unkey(i int64) uint64 { return uint64(i) ^ 1<<63 }

func (s *Store) acquire() bool {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return false
	}
	return true
}

func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

// Put writes the record, committed (synchronous commit) before it returns,
// and assigns rec.Seq: one sequence across every sidecar on the database.
// It claims nothing: CommitClaimed is the write of a sold promise.
func (s *Store) Put(rec *store.Record) error {
	if !s.acquire() {
		return store.ErrClosed
	}
	defer s.mu.RUnlock()
	ctx, cancel := s.ctx()
	defer cancel()
	val, err := store.EncodeRecord(rec)
	if err != nil {
		return err
	}
	row := s.pool.QueryRow(ctx, `WITH ins AS (
		INSERT INTO pledge_promises (slot, request_hash, record) VALUES ($1, $2, $3) RETURNING seq)
		SELECT seq, pg_notify('`+channel+`', $4) FROM ins`,
		key(rec.Slot), rec.Commitment.Commitment.RequestHash[:], val, fmt.Sprint(rec.Slot))
	var seq int64
	var ignore string
	if err := row.Scan(&seq, &ignore); err != nil {
		return fmt.Errorf("%s: persist promise for slot %d: %w", s.name, rec.Slot, err)
	}
	rec.Seq = uint64(seq)
	return nil
}

func scanRecord(row pgx.Row) (*store.Record, error) {
	var slot, seq int64
	var val []byte
	if err := row.Scan(&slot, &seq, &val); err != nil {
		return nil, err
	}
	return store.DecodeRecord(unkey(slot), uint64(seq), val)
}

// ByRequest returns the newest promise made for a request hash.
func (s *Store) ByRequest(h common.Hash) (*store.Record, error) {
	if !s.acquire() {
		return nil, store.ErrClosed
	}
	defer s.mu.RUnlock()
	ctx, cancel := s.ctx()
	defer cancel()
	rec, err := s.byRequest(ctx, s.pool, h)
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrCorrupt) {
		return nil, fmt.Errorf("%s: look up request %s: %w", s.name, h, err)
	}
	return rec, err
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) byRequest(ctx context.Context, q querier, h common.Hash) (*store.Record, error) {
	rec, err := scanRecord(q.QueryRow(ctx, `SELECT slot, seq, record FROM pledge_promises
		WHERE request_hash = $1 ORDER BY seq DESC LIMIT 1`, h[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	return rec, err
}

// Range calls fn for every promise with from <= slot < to, in slot then
// sequence order, and stops at fn's first error. The rows stream, so fn
// may be slow only within the store's timeout.
func (s *Store) Range(from, to uint64, fn func(*store.Record) error) error {
	if !s.acquire() {
		return store.ErrClosed
	}
	defer s.mu.RUnlock()
	if from >= to {
		return nil
	}
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT slot, seq, record FROM pledge_promises
		WHERE slot >= $1 AND slot < $2 ORDER BY slot, seq`, key(from), key(to))
	if err != nil {
		return fmt.Errorf("%s: scan promises: %w", s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: scan promises: %w", s.name, err)
	}
	return nil
}

// Slots returns the slots with from <= slot < to that hold at least one
// promise, ascending.
func (s *Store) Slots(from, to uint64) ([]uint64, error) {
	if !s.acquire() {
		return nil, store.ErrClosed
	}
	defer s.mu.RUnlock()
	if from >= to {
		return nil, nil
	}
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT slot FROM pledge_promises
		WHERE slot >= $1 AND slot < $2 ORDER BY slot`, key(from), key(to))
	if err != nil {
		return nil, fmt.Errorf("%s: scan promise slots: %w", s.name, err)
	}
	slots, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (uint64, error) {
		var k int64
		err := r.Scan(&k)
		return unkey(k), err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: scan promise slots: %w", s.name, err)
	}
	return slots, nil
}

// Prune deletes every promise of a slot before `before`, with the nonces
// they sold (unless sold again for a later slot) and the slots' room, in
// one committed transaction. It returns how many promises it deleted.
func (s *Store) Prune(before uint64) (int, error) {
	if !s.acquire() {
		return 0, store.ErrClosed
	}
	defer s.mu.RUnlock()
	ctx, cancel := s.ctx()
	defer cancel()
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM pledge_promises WHERE slot < $1`, key(before))
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		for _, q := range []string{
			`DELETE FROM pledge_sold_nonces WHERE slot < $1`,
			`DELETE FROM pledge_slot_use WHERE slot < $1`,
			`DELETE FROM pledge_slot_l2 WHERE slot < $1`,
			`DELETE FROM pledge_authorities WHERE slot < $1`,
		} {
			if _, err := tx.Exec(ctx, q, key(before)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: prune before slot %d: %w", s.name, before, err)
	}
	return int(n), nil
}

// Close closes the connections. Further calls fail with store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if !s.acquire() {
		return store.ErrClosed
	}
	defer s.mu.RUnlock()
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}

// numeric reads a numeric column's text as a big.Int.
func numeric(text string) (*big.Int, error) {
	v, ok := new(big.Int).SetString(strings.TrimSpace(text), 10)
	if !ok {
		return nil, fmt.Errorf("%w: numeric %q", store.ErrCorrupt, text)
	}
	return v, nil
}
