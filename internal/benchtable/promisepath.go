package benchtable

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pledgeproto/pledge/internal/loadgen"
)

// pathFigures are the full promise path's figures on one or more seller
// children of one operator (HTTP, decoding, checks, the committer's
// signature, the store's write), measured as the latency and throughput
// rows measure the local-key Pebble seller, so the rows sit beside theirs:
// 1,000 valid req/s open-loop over 256 senders, then 64 senders as fast as
// their answers come back, into slots at least 8 s ahead (none built during
// the run). With several children the senders and the rate are split
// evenly between them, all at once.
type pathFigures struct {
	rate, most *loadgen.Result
	// cpuRate and cpuMost are the children's CPU per promise (µs), summed
	// over the children.
	cpuRate, cpuMost float64
	// waited is how long the children took to be ready again between the
	// two loads (see measurePath).
	waited time.Duration
}

// measurePath runs both loads; each lasts e.pick(5 s, 2 s).
func measurePath(ctx context.Context, e *env, w *world, children []*childSidecar) (*pathFigures, error) {
	d := e.pick(5*time.Second, 2*time.Second)
	out := &pathFigures{}
	var err error
	const senders = 256
	out.rate, out.cpuRate, err = splitLoad(ctx, w, children, senders, loadgen.Config{Rate: 1000, Duration: d, SkipSlots: skipAhead,
		Presign: presignFor(1000*d.Seconds()/float64(len(children)), senders/len(children))})
	if err == nil && len(out.rate.Latencies) < 100 {
		err = fmt.Errorf("%w: %d at 1,000 req/s (%s)", ErrTooFew, len(out.rate.Latencies), out.rate)
	}
	if err != nil {
		return nil, err
	}
	// The second load starts when every child is ready again (its
	// readiness is part of what the rows measure: a child the first load
	// left not ready would refuse the second).
	if out.waited, err = readyAll(ctx, children); err != nil {
		return nil, err
	}
	n := worldSenders / len(children)
	out.most, out.cpuMost, err = splitLoad(ctx, w, children, worldSenders, loadgen.Config{Duration: d, SkipSlots: skipAhead,
		Presign: presignFor(12_000*min(d, chunk).Seconds()/float64(len(children)), n)})
	if err == nil && out.most.Valid.OK < 100 {
		err = fmt.Errorf("%w: %d at max rate (%s)", ErrTooFew, out.most.Valid.OK, out.most)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readyAll waits until every child's /readyz answers 200 and says how long
// that took.
func readyAll(ctx context.Context, children []*childSidecar) (time.Duration, error) {
	start := time.Now()
	for _, c := range children {
		if err := waitReady(ctx, c.url+"/readyz", 20*time.Second); err != nil {
			return 0, fmt.Errorf("between the loads: %w; its log ends: %s", err, c.log.String())
		}
	}
	return time.Since(start), nil
}

// splitLoad runs cfg against every child at once, each with senders/len
// fresh senders and cfg.Rate/len of the rate, and merges the results; it
// also returns the children's CPU per promise over the run.
func splitLoad(ctx context.Context, w *world, children []*childSidecar, senders int, cfg loadgen.Config) (*loadgen.Result, float64, error) {
	k := len(children)
	cfg.Rate /= float64(k)
	cpu0 := make([]time.Duration, k)
	for i, c := range children {
		var err error
		if cpu0[i], err = c.cpu(); err != nil {
			return nil, 0, err
		}
	}
	results := make([]*loadgen.Result, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i, c := range children {
		own := cfg
		own.URL = c.url
		wg.Go(func() { results[i], errs[i] = w.load(ctx, senders/k, own) })
	}
	wg.Wait()
	var used time.Duration
	for i, c := range children {
		if errs[i] != nil {
			return nil, 0, fmt.Errorf("sidecar %d of %d: %w", i+1, k, errs[i])
		}
		cpu1, err := c.cpu()
		if err != nil {
			return nil, 0, err
		}
		used += cpu1 - cpu0[i]
	}
	res := mergeResults(results)
	return res, cpuPer(0, used, res.Valid.OK), nil
}

// mergeResults adds up runs that went on at the same time: the elapsed
// time is the longest run's.
func mergeResults(rs []*loadgen.Result) *loadgen.Result {
	out := &loadgen.Result{Errors: map[int]int{}}
	for _, r := range rs {
		out.Elapsed = max(out.Elapsed, r.Elapsed)
		for _, p := range []struct{ to, from *loadgen.Counts }{{&out.Valid, &r.Valid}, {&out.Invalid, &r.Invalid}} {
			p.to.Sent += p.from.Sent
			p.to.OK += p.from.OK
			p.to.Refused += p.from.Refused
			p.to.Failed += p.from.Failed
			p.to.CutOff += p.from.CutOff
		}
		out.Latencies = append(out.Latencies, r.Latencies...)
		for code, n := range r.Errors {
			out.Errors[code] += n
		}
		out.Late += r.Late
		out.SignedDuring += r.SignedDuring
		if out.FirstError == nil {
			out.FirstError = r.FirstError
		}
	}
	slices.Sort(out.Latencies)
	return out
}

// pathRows are a configuration's three rows: p50 and p99 at 1,000 req/s
// and promises/s at max rate. how ends each row's words; note is added to
// the p99 and max-rate notes.
func pathRows(id, how, note string, f *pathFigures) []Row {
	lat, most := f.rate, f.most
	whats := pathWhats(how)
	return []Row{
		{ID: id, What: whats[0], Value: ms(lat.Percentile(50)), Unit: "ms"},
		{ID: id, What: whats[1], Value: ms(lat.Percentile(99)), Unit: "ms",
			Note: fmt.Sprintf("%d promises in %s (%.0f/s achieved)%s, p90 %s, max %s, %d sent >1 ms late, sidecar CPU %.0f µs/promise; open-loop over 256 senders, txs signed before the clock, slots >= 8 s ahead; %s",
				lat.Valid.OK, lat.Elapsed.Round(time.Millisecond), lat.Throughput(), refusals(lat),
				lat.Percentile(90).Round(time.Microsecond), lat.Percentile(100).Round(time.Microsecond), lat.Late, f.cpuRate, note)},
		{ID: id, What: whats[2], Value: most.Throughput(), Unit: "promises/s",
			Note: fmt.Sprintf("%d promises in %s%s, latency p50 %s p99 %s, %d txs signed during the run, sidecar CPU %.0f µs/promise; one call per HTTP request, slots >= 8 s ahead, started %s after the 1,000 req/s run once /readyz answered; %s",
				most.Valid.OK, most.Elapsed.Round(time.Millisecond), refusals(most), most.Percentile(50).Round(time.Microsecond),
				most.Percentile(99).Round(time.Microsecond), most.SignedDuring, f.cpuMost, f.waited.Round(100*time.Millisecond), note)},
	}
}

// pathWhats are pathRows' words, for the rows of a run that failed.
func pathWhats(how string) []string {
	return []string{
		"promise latency p50 at 1,000 valid req/s, " + how,
		"promise latency p99 at 1,000 valid req/s, " + how,
		"promises/s, 64 senders at max rate, " + how,
	}
}
