package postgres

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/internal/pgtest"
	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/storetest"
)

// Reviews of the shared store's decision as an attacker would probe it:
// each test states the rule of docs/protocol.md it holds the store to.

// The unique key on (chain, sender, nonce) is documented as the backstop
// "whatever the deciding code does": a claim that sells one nonce to two
// transactions must fail, not be written with the second one silently
// dropped from the sold nonces (ON CONFLICT … DO UPDATE … WHERE is a no-op
// when the hashes differ).
func TestAttackOneClaimSellsNonceTwice(t *testing.T) {
	t.Parallel()
	s := open(t, pgtest.DSN(t))
	defer s.Close()
	rec := storetest.Record(t, 10, 1)
	c := claimsOf(rec, 5, 5, 8)
	second := c.Nonces[0]
	second.TxHash = common.Hash{0xee}
	c.Nonces = append(c.Nonces, second)
	if _, err := s.CommitClaimed(context.Background(), rec, c); !errors.Is(err, store.ErrNonceSold) {
		t.Fatalf("one promise selling nonce 5 to two transactions: err %v, want ErrNonceSold (equivocation, §9.4)", err)
	}
	n := 0
	if err := s.Range(0, 100, func(*store.Record) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("%d promises stored (err %v), want none", n, err)
	}
}

// §3.4: a nonce carried into slot S (its successor is promised, live, for S)
// may be promised again — the same missed tx — only for a slot before S: the
// carried copy opens S's block and spends the nonce there, so a promise of
// it for S or later can never be kept. A sidecar that has not yet synced the
// successor's promise (sold by another sidecar) does not know about the
// carry, so only the store can refuse it.
func TestAttackRepromiseAtOrAfterSuccessorSlot(t *testing.T) {
	t.Parallel()
	s := open(t, pgtest.DSN(t))
	defer s.Close()
	ctx := context.Background()
	// Nonce 5 (tx a) for slot 10, nonce 6 (tx b) stacked on it for slot 20.
	a := storetest.Record(t, 10, 1)
	if _, err := s.CommitClaimed(ctx, a, claimsOf(a, 5, 5, 8)); err != nil {
		t.Fatal(err)
	}
	b := storetest.Record(t, 20, 2)
	if _, err := s.CommitClaimed(ctx, b, claimsOf(b, 6, 5, 8)); err != nil {
		t.Fatal(err)
	}
	// Slot 10 is missed (head 12, account nonce still 5): a is carried into
	// slot 20. Promising a again for slot 25, after its successor's slot
	// 20, sells a promise that cannot be kept (a is spent at 20).
	late := storetest.Record(t, 25, 4)
	late.Txs = a.Txs
	if _, err := s.CommitClaimed(ctx, late, claimsOf(late, 5, 5, 12)); !errors.Is(err, store.ErrNonceGap) {
		t.Fatalf("the missed tx promised again for slot 25 behind its successor's slot 20 (it will be spent at 20): err %v, want ErrNonceGap", err)
	}
	// For slot 15, before its successor's, it is fine: it then goes there.
	early := storetest.Record(t, 15, 3)
	early.Txs = a.Txs
	if _, err := s.CommitClaimed(ctx, early, claimsOf(early, 5, 5, 12)); err != nil {
		t.Fatalf("the missed tx again for a slot before its successor's: %v", err)
	}
}

// A DSN must not be able to turn synchronous commit off by another door
// than the synchronous_commit parameter Open checks: the libpq `options`
// parameter (-c synchronous_commit=off) is one.
func TestAttackDSNOptionsKeepSynchronousCommit(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("options", "-c synchronous_commit=off")
	u.RawQuery = q.Encode()
	s, err := Open(context.Background(), u.String())
	if err != nil {
		return // refused: fine
	}
	defer s.Close()
	var sc string
	if err := s.pool.QueryRow(context.Background(), "SHOW synchronous_commit").Scan(&sc); err != nil {
		t.Fatal(err)
	}
	if sc != "on" {
		t.Fatalf("sessions run with synchronous_commit=%s through the DSN's options", sc)
	}
}
