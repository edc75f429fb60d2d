package watcher

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/slashing"
)

// claimFor returns e's claim once it can be named by evidence: its
// commitment mined in a block below head (eth_estimateGas and eth_call run in
// the head's context, where a commitment of the head itself is refused).
// Until then it drives the commitment and reports not ready:
//
//   - no claim yet: it draws one for the watcher's beneficiary and sends
//     Slasher.commitClaim, journaling the claim with the signed transaction
//     before sending it;
//   - a journaled claim (after a restart, or evidence that was lost) is used
//     again, never replaced: its commitment may be out. One found on-chain is
//     not committed again; one that is not is committed again, same salt;
//   - a commitment in flight is followed by followSubmissions.
//
// fault and other say what the claim is drawn for (journal and logs only: a
// claim is bound to the digest, so any evidence against e may name it).
func (w *Watcher) claimFor(ctx context.Context, head *types.Header, e *entry, fault string, other *common.Hash) (slashing.Claim, bool, error) {
	if st, _ := w.stateOf(e); st.inFlight() {
		return slashing.Claim{}, false, nil
	}
	rec, ok := w.journal.Claim(e.digest)
	if !ok {
		c, err := slashing.NewClaim(w.beneficiary)
		if err != nil {
			return slashing.Claim{}, false, err
		}
		rec = ClaimRecord{Beneficiary: c.Beneficiary, Salt: c.Salt}
		w.m.faults.WithLabelValues(fault).Inc()
		w.opts.log.Warn().Str("commitment", e.digest.Hex()).Uint64("slot", e.sp.Promise.Slot).Msgf("broken promise: %s fault; committing the claim", fault)
		return rec.Claim(), false, w.submitCommit(ctx, head, e, rec, fault, other)
	}
	c := rec.Claim()
	at, err := w.dep.Contracts.ClaimBlock(ctx, c.Hash(e.digest))
	if err != nil {
		return c, false, err
	}
	if at == 0 {
		return c, false, w.submitCommit(ctx, head, e, rec, fault, other)
	}
	if at >= head.Number.Uint64() {
		return c, false, nil
	}
	if err := w.dep.Judge.CheckClaim(ctx, e.digest, c); err != nil {
		return c, false, err
	}
	return c, true, nil
}
