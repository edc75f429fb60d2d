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
	beneficiary   *common.Address
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

// WithBeneficiary sets who receives the watcher's share of its slashes
// (default: the watcher's own account). It is bound to each slash by a claim
// committed before it, so a copy of the evidence pays the same beneficiary.
func WithBeneficiary(a common.Address) Option { return func(o *options) { o.beneficiary = &a } }

// entry is one promise the watcher follows.
type entry struct {
	digest   common.Hash
	sp       slashing.SignedPromise
	state    State
	attempts int
	nextTry  time.Time
	reason   string // last transient failure, for Settle's report
	// commitBlock is the block its claim's commitment was mined in (state committed).
	commitBlock uint64
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

// eqPair is an equivocation to slash: a is paid and settled (promise A of
// Slasher.slashEquivocation), b proves the fault. Each pair is followed both
// ways: B is not settled by it, and its holder is owed its own amount (its
// nonce may be spent by A, so it may have no other fault to prove).
type eqPair struct{ a, b common.Hash }

// retryAt is the backoff of a pair whose judgement failed for a while.
type retryAt struct {
	tries int
	next  time.Time
}

// Watcher follows promises and L1, and slashes the broken ones.
type Watcher struct {
	backend Backend
	dep     *Deployment
	key     *ecdsa.PrivateKey
	addr    common.Address
	// beneficiary receives the watcher's share of each slash.
	beneficiary common.Address
	chainID     *big.Int
	journal     *Journal
	opts        options
	m           *metrics
	domain      protocol.Domain

	mu      sync.Mutex
	entries map[common.Hash]*entry
	byOp    map[common.Address][]common.Hash
	eqIndex map[eqKey][]eqRef
	eqPairs []eqPair
	// rejected caches promises whose signer is not the committer, so a source
	// that offers them on every step does not cost a Registry call each time.
	rejected map[common.Hash]error

	// Only the step goroutine touches these.
	eqDone    map[eqPair]bool
	eqRetry   map[eqPair]*retryAt
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
	addr := crypto.PubkeyToAddress(key.PublicKey)
	beneficiary := addr
	if o.beneficiary != nil {
		if *o.beneficiary == (common.Address{}) {
			return nil, fmt.Errorf("%w: the zero address cannot be the beneficiary (the Slasher refuses it)", ErrBadConfig)
		}
		beneficiary = *o.beneficiary
	}
	m, err := newMetrics(o.reg)
	if err != nil {
		return nil, fmt.Errorf("%w: metrics: %w", ErrBadConfig, err)
	}
	w := &Watcher{
		backend:     backend,
		dep:         dep,
		key:         key,
		addr:        addr,
		beneficiary: beneficiary,
		chainID:     new(big.Int).SetUint64(dep.Config.L1ChainID),
		journal:     journal,
		opts:        o,
		m:           m,
		domain:      protocol.Domain{ChainID: dep.Config.L1ChainID, Slasher: dep.Slasher},
		entries:     map[common.Hash]*entry{},
		byOp:        map[common.Address][]common.Hash{},
		eqIndex:     map[eqKey][]eqRef{},
		eqDone:      map[eqPair]bool{},
		eqRetry:     map[eqPair]*retryAt{},

		rejected: map[common.Hash]error{},
	}
	if err := w.resume(); err != nil {
		return nil, err
	}
	return w, nil
}

// Address is the account the watcher sends its transactions from.
func (w *Watcher) Address() common.Address { return w.addr }

// Beneficiary is who the watcher's claims name: it receives the watcher's share.
func (w *Watcher) Beneficiary() common.Address { return w.beneficiary }

// Journal returns the watcher's journal.
func (w *Watcher) Journal() *Journal { return w.journal }

// resume rebuilds the followed promises and the unresolved transactions
// (commitments and evidence) from the journal.
func (w *Watcher) resume() error {
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
		e := w.insert(rec.Digest, sp, rec.State)
		e.commitBlock = rec.CommitBlock
		if !rec.State.inFlight() {
			continue
		}
		txs := w.journal.Pending(rec.Digest)
		if len(txs) == 0 {
			continue
		}
		last := txs[len(txs)-1]
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(last.Raw); err != nil {
			return fmt.Errorf("%w: %s tx %s of %s does not decode: %w", ErrJournal, rec.State, last.Hash, rec.Digest, err)
		}
		// Not known to be sent: the first check offers it to the node again,
		// which is harmless for a transaction the node already has.
		s := &submission{digest: rec.Digest, kind: rec.State, fault: last.Fault, other: last.Other, txs: txs, tx: tx}
		if rec.State == StateCommitting {
			c, ok := w.journal.Claim(rec.Digest)
			if !ok {
				return fmt.Errorf("%w: commitment tx %s of %s has no claim", ErrJournal, last.Hash, rec.Digest)
			}
			s.claim = &c
		}
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
func (w *Watcher) insert(d common.Hash, sp slashing.SignedPromise, st State) *entry {
	e := &entry{digest: d, sp: sp, state: st}
	w.entries[d] = e
	op := sp.Promise.Operator
	w.byOp[op] = append(w.byOp[op], d)
	for _, inc := range sp.Promise.Inclusions {
		k := eqKey{operator: op, chainID: inc.ChainID, sender: inc.Sender, nonce: inc.Nonce}
		for _, r := range w.eqIndex[k] {
			if r.digest != d && r.txHash != inc.TxHash {
				w.eqPairs = append(w.eqPairs, eqPair{a: r.digest, b: d}, eqPair{a: d, b: r.digest})
			}
		}
		w.eqIndex[k] = append(w.eqIndex[k], eqRef{digest: d, txHash: inc.TxHash})
	}
	return e
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

// stateOf returns e's state and the block its claim was committed in.
func (w *Watcher) stateOf(e *entry) (State, uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return e.state, e.commitBlock
}

// record journals rec for e (filling in its digest, slot and operator) and
// moves e to rec's state.
func (w *Watcher) record(e *entry, rec Record) error {
	p := e.sp.Promise
	rec.Digest, rec.Slot, rec.Operator = e.digest, p.Slot, p.Operator
	if err := w.journal.Append(rec); err != nil {
		return err
	}
	w.mu.Lock()
	e.state = rec.State
	if rec.State == StateCommitted {
		e.commitBlock = rec.CommitBlock
	}
	w.mu.Unlock()
	return nil
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
// follows the transactions in flight, slashes equivocations, and judges every
// promise whose slot is final enough.
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

// due returns the promises to judge now, oldest slot first: those waiting
// for their judgement, and those whose claim's commitment is below the head
// (judged again, then slashed naming the claim).
func (w *Watcher) due(head *types.Header) []*entry {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.opts.now()
	var out []*entry
	for _, e := range w.entries {
		waiting := e.state == StateSeen || (e.state == StateCommitted && e.commitBlock < head.Number.Uint64())
		if waiting && w.judgeable(e.sp.Promise.Slot, head) && !now.Before(e.nextTry) {
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

// transient are the judge's refusals that may change with time or another
// node. ErrLedgerPending is among them (the slot's ledger may still be
// opened); ErrNotInLedger is not: a promise in no ledger after the grace is
// void for good.
var transient = []error{
	slashing.ErrNotAnchored, slashing.ErrSlotNotReached, slashing.ErrBadProof, slashing.ErrNoProof,
	slashing.ErrBatchMismatch, slashing.ErrInboxPosts, slashing.ErrLedgerPending, slashing.ErrLedgerUnavailable,
	slashing.ErrClaimNotCommitted,
}

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

// judge assesses one promise and, when it is broken, commits its claim and
// then submits its evidence naming the claim (two steps, see claimFor).
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
		if err := w.record(e, Record{State: st, Reason: reason}); err != nil {
			w.retry(e, err)
			return
		}
		w.opts.log.Info().Str("commitment", e.digest.Hex()).Uint64("slot", p.Slot).Msgf("promise %s: %s", st, reason)
		return
	}
	fault := v.Fault.String()
	claim, ready, err := w.claimFor(ctx, head, e, fault, nil)
	if err != nil {
		w.retry(e, err)
		return
	}
	if !ready {
		return
	}
	data, err := slashing.CallData(e.sp, v, claim)
	if err != nil {
		w.retry(e, err)
		return
	}
	w.opts.log.Warn().Str("commitment", e.digest.Hex()).Uint64("slot", p.Slot).Msgf("broken promise: %s fault; submitting evidence", fault)
	if err := w.submitEvidence(ctx, head, e, fault, nil, data); err != nil {
		w.retry(e, err)
	}
}

// equivocations tries every pair of promises seen selling one nonce twice,
// each way, and keeps the pairs not done with.
func (w *Watcher) equivocations(ctx context.Context, head *types.Header) {
	w.mu.Lock()
	pairs := w.eqPairs
	w.eqPairs = nil
	w.mu.Unlock()
	var keep []eqPair
	for _, pr := range pairs {
		if w.eqDone[pr] {
			continue
		}
		if ctx.Err() != nil || !w.equivocation(ctx, head, pr) {
			keep = append(keep, pr)
			continue
		}
		w.eqDone[pr] = true
		delete(w.eqRetry, pr)
	}
	w.mu.Lock()
	w.eqPairs = append(keep, w.eqPairs...)
	w.mu.Unlock()
}

// equivocation slashes pr.a for selling pr.b's nonce again, as soon as pr.a
// is backed (its slot's ledger is open), without waiting for its slot to be
// judged; it says whether the pair is done with: pr.a slashed (for this or
// any fault), or the evidence refused for good.
func (w *Watcher) equivocation(ctx context.Context, head *types.Header, pr eqPair) bool {
	a, b := w.entry(pr.a), w.entry(pr.b)
	if a == nil || b == nil {
		return true
	}
	st, commitBlock := w.stateOf(a)
	switch {
	case st == StateSlashed:
		return true
	case st.inFlight(), st == StateCommitted && commitBlock >= head.Number.Uint64():
		return false // decided once the transaction out for a resolves
	}
	if r := w.eqRetry[pr]; r != nil && w.opts.now().Before(r.next) {
		return false
	}
	ev, err := slashing.Equivocation(a.sp, b.sp)
	if err != nil {
		return true
	}
	if ev.BackingA, err = w.dep.Judge.Builder().Backing(ctx, a.sp); err != nil {
		w.eqBackoff(pr, err)
		return false
	}
	if err := w.dep.Judge.Equivocation(ctx, ev); err != nil {
		if _, final := classify(err); final {
			w.opts.log.Info().Err(err).Str("commitment", a.digest.Hex()).Msgf("equivocation with %s not slashable", b.digest.Hex())
			return true
		}
		w.eqBackoff(pr, err)
		return false
	}
	fault := slashing.FaultEquivocation.String()
	claim, ready, err := w.claimFor(ctx, head, a, fault, &b.digest)
	if err != nil {
		w.eqBackoff(pr, err)
		return false
	}
	if !ready {
		return false
	}
	data, err := slashing.EquivocationCall(ev, claim)
	if err == nil {
		w.opts.log.Warn().Str("commitment", a.digest.Hex()).Msgf("equivocation with %s; submitting evidence", b.digest.Hex())
		err = w.submitEvidence(ctx, head, a, fault, &b.digest, data)
	}
	if err != nil {
		w.eqBackoff(pr, err)
	}
	return false
}

func (w *Watcher) eqBackoff(pr eqPair, err error) {
	r := w.eqRetry[pr]
	if r == nil {
		r = &retryAt{}
		w.eqRetry[pr] = r
	}
	r.tries++
	r.next = w.opts.now().Add(w.backoff(r.tries))
	w.opts.log.Debug().Err(err).Str("commitment", pr.a.Hex()).Msg("equivocation not slashable yet; will retry")
}

func (w *Watcher) entry(d common.Hash) *entry {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.entries[d]
}
