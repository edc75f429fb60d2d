package builderproxy_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// BenchmarkGetHeaderOverhead measures what the proxy adds to a relay's own
// answer time for a promised slot: a relay answering at once with a bid for
// a 1,000-transaction payload whose first 128 are constrained, with the
// multiproof. Each iteration asks the relay directly, then through the
// proxy (decode, 128-leaf proof check, BLS check, re-encode); the
// difference's p50/p99 are reported as overhead-p50-µs / overhead-p99-µs.
func BenchmarkGetHeaderOverhead(b *testing.B) {
	txs := signedTxs(b, 1000)
	promised := txs[:128]
	bid := bidFor(b, newKey(b).sk, payload(txs, "bench"), len(promised), 1)
	body, err := json.Marshal(&builderapi.VersionedSignedBuilderBidWithProofs{Version: spec.DataVersionFulu, Data: bid})
	if err != nil {
		b.Fatal(err)
	}
	relaySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer relaySrv.Close()
	_, proxySrv := newProxy(b, promises{targetSlot: promised}, []string{relaySrv.URL})
	proposer := newKey(b).pub
	suffix := fmt.Sprintf("/%d/%s/%s", targetSlot, parentHash, proposer)
	direct := relaySrv.URL + "/constraints/v0/builder/header_with_proofs" + suffix
	viaProxy := proxySrv.URL + "/eth/v1/builder/header" + suffix
	client := &http.Client{}
	get := func(url string) time.Duration {
		start := time.Now()
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", url, resp.StatusCode)
		}
		return time.Since(start)
	}
	get(direct)
	get(viaProxy) // warm connections
	overhead := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	var inProxy time.Duration
	for range b.N {
		r := get(direct)
		p := get(viaProxy)
		inProxy += p
		overhead = append(overhead, p-r)
	}
	b.StopTimer()
	slices.Sort(overhead)
	b.ReportMetric(float64(overhead[len(overhead)/2].Microseconds()), "overhead-p50-µs")
	b.ReportMetric(float64(overhead[len(overhead)*99/100].Microseconds()), "overhead-p99-µs")
	b.ReportMetric(float64(inProxy.Nanoseconds())/float64(b.N), "proxy-ns/op")
}
