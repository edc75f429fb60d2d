package builderproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
)

// signedRegistrationSSZSize is the fixed SSZ size of a SignedValidatorRegistrationV1.
const signedRegistrationSSZSize = 20 + 8 + 8 + 48 + 96

// handleStatus answers 200 while a block can be had: the fallback is
// configured, or a relay answers its status.
func (p *Proxy) handleStatus(w http.ResponseWriter, req *http.Request) {
	if p.opts.fallback != nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	ok := make(chan bool, len(p.relays))
	for _, r := range p.relays {
		go func() {
			ans, err := r.do(req.Context(), r.status, http.MethodGet, "/eth/v1/builder/status", nil, nil)
			up := err == nil && ans.code == http.StatusOK
			outcome := "ok"
			if !up {
				outcome = "error"
			}
			p.m.relayRequests.WithLabelValues(r.name, "status", outcome).Inc()
			ok <- up
		}()
	}
	for range p.relays {
		if <-ok {
			w.WriteHeader(http.StatusOK)
			return
		}
	}
	writeError(w, fmt.Errorf("%w: status", ErrNoRelayAnswered))
}

// handleRegisterValidators keeps each validator's fee recipient and gas
// limit (for the fallback block) and forwards the body to every relay;
// success when one relay took it (mev-boost's rule) or there is no relay.
func (p *Proxy) handleRegisterValidators(w http.ResponseWriter, req *http.Request) {
	body, err := readBody(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	regs, err := decodeRegistrations(body, isSSZ(req.Header))
	if err != nil {
		writeError(w, err)
		return
	}
	p.mu.Lock()
	for _, r := range regs {
		if prev := p.regs[r.Message.Pubkey]; prev == nil || !r.Message.Timestamp.Before(prev.Timestamp) {
			p.regs[r.Message.Pubkey] = r.Message
		}
	}
	p.mu.Unlock()
	if len(p.relays) == 0 {
		w.WriteHeader(http.StatusOK)
		return
	}
	hdr := http.Header{"Content-Type": {req.Header.Get("Content-Type")}}
	// Registrations are not tied to the beacon node's wait: finish them.
	ctx := context.WithoutCancel(req.Context())
	errc := make(chan error, len(p.relays))
	for _, r := range p.relays {
		go func() {
			ans, err := r.do(ctx, r.register, http.MethodPost, "/eth/v1/builder/validators", body, hdr)
			if err == nil && ans.code != http.StatusOK {
				err = fmt.Errorf("%w: %s: status %d: %.200s", ErrRelay, r.name, ans.code, ans.body)
			}
			outcome := "ok"
			if err != nil {
				outcome = "error"
			}
			p.m.relayRequests.WithLabelValues(r.name, "register_validators", outcome).Inc()
			errc <- err
		}()
	}
	var errs []error
	for range p.relays {
		if err := <-errc; err != nil {
			errs = append(errs, err)
			continue
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	writeError(w, fmt.Errorf("%w: %w", ErrNoRelayAnswered, errors.Join(errs...)))
}

func decodeRegistrations(body []byte, ssz bool) ([]*apiv1.SignedValidatorRegistration, error) {
	var regs []*apiv1.SignedValidatorRegistration
	if ssz {
		if len(body)%signedRegistrationSSZSize != 0 {
			return nil, fmt.Errorf("%w: %d bytes is not a list of registrations", ErrBadRequest, len(body))
		}
		for off := 0; off < len(body); off += signedRegistrationSSZSize {
			var r apiv1.SignedValidatorRegistration
			if err := r.UnmarshalSSZ(body[off : off+signedRegistrationSSZSize]); err != nil {
				return nil, fmt.Errorf("%w: registration %d: %w", ErrBadRequest, off/signedRegistrationSSZSize, err)
			}
			regs = append(regs, &r)
		}
		return regs, nil
	}
	if err := json.Unmarshal(body, &regs); err != nil {
		return nil, fmt.Errorf("%w: registrations: %w", ErrBadRequest, err)
	}
	for i, r := range regs {
		if r == nil || r.Message == nil {
			return nil, fmt.Errorf("%w: registration %d is empty", ErrBadRequest, i)
		}
	}
	return regs, nil
}
