// Package chainstate is the sidecar's view of the execution layer: the head
// block, the accounts that requests touch (nonce, balance, code), cached per
// head so a burst of requests from one sender costs one round of RPC calls,
// and the highest base fee a future slot's block can have.
package chainstate

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/rs/zerolog"
	"golang.org/x/sync/singleflight"
)

// Sentinel errors of the package.
var (
	// ErrUnavailable is returned when the execution client does not answer or
	// answers nonsense; the wrapped error says which call failed and why.
	ErrUnavailable = errors.New("execution client unavailable")
	// ErrNoHead is returned by Ready before the first head has been read.
	ErrNoHead = errors.New("no head block read yet")
)

// EL is what the state reads from the execution client. *ethclient.Client and
// the client of go-ethereum's ethclient/simulated satisfy it.
type EL interface {
	ChainID(ctx context.Context) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
}

// Account is an account's state at one head block.
type Account struct {
	Nonce   uint64
	Balance *big.Int
	// HasCode is true for contracts and for EIP-7702 delegated accounts.
	HasCode bool
	// Block is the number of the head the account was read at, so a consumer
	// can tell whether it is older than a head it has already acted on.
	Block uint64
}

// State tracks the head and caches accounts per head. It is safe for
// concurrent use.
type State struct {
	el       EL
	log      zerolog.Logger
	interval time.Duration
	ttl      time.Duration
	timeout  time.Duration
	now      func() time.Time

	mu      sync.RWMutex
	head    *types.Header
	gen     uint64 // bumped on every new head; cache entries of older generations are stale
	cache   map[common.Address]Account
	lastOK  time.Time
	lastErr error
	subs    []chan *types.Header

	flight singleflight.Group
}

// Option configures a State.
type Option func(*State)

// WithPollInterval sets how often Run asks for the head (default 1 s). Polling
// rather than subscribing works over plain HTTP and costs one call a second.
func WithPollInterval(d time.Duration) Option { return func(s *State) { s.interval = d } }

// WithReadyWindow sets how long after the last good answer the EL still
// counts as up (default 3 poll intervals, at least 3 s).
func WithReadyWindow(d time.Duration) Option { return func(s *State) { s.ttl = d } }

// WithFetchTimeout bounds one account read (default 5 s).
func WithFetchTimeout(d time.Duration) Option { return func(s *State) { s.timeout = d } }

// WithNow replaces the wall clock (tests).
func WithNow(now func() time.Time) Option { return func(s *State) { s.now = now } }

// New returns a State reading from el. It does no I/O; call Refresh or Run.
func New(el EL, log zerolog.Logger, opts ...Option) (*State, error) {
	if el == nil {
		return nil, errors.New("chainstate: no execution client given")
	}
	s := &State{
		el:       el,
		log:      log.With().Str("component", "chainstate").Logger(),
		interval: time.Second,
		timeout:  5 * time.Second,
		now:      time.Now,
		cache:    make(map[common.Address]Account),
	}
	for _, o := range opts {
		o(s)
	}
	if s.interval <= 0 {
		return nil, fmt.Errorf("chainstate: poll interval %v must be positive", s.interval)
	}
	if s.ttl == 0 {
		s.ttl = max(3*s.interval, 3*time.Second)
	}
	return s, nil
}

// Run polls the head until ctx ends. Errors are logged and reported by Ready;
// they do not stop the loop, since the EL may come back.
func (s *State) Run(ctx context.Context) error {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	wasDown := false
	for {
		if _, err := s.Refresh(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !wasDown {
				s.log.Warn().Err(err).Msg("execution client not answering")
			}
			wasDown = true
		} else if wasDown {
			s.log.Info().Msg("execution client answering again")
			wasDown = false
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Refresh reads the head once. On a new head (a different hash) it drops the
// account cache and notifies subscribers. It returns the current head.
func (s *State) Refresh(ctx context.Context) (*types.Header, error) {
	h, err := s.el.HeaderByNumber(ctx, nil)
	if err == nil && (h == nil || h.Number == nil) {
		err = errors.New("empty header")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.lastErr = err
		return s.head, fmt.Errorf("%w: read head: %w", ErrUnavailable, err)
	}
	s.lastOK, s.lastErr = s.now(), nil
	if s.head != nil && s.head.Hash() == h.Hash() {
		return s.head, nil
	}
	s.head = h
	s.gen++
	clear(s.cache)
	s.log.Debug().Uint64("block", h.Number.Uint64()).Msg("new head")
	for _, c := range s.subs {
		// Keep only the newest head in each subscriber's one-slot buffer: a
		// slow consumer wants the latest state, never a backlog.
		select {
		case <-c:
		default:
		}
		c <- h
	}
	return h, nil
}

// Subscribe returns a channel that receives each new head. It never blocks
// the state: a consumer that falls behind sees only the newest head.
func (s *State) Subscribe() <-chan *types.Header {
	c := make(chan *types.Header, 1)
	s.mu.Lock()
	s.subs = append(s.subs, c)
	s.mu.Unlock()
	return c
}

// Head returns the newest head read, or nil before the first.
func (s *State) Head() *types.Header {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.head
}

// Ready reports whether the EL answered within the ready window.
func (s *State) Ready() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.head == nil {
		if s.lastErr != nil {
			return fmt.Errorf("%w: %w: %w", ErrNoHead, ErrUnavailable, s.lastErr)
		}
		return ErrNoHead
	}
	if age := s.now().Sub(s.lastOK); age > s.ttl {
		if s.lastErr != nil {
			return fmt.Errorf("%w: no answer for %v: %w", ErrUnavailable, age.Round(time.Millisecond), s.lastErr)
		}
		return fmt.Errorf("%w: no answer for %v", ErrUnavailable, age.Round(time.Millisecond))
	}
	return nil
}

// Account returns addr's state at the current head, from the cache when it
// was read at this head already. Concurrent misses for one address share one
// set of RPC calls. Before any head is known it reads the head first.
func (s *State) Account(ctx context.Context, addr common.Address) (Account, error) {
	s.mu.RLock()
	head, gen := s.head, s.gen
	a, ok := s.cache[addr]
	s.mu.RUnlock()
	if ok {
		return a, nil
	}
	if head == nil {
		var err error
		if head, err = s.Refresh(ctx); err != nil {
			return Account{}, err
		}
		s.mu.RLock()
		gen = s.gen
		s.mu.RUnlock()
	}
	key := fmt.Sprintf("%d/%x", gen, addr[:])
	ch := s.flight.DoChan(key, func() (any, error) {
		// The shared fetch outlives any one caller's cancellation (others
		// may still wait for it) but not the fetch timeout.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
		defer cancel()
		acc, err := s.fetch(fctx, addr, head.Number)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		if s.gen == gen { // a newer head would make this entry stale
			s.cache[addr] = acc
		}
		s.mu.Unlock()
		return acc, nil
	})
	select {
	case <-ctx.Done():
		return Account{}, fmt.Errorf("%w: read account %s: %w", ErrUnavailable, addr, ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return Account{}, r.Err
		}
		return r.Val.(Account), nil
	}
}

// fetch reads nonce, balance and code at one block, concurrently: three round
// trips in parallel cost one round trip of latency.
func (s *State) fetch(ctx context.Context, addr common.Address, number *big.Int) (Account, error) {
	var (
		wg      sync.WaitGroup
		nonce   uint64
		balance *big.Int
		code    []byte
		errs    [3]error
	)
	wg.Add(3)
	go func() { defer wg.Done(); nonce, errs[0] = s.el.NonceAt(ctx, addr, number) }()
	go func() { defer wg.Done(); balance, errs[1] = s.el.BalanceAt(ctx, addr, number) }()
	go func() { defer wg.Done(); code, errs[2] = s.el.CodeAt(ctx, addr, number) }()
	wg.Wait()
	for i, what := range [3]string{"nonce", "balance", "code"} {
		if errs[i] != nil {
			return Account{}, fmt.Errorf("%w: read %s of %s at block %d: %w", ErrUnavailable, what, addr, number, errs[i])
		}
	}
	if balance == nil {
		return Account{}, fmt.Errorf("%w: read balance of %s: empty answer", ErrUnavailable, addr)
	}
	return Account{Nonce: nonce, Balance: balance, HasCode: len(code) > 0, Block: number.Uint64()}, nil
}

// ProjectedBaseFee returns the highest base fee the block slotsAhead blocks
// after the head can have, or nil before any head is known or when the head
// has no base fee. See MaxBaseFeeAfter.
func (s *State) ProjectedBaseFee(slotsAhead uint64) *big.Int {
	h := s.Head()
	if h == nil || h.BaseFee == nil {
		return nil
	}
	return MaxBaseFeeAfter(h.BaseFee, h.GasLimit, slotsAhead)
}
