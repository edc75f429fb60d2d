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

// The child sidecars the promise rows drive (see childOptions).
var (
	// builderChild is the devnet's builder: promises land in their slots.
	builderChild = childOptions{name: "builder", builder: true}
	// sellerChild only sells (no block building): the throughput and
	// rejection loads name slots far enough ahead that none is built
	// during the run, so the row is the request path alone.
	sellerChild = childOptions{name: "seller"}
	// limitedChild is `pledge sidecar` with its default per-client rate
	// limit (100 calls/s per IP, --rate-limit).
	limitedChild = childOptions{name: "limited", rateLimit: 100}
)

// skipAhead is how many offered slots the loads on a seller pass over:
// 4 slots are 8 s, longer than a load chunk.
const skipAhead = 4

// cpuPer is the child's CPU time per promise over a run, in µs.
func cpuPer(before, after time.Duration, promises int) float64 {
	if promises == 0 {
		return math.NaN()
	}
	return float64(after-before) / float64(time.Microsecond) / float64(promises)
}

// presignFor is how many txs each of n senders signs ahead for total
// requests, with a margin for the senders that run ahead of the others.
func presignFor(total float64, n int) int {
	return int(math.Ceil(total/float64(n)*1.5)) + 8
}

// latencyRows: 1,000 valid requests/s, open-loop, twice: on the seller
// child (the request path alone; the target's figure) and on the builder
// child, which also builds each slot's fallback block through the devnet's
// geth on the same two cores while the requests come in.
func latencyRows(ctx context.Context, e *env) []Row {
	var rows []Row
	for _, v := range []struct {
		child  childOptions
		how    string
		target bool
		skip   int
	}{
		{sellerChild, "selling", true, skipAhead},
		{builderChild, "selling and building", false, 0},
	} {
		whatP50 := "promise latency p50 at 1,000 valid req/s, " + v.how
		whatP99 := "promise latency p99 at 1,000 valid req/s, " + v.how
		whatCPU := "sidecar CPU per promise at 1,000 req/s, " + v.how
		w, c, err := e.child(ctx, v.child)
		if err != nil {
			rows = append(rows, failed("latency", err, whatP50, whatP99, whatCPU)...)
			continue
		}
		d := e.pick(5*time.Second, 2*time.Second)
		const senders = 256
		cpu0, err := c.cpu()
		var hist0 map[float64]float64
		if err == nil {
			hist0, err = c.admissionHist(ctx)
		}
		if err != nil {
			rows = append(rows, failed("latency", err, whatP50, whatP99, whatCPU)...)
			continue
		}
		res, err := w.load(ctx, senders, loadgen.Config{URL: c.url, Rate: 1000, Duration: d, SkipSlots: v.skip,
			Presign: presignFor(1000*d.Seconds(), senders)})
		if err == nil && len(res.Latencies) < 100 {
			err = fmt.Errorf("%w: %d (%s)", ErrTooFew, len(res.Latencies), res)
		}
		var cpu1 time.Duration
		var hist1 map[float64]float64
		if err == nil {
			cpu1, err = c.cpu()
		}
		if err == nil {
			hist1, err = c.admissionHist(ctx)
		}
		if err != nil {
			rows = append(rows, failed("latency", err, whatP50, whatP99, whatCPU)...)
			continue
		}
		p99 := Row{ID: "latency", What: whatP99, Value: ms(res.Percentile(99)), Unit: "ms",
			Note: fmt.Sprintf("%d promises in %s (%.0f/s achieved)%s, p90 %s, max %s, %d sent >1 ms late; open-loop over %d senders, txs signed before the clock; a synced Pebble write per promise",
				res.Valid.OK, res.Elapsed.Round(time.Millisecond), res.Throughput(), refusals(res),
				res.Percentile(90).Round(time.Microsecond), res.Percentile(100).Round(time.Microsecond), res.Late, senders) +
				"; " + histSummary(hist0, hist1)}
		if v.target {
			p99.Target = &Target{AtMost: true, Value: 1, Source: "#4"}
			p99.Note += "; requests name slots >= 8 s ahead, none built during the run"
		} else {
			p99.Note += "; the sidecar is the devnet's builder: each slot's ~2,000 promised txs go to geth (testing_buildBlockV1) and the block back through engine_newPayload, on the same two cores"
		}
		rows = append(rows,
			Row{ID: "latency", What: whatP50, Value: ms(res.Percentile(50)), Unit: "ms"},
			p99,
			Row{ID: "latency", What: whatCPU, Value: cpuPer(cpu0, cpu1, res.Valid.OK), Unit: "µs",
				Note: "user + system time of the `pledge sidecar` process over the run, per promise"})
	}
	return rows
}

// throughputRows: senders as fast as their answers come back, on the seller
// child, into slots at least 8 s ahead: 64 senders with one call per HTTP
// request, and 128 senders in JSON-RPC batches of 16 (what a gateway
// forwarding many users' requests would send).
func throughputRows(ctx context.Context, e *env) []Row {
	var rows []Row
	for _, v := range []struct {
		what, whatCPU, how string
		senders, batch     int
		target             bool
	}{
		{"promises/s, 64 senders at max rate", "sidecar CPU per promise at max rate", "one call per HTTP request", worldSenders, 1, true},
		{"promises/s, 128 senders in JSON-RPC batches of 16", "sidecar CPU per promise in batches of 16", "8 batches of 16 calls in flight", 128, 16, false},
	} {
		w, c, err := e.child(ctx, sellerChild)
		if err != nil {
			rows = append(rows, failed("throughput", err, v.what, v.whatCPU)...)
			continue
		}
		d := e.pick(8*time.Second, 3*time.Second)
		cpu0, err := c.cpu()
		if err != nil {
			rows = append(rows, failed("throughput", err, v.what, v.whatCPU)...)
			continue
		}
		res, err := w.load(ctx, v.senders, loadgen.Config{URL: c.url, Duration: d, SkipSlots: skipAhead, Batch: v.batch,
			Presign: presignFor(12_000*min(d, chunk).Seconds(), v.senders)})
		if err == nil && res.Valid.OK < 100 {
			err = fmt.Errorf("%w: %d (%s)", ErrTooFew, res.Valid.OK, res)
		}
		var cpu1 time.Duration
		if err == nil {
			cpu1, err = c.cpu()
		}
		if err != nil {
			rows = append(rows, failed("throughput", err, v.what, v.whatCPU)...)
			continue
		}
		row := Row{ID: "throughput", What: v.what, Value: res.Throughput(), Unit: "promises/s",
			Note: fmt.Sprintf("%d promises in %s%s, latency p50 %s p99 %s, %d txs signed during the run; %s, txs signed before the clock; `pledge sidecar` child selling slots >= 8 s ahead (not building them), the load generator on the same two cores",
				res.Valid.OK, res.Elapsed.Round(time.Millisecond), refusals(res), res.Percentile(50).Round(time.Microsecond), res.Percentile(99).Round(time.Microsecond), res.SignedDuring, v.how)}
		if v.target {
			row.Target = &Target{Value: 10_000, Source: "#4"}
		}
		rows = append(rows, row, Row{ID: "throughput", What: v.whatCPU, Value: cpuPer(cpu0, cpu1, res.Valid.OK), Unit: "µs",
			Note: "user + system time of the `pledge sidecar` process over the run, per promise: with the two cores to itself the sidecar would carry 2 s / this promises a second"})
	}
	return rows
}

// rejectionRows: a flood of invalid requests (a nonce gap: decoded, sender
// recovered, refused by the rules) from one client IP, as fast as 64 in
// flight go, while 8 senders on other IPs send 100 valid requests/s. Once
// against `pledge sidecar` as it starts by default (per-IP rate limit on),
// once with the limit off, where every invalid request reaches the rules.
func rejectionRows(ctx context.Context, e *env) []Row {
	var rows []Row
	for _, v := range []struct {
		child childOptions
		how   string
	}{
		{limitedChild, "default rate limit"},
		{sellerChild, "no rate limit"},
	} {
		whatInvalid := "invalid requests rejected/s, beside 100 valid/s, " + v.how
		whatValid := "valid p99 during the rejection load, " + v.how
		w, c, err := e.child(ctx, v.child)
		if err != nil {
			rows = append(rows, failed("rejection", err, whatInvalid, whatValid)...)
			continue
		}
		d := e.pick(5*time.Second, 2*time.Second)
		valid := make([]string, 8)
		for i := range valid {
			valid[i] = fmt.Sprintf("127.0.0.%d", 10+i)
		}
		res, err := w.load(ctx, 8, loadgen.Config{URL: c.url, Rate: 100, InvalidRate: 1e6, Duration: d, SkipSlots: skipAhead,
			Presign: presignFor(100*d.Seconds(), 8), ValidFrom: valid, InvalidFrom: "127.0.0.2"})
		if err == nil && (len(res.Latencies) < 10 || res.Invalid.Refused == 0) {
			err = fmt.Errorf("%w: %s", ErrTooFew, res)
		}
		if err != nil {
			rows = append(rows, failed("rejection", err, whatInvalid, whatValid)...)
			continue
		}
		rows = append(rows,
			Row{ID: "rejection", What: whatInvalid, Value: float64(res.Invalid.Refused) / res.Elapsed.Seconds(), Unit: "req/s",
				Target: &Target{Value: 20_000, Source: "#4"},
				Note: fmt.Sprintf("%d invalid refused, %d failed in %s, from 127.0.0.2 with 64 in flight; a pool of pre-signed nonce-gap txs reused round-robin",
					res.Invalid.Refused, res.Invalid.Failed, res.Elapsed.Round(time.Millisecond))},
			Row{ID: "rejection", What: whatValid, Value: ms(res.Percentile(99)), Unit: "ms",
				Target: &Target{AtMost: true, Value: 5, Source: "#4"},
				Note: fmt.Sprintf("%d valid promised%s, p50 %s, max %s; 8 senders on 127.0.0.10-17, open-loop",
					res.Valid.OK, refusals(res), res.Percentile(50).Round(time.Microsecond), res.Percentile(100).Round(time.Microsecond))})
	}
	return rows
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
	w, child, err := e.child(ctx, childOptions{name: "memory", builder: true})
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	before, _, err := child.status()
	if err != nil {
		return failed("memory", err, whatRSS, whatPeak, whatPer)
	}
	want := e.pickInt(100_000, 5_000)
	res, err := w.load(ctx, worldSenders, loadgen.Config{URL: child.url, Requests: want, Duration: e.pick(90*time.Second, 6*time.Second),
		Presign: presignFor(5_000*chunk.Seconds(), worldSenders)})
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
