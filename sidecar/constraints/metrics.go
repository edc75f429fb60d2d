package constraints

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	sends    *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
	slots    *prometheus.CounterVec
	resends  *prometheus.CounterVec
	relayUp  *prometheus.GaugeVec
	perSlotN prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_constraints_relay_requests_total",
			Help: "Requests to relays by relay, message kind and result (ok, retry, refused, gave_up).",
		}, []string{"relay", "kind", "result"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pledge_constraints_relay_request_seconds",
			Help:    "Time of one request to a relay.",
			Buckets: prometheus.ExponentialBuckets(0.001, 3, 9),
		}, []string{"relay"}),
		slots: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_constraints_slots_total",
			Help: "Our slots at their commitment deadline by outcome (sent, empty, no_key, error).",
		}, []string{"outcome"}),
		resends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_constraints_resends_total",
			Help: "Times constraints were sent again to a relay that came back.",
		}, []string{"relay"}),
		relayUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pledge_constraints_relay_up",
			Help: "1 while the relay's last answer was a success, else 0.",
		}, []string{"relay"}),
		perSlotN: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "pledge_constraints_per_slot",
			Help:    "Constraints signed for a slot.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 9),
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.sends, m.seconds, m.slots, m.resends, m.relayUp, m.perSlotN} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register constraints metrics: %w", err)
		}
	}
	return m, nil
}
