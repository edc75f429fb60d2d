package relay

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// handleBlocksWithProofs takes a builder's VersionedSubmitBlockRequestWithProofs.
func (r *Relay) handleBlocksWithProofs(w http.ResponseWriter, req *http.Request) {
	body, err := r.readBody(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	if isSSZ(req) {
		writeError(w, fmt.Errorf("%w: blocks_with_proofs takes JSON", ErrMediaType))
		return
	}
	var sub builderapi.SubmitBlockRequest
	if err := json.Unmarshal(body, &sub); err != nil {
		writeError(w, fmt.Errorf("%w: %w", ErrBadRequest, err))
		return
	}
	cancellations := req.URL.Query().Get("cancellations") == "true"
	err = r.SubmitBlock(&sub, req.Header.Get("Eth-Consensus-Version"), cancellations)
	r.metrics.count("submissions", result(err, "accepted"))
	if err != nil {
		r.log.Debug().Err(err).Msg("block submission refused")
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// SubmitBlock checks a builder submission and, if it holds, stores it with a
// bid signed by the relay. The checks: the slot is current or ahead and in
// the window; the fork matches (versionHeader, when given, must name it);
// the trace agrees with the payload and is signed by the builder; the fee
// recipient is the proposer's registered one when the relay has it; the blob
// bundle has its fork's shape; and the proofs show that the slot's constrained
// transactions of that proposer open the block in order. With cancellations
// the builder's newest bid replaces its earlier one even when lower.
func (r *Relay) SubmitBlock(sub *builderapi.SubmitBlockRequest, versionHeader string, cancellations bool) error {
	m, p := sub.Message, sub.ExecutionPayload
	if m == nil || p == nil || sub.BlobsBundle == nil {
		return fmt.Errorf("%w: incomplete submission", ErrSubmission)
	}
	if err := r.checkWindow(m.Slot); err != nil {
		return err
	}
	if m.Slot < r.currentSlot() {
		return fmt.Errorf("%w: slot %d has passed", ErrSlotWindow, m.Slot)
	}
	fork, err := r.forkAt(m.Slot)
	if err != nil {
		return err
	}
	if versionHeader != "" {
		v, err := builderapi.ParseVersion(versionHeader)
		if err != nil {
			return err
		}
		if v != fork.Version {
			return fmt.Errorf("%w: Eth-Consensus-Version %s, slot %d is %s", ErrSubmission, v, m.Slot, fork.Version)
		}
	}
	switch {
	case m.ParentHash != p.ParentHash:
		return fmt.Errorf("%w: parent hash differs from the payload's", ErrSubmission)
	case m.BlockHash != p.BlockHash:
		return fmt.Errorf("%w: block hash differs from the payload's", ErrSubmission)
	case m.GasLimit != p.GasLimit || m.GasUsed != p.GasUsed:
		return fmt.Errorf("%w: gas differs from the payload's", ErrSubmission)
	case m.Value == nil:
		return fmt.Errorf("%w: no value", ErrSubmission)
	}
	if reg := r.Registration(m.ProposerPubkey); reg != nil && reg.Message.FeeRecipient != m.ProposerFeeRecipient {
		return fmt.Errorf("%w: proposer fee recipient %s is not the registered %s", ErrSubmission, m.ProposerFeeRecipient, reg.Message.FeeRecipient)
	}
	if err := sub.BlobsBundle.CheckShape(fork.Version); err != nil {
		return fmt.Errorf("%w: %w", ErrSubmission, err)
	}
	if err := builderapi.VerifySigned(m, r.builderDomain, m.BuilderPubkey, sub.Signature); err != nil {
		return fmt.Errorf("%w: %w", ErrSubmission, err)
	}
	header, err := builderapi.HeaderFromPayload(p)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSubmission, err)
	}

	// Proofs against the constraints known now; getHeader checks again
	// against those known then.
	r.mu.Lock()
	var txs [][]byte
	var gen uint64
	if s := r.peekLocked(m.Slot); s != nil {
		txs = s.inclusionTxs(protocol.BLSPubkey(m.ProposerPubkey))
		gen = s.gen
	}
	r.mu.Unlock()
	if err := checkProofs(header.TransactionsRoot, txs, sub.Proofs); err != nil {
		return err
	}

	bid := &builderapi.BuilderBid{
		Header:             header,
		BlobKZGCommitments: sub.BlobsBundle.Commitments,
		ExecutionRequests:  sub.ExecutionRequests,
		Value:              new(uint256.Int).Set(m.Value),
	}
	if bid.ExecutionRequests == nil {
		bid.ExecutionRequests = builderapi.EmptyExecutionRequests()
	}
	signed, err := builderapi.SignBid(bid, r.builderDomain, r.sk)
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	stored := &submission{
		version: fork.Version, builder: m.BuilderPubkey, value: bid.Value, bid: signed,
		proofs: sub.Proofs, payload: p, blobs: sub.BlobsBundle, checkedGen: gen,
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slotLocked(m.Slot)
	key := bidKey{parent: m.ParentHash, proposer: m.ProposerPubkey}
	byBuilder := s.bids[key]
	if byBuilder == nil {
		byBuilder = make(map[phase0.BLSPubKey]*submission)
		s.bids[key] = byBuilder
	}
	prev := byBuilder[m.BuilderPubkey]
	// Keep the builder's better bid, unless cancellations are on or it no
	// longer proves the constraints known now (it would never be served).
	if prev != nil && !cancellations && prev.value.Cmp(stored.value) >= 0 && s.satisfies(prev, protocol.BLSPubkey(m.ProposerPubkey)) {
		return nil
	}
	if prev == nil {
		if s.nSubs >= r.limits.SubmissionsPerSlot {
			return fmt.Errorf("%w: %d submissions in slot %d", ErrCapacity, s.nSubs, m.Slot)
		}
		s.nSubs++
	}
	byBuilder[m.BuilderPubkey] = stored
	r.log.Info().Uint64("slot", m.Slot).Str("pubkey", m.ProposerPubkey.String()).
		Str("block_hash", p.BlockHash.String()).Str("value", m.Value.Dec()).Int("constrained_txs", len(txs)).
		Msg("block submission accepted")
	return nil
}

// checkProofs wraps protocol's check of a bid's top-of-block proofs in the
// relay's sentinel, which answers 400.
func checkProofs(root phase0.Root, txs [][]byte, proofs *protocol.ConstraintProofs) error {
	if err := protocol.VerifyTopOfBlockProofs(root, txs, proofs); err != nil {
		return fmt.Errorf("%w: %w", ErrProofs, err)
	}
	return nil
}
