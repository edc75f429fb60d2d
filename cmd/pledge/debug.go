package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// servePprof serves Go's runtime profiles (net/http/pprof) on addr until the
// returned function is called, with the mutex and block profiles switched on
// (sampled: one contention event in 100, blocking of 1 ms and more in
// proportion). The profiles show the process's internals, so the address
// belongs on loopback.
func servePprof(addr string) (stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	runtime.SetMutexProfileFraction(100)
	runtime.SetBlockProfileRate(int(time.Millisecond))
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return func() { _ = srv.Close() }, nil
}

// liveHeapHigh is the share of the memory limit past which the live heap
// (what the last collection kept) is worth a warning: the collector then
// runs more and more often to stay under the limit, taking CPU from requests.
const liveHeapHigh = 0.7

// watchMemoryLimit warns once whenever the live heap climbs past
// liveHeapHigh of the runtime's memory limit (checked every interval), and
// once more when it is back under: an operator whose store outgrew the limit
// should raise --memory-limit rather than pay for it in latency.
func watchMemoryLimit(ctx context.Context, log zerolog.Logger, interval time.Duration) {
	limit := debug.SetMemoryLimit(-1) // reads the limit without changing it
	if limit <= 0 || limit == math.MaxInt64 {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	high := false
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return // not provided by this runtime
		}
		live := sample[0].Value.Uint64()
		now, changed := liveHeapState(live, limit, high)
		switch {
		case changed && now:
			log.Warn().Uint64("live_heap_bytes", live).Int64("memory_limit_bytes", limit).
				Msg("live heap is close to --memory-limit: garbage collection takes CPU from requests; raise the limit")
		case changed:
			log.Info().Uint64("live_heap_bytes", live).Int64("memory_limit_bytes", limit).Msg("live heap back well under --memory-limit")
		}
		high = now
	}
}

// liveHeapState says whether live bytes are past liveHeapHigh of limit, and
// whether that changed from wasHigh. Coming back needs a margin (below 60 %
// of the limit), so a heap hovering at the line does not flap the log.
func liveHeapState(live uint64, limit int64, wasHigh bool) (high, changed bool) {
	share := float64(live) / float64(limit)
	switch {
	case !wasHigh && share > liveHeapHigh:
		return true, true
	case wasHigh && share < liveHeapHigh-0.1:
		return false, true
	}
	return wasHigh, false
}

// parseBytes reads a size such as 160MiB, 200MB, 1GiB or 123456 (bytes); ""
// and "0" are 0.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
	}
	mult := int64(1)
	for _, u := range units {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("want a size such as 160MiB, 200MB or a number of bytes")
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("%s is too large", s)
	}
	return n * mult, nil
}
