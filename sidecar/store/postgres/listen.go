package postgres

import (
	"context"
	"time"

	"github.com/rs/zerolog"
)

// Listen wakes the caller (a non-blocking send on wake) whenever any
// sidecar commits a promise, through LISTEN/NOTIFY on a connection of its
// own, until ctx ends. A lost connection is reopened after retry; a wake is
// sent after every (re)connection, since notifications sent while it was
// down are lost and the caller must read the store afresh. While it cannot
// listen, the caller's polling is the only bound on the delay: it says so
// in log once, and again when it listens again. It returns ctx's error.
func (s *Store) Listen(ctx context.Context, wake chan<- struct{}, retry time.Duration, log zerolog.Logger) error {
	failing := false
	for {
		err := s.listenOnce(ctx, wake, func() {
			if failing {
				failing = false
				log.Info().Str("store", s.name).Msg("listening to the other sidecars' promises again")
			}
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !failing {
			failing = true
			log.Warn().Err(err).Str("store", s.name).Dur("retry", retry).
				Msg("cannot listen to the other sidecars' promises; reading them at each poll until it can")
		}
		t := time.NewTimer(retry)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, wake chan<- struct{}, listening func()) error {
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
	listening()
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
