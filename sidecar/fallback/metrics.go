package fallback

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	builds           *prometheus.CounterVec
	seconds          prometheus.Histogram
	extrasDropped    prometheus.Counter
	gasLimitMismatch prometheus.Counter
}

// newMetrics builds the builder's metrics and registers them on reg (if any).
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		builds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_fallback_builds_total",
			Help: "Fallback block builds by result and build path (testing_buildBlockV1, forkchoice).",
		}, []string{"result", "path"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "pledge_fallback_build_seconds",
			Help:    "Time from a build request to a checked, signed fallback bid (or the error).",
			Buckets: prometheus.ExponentialBuckets(0.002, 2, 12),
		}),
		extrasDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_fallback_pool_txs_dropped_total",
			Help: "Mempool transactions dropped because the build with them failed.",
		}),
		gasLimitMismatch: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_fallback_gas_limit_mismatch_total",
			Help: "Fallback payloads whose gas limit does not move towards the registered one.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.builds, m.seconds, m.extrasDropped, m.gasLimitMismatch} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register fallback metrics: %w", err)
		}
	}
	return m, nil
}

// resultLabel names the outcome of a build for the metrics.
func resultLabel(err error) string {
	for _, c := range []struct {
		err   error
		label string
	}{
		{ErrBadRequest, "bad_request"},
		{ErrEL, "el_unavailable"},
		{ErrOrderNotForced, "order_not_forced"},
		{ErrPayloadMismatch, "payload_mismatch"},
		{ErrInvalidPayload, "invalid"},
		{ErrNotChecked, "not_checked"},
		{ErrBuild, "build_failed"},
	} {
		if errors.Is(err, c.err) {
			return c.label
		}
	}
	if err != nil {
		return "error"
	}
	return "ok"
}
