package admission

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// SharedStore is a promise store several sidecars of one operator write to
// at once (*postgres.Store). The engine's own lock decides only among its
// own requests, so the final decision — nonces, the slot's room, the
// exposure, the request already promised elsewhere — is the store's,
// made atomically with the write (CommitClaimed). With a store that is not
// shared, the engine's lock is the whole decision and Put the write.
type SharedStore interface {
	Store
	// CommitClaimed writes rec if c still holds over every sidecar's
	// promises, and returns the stored record: rec, or the promise another
	// sidecar already made for the same request.
	CommitClaimed(ctx context.Context, rec *store.Record, c *store.Claims) (*store.Record, error)
	// Seal closes the slots before below to new promises on every sidecar,
	// waiting for the decisions in flight.
	Seal(ctx context.Context, below uint64) error
}

// sharedTimeout bounds a shared store's decision: it runs detached from the
// request, since a client going away must not cut a commit in half.
const sharedTimeout = 5 * time.Second

// sharedClaims builds what the shared store checks for a request that passed
// check: its nonces against the accounts read, and its room, checked by
// checkRoom against the room every sidecar's promises took (with this
// engine's carried transactions, which every sidecar works out alike from
// the store). Called with mu held.
func (e *Engine) sharedClaims(p *parsed, en *entry, accounts map[acctKey]chainstate.Account, tips map[uint64]*big.Int, collateral *big.Int, headGasLimit uint64) *store.Claims {
	c := &store.Claims{HeadSlot: e.headSlot, Slash: en.slash,
		Use: store.SlotUse{Gas: en.gas, Blobs: en.blobs, Promises: 1}}
	for _, t := range p.txs {
		inc := &t.Inclusion
		c.Nonces = append(c.Nonces, store.NonceClaim{Chain: inc.ChainID, Sender: inc.Sender, Nonce: inc.Nonce,
			TxHash: inc.TxHash, AccountNonce: accounts[keyOf(inc)].Nonce})
		if _, ok := en.l2[inc.ChainID]; ok {
			c.Use.L2MaxTx = max(c.Use.L2MaxTx, len(t.Raw))
		}
	}
	for _, a := range en.authTo {
		c.Authorities = append(c.Authorities, store.Account{Chain: a.chain, Address: a.addr})
	}
	if len(en.l2) > 0 {
		c.Use.L2 = make(map[uint64]store.L2Use, len(en.l2))
		for chain, u := range en.l2 {
			c.Use.L2[chain] = store.L2Use{Gas: u.gas, Bytes: u.bytes, Txs: u.txs}
		}
	}
	var carriedGas, carriedBlobs uint64
	if t := e.templates[p.slot]; t != nil {
		carriedGas, carriedBlobs = t.carriedGas, t.carriedBlobs
	}
	c.Fits = func(used store.SlotUse, exposure *big.Int) error {
		t := &template{gas: used.Gas, blobs: used.Blobs, promises: used.Promises, l2MaxTx: used.L2MaxTx,
			carriedGas: carriedGas, carriedBlobs: carriedBlobs, l2: make(map[uint64]*l2Use, len(used.L2))}
		for chain, u := range used.L2 {
			t.l2[chain] = &l2Use{gas: u.Gas, bytes: u.Bytes, txs: u.Txs}
		}
		return e.checkRoom(p, en, t, tips, collateral, headGasLimit, exposure)
	}
	return c
}

// commitShared writes a signed promise through the shared store's decision
// and maps its refusals to admission's errors. Anything else is the store
// being unavailable: the promise is not returned (never signed without a
// record).
func (e *Engine) commitShared(ctx context.Context, rec *store.Record, c *store.Claims) (*store.Record, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedTimeout)
	defer cancel()
	got, err := e.shared.CommitClaimed(ctx, rec, c)
	switch {
	case err == nil:
		return got, nil
	case errors.Is(err, store.ErrNonceSold):
		return nil, fmt.Errorf("%w: %w", ErrConflict, err)
	case errors.Is(err, store.ErrAuthorized):
		return nil, fmt.Errorf("%w: %w", ErrSenderHasCode, err)
	case errors.Is(err, store.ErrNonceGap):
		return nil, fmt.Errorf("%w: %w", ErrNonce, err)
	case errors.Is(err, store.ErrSealed):
		return nil, fmt.Errorf("%w: %w", ErrDeadlinePassed, err)
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrExposure), errors.Is(err, ErrUnderpriced):
		return nil, err
	}
	return nil, fmt.Errorf("%w: promise store %s: %w", ErrUnavailable, e.storeName(), err)
}

func (e *Engine) storeName() string {
	if s, ok := e.store.(fmt.Stringer); ok {
		return s.String()
	}
	return "(embedded)"
}

// Sync reads the promises other sidecars made for the slots after the head
// from the store into the templates, so this sidecar's constraints, top of
// block and fallback block carry them. Every future promise is read and
// decoded from its stored record; only the promises already known are not
// decoded into transactions again (docs/ha.md, "Known limits").
func (e *Engine) Sync(ctx context.Context) error {
	e.mu.Lock()
	from := e.headSlot + 1
	e.mu.Unlock()
	var loaded []*entry
	err := e.store.Range(from, noLimit, func(rec *store.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.mu.Lock()
		_, known := e.byRequest[rec.Commitment.Commitment.RequestHash]
		e.mu.Unlock()
		if known {
			return nil
		}
		en, err := e.entryFromRecord(rec)
		if err != nil {
			return err
		}
		loaded = append(loaded, en)
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: read promise store %s: %w", ErrUnavailable, e.storeName(), err)
	}
	if len(loaded) == 0 {
		return nil
	}
	e.mu.Lock()
	n := e.merge(nil, loaded)
	e.mu.Unlock()
	e.metrics.synced.Add(float64(n))
	return nil
}

// Follow runs Sync whenever wake fires (a shared store's notification) and
// at least every poll, until ctx ends. A failed Sync is logged and retried
// at the next wake or poll.
func (e *Engine) Follow(ctx context.Context, wake <-chan struct{}, poll time.Duration) error {
	t := time.NewTicker(poll)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-t.C:
		}
		err := e.Sync(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			e.log.Warn().Err(err).Msg("promises of the other sidecars not read; retrying")
		case err == nil && failing:
			e.log.Info().Msg("promises of the other sidecars read again")
		}
		failing = err != nil
	}
}
