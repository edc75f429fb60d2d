package chainstate

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/rs/zerolog"
)

// defaultRulesEvery is how often the rules are read again from the client:
// a schedule change needs a client restart, which this catches soon after.
const defaultRulesEvery = 5 * time.Minute

// rulesRetry is how soon a read that left the rules unknown, or fell back to
// a built-in config because eth_config failed, is tried again.
const rulesRetry = 15 * time.Second

// rules is the chain config the State hands out and its bookkeeping. The
// fields are guarded by State.mu, except that load serialises the reads.
type rules struct {
	load  sync.Mutex
	fixed *params.ChainConfig

	config *params.ChainConfig
	source string // SourceEthConfig, SourceBuiltIn or SourceFixed
	name   string // what the config is: "mainnet", "rebuilt from eth_config"…
	err    error  // why config is nil, or why eth_config was not used
	readAt time.Time
	// retryAt, when set, is the time of the next read (sooner than
	// rulesEvery); nextFork is the activation time of the next fork the
	// client announced: once the head reaches it, the client's answer moves on.
	retryAt  time.Time
	nextFork uint64
	// chainID and genesis are read once: they never change under a client.
	chainID *big.Int
	genesis *types.Header
}

// ChainConfig returns the chain's rules: the forks active at each time and
// their blob schedules, read from the execution client's eth_config
// (EIP-7910), else go-ethereum's built-in config for the chain id. It
// returns an error wrapping ErrNoChainConfig, saying why, while they are
// unknown (before the first head, or a client without eth_config on a chain
// go-ethereum does not know).
func (s *State) ChainConfig() (*params.ChainConfig, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.rules.config != nil {
		return s.rules.config, nil
	}
	if s.rules.err != nil {
		return nil, s.rules.err
	}
	return nil, fmt.Errorf("%w: not read yet (no head)", ErrNoChainConfig)
}

// rulesDue reports whether the rules should be read at head. Called with mu
// held (read).
func (s *State) rulesDue(head *types.Header) bool {
	r := &s.rules
	now := s.now()
	switch {
	case r.fixed != nil:
		return false
	case r.readAt.IsZero():
		return true
	case !r.retryAt.IsZero() && !now.Before(r.retryAt):
		return true
	case r.nextFork != 0 && head.Time >= r.nextFork:
		return true
	}
	return now.Sub(r.readAt) >= s.rulesEvery
}

// loadRules reads the chain's rules when they are due, and logs what it
// found when it differs from what it had. A failed read keeps the rules
// read before. It never blocks a head on another read in progress.
func (s *State) loadRules(ctx context.Context, head *types.Header) {
	s.mu.RLock()
	due := s.rulesDue(head)
	s.mu.RUnlock()
	if !due || !s.rules.load.TryLock() {
		return
	}
	defer s.rules.load.Unlock()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	rd := s.readRules(ctx, head)
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.rules
	first := r.readAt.IsZero()
	r.readAt, r.retryAt, r.nextFork = s.now(), time.Time{}, rd.nextFork
	if rd.config == nil && r.config != nil && r.source == SourceEthConfig {
		// The client answered before: a failed read is no reason to drop
		// its rules for a guess.
		s.log.Warn().Err(rd.err).Msg("chain rules not read again; keeping the ones the execution client gave before")
		r.retryAt = r.readAt.Add(rulesRetry)
		return
	}
	if rd.config == nil {
		if r.config == nil && (first || !sameError(r.err, rd.err)) {
			s.log.Error().Err(rd.err).Msg("chain rules unknown: every request is refused until the execution client serves eth_config (EIP-7910)")
		}
		r.err = rd.err
		r.retryAt = r.readAt.Add(rulesRetry)
		return
	}
	if rd.source == SourceBuiltIn {
		if r.source != SourceBuiltIn || first {
			s.log.Warn().Err(rd.err).Str("rules", rd.name).
				Msg("the execution client's eth_config (EIP-7910) is not used: transactions are validated with go-ethereum's built-in rules for the chain; a fork or blob schedule the client overrides is not seen")
		}
		if !errors.Is(rd.err, errNoEthConfig) {
			r.retryAt = r.readAt.Add(rulesRetry) // a failure, not a client without the method
		}
	}
	changed := r.config == nil || r.source != rd.source || !reflect.DeepEqual(r.config, rd.config)
	r.config, r.source, r.name, r.err = rd.config, rd.source, rd.name, nil
	if changed {
		logRules(s.log.Info(), rd, head.Time).Msg("chain rules")
	}
}

// readRules is one read of the rules: eth_config, else the built-in config.
type rulesRead struct {
	config   *params.ChainConfig
	source   string
	name     string
	nextFork uint64
	// err says why there is no config, or why eth_config was not used.
	err error
}

func (s *State) readRules(ctx context.Context, head *types.Header) rulesRead {
	s.mu.RLock()
	chainID, genesis := s.rules.chainID, s.rules.genesis
	s.mu.RUnlock()
	if chainID == nil {
		id, err := s.el.ChainID(ctx)
		if err != nil {
			return rulesRead{err: fmt.Errorf("%w: read chain id: %w", ErrNoChainConfig, err)}
		}
		chainID = id
		s.mu.Lock()
		s.rules.chainID = id
		s.mu.Unlock()
	}
	ethErr := errNoEthConfig
	if c, ok := s.el.(interface{ Client() *rpc.Client }); ok && c.Client() != nil {
		a, err := readEthConfig(ctx, c.Client())
		if err == nil && genesis == nil {
			if genesis, err = s.el.HeaderByNumber(ctx, big.NewInt(0)); err == nil && genesis == nil {
				err = errors.New("empty genesis header")
			}
			if err != nil {
				err = fmt.Errorf("read genesis header: %w", err)
			} else {
				s.mu.Lock()
				s.rules.genesis = genesis
				s.mu.Unlock()
			}
		}
		if err == nil {
			cfg, name, cerr := configOf(a, chainID, genesis, head.Time)
			if cerr == nil {
				rd := rulesRead{config: cfg, source: SourceEthConfig, name: name}
				if a.Next != nil && uint64(a.Next.ActivationTime) > head.Time {
					rd.nextFork = uint64(a.Next.ActivationTime)
				}
				return rd
			}
			err = cerr
		}
		ethErr = err
	}
	if !chainID.IsUint64() {
		return rulesRead{err: fmt.Errorf("%w: %w; chain id %v out of range", ErrNoChainConfig, ethErr, chainID)}
	}
	if cfg, name, ok := builtInConfig(chainID.Uint64()); ok {
		return rulesRead{config: cfg, source: SourceBuiltIn, name: name, err: ethErr}
	}
	if errors.Is(ethErr, ErrNoChainConfig) {
		return rulesRead{err: ethErr}
	}
	return rulesRead{err: fmt.Errorf("%w: %w, and go-ethereum has no built-in rules for chain %v", ErrNoChainConfig, ethErr, chainID)}
}

// logRules adds what a config says at time t to a log event: the fork, its
// blob schedule, and the next fork.
func logRules(ev *zerolog.Event, rd rulesRead, t uint64) *zerolog.Event {
	c := rd.config
	fork := c.LatestFork(t)
	ev = ev.Str("source", rd.source).Str("rules", rd.name).Str("chain_id", c.ChainID.String()).Str("fork", fork.String())
	if b := c.BlobConfig(fork); b != nil {
		ev = ev.Int("blob_target", b.Target).Int("blob_max", b.Max).Uint64("blob_update_fraction", b.UpdateFraction)
	}
	for f := fork + 1; f <= c.LatestFork(^uint64(0)); f++ {
		if ts := c.Timestamp(f); ts != nil && *ts > t {
			return ev.Str("next_fork", f.String()).Uint64("next_fork_time", *ts)
		}
	}
	return ev
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}
