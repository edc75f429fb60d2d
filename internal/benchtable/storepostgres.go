package benchtable

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
	"github.com/pledgeproto/pledge/sidecar/store/postgres"
)

// postgresRows: the PostgreSQL store's claimed commit (the whole shared
// decision: operator row lock, nonce and room reads, writes, synchronous
// commit) as the sidecar calls it, the store alone — no HTTP, no
// signatures — beside the Pebble rows: p50/p99 at 1,000/s open-loop, and
// the most per second with one sidecar (one pool, 64 writers) and with two
// (two pools on one database, 32 writers each).
func postgresRows(ctx context.Context, e *env) []Row {
	const (
		whatP50 = "PostgreSQL claimed commit p50 at 1,000/s (store alone)"
		whatP99 = "PostgreSQL claimed commit p99 at 1,000/s (store alone)"
		whatOne = "PostgreSQL claimed commits/s, one sidecar (64 writers)"
		whatTwo = "PostgreSQL claimed commits/s, two sidecars (2 × 32 writers)"
	)
	if e.postgres == "" {
		return failed("store-postgres", fmt.Errorf("%w: PLEDGE_POSTGRES_DSN not set (scripts/postgres.sh start DIR prints one)", ErrSkipped), whatP50, whatP99, whatOne, whatTwo)
	}
	dsn, drop, err := benchSchema(ctx, e.postgres)
	if err != nil {
		return failed("store-postgres", err, whatP50, whatP99, whatOne, whatTwo)
	}
	defer drop()
	var stores []*postgres.Store
	defer func() {
		for _, s := range stores {
			_ = s.Close()
		}
	}()
	for range 2 {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return failed("store-postgres", err, whatP50, whatP99, whatOne, whatTwo)
		}
		stores = append(stores, s)
	}
	var n atomic.Uint64
	commit := func(s *postgres.Store, slot uint64) error {
		i := n.Add(1)
		h := common.Hash{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24), byte(i >> 32)}
		rec := &store.Record{Slot: slot, Txs: [][]byte{make([]byte, 110)}, Commitment: protocol.SignedCommitment{
			Commitment: protocol.Commitment{CommitmentType: protocol.TypeL1Inclusion, Payload: make([]byte, 32*16), RequestHash: h},
			Signature:  make([]byte, 65)}}
		c := &store.Claims{Nonces: []store.NonceClaim{{Chain: 1, Sender: common.Address(h[:20]), TxHash: h}},
			Use: store.SlotUse{Gas: 21_000, Promises: 1}, Slash: big.NewInt(1e15)}
		_, err := s.CommitClaimed(ctx, rec, c)
		return err
	}

	// Latency at 1,000/s, open loop.
	d := e.pick(5*time.Second, time.Second)
	const rate = 1000
	total := int(d.Seconds() * rate)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		lats = make([]time.Duration, 0, total)
		errs []error
	)
	start := time.Now()
	for i := range total {
		if d := time.Until(start.Add(time.Duration(i) * time.Second / rate)); d > 0 {
			time.Sleep(d)
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			t0 := time.Now()
			err := commit(stores[0], uint64(1+i/2000))
			lat := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			lats = append(lats, lat)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(errs) > 0 || len(lats) == 0 {
		return failed("store-postgres", fmt.Errorf("%w: %d commits failed, first: %v", ErrBenchmark, len(errs), errors.Join(errs...)), whatP50, whatP99, whatOne, whatTwo)
	}
	slices.Sort(lats)
	pct := func(p float64) time.Duration { return lats[int(p/100*float64(len(lats)-1))] }

	// Most per second, closed loop.
	most := func(sidecars int) (float64, error) {
		dur := e.pick(5*time.Second, time.Second)
		var done atomic.Uint64
		var firstErr error
		var once sync.Once
		stop := time.Now().Add(dur)
		var wg sync.WaitGroup
		for w := range 64 {
			s := stores[w%sidecars]
			wg.Go(func() {
				for time.Now().Before(stop) && ctx.Err() == nil {
					if err := commit(s, 5000); err != nil {
						once.Do(func() { firstErr = err })
						return
					}
					done.Add(1)
				}
			})
		}
		wg.Wait()
		return float64(done.Load()) / dur.Seconds(), firstErr
	}
	one, err1 := most(1)
	two, err2 := most(2)
	rows := []Row{
		{ID: "store-postgres", What: whatP50, Value: ms(pct(50)), Unit: "ms"},
		{ID: "store-postgres", What: whatP99, Value: ms(pct(99)), Unit: "ms",
			Note: fmt.Sprintf("%d commits in %s, p90 %s, max %s; postgres.Store.CommitClaimed on a loopback PostgreSQL with fsync and synchronous_commit on: the shared decision (operator row lock held through the commit's WAL flush) and the write",
				len(lats), elapsed.Round(time.Millisecond), pct(90).Round(time.Microsecond), pct(100).Round(time.Microsecond))},
		{ID: "store-postgres", What: whatOne, Value: one, Unit: "/s", Err: err1},
		{ID: "store-postgres", What: whatTwo, Value: two, Unit: "/s", Err: err2,
			Note: "decisions are serialized on the operator row across sidecars, so a second sidecar adds availability, not commit throughput"},
	}
	return rows
}

// benchSchema makes a schema of its own on the server for one run.
func benchSchema(ctx context.Context, server string) (string, func(), error) {
	schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = conn.Close(ctx)
		return "", nil, err
	}
	drop := func() {
		_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		_ = conn.Close(context.Background())
	}
	sep := "?"
	if slices.Contains([]byte(server), '?') {
		sep = "&"
	}
	return server + sep + "search_path=" + schema, drop, nil
}
