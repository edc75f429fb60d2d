package duties

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	refreshes      *prometheus.CounterVec
	refreshSeconds prometheus.Histogram
	heads          prometheus.Counter
	headsDropped   prometheus.Counter
	reorgs         prometheus.Counter
	reconnects     prometheus.Counter
}

// newMetrics builds the tracker's metrics and registers them on reg (if any).
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_duties_refresh_total",
			Help: "Proposer duty refreshes by result (ok, error).",
		}, []string{"result"}),
		refreshSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "pledge_duties_refresh_seconds",
			Help:    "Time to fetch the current and next epoch's proposer duties.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 8),
		}),
		heads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_duties_head_events_total",
			Help: "Head events received from the beacon node.",
		}),
		headsDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_duties_head_events_dropped_total",
			Help: "Head events not delivered to a subscriber that was full.",
		}),
		reorgs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_duties_dependent_root_changes_total",
			Help: "Times an epoch's proposer duties came back with a new dependent root.",
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_duties_stream_reconnects_total",
			Help: "Times the head event stream ended and was reopened.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.refreshes, m.refreshSeconds, m.heads, m.headsDropped, m.reorgs, m.reconnects} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register duties metrics: %w", err)
		}
	}
	return m, nil
}
