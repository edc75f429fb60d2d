package registry

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/singleflight"
)

// Reader is the part of the Registry the sidecar reads on its hot path.
// *Client implements it; tests can fake it.
type Reader interface {
	Collateral(ctx context.Context, operator common.Address) (*big.Int, error)
	CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error)
	Status(ctx context.Context, operator common.Address) (*Status, error)
}

var (
	_ Reader = (*Client)(nil)
	_ Reader = (*Cache)(nil)
)

// pruneAbove is the entry count past which a write first drops expired entries,
// so a long-running sidecar asking for ever new slots keeps a bounded map.
const pruneAbove = 1024

type entry[T any] struct {
	value   T
	fetched time.Time
}

type committerKey struct {
	operator common.Address
	slot     uint64
}

// Cache answers Reader calls from memory for up to a TTL, then asks the
// Registry again (reading ahead from half the TTL on, so callers rarely wait). Collateral only falls between reads by a slash (the sidecar
// keeps its own exposure margin) and a committer rotation is announced
// rotationDelay slots ahead, so a TTL well under a slot's worth of delay is safe;
// Invalidate forgets an operator at once (after a deposit or a slash event).
type Cache struct {
	reader Reader
	ttl    time.Duration
	now    func() time.Time

	mu         sync.Mutex
	collateral map[common.Address]entry[*big.Int]
	committers map[committerKey]entry[common.Address]
	statuses   map[common.Address]entry[*Status]

	flight singleflight.Group
}

// refreshTimeout bounds one read of the Registry through the cache.
const refreshTimeout = 10 * time.Second

// CacheOption configures a Cache.
type CacheOption func(*Cache)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) CacheOption {
	return func(c *Cache) { c.now = now }
}

// NewCache wraps reader with a TTL cache. It does no I/O.
func NewCache(reader Reader, ttl time.Duration, opts ...CacheOption) (*Cache, error) {
	if reader == nil {
		return nil, fmt.Errorf("%w: no registry reader", ErrMissingInput)
	}
	if ttl <= 0 {
		return nil, fmt.Errorf("%w: cache TTL must be positive, got %s", ErrMissingInput, ttl)
	}
	c := &Cache{
		reader:     reader,
		ttl:        ttl,
		now:        time.Now,
		collateral: make(map[common.Address]entry[*big.Int]),
		committers: make(map[committerKey]entry[common.Address]),
		statuses:   make(map[common.Address]entry[*Status]),
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Collateral returns operator's collateral, from memory when fresh. The
// returned value is the caller's to keep.
func (c *Cache) Collateral(ctx context.Context, operator common.Address) (*big.Int, error) {
	v, err := cached(ctx, c, c.collateral, operator, "collateral/"+operator.Hex(),
		func(ctx context.Context) (*big.Int, error) {
			v, err := c.reader.Collateral(ctx, operator)
			if err != nil {
				return nil, err
			}
			return new(big.Int).Set(v), nil
		})
	if err != nil {
		return nil, err
	}
	return new(big.Int).Set(v), nil
}

// CommitterAt returns the committer bound to operator at slot, from memory when fresh.
func (c *Cache) CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error) {
	return cached(ctx, c, c.committers, committerKey{operator, slot}, fmt.Sprintf("committer/%s/%d", operator.Hex(), slot),
		func(ctx context.Context) (common.Address, error) { return c.reader.CommitterAt(ctx, operator, slot) })
}

// Status returns operator's record, from memory when fresh. The returned
// value is the caller's to keep. An exit is announced rotationDelay slots
// ahead of its exit slot, so a TTL well under that is safe here too.
func (c *Cache) Status(ctx context.Context, operator common.Address) (*Status, error) {
	v, err := cached(ctx, c, c.statuses, operator, "status/"+operator.Hex(),
		func(ctx context.Context) (*Status, error) { return c.reader.Status(ctx, operator) })
	if err != nil {
		return nil, err
	}
	return v.clone(), nil
}

// clone copies s, big numbers included.
func (s *Status) clone() *Status {
	out := *s
	if s.Collateral != nil {
		out.Collateral = new(big.Int).Set(s.Collateral)
	}
	if s.Reserved != nil {
		out.Reserved = new(big.Int).Set(s.Reserved)
	}
	return &out
}

// cached answers from m: a value younger than half the TTL as it is; one
// younger than the TTL as it is too, while a single background read
// replaces it, so no caller waits for the Registry at an expiry (at a
// thousand requests a second, each expiry used to hold every request
// arriving during the eth_call); anything older, or missing, with a read the
// caller waits for, shared by every caller asking at the same time. No
// answer is ever older than the TTL. A failed read is not cached.
func cached[K comparable, V any](ctx context.Context, c *Cache, m map[K]entry[V], key K, flight string, read func(context.Context) (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := m[key]
	c.mu.Unlock()
	age := c.now().Sub(e.fetched)
	if ok && age < c.ttl/2 {
		return e.value, nil
	}
	fetch := func() (any, error) {
		// Read outside the lock: a slow node must not block readers of
		// other keys. The read outlives a cancelled caller (others share
		// it), not the bound.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		v, err := read(rctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		m[key] = entry[V]{value: v, fetched: c.now()}
		if len(m) > pruneAbove {
			pruneExpired(c, m)
		}
		c.mu.Unlock()
		return v, nil
	}
	if ok && age < c.ttl {
		c.flight.DoChan(flight, fetch) // refresh ahead; this caller does not wait
		return e.value, nil
	}
	select {
	case r := <-c.flight.DoChan(flight, fetch):
		if r.Err != nil {
			var zero V
			return zero, r.Err
		}
		return r.Val.(V), nil
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Invalidate forgets everything cached about operator.
func (c *Cache) Invalidate(operator common.Address) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.collateral, operator)
	delete(c.statuses, operator)
	for k := range c.committers {
		if k.operator == operator {
			delete(c.committers, k)
		}
	}
}

func (c *Cache) fresh(fetched time.Time) bool {
	return c.now().Sub(fetched) < c.ttl
}

// pruneExpired drops m's stale entries; the caller holds c.mu.
func pruneExpired[K comparable, V any](c *Cache, m map[K]entry[V]) {
	for k, e := range m {
		if !c.fresh(e.fetched) {
			delete(m, k)
		}
	}
}
