package ledger

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sync"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// Promises is the sidecar's record of what it sold; *admission.Engine.
type Promises interface {
	// SealThrough closes every slot up to slot to new promises and waits
	// for those in flight to be persisted.
	SealThrough(ctx context.Context, slot uint64) error
	// PromisedSlots lists the slots in [from, to) with stored promises.
	PromisedSlots(from, to uint64) ([]uint64, error)
	// LedgerLeaves returns every promise signed for slot (nil: none).
	LedgerLeaves(ctx context.Context, slot uint64) ([]protocol.LedgerLeaf, error)
}

var _ Promises = (*admission.Engine)(nil)

// Chain is the execution client the transactions go through;
// *ethclient.Client satisfies it.
type Chain interface {
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
	EstimateGas(ctx context.Context, call ethereum.CallMsg) (uint64, error)
	CallContract(ctx context.Context, call ethereum.CallMsg, blockNumber *big.Int) ([]byte, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// Ledgers reads the Registry's ledgers; *registry.Client satisfies it.
type Ledgers interface {
	LedgerOf(ctx context.Context, operator common.Address, slot uint64) (*registry.Ledger, error)
}

var _ Ledgers = (*registry.Client)(nil)

// Fees gives the highest base fee a later block can reach;
// *chainstate.State satisfies it.
type Fees interface {
	ProjectedBaseFee(blocksAhead uint64) *big.Int
}

// Clock maps wall-clock time to slots; *duties.Tracker satisfies it.
type Clock interface {
	Clock() duties.Clock
}

// TxSigner signs the committer account's transactions for a chain;
// *admission.KeySigner and *ecdsasigner.Signer (a local key, Clef,
// Web3Signer) satisfy it. A failure is logged and the transaction tried
// again at the next tick; nothing is signed with another key.
type TxSigner interface {
	Address() common.Address
	SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error)
}

var (
	_ TxSigner = (*admission.KeySigner)(nil)
	_ TxSigner = (*ecdsasigner.Signer)(nil)
)

// Config is what the component needs to know of the chain and the Registry.
type Config struct {
	// ChainID is the L1 chain the transactions are signed for.
	ChainID uint64
	// Registry is the Registry contract's address.
	Registry common.Address
	// Operator is the operator whose ledgers are opened.
	Operator common.Address
	// Poster is the account whose Inbox batches carry the slots' L2
	// promises: the sidecar's batch poster, or the committer without rollups.
	Poster common.Address
	// Grace is Registry.ledgerGrace: slots after its slot a ledger may be opened.
	Grace uint64
	// SlashWindow is Registry.slashWindow: a ledger is released after it.
	SlashWindow uint64
	// PriorityFee is the transactions' priority fee per gas (default 1 gwei).
	PriorityFee *big.Int
	// MinBalance: below it the committer's balance is warned about (default
	// DefaultMinBalance); it pays every ledger's gas.
	MinBalance *big.Int
	// ReleaseBatch is the most ledgers one release transaction gives back
	// (default 128).
	ReleaseBatch int
	// ReleaseDelay is how many slots the oldest expired ledger waits for
	// others to join its release transaction (default 32); a full batch
	// goes at once.
	ReleaseDelay uint64
	// BumpAfter is how many slots a transaction waits to be mined before it
	// is replaced with higher fees (default 2).
	BumpAfter uint64
	// Interval is how often the component looks at the chain (default a
	// quarter of a slot).
	Interval time.Duration
}

// Defaults of Config.
var (
	DefaultPriorityFee = big.NewInt(params.GWei)
	DefaultMinBalance  = new(big.Int).Div(big.NewInt(params.Ether), big.NewInt(10))
)

// Default numbers of Config.
const (
	DefaultReleaseBatch = 128
	DefaultReleaseDelay = 32
	DefaultBumpAfter    = 2
	// maxAttempts bounds the openLedger transactions sent for one slot
	// (a reverted one is sent again while the grace lasts).
	maxAttempts = 3
	// balanceEvery is how often the committer's balance is read.
	balanceEvery = time.Minute
)

func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.PriorityFee == nil {
		out.PriorityFee = DefaultPriorityFee
	}
	if out.MinBalance == nil {
		out.MinBalance = DefaultMinBalance
	}
	if out.ReleaseBatch <= 0 {
		out.ReleaseBatch = DefaultReleaseBatch
	}
	if out.ReleaseDelay == 0 {
		out.ReleaseDelay = DefaultReleaseDelay
	}
	if out.BumpAfter == 0 {
		out.BumpAfter = DefaultBumpAfter
	}
	var errs []error
	if out.ChainID == 0 {
		errs = append(errs, errors.New("chain id is 0"))
	}
	if out.Registry == (common.Address{}) {
		errs = append(errs, errors.New("registry address is zero"))
	}
	if out.Operator == (common.Address{}) {
		errs = append(errs, errors.New("operator address is zero"))
	}
	if out.Poster == (common.Address{}) {
		errs = append(errs, errors.New("poster address is zero"))
	}
	if out.Grace == 0 {
		errs = append(errs, errors.New("ledger grace is 0"))
	}
	if out.SlashWindow <= out.Grace {
		errs = append(errs, fmt.Errorf("slash window %d not above the ledger grace %d", out.SlashWindow, out.Grace))
	}
	if out.PriorityFee.Sign() < 0 || out.MinBalance.Sign() < 0 {
		errs = append(errs, errors.New("negative priority fee or minimum balance"))
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("%w: %w", ErrConfig, errors.Join(errs...))
	}
	return out, nil
}

// Component opens and releases the operator's slot ledgers. Create it with
// New, run it with Run; Err, Watermark and Opened are safe to call at any time.
type Component struct {
	cfg      Config
	promises Promises
	chain    Chain
	ledgers  Ledgers
	fees     Fees
	clock    Clock
	signer   TxSigner
	chainID  *big.Int
	log      zerolog.Logger
	metrics  *metrics
	now      func() time.Time

	// Owned by Run's goroutine.
	scanned   bool
	lastSeen  uint64 // highest slot whose promises were looked for
	todo      map[uint64]*slotState
	txs       []*sentTx // in nonce order
	balanceAt time.Time // when the committer's balance was last read
	lowSince  time.Time // when the balance was last warned about

	// gaveUp is the last slot left without a ledger, and why; it degrades
	// the component for a grace after gaveUpAt, or until a later slot's
	// ledger opens.
	gaveUp     error
	gaveUpSlot uint64
	gaveUpAt   uint64

	mu sync.Mutex
	// unreleased are our ledgers on-chain whose reservation is not given back.
	unreleased map[uint64]bool
	opened     map[uint64]common.Hash // slot → the openLedger tx that opened it (this run)
	err        error                  // why the component is degraded; nil when healthy
	watermark  uint64
}

// slotState is a slot whose ledger is to be opened.
type slotState struct {
	slot     uint64
	attempts int
	sending  bool // a tx is in flight for it
	lastErr  error
	// tree and data are the ledger and its openLedger call data, built
	// once: the slot is sealed, its promises do not change.
	tree *protocol.Ledger
	data []byte
}

// Option configures a Component.
type Option func(*Component)

// WithRegisterer registers the component's metrics on reg.
func WithRegisterer(reg prometheus.Registerer) Option {
	return func(c *Component) { c.metrics = newMetrics(reg) }
}

// WithNow replaces the wall clock (tests).
func WithNow(now func() time.Time) Option { return func(c *Component) { c.now = now } }

// New checks the configuration and dependencies. It does no I/O.
func New(cfg Config, promises Promises, chain Chain, ledgers Ledgers, fees Fees, clock Clock, signer TxSigner, log zerolog.Logger, opts ...Option) (*Component, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	switch {
	case promises == nil:
		return nil, fmt.Errorf("%w: no promise source", ErrConfig)
	case chain == nil:
		return nil, fmt.Errorf("%w: no execution client", ErrConfig)
	case ledgers == nil:
		return nil, fmt.Errorf("%w: no registry reader", ErrConfig)
	case fees == nil:
		return nil, fmt.Errorf("%w: no fee source", ErrConfig)
	case clock == nil:
		return nil, fmt.Errorf("%w: no slot clock", ErrConfig)
	case signer == nil:
		return nil, fmt.Errorf("%w: no committer signer", ErrConfig)
	}
	l := &Component{
		cfg:        c,
		promises:   promises,
		chain:      chain,
		ledgers:    ledgers,
		fees:       fees,
		clock:      clock,
		signer:     signer,
		chainID:    new(big.Int).SetUint64(c.ChainID),
		log:        log.With().Str("component", "ledger").Logger(),
		now:        time.Now,
		todo:       make(map[uint64]*slotState),
		unreleased: make(map[uint64]bool),
		opened:     make(map[uint64]common.Hash),
	}
	for _, o := range opts {
		o(l)
	}
	if l.metrics == nil {
		l.metrics = newMetrics(nil)
	}
	return l, nil
}

// Err is nil while the ledgers due are opened; otherwise it says which
// slot's ledger is not and why (the sidecar's readiness reports it, and the
// sidecar sells nothing meanwhile: a promise in no ledger is void). A slot
// still being tried degrades until its ledger
// opens; a slot given up degrades for one grace, or until a later slot's
// ledger opens.
func (l *Component) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Watermark is the slot below which every ledger of ours is released (or
// was never opened): the engine may forget the exposure of those slots
// only (admission.Engine.PruneBefore). Zero until the first scan is done.
func (l *Component) Watermark() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.watermark
}

// Opened returns the openLedger transaction that opened slot's ledger in
// this run, if any.
func (l *Component) Opened(slot uint64) (common.Hash, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.opened[slot]
	return h, ok
}

// Run opens and releases ledgers until ctx ends. It returns nil then; a
// failure is logged, counted and reported by Err, never returned.
func (l *Component) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		l.Tick(ctx)
		t.Reset(l.interval())
	}
}

// interval is the time to the next tick: Config.Interval, or a quarter of a
// slot once the beacon node gave the clock (a second until then).
func (l *Component) interval() time.Duration {
	if l.cfg.Interval > 0 {
		return l.cfg.Interval
	}
	if d := l.clock.Clock().SlotDuration / 4; d > 0 {
		return d
	}
	return time.Second
}

// Tick does one round: it follows the transactions in flight, finds the
// slots due, opens their ledgers and releases the expired ones. Run calls
// it; tests call it directly.
func (l *Component) Tick(ctx context.Context) {
	clock := l.clock.Clock()
	if clock.SlotDuration <= 0 {
		return // the beacon node has not given the clock yet
	}
	cur := clock.SlotAt(l.now())
	if l.balanceAt.IsZero() || l.now().Sub(l.balanceAt) >= balanceEvery {
		l.balanceAt = l.now()
		l.checkBalance(ctx)
	}
	l.follow(ctx, cur)
	if err := l.findSlots(ctx, cur); err != nil {
		if ctx.Err() == nil {
			l.log.Warn().Err(err).Uint64("slot", cur).Msg("look for slots due a ledger")
		}
		return
	}
	for _, slot := range slices.Sorted(maps.Keys(l.todo)) {
		if ctx.Err() != nil {
			return
		}
		l.openDue(ctx, l.todo[slot], cur)
	}
	l.releaseExpired(ctx, cur)
	l.updateWatermark()
	l.updateHealth(cur)
}

// findSlots adds to todo the slots whose deadline passed since the last
// look: every slot up to the current one is sealed first, so their promises
// are all in the store. The first look reaches back over the grace; older
// slots with promises are only checked for a ledger to release.
func (l *Component) findSlots(ctx context.Context, cur uint64) error {
	if l.scanned && cur <= l.lastSeen {
		return nil
	}
	if err := l.promises.SealThrough(ctx, cur); err != nil {
		return err
	}
	from := l.lastSeen + 1
	if !l.scanned {
		from = 0
	}
	slots, err := l.promises.PromisedSlots(from, cur+1)
	if err != nil {
		return err
	}
	for _, s := range slots {
		if s+l.cfg.Grace >= cur {
			if l.todo[s] == nil {
				l.todo[s] = &slotState{slot: s}
			}
			continue
		}
		// Past its grace (only on the first look, after a restart): its
		// ledger is what it is; one still reserving is ours to release.
		lg, err := l.ledgers.LedgerOf(ctx, l.cfg.Operator, s)
		if err != nil {
			return err
		}
		if lg.Exists() && !lg.Released {
			l.setUnreleased(s, true)
		}
	}
	if !l.scanned {
		l.log.Info().Int("slots_due", len(l.todo)).Int("unreleased", l.unreleasedCount()).Uint64("slot", cur).Msg("ledgers scanned")
	}
	l.scanned, l.lastSeen = true, cur
	return nil
}

// openDue handles one slot due a ledger: done when it has one, given up
// when its grace is over, otherwise its openLedger is sent.
func (l *Component) openDue(ctx context.Context, st *slotState, cur uint64) {
	if st.sending {
		return
	}
	slotLog := l.log.With().Uint64("slot", st.slot).Logger()
	lg, err := l.ledgers.LedgerOf(ctx, l.cfg.Operator, st.slot)
	if err != nil {
		st.lastErr = fmt.Errorf("read the ledger: %w", err)
		return
	}
	if lg.Exists() {
		// Opened already: by us before a restart, or by a transaction we
		// lost track of. Never twice.
		delete(l.todo, st.slot)
		if !lg.Released {
			l.setUnreleased(st.slot, true)
		}
		slotLog.Debug().Uint32("leaves", lg.Count).Msg("ledger already open")
		return
	}
	if cur > st.slot+l.cfg.Grace {
		l.giveUp(st, "grace_over", fmt.Errorf("grace of %d slots over at slot %d; last error: %v", l.cfg.Grace, cur, st.lastErr), cur)
		return
	}
	if st.attempts >= maxAttempts {
		l.giveUp(st, "attempts", fmt.Errorf("%d transactions failed; last error: %v", st.attempts, st.lastErr), cur)
		return
	}
	if st.tree == nil {
		leaves, err := l.promises.LedgerLeaves(ctx, st.slot)
		if err != nil {
			st.lastErr = err
			return
		}
		if len(leaves) == 0 {
			delete(l.todo, st.slot)
			return
		}
		tree, err := protocol.NewLedger(leaves)
		if err != nil {
			l.giveUp(st, "malformed", err, cur)
			return
		}
		data, err := registry.OpenLedgerData(l.cfg.Operator, st.slot, l.cfg.Poster, tree.Pack())
		if err != nil {
			l.giveUp(st, "malformed", fmt.Errorf("pack openLedger: %w", err), cur)
			return
		}
		st.tree, st.data = tree, data
	}
	tree, data := st.tree, st.data
	gas, err := l.estimate(ctx, data)
	if err != nil {
		l.refused(ctx, st, err, cur)
		return
	}
	tx, err := l.send(ctx, &sentTx{kind: kindOpen, slot: st.slot, data: data, gas: gas, leaves: len(tree.Leaves), total: tree.Total()}, cur)
	if err != nil {
		st.lastErr = err
		slotLog.Warn().Err(err).Msg("send openLedger")
		return
	}
	st.sending = true
	st.attempts++
	slotLog.Info().Str("tx_hash", tx.Hash().Hex()).Int("leaves", len(tree.Leaves)).Str("total", tree.Total().String()).
		Str("root", tree.Root().Hex()).Msg("ledger sent")
}

// refused handles an openLedger the node foresees reverting.
func (l *Component) refused(ctx context.Context, st *slotState, err error, cur uint64) {
	switch {
	case errors.Is(err, registry.ErrLedgerTooEarly):
		// The head is still before the slot (its block is not in yet, or
		// the slot was missed): the next block is in it or later.
		return
	case errors.Is(err, registry.ErrLedgerExists):
		delete(l.todo, st.slot)
		l.setUnreleased(st.slot, true)
		return
	case errors.Is(err, registry.ErrNotEnoughFree):
		// Expired ledgers may still hold what this one needs: release them
		// now rather than at the next batch, and try again next tick.
		if st.lastErr == nil || !errors.Is(st.lastErr, registry.ErrNotEnoughFree) {
			l.metrics.failures.WithLabelValues("free_collateral").Inc()
			l.log.Warn().Err(err).Uint64("slot", st.slot).Msg("openLedger refused: not enough free collateral; releasing expired ledgers")
		}
		st.lastErr = err
		l.releaseExpiredNow(ctx, cur)
		return
	case errors.Is(err, registry.ErrNotCommitter), errors.Is(err, registry.ErrRevokedCommitter),
		errors.Is(err, registry.ErrLedgerAfterExit), errors.Is(err, registry.ErrLedgerTooLate),
		errors.Is(err, registry.ErrNotRegistered), errors.Is(err, registry.ErrMalformedLedger),
		errors.Is(err, registry.ErrLedgerNotSorted):
		l.giveUp(st, reasonOf(err), err, cur)
		return
	}
	if st.lastErr == nil || st.lastErr.Error() != err.Error() {
		l.log.Warn().Err(err).Uint64("slot", st.slot).Msg("openLedger refused by the node; trying again")
	}
	st.lastErr = err
}

// giveUp stops trying slot's ledger: its promises are void on-chain
// (docs/protocol.md §9.0), which the log and the metric say loudly.
func (l *Component) giveUp(st *slotState, reason string, why error, cur uint64) {
	delete(l.todo, st.slot)
	err := fmt.Errorf("%w: slot %d: %w", ErrNotOpened, st.slot, why)
	l.gaveUp, l.gaveUpSlot, l.gaveUpAt = err, st.slot, cur
	l.metrics.failures.WithLabelValues(reason).Inc()
	l.log.Error().Err(err).Uint64("slot", st.slot).Str("reason", reason).Msg("ledger not opened: the slot's promises are in no ledger, so void on-chain")
}

// updateHealth sets Err: the first slot still tried that failed, else the
// last slot given up, for one grace after.
func (l *Component) updateHealth(cur uint64) {
	var err error
	for _, slot := range slices.Sorted(maps.Keys(l.todo)) {
		st := l.todo[slot]
		if st.lastErr != nil && !errors.Is(st.lastErr, registry.ErrLedgerTooEarly) {
			err = fmt.Errorf("%w: slot %d (trying again until slot %d): %w", ErrNotOpened, slot, slot+l.cfg.Grace, st.lastErr)
			break
		}
	}
	if err == nil && l.gaveUp != nil {
		if cur <= l.gaveUpAt+l.cfg.Grace {
			err = l.gaveUp
		} else {
			l.gaveUp = nil
		}
	}
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
}

func (l *Component) setUnreleased(slot uint64, v bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if v {
		l.unreleased[slot] = true
	} else {
		delete(l.unreleased, slot)
	}
}

func (l *Component) unreleasedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.unreleased)
}

// updateWatermark recomputes the slot below which every ledger is released.
func (l *Component) updateWatermark() {
	if !l.scanned {
		return
	}
	w := l.lastSeen + 1
	for s := range l.todo {
		w = min(w, s)
	}
	for _, t := range l.txs {
		if t.kind == kindOpen {
			w = min(w, t.slot)
		}
	}
	l.mu.Lock()
	for s := range l.unreleased {
		w = min(w, s)
	}
	l.watermark = w
	l.mu.Unlock()
}

// checkBalance warns when the committer account runs low: it pays the gas
// of every ledger.
func (l *Component) checkBalance(ctx context.Context) {
	from := l.signer.Address()
	bal, err := l.chain.BalanceAt(ctx, from, nil)
	if err != nil {
		return
	}
	l.metrics.balance.Set(weiToEther(bal))
	if bal.Cmp(l.cfg.MinBalance) >= 0 {
		l.lowSince = time.Time{}
		return
	}
	if !l.lowSince.IsZero() && l.now().Sub(l.lowSince) < 10*time.Minute {
		return
	}
	l.lowSince = l.now()
	l.log.Warn().Str("committer", from.Hex()).Str("balance_wei", bal.String()).Str("min_wei", l.cfg.MinBalance.String()).
		Msg("committer balance low: it pays the gas of the slot ledgers; fund it")
}

func weiToEther(v *big.Int) float64 {
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(v), big.NewFloat(params.Ether)).Float64()
	return f
}
