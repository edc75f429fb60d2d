package builderproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	apiv1fulu "github.com/attestantio/go-eth2-client/api/v1/fulu"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// maxBody bounds request bodies: a blinded block, or registrations of many validators.
const maxBody = 32 << 20

func readBody(w http.ResponseWriter, req *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%w: read body: %w", ErrBadRequest, err)
	}
	return b, nil
}

func isSSZ(h http.Header) bool {
	return strings.HasPrefix(h.Get("Content-Type"), "application/octet-stream")
}

// handleBlindedBlock serves submitBlindedBlock v1 (answers the payload) and
// v2 (answers 202 once the block is published).
func (p *Proxy) handleBlindedBlock(version int) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		body, err := readBody(w, req)
		if err != nil {
			writeError(w, err)
			return
		}
		var b apiv1electra.SignedBlindedBeaconBlock
		if isSSZ(req.Header) {
			err = b.UnmarshalSSZ(body)
		} else {
			err = json.Unmarshal(body, &b)
		}
		if err != nil {
			writeError(w, fmt.Errorf("%w: blinded block: %w", ErrBadRequest, err))
			return
		}
		if b.Message == nil || b.Message.Body == nil || b.Message.Body.ExecutionPayloadHeader == nil {
			writeError(w, fmt.Errorf("%w: blinded block without execution payload header", ErrBadRequest))
			return
		}
		sv, err := p.servedFor(&b, req.Header.Get("Eth-Consensus-Version"))
		if err != nil {
			source := "unknown"
			if sv != nil {
				source = sv.source()
			}
			p.m.blinded.WithLabelValues(source, "refused").Inc()
			p.log.Warn().Err(err).Uint64("slot", uint64(b.Message.Slot)).Msg("blinded block refused")
			writeError(w, err)
			return
		}
		if sv.fallback != nil {
			err = p.unblindLocal(w, req, version, &b, sv)
		} else {
			err = p.forward(w, req, version, body, sv)
		}
		if err != nil {
			p.m.blinded.WithLabelValues(sv.source(), "error").Inc()
			p.log.Error().Err(err).Uint64("slot", sv.slot).Str("block_hash", sv.bid.Message.Header.BlockHash.String()).Msg("blinded block not revealed")
			writeError(w, err)
			return
		}
		p.m.blinded.WithLabelValues(sv.source(), "ok").Inc()
	}
}

func (sv *servedBid) source() string {
	if sv.fallback != nil {
		return "fallback"
	}
	return "relay"
}

// servedFor finds the header the block carries among those served and
// checks the block is exactly for it: same slot, header, blob commitments
// and execution requests.
func (p *Proxy) servedFor(b *apiv1electra.SignedBlindedBeaconBlock, versionHeader string) (*servedBid, error) {
	hdr := b.Message.Body.ExecutionPayloadHeader
	sv := p.lookup(hdr.BlockHash)
	if sv == nil || sv.slot != uint64(b.Message.Slot) {
		return nil, fmt.Errorf("%w: slot %d, block hash %s", ErrUnknownHeader, b.Message.Slot, hdr.BlockHash)
	}
	if versionHeader != "" {
		v, err := builderapi.ParseVersion(versionHeader)
		if err != nil {
			return sv, fmt.Errorf("%w: %w", ErrBadRequest, err)
		}
		if v != sv.version {
			return sv, fmt.Errorf("%w: Eth-Consensus-Version %s, served bid is %s", ErrHeaderMismatch, v, sv.version)
		}
	}
	if err := builderapi.MatchBid(b.Message.Body, sv.bid.Message); err != nil {
		return sv, fmt.Errorf("%w: %w", ErrHeaderMismatch, err)
	}
	return sv, nil
}

// forward sends the blinded block to the relays that served its header and
// relays the first success: 200 with the payload (v1, checked to be the
// header's block), or 202 (v2).
func (p *Proxy) forward(w http.ResponseWriter, req *http.Request, version int, body []byte, sv *servedBid) error {
	path, want := "/eth/v1/builder/blinded_blocks", http.StatusOK
	if version == 2 {
		path, want = "/eth/v2/builder/blinded_blocks", http.StatusAccepted
	}
	hdr := http.Header{}
	for _, k := range []string{"Content-Type", "Eth-Consensus-Version", "Accept"} {
		if v := req.Header.Get(k); v != "" {
			hdr.Set(k, v)
		}
	}
	// The reveal must finish even if the beacon node stops waiting: the
	// block is signed, and only the relay can publish it now.
	ctx, cancel := context.WithCancel(context.WithoutCancel(req.Context()))
	defer cancel()
	type result struct {
		ans *answer
		err error
	}
	results := make(chan result, len(sv.relays))
	for _, r := range sv.relays {
		go func() {
			ans, err := r.do(ctx, r.payload, http.MethodPost, path, body, hdr)
			outcome := "ok"
			switch {
			case err != nil:
				outcome = "error"
			case ans.code != want:
				outcome, err = "error", fmt.Errorf("%w: %s: status %d: %.200s", ErrRelay, r.name, ans.code, ans.body)
			case version == 1:
				if err = checkPayload(ans, sv); err != nil {
					outcome = "bad_payload"
				}
			}
			p.m.relayRequests.WithLabelValues(r.name, "blinded_block", outcome).Inc()
			results <- result{ans, err}
		}()
	}
	var errs []error
	for range sv.relays {
		res := <-results
		if res.err != nil {
			errs = append(errs, res.err)
			continue
		}
		for _, k := range []string{"Content-Type", "Eth-Consensus-Version"} {
			if v := res.ans.header.Get(k); v != "" {
				w.Header().Set(k, v)
			}
		}
		w.WriteHeader(res.ans.code)
		_, _ = w.Write(res.ans.body)
		return nil
	}
	return fmt.Errorf("%w: %w", ErrNoRelayAnswered, errors.Join(errs...))
}

// checkPayload checks a v1 answer reveals the served header's block.
func checkPayload(ans *answer, sv *servedBid) error {
	var got *builderapi.ExecutionPayloadAndBlobsBundle
	if isSSZ(ans.header) {
		var p builderapi.ExecutionPayloadAndBlobsBundle
		if err := p.UnmarshalSSZ(ans.body); err != nil {
			return fmt.Errorf("%w: payload: %w", ErrRelay, err)
		}
		got = &p
	} else {
		var v builderapi.VersionedExecutionPayloadAndBlobsBundle
		if err := json.Unmarshal(ans.body, &v); err != nil {
			return fmt.Errorf("%w: payload: %w", ErrRelay, err)
		}
		got = v.Data
	}
	if got == nil || got.ExecutionPayload == nil || got.ExecutionPayload.BlockHash != sv.bid.Message.Header.BlockHash {
		return fmt.Errorf("%w: relay revealed another block", ErrRelay)
	}
	return nil
}

// unblindLocal reveals a fallback block: v1 answers the payload (the beacon
// node publishes), v2 publishes the full block through the beacon node and
// answers 202. Only one block is revealed per slot.
func (p *Proxy) unblindLocal(w http.ResponseWriter, req *http.Request, version int, b *apiv1electra.SignedBlindedBeaconBlock, sv *servedBid) error {
	root, err := b.Message.HashTreeRoot()
	if err != nil {
		return fmt.Errorf("%w: block root: %w", ErrBadRequest, err)
	}
	p.mu.Lock()
	if prev, ok := p.revealed[sv.slot]; ok && prev != phase0.Root(root) {
		p.mu.Unlock()
		return fmt.Errorf("%w: another block was already revealed for slot %d", ErrHeaderMismatch, sv.slot)
	}
	p.revealed[sv.slot] = root
	p.mu.Unlock()

	blk := sv.fallback
	blobs := blk.BlobsBundle
	if blobs == nil {
		blobs = &builderapi.BlobsBundle{}
	}
	if version == 1 {
		out := &builderapi.VersionedExecutionPayloadAndBlobsBundle{
			Version: sv.version,
			Data:    &builderapi.ExecutionPayloadAndBlobsBundle{ExecutionPayload: blk.Payload, BlobsBundle: blobs},
		}
		w.Header().Set("Eth-Consensus-Version", sv.version.String())
		if prefersSSZ(req) {
			if enc, err := out.Data.MarshalSSZ(); err == nil {
				w.Header().Set("Content-Type", "application/octet-stream")
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write(enc)
				return nil
			}
		}
		writeJSON(w, http.StatusOK, out)
		p.log.Info().Uint64("slot", sv.slot).Str("block_hash", blk.Payload.BlockHash.String()).Msg("fallback payload revealed")
		return nil
	}
	if p.opts.publisher == nil {
		return ErrNoPublisher
	}
	proposal := fullBlock(b, sv.version, blk, blobs)
	if err := p.opts.publisher.PublishBlock(context.WithoutCancel(req.Context()), proposal); err != nil {
		return fmt.Errorf("%w: %w", ErrPublish, err)
	}
	w.WriteHeader(http.StatusAccepted)
	p.log.Info().Uint64("slot", sv.slot).Str("block_hash", blk.Payload.BlockHash.String()).Msg("fallback block published")
	return nil
}

// fullBlock puts the payload into the signed blinded block; the full
// block has the same root, so the proposer's signature holds for it.
func fullBlock(b *apiv1electra.SignedBlindedBeaconBlock, v spec.DataVersion, blk *FallbackBlock, blobs *builderapi.BlobsBundle) *api.VersionedSignedProposal {
	msg := b.Message
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
				ExecutionPayload:      blk.Payload,
				BLSToExecutionChanges: msg.Body.BLSToExecutionChanges,
				BlobKZGCommitments:    msg.Body.BlobKZGCommitments,
				ExecutionRequests:     msg.Body.ExecutionRequests,
			},
		},
		Signature: b.Signature,
	}
	proposal := &api.VersionedSignedProposal{Version: v}
	if v == spec.DataVersionFulu {
		proposal.Fulu = &apiv1fulu.SignedBlockContents{SignedBlock: full, KZGProofs: blobs.Proofs, Blobs: blobs.Blobs}
	} else {
		proposal.Electra = &apiv1electra.SignedBlockContents{SignedBlock: full, KZGProofs: blobs.Proofs, Blobs: blobs.Blobs}
	}
	return proposal
}
