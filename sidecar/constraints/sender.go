package constraints

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

// DefaultDeadlineFraction is d of docs/protocol.md §7: the commitment
// deadline of slot S is d·T into slot S−1.
const DefaultDeadlineFraction = 2.0 / 3.0

// Duties is the duty lookup the sender needs; duties.Tracker fits.
type Duties interface {
	// Duty is our duty at slot, if one of our validators proposes it.
	Duty(slot uint64) (duties.Duty, bool)
	// Clock maps time to slots; its zero value means not known yet.
	Clock() duties.Clock
	// GenesisForkVersion fixes the signing domain.
	GenesisForkVersion() [4]byte
}

// Config is what the sender needs besides its dependencies.
type Config struct {
	// Relays are the relays' base URLs (mev-boost's http://pubkey@host form is accepted).
	Relays []string
	// DeadlineFraction is d, in (0, 1]; zero means DefaultDeadlineFraction.
	DeadlineFraction float64
	// Committer is the committer address bound in the delegations the sender signs.
	Committer common.Address
	// ChainID is the execution chain id in the signing roots; zero means the
	// chain of a known genesis fork version (protocol.KnownChainID).
	ChainID uint64
	// SigningID is the Commit-Boost module signing id the sender signs with;
	// zero means protocol.DefaultSigningID. An operator registered in the URC
	// uses the id its registration names.
	SigningID common.Hash
}

type options struct {
	log            zerolog.Logger
	reg            prometheus.Registerer
	requestTimeout time.Duration
	backoffFirst   time.Duration
	backoffMax     time.Duration
	probeInterval  time.Duration
	transport      http.RoundTripper
	receivers      []protocol.BLSPubkey
	delegations    []*protocol.SignedDelegation
	revocations    []*protocol.SignedRevocation
}

// Option configures a Sender.
type Option func(*options)

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// WithRegisterer registers the sender's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithRequestTimeout bounds one request to a relay (default 2 s).
func WithRequestTimeout(d time.Duration) Option { return func(o *options) { o.requestTimeout = d } }

// WithBackoff sets the first and the longest wait between attempts
// (default 100 ms doubling to 2 s).
func WithBackoff(first, longest time.Duration) Option {
	return func(o *options) { o.backoffFirst, o.backoffMax = first, longest }
}

// WithProbeInterval sets how often each relay's status is asked, to notice
// a relay that went away or came back (default 1 s).
func WithProbeInterval(d time.Duration) Option { return func(o *options) { o.probeInterval = d } }

// WithTransport sets the HTTP transport shared by the relays' clients.
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.transport = rt } }

// WithReceivers restricts who may read the constraints (the receivers list).
func WithReceivers(keys ...protocol.BLSPubkey) Option {
	return func(o *options) { o.receivers = append(o.receivers, keys...) }
}

// WithDelegations are signed delegations sent to every relay when Run starts
// (and again when a relay comes back, while their slot is ahead).
func WithDelegations(ds ...*protocol.SignedDelegation) Option {
	return func(o *options) { o.delegations = append(o.delegations, ds...) }
}

// WithRevocations are signed revocations sent like WithDelegations, after them.
func WithRevocations(rs ...*protocol.SignedRevocation) Option {
	return func(o *options) { o.revocations = append(o.revocations, rs...) }
}

// slotMessages is everything signed for one slot.
type slotMessages struct {
	slot        uint64
	txs         [][]byte
	delegation  *protocol.SignedDelegation
	constraints []*protocol.SignedConstraints
}

// Sender signs each of our slots' constraints at the commitment deadline
// and delivers them to every relay.
type Sender struct {
	duties    Duties
	templates Templates
	keys      KeySource
	cfg       Config
	opts      options
	relays    []*relayClient
	log       zerolog.Logger
	m         *metrics

	mu   sync.Mutex
	sent map[uint64]*slotMessages

	wg sync.WaitGroup
}

// New checks its inputs and builds a sender; it does no network I/O.
func New(d Duties, t Templates, k KeySource, cfg Config, opts ...Option) (*Sender, error) {
	switch {
	case d == nil:
		return nil, errors.New("constraints: no duty tracker specified")
	case t == nil:
		return nil, errors.New("constraints: no template provider specified")
	case k == nil:
		return nil, errors.New("constraints: no key source specified")
	case len(cfg.Relays) == 0:
		return nil, fmt.Errorf("constraints: %w", ErrNoRelays)
	}
	if cfg.DeadlineFraction == 0 {
		cfg.DeadlineFraction = DefaultDeadlineFraction
	}
	if cfg.DeadlineFraction <= 0 || cfg.DeadlineFraction > 1 || math.IsNaN(cfg.DeadlineFraction) {
		return nil, fmt.Errorf("constraints: deadline fraction %v: want (0, 1]", cfg.DeadlineFraction)
	}
	o := options{
		log:            zerolog.Nop(),
		requestTimeout: 2 * time.Second,
		backoffFirst:   100 * time.Millisecond,
		backoffMax:     2 * time.Second,
		probeInterval:  time.Second,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.requestTimeout <= 0 || o.probeInterval <= 0 || o.backoffFirst <= 0 || o.backoffMax < o.backoffFirst {
		return nil, errors.New("constraints: timeouts and backoff must be positive, longest backoff >= first")
	}
	m, err := newMetrics(o.reg)
	if err != nil {
		return nil, err
	}
	s := &Sender{
		duties: d, templates: t, keys: k, cfg: cfg, opts: o, m: m,
		log:  o.log.With().Str("component", "constraints").Logger(),
		sent: make(map[uint64]*slotMessages),
	}
	for _, raw := range cfg.Relays {
		r, err := newRelayClient(raw, o.requestTimeout, o.transport)
		if err != nil {
			return nil, fmt.Errorf("constraints: %w", err)
		}
		s.relays = append(s.relays, r)
	}
	return s, nil
}

// Deadline is the commitment deadline of slot: d·T into the slot before.
func (s *Sender) Deadline(c duties.Clock, slot uint64) time.Time {
	return c.SlotStart(slot).Add(-c.SlotDuration + time.Duration(s.cfg.DeadlineFraction*float64(c.SlotDuration)))
}

// Run sends the configured delegations and revocations, then each of our
// slots' constraints at its deadline, until ctx ends. It returns once every
// delivery it started has stopped.
func (s *Sender) Run(ctx context.Context) error {
	defer s.wg.Wait()
	for _, r := range s.relays {
		s.spawn(func() { s.probe(ctx, r) })
	}
	var next uint64
	started := false
	for {
		clock := s.duties.Clock()
		if clock.SlotDuration <= 0 {
			// The tracker has not fetched genesis yet.
			if !sleepCtx(ctx, 100*time.Millisecond) {
				return nil
			}
			continue
		}
		if !started {
			// Start-up messages retry until their slot starts: that needs the clock.
			started = true
			// Only what is still ahead: a long delegation file's past slots
			// would keep every relay busy for nothing.
			from := clock.CurrentSlot()
			for _, r := range s.relays {
				s.spawn(func() { s.deliverStartup(ctx, r, from, false) })
			}
		}
		if cur := clock.SlotAt(time.Now()); next <= cur {
			next = cur + 1
		}
		if !sleepCtx(ctx, time.Until(s.Deadline(clock, next))) {
			return nil
		}
		s.dispatch(ctx, clock, next)
		next++
	}
}

func (s *Sender) spawn(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// dispatch signs slot's constraints if the slot is ours and has promises,
// and starts one delivery per relay.
func (s *Sender) dispatch(ctx context.Context, clock duties.Clock, slot uint64) {
	duty, ok := s.duties.Duty(slot)
	if !ok {
		return // not ours: nothing may leave for it
	}
	txs := s.templates.TopOfBlock(slot)
	if len(txs) == 0 {
		s.m.slots.WithLabelValues("empty").Inc()
		s.log.Debug().Uint64("slot", slot).Msg("no promises for our slot")
		return
	}
	msgs, err := s.sign(ctx, duty.Pubkey, slot, txs)
	if err != nil {
		outcome := "error"
		if errors.Is(err, ErrNoKey) {
			outcome = "no_key"
		}
		s.m.slots.WithLabelValues(outcome).Inc()
		s.log.Error().Err(err).Uint64("slot", slot).Str("pubkey", duty.Pubkey.String()).Msg("constraints not signed")
		return
	}
	s.m.slots.WithLabelValues("sent").Inc()
	s.m.perSlotN.Observe(float64(len(txs)))
	s.remember(clock, msgs)
	until := clock.SlotStart(slot)
	for _, r := range s.relays {
		s.spawn(func() { s.deliver(ctx, r, msgs, until, false) })
	}
}

// keyChecker is a KeySource that checks the delegation it returns on the
// network (DelegatedKeys).
type keyChecker interface {
	KeyFor(proposer protocol.BLSPubkey, slot uint64, d protocol.Domains) (Key, error)
}

// sign builds and signs the slot's messages: the delegation when a delegate
// signs, then the constraints, split in messages of at most
// MaxConstraintsPerSlot (the relay concatenates them in arrival order).
// Every signature is verified before it may leave: a signer answering a
// wrong signature, or none, leaves the slot without constraints; no other
// key is tried.
func (s *Sender) sign(ctx context.Context, proposer protocol.BLSPubkey, slot uint64, txs [][]byte) (*slotMessages, error) {
	domains := s.domains()
	var key Key
	if kc, ok := s.keys.(keyChecker); ok {
		var err error
		if key, err = kc.KeyFor(proposer, slot, domains); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoKey, err)
		}
	} else {
		var ok bool
		if key, ok = s.keys.Key(proposer, slot); !ok {
			return nil, fmt.Errorf("%w: %s", ErrNoKey, proposer)
		}
		if key.Delegation != nil && key.Proposer == nil {
			if err := key.Delegation.Verify(domains); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrDelegation, err)
			}
		}
	}
	if key.Signer == nil || key.Delegate == (protocol.BLSPubkey{}) {
		return nil, fmt.Errorf("%w: %s", ErrNoKey, proposer)
	}
	signer := key.Delegate
	out := &slotMessages{slot: slot, txs: txs}
	if signer != proposer {
		switch {
		case key.Proposer != nil:
			m := &protocol.Delegation{Proposer: proposer, Delegate: signer, Committer: s.cfg.Committer, Slot: slot}
			sig, err := signMessage(ctx, key.Proposer, proposer, m, domains)
			if err != nil {
				return nil, fmt.Errorf("sign delegation for slot %d: %w", slot, err)
			}
			d := &protocol.SignedDelegation{Message: *m, Nonce: sig.Nonce, SigningID: sig.SigningID, Signature: sig.Signature}
			if err := d.Verify(domains); err != nil {
				return nil, fmt.Errorf("sign delegation for slot %d: %w", slot, err)
			}
			out.delegation = d
		case key.Delegation != nil && key.Delegation.Message.Proposer == proposer &&
			key.Delegation.Message.Delegate == signer && key.Delegation.Message.Slot == slot:
			out.delegation = key.Delegation
		default:
			return nil, fmt.Errorf("%w: delegate %s, proposer %s, slot %d", ErrDelegation, signer, proposer, slot)
		}
	}
	for lo := 0; lo < len(txs); lo += protocol.MaxConstraintsPerSlot {
		hi := min(lo+protocol.MaxConstraintsPerSlot, len(txs))
		m := &protocol.ConstraintsMessage{Proposer: proposer, Delegate: signer, Slot: slot, Receivers: s.opts.receivers}
		for _, tx := range txs[lo:hi] {
			m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: tx})
		}
		if err := m.Validate(); err != nil {
			return nil, err
		}
		sig, err := signMessage(ctx, key.Signer, signer, m, domains)
		if err != nil {
			return nil, fmt.Errorf("sign constraints for slot %d: %w", slot, err)
		}
		sc := &protocol.SignedConstraints{Message: *m, Nonce: sig.Nonce, SigningID: sig.SigningID, Signature: sig.Signature}
		if err := sc.Verify(domains); err != nil {
			return nil, fmt.Errorf("sign constraints for slot %d: %w", slot, err)
		}
		out.constraints = append(out.constraints, sc)
	}
	return out, nil
}

// signMessage asks signer for by's signature of m.
func signMessage(ctx context.Context, signer Signer, by protocol.BLSPubkey, m interface{ MessageHash() (common.Hash, error) }, d protocol.Domains) (blssigner.Signature, error) {
	h, err := m.MessageHash()
	if err != nil {
		return blssigner.Signature{}, err
	}
	return signer.Sign(ctx, blssigner.Request{Pubkey: by, MessageHash: h, Domains: d})
}

// domains are the signing domains of the network the duties come from.
func (s *Sender) domains() protocol.Domains {
	fork := s.duties.GenesisForkVersion()
	chainID := s.cfg.ChainID
	if chainID == 0 {
		chainID, _ = protocol.KnownChainID(fork)
	}
	d := protocol.NewDomains(fork, chainID)
	if s.cfg.SigningID != (common.Hash{}) {
		d.SigningID = s.cfg.SigningID
	}
	return d
}

// remember keeps the slot's messages for resends and forgets old slots.
func (s *Sender) remember(clock duties.Clock, msgs *slotMessages) {
	cur := clock.CurrentSlot()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[msgs.slot] = msgs
	for slot := range s.sent {
		if slot+2 < cur {
			delete(s.sent, slot)
		}
	}
}

// Sent returns the constraints signed for slot, nil if none were.
func (s *Sender) Sent(slot uint64) []*protocol.SignedConstraints {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.sent[slot]; m != nil {
		return slices.Clone(m.constraints)
	}
	return nil
}

// TopOfBlock is the transactions the block of slot must open with: those
// of the constraints signed for it, or, before the deadline, the template's.
// The builder proxy checks relay bids against it.
func (s *Sender) TopOfBlock(slot uint64) [][]byte {
	s.mu.Lock()
	m := s.sent[slot]
	s.mu.Unlock()
	if m != nil {
		return m.txs
	}
	return s.templates.TopOfBlock(slot)
}

// noSlot stands for "no slot" where a slot number is expected.
const noSlot = math.MaxUint64

// deliver sends the slot's delegation (if any) then its constraints to one
// relay, retrying until the slot starts. A resend's failures do not mark the
// relay down: otherwise a relay that answers its status but fails posts
// would be resent to at every probe.
func (s *Sender) deliver(ctx context.Context, r *relayClient, msgs *slotMessages, until time.Time, resend bool) {
	log := s.log.With().Uint64("slot", msgs.slot).Str("relay", r.name).Logger()
	if msgs.delegation != nil {
		if err := s.retry(ctx, r, msgs.slot, "delegation", until, resend, func(ctx context.Context) error {
			return r.post(ctx, pathDelegate, msgs.delegation)
		}); err != nil {
			log.Error().Err(err).Msg("delegation not delivered")
			return
		}
	}
	if err := s.retry(ctx, r, msgs.slot, "constraints", until, resend, func(ctx context.Context) error {
		return r.post(ctx, pathConstraints, msgs.constraints)
	}); err != nil {
		log.Error().Err(err).Msg("constraints not delivered")
		return
	}
	log.Info().Int("constraints", len(msgs.txs)).Msg("constraints delivered")
}

// deliverStartup sends the configured delegations, then revocations, whose
// slot is at or after from.
func (s *Sender) deliverStartup(ctx context.Context, r *relayClient, from uint64, resend bool) {
	clock := s.duties.Clock()
	for _, d := range s.opts.delegations {
		if d.Message.Slot < from {
			continue
		}
		if err := s.retry(ctx, r, noSlot, "delegation", clock.SlotStart(d.Message.Slot), resend, func(ctx context.Context) error {
			return r.post(ctx, pathDelegate, d)
		}); err != nil {
			s.log.Error().Err(err).Uint64("slot", d.Message.Slot).Str("relay", r.name).Msg("delegation not delivered")
		}
	}
	for _, rv := range s.opts.revocations {
		if rv.Message.Slot < from {
			continue
		}
		if err := s.retry(ctx, r, noSlot, "revocation", clock.SlotStart(rv.Message.Slot), resend, func(ctx context.Context) error {
			return r.post(ctx, pathRevoke, rv)
		}); err != nil {
			s.log.Error().Err(err).Uint64("slot", rv.Message.Slot).Str("relay", r.name).Msg("revocation not delivered")
		}
	}
}

// retry runs op until it succeeds, the relay refuses, or the next attempt
// would start after until. The first attempt always runs.
func (s *Sender) retry(ctx context.Context, r *relayClient, slot uint64, kind string, until time.Time, resend bool, op func(context.Context) error) error {
	backoff := s.opts.backoffFirst
	for {
		start := time.Now()
		err := op(ctx)
		s.m.seconds.WithLabelValues(r.name).Observe(time.Since(start).Seconds())
		switch {
		case err == nil:
			s.m.sends.WithLabelValues(r.name, kind, "ok").Inc()
			s.up(ctx, r, slot)
			return nil
		case errors.Is(err, ErrRefused):
			// The relay answered: it is up, and asking again would not help.
			s.m.sends.WithLabelValues(r.name, kind, "refused").Inc()
			s.up(ctx, r, slot)
			return err
		}
		if !resend {
			r.markDown()
			s.m.relayUp.WithLabelValues(r.name).Set(0)
		}
		if ctx.Err() != nil || !time.Now().Add(backoff).Before(until) {
			s.m.sends.WithLabelValues(r.name, kind, "gave_up").Inc()
			return err
		}
		s.m.sends.WithLabelValues(r.name, kind, "retry").Inc()
		s.log.Warn().Err(err).Str("relay", r.name).Str("kind", kind).Dur("backoff", backoff).Msg("relay request failed; retrying")
		if !sleepCtx(ctx, backoff) {
			return ctx.Err()
		}
		backoff = min(2*backoff, s.opts.backoffMax)
	}
}

// up records that r answered; if it had been failing, the messages of the
// current and later slots (but except, just delivered) are sent to it again:
// a relay that restarted lost them.
func (s *Sender) up(ctx context.Context, r *relayClient, except uint64) {
	s.m.relayUp.WithLabelValues(r.name).Set(1)
	if !r.markUp() {
		return
	}
	s.log.Info().Str("relay", r.name).Msg("relay is back; sending current constraints again")
	s.spawn(func() {
		defer r.resendDone()
		clock := s.duties.Clock()
		cur := clock.CurrentSlot()
		s.deliverStartup(ctx, r, cur, true)
		for _, msgs := range s.pending(cur) {
			if msgs.slot == except {
				continue
			}
			s.m.resends.WithLabelValues(r.name).Inc()
			s.deliver(ctx, r, msgs, clock.SlotStart(msgs.slot), true)
		}
	})
}

// pending returns the remembered messages of slots at or after from, by slot.
func (s *Sender) pending(from uint64) []*slotMessages {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*slotMessages
	for slot, m := range s.sent {
		if slot >= from {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *slotMessages) int { return cmp.Compare(a.slot, b.slot) })
	return out
}

// probe asks r's status every probe interval, so a relay that went away (a
// restart loses its state) is noticed, and its return triggers a resend.
func (s *Sender) probe(ctx context.Context, r *relayClient) {
	t := time.NewTicker(s.opts.probeInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, s.opts.probeInterval)
		err := r.status(pctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !r.isDown() {
				s.log.Warn().Err(err).Str("relay", r.name).Msg("relay status failed")
			}
			r.markDown()
			s.m.relayUp.WithLabelValues(r.name).Set(0)
			continue
		}
		s.up(ctx, r, noSlot)
	}
}

// sleepCtx waits d or until ctx ends; false when ctx ended.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
