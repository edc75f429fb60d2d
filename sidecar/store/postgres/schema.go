package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations are the schema's versions, in order: migrations[i] takes the
// schema from version i to i+1. Never edit one that has shipped; append.
var migrations = []string{
	// 1: promises, their request index, sold nonces, slot room, the
	// operator's decision lock. Slots, chain ids and nonces are uint64s kept
	// in bigint with the top bit flipped (key), which keeps their order.
	`
CREATE TABLE pledge_promises (
	seq          bigserial PRIMARY KEY,
	slot         bigint      NOT NULL,
	request_hash bytea       NOT NULL,
	record       bytea       NOT NULL
);
CREATE INDEX pledge_promises_slot ON pledge_promises (slot, seq);
CREATE INDEX pledge_promises_request ON pledge_promises (request_hash, seq);

-- A nonce sold to a transaction: one row per (chain, sender, nonce), so no
-- two transactions can ever hold one nonce (equivocation, protocol §9.4).
CREATE TABLE pledge_sold_nonces (
	chain   bigint      NOT NULL,
	sender  bytea       NOT NULL,
	nonce   bigint      NOT NULL,
	tx_hash bytea       NOT NULL,
	slot    bigint      NOT NULL,
	PRIMARY KEY (chain, sender, nonce)
);
CREATE INDEX pledge_sold_nonces_slot ON pledge_sold_nonces (slot);

CREATE TABLE pledge_slot_use (
	slot      bigint      PRIMARY KEY,
	gas       bigint      NOT NULL,
	blobs     bigint      NOT NULL,
	promises  integer     NOT NULL,
	l2_max_tx integer     NOT NULL,
	slash     numeric     NOT NULL
);

CREATE TABLE pledge_slot_l2 (
	slot  bigint      NOT NULL,
	chain bigint      NOT NULL,
	gas   bigint      NOT NULL,
	bytes bigint      NOT NULL,
	txs   bigint      NOT NULL,
	PRIMARY KEY (slot, chain)
);

-- The one row every claimed promise locks: the operator's decisions are
-- serialized across sidecars. sealed_below: slots before it take no promise.
CREATE TABLE pledge_operator (
	id           integer PRIMARY KEY CHECK (id = 1),
	sealed_below bigint      NOT NULL
);
INSERT INTO pledge_operator VALUES (1, -9223372036854775808); -- slot 0
`,
	// 2: the EIP-7702 authorities of promised type-4 transactions, so the
	// §3.5 rule (no authorization for a sender with promises, no promise
	// for a sender a promised authorization touches) holds across sidecars.
	`
CREATE TABLE pledge_authorities (
	chain     bigint NOT NULL,
	authority bytea  NOT NULL,
	slot      bigint NOT NULL,
	PRIMARY KEY (chain, authority, slot)
);
CREATE INDEX pledge_authorities_slot ON pledge_authorities (slot);
`,
}

// SchemaVersion is the schema version this build writes and reads.
var SchemaVersion = len(migrations)

// migrationLock is the advisory lock key that serializes migrations of
// sidecars starting at once ("pledge" in ASCII).
const migrationLock = 0x706c65646765

// migrate brings the schema to SchemaVersion inside one transaction, or
// refuses a database whose schema is newer than this build knows.
func migrate(ctx context.Context, conn *pgx.Conn) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("lock schema: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS pledge_schema (
		version    integer PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("create schema table: %w", err)
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM pledge_schema`).Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > SchemaVersion {
		return fmt.Errorf("%w: the database is at version %d, this build knows up to %d", ErrSchemaTooNew, have, SchemaVersion)
	}
	for v := have; v < SchemaVersion; v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pledge_schema (version) VALUES ($1)`, v+1); err != nil {
			return fmt.Errorf("record schema version %d: %w", v+1, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit migration: %w", err)
	}
	return nil
}
