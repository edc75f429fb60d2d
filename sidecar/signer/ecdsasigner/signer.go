package ecdsasigner

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Backend kinds, as metric labels and in errors.
const (
	KindLocal      = "local"
	KindClef       = "clef"
	KindWeb3Signer = "web3signer"
)

// backend is one way of reaching a secp256k1 key.
type backend interface {
	kind() string
	// endpoint says where it is (a URL without credentials; "memory" for local).
	endpoint() string
	// signTx signs tx (its chain id set) as from; the Signer verifies the answer.
	signTx(ctx context.Context, from common.Address, tx *types.Transaction) (*types.Transaction, error)
	// signRoot signs root, whose preimage is given, as it is (no prefix):
	// 65 bytes r ‖ s ‖ v, v ∈ {0, 1, 27, 28}; ErrUnsupported if the API cannot.
	signRoot(ctx context.Context, from common.Address, preimage []byte, root common.Hash) ([]byte, error)
	// holds is nil when the backend has a key for addr (ErrUnknownKey when not).
	holds(ctx context.Context, addr common.Address) error
}

// DefaultTimeout bounds one call to a signer. A promise waits for it, so a
// remote signer is expected on the same host or network.
const DefaultTimeout = 2 * time.Second

type options struct {
	timeout time.Duration
	reg     prometheus.Registerer
	log     zerolog.Logger
}

// Option configures a Signer.
type Option func(*options)

// WithTimeout bounds every call to the backend (default DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithRegisterer registers the signer metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// Signer signs as one address through one backend, with a timeout,
// verification of every answer, metrics and a readiness state. It is safe
// for concurrent use.
type Signer struct {
	b    backend
	addr common.Address
	opts options
	m    *signer.Metrics
	log  zerolog.Logger
	// key is the metric label of the address.
	key string

	mu      sync.Mutex
	lastErr error
}

func newSigner(b backend, addr common.Address, opts []Option) (*Signer, error) {
	if addr == (common.Address{}) {
		return nil, fmt.Errorf("%w: no signer address", ErrConfig)
	}
	o := options{timeout: DefaultTimeout, log: zerolog.Nop()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout <= 0 {
		return nil, fmt.Errorf("%w: timeout must be positive", ErrConfig)
	}
	m, err := signer.NewMetrics(o.reg)
	if err != nil {
		return nil, err
	}
	return &Signer{b: b, addr: addr, opts: o, m: m, key: addr.Hex(),
		log: o.log.With().Str("component", "ecdsa_signer").Str("signer", b.kind()).Str("endpoint", b.endpoint()).Logger()}, nil
}

// Address is the account the signer signs as.
func (s *Signer) Address() common.Address { return s.addr }

// Kind is the backend's kind: KindLocal, KindClef or KindWeb3Signer.
func (s *Signer) Kind() string { return s.b.kind() }

// Name is the backend's kind and endpoint, for readiness and logs.
func (s *Signer) Name() string { return s.b.kind() + " " + s.b.endpoint() }

// CanSignPromises says whether the backend can sign a promise's raw signing
// root (docs/protocol.md §2.1); Clef cannot.
func (s *Signer) CanSignPromises() bool { return CanSignPromises(s.b.kind()) }

// CanSignPromises says whether a signer of this kind can sign a promise's raw
// signing root: every Clef API prefixes what it signs (EIP-191, EIP-712).
func CanSignPromises(kind string) bool { return kind != KindClef }

// Err is the last call's failure, nil after a success: readiness reports it.
func (s *Signer) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// SignTx signs tx for chainID as the signer's address and returns it only
// if the answer is that very transaction (same signing hash: type, chain,
// nonce, fees, gas, recipient, value, data, access list) signed by the
// address.
func (s *Signer) SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	if chainID == nil || chainID.Sign() <= 0 {
		return nil, fmt.Errorf("%s: %w: no chain id", s.Name(), ErrConfig)
	}
	if tx.Type() != types.DynamicFeeTxType {
		// The ledgers and the posts send EIP-1559 transactions; the remote
		// APIs take no other shape in Pledge's use.
		return nil, fmt.Errorf("%s: %w: transaction type %d (only type 2 is signed)", s.Name(), ErrUnsupported, tx.Type())
	}
	if tx.ChainId().Cmp(chainID) != 0 {
		return nil, fmt.Errorf("%s: %w: transaction for chain %s, asked to sign for %s", s.Name(), ErrConfig, tx.ChainId(), chainID)
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.opts.timeout)
	defer cancel()
	start := time.Now()
	signed, err := s.b.signTx(ctx, s.addr, tx)
	s.m.ObserveSign(s.b.kind(), s.key, time.Since(start))
	if err == nil {
		err = checkTx(tx, signed, chainID, s.addr)
	}
	err = s.settle(parent, ctx, err)
	if err != nil {
		return nil, fmt.Errorf("%s: sign transaction (nonce %d) as %s: %w", s.Name(), tx.Nonce(), s.addr, err)
	}
	return signed, nil
}

// SignPromise signs the promise's signing root as it is (docs/protocol.md
// §2.1) and returns it only if it recovers to the signer's address: 65
// bytes r ‖ s ‖ v, v ∈ {27, 28}, low s (a high s is flipped to its low twin,
// which the same key signs as well).
func (s *Signer) SignPromise(ctx context.Context, p *protocol.Promise, d protocol.Domain) ([]byte, error) {
	c, err := p.Commitment(d)
	if err != nil {
		return nil, fmt.Errorf("refuse to sign: %w", err)
	}
	root := c.SigningRoot()
	var preimage []byte
	if s.b.kind() != KindLocal { // only a remote API needs the bytes behind the root
		preimage = c.Preimage()
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.opts.timeout)
	defer cancel()
	start := time.Now()
	sig, err := s.b.signRoot(ctx, s.addr, preimage, root)
	s.m.ObserveSign(s.b.kind(), s.key, time.Since(start))
	if err == nil && s.b.kind() != KindLocal {
		sig, err = checkRootSig(root, sig, s.addr)
	}
	err = s.settle(parent, ctx, err)
	if err != nil {
		return nil, fmt.Errorf("%s: sign promise %s as %s: %w", s.Name(), root, s.addr, err)
	}
	return sig, nil
}

// Check is nil when the backend answers and holds the signer's key; the
// sidecar calls it at start-up to fail fast on a wrong address or endpoint.
func (s *Signer) Check(ctx context.Context) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.opts.timeout)
	defer cancel()
	err := s.settle(parent, ctx, s.b.holds(ctx, s.addr))
	if err != nil {
		return fmt.Errorf("%s: key %s: %w", s.Name(), s.addr, err)
	}
	return nil
}

// settle classifies a call's outcome and records it for readiness. A call
// whose caller gave up (parent ended: a client hung up, the sidecar is
// stopping) says nothing about the signer and is not recorded; one that hit
// the signer's own deadline is a timeout.
func (s *Signer) settle(parent, ctx context.Context, err error) error {
	if err != nil && parent.Err() != nil {
		return fmt.Errorf("%w (the caller gave up: %w)", err, parent.Err())
	}
	if err != nil && ctx.Err() != nil {
		err = s.late(err)
	}
	s.record(err)
	return err
}

// late marks an error that came with the deadline.
func (s *Signer) late(err error) error {
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w after %s: %w", ErrUnavailable, errTimeout, s.opts.timeout, err)
	}
	return err
}

func (s *Signer) record(err error) {
	s.mu.Lock()
	prev := s.lastErr
	s.lastErr = err
	s.mu.Unlock()
	if err == nil {
		if prev != nil {
			s.log.Info().Str("key", s.key).Msg("signer answers again")
		}
		return
	}
	s.m.CountError(s.b.kind(), reason(err))
	if prev == nil || prev.Error() != err.Error() {
		s.log.Warn().Err(err).Str("key", s.key).Msg("signer failed")
	}
}

// checkTx is nil when got is want signed by from for chainID.
func checkTx(want, got *types.Transaction, chainID *big.Int, from common.Address) error {
	if got == nil {
		return fmt.Errorf("%w: no transaction", ErrMalformed)
	}
	txSigner := types.LatestSignerForChainID(chainID)
	if got.Type() != want.Type() || got.ChainId().Cmp(chainID) != 0 {
		return fmt.Errorf("%w: answered a type %d transaction for chain %s, asked type %d for chain %s",
			ErrBadSignature, got.Type(), got.ChainId(), want.Type(), chainID)
	}
	if txSigner.Hash(got) != txSigner.Hash(want) {
		return fmt.Errorf("%w: answered another transaction than asked (nonce %d, gas %d, to %v)", ErrBadSignature, got.Nonce(), got.Gas(), got.To())
	}
	sender, err := types.Sender(txSigner, got)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if sender != from {
		return fmt.Errorf("%w: signed by %s, not %s", ErrBadSignature, sender, from)
	}
	return nil
}

// secp256k1N and halfN are the curve order and its half (EIP-2).
var (
	secp256k1N = crypto.S256().Params().N
	halfN      = new(big.Int).Rsh(secp256k1N, 1)
)

// checkRootSig brings a 65-byte signature of root to §2.1's form (v 27/28,
// low s) and checks it recovers to from.
func checkRootSig(root common.Hash, sig []byte, from common.Address) ([]byte, error) {
	if len(sig) != crypto.SignatureLength {
		return nil, fmt.Errorf("%w: signature of %d bytes, want %d", ErrMalformed, len(sig), crypto.SignatureLength)
	}
	out := make([]byte, crypto.SignatureLength)
	copy(out, sig)
	switch out[64] {
	case 0, 1:
		out[64] += 27
	case 27, 28:
	default:
		return nil, fmt.Errorf("%w: v = %d", ErrMalformed, out[64])
	}
	if s := new(big.Int).SetBytes(out[32:64]); s.Cmp(halfN) > 0 {
		new(big.Int).Sub(secp256k1N, s).FillBytes(out[32:64])
		out[64] = 27 + 28 - out[64] // 27 ↔ 28
	}
	got, err := protocol.RecoverDigestSigner(root, out)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if got != from {
		return nil, fmt.Errorf("%w: recovers to %s, not %s", ErrBadSignature, got, from)
	}
	return out, nil
}
