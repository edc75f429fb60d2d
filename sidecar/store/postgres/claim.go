package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pledgeproto/pledge/sidecar/store"
)

// CommitClaimed records a sold promise if its claims still hold across every
// sidecar on the database, in one transaction committed (synchronous commit)
// before it returns:
//
//   - the request already has a promise (another sidecar won the race):
//     that promise is returned, nothing is written;
//   - the slot is sealed: store.ErrSealed;
//   - a nonce is sold to another tx, or to the same tx for a slot after
//     c.HeadSlot: store.ErrNonceSold; a nonce whose predecessor is not sold
//     for this slot or an earlier one: store.ErrNonceGap;
//   - c.Fits, given the slot's room and the exposure as every sidecar's
//     promises left them, refuses: its error.
//
// Otherwise the promise, its nonces and its room are written and rec (with
// its Seq) is returned. The decision holds the operator's row lock until the
// commit, so no two sidecars decide at once. Any other error means nothing
// was written, or the commit's outcome is unknown (the connection died
// during COMMIT): either way the promise must not be returned.
func (s *Store) CommitClaimed(ctx context.Context, rec *store.Record, c *store.Claims) (*store.Record, error) {
	if !s.acquire() {
		return nil, store.ErrClosed
	}
	defer s.mu.RUnlock()
	val, err := store.EncodeRecord(rec)
	if err != nil {
		return nil, err
	}
	var out *store.Record
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var e error
		out, e = s.claim(ctx, tx, rec, val, c)
		return e
	})
	if err != nil {
		if isRefusal(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: commit promise for slot %d: %w", s.name, rec.Slot, err)
	}
	return out, nil
}

func isRefusal(err error) bool {
	var r refusal
	return errors.As(err, &r)
}

// refusal marks an error as the decision's answer (not a failure).
type refusal struct{ error }

func (r refusal) Unwrap() error { return r.error }

func (s *Store) claim(ctx context.Context, tx pgx.Tx, rec *store.Record, val []byte, c *store.Claims) (*store.Record, error) {
	// Round trip 1: lock, seal, an earlier promise of the request, the
	// nonces and their predecessors, the slot's room and the exposure.
	b := &pgx.Batch{}
	var sealed int64
	b.Queue(`SELECT sealed_below FROM pledge_operator WHERE id = 1 FOR UPDATE`).QueryRow(func(r pgx.Row) error {
		return r.Scan(&sealed)
	})
	var winner *store.Record
	b.Queue(`SELECT slot, seq, record FROM pledge_promises WHERE request_hash = $1 ORDER BY seq DESC LIMIT 1`,
		rec.Commitment.Commitment.RequestHash[:]).QueryRow(func(r pgx.Row) error {
		w, err := scanRecord(r)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		winner = w
		return err
	})
	type sold struct {
		found bool
		hash  []byte
		slot  int64
	}
	nonces := make([]sold, len(c.Nonces))
	preds := make([]sold, len(c.Nonces))
	succs := make([]sold, len(c.Nonces))
	readSold := func(into *sold) func(pgx.Row) error {
		return func(r pgx.Row) error {
			err := r.Scan(&into.hash, &into.slot)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			into.found = err == nil
			return err
		}
	}
	const soldQ = `SELECT tx_hash, slot FROM pledge_sold_nonces WHERE chain = $1 AND sender = $2 AND nonce = $3`
	for i, n := range c.Nonces {
		b.Queue(soldQ, key(n.Chain), n.Sender[:], key(n.Nonce)).QueryRow(readSold(&nonces[i]))
		// The successor: a missed tx sold again must not go at or after
		// the slot its successor's promise carries it into (§3.4).
		b.Queue(soldQ, key(n.Chain), n.Sender[:], key(n.Nonce+1)).QueryRow(readSold(&succs[i]))
		if n.Nonce > n.AccountNonce {
			b.Queue(soldQ, key(n.Chain), n.Sender[:], key(n.Nonce-1)).QueryRow(readSold(&preds[i]))
		}
	}
	// §3.5 across sidecars: a sender some live promised authorization
	// touches, and an authority with live promises.
	authorized := make([]bool, len(c.Nonces))
	for i, n := range c.Nonces {
		b.Queue(`SELECT EXISTS (SELECT 1 FROM pledge_authorities WHERE chain = $1 AND authority = $2 AND slot > $3)`,
			key(n.Chain), n.Sender[:], key(c.HeadSlot)).QueryRow(func(r pgx.Row) error { return r.Scan(&authorized[i]) })
	}
	promised := make([]bool, len(c.Authorities))
	for i, a := range c.Authorities {
		b.Queue(`SELECT EXISTS (SELECT 1 FROM pledge_sold_nonces WHERE chain = $1 AND sender = $2 AND slot > $3)`,
			key(a.Chain), a.Address[:], key(c.HeadSlot)).QueryRow(func(r pgx.Row) error { return r.Scan(&promised[i]) })
	}
	used := store.SlotUse{L2: map[uint64]store.L2Use{}}
	b.Queue(`SELECT gas, blobs, promises, l2_max_tx FROM pledge_slot_use WHERE slot = $1`, key(rec.Slot)).QueryRow(func(r pgx.Row) error {
		var gas, blobs int64
		err := r.Scan(&gas, &blobs, &used.Promises, &used.L2MaxTx)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		used.Gas, used.Blobs = uint64(gas), uint64(blobs)
		return err
	})
	b.Queue(`SELECT chain, gas, bytes, txs FROM pledge_slot_l2 WHERE slot = $1`, key(rec.Slot)).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var chain, gas, bytes, txs int64
			if err := rows.Scan(&chain, &gas, &bytes, &txs); err != nil {
				return err
			}
			used.L2[unkey(chain)] = store.L2Use{Gas: uint64(gas), Bytes: uint64(bytes), Txs: uint64(txs)}
		}
		return rows.Err()
	})
	var exposureText string
	b.Queue(`SELECT coalesce(sum(slash), 0)::text FROM pledge_slot_use`).QueryRow(func(r pgx.Row) error {
		return r.Scan(&exposureText)
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	if winner != nil {
		return winner, nil
	}
	if rec.Slot < unkey(sealed) {
		return nil, refusal{fmt.Errorf("%w: slot %d (sealed below %d)", store.ErrSealed, rec.Slot, unkey(sealed))}
	}
	for i, n := range c.Nonces {
		if got := nonces[i]; got.found {
			if string(got.hash) != string(n.TxHash[:]) {
				return nil, refusal{fmt.Errorf("%w: nonce %d of %s on chain %d is promised to another transaction (slot %d)", store.ErrNonceSold, n.Nonce, n.Sender, n.Chain, unkey(got.slot))}
			}
			if unkey(got.slot) > c.HeadSlot {
				return nil, refusal{fmt.Errorf("%w: transaction %s is already promised for slot %d", store.ErrNonceSold, n.TxHash, unkey(got.slot))}
			}
			// Sold again after its slot was missed: a live promise of the
			// next nonce for slot S carries it into S (§3.4), where it is
			// spent, so it may be promised again only for a slot before S.
			// (Stricter than the engine when that promise was dropped
			// instead of carried: the store cannot tell, and a refusal
			// harms no one.)
			if sc := succs[i]; sc.found && unkey(sc.slot) > c.HeadSlot && unkey(sc.slot) <= rec.Slot {
				return nil, refusal{fmt.Errorf("%w: nonce %d of %s on chain %d missed its slot and is carried into slot %d, ahead of nonce %d promised there; it may be promised again only for an earlier slot",
					store.ErrNonceGap, n.Nonce, n.Sender, n.Chain, unkey(sc.slot), n.Nonce+1)}
			}
		}
		if n.Nonce <= n.AccountNonce || inClaims(c.Nonces[:i], n) {
			continue
		}
		if p := preds[i]; !p.found || unkey(p.slot) > rec.Slot {
			return nil, refusal{fmt.Errorf("%w: nonce %d of %s on chain %d: nonce %d is not promised for slot %d or before", store.ErrNonceGap, n.Nonce, n.Sender, n.Chain, n.Nonce-1, rec.Slot)}
		}
	}
	for i, n := range c.Nonces {
		if authorized[i] {
			return nil, refusal{fmt.Errorf("%w: %s on chain %d", store.ErrAuthorized, n.Sender, n.Chain)}
		}
	}
	for i, a := range c.Authorities {
		if promised[i] {
			return nil, refusal{fmt.Errorf("%w: a transaction authorizes code for %s on chain %d, which has promised transactions", store.ErrNonceSold, a.Address, a.Chain)}
		}
	}
	exposure, err := numeric(exposureText)
	if err != nil {
		return nil, err
	}
	if c.Fits != nil {
		if err := c.Fits(used, exposure); err != nil {
			return nil, refusal{err}
		}
	}

	// Round trip 2: the promise, its nonces, its room, the announcement.
	var seq int64
	b = &pgx.Batch{}
	b.Queue(`INSERT INTO pledge_promises (slot, request_hash, record) VALUES ($1, $2, $3) RETURNING seq`,
		key(rec.Slot), rec.Commitment.Commitment.RequestHash[:], val).QueryRow(func(r pgx.Row) error { return r.Scan(&seq) })
	for _, n := range c.Nonces {
		// The same tx sold again (for a later slot) keeps the later slot,
		// so Prune frees the nonce only when both windows are over. Another
		// tx leaves the row alone (the WHERE), which affects no row: that
		// is the unique key's backstop, whatever the checks above decided.
		b.Queue(`INSERT INTO pledge_sold_nonces (chain, sender, nonce, tx_hash, slot) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (chain, sender, nonce) DO UPDATE SET slot = greatest(pledge_sold_nonces.slot, EXCLUDED.slot)
			WHERE pledge_sold_nonces.tx_hash = EXCLUDED.tx_hash`,
			key(n.Chain), n.Sender[:], key(n.Nonce), n.TxHash[:], key(rec.Slot)).Exec(func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() != 1 {
				return refusal{fmt.Errorf("%w: nonce %d of %s on chain %d is promised to another transaction", store.ErrNonceSold, n.Nonce, n.Sender, n.Chain)}
			}
			return nil
		})
	}
	for _, a := range c.Authorities {
		b.Queue(`INSERT INTO pledge_authorities (chain, authority, slot) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			key(a.Chain), a.Address[:], key(rec.Slot))
	}
	slash := c.Slash
	if slash == nil {
		slash = new(big.Int)
	}
	u := c.Use
	b.Queue(`INSERT INTO pledge_slot_use (slot, gas, blobs, promises, l2_max_tx, slash) VALUES ($1, $2, $3, 1, $4, $5::numeric)
		ON CONFLICT (slot) DO UPDATE SET gas = pledge_slot_use.gas + EXCLUDED.gas, blobs = pledge_slot_use.blobs + EXCLUDED.blobs,
			promises = pledge_slot_use.promises + 1, l2_max_tx = greatest(pledge_slot_use.l2_max_tx, EXCLUDED.l2_max_tx),
			slash = pledge_slot_use.slash + EXCLUDED.slash`,
		key(rec.Slot), int64(u.Gas), int64(u.Blobs), u.L2MaxTx, slash.String())
	for chain, l := range u.L2 {
		b.Queue(`INSERT INTO pledge_slot_l2 (slot, chain, gas, bytes, txs) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (slot, chain) DO UPDATE SET gas = pledge_slot_l2.gas + EXCLUDED.gas,
				bytes = pledge_slot_l2.bytes + EXCLUDED.bytes, txs = pledge_slot_l2.txs + EXCLUDED.txs`,
			key(rec.Slot), key(chain), int64(l.Gas), int64(l.Bytes), int64(l.Txs))
	}
	b.Queue(`SELECT pg_notify('`+channel+`', $1)`, fmt.Sprint(rec.Slot))
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	out := *rec
	out.Seq = uint64(seq)
	return &out, nil
}

func inClaims(earlier []store.NonceClaim, n store.NonceClaim) bool {
	for _, e := range earlier {
		if e.Chain == n.Chain && e.Sender == n.Sender && e.Nonce == n.Nonce-1 {
			return true
		}
	}
	return false
}

// Seal closes every slot before below to new promises, across all
// sidecars: it waits for the decisions in flight (the operator's row lock),
// so once it returns the store holds every promise those slots will ever
// have, and their ledgers can be built from it.
func (s *Store) Seal(ctx context.Context, below uint64) error {
	if !s.acquire() {
		return store.ErrClosed
	}
	defer s.mu.RUnlock()
	_, err := s.pool.Exec(ctx, `UPDATE pledge_operator SET sealed_below = greatest(sealed_below, $1) WHERE id = 1`, key(below))
	if err != nil {
		return fmt.Errorf("%s: seal slots before %d: %w", s.name, below, err)
	}
	return nil
}
