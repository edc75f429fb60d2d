package stack_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pledgeproto/pledge/internal/stack"
)

// syncBuffer is an io.Writer safe for the stack's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestRunWithFaultySlot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole devnet for ~10 slots; skipped in -short")
	}
	out := &syncBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 85*time.Second)
	defer cancel()
	s, err := stack.Start(ctx, stack.Config{Slots: 6, FaultySlot: 3, Traffic: true, Listen: "127.0.0.1:0", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum, err := s.Wait()
	t.Logf("output:\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	_ = sum
}
