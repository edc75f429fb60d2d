package watcher

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/slashing"
)

// submission is one transaction of the watcher (and its fee-bumped
// replacements) for one promise: the commitment of its claim, or its evidence.
type submission struct {
	digest common.Hash
	// kind is the state the promise is in while the transaction is out:
	// StateCommitting (Slasher.commitClaim) or StatePending (the evidence).
	kind  State
	fault string
	other *common.Hash // equivocation: promise B
	claim *ClaimRecord // the claim committed (kind committing)
	txs   []PendingTx  // every hash sent for this nonce; the last is current
	tx    *types.Transaction
	sent  bool // the node accepted it (or already knew it)
	fresh bool // never offered to a node: its nonce may still be changed
	// sentAt is the head when it was last offered.
	sentAt  uint64
	tries   int
	nextTry time.Time
}

func (s *submission) what() string {
	if s.kind == StateCommitting {
		return "claim commitment"
	}
	return s.fault + " evidence"
}

// errSettled reports evidence not sent because a promise is settled already.
var errSettled = errors.New("already settled on-chain")

// submitEvidence sends the evidence call for e. Before anything it asks the
// Slasher whether e is settled, so a watcher that lost its journal still does
// not pay for evidence that would revert.
func (w *Watcher) submitEvidence(ctx context.Context, head *types.Header, e *entry, fault string, other *common.Hash, data []byte) error {
	settled, err := w.dep.Contracts.Settled(ctx, e.digest)
	if err != nil {
		return err
	}
	if settled {
		if err := w.record(e, Record{State: StateRefused, Reason: slashing.ErrSettled.Error()}); err != nil {
			return err
		}
		return fmt.Errorf("%s: %w", e.digest, errSettled)
	}
	return w.submit(ctx, head, &submission{digest: e.digest, kind: StatePending, fault: fault, other: other, fresh: true}, data)
}

// submitCommit sends Slasher.commitClaim for e's claim c. The claim is
// journaled with the signed transaction before it is sent.
func (w *Watcher) submitCommit(ctx context.Context, head *types.Header, e *entry, c ClaimRecord, fault string, other *common.Hash) error {
	data, err := slashing.CommitClaimCall(c.Claim().Hash(e.digest))
	if err != nil {
		return err
	}
	return w.submit(ctx, head, &submission{digest: e.digest, kind: StateCommitting, fault: fault, other: other, claim: &c, fresh: true}, data)
}

// submit estimates, signs and journals the call data of s, then sends it.
func (w *Watcher) submit(ctx context.Context, head *types.Header, s *submission, data []byte) error {
	gas, err := w.backend.EstimateGas(ctx, ethereum.CallMsg{From: w.addr, To: &w.dep.Slasher, Data: data})
	if err != nil {
		return fmt.Errorf("estimate gas of the %s: %w", s.what(), err)
	}
	tip, feeCap, err := w.fees(ctx, head, nil)
	if err != nil {
		return err
	}
	nonce, err := w.takeNonce(ctx)
	if err != nil {
		return err
	}
	if err := w.sign(s, &types.DynamicFeeTx{
		ChainID: w.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: gas + gas/4, To: &w.dep.Slasher, Data: data,
	}); err != nil {
		w.freeNonce(nonce)
		return err
	}
	w.subs = append(w.subs, s)
	w.send(ctx, s, head)
	return nil
}

// sign signs tx for s and journals it (with the claim, for a commitment)
// before it is sent: a crash after this re-sends this very transaction.
func (w *Watcher) sign(s *submission, tx *types.DynamicFeeTx) error {
	signed, err := types.SignNewTx(w.key, types.LatestSignerForChainID(w.chainID), tx)
	if err != nil {
		return fmt.Errorf("sign the %s: %w", s.what(), err)
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encode the %s: %w", s.what(), err)
	}
	h := signed.Hash()
	if err := w.record(w.entry(s.digest), Record{State: s.kind, Fault: s.fault, Other: s.other, Tx: &h, RawTx: raw, Claim: s.claim}); err != nil {
		return err
	}
	s.tx = signed
	s.txs = append(s.txs, PendingTx{Hash: h, Raw: raw, Fault: s.fault, State: s.kind, Other: s.other})
	return nil
}

// fees returns the tip and fee cap for a transaction: the node's suggested
// tip and room for the base fee to double; at least 25 % above prev (a
// replacement must outbid the transaction it replaces).
func (w *Watcher) fees(ctx context.Context, head *types.Header, prev *types.Transaction) (tip, feeCap *big.Int, err error) {
	tip, err = w.backend.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("suggest tip: %w", err)
	}
	base := new(big.Int)
	if head.BaseFee != nil {
		base.Set(head.BaseFee)
	}
	feeCap = new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	if prev != nil {
		bump := func(v *big.Int) *big.Int {
			return new(big.Int).Div(new(big.Int).Mul(v, big.NewInt(125)), big.NewInt(100))
		}
		if b := bump(prev.GasTipCap()); b.Cmp(tip) > 0 {
			tip = b
		}
		if b := bump(prev.GasFeeCap()); b.Cmp(feeCap) > 0 {
			feeCap = b
		}
		if feeCap.Cmp(tip) < 0 {
			feeCap = new(big.Int).Set(tip)
		}
	}
	return tip, feeCap, nil
}

// takeNonce returns the next nonce: a nonce given back by an abandoned
// transaction first, else the next after the node's pending nonce and every
// transaction in flight.
func (w *Watcher) takeNonce(ctx context.Context) (uint64, error) {
	if len(w.freed) > 0 {
		lowest := 0
		for i, n := range w.freed {
			if n < w.freed[lowest] {
				lowest = i
			}
		}
		n := w.freed[lowest]
		w.freed = append(w.freed[:lowest], w.freed[lowest+1:]...)
		return n, nil
	}
	if !w.nonceOK {
		if err := w.syncNonce(ctx); err != nil {
			return 0, err
		}
	}
	n := w.nextNonce
	w.nextNonce++
	return n, nil
}

func (w *Watcher) syncNonce(ctx context.Context) error {
	n, err := w.backend.PendingNonceAt(ctx, w.addr)
	if err != nil {
		return fmt.Errorf("pending nonce of %s: %w", w.addr, err)
	}
	for _, s := range w.subs {
		if s.tx != nil && s.tx.Nonce() >= n {
			n = s.tx.Nonce() + 1
		}
	}
	w.nextNonce, w.nonceOK, w.freed = n, true, nil
	return nil
}

func (w *Watcher) freeNonce(n uint64) {
	if w.nonceOK && n == w.nextNonce-1 {
		w.nextNonce--
		return
	}
	w.freed = append(w.freed, n)
}

// nodeSaid says whether err carries one of the texts geth's txpool answers
// with (over JSON-RPC they arrive as an rpc.Error; in-process as plain errors).
func nodeSaid(err error, texts ...string) bool {
	if err == nil {
		return false
	}
	msg := strings.ToLower(err.Error())
	for _, t := range texts {
		if strings.Contains(msg, t) {
			return true
		}
	}
	return false
}

// send offers the current transaction of s to the node. Every failure is
// retried later with backoff: the same signed transaction, so a send that
// reached the node although its answer was lost cannot make a second one.
func (w *Watcher) send(ctx context.Context, s *submission, head *types.Header) {
	err := w.backend.SendTransaction(ctx, s.tx)
	fresh := s.fresh
	s.fresh = false
	switch {
	case err == nil || nodeSaid(err, "already known", "known transaction"):
		s.sent, s.sentAt, s.tries = true, head.Number.Uint64(), 0
		w.m.count(s, resultSent)
		w.opts.log.Info().Str("tx_hash", s.tx.Hash().Hex()).Str("commitment", s.digest.Hex()).Msgf("%s sent", s.what())
		return
	case nodeSaid(err, "nonce too low") && !fresh:
		// The nonce is used: by this transaction (an earlier send whose
		// answer was lost) or by another; followSubmissions tells which.
		s.sent, s.sentAt = true, head.Number.Uint64()
		return
	case nodeSaid(err, "nonce too low"):
		// A fresh transaction met a nonce used outside the watcher: take a new one.
		w.nonceOK = false
		s.fresh = true
	}
	w.m.count(s, resultError)
	s.tries++
	s.nextTry = w.opts.now().Add(w.backoff(s.tries))
	w.opts.log.Warn().Err(err).Str("tx_hash", s.tx.Hash().Hex()).Msgf("sending the %s failed; will retry", s.what())
}

// followSubmissions resolves the transactions in flight: mined (committed,
// slashed or reverted), lost (their nonce used by another transaction),
// unsent (sent again), or waiting too long (replaced with higher fees).
func (w *Watcher) followSubmissions(ctx context.Context, head *types.Header) error {
	if len(w.subs) == 0 {
		return nil
	}
	// The nonce first: a transaction mined after this read is then still
	// found by its receipt below, never taken for lost.
	used, err := w.backend.NonceAt(ctx, w.addr, nil)
	if err != nil {
		return fmt.Errorf("nonce of %s: %w", w.addr, err)
	}
	var errs []error
	live := w.subs[:0]
	for _, s := range w.subs {
		done, err := w.follow(ctx, s, head, used)
		if err != nil {
			errs = append(errs, err)
		}
		if !done {
			live = append(live, s)
		}
	}
	for i := len(live); i < len(w.subs); i++ {
		w.subs[i] = nil
	}
	w.subs = live
	return errors.Join(errs...)
}

// follow handles one submission and says whether it is resolved.
func (w *Watcher) follow(ctx context.Context, s *submission, head *types.Header, used uint64) (bool, error) {
	for _, ptx := range s.txs {
		r, err := w.backend.TransactionReceipt(ctx, ptx.Hash)
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("receipt of %s: %w", ptx.Hash, err)
		}
		return true, w.mined(ctx, s, r)
	}
	nonce := s.tx.Nonce()
	if used > nonce {
		// Our nonce went to a transaction we did not send for this.
		return true, w.lost(ctx, s, "its nonce was used by another transaction")
	}
	now := w.opts.now()
	switch {
	case !s.sent:
		if now.Before(s.nextTry) {
			return false, nil
		}
		if s.fresh && !w.nonceOK {
			// The node refused the nonce before ever taking the transaction: re-sign with a fresh one.
			n, err := w.takeNonce(ctx)
			if err != nil {
				return false, err
			}
			if err := w.resign(ctx, s, head, n, false); err != nil {
				return false, err
			}
		}
		w.send(ctx, s, head)
	case head.Number.Uint64() >= s.sentAt+w.opts.bumpAfter:
		if err := w.resign(ctx, s, head, nonce, true); err != nil {
			return false, err
		}
		w.m.count(s, resultReplaced)
		w.send(ctx, s, head)
	}
	return false, nil
}

// resign signs the same call again with nonce (and higher fees when bump).
func (w *Watcher) resign(ctx context.Context, s *submission, head *types.Header, nonce uint64, bump bool) error {
	var prev *types.Transaction
	if bump {
		prev = s.tx
	}
	tip, feeCap, err := w.fees(ctx, head, prev)
	if err != nil {
		return err
	}
	return w.sign(s, &types.DynamicFeeTx{
		ChainID: w.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: s.tx.Gas(), To: s.tx.To(), Data: s.tx.Data(),
	})
}

// mined records the outcome of a mined transaction of s.
func (w *Watcher) mined(ctx context.Context, s *submission, r *types.Receipt) error {
	if r.Status != types.ReceiptStatusSuccessful {
		w.m.count(s, resultReverted)
		return w.lost(ctx, s, fmt.Sprintf("%s tx %s reverted", s.what(), r.TxHash.Hex()))
	}
	e := w.entry(s.digest)
	h := r.TxHash
	if s.kind == StateCommitting {
		if err := w.record(e, Record{State: StateCommitted, Fault: s.fault, Other: s.other, Tx: &h, CommitBlock: r.BlockNumber.Uint64()}); err != nil {
			return err
		}
		w.m.count(s, resultMined)
		w.opts.log.Info().Str("tx_hash", h.Hex()).Str("commitment", s.digest.Hex()).Uint64("block", r.BlockNumber.Uint64()).Msg("claim committed")
		return nil
	}
	if err := w.record(e, Record{State: StateSlashed, Fault: s.fault, Other: s.other, Tx: &h}); err != nil {
		return err
	}
	w.m.count(s, resultMined)
	w.opts.log.Info().Str("tx_hash", h.Hex()).Str("commitment", s.digest.Hex()).Uint64("slot", e.sp.Promise.Slot).Msgf("slashed: %s", s.fault)
	return nil
}

// lost resolves a submission whose transaction did not do what it was for.
// A commitment found on-chain anyway (a replacement we lost track of) counts
// as mined; evidence of a promise settled meanwhile (by another watcher) is
// refused; otherwise the promise is judged again, with the same claim.
func (w *Watcher) lost(ctx context.Context, s *submission, why string) error {
	e := w.entry(s.digest)
	rec := Record{State: StateSeen, Reason: why + "; judging again"}
	var errs []error
	if s.kind == StateCommitting && s.claim != nil {
		at, err := w.dep.Contracts.ClaimBlock(ctx, s.claim.Claim().Hash(s.digest))
		switch {
		case err != nil:
			errs = append(errs, err) // judged again; the claim is looked up again then
		case at != 0:
			rec = Record{State: StateCommitted, Fault: s.fault, Other: s.other, CommitBlock: at}
		}
	} else {
		settled, err := w.dep.Contracts.Settled(ctx, s.digest)
		switch {
		case err != nil:
			errs = append(errs, err) // judged again; the judge reads settled itself
		case settled:
			rec = Record{State: StateRefused, Reason: slashing.ErrSettled.Error() + " (" + why + ")"}
		}
	}
	if err := w.record(e, rec); err != nil {
		return errors.Join(append(errs, err)...)
	}
	if rec.State == StateSeen {
		w.mu.Lock()
		e.attempts++
		e.nextTry = w.opts.now().Add(w.backoff(e.attempts))
		w.mu.Unlock()
	}
	w.opts.log.Warn().Str("commitment", s.digest.Hex()).Msg(why)
	return errors.Join(errs...)
}
