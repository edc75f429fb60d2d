package api

import (
	"sync"
	"time"
)

// limiter is a token bucket per client key (the remote IP), in a bounded map.
//
// A bucket that has refilled to its burst is the same as a new one, so
// forgetting it loses nothing: idle clients are swept at most once per
// sweepEvery, and when the map is still full a random client is forgotten
// (map iteration order) rather than refusing new clients, so that an attacker
// with many addresses cannot lock everyone else out by filling the map.
type limiter struct {
	rate       float64 // tokens per second
	burst      float64
	maxClients int
	idleAfter  time.Duration // time for an empty bucket to refill
	sweepEvery time.Duration

	mu        sync.Mutex
	clients   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst, maxClients int) *limiter {
	idle := time.Duration(float64(burst) / rate * float64(time.Second))
	return &limiter{
		rate:       rate,
		burst:      float64(burst),
		maxClients: maxClients,
		idleAfter:  idle,
		sweepEvery: max(idle, time.Second),
		clients:    make(map[string]*bucket),
	}
}

// allow takes n tokens from key's bucket at time now, all or nothing.
func (l *limiter) allow(key string, n int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.clients[key]
	if !ok {
		l.makeRoom(now)
		b = &bucket{tokens: l.burst, last: now}
		l.clients[key] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
	}
	b.last = now
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// makeRoom keeps the map below maxClients. Called with mu held.
func (l *limiter) makeRoom(now time.Time) {
	// The sweep is O(clients), so it runs at most once per sweepEvery even
	// under a flood of new addresses; in between, a full map evicts at random.
	if now.Sub(l.lastSweep) >= l.sweepEvery {
		l.lastSweep = now
		for k, b := range l.clients {
			if now.Sub(b.last) >= l.idleAfter {
				delete(l.clients, k)
			}
		}
	}
	for k := range l.clients {
		if len(l.clients) < l.maxClients {
			break
		}
		delete(l.clients, k)
	}
}

// size is the number of clients remembered (for tests).
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}
