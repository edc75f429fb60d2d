package benchtable

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// storeRows: the floor under the latency target. The sidecar's own store
// (Pebble, a synced batch per promise) takes 1,000 promise-sized records a
// second, open-loop, in a directory beside the ones the sidecar children
// use, with nothing else in the request path: no HTTP, no signatures.
func storeRows(ctx context.Context, e *env) []Row {
	const (
		whatP50 = "synced store write p50 at 1,000 puts/s (store alone)"
		whatP99 = "synced store write p99 at 1,000 puts/s (store alone)"
	)
	dir, err := os.MkdirTemp("", "pledge-bench-store-")
	if err != nil {
		return failed("store", err, whatP50, whatP99)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(dir)
	if err != nil {
		return failed("store", err, whatP50, whatP99)
	}
	defer st.Close()
	d := e.pick(5*time.Second, time.Second)
	const rate = 1000
	n := int(d.Seconds() * rate)
	// A one-transfer promise's record: ~500 B of ABI payload, a signature,
	// a ~110 B transaction.
	payload := make([]byte, 32*(1+6+1+8))
	tx := make([]byte, 110)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		lats = make([]time.Duration, 0, n)
		errs []error
	)
	start := time.Now()
	for i := range n {
		if d := time.Until(start.Add(time.Duration(i) * time.Second / rate)); d > 0 {
			time.Sleep(d)
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			rec := &store.Record{Slot: uint64(i / 2000), Txs: [][]byte{tx}, Commitment: protocol.SignedCommitment{
				Commitment: protocol.Commitment{CommitmentType: protocol.TypeL1Inclusion, Payload: payload,
					RequestHash: common.Hash{byte(i), byte(i >> 8), byte(i >> 16)}},
				Signature: make([]byte, 65)}}
			t0 := time.Now()
			err := st.Put(rec)
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
	if len(errs) > 0 || len(lats) == 0 {
		return failed("store", fmt.Errorf("%w: %d puts failed, first: %v", ErrBenchmark, len(errs), errs), whatP50, whatP99)
	}
	slices.Sort(lats)
	pct := func(p float64) time.Duration { return lats[int(p/100*float64(len(lats)-1))] }
	return []Row{
		{ID: "store", What: whatP50, Value: ms(pct(50)), Unit: "ms"},
		{ID: "store", What: whatP99, Value: ms(pct(99)), Unit: "ms",
			Note: fmt.Sprintf("%d puts in %s, p90 %s, p99.9 %s, max %s; sidecar/store.Put (one Pebble batch committed with Sync) in %s: what a synced write per promise costs here before anything else",
				len(lats), time.Since(start).Round(time.Millisecond), pct(90).Round(time.Microsecond), pct(99.9).Round(time.Microsecond), pct(100).Round(time.Microsecond), os.TempDir())},
	}
}
