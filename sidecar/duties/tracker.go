// Package duties knows when our validators propose. The Tracker follows a beacon
// node: genesis and spec give the slot clock; proposer duties for the current and
// next epoch, filtered to our keys, say which upcoming slots are ours. Duties are
// refreshed on every head event (SSE), whenever their dependent root changes (a
// reorg that changes the proposers), and at each epoch boundary by the wall clock,
// since a missed slot brings no head event. A beacon node outage degrades Ready
// but never stops the tracker; duties already known stay usable until their slot
// passes.
package duties

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	eth2client "github.com/attestantio/go-eth2-client"
	"github.com/attestantio/go-eth2-client/api"
	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Beacon is what the tracker needs from a beacon node. *Client satisfies it.
type Beacon interface {
	eth2client.GenesisProvider
	eth2client.SpecProvider
	eth2client.ProposerDutiesProvider
	eth2client.ValidatorsProvider
	HeadStreamer
}

// HeadStreamer streams head events until the stream ends or ctx is done.
type HeadStreamer interface {
	StreamHeads(ctx context.Context, onHead func(*apiv1.HeadEvent)) error
}

// Duty is one of our validators proposing at Slot.
type Duty struct {
	Slot           uint64
	ValidatorIndex uint64
	Pubkey         protocol.BLSPubkey
}

// Head is a beacon head event: the new head block's slot and root.
type Head struct {
	Slot uint64
	Root [32]byte
}

// subscriberBuffer is how many heads a slow subscriber may lag before heads are
// dropped for it; the tracker never waits for a consumer.
const subscriberBuffer = 16

type options struct {
	reg            prometheus.Registerer
	backoffMin     time.Duration
	backoffMax     time.Duration
	requestTimeout time.Duration
	idleTimeout    time.Duration
}

// Option configures a Tracker.
type Option func(*options)

// WithRegisterer registers the tracker's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithBackoff sets the first and the longest wait between retries of a failed
// beacon node call or a dropped event stream (defaults 250 ms and 8 s).
func WithBackoff(first, longest time.Duration) Option {
	return func(o *options) { o.backoffMin, o.backoffMax = first, longest }
}

// WithRequestTimeout bounds each beacon node request (default 5 s).
func WithRequestTimeout(d time.Duration) Option { return func(o *options) { o.requestTimeout = d } }

// WithStreamIdleTimeout reconnects the head stream when no event came for d
// (default: three slots), since a silently dead connection never errors.
func WithStreamIdleTimeout(d time.Duration) Option { return func(o *options) { o.idleTimeout = d } }

// epochDuties are our duties in one epoch, as of one dependent root.
type epochDuties struct {
	dependentRoot [32]byte
	duties        []Duty // ours, sorted by slot
}

// Tracker follows the beacon node's proposer duties for our validator keys.
type Tracker struct {
	beacon Beacon
	ours   map[protocol.BLSPubkey]struct{}
	keys   []protocol.BLSPubkey
	log    zerolog.Logger
	opts   options
	m      *metrics

	refreshCh chan struct{} // head events ask the run loop for a refresh

	mu           sync.RWMutex
	clock        Clock
	forkVersion  [4]byte
	epochs       map[uint64]epochDuties
	lastErr      error // last beacon call's failure; nil after a success
	failingSince time.Time
	lastOK       time.Time
	head         Head
	haveHead     bool
	keysChecked  uint64 // epoch+1 of the last successful key check; 0 = never
	known        map[protocol.BLSPubkey]uint64
	warned       map[protocol.BLSPubkey]bool

	subMu  sync.Mutex
	subs   map[<-chan Head]chan Head
	closed bool
}

// New builds a tracker for our validator keys. It does no network I/O; Run does.
func New(beacon Beacon, ours []protocol.BLSPubkey, log zerolog.Logger, opts ...Option) (*Tracker, error) {
	if beacon == nil {
		return nil, ErrNoBeacon
	}
	o := options{
		backoffMin:     250 * time.Millisecond,
		backoffMax:     8 * time.Second,
		requestTimeout: 5 * time.Second,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.backoffMin <= 0 || o.backoffMax < o.backoffMin {
		return nil, fmt.Errorf("backoff %s..%s: want 0 < first <= longest", o.backoffMin, o.backoffMax)
	}
	if o.requestTimeout <= 0 {
		return nil, fmt.Errorf("request timeout %s: want > 0", o.requestTimeout)
	}
	m, err := newMetrics(o.reg)
	if err != nil {
		return nil, err
	}
	t := &Tracker{
		beacon:    beacon,
		ours:      make(map[protocol.BLSPubkey]struct{}, len(ours)),
		log:       log.With().Str("component", "duties").Logger(),
		opts:      o,
		m:         m,
		refreshCh: make(chan struct{}, 1),
		epochs:    make(map[uint64]epochDuties),
		known:     make(map[protocol.BLSPubkey]uint64),
		warned:    make(map[protocol.BLSPubkey]bool),
		subs:      make(map[<-chan Head]chan Head),
	}
	for _, k := range ours {
		if _, dup := t.ours[k]; !dup {
			t.ours[k] = struct{}{}
			t.keys = append(t.keys, k)
		}
	}
	return t, nil
}

// Clock is the slot clock; zero until Run has fetched genesis and spec.
func (t *Tracker) Clock() Clock {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.clock
}

// GenesisForkVersion is the chain's genesis fork version (the builder and
// constraints signing domains use it); zero until genesis is fetched.
func (t *Tracker) GenesisForkVersion() [4]byte {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.forkVersion
}

// Duty is our duty at slot, if one of our validators proposes it. A slot that
// has passed has no duty any more.
func (t *Tracker) Duty(slot uint64) (Duty, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if !t.clock.known() || slot < t.clock.CurrentSlot() {
		return Duty{}, false
	}
	for _, d := range t.epochs[t.clock.Epoch(slot)].duties {
		if d.Slot == slot {
			return d, true
		}
	}
	return Duty{}, false
}

// Upcoming is our duties from the current slot on, sorted by slot.
func (t *Tracker) Upcoming() []Duty {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if !t.clock.known() {
		return nil
	}
	now := t.clock.CurrentSlot()
	var out []Duty
	for _, ed := range t.epochs {
		for _, d := range ed.duties {
			if d.Slot >= now {
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, bySlot)
	return out
}

// LastHead is the latest head event seen, if any.
func (t *Tracker) LastHead() (Head, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.head, t.haveHead
}

// Ready is nil while genesis, spec and the current epoch's duties are known and
// the beacon node answered the last call; otherwise it says why not.
func (t *Tracker) Ready() error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.lastErr != nil {
		return fmt.Errorf("%w since %s: %w", ErrBeaconUnavailable,
			t.failingSince.UTC().Format(time.RFC3339), t.lastErr)
	}
	if !t.clock.known() {
		return fmt.Errorf("%w: genesis and spec not fetched yet", ErrNotReady)
	}
	epoch := t.clock.Epoch(t.clock.CurrentSlot())
	if _, ok := t.epochs[epoch]; !ok {
		return fmt.Errorf("%w: proposer duties for epoch %d not fetched yet", ErrNotReady, epoch)
	}
	return nil
}

// Subscribe returns a channel of head events. A subscriber that falls more
// than a few heads behind loses heads (counted) rather than stalling the
// tracker. The channel is closed when Run returns.
func (t *Tracker) Subscribe() <-chan Head {
	ch := make(chan Head, subscriberBuffer)
	t.subMu.Lock()
	defer t.subMu.Unlock()
	if t.closed {
		close(ch)
		return ch
	}
	t.subs[ch] = ch
	return ch
}

// Unsubscribe stops and closes a channel from Subscribe.
func (t *Tracker) Unsubscribe(sub <-chan Head) {
	t.subMu.Lock()
	defer t.subMu.Unlock()
	if ch, ok := t.subs[sub]; ok {
		delete(t.subs, sub)
		close(ch)
	}
}

func (t *Tracker) closeSubscribers() {
	t.subMu.Lock()
	defer t.subMu.Unlock()
	t.closed = true
	for k, ch := range t.subs {
		delete(t.subs, k)
		close(ch)
	}
}

// Run follows the beacon node until ctx ends, then returns nil. Beacon node
// failures are retried with backoff and reported through Ready, never returned.
func (t *Tracker) Run(ctx context.Context) error {
	defer t.closeSubscribers()
	if len(t.keys) == 0 {
		t.log.Warn().Msg("no validator keys: no slot will ever be ours")
	}
	if !t.bootstrap(ctx) {
		return nil
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.streamHeads(ctx)
	}()
	defer wg.Wait()

	backoff := t.opts.backoffMin
	for {
		failing := t.refresh(ctx) != nil
		if ctx.Err() != nil {
			return nil
		}
		var wait time.Duration
		if failing {
			wait = jitter(backoff)
			backoff = min(2*backoff, t.opts.backoffMax)
		} else {
			backoff = t.opts.backoffMin
			wait = t.untilNextTick()
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-t.refreshCh:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// untilNextTick is the wait until shortly after the next slot starts. Every
// slot tick refreshes (cheap: two requests), so an epoch boundary is noticed
// without a head event and an outage shows in Ready within a slot. The offset
// leaves the beacon node a moment to enter the new slot or epoch.
func (t *Tracker) untilNextTick() time.Duration {
	c := t.Clock()
	next := c.SlotStart(c.CurrentSlot() + 1).Add(c.SlotDuration / 12)
	return max(time.Until(next), time.Millisecond)
}

// bootstrap fetches genesis and spec, retrying until they come or ctx ends.
func (t *Tracker) bootstrap(ctx context.Context) bool {
	backoff := t.opts.backoffMin
	for {
		err := t.fetchClock(ctx)
		if err == nil {
			t.succeeded()
			c := t.Clock()
			t.log.Info().Time("genesis", c.Genesis).Dur("slot_duration", c.SlotDuration).
				Uint64("slots_per_epoch", c.SlotsPerEpoch).Uint64("slot", c.CurrentSlot()).Msg("beacon chain clock set")
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		t.failed(err)
		if !sleep(ctx, jitter(backoff)) {
			return false
		}
		backoff = min(2*backoff, t.opts.backoffMax)
	}
}

func (t *Tracker) fetchClock(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, t.opts.requestTimeout)
	defer cancel()
	g, err := t.beacon.Genesis(cctx, &api.GenesisOpts{})
	if err != nil {
		return fmt.Errorf("fetch genesis: %w", err)
	}
	if g == nil || g.Data == nil {
		return errors.New("fetch genesis: empty response")
	}
	s, err := t.beacon.Spec(cctx, &api.SpecOpts{})
	if err != nil {
		return fmt.Errorf("fetch spec: %w", err)
	}
	if s == nil || s.Data == nil {
		return errors.New("fetch spec: empty response")
	}
	slotDur, perEpoch, err := parseSpec(s.Data)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.clock = Clock{Genesis: g.Data.GenesisTime, SlotDuration: slotDur, SlotsPerEpoch: perEpoch}
	t.forkVersion = g.Data.GenesisForkVersion
	t.mu.Unlock()
	if t.opts.idleTimeout == 0 {
		t.opts.idleTimeout = 3 * slotDur
	}
	return nil
}

// parseSpec reads the slot duration (SLOT_DURATION_MS where the node serves it,
// else SECONDS_PER_SLOT) and SLOTS_PER_EPOCH from go-eth2-client's parsed spec.
func parseSpec(spec map[string]any) (time.Duration, uint64, error) {
	var slotDur time.Duration
	if ms, ok := spec["SLOT_DURATION_MS"].(uint64); ok && ms > 0 {
		slotDur = time.Duration(ms) * time.Millisecond
	} else if d, ok := spec["SECONDS_PER_SLOT"].(time.Duration); ok {
		slotDur = d
	}
	if slotDur <= 0 {
		return 0, 0, fmt.Errorf("%w: no positive SLOT_DURATION_MS or SECONDS_PER_SLOT", ErrBadSpec)
	}
	perEpoch, ok := spec["SLOTS_PER_EPOCH"].(uint64)
	if !ok || perEpoch == 0 {
		return 0, 0, fmt.Errorf("%w: no positive SLOTS_PER_EPOCH", ErrBadSpec)
	}
	return slotDur, perEpoch, nil
}

// refresh fetches our duties for the current and next epoch, drops passed
// epochs and, once per epoch, checks which of our keys the node knows.
func (t *Tracker) refresh(ctx context.Context) error {
	start := time.Now()
	c := t.Clock()
	epoch := c.Epoch(c.CurrentSlot())
	// Both epochs are fetched before either is stored, so Ready never sees the
	// current epoch without the next.
	var fetched [2]epochDuties
	for i := range fetched {
		ed, err := t.fetchDuties(ctx, epoch+uint64(i))
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			t.m.refreshes.WithLabelValues("error").Inc()
			t.failed(err)
			return err
		}
		fetched[i] = ed
	}
	for i, ed := range fetched {
		t.setEpoch(epoch+uint64(i), ed)
	}
	t.m.refreshes.WithLabelValues("ok").Inc()
	t.m.refreshSeconds.Observe(time.Since(start).Seconds())
	t.prune(epoch)
	t.succeeded()
	t.checkKeys(ctx, epoch)
	return nil
}

func (t *Tracker) fetchDuties(ctx context.Context, epoch uint64) (epochDuties, error) {
	cctx, cancel := context.WithTimeout(ctx, t.opts.requestTimeout)
	defer cancel()
	resp, err := t.beacon.ProposerDuties(cctx, &api.ProposerDutiesOpts{Epoch: phase0.Epoch(epoch)})
	if err != nil {
		return epochDuties{}, fmt.Errorf("fetch proposer duties for epoch %d: %w", epoch, err)
	}
	if resp == nil {
		return epochDuties{}, fmt.Errorf("fetch proposer duties for epoch %d: empty response", epoch)
	}
	root, ok := resp.Metadata["dependent_root"].(phase0.Root)
	if !ok {
		return epochDuties{}, fmt.Errorf("fetch proposer duties for epoch %d: response has no dependent_root", epoch)
	}
	var ours []Duty
	for _, d := range resp.Data {
		if d == nil {
			continue
		}
		pk := protocol.BLSPubkey(d.PubKey)
		if _, mine := t.ours[pk]; mine {
			ours = append(ours, Duty{Slot: uint64(d.Slot), ValidatorIndex: uint64(d.ValidatorIndex), Pubkey: pk})
		}
	}
	slices.SortFunc(ours, bySlot)
	return epochDuties{dependentRoot: root, duties: ours}, nil
}

// setEpoch stores an epoch's duties and says when a new dependent root (a
// reorg, or the next epoch's proposers settling) changed which slots are ours.
func (t *Tracker) setEpoch(epoch uint64, next epochDuties) {
	t.mu.Lock()
	prev, had := t.epochs[epoch]
	t.epochs[epoch] = next
	t.mu.Unlock()

	if !had {
		for _, d := range next.duties {
			t.log.Info().Uint64("slot", d.Slot).Uint64("epoch", epoch).Str("pubkey", d.Pubkey.String()).
				Uint64("validator_index", d.ValidatorIndex).Msg("proposer duty")
		}
		return
	}
	if prev.dependentRoot == next.dependentRoot {
		return
	}
	t.m.reorgs.Inc()
	if slices.Equal(prev.duties, next.duties) {
		t.log.Debug().Uint64("epoch", epoch).Msg("duties dependent root changed; our duties unchanged")
		return
	}
	for _, d := range prev.duties {
		if !slices.Contains(next.duties, d) {
			t.log.Warn().Uint64("slot", d.Slot).Uint64("epoch", epoch).Str("pubkey", d.Pubkey.String()).
				Msg("proposer duty lost: dependent root changed (reorg)")
		}
	}
	for _, d := range next.duties {
		if !slices.Contains(prev.duties, d) {
			t.log.Warn().Uint64("slot", d.Slot).Uint64("epoch", epoch).Str("pubkey", d.Pubkey.String()).
				Msg("proposer duty gained: dependent root changed (reorg)")
		}
	}
}

func (t *Tracker) prune(current uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for e := range t.epochs {
		if e < current {
			delete(t.epochs, e)
		}
	}
}

// checkKeys asks the node, once per epoch until all are known, which of our
// keys it knows, and warns once about each it does not: such a key never gets
// a duty (not deposited yet, or a wrong key file).
func (t *Tracker) checkKeys(ctx context.Context, epoch uint64) {
	t.mu.RLock()
	done := t.keysChecked == epoch+1 || len(t.known) == len(t.keys)
	t.mu.RUnlock()
	if done {
		return
	}
	pubkeys := make([]phase0.BLSPubKey, 0, len(t.keys))
	for _, k := range t.keys {
		pubkeys = append(pubkeys, phase0.BLSPubKey(k))
	}
	cctx, cancel := context.WithTimeout(ctx, t.opts.requestTimeout)
	defer cancel()
	resp, err := t.beacon.Validators(cctx, &api.ValidatorsOpts{State: "head", PubKeys: pubkeys})
	if err != nil || resp == nil {
		// Not fatal and not an outage sign by itself: duties still come.
		t.log.Debug().Err(err).Msg("cannot check which validator keys the beacon node knows")
		return
	}
	found := make(map[protocol.BLSPubkey]uint64, len(resp.Data))
	for idx, v := range resp.Data {
		if v != nil && v.Validator != nil {
			found[protocol.BLSPubkey(v.Validator.PublicKey)] = uint64(idx)
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keysChecked = epoch + 1
	for _, k := range t.keys {
		idx, ok := found[k]
		switch {
		case ok:
			if _, was := t.known[k]; !was && t.warned[k] {
				t.log.Info().Str("pubkey", k.String()).Uint64("validator_index", idx).Msg("validator key now known to the beacon node")
			}
			t.known[k] = idx
		case !t.warned[k]:
			t.warned[k] = true
			t.log.Warn().Str("pubkey", k.String()).Msg("validator key unknown to the beacon node: it gets no proposer duties")
		}
	}
}

func (t *Tracker) failed(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lastErr == nil {
		t.failingSince = time.Now()
		t.log.Warn().Err(err).Msg("beacon node unavailable; known duties stay usable, retrying")
	}
	t.lastErr = err
}

func (t *Tracker) succeeded() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lastErr != nil {
		t.log.Info().Dur("down_for", time.Since(t.failingSince)).Msg("beacon node answering again")
	}
	t.lastErr = nil
	t.lastOK = time.Now()
}

// streamHeads keeps a head-event stream open until ctx ends, reconnecting with
// backoff when it drops or stays silent for the idle timeout.
func (t *Tracker) streamHeads(ctx context.Context) {
	backoff := t.opts.backoffMin
	for {
		sctx, cancel := context.WithCancel(ctx)
		idle := time.AfterFunc(t.opts.idleTimeout, cancel)
		got := 0
		err := t.beacon.StreamHeads(sctx, func(ev *apiv1.HeadEvent) {
			idle.Reset(t.opts.idleTimeout)
			got++
			t.onHead(ev)
		})
		idle.Stop()
		idleEnded := sctx.Err() != nil && ctx.Err() == nil
		cancel()
		if ctx.Err() != nil {
			return
		}
		if got > 0 {
			backoff = t.opts.backoffMin // the stream worked; a drop now is news
		}
		t.m.reconnects.Inc()
		ev := t.log.Warn()
		if idleEnded {
			ev = t.log.Info()
			err = fmt.Errorf("no head event for %s", t.opts.idleTimeout)
		}
		ev.Err(err).Dur("retry_in", backoff).Msg("head event stream ended; reconnecting")
		if !sleep(ctx, jitter(backoff)) {
			return
		}
		backoff = min(2*backoff, t.opts.backoffMax)
	}
}

func (t *Tracker) onHead(ev *apiv1.HeadEvent) {
	h := Head{Slot: uint64(ev.Slot), Root: ev.Block}
	t.mu.Lock()
	t.head, t.haveHead = h, true
	t.mu.Unlock()
	t.m.heads.Inc()

	t.subMu.Lock()
	for _, ch := range t.subs {
		select {
		case ch <- h:
		default:
			t.m.headsDropped.Inc()
		}
	}
	t.subMu.Unlock()

	// Duties may have changed with this head (its dependent roots tell, but
	// refetching is as cheap as comparing); a pending request is enough.
	select {
	case t.refreshCh <- struct{}{}:
	default:
	}
}

func bySlot(a, b Duty) int { return cmp.Compare(a.Slot, b.Slot) }

// sleep waits d or until ctx ends; it reports whether the full wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// jitter spreads retries by ±20% so many sidecars do not hammer one node in step.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}
