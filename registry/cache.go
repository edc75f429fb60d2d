package registry

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Reader is the part of the Registry the sidecar reads on its hot path.
// *Client implements it; tests can fake it.
type Reader interface {
	Collateral(ctx context.Context, operator common.Address) (*big.Int, error)
	CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error)
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
// Registry again. Collateral only falls between reads by a slash (the sidecar
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
}

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
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Collateral returns operator's collateral, from memory when fresh. The
// returned value is the caller's to keep.
func (c *Cache) Collateral(ctx context.Context, operator common.Address) (*big.Int, error) {
	c.mu.Lock()
	e, ok := c.collateral[operator]
	c.mu.Unlock()
	if ok && c.fresh(e.fetched) {
		return new(big.Int).Set(e.value), nil
	}
	// Read outside the lock: a slow node must not block readers of other keys.
	v, err := c.reader.Collateral(ctx, operator)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.collateral[operator] = entry[*big.Int]{value: new(big.Int).Set(v), fetched: c.now()}
	if len(c.collateral) > pruneAbove {
		pruneExpired(c, c.collateral)
	}
	c.mu.Unlock()
	return new(big.Int).Set(v), nil
}

// CommitterAt returns the committer bound to operator at slot, from memory when fresh.
func (c *Cache) CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error) {
	k := committerKey{operator, slot}
	c.mu.Lock()
	e, ok := c.committers[k]
	c.mu.Unlock()
	if ok && c.fresh(e.fetched) {
		return e.value, nil
	}
	v, err := c.reader.CommitterAt(ctx, operator, slot)
	if err != nil {
		return common.Address{}, err
	}
	c.mu.Lock()
	c.committers[k] = entry[common.Address]{value: v, fetched: c.now()}
	if len(c.committers) > pruneAbove {
		pruneExpired(c, c.committers)
	}
	c.mu.Unlock()
	return v, nil
}

// Invalidate forgets everything cached about operator.
func (c *Cache) Invalidate(operator common.Address) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.collateral, operator)
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
