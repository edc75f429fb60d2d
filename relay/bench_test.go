package relay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// benchFixture has 128 constrained transactions and a valid submission of a
// 1,000-transaction payload that opens with them.
func benchFixture(b *testing.B) (*fixture, *builderapi.SubmitBlockRequest) {
	b.Helper()
	f := newFixture(b)
	all := signedTxs(b, 1000)
	top := all[:128]
	m := &protocol.ConstraintsMessage{Proposer: f.proposer.pub, Delegate: f.proposer.pub, Slot: targetSlot}
	for _, tx := range top {
		m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: tx})
	}
	sc, err := protocol.SignConstraints(m, f.domains, f.proposer.sk)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.relay.AddConstraints([]*protocol.SignedConstraints{sc}); err != nil {
		b.Fatal(err)
	}
	el := &fakeEL{extra: all[128:], value: 10}
	bl := f.newBuilder(el)
	job := f.job()
	built, err := el.Build(context.Background(), job.Slot, job.ParentHash, job.Attrs, top)
	if err != nil {
		b.Fatal(err)
	}
	sub, err := bl.Submission(job, built, top)
	if err != nil {
		b.Fatal(err)
	}
	return f, sub
}

// BenchmarkSubmitBlock128of1000 is the relay's work per builder submission:
// BLS verify of the trace, header and transactions_root of 1,000 txs, the
// multiproof of 128 constraints, and the relay's BLS signature on the bid.
func BenchmarkSubmitBlock128of1000(b *testing.B) {
	f, sub := benchFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := f.relay.SubmitBlock(sub, "", true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeaderWithProofs is header_with_proofs served from memory (the
// proofs checked once already), through the HTTP handler without a network.
func BenchmarkHeaderWithProofs(b *testing.B) {
	f, sub := benchFixture(b)
	if err := f.relay.SubmitBlock(sub, "", false); err != nil {
		b.Fatal(err)
	}
	h := f.relay.Handler()
	path := headerPath("/constraints/v0/builder/header_with_proofs", targetSlot, parentHash, f.proposer.p0())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
