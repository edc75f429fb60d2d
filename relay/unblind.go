package relay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	apiv1fulu "github.com/attestantio/go-eth2-client/api/v1/fulu"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	boostssz "github.com/flashbots/go-boost-utils/ssz"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// decodeBlindedBlock reads a SignedBlindedBeaconBlock (Electra layout, also
// Fulu's) as JSON or SSZ.
func (r *Relay) decodeBlindedBlock(w http.ResponseWriter, req *http.Request) (*apiv1electra.SignedBlindedBeaconBlock, error) {
	body, err := r.readBody(w, req)
	if err != nil {
		return nil, err
	}
	var b apiv1electra.SignedBlindedBeaconBlock
	if isSSZ(req) {
		if err := b.UnmarshalSSZ(body); err != nil {
			return nil, fmt.Errorf("%w: blinded block SSZ: %w", ErrBadRequest, err)
		}
	} else if err := json.Unmarshal(body, &b); err != nil {
		return nil, fmt.Errorf("%w: blinded block: %w", ErrBadRequest, err)
	}
	if b.Message == nil || b.Message.Body == nil || b.Message.Body.ExecutionPayloadHeader == nil {
		return nil, fmt.Errorf("%w: blinded block without execution payload header", ErrBadRequest)
	}
	return &b, nil
}

// Unblind checks a signed blinded block against the bid the relay served for
// its header and returns the full block with its blobs. It refuses a header
// it did not serve, a block whose header, commitments or requests differ
// from the bid, a bad proposer signature (when the relay knows the
// genesis validators root), and a second, different block for the slot.
func (r *Relay) Unblind(b *apiv1electra.SignedBlindedBeaconBlock, versionHeader string) (*api.VersionedSignedProposal, *builderapi.ExecutionPayloadAndBlobsBundle, error) {
	msg := b.Message
	slot := uint64(msg.Slot)
	fork, err := r.forkAt(slot)
	if err != nil {
		return nil, nil, err
	}
	if versionHeader != "" {
		v, err := builderapi.ParseVersion(versionHeader)
		if err != nil {
			return nil, nil, err
		}
		if v != fork.Version {
			return nil, nil, fmt.Errorf("%w: Eth-Consensus-Version %s, slot %d is %s", ErrBlockMismatch, v, slot, fork.Version)
		}
	}
	hdr := msg.Body.ExecutionPayloadHeader
	r.mu.Lock()
	var sv served
	var ok bool
	if s := r.peekLocked(slot); s != nil {
		sv, ok = s.served[hdr.BlockHash]
	}
	r.mu.Unlock()
	if !ok {
		return nil, nil, fmt.Errorf("%w: slot %d, block hash %s", ErrUnknownPayload, slot, hdr.BlockHash)
	}
	bid := sv.sub.bid.Message
	if err := builderapi.MatchBid(msg.Body, bid); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrBlockMismatch, err)
	}
	if r.cfg.GenesisValidatorsRoot != (phase0.Root{}) {
		domain := boostssz.ComputeDomain(boostssz.DomainTypeBeaconProposer, fork.ForkVersion, r.cfg.GenesisValidatorsRoot)
		if err := builderapi.VerifySigned(msg, domain, sv.proposer, b.Signature); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrProposerSignature, err)
		}
	}
	root, err := msg.HashTreeRoot()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: block root: %w", ErrBadRequest, err)
	}
	r.mu.Lock()
	s := r.slotLocked(slot)
	if s.revealed != nil && *s.revealed != phase0.Root(root) {
		r.mu.Unlock()
		return nil, nil, fmt.Errorf("%w: another block was already revealed for slot %d", ErrBlockMismatch, slot)
	}
	br := phase0.Root(root)
	s.revealed = &br
	r.mu.Unlock()

	full := &electra.SignedBeaconBlock{
		Message: &electra.BeaconBlock{
			Slot:          msg.Slot,
			ProposerIndex: msg.ProposerIndex,
			ParentRoot:    msg.ParentRoot,
			StateRoot:     msg.StateRoot,
			Body: &electra.BeaconBlockBody{
				RANDAOReveal:          msg.Body.RANDAOReveal,
				ETH1Data:              msg.Body.ETH1Data,
				Graffiti:              msg.Body.Graffiti,
				ProposerSlashings:     msg.Body.ProposerSlashings,
				AttesterSlashings:     msg.Body.AttesterSlashings,
				Attestations:          msg.Body.Attestations,
				Deposits:              msg.Body.Deposits,
				VoluntaryExits:        msg.Body.VoluntaryExits,
				SyncAggregate:         msg.Body.SyncAggregate,
				ExecutionPayload:      sv.sub.payload,
				BLSToExecutionChanges: msg.Body.BLSToExecutionChanges,
				BlobKZGCommitments:    msg.Body.BlobKZGCommitments,
				ExecutionRequests:     msg.Body.ExecutionRequests,
			},
		},
		Signature: b.Signature,
	}
	proposal := &api.VersionedSignedProposal{Version: fork.Version}
	switch fork.Version {
	case spec.DataVersionFulu:
		proposal.Fulu = &apiv1fulu.SignedBlockContents{SignedBlock: full, KZGProofs: sv.sub.blobs.Proofs, Blobs: sv.sub.blobs.Blobs}
	default:
		proposal.Electra = &apiv1electra.SignedBlockContents{SignedBlock: full, KZGProofs: sv.sub.blobs.Proofs, Blobs: sv.sub.blobs.Blobs}
	}
	r.log.Info().Uint64("slot", slot).Str("pubkey", sv.proposer.String()).Str("block_hash", hdr.BlockHash.String()).Msg("payload revealed")
	return proposal, &builderapi.ExecutionPayloadAndBlobsBundle{ExecutionPayload: sv.sub.payload, BlobsBundle: sv.sub.blobs}, nil
}

// handleBlindedBlockV1 reveals the payload (200 with {version, data}). With a
// beacon node configured the relay also publishes the block; a failure there
// is logged and the payload still returned, since the proposer publishes too.
func (r *Relay) handleBlindedBlockV1(w http.ResponseWriter, req *http.Request) {
	b, err := r.decodeBlindedBlock(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	proposal, payload, err := r.Unblind(b, req.Header.Get("Eth-Consensus-Version"))
	r.metrics.count("payloads", result(err, "revealed"))
	if err != nil {
		writeError(w, err)
		return
	}
	if r.publisher != nil {
		if err := r.publisher.PublishBlock(req.Context(), proposal); err != nil {
			r.metrics.count("payloads", "publish_failed")
			r.log.Warn().Err(err).Uint64("slot", uint64(b.Message.Slot)).Msg("publish block (v1)")
		}
	}
	w.Header().Set("Eth-Consensus-Version", proposal.Version.String())
	writeJSON(w, http.StatusOK, &builderapi.VersionedExecutionPayloadAndBlobsBundle{Version: proposal.Version, Data: payload})
}

// handleBlindedBlockV2 publishes the unblinded block through the beacon node
// and answers 202 (Fulu's submitBlindedBlockV2).
func (r *Relay) handleBlindedBlockV2(w http.ResponseWriter, req *http.Request) {
	if r.publisher == nil {
		writeError(w, ErrNoPublisher)
		return
	}
	b, err := r.decodeBlindedBlock(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	proposal, _, err := r.Unblind(b, req.Header.Get("Eth-Consensus-Version"))
	r.metrics.count("payloads", result(err, "revealed"))
	if err != nil {
		writeError(w, err)
		return
	}
	// The request may be cancelled once the proposer has its answer; the
	// block must reach the network regardless.
	if err := r.publisher.PublishBlock(context.WithoutCancel(req.Context()), proposal); err != nil {
		r.metrics.count("payloads", "publish_failed")
		writeError(w, fmt.Errorf("%w: %w", ErrPublish, err))
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
