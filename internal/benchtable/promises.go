package benchtable

import (
	"context"
	"fmt"
	"math"
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

// memoryRows measures `pledge sidecar` itself: the binary runs as a child
// process on the world's devnet (as the proposer's builder, so promised
// txs land), the load generator fills its store up to 100,000 promises (or
// a time cap), and its VmRSS and VmHWM are read from /proc. In process the
// figure would include geth, whose chain grows with every landed promise.
func memoryRows(ctx context.Context, e *env) []Row {
	const (
		whatRSS  = "pledge sidecar RSS with the promises stored"
		whatPeak = "pledge sidecar peak RSS (VmHWM) during the fill"
		whatPer  = "sidecar RSS growth per stored promise"
	)
	w, err := e.world(ctx)
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	child, err := w.startChild(ctx, e.pledge)
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	defer child.stop()
	before, _, err := child.status()
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	want := e.pickInt(100_000, 5_000)
	res, err := w.load(ctx, worldSenders, loadgen.Config{URL: child.url, Requests: want, Duration: e.pick(90*time.Second, 6*time.Second)})
	if err == nil && res.Valid.OK == 0 {
		err = fmt.Errorf("%w: %s; its log ends: %s", ErrTooFew, res, child.log.String())
	}
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	rss, peak, err := child.status()
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	n := res.Valid.OK
	const mb = 1 << 20
	row := Row{ID: "memory", What: whatRSS, Value: float64(rss) / mb, Unit: "MB",
		Note: fmt.Sprintf("%d promises stored in %s (%.0f/s)%s; RSS %.0f MB when ready, before the first",
			n, res.Elapsed.Round(time.Millisecond), res.Throughput(), refusals(res), float64(before)/mb)}
	if n >= 100_000 {
		row.Target = &Target{AtMost: true, Value: 200, Source: "#4, at 100,000 promises"}
	} else {
		row.Note += "; the target (≤ 200 MB) is for 100,000 promises, not judged here"
	}
	return []Row{
		row,
		{ID: "memory", What: whatPeak, Value: float64(peak) / mb, Unit: "MB"},
		{ID: "memory", What: whatPer, Value: math.Max(0, float64(rss)-float64(before)) / float64(n), Unit: "B"},
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
