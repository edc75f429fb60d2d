package relay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/phase0"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// maxRegistrationLookahead is MAX_REGISTRATION_LOOKAHEAD of the builder specs.
const maxRegistrationLookahead = 10 * time.Second

// signedRegistrationSSZSize is the fixed SSZ size of a SignedValidatorRegistrationV1.
const signedRegistrationSSZSize = 20 + 8 + 8 + 48 + 96

func (r *Relay) handleStatus(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }

// handleRegisterValidators takes SignedValidatorRegistration[] as JSON or SSZ.
func (r *Relay) handleRegisterValidators(w http.ResponseWriter, req *http.Request) {
	body, err := r.readBody(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	var regs []*apiv1.SignedValidatorRegistration
	if isSSZ(req) {
		if len(body)%signedRegistrationSSZSize != 0 {
			writeError(w, fmt.Errorf("%w: %d bytes is not a list of registrations", ErrBadRequest, len(body)))
			return
		}
		for off := 0; off < len(body); off += signedRegistrationSSZSize {
			var reg apiv1.SignedValidatorRegistration
			if err := reg.UnmarshalSSZ(body[off : off+signedRegistrationSSZSize]); err != nil {
				writeError(w, fmt.Errorf("%w: registration %d: %w", ErrBadRequest, off/signedRegistrationSSZSize, err))
				return
			}
			regs = append(regs, &reg)
		}
	} else if err := json.Unmarshal(body, &regs); err != nil {
		writeError(w, fmt.Errorf("%w: %w", ErrBadRequest, err))
		return
	}
	if err := r.RegisterValidators(regs); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// RegisterValidators checks and stores registrations, all or none: each is
// signed by its validator under the builder domain, not from the future, and
// not older than the one stored. A registration equal to the stored one is
// not verified again (validator clients resend them every epoch).
func (r *Relay) RegisterValidators(regs []*apiv1.SignedValidatorRegistration) error {
	now := r.now()
	var fresh []*apiv1.SignedValidatorRegistration
	for i, reg := range regs {
		if reg == nil || reg.Message == nil {
			return fmt.Errorf("%w: registration %d is empty", ErrRegistration, i)
		}
		m := reg.Message
		if m.Timestamp.After(now.Add(maxRegistrationLookahead)) {
			return fmt.Errorf("%w: registration %d: timestamp %s is in the future", ErrRegistration, i, m.Timestamp)
		}
		r.mu.Lock()
		prev := r.regs[m.Pubkey]
		r.mu.Unlock()
		if prev != nil {
			if prev.signed.Signature == reg.Signature && sameRegistration(prev.signed.Message, m) {
				continue
			}
			if m.Timestamp.Before(prev.signed.Message.Timestamp) {
				return fmt.Errorf("%w: registration %d: older than the stored one", ErrRegistration, i)
			}
		}
		if err := builderapi.VerifyRegistration(reg, r.builderDomain); err != nil {
			return fmt.Errorf("%w: registration %d: %w", ErrRegistration, i, err)
		}
		fresh = append(fresh, reg)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, reg := range fresh {
		if prev := r.regs[reg.Message.Pubkey]; prev == nil || !reg.Message.Timestamp.Before(prev.signed.Message.Timestamp) {
			r.regs[reg.Message.Pubkey] = &registration{signed: reg}
		}
	}
	return nil
}

func sameRegistration(a, b *apiv1.ValidatorRegistration) bool {
	return a.Pubkey == b.Pubkey && a.FeeRecipient == b.FeeRecipient && a.GasLimit == b.GasLimit && a.Timestamp.Equal(b.Timestamp)
}

// Registration returns the latest registration of a validator, or nil.
func (r *Relay) Registration(pubkey phase0.BLSPubKey) *apiv1.SignedValidatorRegistration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if reg := r.regs[pubkey]; reg != nil {
		return reg.signed
	}
	return nil
}

// headerRequest is the path of getHeader and header_with_proofs.
type headerRequest struct {
	slot     uint64
	parent   phase0.Hash32
	proposer phase0.BLSPubKey
}

func parseHeaderRequest(req *http.Request) (headerRequest, error) {
	var h headerRequest
	var err error
	if h.slot, err = parseSlot(req.PathValue("slot")); err != nil {
		return h, err
	}
	if h.parent, err = parseHash(req.PathValue("parent_hash")); err != nil {
		return h, err
	}
	if h.proposer, err = parsePubkey(req.PathValue("pubkey")); err != nil {
		return h, err
	}
	return h, nil
}

// bestBid returns the highest-value submission for the request that still
// satisfies the slot's current constraints (constraints may arrive after a
// bid), and records it as served. nil when there is none.
func (r *Relay) bestBid(h headerRequest) *submission {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.peekLocked(h.slot)
	if s == nil {
		return nil
	}
	var best *submission
	for _, sub := range s.bids[bidKey{parent: h.parent, proposer: h.proposer}] {
		if best != nil && sub.value.Cmp(best.value) <= 0 {
			continue
		}
		if !s.satisfies(sub, protocol.BLSPubkey(h.proposer)) {
			continue
		}
		best = sub
	}
	if best != nil {
		s.served[best.bid.Message.Header.BlockHash] = served{sub: best, proposer: h.proposer}
	}
	return best
}

// handleGetHeader answers the best bid, 204 when there is none.
func (r *Relay) handleGetHeader(w http.ResponseWriter, req *http.Request) {
	h, err := parseHeaderRequest(req)
	if err != nil {
		writeError(w, err)
		return
	}
	best := r.bestBid(h)
	if best == nil {
		r.metrics.count("headers", "no_bid")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	r.metrics.count("headers", "served")
	w.Header().Set("Eth-Consensus-Version", best.version.String())
	writeJSON(w, http.StatusOK, &builderapi.VersionedSignedBuilderBid{Version: best.version, Data: best.bid})
	r.log.Info().Uint64("slot", h.slot).Str("pubkey", h.proposer.String()).Str("block_hash", best.bid.Message.Header.BlockHash.String()).Msg("header served")
}

// handleHeaderWithProofs answers the best bid with its proofs beside message
// and signature, 204 when there is none.
func (r *Relay) handleHeaderWithProofs(w http.ResponseWriter, req *http.Request) {
	h, err := parseHeaderRequest(req)
	if err != nil {
		writeError(w, err)
		return
	}
	best := r.bestBid(h)
	if best == nil {
		r.metrics.count("headers", "no_bid")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	r.metrics.count("headers", "served")
	w.Header().Set("Eth-Consensus-Version", best.version.String())
	writeJSON(w, http.StatusOK, &builderapi.VersionedSignedBuilderBidWithProofs{
		Version: best.version,
		Data: &builderapi.SignedBuilderBidWithProofs{
			Message: best.bid.Message, Signature: best.bid.Signature, Proofs: best.proofs,
		},
	})
	r.log.Info().Uint64("slot", h.slot).Str("pubkey", h.proposer.String()).Str("block_hash", best.bid.Message.Header.BlockHash.String()).Msg("header with proofs served")
}
