package ledger

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/registry"
)

// Kinds of committer transactions, as metric labels.
const (
	kindOpen    = "open"
	kindRelease = "release"
)

// sentTx is one committer transaction in flight: every version sent for its
// nonce (the first and its fee bumps), until one is mined or the nonce is
// used otherwise.
type sentTx struct {
	kind   string
	slot   uint64   // open: the ledger's slot
	slots  []uint64 // release: the ledgers' slots
	data   []byte
	gas    uint64
	leaves int      // open: for the log
	total  *big.Int // open: what the ledger reserves

	nonce    uint64
	tip, cap *big.Int
	hashes   []common.Hash
	sentAt   uint64 // wall slot of the last (re)send
}

// gasMargin pads the estimate: the Registry's reserved counter may be zero
// when the estimate runs and not when the tx does (or the reverse), a
// 17,100-gas difference; the rest is headroom.
func gasMargin(est uint64) uint64 { return est + est/4 + 30_000 }

// estimate asks the node for the call's gas as the committer; a refusal
// comes back as the Registry's decoded revert.
func (l *Component) estimate(ctx context.Context, data []byte) (uint64, error) {
	to := l.cfg.Registry
	gas, err := l.chain.EstimateGas(ctx, ethereum.CallMsg{From: l.signer.Address(), To: &to, Data: data})
	if err != nil {
		return 0, registry.DecodeRevert(err)
	}
	return gasMargin(gas), nil
}

// send signs t with the next free nonce and fees for now, and sends it.
func (l *Component) send(ctx context.Context, t *sentTx, cur uint64) (*types.Transaction, error) {
	from := l.signer.Address()
	nonce, err := l.chain.NonceAt(ctx, from, nil)
	if err != nil {
		return nil, fmt.Errorf("read the nonce of %s: %w", from, err)
	}
	for _, o := range l.txs {
		nonce = max(nonce, o.nonce+1)
	}
	t.nonce = nonce
	t.tip = new(big.Int).Set(l.cfg.PriorityFee)
	if t.cap, err = l.feeCap(t.tip); err != nil {
		return nil, err
	}
	tx, err := l.sign(ctx, t)
	if err != nil {
		return nil, err
	}
	switch err := l.chain.SendTransaction(ctx, tx); {
	case err == nil, alreadyKnown(err):
	case underpriced(err):
		// A transaction of ours holds the nonce already (sent before a
		// restart): follow this one as if sent; the bump replaces the
		// other, or the nonce moves and the ledger is read again.
		l.log.Info().Str("kind", t.kind).Uint64("slot", t.slot).Uint64("nonce", t.nonce).
			Msg("the nonce holds a pending transaction of the committer already; replacing it if it stays")
	case insufficientFunds(err):
		return nil, fmt.Errorf("the committer %s cannot pay the gas (fund it): %w", l.signer.Address(), err)
	default:
		return nil, fmt.Errorf("send %s (nonce %d): %w", tx.Hash(), t.nonce, err)
	}
	t.hashes = append(t.hashes, tx.Hash())
	t.sentAt = cur
	l.txs = append(l.txs, t)
	slices.SortFunc(l.txs, func(a, b *sentTx) int { return cmp.Compare(a.nonce, b.nonce) })
	l.metrics.sent.WithLabelValues(t.kind).Inc()
	return tx, nil
}

// feeCap is at least twice the highest base fee the next block can have,
// plus the tip: the transaction stays includable while the base fee rises
// for a few blocks.
func (l *Component) feeCap(tip *big.Int) (*big.Int, error) {
	base := l.fees.ProjectedBaseFee(1)
	if base == nil {
		return nil, ErrNoBaseFee
	}
	c := new(big.Int).Lsh(base, 1)
	return c.Add(c, tip), nil
}

// sign signs t's current version. A signer that fails (down, slow, an
// answer by another key) fails the send; the caller logs it and the next
// tick tries again, while the slot's grace lasts.
func (l *Component) sign(ctx context.Context, t *sentTx) (*types.Transaction, error) {
	to := l.cfg.Registry
	tx, err := l.signer.SignTx(ctx, types.NewTx(&types.DynamicFeeTx{
		ChainID:   new(big.Int).SetUint64(l.cfg.ChainID),
		Nonce:     t.nonce,
		GasTipCap: t.tip,
		GasFeeCap: t.cap,
		Gas:       t.gas,
		To:        &to,
		Data:      t.data,
	}), l.chainID)
	if err != nil {
		l.metrics.signFailures.WithLabelValues(t.kind).Inc()
		return nil, fmt.Errorf("sign the %s transaction (tried again next tick): %w", t.kind, err)
	}
	return tx, nil
}

// follow looks at every transaction in flight: mined ones are done, ones
// whose nonce went otherwise are forgotten (their slot is looked at again),
// and ones waiting too long are replaced with higher fees.
func (l *Component) follow(ctx context.Context, cur uint64) {
	if len(l.txs) == 0 {
		return
	}
	// The nonce first: a receipt that appears after it still counts.
	latest, err := l.chain.NonceAt(ctx, l.signer.Address(), nil)
	if err != nil {
		l.log.Warn().Err(err).Msg("read the committer's nonce")
		return
	}
	keep := l.txs[:0]
	for _, t := range l.txs {
		rcpt, err := l.receipt(ctx, t)
		switch {
		case err != nil:
			l.log.Warn().Err(err).Str("kind", t.kind).Uint64("slot", t.slot).Msg("read receipt")
			keep = append(keep, t)
		case rcpt != nil:
			l.mined(ctx, t, rcpt)
		case latest > t.nonce:
			// Another transaction used the nonce (none of ours, or one
			// whose receipt is not served): look at the chain afresh.
			l.log.Warn().Str("kind", t.kind).Uint64("slot", t.slot).Uint64("nonce", t.nonce).Msg("transaction's nonce used by another; looking at the ledger again")
			l.lost(t)
		default:
			if cur >= t.sentAt+l.cfg.BumpAfter {
				l.bump(ctx, t, cur)
			}
			keep = append(keep, t)
		}
	}
	l.txs = keep
}

// receipt returns the receipt of whichever version of t was mined, or nil.
func (l *Component) receipt(ctx context.Context, t *sentTx) (*types.Receipt, error) {
	for _, h := range t.hashes {
		r, err := l.chain.TransactionReceipt(ctx, h)
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	return nil, nil
}

// bump replaces t with a version paying 25 % more (geth wants 10 %), and at
// least twice the projected base fee.
func (l *Component) bump(ctx context.Context, t *sentTx, cur uint64) {
	up := func(v *big.Int) *big.Int {
		n := new(big.Int).Mul(v, big.NewInt(5))
		return n.Add(n.Quo(n, big.NewInt(4)), common.Big1)
	}
	t.tip = up(t.tip)
	c := up(t.cap)
	if floor, err := l.feeCap(t.tip); err == nil && floor.Cmp(c) > 0 {
		c = floor
	}
	t.cap = c
	t.sentAt = cur
	tx, err := l.sign(ctx, t)
	if err != nil {
		l.log.Warn().Err(err).Str("kind", t.kind).Uint64("slot", t.slot).Msg("replace transaction: not signed; the one in flight stays")
		return
	}
	if err := l.chain.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
		// Underpriced for the node: the next bump pays more.
		l.log.Warn().Err(err).Str("kind", t.kind).Uint64("slot", t.slot).Str("tx_hash", tx.Hash().Hex()).Msg("replace transaction")
		return
	}
	t.hashes = append(t.hashes, tx.Hash())
	l.metrics.replaced.WithLabelValues(t.kind).Inc()
	l.log.Info().Str("kind", t.kind).Uint64("slot", t.slot).Uint64("nonce", t.nonce).Str("tx_hash", tx.Hash().Hex()).
		Str("tip_wei", t.tip.String()).Str("fee_cap_wei", t.cap.String()).Msg("transaction replaced with higher fees")
}

// mined records the outcome of a mined transaction.
func (l *Component) mined(ctx context.Context, t *sentTx, rcpt *types.Receipt) {
	ok := rcpt.Status == types.ReceiptStatusSuccessful
	switch {
	case t.kind == kindOpen && ok:
		delete(l.todo, t.slot)
		l.setUnreleased(t.slot, true)
		l.mu.Lock()
		l.opened[t.slot] = rcpt.TxHash
		l.mu.Unlock()
		if l.gaveUp != nil && t.slot > l.gaveUpSlot {
			l.gaveUp = nil // a later ledger opened: the cause is gone
		}
		l.metrics.opened.Inc()
		l.log.Info().Uint64("slot", t.slot).Str("tx_hash", rcpt.TxHash.Hex()).Int("leaves", t.leaves).
			Str("total", t.total.String()).Uint64("gas_used", rcpt.GasUsed).Uint64("block", rcpt.BlockNumber.Uint64()).Msg("ledger opened")
	case t.kind == kindOpen:
		why := l.replay(ctx, t, rcpt)
		l.metrics.failures.WithLabelValues(reasonOf(why)).Inc()
		l.log.Warn().Err(why).Uint64("slot", t.slot).Str("tx_hash", rcpt.TxHash.Hex()).Msg("openLedger reverted")
		if st := l.todo[t.slot]; st != nil {
			st.sending, st.lastErr = false, fmt.Errorf("transaction %s reverted: %w", rcpt.TxHash, why)
		}
	case ok:
		for _, s := range t.slots {
			l.setUnreleased(s, false)
		}
		l.mu.Lock()
		for _, s := range t.slots {
			delete(l.opened, s) // its window is over: nobody asks any more
		}
		l.mu.Unlock()
		l.metrics.released.Add(float64(len(t.slots)))
		l.log.Info().Int("ledgers", len(t.slots)).Uint64("slot", t.slots[0]).Str("tx_hash", rcpt.TxHash.Hex()).
			Uint64("gas_used", rcpt.GasUsed).Msg("expired ledgers released")
	default:
		why := l.replay(ctx, t, rcpt)
		l.log.Warn().Err(why).Int("ledgers", len(t.slots)).Str("tx_hash", rcpt.TxHash.Hex()).Msg("release reverted; checking the ledgers again")
		l.recheck(ctx, t.slots)
	}
}

// lost forgets a transaction whose nonce another one used.
func (l *Component) lost(t *sentTx) {
	if t.kind == kindOpen {
		if st := l.todo[t.slot]; st != nil {
			st.sending = false // openDue reads the ledger again before sending
		}
	}
	// A release's slots stay unreleased; the next release reads them again.
}

// recheck drops from the unreleased set the slots whose ledger is gone or
// released (after a release reverted).
func (l *Component) recheck(ctx context.Context, slots []uint64) {
	for _, s := range slots {
		lg, err := l.ledgers.LedgerOf(ctx, l.cfg.Operator, s)
		if err != nil {
			return
		}
		if !lg.Exists() || lg.Released {
			l.setUnreleased(s, false)
		}
	}
}

// replay runs a reverted transaction again as a call on its parent block to
// learn the Registry's reason.
func (l *Component) replay(ctx context.Context, t *sentTx, rcpt *types.Receipt) error {
	to := l.cfg.Registry
	var parent *big.Int
	if rcpt.BlockNumber != nil && rcpt.BlockNumber.Sign() > 0 {
		parent = new(big.Int).Sub(rcpt.BlockNumber, common.Big1)
	}
	_, err := l.chain.CallContract(ctx, ethereum.CallMsg{From: l.signer.Address(), To: &to, Gas: t.gas, Data: t.data}, parent)
	if err == nil {
		return fmt.Errorf("reverted (gas used %d of %d); a replay does not", rcpt.GasUsed, t.gas)
	}
	return registry.DecodeRevert(err)
}

// releaseExpired gives back the expired ledgers' reservations: once a full
// batch is expired, or the oldest has waited ReleaseDelay slots.
func (l *Component) releaseExpired(ctx context.Context, cur uint64) {
	l.release(ctx, cur, false)
}

// releaseExpiredNow releases every expired ledger at once (a ledger is
// waiting for their collateral).
func (l *Component) releaseExpiredNow(ctx context.Context, cur uint64) {
	l.release(ctx, cur, true)
}

func (l *Component) release(ctx context.Context, cur uint64, now bool) {
	for _, t := range l.txs {
		if t.kind == kindRelease {
			return // one at a time
		}
	}
	l.mu.Lock()
	var expired []uint64
	for s := range l.unreleased {
		if cur > s+l.cfg.SlashWindow {
			expired = append(expired, s)
		}
	}
	l.mu.Unlock()
	if len(expired) == 0 {
		return
	}
	slices.Sort(expired)
	if !now && len(expired) < l.cfg.ReleaseBatch && cur < expired[0]+l.cfg.SlashWindow+1+l.cfg.ReleaseDelay {
		return
	}
	expired = expired[:min(len(expired), l.cfg.ReleaseBatch)]
	data, err := registry.ReleaseData(l.cfg.Operator, expired)
	if err != nil {
		l.log.Error().Err(err).Msg("pack release")
		return
	}
	gas, err := l.estimate(ctx, data)
	switch {
	case errors.Is(err, registry.ErrLedgerNotExpired):
		return // the head is not past the window yet: next tick
	case err != nil:
		l.log.Warn().Err(err).Int("ledgers", len(expired)).Msg("release refused; checking the ledgers again")
		l.recheck(ctx, expired)
		return
	}
	tx, err := l.send(ctx, &sentTx{kind: kindRelease, slots: expired, data: data, gas: gas}, cur)
	if err != nil {
		l.log.Warn().Err(err).Int("ledgers", len(expired)).Msg("send release")
		return
	}
	l.log.Info().Int("ledgers", len(expired)).Uint64("slot", expired[0]).Str("tx_hash", tx.Hash().Hex()).Msg("release sent")
}

// alreadyKnown: the node has this very transaction already (sent before a
// restart, or twice): it is in flight.
func alreadyKnown(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "already known")
}

// underpriced: another transaction holds the nonce in the node's pool and
// pays more than this one replaces (geth: "replacement transaction
// underpriced").
func underpriced(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "replacement transaction underpriced")
}

// insufficientFunds: the account cannot pay the transaction's gas.
func insufficientFunds(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "insufficient funds")
}
