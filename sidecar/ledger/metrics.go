package ledger

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	opened   prometheus.Counter
	released prometheus.Counter
	failures *prometheus.CounterVec
	sent     *prometheus.CounterVec
	replaced *prometheus.CounterVec
	// signFailures counts transactions the committer's signer did not sign.
	signFailures *prometheus.CounterVec
	balance      prometheus.Gauge
}

// newMetrics creates the component's metrics and registers them on reg
// (none when reg is nil: they still count, nobody scrapes them).
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		opened: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_ledger_opened_total",
			Help: "Slot ledgers opened in the Registry by this sidecar.",
		}),
		released: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_ledger_released_total",
			Help: "Expired slot ledgers whose reservation was given back to the free collateral.",
		}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_ledger_open_failures_total",
			Help: "openLedger attempts that failed, by reason; grace_over, attempts and the Registry's refusals leave the slot without a ledger.",
		}, []string{"reason"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_ledger_txs_sent_total",
			Help: "Transactions sent by the committer account, by kind (open, release).",
		}, []string{"kind"}),
		replaced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_ledger_txs_replaced_total",
			Help: "Transactions replaced with higher fees (same nonce) after waiting to be mined, by kind.",
		}, []string{"kind"}),
		signFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_ledger_sign_failures_total",
			Help: "Committer transactions the signer did not sign (down, slow, a wrong answer), by kind; each is tried again at the next tick.",
		}, []string{"kind"}),
		balance: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pledge_ledger_committer_balance_ether",
			Help: "The committer account's balance, which pays the ledgers' gas.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.opened, m.released, m.failures, m.sent, m.replaced, m.signFailures, m.balance)
	}
	return m
}
