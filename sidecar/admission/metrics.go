package admission

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	dropped  *prometheus.CounterVec
	// carried counts missed promised txs carried into a later slot.
	carried prometheus.Counter
	// postFailures counts slots whose batch post could not be signed.
	postFailures prometheus.Counter
	// synced counts promises of other sidecars read from a shared store.
	synced prometheus.Counter
}

// newMetrics creates the engine's metrics and registers them on reg (none
// when reg is nil: the metrics still count, nobody scrapes them).
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_admission_requests_total",
			Help: "Commitment requests by outcome: accepted, replayed, or the rejection reason.",
		}, []string{"result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pledge_admission_request_seconds",
			Help:    "Time to answer a commitment request, persistence included.",
			Buckets: []float64{50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 50e-3, 250e-3, 1},
		}, []string{"accepted"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_admission_dropped_total",
			Help: "Promised transactions dropped from their template because the user made them impossible, by reason.",
		}, []string{"reason"}),
		carried: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_admission_carried_total",
			Help: "Missed promised L1 transactions carried to the top of a later slot, ahead of the promises stacked on them.",
		}),
		postFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_admission_post_failures_total",
			Help: "Slots with L2 promises whose batch post transaction could not be signed.",
		}),
		synced: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_admission_synced_total",
			Help: "Promises made by the operator's other sidecars, read from the shared store into the templates.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.latency, m.dropped, m.carried, m.postFailures, m.synced)
	}
	return m
}

// results names each sentinel for the requests metric; the first match wins.
var results = []struct {
	err  error
	name string
}{
	{ErrSlotNotOffered, "slot_not_offered"}, {ErrDeadlinePassed, "deadline"}, {ErrNonce, "nonce"},
	{ErrBalance, "balance"}, {ErrFeeBelowBase, "fee_below_base"}, {ErrUnderpriced, "underpriced"},
	{ErrSlotFull, "slot_full"}, {ErrExposure, "exposure"}, {ErrUnknownRollup, "unknown_rollup"},
	{ErrUnavailable, "unavailable"}, {ErrConflict, "conflict"}, {ErrSenderHasCode, "sender_code"},
	{ErrWrongSlasher, "wrong_slasher"}, {ErrUnknownType, "unknown_type"}, {ErrNotBacked, "not_backed"},
	{protocol.ErrTxTooLarge, "too_large"}, {protocol.ErrTxSignature, "tx_signature"},
	{protocol.ErrWrongChain, "wrong_chain"}, {protocol.ErrBlobSidecar, "blob_sidecar"},
	{protocol.ErrDuplicateTx, "bad_bundle"}, {protocol.ErrInclusionCount, "bad_bundle"},
	{protocol.ErrMalformedPayload, "malformed"}, {protocol.ErrTxMalformed, "malformed"},
	{protocol.ErrTxType, "malformed"}, {protocol.ErrTxUnprotected, "malformed"}, {protocol.ErrTxInvalid, "malformed"},
}

func (m *metrics) observe(start time.Time, replay bool, err error) {
	result := "error"
	switch {
	case err == nil && replay:
		result = "replayed"
	case err == nil:
		result = "accepted"
	default:
		for _, r := range results {
			if errors.Is(err, r.err) {
				result = r.name
				break
			}
		}
	}
	m.requests.WithLabelValues(result).Inc()
	accepted := "false"
	if err == nil {
		accepted = "true"
	}
	m.latency.WithLabelValues(accepted).Observe(time.Since(start).Seconds())
}
