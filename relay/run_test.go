package relay_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/relay"
)

func TestCancellationsReplaceHigherBid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	high := f.submission(&fakeEL{value: 9}, nil)
	if code, b := f.submit(high); code != http.StatusOK {
		t.Fatalf("submit: %d %s", code, b)
	}
	low := f.submission(&fakeEL{value: 2}, nil)
	if code, _ := f.submit(low); code != http.StatusOK {
		t.Fatal("lower bid refused")
	}
	if v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0()); v.Data.Message.Value.Uint64() != 9 {
		t.Fatalf("without cancellations the higher bid stays, got %d", v.Data.Message.Value.Uint64())
	}
	code, b := f.do(http.MethodPost, "/constraints/v0/relay/blocks_with_proofs?cancellations=true", mustJSON(t, low), nil)
	if code != http.StatusOK {
		t.Fatalf("submit with cancellations: %d %s", code, b)
	}
	if v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0()); v.Data.Message.Value.Uint64() != 2 {
		t.Fatalf("with cancellations the newest bid replaces, got %d", v.Data.Message.Value.Uint64())
	}
}

func TestForkScheduleVersions(t *testing.T) {
	t.Parallel()
	// Electra until epoch 4 (slot 128), Fulu after: slot 101 is Electra.
	forks := []relay.Fork{
		{Version: spec.DataVersionFulu, Epoch: 4, ForkVersion: fuluForkVersion},
		{Version: spec.DataVersionElectra, Epoch: 0},
	}
	f := newFixtureWith(t, func(c *relay.Config) { c.Forks = forks })
	sub := f.submission(&fakeEL{value: 1}, nil)
	code, b := f.do(http.MethodPost, "/constraints/v0/relay/blocks_with_proofs", mustJSON(t, sub), map[string]string{"Eth-Consensus-Version": "fulu"})
	if code != http.StatusBadRequest {
		t.Fatalf("fulu header for an electra slot: %d %s", code, b)
	}
	if code, b := f.submit(sub); code != http.StatusOK {
		t.Fatalf("submit: %d %s", code, b)
	}
	v := f.headerWithProofs(targetSlot, parentHash, f.proposer.p0())
	if v == nil || v.Version != spec.DataVersionElectra {
		t.Fatalf("want an electra bid, got %+v", v)
	}
	for name, c := range map[string]relay.Config{
		"no forks":    {GenesisTime: genesisTime, SecondsPerSlot: 12, SlotsPerEpoch: 32},
		"deneb":       {GenesisTime: genesisTime, SecondsPerSlot: 12, SlotsPerEpoch: 32, Forks: []relay.Fork{{Version: spec.DataVersionDeneb}}},
		"no genesis":  {SecondsPerSlot: 12, SlotsPerEpoch: 32, Forks: forks},
		"no slot len": {GenesisTime: genesisTime, SlotsPerEpoch: 32, Forks: forks},
	} {
		if _, err := relay.New(f.relayKey.sk, c); err == nil {
			t.Errorf("%s: New accepted an incomplete config", name)
		}
	}
	if _, err := relay.New(nil, relay.Config{GenesisTime: genesisTime, SecondsPerSlot: 12, SlotsPerEpoch: 32, Forks: forks}); err == nil {
		t.Error("New accepted a nil key")
	}
}

func TestServeStopsWithContext(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.relay.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/eth/v1/builder/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// An open SSE stream must not hold the shutdown.
	stream, err := http.Get(base + "/constraints/v0/relay/constraints_stream/101")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve did not return after the context ended")
	}
	if _, err := http.Get(base + "/eth/v1/builder/status"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestMetricsCount(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	f := newFixture(t, relay.WithMetrics(reg))
	f.do(http.MethodGet, headerPath("/eth/v1/builder/header", targetSlot, parentHash, f.proposer.p0()), nil, nil)
	f.postConstraints(f.constraints(targetSlot, f.stranger, f.txs[:1]))
	want := map[string]float64{
		`pledge_relay_headers_total{result="no_bid"}`:      1,
		`pledge_relay_constraints_total{result="refused"}`: 1,
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			got[mf.GetName()+`{result="`+m.GetLabel()[0].GetValue()+`"}`] = m.GetCounter().GetValue()
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}
