// Package chainstate is the sidecar's view of the execution layer: the head
// block, the accounts that requests touch (nonce, balance, code), cached per
// head so a burst of requests from one sender costs one round of RPC calls,
// the chain's rules (forks and blob schedules, from the client's eth_config),
// and the highest base fee and blob base fee a future slot's block can have.
package chainstate

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
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
// the client of go-ethereum's ethclient/simulated satisfy it. A client that
// also has Client() *rpc.Client (an *ethclient.Client) is asked for the
// chain's rules (eth_config) and gets its prefetches batched.
type EL interface {
	ChainID(ctx context.Context) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
}

// Prefetch bounds: how many accounts of the old head are read again at a
// new one before it is switched to, how many go in one JSON-RPC batch (three
// calls each; go-ethereum refuses batches over 1,000 calls by default), and
// how long the switch may wait for them.
const (
	prefetchMax    = 4096
	prefetchBatch  = 300
	prefetchBudget = 250 * time.Millisecond
)

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

	// rules are the chain's rules and where they came from; see rules.go.
	rules      rules
	rulesEvery time.Duration
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

// WithChainConfig fixes the chain's rules instead of reading them from the
// execution client (eth_config) or go-ethereum's built-in configs.
func WithChainConfig(c *params.ChainConfig) Option {
	return func(s *State) { s.rules.fixed = c }
}

// WithRulesRefresh sets how often the chain's rules are read again from the
// execution client (default 5 minutes; they are also read again once the
// next fork the client announced is active).
func WithRulesRefresh(d time.Duration) Option { return func(s *State) { s.rulesEvery = d } }

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

		rulesEvery: defaultRulesEvery,
	}
	for _, o := range opts {
		o(s)
	}
	if s.interval <= 0 {
		return nil, fmt.Errorf("chainstate: poll interval %v must be positive", s.interval)
	}
	if s.rulesEvery <= 0 {
		return nil, fmt.Errorf("chainstate: rules refresh %v must be positive", s.rulesEvery)
	}
	if c := s.rules.fixed; c != nil {
		if c.ChainID == nil {
			return nil, errors.New("chainstate: the given chain config has no chain id")
		}
		if err := c.CheckConfigForkOrder(); err != nil {
			return nil, fmt.Errorf("chainstate: the given chain config: %w", err)
		}
		s.rules.config, s.rules.source = c, SourceFixed
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
	if err == nil {
		s.loadRules(ctx, h)
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
	// Before switching, read the accounts of the old head's cache at the
	// new one: the senders of the last block are the next block's, and a
	// request should not wait for its sender's first read after a head
	// (nor the templates' re-check queue behind it). Until the switch,
	// everything still reads the old head, consistently.
	old, hot := s.head, s.hot()
	s.mu.Unlock()
	start := time.Now()
	warm := s.prefetch(ctx, hot, h.Number)
	s.mu.Lock()
	if s.head != old && s.head != nil && s.head.Number.Cmp(h.Number) >= 0 {
		return s.head, nil // another Refresh switched to this head or a newer one meanwhile
	}
	s.head = h
	s.gen++
	s.cache = warm
	s.log.Debug().Uint64("block", h.Number.Uint64()).Int("prefetched", len(warm)).Int("hot", len(hot)).
		Dur("prefetch", time.Since(start)).Msg("new head")
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

// hot returns up to prefetchMax addresses of the current cache. Called with
// mu held.
func (s *State) hot() []common.Address {
	out := make([]common.Address, 0, min(len(s.cache), prefetchMax))
	for a := range s.cache {
		if len(out) == prefetchMax {
			break
		}
		out = append(out, a)
	}
	return out
}

// prefetch reads addrs at block number within prefetchBudget; an account
// that could not be read in time is left out (read on demand later). With
// an RPC client underneath it sends JSON-RPC batches (three calls per
// account, prefetchBatch accounts per batch), else one fetch per account.
func (s *State) prefetch(ctx context.Context, addrs []common.Address, number *big.Int) map[common.Address]Account {
	out := make(map[common.Address]Account, len(addrs))
	if len(addrs) == 0 {
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, min(prefetchBudget, s.timeout))
	defer cancel()
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	put := func(a common.Address, acc Account) {
		mu.Lock()
		out[a] = acc
		mu.Unlock()
	}
	if c, ok := s.el.(interface{ Client() *rpc.Client }); ok && c.Client() != nil {
		rc := c.Client()
		sem := make(chan struct{}, 4)
		for chunk := range slices.Chunk(addrs, prefetchBatch) {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				batchFetch(ctx, rc, chunk, number, put)
			})
		}
		wg.Wait()
		return out
	}
	next := make(chan common.Address)
	for range min(16, len(addrs)) {
		wg.Go(func() {
			for a := range next {
				if acc, err := s.fetch(ctx, a, number); err == nil {
					put(a, acc)
				}
			}
		})
	}
	for _, a := range addrs {
		next <- a
	}
	close(next)
	wg.Wait()
	return out
}

// batchFetch reads nonce, balance and code of addrs at number in one
// JSON-RPC batch and hands every account read in full to put.
func batchFetch(ctx context.Context, rc *rpc.Client, addrs []common.Address, number *big.Int, put func(common.Address, Account)) {
	block := hexutil.EncodeBig(number)
	nonces := make([]hexutil.Uint64, len(addrs))
	balances := make([]hexutil.Big, len(addrs))
	codes := make([]hexutil.Bytes, len(addrs))
	elems := make([]rpc.BatchElem, 0, 3*len(addrs))
	for i, a := range addrs {
		elems = append(elems,
			rpc.BatchElem{Method: "eth_getTransactionCount", Args: []any{a, block}, Result: &nonces[i]},
			rpc.BatchElem{Method: "eth_getBalance", Args: []any{a, block}, Result: &balances[i]},
			rpc.BatchElem{Method: "eth_getCode", Args: []any{a, block}, Result: &codes[i]})
	}
	if err := rc.BatchCallContext(ctx, elems); err != nil {
		return
	}
	for i, a := range addrs {
		if elems[3*i].Error != nil || elems[3*i+1].Error != nil || elems[3*i+2].Error != nil {
			continue
		}
		put(a, Account{Nonce: uint64(nonces[i]), Balance: (*big.Int)(&balances[i]), HasCode: len(codes[i]) > 0, Block: number.Uint64()})
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
