package fallback

import (
	"testing"
)

// BenchmarkFallbackBuild16 measures one fallback build of 16 promised
// transfers (16 senders): testing_buildBlockV1, the payload checks,
// engine_newPayload, conversion and the BLS-signed bid. Signing the txs and
// importing the block (so the next iteration has a new parent) happen
// outside the timer.
func BenchmarkFallbackBuild16(b *testing.B) {
	const n = 16
	tn := startNet(b, n)
	ctx := testCtx(b)
	fb := tn.builder(b)
	nonce := uint64(0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		top := make([][]byte, 0, n)
		for _, k := range tn.keys {
			top = append(top, encode(b, tn.transfer(b, k, nonce, 1))...)
		}
		nonce++
		req := tn.request(b, top)
		b.StartTimer()
		built, err := fb.Build(ctx, req)
		if err != nil {
			b.Fatalf("build: %v", err)
		}
		b.StopTimer()
		if got := len(built.Payload.Transactions); got != n {
			b.Fatalf("%d txs, want %d", got, n)
		}
		if err := tn.node.ImportPayload(ctx, built.Envelope, testBeaconRoot, nil, built.RawRequests); err != nil {
			b.Fatalf("import: %v", err)
		}
		b.StartTimer()
	}
}
