package fallback

import (
	"sync"

	"github.com/attestantio/go-eth2-client/spec/phase0"
)

// payloadCache holds the last few built payloads by block hash, for
// unblinding; the oldest goes when it is full. A proposer signs the header
// within its slot, so a few entries cover every payload still wanted.
type payloadCache struct {
	mu     sync.Mutex
	keep   int
	order  []phase0.Hash32 // oldest first
	byHash map[phase0.Hash32]*Built
}

func newPayloadCache(keep int) *payloadCache {
	return &payloadCache{keep: keep, byHash: make(map[phase0.Hash32]*Built, keep)}
}

func (c *payloadCache) put(b *Built) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := b.Payload.BlockHash
	if _, ok := c.byHash[h]; ok {
		c.byHash[h] = b // the same block built again: keep one entry
		return
	}
	if len(c.order) == c.keep {
		delete(c.byHash, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, h)
	c.byHash[h] = b
}

func (c *payloadCache) get(h phase0.Hash32) (*Built, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.byHash[h]
	return b, ok
}
