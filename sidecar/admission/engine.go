// Package admission decides which promises the sidecar signs. It keeps a
// template per slot of the transactions already promised, validates every
// request against it and against the chain (go-ethereum's own rules of the
// slot's block as the head projects it — fork, intrinsic gas and calldata
// floor, initcode, gas cap, blob count and blob fee —, nonces stacked across
// earlier promises, balance for their summed max cost, projected base fee,
// price, gas and blob budgets, deadline, ownership of the slot, exposure of
// the operator's collateral), signs the promise and persists it, synced, before
// answering. On each new head it re-checks the templates and drops promised
// transactions the user made impossible, recording why.
//
// Concurrency: everything that needs no shared state (payload and tx
// decoding, sender recovery, account reads) runs outside any lock; the
// stacked rules are checked and the promise's room reserved under one engine
// lock held for microseconds; signing and the synced write run outside it,
// and a failed write releases the reservation.
package admission

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
	"github.com/pledgeproto/pledge/sidecar/store"
)

// Duties says which slots are ours and maps slots to time.
type Duties interface {
	Duty(slot uint64) (duties.Duty, bool)
	Clock() duties.Clock
}

// State is the execution layer as admission reads it.
type State interface {
	Account(ctx context.Context, addr common.Address) (chainstate.Account, error)
	ProjectedBaseFee(blocksAhead uint64) *big.Int
	Head() *types.Header
	// ChainConfig is the chain's rules (forks, blob schedules), which decide
	// what the block of a slot can hold.
	ChainConfig() (*params.ChainConfig, error)
}

// Registry is the operator's standing in the Registry, read through a cache:
// the collateral that backs its promises, and whether a promise for a slot
// would be backed at all.
type Registry interface {
	// Collateral is the operator's collateral (reserved and free).
	Collateral(ctx context.Context) (*big.Int, error)
	// Backs is nil when the Registry would hold a promise for slot signed by
	// our committer binding: the operator is registered (or exiting, with
	// slot before its exit slot), slot is within the Registry's lookahead of
	// the current slot, and our committer is the one bound at slot (not
	// revoked). A refusal wraps ErrNotBacked; a failed read ErrUnavailable.
	Backs(ctx context.Context, slot uint64) error
}

// Store persists promises; *store.Store implements it.
type Store interface {
	Put(rec *store.Record) error
	ByRequest(h common.Hash) (*store.Record, error)
	Range(from, to uint64, fn func(*store.Record) error) error
	Prune(before uint64) (int, error)
	Slots(from, to uint64) ([]uint64, error)
}

// Poster signs the L1 transaction that posts a slot's rollup batches to the
// Inbox; *rollup.Poster implements it.
type Poster interface {
	PostTx(ctx context.Context, slot uint64, batches []rollup.Batch) (*types.Transaction, error)
	// Address is the poster account: it may not be promised a transaction
	// of its own, whose nonce would collide with the posts'.
	Address() common.Address
	// Inbox is where the posts go.
	Inbox() common.Address
}

var _ Poster = (*rollup.Poster)(nil)

// Signer signs promises with the committer key: the signing root of
// docs/protocol.md §2.1 as it is, 65 bytes r ‖ s ‖ v. A remote signer's
// failure (down, slow, a signature by another key) is an error: the promise
// is then not acknowledged (ErrUnavailable, naming the signer), never signed
// with another key. *ecdsasigner.Signer implements it (a local key or
// Web3Signer; Clef cannot sign a raw root).
type Signer interface {
	SignPromise(ctx context.Context, p *protocol.Promise, d protocol.Domain) ([]byte, error)
	Address() common.Address
}

var _ Signer = (*ecdsasigner.Signer)(nil)

// KeySigner signs with a committer key held in memory.
type KeySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

var _ Signer = (*KeySigner)(nil)

// NewKeySigner wraps a committer key.
func NewKeySigner(key *ecdsa.PrivateKey) *KeySigner {
	return &KeySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

// SignPromise signs the promise's digest (its commitment's signing root).
func (k *KeySigner) SignPromise(_ context.Context, p *protocol.Promise, d protocol.Domain) ([]byte, error) {
	return protocol.SignPromise(p, d, k.key)
}

// Address is the committer address.
func (k *KeySigner) Address() common.Address { return k.addr }

// SignTx signs an L1 transaction of the committer account for chainID: the
// slot ledgers' openLedger and release (sidecar/ledger).
func (k *KeySigner) SignTx(_ context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(chainID), k.key)
}

var _ Store = (*store.Store)(nil)

// Engine admits requests. It is safe for concurrent use.
type Engine struct {
	cfg      Config
	domain   protocol.Domain
	duties   Duties
	state    State
	registry Registry
	store    Store
	signer   Signer
	poster   Poster // nil: rollups are not offered
	log      zerolog.Logger
	now      func() time.Time
	metrics  *metrics
	// targets caches the slots' blocks projected on the current head.
	targets targetCache
	// shared is store when several sidecars write to it: the final
	// decision is then the store's (shared.go). Nil for the embedded store.
	shared SharedStore

	// mu guards everything below; it is held only for map and counter work.
	mu sync.Mutex
	// byRequest and byNonce index the promises in full form: reserved, or
	// committed for a slot not yet trimmed.
	byRequest map[common.Hash]*entry
	byNonce   map[nonceKey]*entry
	// sold holds, until Prune, the nonces claimed by trimmed promises (slot
	// behind the head): the sold-nonce rule (docs/protocol.md §9.4) is all
	// that is left of them in memory, at one pointer-free map slot per tx.
	sold map[nonceKey]soldTx
	// pastDrops says why trimmed promises had been dropped, by request hash.
	pastDrops map[common.Hash]pastDrop
	templates map[uint64]*template
	// live holds each account's promised txs not yet past their slot, per
	// chain: an address has one nonce on L1 and another on each rollup.
	live map[acctKey][]*liveTx
	// runs caches, per account with live txs, the run check reads: see liveRun.
	runs map[acctKey]*liveRun
	// pending holds each account's reserved entries (not yet persisted)
	// with txs in its live list, so a request finds them without a walk.
	pending map[acctKey][]*entry
	// delegating counts live type-4 L1 txs authorizing each account: such
	// an account gets code (and a nonce bump) at the top of the slot.
	delegating map[acctKey]int
	// carriedInto holds the txs carried at the last head, by the slot they
	// went into, so a carry is announced (logged, counted) once.
	carriedInto map[common.Hash]uint64
	exposure    *big.Int
	// sealedBelow: slots before it are sealed (SealThrough), they take no
	// new reservation: their ledgers are built from the store.
	sealedBelow uint64
	// sharedSealedBelow: slots before it are sealed in the shared store and
	// their promises read into the templates (SealThrough).
	sharedSealedBelow uint64
	headNumber        uint64
	headSlot          uint64
}

// Option configures an Engine.
type Option func(*Engine)

// WithNow replaces the wall clock (tests).
func WithNow(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithPoster makes the engine offer the configured rollups: p signs each
// slot's batch post, which TopOfBlock places first.
func WithPoster(p Poster) Option { return func(e *Engine) { e.poster = p } }

// WithRegisterer registers the engine's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option {
	return func(e *Engine) { e.metrics = newMetrics(reg) }
}

// New checks the configuration and dependencies and returns an engine with
// empty templates; call Load to bring back stored promises. It does no I/O.
func New(cfg Config, d Duties, st State, reg Registry, s Store, signer Signer, log zerolog.Logger, opts ...Option) (*Engine, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	switch {
	case d == nil:
		return nil, errors.New("admission: no duties given")
	case st == nil:
		return nil, errors.New("admission: no chain state given")
	case reg == nil:
		return nil, errors.New("admission: no registry reader given")
	case s == nil:
		return nil, errors.New("admission: no store given")
	case signer == nil:
		return nil, errors.New("admission: no signer given")
	}
	e := &Engine{
		cfg:        c,
		domain:     protocol.Domain{ChainID: c.L1ChainID, Slasher: c.Slasher},
		duties:     d,
		state:      st,
		registry:   reg,
		store:      s,
		signer:     signer,
		log:        log.With().Str("component", "admission").Logger(),
		now:        time.Now,
		byRequest:  make(map[common.Hash]*entry),
		byNonce:    make(map[nonceKey]*entry),
		sold:       make(map[nonceKey]soldTx),
		pastDrops:  make(map[common.Hash]pastDrop),
		templates:  make(map[uint64]*template),
		live:       make(map[acctKey][]*liveTx),
		runs:       make(map[acctKey]*liveRun),
		pending:    make(map[acctKey][]*entry),
		delegating: make(map[acctKey]int),
		exposure:   new(big.Int),
	}
	if sh, ok := s.(SharedStore); ok {
		e.shared = sh
	}
	for _, o := range opts {
		o(e)
	}
	if e.metrics == nil {
		e.metrics = newMetrics(nil)
	}
	if e.poster != nil {
		for id, r := range c.Rollups {
			if r.Inbox != e.poster.Inbox() {
				return nil, fmt.Errorf("admission: rollup %d posts to %s, the batch poster to %s", id, r.Inbox, e.poster.Inbox())
			}
		}
	}
	return e, nil
}

// Config returns the configuration in force, defaults filled in.
func (e *Engine) Config() Config { return e.cfg }

// Committer is the address that signs the promises.
func (e *Engine) Committer() common.Address { return e.signer.Address() }

// deadline is the last instant a request for slot may arrive.
func deadline(c duties.Clock, slot uint64, frac float64) time.Time {
	return c.SlotStart(slot).Add(-c.SlotDuration + time.Duration(frac*float64(c.SlotDuration)))
}

// checkSlot applies the slot rules: ours, in the future, before its deadline.
func (e *Engine) checkSlot(slot uint64) error {
	c := e.duties.Clock()
	now := e.now()
	if c.SlotDuration <= 0 {
		return fmt.Errorf("%w: slot clock not known yet (beacon node)", ErrUnavailable)
	}
	// The running slot is not "past": its deadline is, which says more.
	if !now.Before(c.SlotStart(slot + 1)) {
		return fmt.Errorf("%w: slot %d is in the past (current slot %d)", ErrSlotNotOffered, slot, c.SlotAt(now))
	}
	if _, ok := e.duties.Duty(slot); !ok {
		return fmt.Errorf("%w: none of our validators proposes slot %d", ErrSlotNotOffered, slot)
	}
	if d := deadline(c, slot, e.cfg.DeadlineFraction); !now.Before(d) {
		return fmt.Errorf("%w: slot %d closed at %s", ErrDeadlinePassed, slot, d.UTC().Format(time.RFC3339Nano))
	}
	return nil
}
