package signer_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Two signers on one registry (a BLS and an ECDSA one, say) share the series.
func TestMetricsShareOneRegistry(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	a, err := signer.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := signer.NewMetrics(reg)
	if err != nil {
		t.Fatalf("second registration: %v", err)
	}
	a.CountError("web3signer", "refused")
	b.CountError("web3signer", "refused")
	b.ObserveSign("clef", "0xabc", time.Millisecond)
	if n, err := testutil.GatherAndCount(reg, "pledge_signer_errors_total"); err != nil || n != 1 {
		t.Errorf("pledge_signer_errors_total: %d series, %v; want 1", n, err)
	}
	if n, err := testutil.GatherAndCount(reg, "pledge_signer_sign_seconds"); err != nil || n != 1 {
		t.Errorf("pledge_signer_sign_seconds: %d series, %v; want 1", n, err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "pledge_signer_errors_total" {
			if v := mf.GetMetric()[0].GetCounter().GetValue(); v != 2 {
				t.Errorf("errors counted %v, want 2 from both", v)
			}
		}
	}
}
