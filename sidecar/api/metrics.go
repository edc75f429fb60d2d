package api

import (
	"fmt"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metric method labels besides the method names: user-chosen method names are
// never labels, so a client cannot blow up the series count.
const (
	labelUnknownMethod = "unknown" // a method we do not serve
	labelNoMethod      = "none"    // refused before a method could be read
)

type metrics struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_api_requests_total",
			Help: "API calls by method and JSON-RPC code (0 for success).",
		}, []string{"method", "code"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pledge_api_request_seconds",
			Help: "Time to answer one API call, by method.",
			// From the ~0.25 ms floor of a synced promise to the multi-second
			// waits of a slow dependency.
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.seconds} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register api metrics: %w", err)
		}
	}
	return m, nil
}

// observe records one call; code 0 is success.
func (m *metrics) observe(method string, code int, d time.Duration) {
	m.requests.WithLabelValues(method, strconv.Itoa(code)).Inc()
	// Refusals before any work would only drag the latency buckets to zero.
	if method != labelNoMethod && method != labelUnknownMethod {
		m.seconds.WithLabelValues(method).Observe(d.Seconds())
	}
}
