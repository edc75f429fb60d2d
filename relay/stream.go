package relay

import (
	"sync"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// subscriber is one SSE client of a slot's constraints.
type subscriber struct {
	ch   chan []*protocol.SignedConstraints
	done chan struct{}
	once sync.Once
}

func (s *subscriber) end() { s.once.Do(func() { close(s.done) }) }

// broker fans accepted constraints out to the SSE subscribers of their slot.
// publish never blocks: a subscriber whose buffer is full is ended, because
// a builder that silently misses constraints would build invalid blocks.
type broker struct {
	mu   sync.Mutex
	buf  int
	subs map[uint64]map[*subscriber]struct{}
}

func newBroker(buf int) *broker {
	return &broker{buf: buf, subs: make(map[uint64]map[*subscriber]struct{})}
}

func (b *broker) subscribe(slot uint64) *subscriber {
	s := &subscriber{ch: make(chan []*protocol.SignedConstraints, b.buf), done: make(chan struct{})}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs[slot] == nil {
		b.subs[slot] = make(map[*subscriber]struct{})
	}
	b.subs[slot][s] = struct{}{}
	return s
}

func (b *broker) unsubscribe(slot uint64, s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs[slot], s)
	if len(b.subs[slot]) == 0 {
		delete(b.subs, slot)
	}
	s.end()
}

func (b *broker) publish(slot uint64, batch []*protocol.SignedConstraints) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[slot] {
		select {
		case s.ch <- batch:
		default:
			delete(b.subs[slot], s)
			s.end()
		}
	}
}

// closeSlot ends every stream of an evicted slot.
func (b *broker) closeSlot(slot uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[slot] {
		s.end()
	}
	delete(b.subs, slot)
}
