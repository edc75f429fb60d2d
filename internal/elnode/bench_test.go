package elnode

import (
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// BenchmarkBuildAndImport100 measures one block of 100 transfers (10 senders,
// 10 txs each) built from an explicit list with testing_buildBlockV1 and
// imported with engine_newPayload + forkchoiceUpdated: the fallback builder's
// path. Signing happens outside the timer.
func BenchmarkBuildAndImport100(b *testing.B) {
	const senders, perSender = 10, 10
	tn := startNet(b, senders)
	ctx := testCtx(b)
	root := common.Hash{0x42}
	nonce := uint64(0)
	var build, imp time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		txs := make([][]byte, 0, senders*perSender)
		for j := range perSender {
			for _, k := range tn.keys {
				txs = append(txs, encode(b, tn.transfer(b, k, nonce+uint64(j), 1))...)
			}
		}
		nonce += perSender
		b.StartTimer()
		start := time.Now()
		env, err := tn.BuildBlock(ctx, BuildArgs{ParentBeaconRoot: root, Txs: txs})
		if err != nil {
			b.Fatalf("build: %v", err)
		}
		if got := len(env.ExecutionPayload.Transactions); got != len(txs) {
			b.Fatalf("%d txs in block, want %d", got, len(txs))
		}
		built := time.Now()
		build += built.Sub(start)
		if err := tn.ImportPayload(ctx, env, root, nil, nil); err != nil {
			b.Fatalf("import: %v", err)
		}
		imp += time.Since(built)
	}
	// The split shows what the fallback builder pays before its own
	// engine_newPayload check (build) and what the check costs (import).
	b.ReportMetric(float64(build.Microseconds())/1000/float64(b.N), "build-ms/op")
	b.ReportMetric(float64(imp.Microseconds())/1000/float64(b.N), "import-ms/op")
}
