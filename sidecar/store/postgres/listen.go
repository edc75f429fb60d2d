package postgres

import (
	"context"
	"time"
)

// Listen wakes the caller (a non-blocking send on wake) whenever any
// sidecar commits a promise, through LISTEN/NOTIFY on a connection of its
// own, until ctx ends. A lost connection is reopened after retry; a wake is
// sent after every (re)connection, since notifications sent while it was
// down are lost and the caller must read the store afresh. It returns
// ctx's error.
func (s *Store) Listen(ctx context.Context, wake chan<- struct{}, retry time.Duration) error {
	for {
		err := s.listenOnce(ctx, wake)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // the caller's polling covers the gap; the next connect retries
		t := time.NewTimer(retry)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, wake chan<- struct{}) error {
	if !s.acquire() {
		<-ctx.Done()
		return ctx.Err()
	}
	pc, err := s.pool.Acquire(ctx)
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	// Taken out of the pool: it LISTENs until closed, never to be reused.
	conn := pc.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	notify(wake)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		notify(wake)
	}
}

func notify(wake chan<- struct{}) {
	select {
	case wake <- struct{}{}:
	default:
	}
}
