package stack

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// SlotResult is one slot of the run.
type SlotResult struct {
	Slot     uint64
	Proposer uint64
	// Source is relay, fallback, local, missed or skipped.
	Source   string
	Block    uint64
	Faulty   bool
	Promises []Promise
	Refused  int
	// Ledger: the slot's ledger is open in the Registry and lists each of
	// its promises; LedgerLeaves counts its leaves (set by the summary).
	Ledger       bool
	LedgerLeaves int
	// LedgerErr says why the ledger check failed, if it did.
	LedgerErr string
}

// Landed counts the slot's promises that landed.
func (r SlotResult) Landed() int {
	n := 0
	for _, p := range r.Promises {
		if p.Landed {
			n++
		}
	}
	return n
}

// Fault is a broken promise the watcher slashed.
type Fault struct {
	Slot     uint64
	Kind     string
	Digest   common.Hash
	TxHashes []common.Hash
	// Evidence is the watcher's slashing transaction.
	Evidence common.Hash
	// Paid is what the Slasher took from the collateral (the user's, burnt and watcher's shares).
	Paid *big.Int
}

// Summary is what a run did.
type Summary struct {
	FirstSlot, FaultySlot uint64
	Slots                 []SlotResult
	Faults                []Fault
	// Kept and Slashed count the watcher's final judgements.
	Kept, Slashed, Refused int
	// CollateralBefore and CollateralAfter are the operator's.
	CollateralBefore, CollateralAfter *big.Int
	PartErrors                        []error
}

// Err says what went wrong: a promise of an honest slot that did not
// land, a promise of the faulty slot that was not slashed, or a part that
// stopped.
func (s *Summary) Err() error {
	var errs []error
	for _, r := range s.Slots {
		for _, p := range r.Promises {
			switch {
			case r.Faulty && p.State != watcher.StateSlashed:
				errs = append(errs, fmt.Errorf("%w: slot %d (faulty) promise %s is %s", ErrNotSlashed, r.Slot, short(p.Digest), orNone(p.State)))
			case !r.Faulty && !p.Landed:
				errs = append(errs, fmt.Errorf("%w: slot %d promise %s for tx %s", ErrNotLanded, r.Slot, short(p.Digest), p.TxHash.Hex()))
			}
		}
		if len(r.Promises) > 0 && !r.Ledger {
			errs = append(errs, fmt.Errorf("%w: slot %d with %d promises: %s", ErrNoLedger, r.Slot, len(r.Promises), r.LedgerErr))
		}
	}
	errs = append(errs, s.PartErrors...)
	return errors.Join(errs...)
}

func orNone(st watcher.State) string {
	if st == "" {
		return "not judged"
	}
	return string(st)
}

// report prints a line per slot of the run once its block is in and its
// L2 transactions had time to be derived, prints faults as the watcher
// slashes them, and ends the run when the last slot is judged.
func (s *Stack) report(ctx context.Context) {
	defer close(s.done)
	l2 := map[uint64]*ethclient.Client{}
	for _, n := range s.rollups {
		if c, err := ethclient.Dial(n.URL()); err == nil {
			l2[n.ChainID()] = c
			defer c.Close()
		}
	}
	printed := map[common.Hash]bool{}
	var results []SlotResult
	var faults []Fault
	defer func() {
		s.summary = s.summarize(results, faults)
		s.printSummary(s.summary)
	}()
	for slot := s.firstSlot; s.lastSlot == 0 || slot <= s.lastSlot; slot++ {
		if !sleepUntil(ctx, s.net.SlotStart(slot+1).Add(s.cfg.SlotDuration/2)) {
			return
		}
		faults = append(faults, s.newFaults(ctx, printed)...)
		results = append(results, s.evaluate(ctx, slot, l2))
	}
	// Settle: the watcher judges a slot once the next one has a block, and
	// its evidence is mined a slot or two later.
	deadline := s.net.SlotStart(s.lastSlot + 10)
	for time.Now().Before(deadline) {
		faults = append(faults, s.newFaults(ctx, printed)...)
		if s.allJudged() {
			return
		}
		if !sleepUntil(ctx, time.Now().Add(s.cfg.SlotDuration/4)) {
			return
		}
	}
	s.out.linef("run over: some promises were still not judged by the watcher")
}

// allJudged says whether the watcher reached a final state for every promise.
func (s *Stack) allJudged() bool {
	for _, p := range s.track.all() {
		rec, ok := s.journal.Latest(p.Digest)
		if !ok || !rec.State.Final() {
			return false
		}
	}
	return true
}

// evaluate checks where the slot's promises landed and prints its line.
func (s *Stack) evaluate(ctx context.Context, slot uint64, l2 map[uint64]*ethclient.Client) SlotResult {
	res := SlotResult{Slot: slot, Proposer: s.net.Proposer(slot).Index, Source: string(devnet.SourceMissed), Faulty: slot == s.faulty}
	var rec *devnet.SlotRecord
	for _, r := range s.net.Records() {
		if r.Slot == slot {
			rec = &r
		}
	}
	if rec != nil {
		res.Source, res.Block = string(rec.Source), rec.BlockNumber
		if rec.Source == devnet.SourceRelay {
			if at, next, ok := s.track.fallbackCounts(slot); ok && next > at {
				res.Source = "fallback"
			}
		}
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.SlotDuration/2)
	defer cancel()
	perRollup := map[uint64]int{}
	var nL1, nL2 int
	for _, p := range s.track.promises(slot) {
		landed := false
		if p.L2 {
			nL2++
			if c := l2[p.ChainID]; c != nil {
				r, err := c.TransactionReceipt(cctx, p.TxHash)
				landed = err == nil && r != nil
			}
			if landed {
				perRollup[p.ChainID]++
			}
		} else {
			nL1++
			if rec != nil && rec.BlockHash != (common.Hash{}) {
				r, err := s.el.TransactionReceipt(cctx, p.TxHash)
				landed = err == nil && r.BlockHash == rec.BlockHash
			}
		}
		s.track.setLanded(p.Digest, landed)
	}
	res.Promises = s.track.promises(slot)
	res.Refused = s.track.refusedIn(slot)
	s.out.linef("%s", slotLine(res, nL1, nL2, perRollup, s.rollupIDs()))
	return res
}

// rollupIDs are the rollups shown on slot lines: those the sidecar offers.
func (s *Stack) rollupIDs() []uint64 {
	var out []uint64
	for _, n := range s.rollups {
		if s.track.isOffered(n.ChainID()) {
			out = append(out, n.ChainID())
		}
	}
	return out
}

// slotLine is `slot 12  proposer 2 (ours)  block 11 from relay  promised 5
// (4 L1, 1 L2)  landed 5/5  rollup 167001 batch 1 tx`.
func slotLine(r SlotResult, nL1, nL2 int, perRollup map[uint64]int, rollups []uint64) string {
	var b strings.Builder
	// Every validator is registered to the stack's operator.
	fmt.Fprintf(&b, "slot %-4d proposer %d (ours)  ", r.Slot, r.Proposer)
	switch r.Source {
	case string(devnet.SourceMissed), string(devnet.SourceSkipped):
		fmt.Fprintf(&b, "no block (%s)", r.Source)
	default:
		fmt.Fprintf(&b, "block %d from %s", r.Block, r.Source)
	}
	if r.Faulty {
		b.WriteString(" (faulty proposer: promised txs dropped)")
	}
	fmt.Fprintf(&b, "  promised %d (%d L1, %d L2)  landed %d/%d", len(r.Promises), nL1, nL2, r.Landed(), len(r.Promises))
	if r.Refused > 0 {
		fmt.Fprintf(&b, "  refused %d", r.Refused)
	}
	for _, id := range rollups {
		fmt.Fprintf(&b, "  rollup %d batch %d tx", id, perRollup[id])
	}
	return b.String()
}

// newFaults prints the watcher's new final judgements that matter: a
// slashed promise, or one it cannot slash.
func (s *Stack) newFaults(ctx context.Context, printed map[common.Hash]bool) []Fault {
	var out []Fault
	for _, rec := range s.journal.Outcomes() {
		if printed[rec.Digest] || !rec.State.Final() {
			continue
		}
		printed[rec.Digest] = true
		s.track.setState(rec.Digest, rec.State)
		p, ours := s.track.byHash(rec.Digest)
		switch rec.State {
		case watcher.StateSlashed:
			f := Fault{Slot: rec.Slot, Kind: rec.Fault, Digest: rec.Digest}
			if ours {
				f.TxHashes = []common.Hash{p.TxHash}
			} else if sc := s.journal.Promise(rec.Digest); sc != nil {
				if pr, err := sc.Open(s.chainID.Uint64()); err == nil {
					for _, inc := range pr.Inclusions {
						f.TxHashes = append(f.TxHashes, inc.TxHash)
					}
				}
			}
			if rec.Tx != nil {
				f.Evidence = *rec.Tx
				f.Paid = s.slashedAmount(ctx, *rec.Tx, rec.Digest)
			}
			out = append(out, f)
			s.out.linef("%s", faultLine(f))
		case watcher.StateRefused:
			s.out.linef("WATCH slot %d: promise %s cannot be slashed: %s", rec.Slot, short(rec.Digest), rec.Reason)
		}
	}
	return out
}

// slashedAmount reads what the evidence transaction took from the
// collateral, from the Slasher's PromiseSlashed event.
func (s *Stack) slashedAmount(ctx context.Context, tx, digest common.Hash) *big.Int {
	r, err := s.el.TransactionReceipt(ctx, tx)
	if err != nil {
		return nil
	}
	f, err := bindings.NewSlasherFilterer(s.contracts.Slasher, nil)
	if err != nil {
		return nil
	}
	for _, l := range r.Logs {
		ev, err := f.ParsePromiseSlashed(*l)
		if err != nil || common.Hash(ev.Digest) != digest {
			continue
		}
		return new(big.Int).Set(ev.Taken)
	}
	return nil
}

// faultLine is `FAULT slot 14: safety, promise 0x.. tx 0x.. missing —
// watcher slashed 0.012 ETH: tx 0x..`.
func faultLine(f Fault) string {
	txs := make([]string, len(f.TxHashes))
	for i, h := range f.TxHashes {
		txs[i] = short(h)
	}
	paid := "?"
	if f.Paid != nil {
		paid = formatETH(f.Paid)
	}
	return fmt.Sprintf("FAULT slot %d: %s, promise %s tx %s missing — watcher slashed %s ETH: tx %s",
		f.Slot, f.Kind, short(f.Digest), strings.Join(txs, ","), paid, f.Evidence.Hex())
}

// formatETH prints wei as ETH with up to 6 decimals.
func formatETH(wei *big.Int) string {
	s := new(big.Float).Quo(new(big.Float).SetInt(wei), big.NewFloat(1e18)).Text('f', 6)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func (s *Stack) summarize(results []SlotResult, faults []Fault) *Summary {
	sum := &Summary{FirstSlot: s.firstSlot, FaultySlot: s.faulty, Slots: results, Faults: faults, CollateralBefore: s.collateralBefore}
	for i := range sum.Slots {
		for j := range sum.Slots[i].Promises {
			p := &sum.Slots[i].Promises[j]
			if rec, ok := s.journal.Latest(p.Digest); ok {
				p.State = rec.State
			}
			switch p.State {
			case watcher.StateKept:
				sum.Kept++
			case watcher.StateSlashed:
				sum.Slashed++
			case watcher.StateRefused:
				sum.Refused++
			}
		}
	}
	s.checkLedgers(sum.Slots)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, err := s.collateral(ctx); err == nil {
		sum.CollateralAfter = c
	}
	return sum
}

// checkLedgers sets each slot's ledger result: the sidecar opens a slot's
// ledger once the slot starts, so each is waited for until the slot's grace
// is over (a few slots when all goes well).
func (s *Stack) checkLedgers(slots []SlotResult) {
	reg, err := bindings.NewRegistry(s.contracts.Registry, s.el)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	grace, err := reg.LedgerGrace(&bind.CallOpts{Context: ctx})
	if err != nil {
		grace = 4
	}
	for i := range slots {
		r := &slots[i]
		if len(r.Promises) == 0 {
			continue
		}
		n, err := s.ledgerOf(ctx, reg, r.Slot, grace, r.Promises)
		r.Ledger, r.LedgerLeaves = err == nil, n
		if err != nil {
			r.LedgerErr = err.Error()
		}
	}
}

// ledgerOf waits for the ledger of slot and checks it lists promises; it
// returns its leaf count.
func (s *Stack) ledgerOf(ctx context.Context, reg *bindings.Registry, slot, grace uint64, promises []Promise) (int, error) {
	deadline := s.net.SlotStart(slot + grace + 1)
	for {
		lg, err := reg.LedgerOf(&bind.CallOpts{Context: ctx}, s.operator, slot)
		if err != nil {
			return 0, err
		}
		if lg.Count > 0 {
			break
		}
		if time.Now().After(deadline) {
			return 0, errors.New("none opened within the ledger grace")
		}
		if !sleepUntil(ctx, time.Now().Add(s.cfg.SlotDuration/4)) {
			return 0, ctx.Err()
		}
	}
	it, err := reg.FilterLedgerOpened(&bind.FilterOpts{Context: ctx}, []common.Address{s.operator}, []uint64{slot})
	if err != nil {
		return 0, err
	}
	var tree *protocol.Ledger
	for it.Next() {
		tree, err = protocol.DecodeLedger(it.Event.Leaves)
	}
	if cerr := errors.Join(it.Error(), it.Close()); cerr != nil || err != nil || tree == nil {
		return 0, fmt.Errorf("read the LedgerOpened leaves: %w", errors.Join(cerr, err))
	}
	for _, p := range promises {
		if _, ok := tree.Find(p.Digest); !ok {
			return len(tree.Leaves), fmt.Errorf("promise %s is not in the ledger of %d leaves", short(p.Digest), len(tree.Leaves))
		}
	}
	return len(tree.Leaves), nil
}

func (s *Stack) printSummary(sum *Summary) {
	promised, landed := 0, 0
	for _, r := range sum.Slots {
		promised += len(r.Promises)
		landed += r.Landed()
	}
	s.out.linef("---")
	s.out.linef("%d slots, %d promises, %d landed; watcher: %d kept, %d slashed, %d not slashable",
		len(sum.Slots), promised, landed, sum.Kept, sum.Slashed, sum.Refused)
	var sold, ledgers, leaves int
	for _, r := range sum.Slots {
		if len(r.Promises) > 0 {
			sold++
		}
		if r.Ledger {
			ledgers++
			leaves += r.LedgerLeaves
		}
	}
	s.out.linef("slot ledgers: %d of %d slots with promises opened in the Registry (%d leaves)", ledgers, sold, leaves)
	if sum.CollateralBefore != nil && sum.CollateralAfter != nil {
		s.out.linef("operator collateral %s ETH → %s ETH", formatETH(sum.CollateralBefore), formatETH(sum.CollateralAfter))
	}
	if err := sum.Err(); err != nil {
		s.out.linef("FAILED:")
		for _, line := range strings.Split(err.Error(), "\n") {
			s.out.linef("  %s", line)
		}
		return
	}
	s.out.linef("OK: every promise of an honest slot landed, every broken promise was slashed")
}

// fallbackBlocks is the builder proxy's count of fallback blocks delivered.
func (s *Stack) fallbackBlocks() float64 {
	if s.reg == nil {
		return 0
	}
	return counter(s.reg, "pledge_builderproxy_blinded_blocks_total", map[string]string{"source": "fallback", "result": "ok"})
}

// counter sums the samples of a counter family whose labels include want.
func counter(g prometheus.Gatherer, name string, want map[string]string) float64 {
	mfs, err := g.Gather()
	if err != nil {
		return 0
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for k, v := range want {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == k && lp.GetValue() == v {
						found = true
					}
				}
				if !found {
					continue metrics
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}
