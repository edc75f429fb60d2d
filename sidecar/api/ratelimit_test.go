package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeClock is moved by hand so the bucket's refill is exact.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestRateLimit(t *testing.T) {
	t.Parallel()
	newLimited := func(t *testing.T) (*testServer, *fakeClock) {
		ts := newTestServer(t, &fakeBackend{}, func(c *Config) {
			c.RateLimit = 10
			c.RateBurst = 20
		})
		clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
		ts.now = clock.now
		return ts, clock
	}
	slots := call("slots", "[]")

	t.Run("burst then refused then refilled", func(t *testing.T) {
		t.Parallel()
		ts, clock := newLimited(t)
		for i := range 20 {
			if w := ts.do(http.MethodPost, "/", slots, "198.51.100.1"); w.Code != http.StatusOK {
				t.Fatalf("call %d within the burst: %d", i, w.Code)
			}
		}
		w := ts.do(http.MethodPost, "/", slots, "198.51.100.1")
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Fatalf("over the burst: status %d retry-after %q", w.Code, w.Header().Get("Retry-After"))
		}
		if a := decodeAnswer(t, w); a.Error.Code != CodeRateLimited {
			t.Fatalf("got %+v", a.Error)
		}
		// Another client is not affected.
		if w := ts.do(http.MethodPost, "/", slots, "198.51.100.2"); w.Code != http.StatusOK {
			t.Fatalf("other client: %d", w.Code)
		}
		// Nor are the health endpoints.
		if w := ts.do(http.MethodGet, "/livez", "", "198.51.100.1"); w.Code != http.StatusOK {
			t.Fatalf("livez of a limited client: %d", w.Code)
		}
		// 100 ms at 10/s is one call back.
		clock.t = clock.t.Add(100 * time.Millisecond)
		if w := ts.do(http.MethodPost, "/", slots, "198.51.100.1"); w.Code != http.StatusOK {
			t.Fatalf("after refill: %d", w.Code)
		}
		if w := ts.do(http.MethodPost, "/", slots, "198.51.100.1"); w.Code != http.StatusTooManyRequests {
			t.Fatalf("refill gave more than one token: %d", w.Code)
		}
	})
	t.Run("a batch costs one token per call", func(t *testing.T) {
		t.Parallel()
		ts, _ := newLimited(t)
		batch := "[" + strings.TrimSuffix(strings.Repeat(slots+",", 16), ",") + "]"
		if w := ts.do(http.MethodPost, "/", batch, "203.0.113.9"); w.Code != http.StatusOK {
			t.Fatalf("first batch: %d", w.Code)
		}
		w := ts.do(http.MethodPost, "/", batch, "203.0.113.9") // 4 tokens left
		if w.Code != http.StatusTooManyRequests {
			t.Fatalf("second batch: %d", w.Code)
		}
		if a := decodeAnswer(t, w); a.Error.Code != CodeRateLimited || !strings.Contains(a.Error.Data.Reason, "batch of 16") {
			t.Fatalf("got %+v", a.Error)
		}
	})
	t.Run("rest is limited too", func(t *testing.T) {
		t.Parallel()
		ts, _ := newLimited(t)
		var w = ts.do(http.MethodGet, restPrefix+"slots", "", "192.0.2.77")
		for range 20 {
			w = ts.do(http.MethodGet, restPrefix+"slots", "", "192.0.2.77")
		}
		if w.Code != http.StatusTooManyRequests {
			t.Fatalf("status %d", w.Code)
		}
		sameJSON(t, w.Body.Bytes(), `{"code":-32014,"message":"rate limited","data":{"reason":"over 10 calls per second from 192.0.2.77"}}`)
	})
	t.Run("ipv6 clients are keyed without the port", func(t *testing.T) {
		t.Parallel()
		ts, _ := newLimited(t)
		for i := range 21 {
			r := httpRequest(http.MethodPost, "/", slots)
			r.RemoteAddr = "[2001:db8::1]:" + strconv.Itoa(1000+i) // a new port each time
			w := serve(ts, r)
			if i < 20 && w.Code != http.StatusOK || i == 20 && w.Code != http.StatusTooManyRequests {
				t.Fatalf("call %d: status %d", i, w.Code)
			}
		}
	})
}

func TestLimiterMapIsBounded(t *testing.T) {
	t.Parallel()
	start := time.Unix(1_700_000_000, 0)
	t.Run("full map evicts to stay bounded", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(1, 2, 3)
		for i := range 100 {
			if !l.allow(fmt.Sprintf("10.0.0.%d", i), 1, start) {
				t.Fatalf("new client %d refused", i)
			}
			if n := l.size(); n > 3 {
				t.Fatalf("%d clients remembered, bound 3", n)
			}
		}
	})
	t.Run("idle clients are swept", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(1, 2, 100) // refills in 2 s
		for i := range 10 {
			l.allow(fmt.Sprintf("10.0.0.%d", i), 1, start)
		}
		l.allow("10.0.1.1", 1, start.Add(3*time.Second))
		if n := l.size(); n != 1 {
			t.Fatalf("%d clients after the idle ones refilled, want 1", n)
		}
	})
	t.Run("active clients survive a sweep", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(1, 2, 100)              // refills in 2 s, sweeps every 2 s
		l.allow("b", 2, start)                  // empty
		l.allow("b", 1, start.Add(time.Second)) // refilled 1, empty again
		l.allow("c", 1, start.Add(2*time.Second))
		if l.size() != 2 {
			t.Fatalf("%d clients, want b and c", l.size())
		}
		// b holds 1 token; a forgotten b would hold a fresh 2.
		if l.allow("b", 2, start.Add(2*time.Second)) {
			t.Fatal("b was forgotten while its bucket was not full")
		}
	})
}
