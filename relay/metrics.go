package relay

import "github.com/prometheus/client_golang/prometheus"

// metrics are the relay's counters.
type metrics struct {
	submissions *prometheus.CounterVec
	constraints *prometheus.CounterVec
	headers     *prometheus.CounterVec
	payloads    *prometheus.CounterVec
}

// WithMetrics registers the relay's counters on reg (cmd owns the registry):
// pledge_relay_submissions_total{result}, pledge_relay_constraints_total{result},
// pledge_relay_headers_total{result} and pledge_relay_payloads_total{result}.
func WithMetrics(reg prometheus.Registerer) Option {
	return func(r *Relay) {
		m := &metrics{
			submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "pledge_relay_submissions_total", Help: "Builder block submissions by result (accepted, refused).",
			}, []string{"result"}),
			constraints: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "pledge_relay_constraints_total", Help: "Signed constraints batches by result (accepted, refused).",
			}, []string{"result"}),
			headers: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "pledge_relay_headers_total", Help: "getHeader and header_with_proofs answers by result (served, no_bid).",
			}, []string{"result"}),
			payloads: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "pledge_relay_payloads_total", Help: "Blinded blocks by result (revealed, refused, publish_failed).",
			}, []string{"result"}),
		}
		reg.MustRegister(m.submissions, m.constraints, m.headers, m.payloads)
		r.metrics = m
	}
}

// count adds one to the counter of kind with the label result; a relay
// without metrics (m == nil) counts nothing.
func (m *metrics) count(kind, result string) {
	if m == nil {
		return
	}
	var vec *prometheus.CounterVec
	switch kind {
	case "submissions":
		vec = m.submissions
	case "constraints":
		vec = m.constraints
	case "headers":
		vec = m.headers
	default:
		vec = m.payloads
	}
	vec.WithLabelValues(result).Inc()
}

// result names a counter label from an error.
func result(err error, ok string) string {
	if err != nil {
		return "refused"
	}
	return ok
}
