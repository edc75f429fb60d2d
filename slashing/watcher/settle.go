package watcher

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Settle judges the given promises now (and equivocation among them) and
// waits until each is resolved: kept, refused, or slashed once its claim's
// commitment and then its evidence are mined. A promise whose slot is not final enough yet comes back in state seen
// with the reason; so does one whose judgement failed attempts times.
func (w *Watcher) Settle(ctx context.Context, scs []*protocol.SignedCommitment, attempts int) ([]Record, error) {
	if attempts < 1 {
		attempts = 1
	}
	digests := make([]common.Hash, 0, len(scs))
	for i, sc := range scs {
		d, _, err := w.Add(ctx, sc)
		if err != nil {
			return nil, fmt.Errorf("promise %d: %w", i, err)
		}
		digests = append(digests, d)
	}
	for {
		if err := w.Step(ctx); err != nil {
			w.opts.log.Warn().Err(err).Msg("step failed; retrying")
		}
		head, err := w.backend.HeaderByNumber(ctx, nil)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		out := make([]Record, 0, len(digests))
		for _, d := range digests {
			rec, _ := w.journal.Latest(d)
			e := w.entry(d)
			w.mu.Lock()
			state, tries, reason := e.state, e.attempts, e.reason
			w.mu.Unlock()
			switch {
			case state.Final():
			case state == StateSeen && !w.judgeable(e.sp.Promise.Slot, head):
				rec.Reason = fmt.Sprintf("not yet judgeable: slot %d is judged from slot %d, the chain is at slot %d", e.sp.Promise.Slot, e.sp.Promise.Slot+w.opts.confirmations, w.headSlot(head))
			case state == StateSeen && tries >= attempts:
				rec.Reason = reason
			default:
				out = nil
			}
			if out == nil {
				break
			}
			rec.Promise, rec.RawTx, rec.Claim = nil, nil, nil
			out = append(out, rec)
		}
		if out != nil {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(w.opts.poll):
		}
	}
}

// ReportLines returns one line per promise of the journal: digest, slot,
// operator, state, and the fault (with the other promise of an
// equivocation), the transaction, the claim's commitment block, or the reason.
func ReportLines(recs []Record) []string {
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		line := fmt.Sprintf("%s slot %d operator %s %s", r.Digest.Hex(), r.Slot, r.Operator.Hex(), r.State)
		if r.Fault != "" {
			line += " " + r.Fault
		}
		if r.Other != nil {
			line += " with " + r.Other.Hex()
		}
		if r.Tx != nil {
			line += " tx " + r.Tx.Hex()
		}
		if r.CommitBlock != 0 {
			line += fmt.Sprintf(" claim committed in block %d", r.CommitBlock)
		}
		if r.Reason != "" {
			line += ": " + r.Reason
		}
		if r.Time != 0 {
			line += " (" + time.Unix(r.Time, 0).UTC().Format(time.RFC3339) + ")"
		}
		out = append(out, line)
	}
	return out
}
