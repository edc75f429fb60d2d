package api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkJSONRPCRequest measures the HTTP handler path of one call with a
// backend that answers at once: what the API adds to every promise.
func BenchmarkJSONRPCRequest(b *testing.B) {
	// A typical EIP-1559 transfer is ~110 bytes; 200 leaves room for calldata.
	payload := bytes.Repeat([]byte{0xab}, 200)
	for _, bc := range []struct {
		name, body string
		status     int
	}{
		{"commitmentRequest", call("commitmentRequest", "["+requestJSON(1, payload, testSlasher)+"]"), http.StatusOK},
		{"commitmentRequest/named", call("commitmentRequest", requestJSON(1, payload, testSlasher)), http.StatusOK},
		{"slots", call("slots", "[]"), http.StatusOK},
		{"refused/bad-params", call("commitmentRequest", `[{"commitment_type":1}]`), http.StatusOK},
		{"refused/not-json", `{"jsonrpc":`, http.StatusBadRequest},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ts := newTestServer(b, &fakeBackend{}, nil)
			h := ts.Handler()
			body := []byte(bc.body)
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != bc.status {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
