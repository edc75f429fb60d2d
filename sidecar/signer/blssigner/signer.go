package blssigner

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Request is one message to sign: the §5.1 message hash, by the key Pubkey,
// for the network, chain and Commit-Boost signing context of Domains
// (Domains.SigningID and Domains.Nonce are what the caller asks for; a
// Commit-Boost signer imposes its module's own signing id).
type Request struct {
	Pubkey      protocol.BLSPubkey
	MessageHash common.Hash
	Domains     protocol.Domains
}

// Signature is a §5.2 signature with the signing context it covers, which
// the signed envelope carries (signing_id, nonce).
type Signature struct {
	Signature protocol.BLSSignature
	SigningID common.Hash
	Nonce     uint64
}

// Backend is one way of reaching BLS keys.
type Backend interface {
	// Kind names the backend in metrics, logs and readiness ("local", "commit-boost", "web3signer").
	Kind() string
	// Endpoint says where it is (a URL without credentials; "memory" for Local).
	Endpoint() string
	// Sign signs req; the Signer wrapper verifies the answer.
	Sign(ctx context.Context, req Request) (Signature, error)
	// Pubkeys lists the keys the backend can sign with.
	Pubkeys(ctx context.Context) ([]protocol.BLSPubkey, error)
	// Check is nil while the backend answers its health endpoint.
	Check(ctx context.Context) error
}

// DefaultTimeout bounds one call to a signer.
const DefaultTimeout = 2 * time.Second

type options struct {
	timeout  time.Duration
	interval time.Duration
	reg      prometheus.Registerer
	log      zerolog.Logger
}

// Option configures a Signer.
type Option func(*options)

// WithTimeout bounds every call to the backend (default DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithCheckInterval sets how often Run asks the backend's health (default 5 s).
func WithCheckInterval(d time.Duration) Option { return func(o *options) { o.interval = d } }

// WithRegisterer registers the signer metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// Signer is a backend with a timeout, verification of every signature it
// returns, metrics and a readiness state.
type Signer struct {
	b    Backend
	opts options
	m    *signer.Metrics
	log  zerolog.Logger

	mu      sync.Mutex
	lastErr error
}

// New wraps b. It does no I/O.
func New(b Backend, opts ...Option) (*Signer, error) {
	if b == nil {
		return nil, fmt.Errorf("%w: no backend", ErrConfig)
	}
	o := options{timeout: DefaultTimeout, interval: 5 * time.Second, log: zerolog.Nop()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout <= 0 || o.interval <= 0 {
		return nil, fmt.Errorf("%w: timeout and check interval must be positive", ErrConfig)
	}
	m, err := signer.NewMetrics(o.reg)
	if err != nil {
		return nil, err
	}
	return &Signer{b: b, opts: o, m: m,
		log: o.log.With().Str("component", "bls_signer").Str("signer", b.Kind()).Str("endpoint", b.Endpoint()).Logger()}, nil
}

// Name is the backend's kind and endpoint, for readiness and logs.
func (s *Signer) Name() string { return s.b.Kind() + " " + s.b.Endpoint() }

// Sign asks the backend for req's signature, within the timeout, and
// returns it only if it verifies for req.Pubkey over req.MessageHash under
// req.Domains with the signing id and nonce the backend reports.
func (s *Signer) Sign(ctx context.Context, req Request) (Signature, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.opts.timeout)
	defer cancel()
	start := time.Now()
	sig, err := s.b.Sign(ctx, req)
	s.m.ObserveSign(s.b.Kind(), req.Pubkey.String(), time.Since(start))
	if err == nil {
		root := req.Domains.SigningRoot(req.MessageHash, sig.SigningID, sig.Nonce)
		if verr := protocol.VerifyRoot(root, req.Pubkey, sig.Signature); verr != nil {
			err = fmt.Errorf("%w: key %s, message %s: %w", ErrBadSignature, req.Pubkey, req.MessageHash, verr)
		}
	}
	if err != nil && parent.Err() != nil {
		// The caller gave up (the sidecar is stopping, a slot's deadline
		// passed): that says nothing about the signer, so it is not marked
		// down for readiness.
		return Signature{}, fmt.Errorf("%s: %w (the caller gave up: %w)", s.Name(), err, parent.Err())
	}
	if err != nil && ctx.Err() != nil {
		err = s.late(err)
	}
	s.record(err, reason(err))
	if err != nil {
		return Signature{}, fmt.Errorf("%s: %w", s.Name(), err)
	}
	return sig, nil
}

// Pubkeys lists the backend's keys, within the timeout.
func (s *Signer) Pubkeys(ctx context.Context) ([]protocol.BLSPubkey, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.timeout)
	defer cancel()
	keys, err := s.b.Pubkeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name(), err)
	}
	return keys, nil
}

// Err is nil while the last call to the backend (a signature or a health
// check) succeeded, else why it failed, naming the signer.
func (s *Signer) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastErr == nil {
		return nil
	}
	return fmt.Errorf("BLS signer %s: %w", s.Name(), s.lastErr)
}

// late says that err came from the call's timeout.
func (s *Signer) late(err error) error {
	if errors.Is(err, ErrUnavailable) {
		return fmt.Errorf("no answer within %s: %w", s.opts.timeout, err)
	}
	return fmt.Errorf("%w: no answer within %s: %w", ErrUnavailable, s.opts.timeout, err)
}

func (s *Signer) record(err error, why string) {
	s.mu.Lock()
	was := s.lastErr
	s.lastErr = err
	s.mu.Unlock()
	if err != nil {
		s.m.CountError(s.b.Kind(), why)
		if was == nil {
			s.log.Warn().Err(err).Msg("BLS signer failing")
		}
	} else if was != nil {
		s.log.Info().Msg("BLS signer answers again")
	}
}

// Run checks the backend's health every check interval until ctx ends, so
// readiness follows a signer that went away (or came back) between
// signatures. It returns nil when ctx ends.
func (s *Signer) Run(ctx context.Context) error {
	t := time.NewTicker(s.opts.interval)
	defer t.Stop()
	for {
		s.check(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (s *Signer) check(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, s.opts.timeout)
	defer cancel()
	err := s.b.Check(cctx)
	if ctx.Err() != nil {
		return
	}
	if err != nil && cctx.Err() != nil {
		err = s.late(err)
	}
	if err != nil {
		s.record(err, "health")
		return
	}
	// A healthy endpoint clears only a failure to reach it: a signature that
	// did not verify stays the reason until a signature verifies.
	s.mu.Lock()
	clear := s.lastErr != nil && errors.Is(s.lastErr, ErrUnavailable)
	s.mu.Unlock()
	if clear {
		s.record(nil, "")
	}
}

// reason is the error label of err.
func reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrBadSignature):
		return "bad_signature"
	case errors.Is(err, ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, ErrUnsupported):
		return "unsupported"
	case errors.Is(err, ErrRefused):
		return "refused"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "unavailable"
}

// signingInfoRoot is hash_tree_root(PropCommitSigningInfo{data, module_signing_id,
// nonce, chain_id}): the object root Commit-Boost wraps in SigningData with
// its domain (protocol.Domains.SigningRoot is that wrap).
func signingInfoRoot(messageHash, signingID common.Hash, nonce, chainID uint64) common.Hash {
	var words [4][32]byte
	copy(words[0][:], messageHash[:])
	copy(words[1][:], signingID[:])
	binary.LittleEndian.PutUint64(words[2][:8], nonce)
	binary.LittleEndian.PutUint64(words[3][:8], chainID)
	node := func(a, b [32]byte) [32]byte { return sha256.Sum256(append(a[:], b[:]...)) }
	return node(node(words[0], words[1]), node(words[2], words[3]))
}
