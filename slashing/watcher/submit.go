package watcher

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/slashing"
)

var slasherABI = func() *abi.ABI {
	a, err := bindings.SlasherMetaData.GetAbi()
	if err != nil {
		panic(fmt.Sprintf("watcher: Slasher ABI: %v", err))
	}
	return a
}()

// callData encodes the Slasher call that slashes sp with the verdict's evidence.
func callData(sp slashing.SignedPromise, v *slashing.Verdict) ([]byte, error) {
	payload, err := sp.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	switch ev := v.Evidence.(type) {
	case *slashing.SafetyEvidence:
		b, err := ev.Binding()
		if err != nil {
			return nil, err
		}
		return slasherABI.Pack("slashSafety", payload, sp.Signature, big.NewInt(int64(ev.Index)), b)
	case *slashing.LivenessEvidence:
		return slasherABI.Pack("slashLiveness", payload, sp.Signature, ev.Header1, ev.Header2)
	case *slashing.L2Evidence:
		hs := make([][32]byte, len(ev.TxHashes))
		for i, h := range ev.TxHashes {
			hs[i] = h
		}
		return slasherABI.Pack("slashL2Inclusion", payload, sp.Signature, big.NewInt(int64(ev.Index)), ev.Header, hs)
	}
	return nil, fmt.Errorf("%w: no evidence for fault %s", ErrBadConfig, v.Fault)
}

// equivocationData encodes Slasher.slashEquivocation.
func equivocationData(ev *slashing.EquivocationEvidence) ([]byte, error) {
	a, err := ev.A.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	b, err := ev.B.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	return slasherABI.Pack("slashEquivocation", a, ev.A.Signature, big.NewInt(int64(ev.IndexA)), b, ev.B.Signature, big.NewInt(int64(ev.IndexB)))
}

// errSettled reports evidence not sent because a promise is settled already.
var errSettled = errors.New("already settled on-chain")

// submit signs the evidence call, journals it, then sends it. Before anything
// it asks the Slasher whether a promise is settled, so a watcher that lost its
// journal still does not pay for evidence that would revert.
func (w *Watcher) submit(ctx context.Context, head *types.Header, digests []common.Hash, fault string, data []byte) error {
	for _, d := range digests {
		settled, err := w.dep.Contracts.Settled(ctx, d)
		if err != nil {
			return err
		}
		if settled {
			e := w.entry(d)
			p := e.sp.Promise
			if err := w.journal.Append(Record{Digest: d, State: StateRefused, Slot: p.Slot, Operator: p.Operator, Reason: slashing.ErrSettled.Error()}); err != nil {
				return err
			}
			w.setState(d, StateRefused)
			return fmt.Errorf("%s: %w", d, errSettled)
		}
	}
	gas, err := w.backend.EstimateGas(ctx, ethereum.CallMsg{From: w.addr, To: &w.dep.Slasher, Data: data})
	if err != nil {
		return fmt.Errorf("estimate gas of the evidence: %w", err)
	}
	tip, feeCap, err := w.fees(ctx, head, nil)
	if err != nil {
		return err
	}
	nonce, err := w.takeNonce(ctx)
	if err != nil {
		return err
	}
	s := &submission{digests: digests, fault: fault, fresh: true}
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

// sign signs tx for s and journals it as the pending evidence of every digest
// of s, before it is sent: a crash after this re-sends this very transaction.
func (w *Watcher) sign(s *submission, tx *types.DynamicFeeTx) error {
	signed, err := types.SignNewTx(w.key, types.LatestSignerForChainID(w.chainID), tx)
	if err != nil {
		return fmt.Errorf("sign evidence: %w", err)
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encode evidence: %w", err)
	}
	h := signed.Hash()
	recs := make([]Record, 0, len(s.digests))
	for _, d := range s.digests {
		p := w.entry(d).sp.Promise
		recs = append(recs, Record{Digest: d, State: StatePending, Slot: p.Slot, Operator: p.Operator, Fault: s.fault, Tx: &h, RawTx: raw})
	}
	if err := w.journal.Append(recs...); err != nil {
		return err
	}
	for _, d := range s.digests {
		w.setState(d, StatePending)
	}
	s.tx = signed
	s.txs = append(s.txs, PendingTx{Hash: h, Raw: raw, Fault: s.fault})
	return nil
}

// fees returns the tip and fee cap for an evidence transaction: the node's
// suggested tip and room for the base fee to double; at least 25 % above prev
// (a replacement must outbid the transaction it replaces).
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
		w.m.submissions.WithLabelValues(resultSent).Inc()
		w.opts.log.Info().Str("tx_hash", s.tx.Hash().Hex()).Str("commitment", s.digests[0].Hex()).Msgf("%s evidence sent", s.fault)
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
	w.m.submissions.WithLabelValues(resultError).Inc()
	s.tries++
	s.nextTry = w.opts.now().Add(w.backoff(s.tries))
	w.opts.log.Warn().Err(err).Str("tx_hash", s.tx.Hash().Hex()).Msg("sending evidence failed; will retry")
}

// followSubmissions resolves the evidence transactions in flight: mined
// (slashed or reverted), lost (their nonce used by another transaction),
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
		// Our nonce went to a transaction we did not send for this evidence.
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
		w.m.submissions.WithLabelValues(resultReplaced).Inc()
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

// mined records the outcome of a mined evidence transaction.
func (w *Watcher) mined(ctx context.Context, s *submission, r *types.Receipt) error {
	if r.Status == types.ReceiptStatusSuccessful {
		h := r.TxHash
		recs := make([]Record, 0, len(s.digests))
		for _, d := range s.digests {
			p := w.entry(d).sp.Promise
			recs = append(recs, Record{Digest: d, State: StateSlashed, Slot: p.Slot, Operator: p.Operator, Fault: s.fault, Tx: &h})
		}
		if err := w.journal.Append(recs...); err != nil {
			return err
		}
		for _, d := range s.digests {
			w.setState(d, StateSlashed)
		}
		w.m.submissions.WithLabelValues(resultMined).Inc()
		w.opts.log.Info().Str("tx_hash", h.Hex()).Str("commitment", s.digests[0].Hex()).Uint64("slot", w.entry(s.digests[0]).sp.Promise.Slot).Msgf("slashed: %s", s.fault)
		return nil
	}
	w.m.submissions.WithLabelValues(resultReverted).Inc()
	return w.lost(ctx, s, fmt.Sprintf("evidence tx %s reverted", r.TxHash.Hex()))
}

// lost resolves a submission whose transaction will not slash: a promise
// settled meanwhile (by another watcher) is refused; the others are judged again.
func (w *Watcher) lost(ctx context.Context, s *submission, why string) error {
	var errs []error
	for _, d := range s.digests {
		settled, err := w.dep.Contracts.Settled(ctx, d)
		if err != nil {
			// Judged again; the judge reads settled itself before any new evidence.
			settled = false
			errs = append(errs, err)
		}
		e := w.entry(d)
		p := e.sp.Promise
		rec := Record{Digest: d, State: StateSeen, Slot: p.Slot, Operator: p.Operator, Reason: why + "; judging again"}
		if settled {
			rec.State, rec.Reason = StateRefused, slashing.ErrSettled.Error()+" ("+why+")"
		}
		if err := w.journal.Append(rec); err != nil {
			return errors.Join(append(errs, err)...)
		}
		w.setState(d, rec.State)
		if rec.State == StateSeen {
			w.mu.Lock()
			e.attempts++
			e.nextTry = w.opts.now().Add(w.backoff(e.attempts))
			w.mu.Unlock()
		}
	}
	if len(s.digests) == 2 {
		// An equivocation pair is tried again as a pair (equivocations skips it if settled).
		pair := [2]common.Hash{s.digests[0], s.digests[1]}
		w.mu.Lock()
		w.eqPairs = append(w.eqPairs, pair)
		w.mu.Unlock()
		delete(w.eqDone, pair)
	}
	w.opts.log.Warn().Str("commitment", s.digests[0].Hex()).Msg(why)
	return errors.Join(errs...)
}
