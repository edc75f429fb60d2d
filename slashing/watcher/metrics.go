package watcher

import "github.com/prometheus/client_golang/prometheus"

// Values of the result label of pledge_watcher_submissions_total and
// pledge_watcher_claim_commits_total.
const (
	resultSent     = "sent"     // the node accepted the transaction
	resultMined    = "mined"    // it was mined and did what it was for
	resultReverted = "reverted" // it was mined and reverted
	resultError    = "error"    // sending failed (transport error or the node refused it)
	resultReplaced = "replaced" // re-sent with higher fees after waiting
)

type metrics struct {
	promises    prometheus.Counter
	faults      *prometheus.CounterVec
	submissions *prometheus.CounterVec
	commits     *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		promises: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pledge_watcher_promises_total",
			Help: "Promises the watcher accepted to follow (each digest once).",
		}),
		faults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_watcher_faults_total",
			Help: "Broken promises found (each when its claim is drawn), by fault (safety, liveness, l2-inclusion, equivocation).",
		}, []string{"fault"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_watcher_submissions_total",
			Help: "Evidence transactions by result (sent, mined, reverted, error, replaced).",
		}, []string{"result"}),
		commits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pledge_watcher_claim_commits_total",
			Help: "Slasher.commitClaim transactions by result (sent, mined, reverted, error, replaced).",
		}, []string{"result"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.promises, m.faults, m.submissions, m.commits} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// count adds one to the counter of s's kind of transaction.
func (m *metrics) count(s *submission, result string) {
	if s.kind == StateCommitting {
		m.commits.WithLabelValues(result).Inc()
		return
	}
	m.submissions.WithLabelValues(result).Inc()
}
