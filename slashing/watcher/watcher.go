package watcher

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

type options struct {
	log           zerolog.Logger
	reg           prometheus.Registerer
	sources       []PromiseSource
	confirmations uint64
	poll          time.Duration
	backoffMin    time.Duration
	backoffMax    time.Duration
	bumpAfter     uint64
	callTimeout   time.Duration
	now           func() time.Time
}

// Option configures a Watcher.
type Option func(*options)

// WithLogger sets the watcher's logger.
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// WithRegisterer registers the watcher's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option { return func(o *options) { o.reg = reg } }

// WithSources adds sources of promises, polled on every step.
func WithSources(s ...PromiseSource) Option {
	return func(o *options) { o.sources = append(o.sources, s...) }
}

// WithConfirmations sets how many slots after a promise's slot the watcher
// waits before judging it (default 2, at least 1: the Slasher refuses the head
// block as evidence, and a block or two guards against a shallow reorg).
func WithConfirmations(n uint64) Option { return func(o *options) { o.confirmations = n } }

// WithPollInterval sets how often Run looks for a new head (default 2 s).
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.poll = d } }

// WithBackoff sets the first and longest wait before retrying a failed
// judgement or send (defaults 1 s and 1 min).
func WithBackoff(first, longest time.Duration) Option {
	return func(o *options) { o.backoffMin, o.backoffMax = first, longest }
}

// WithBumpAfter sets how many blocks an evidence transaction may wait unmined
// before it is replaced with higher fees (default 3).
func WithBumpAfter(blocks uint64) Option { return func(o *options) { o.bumpAfter = blocks } }

// WithCallTimeout bounds each round of node calls (default 30 s).
func WithCallTimeout(d time.Duration) Option { return func(o *options) { o.callTimeout = d } }

// entry is one promise the watcher follows.
type entry struct {
	digest   common.Hash
	sp       slashing.SignedPromise
	state    State
	attempts int
	nextTry  time.Time
	reason   string // last transient failure, for Settle's report
}

// submission is one evidence transaction (and its fee-bumped replacements),
// for one promise or, for equivocation, two.
type submission struct {
	digests []common.Hash
	fault   string
	txs     []PendingTx // every hash sent for this nonce; the last is current
	tx      *types.Transaction
	sent    bool // the node accepted it (or already knew it)
	fresh   bool // never offered to a node: its nonce may still be changed
	sentAt  uint64
	tries   int
	nextTry time.Time
}

// eqKey identifies a nonce of a sender on a chain, as promised by an operator.
type eqKey struct {
	operator common.Address
	chainID  uint64
	sender   common.Address
	nonce    uint64
}

type eqRef struct {
	digest common.Hash
	txHash common.Hash
}

// Watcher follows promises and L1, and slashes the broken ones.
type Watcher struct {
	backend Backend
	dep     *Deployment
	key     *ecdsa.PrivateKey
	addr    common.Address
	chainID *big.Int
	journal *Journal
	opts    options
	m       *metrics
	domain  protocol.Domain

	mu      sync.Mutex
	entries map[common.Hash]*entry
	byOp    map[common.Address][]common.Hash
	eqIndex map[eqKey][]eqRef
	eqPairs [][2]common.Hash
	eqDone  map[[2]common.Hash]bool
	// rejected caches promises whose signer is not the committer, so a source
	// that offers them on every step does not cost a Registry call each time.
	rejected map[common.Hash]error

	// Only the step goroutine touches these.
	subs      []*submission
	nextNonce uint64
	nonceOK   bool
	freed     []uint64
	stepMu    sync.Mutex
}

// New returns a watcher for the deployment, submitting with key and recording
// outcomes in journal (whose promises and pending transactions it resumes).
// It does no network I/O.
func New(backend Backend, dep *Deployment, key *ecdsa.PrivateKey, journal *Journal, opts ...Option) (*Watcher, error) {
	if backend == nil || dep == nil || dep.Judge == nil || dep.Contracts == nil {
		return nil, fmt.Errorf("%w: backend and deployment are required", ErrBadConfig)
	}
	if key == nil {
		return nil, fmt.Errorf("%w: no watcher key", ErrBadConfig)
	}
	if journal == nil {
		return nil, fmt.Errorf("%w: no journal", ErrBadConfig)
	}
	o := options{
		log:           zerolog.Nop(),
		confirmations: 2,
		poll:          2 * time.Second,
		backoffMin:    time.Second,
		backoffMax:    time.Minute,
		bumpAfter:     3,
		callTimeout:   30 * time.Second,
		now:           time.Now,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.confirmations == 0 {
		return nil, fmt.Errorf("%w: confirmations must be at least 1 (the Slasher refuses the head block)", ErrBadConfig)
	}
	if o.poll <= 0 || o.backoffMin < 0 || o.backoffMax < o.backoffMin || o.bumpAfter == 0 {
		return nil, fmt.Errorf("%w: poll interval, backoff or bump-after out of range", ErrBadConfig)
	}
	m, err := newMetrics(o.reg)
	if err != nil {
		return nil, fmt.Errorf("%w: metrics: %w", ErrBadConfig, err)
	}
	w := &Watcher{
		backend: backend,
		dep:     dep,
		key:     key,
		addr:    crypto.PubkeyToAddress(key.PublicKey),
		chainID: new(big.Int).SetUint64(dep.Config.L1ChainID),
		journal: journal,
		opts:    o,
		m:       m,
		domain:  protocol.Domain{ChainID: dep.Config.L1ChainID, Slasher: dep.Slasher},
		entries: map[common.Hash]*entry{},
		byOp:    map[common.Address][]common.Hash{},
		eqIndex: map[eqKey][]eqRef{},
		eqDone:  map[[2]common.Hash]bool{},

		rejected: map[common.Hash]error{},
	}
	if err := w.resume(); err != nil {
		return nil, err
	}
	return w, nil
}

// Address is the account the watcher submits evidence from (it receives the watcher's share).
func (w *Watcher) Address() common.Address { return w.addr }

// Journal returns the watcher's journal.
func (w *Watcher) Journal() *Journal { return w.journal }

// resume rebuilds the followed promises and the unresolved submissions from the journal.
func (w *Watcher) resume() error {
	byTx := map[common.Hash]*submission{}
	for _, rec := range w.journal.Outcomes() {
		sc := w.journal.Promise(rec.Digest)
		if sc == nil {
			continue
		}
		sp, err := w.open(sc)
		if err != nil {
			// It was accepted once, so this is a different deployment's journal.
			return fmt.Errorf("%w: promise %s in the journal: %w", ErrBadConfig, rec.Digest, err)
		}
		w.insert(rec.Digest, sp, rec.State)
		if rec.State != StatePending {
			continue
		}
		txs := w.journal.Pending(rec.Digest)
		if len(txs) == 0 {
			continue
		}
		last := txs[len(txs)-1]
		if s, ok := byTx[last.Hash]; ok {
			s.digests = append(s.digests, rec.Digest)
			continue
		}
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(last.Raw); err != nil {
			return fmt.Errorf("%w: pending tx %s of %s does not decode: %w", ErrJournal, last.Hash, rec.Digest, err)
		}
		// Not known to be sent: the first check offers it to the node again,
		// which is harmless for a transaction the node already has.
		s := &submission{digests: []common.Hash{rec.Digest}, fault: last.Fault, txs: txs, tx: tx}
		byTx[last.Hash] = s
		w.subs = append(w.subs, s)
	}
	return nil
}

// open decodes a signed commitment for this deployment.
func (w *Watcher) open(sc *protocol.SignedCommitment) (slashing.SignedPromise, error) {
	if sc == nil {
		return slashing.SignedPromise{}, fmt.Errorf("%w: empty", ErrBadPromise)
	}
	if sc.Commitment.Slasher != w.dep.Slasher {
		return slashing.SignedPromise{}, fmt.Errorf("%w: for Slasher %s, this watcher judges %s", ErrBadPromise, sc.Commitment.Slasher, w.dep.Slasher)
	}
	p, err := sc.Open(w.dep.Config.L1ChainID)
	if err != nil {
		return slashing.SignedPromise{}, fmt.Errorf("%w: %w", ErrBadPromise, err)
	}
	return slashing.SignedPromise{Promise: p, Signature: sc.Signature}, nil
}

// insert adds a promise to the in-memory state and indexes its nonces for
// equivocation. The caller holds w.mu or is the constructor.
func (w *Watcher) insert(d common.Hash, sp slashing.SignedPromise, st State) {
	w.entries[d] = &entry{digest: d, sp: sp, state: st}
	op := sp.Promise.Operator
	w.byOp[op] = append(w.byOp[op], d)
	for _, inc := range sp.Promise.Inclusions {
		k := eqKey{operator: op, chainID: inc.ChainID, sender: inc.Sender, nonce: inc.Nonce}
		for _, r := range w.eqIndex[k] {
			if r.digest != d && r.txHash != inc.TxHash {
				w.eqPairs = append(w.eqPairs, [2]common.Hash{r.digest, d})
			}
		}
		w.eqIndex[k] = append(w.eqIndex[k], eqRef{digest: d, txHash: inc.TxHash})
	}
}

// Add starts following a signed promise. It checks that the promise is for
// this deployment and signed by its operator's committer for its slot (so the
// journal only holds promises that bind someone), journals it and returns its
// digest and current state. A promise already known returns its state.
func (w *Watcher) Add(ctx context.Context, sc *protocol.SignedCommitment) (common.Hash, State, error) {
	sp, err := w.open(sc)
	if err != nil {
		return common.Hash{}, "", err
	}
	d := sp.Promise.Digest(w.domain)
	if st, ok := w.state(d); ok {
		return d, st, nil
	}
	w.mu.Lock()
	rej := w.rejected[d]
	w.mu.Unlock()
	if rej != nil {
		return d, "", rej
	}
	signer, err := protocol.RecoverPromiseSigner(sp.Promise, w.domain, sp.Signature)
	if err != nil {
		return d, "", fmt.Errorf("%w: %w", ErrBadPromise, err)
	}
	committer, err := w.dep.Contracts.CommitterAt(ctx, sp.Promise.Operator, sp.Promise.Slot)
	if err != nil {
		return d, "", fmt.Errorf("read the committer of %s: %w", sp.Promise.Operator, err)
	}
	if committer == (common.Address{}) || committer != signer {
		err := fmt.Errorf("%w: signed by %s, the committer of operator %s for slot %d is %s", ErrBadPromise, signer, sp.Promise.Operator, sp.Promise.Slot, committer)
		w.mu.Lock()
		w.rejected[d] = err
		w.mu.Unlock()
		return d, "", err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.entries[d]; ok {
		return d, e.state, nil
	}
	if err := w.journal.Append(Record{Digest: d, State: StateSeen, Slot: sp.Promise.Slot, Operator: sp.Promise.Operator, Promise: sc}); err != nil {
		return d, "", err
	}
	w.insert(d, sp, StateSeen)
	w.m.promises.Inc()
	w.opts.log.Info().Str("commitment", d.Hex()).Uint64("slot", sp.Promise.Slot).Msg("following promise")
	return d, StateSeen, nil
}

func (w *Watcher) state(d common.Hash) (State, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.entries[d]
	if !ok {
		return "", false
	}
	return e.state, true
}

func (w *Watcher) setState(d common.Hash, st State) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.entries[d]; ok {
		e.state = st
	}
}

// Run steps on every poll until ctx ends. Errors of one step are logged and
// retried on the next: a watcher outlives its node's hiccups.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.opts.poll)
	defer t.Stop()
	for {
		if err := w.Step(ctx); err != nil && ctx.Err() == nil {
			w.opts.log.Warn().Err(err).Msg("watcher step failed; retrying")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Step does one round: reads the head, takes new promises from the sources,
// follows the evidence transactions in flight, slashes equivocations, and
// judges every promise whose slot is final enough.
func (w *Watcher) Step(ctx context.Context) error {
	w.stepMu.Lock()
	defer w.stepMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, w.opts.callTimeout)
	defer cancel()
	head, err := w.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("head: %w", err)
	}
	var errs []error
	for _, s := range w.opts.sources {
		scs, err := s.Promises(ctx)
		if err != nil {
			errs = append(errs, err)
		}
		for _, sc := range scs {
			if _, _, err := w.Add(ctx, sc); err != nil && !errors.Is(err, ErrBadPromise) {
				errs = append(errs, err)
			} else if err != nil {
				w.opts.log.Debug().Err(err).Msg("source promise refused")
			}
		}
	}
	if err := w.followSubmissions(ctx, head); err != nil {
		errs = append(errs, err)
	}
	w.equivocations(ctx, head)
	w.judgeDue(ctx, head)
	return errors.Join(errs...)
}

// headSlot is the slot of header h.
func (w *Watcher) headSlot(h *types.Header) uint64 {
	c := w.dep.Config
	if h.Time < c.GenesisTime {
		return 0
	}
	return (h.Time - c.GenesisTime) / c.SecondsPerSlot
}

// Judgeable says whether a promise for slot can be judged at head.
func (w *Watcher) judgeable(slot uint64, head *types.Header) bool {
	return w.headSlot(head) >= slot+w.opts.confirmations
}

func (w *Watcher) backoff(attempts int) time.Duration {
	d := w.opts.backoffMin
	for i := 1; i < attempts && d < w.opts.backoffMax; i++ {
		d *= 2
	}
	return min(d, w.opts.backoffMax)
}

// retry records a transient failure of a promise's judgement.
func (w *Watcher) retry(e *entry, err error) {
	w.mu.Lock()
	e.attempts++
	e.nextTry = w.opts.now().Add(w.backoff(e.attempts))
	e.reason = err.Error()
	w.mu.Unlock()
	w.opts.log.Warn().Err(err).Str("commitment", e.digest.Hex()).Uint64("slot", e.sp.Promise.Slot).Msg("judgement failed; will retry")
}

// due returns the promises to judge now, oldest slot first.
func (w *Watcher) due(head *types.Header) []*entry {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.opts.now()
	var out []*entry
	for _, e := range w.entries {
		if e.state == StateSeen && w.judgeable(e.sp.Promise.Slot, head) && !now.Before(e.nextTry) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].sp.Promise.Slot < out[j].sp.Promise.Slot })
	return out
}

// known returns the other promises of an operator, the candidates for priors.
func (w *Watcher) known(op common.Address, not common.Hash) []slashing.SignedPromise {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []slashing.SignedPromise
	for _, d := range w.byOp[op] {
		if d != not {
			out = append(out, w.entries[d].sp)
		}
	}
	return out
}

func (w *Watcher) judgeDue(ctx context.Context, head *types.Header) {
	for _, e := range w.due(head) {
		if ctx.Err() != nil {
			return
		}
		w.judge(ctx, e, head)
	}
}

// transient are the judge's refusals that may change with time or another node.
var transient = []error{slashing.ErrNotAnchored, slashing.ErrSlotNotReached, slashing.ErrBadProof, slashing.ErrNoProof, slashing.ErrBatchMismatch, slashing.ErrInboxPosts}

// classify turns a refusal of the judge into a final state, or reports it transient.
func classify(reason error) (State, bool) {
	for _, t := range transient {
		if errors.Is(reason, t) {
			return "", false
		}
	}
	if allKept(reason) {
		return StateKept, true
	}
	return StateRefused, true
}

// allKept says whether every error joined in err is ErrPromiseKept.
func allKept(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !allKept(e) {
				return false
			}
		}
		return len(j.Unwrap()) > 0
	}
	return errors.Is(err, slashing.ErrPromiseKept)
}

// judge assesses one promise and submits its evidence when it is broken.
func (w *Watcher) judge(ctx context.Context, e *entry, head *types.Header) {
	v, err := w.dep.Judge.Assess(ctx, e.sp, w.known(e.sp.Promise.Operator, e.digest))
	if err != nil {
		w.retry(e, err)
		return
	}
	p := e.sp.Promise
	if !v.Slashable {
		st, final := classify(v.Reason)
		if !final {
			w.retry(e, v.Reason)
			return
		}
		reason := ""
		if v.Reason != nil {
			reason = v.Reason.Error()
		}
		if err := w.journal.Append(Record{Digest: e.digest, State: st, Slot: p.Slot, Operator: p.Operator, Reason: reason}); err != nil {
			w.retry(e, err)
			return
		}
		w.setState(e.digest, st)
		w.opts.log.Info().Str("commitment", e.digest.Hex()).Uint64("slot", p.Slot).Msgf("promise %s: %s", st, reason)
		return
	}
	w.m.faults.WithLabelValues(v.Fault.String()).Inc()
	data, err := callData(e.sp, v)
	if err != nil {
		w.retry(e, err)
		return
	}
	w.opts.log.Warn().Str("commitment", e.digest.Hex()).Uint64("slot", p.Slot).Msgf("broken promise: %s fault; submitting evidence", v.Fault)
	if err := w.submit(ctx, head, []common.Hash{e.digest}, v.Fault.String(), data); err != nil {
		w.retry(e, err)
	}
}

// equivocations submits evidence for every pair of promises seen selling one
// nonce twice, unless either is already settled.
func (w *Watcher) equivocations(ctx context.Context, head *types.Header) {
	w.mu.Lock()
	pairs := w.eqPairs
	w.eqPairs = nil
	w.mu.Unlock()
	var keep [][2]common.Hash
	for _, pair := range pairs {
		if w.eqDone[pair] {
			continue
		}
		a, b := w.entry(pair[0]), w.entry(pair[1])
		if a == nil || b == nil {
			continue
		}
		if busy(a.state) || busy(b.state) {
			if a.state == StatePending || b.state == StatePending {
				keep = append(keep, pair) // decide once the other submission resolves
			}
			continue
		}
		ev, err := slashing.Equivocation(a.sp, b.sp)
		if err != nil {
			w.eqDone[pair] = true
			continue
		}
		if err := w.dep.Judge.Equivocation(ctx, ev); err != nil {
			if _, final := classify(err); final {
				w.eqDone[pair] = true
				w.opts.log.Info().Err(err).Str("commitment", a.digest.Hex()).Msg("equivocation not slashable")
			} else {
				keep = append(keep, pair)
			}
			continue
		}
		w.m.faults.WithLabelValues(slashing.FaultEquivocation.String()).Inc()
		data, err := equivocationData(ev)
		if err == nil {
			w.opts.log.Warn().Str("commitment", a.digest.Hex()).Msgf("equivocation with %s; submitting evidence", b.digest.Hex())
			err = w.submit(ctx, head, []common.Hash{a.digest, b.digest}, slashing.FaultEquivocation.String(), data)
		}
		if err != nil {
			w.opts.log.Warn().Err(err).Str("commitment", a.digest.Hex()).Msg("equivocation submission failed; will retry")
			keep = append(keep, pair)
			continue
		}
		w.eqDone[pair] = true
	}
	w.mu.Lock()
	w.eqPairs = append(keep, w.eqPairs...)
	w.mu.Unlock()
}

// busy says whether a promise can no longer be part of new evidence: it is
// settled by us, or evidence for it is in flight.
func busy(s State) bool { return s == StateSlashed || s == StatePending }

func (w *Watcher) entry(d common.Hash) *entry {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.entries[d]
}
