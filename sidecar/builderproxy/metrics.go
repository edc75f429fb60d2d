package builderproxy

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	relayRequests *prometheus.CounterVec
	relaySeconds  *prometheus.HistogramVec
	headers       *prometheus.CounterVec
	headerSeconds prometheus.Histogram
	fallback      *prometheus.CounterVec
	blinded       *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		relayRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_builderproxy_relay_requests_total",
			Help: "Requests to relays by relay, endpoint and outcome (ok, no_bid, error, bad_bid, bad_signature, bad_proofs).",
		}, []string{"relay", "endpoint", "outcome"}),
		relaySeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pledge_builderproxy_relay_request_seconds",
			Help:    "Time of one request to a relay.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 12),
		}, []string{"relay", "endpoint"}),
		headers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_builderproxy_headers_total",
			Help: "getHeader answers by source (relay, fallback, none) and whether the slot had promises.",
		}, []string{"source", "promised"}),
		headerSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "pledge_builderproxy_get_header_seconds",
			Help:    "Time to answer getHeader.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 12),
		}),
		fallback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_builderproxy_fallback_builds_total",
			Help: "Local fallback builds by result (ok, error).",
		}, []string{"result"}),
		blinded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_builderproxy_blinded_blocks_total",
			Help: "submitBlindedBlock by source (relay, fallback) and result (ok, refused, error).",
		}, []string{"source", "result"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.relayRequests, m.relaySeconds, m.headers, m.headerSeconds, m.fallback, m.blinded} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register builder proxy metrics: %w", err)
		}
	}
	return m, nil
}
