package signer

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the signer metrics: one set of series on a registry for every
// signer, BLS and ECDSA, told apart by the signer kind label.
type Metrics struct {
	seconds *prometheus.HistogramVec
	errors  *prometheus.CounterVec
}

// NewMetrics registers the signer metrics on reg, reusing them when another
// signer registered them first (one registry holds the committer's, the
// poster's and the BLS signers' series). A nil reg gives unregistered metrics.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pledge_signer_sign_seconds",
			Help:    "Time of one signature by signer kind and key, verification excluded.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 3, 9),
		}, []string{"signer", "key"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_signer_errors_total",
			Help: "Failed signer calls by signer kind and reason (unavailable, timeout, refused, unknown_key, bad_signature, malformed, unsupported, health, other).",
		}, []string{"signer", "reason"}),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	if m.seconds, err = register(reg, m.seconds); err != nil {
		return nil, err
	}
	if m.errors, err = register(reg, m.errors); err != nil {
		return nil, err
	}
	return m, nil
}

// ObserveSign records how long the signer of kind took to sign with key.
func (m *Metrics) ObserveSign(kind, key string, d time.Duration) {
	m.seconds.WithLabelValues(kind, key).Observe(d.Seconds())
}

// CountError counts a failed call of the signer of kind, for reason.
func (m *Metrics) CountError(kind, reason string) {
	m.errors.WithLabelValues(kind, reason).Inc()
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, fmt.Errorf("register signer metrics: %w", err)
	}
	return c, nil
}
