package benchtable

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pledgeproto/pledge/internal/loadgen"
)

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// latencyRows: a fixed 1,000 valid requests/s; p50 and p99 of the answer.
func latencyRows(ctx context.Context, e *env) []Row {
	w, err := e.world(ctx)
	if err != nil {
		return failed("latency", err, "promise latency p50 at 1,000 valid req/s", "promise latency p99 at 1,000 valid req/s")
	}
	d := e.pick(5*time.Second, 2*time.Second)
	// 16 workers share the ticker, so a slow answer does not hold the rate.
	res, err := w.load(ctx, 16, loadgen.Config{Rate: 1000, Duration: d})
	if err == nil && len(res.Latencies) < 100 {
		err = fmt.Errorf("%w: %d (%s)", ErrTooFew, len(res.Latencies), res)
	}
	if err != nil {
		return failed("latency", err, "promise latency p50 at 1,000 valid req/s", "promise latency p99 at 1,000 valid req/s")
	}
	note := fmt.Sprintf("%d promises in %s (%.0f/s achieved)%s; a synced Pebble write per promise",
		res.Valid.OK, res.Elapsed.Round(time.Millisecond), res.Throughput(), refusals(res))
	return []Row{
		{ID: "latency", What: "promise latency p50 at 1,000 valid req/s", Value: ms(res.Percentile(50)), Unit: "ms"},
		{ID: "latency", What: "promise latency p99 at 1,000 valid req/s", Value: ms(res.Percentile(99)), Unit: "ms",
			Target: &Target{AtMost: true, Value: 1, Source: "#4"}, Note: note},
	}
}

// throughputRows: 64 senders as fast as they go.
func throughputRows(ctx context.Context, e *env) []Row {
	const what = "promises/s, 64 senders at max rate"
	w, err := e.world(ctx)
	if err != nil {
		return failed("throughput", err, what)
	}
	d := e.pick(8*time.Second, 3*time.Second)
	res, err := w.load(ctx, worldSenders, loadgen.Config{Duration: d})
	if err == nil && res.Valid.OK < 100 {
		err = fmt.Errorf("%w: %d (%s)", ErrTooFew, res.Valid.OK, res)
	}
	if err != nil {
		return failed("throughput", err, what)
	}
	return []Row{{ID: "throughput", What: what, Value: res.Throughput(), Unit: "promises/s",
		Target: &Target{Value: 10_000, Source: "#4"},
		Note: fmt.Sprintf("%d promises in %s%s, latency p50 %s p99 %s; load generator in the same process",
			res.Valid.OK, res.Elapsed.Round(time.Millisecond), refusals(res), res.Percentile(50).Round(time.Microsecond), res.Percentile(99).Round(time.Microsecond))}}
}

// rejectionRows: invalid requests (a nonce gap: decoded, sender recovered,
// refused by the rules) as fast as the generator sends them, while 8
// senders send 100 valid requests/s.
func rejectionRows(ctx context.Context, e *env) []Row {
	const (
		whatInvalid = "invalid requests rejected/s, beside 100 valid/s"
		whatValid   = "valid p99 during the rejection load"
	)
	w, err := e.world(ctx)
	if err != nil {
		return failed("rejection", err, whatInvalid, whatValid)
	}
	d := e.pick(5*time.Second, 2*time.Second)
	// An invalid rate far above what can be served: the generator's 64
	// in-flight requests are the limit.
	res, err := w.load(ctx, 8, loadgen.Config{Rate: 100, InvalidRate: 1e6, Duration: d})
	if err == nil && (len(res.Latencies) < 10 || res.Invalid.Refused == 0) {
		err = fmt.Errorf("%w: %s", ErrTooFew, res)
	}
	if err != nil {
		return failed("rejection", err, whatInvalid, whatValid)
	}
	return []Row{
		{ID: "rejection", What: whatInvalid, Value: float64(res.Invalid.Refused) / res.Elapsed.Seconds(), Unit: "req/s",
			Target: &Target{Value: 20_000, Source: "#4"},
			Note: fmt.Sprintf("%d invalid refused, %d failed in %s; the generator signs every invalid tx in this process (secp256k1, cgo %v)",
				res.Invalid.Refused, res.Invalid.Failed, res.Elapsed.Round(time.Millisecond), cgoEnabled)},
		{ID: "rejection", What: whatValid, Value: ms(res.Percentile(99)), Unit: "ms",
			Target: &Target{AtMost: true, Value: 5, Source: "#4"},
			Note:   fmt.Sprintf("%d valid promised%s, p50 %s", res.Valid.OK, refusals(res), res.Percentile(50).Round(time.Microsecond))},
	}
}

// memoryRows fills the store up to a number of promises (or a time cap)
// and reports the process's memory. The process also holds geth, the
// beacon mock and the load generator, so RSS before any promise is their
// baseline too; the projection to 100,000 promises adds the measured heap
// growth per promise to that baseline: an upper bound for the sidecar.
func memoryRows(ctx context.Context, e *env) []Row {
	const (
		whatRSS     = "process RSS with the promises stored"
		whatPer     = "Go heap growth per stored promise"
		whatProject = "memory at 100,000 promises (baseline RSS + growth)"
	)
	w, err := e.world(ctx)
	if err != nil {
		return failed("memory", err, whatRSS, whatPer, whatProject)
	}
	want := e.pickInt(100_000, 5_000)
	if n := w.storedPromises(); n < want {
		if _, err := w.load(ctx, worldSenders, loadgen.Config{Requests: want - n, Duration: e.pick(60*time.Second, 5*time.Second)}); err != nil {
			return failed("memory", err, whatRSS, whatPer, whatProject)
		}
	}
	n := w.storedPromises()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	rss, err := rssBytes()
	if err != nil {
		return failed("memory", err, whatRSS, whatPer, whatProject)
	}
	if n == 0 {
		return failed("memory", ErrTooFew, whatRSS, whatPer, whatProject)
	}
	growth := math.Max(0, float64(after.HeapAlloc)-float64(e.baseHeap))
	per := growth / float64(n)
	project := float64(e.baseRSS) + per*100_000
	const mb = 1 << 20
	return []Row{
		{ID: "memory", What: whatRSS, Value: float64(rss) / mb, Unit: "MB",
			Note: fmt.Sprintf("%d promises stored; RSS %.0f MB before the first promise (in-process geth, beacon mock, sidecar); live heap %.0f MB now",
				n, float64(e.baseRSS)/mb, float64(after.HeapAlloc)/mb)},
		{ID: "memory", What: whatPer, Value: per, Unit: "B"},
		{ID: "memory", What: whatProject, Value: project / mb, Unit: "MB", Target: &Target{AtMost: true, Value: 200, Source: "#4"},
			Note: fmt.Sprintf("projection from %d promises; the baseline includes geth and the devnet, so this bounds the sidecar from above", n)},
	}
}

// refusals says how many valid requests were refused or failed, and why.
func refusals(res *loadgen.Result) string {
	if res.Valid.Refused == 0 && res.Valid.Failed == 0 {
		return ""
	}
	codes := make([]int, 0, len(res.Errors))
	for c := range res.Errors {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d×%d", res.Errors[c], c))
	}
	return fmt.Sprintf(", %d valid refused (codes %s), %d failed", res.Valid.Refused, strings.Join(parts, " "), res.Valid.Failed)
}

// failed is one error row per name.
func failed(id string, err error, whats ...string) []Row {
	rows := make([]Row, len(whats))
	for i, w := range whats {
		rows[i] = Row{ID: id, What: w, Value: math.NaN(), Err: err}
	}
	return rows
}
