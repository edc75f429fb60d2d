package relay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// capabilities are the constraint types the relay checks proofs for.
var capabilities = []uint64{protocol.ConstraintTypeInclusion}

// handlePostConstraints takes SignedConstraints[]: all are accepted or none.
func (r *Relay) handlePostConstraints(w http.ResponseWriter, req *http.Request) {
	body, err := r.readBody(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	var batch []*protocol.SignedConstraints
	if err := json.Unmarshal(body, &batch); err != nil {
		writeError(w, fmt.Errorf("%w: %w", ErrBadRequest, err))
		return
	}
	err = r.AddConstraints(batch)
	r.metrics.count("constraints", result(err, "accepted"))
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// AddConstraints verifies and stores signed constraints: each must be in the
// slot window, of supported types, signed by its delegate, and the delegate
// must be the proposer or hold an unrevoked delegation for the slot.
func (r *Relay) AddConstraints(batch []*protocol.SignedConstraints) error {
	if len(batch) == 0 {
		return fmt.Errorf("%w: empty batch", ErrBadRequest)
	}
	// Signatures first, outside the lock: ~1 ms each.
	for i, sc := range batch {
		if sc == nil {
			return fmt.Errorf("%w: constraints %d is null", ErrBadRequest, i)
		}
		if err := r.checkWindow(sc.Message.Slot); err != nil {
			return fmt.Errorf("constraints %d: %w", i, err)
		}
		for j, c := range sc.Message.Constraints {
			if c.ConstraintType != protocol.ConstraintTypeInclusion {
				return fmt.Errorf("constraints %d, constraint %d: %w: %d", i, j, ErrUnsupportedConstraint, c.ConstraintType)
			}
		}
		if err := sc.Verify(r.domains); err != nil {
			return fmt.Errorf("constraints %d: %w", i, err)
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	added := make(map[uint64]int)
	for i, sc := range batch {
		s := r.peekLocked(sc.Message.Slot)
		if sc.Message.Delegate != sc.Message.Proposer && (s == nil || !s.hasDelegation(sc.Message.Proposer, sc.Message.Delegate)) {
			return fmt.Errorf("constraints %d: %w: delegate %s, proposer %s, slot %d", i, ErrNotDelegated, sc.Message.Delegate, sc.Message.Proposer, sc.Message.Slot)
		}
		n := 0
		if s != nil {
			n = len(s.constraints)
		}
		if n+added[sc.Message.Slot]+1 > r.limits.ConstraintsPerSlot {
			return fmt.Errorf("constraints %d: %w: %d messages in slot %d", i, ErrCapacity, n, sc.Message.Slot)
		}
		added[sc.Message.Slot]++
	}
	bySlot := make(map[uint64][]*protocol.SignedConstraints)
	for _, sc := range batch {
		s := r.slotLocked(sc.Message.Slot)
		if containsConstraints(s.constraints, sc) {
			continue // a resend after a timeout: idempotent
		}
		s.constraints = append(s.constraints, sc)
		s.gen++
		bySlot[sc.Message.Slot] = append(bySlot[sc.Message.Slot], sc)
	}
	for slot, scs := range bySlot {
		r.stream.publish(slot, scs)
		r.log.Info().Uint64("slot", slot).Int("messages", len(scs)).Msg("constraints accepted")
	}
	return nil
}

func containsConstraints(list []*protocol.SignedConstraints, sc *protocol.SignedConstraints) bool {
	for _, o := range list {
		if o.Signature == sc.Signature && o.Message.Equal(&sc.Message) {
			return true
		}
	}
	return false
}

// handleDelegate takes one SignedDelegation.
func (r *Relay) handleDelegate(w http.ResponseWriter, req *http.Request) {
	body, err := r.readBody(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	var d protocol.SignedDelegation
	if err := json.Unmarshal(body, &d); err != nil {
		writeError(w, fmt.Errorf("%w: %w", ErrBadRequest, err))
		return
	}
	if err := r.AddDelegation(&d); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// AddDelegation verifies and stores a delegation. A delegation that was
// revoked for its slot stays revoked: otherwise anyone holding the signed
// delegation could replay it after the revocation.
func (r *Relay) AddDelegation(d *protocol.SignedDelegation) error {
	if err := r.checkWindow(d.Message.Slot); err != nil {
		return err
	}
	if err := d.Verify(r.domains); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slotLocked(d.Message.Slot)
	if s.isRevoked(d.Message.Proposer, d.Message.Delegate) {
		return fmt.Errorf("%w: delegation to %s was revoked for slot %d", ErrNotDelegated, d.Message.Delegate, d.Message.Slot)
	}
	for _, o := range s.delegations {
		if o.Signature == d.Signature {
			return nil
		}
	}
	if len(s.delegations) >= r.limits.DelegationsPerSlot {
		return fmt.Errorf("%w: %d delegations in slot %d", ErrCapacity, len(s.delegations), d.Message.Slot)
	}
	s.delegations = append(s.delegations, d)
	r.log.Info().Uint64("slot", d.Message.Slot).Str("pubkey", d.Message.Proposer.String()).Msg("delegation accepted")
	return nil
}

// handleRevoke takes one SignedRevocation (Pledge extension).
func (r *Relay) handleRevoke(w http.ResponseWriter, req *http.Request) {
	body, err := r.readBody(w, req)
	if err != nil {
		writeError(w, err)
		return
	}
	var rv protocol.SignedRevocation
	if err := json.Unmarshal(body, &rv); err != nil {
		writeError(w, fmt.Errorf("%w: %w", ErrBadRequest, err))
		return
	}
	if err := r.Revoke(&rv); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// Revoke verifies a revocation, drops the delegation and the constraints its
// delegate signed for the proposer in the slot, and refuses both from then on.
func (r *Relay) Revoke(rv *protocol.SignedRevocation) error {
	if err := r.checkWindow(rv.Message.Slot); err != nil {
		return err
	}
	if err := rv.Verify(r.domains); err != nil {
		return err
	}
	m := rv.Message
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slotLocked(m.Slot)
	if s.revoked == nil {
		s.revoked = make(map[[2]protocol.BLSPubkey]bool)
	}
	s.revoked[[2]protocol.BLSPubkey{m.Proposer, m.Delegate}] = true
	keptD := s.delegations[:0]
	for _, d := range s.delegations {
		if d.Message.Proposer != m.Proposer || d.Message.Delegate != m.Delegate {
			keptD = append(keptD, d)
		}
	}
	s.delegations = keptD
	if m.Delegate != m.Proposer {
		keptC := s.constraints[:0]
		for _, c := range s.constraints {
			if c.Message.Proposer != m.Proposer || c.Message.Delegate != m.Delegate {
				keptC = append(keptC, c)
			}
		}
		s.constraints = keptC
		s.gen++
	}
	r.log.Info().Uint64("slot", m.Slot).Str("pubkey", m.Proposer.String()).Msg("delegation revoked")
	return nil
}

type capabilitiesJSON struct {
	ConstraintTypes []string `json:"constraintTypes"`
}

// handleCapabilities answers {"constraintTypes": ["1"]}; numbers are decimal
// strings as everywhere in the Pledge protocol.
func (r *Relay) handleCapabilities(w http.ResponseWriter, _ *http.Request) {
	out := capabilitiesJSON{ConstraintTypes: make([]string, len(capabilities))}
	for i, c := range capabilities {
		out.ConstraintTypes[i] = fmt.Sprint(c)
	}
	writeJSON(w, http.StatusOK, out)
}

// handleGetDelegations answers the active delegations of a slot.
func (r *Relay) handleGetDelegations(w http.ResponseWriter, req *http.Request) {
	slot, err := parseSlot(req.PathValue("slot"))
	if err != nil {
		writeError(w, err)
		return
	}
	r.mu.Lock()
	out := []*protocol.SignedDelegation{}
	if s := r.peekLocked(slot); s != nil {
		out = append(out, s.delegations...)
	}
	r.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// receiverAuth checks the X-Receiver-Signature of a request against the
// receivers lists of constraints, caching each key's answer. The signature
// is builder.md's (the slot under the Builder-API domain) unless the request
// carries X-Receiver-SigningId and X-Receiver-Nonce: then it is the
// reference implementation's Commit-Boost form.
type receiverAuth struct {
	r      *Relay
	slot   uint64
	sig    *phase0.BLSSignature
	pubkey *phase0.BLSPubKey
	// commitBoost is set for the reference form.
	commitBoost *receiverSigning
	cache       map[protocol.BLSPubkey]bool
}

type receiverSigning struct {
	signingID common.Hash
	nonce     uint64
}

func (r *Relay) newReceiverAuth(req *http.Request, slot uint64) (*receiverAuth, error) {
	a := &receiverAuth{r: r, slot: slot, cache: make(map[protocol.BLSPubkey]bool)}
	if h := req.Header.Get(builderapi.HeaderReceiverSignature); h != "" {
		sig, err := parseSignature(h)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", builderapi.HeaderReceiverSignature, err)
		}
		a.sig = &sig
	}
	if h := req.Header.Get(builderapi.HeaderReceiverPublicKey); h != "" {
		pk, err := parsePubkey(h)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", builderapi.HeaderReceiverPublicKey, err)
		}
		a.pubkey = &pk
	}
	id, nonce := req.Header.Get(builderapi.HeaderReceiverSigningID), req.Header.Get(builderapi.HeaderReceiverNonce)
	if id != "" || nonce != "" {
		var cb receiverSigning
		if err := cb.signingID.UnmarshalText([]byte(id)); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBadRequest, builderapi.HeaderReceiverSigningID, err)
		}
		n, err := strconv.ParseUint(nonce, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %s %q: want a decimal number", ErrBadRequest, builderapi.HeaderReceiverNonce, nonce)
		}
		cb.nonce = n
		a.commitBoost = &cb
	}
	return a, nil
}

// verify checks the request's signature by one receiver key.
func (a *receiverAuth) verify(k protocol.BLSPubkey) bool {
	if a.commitBoost != nil {
		return builderapi.VerifyReceiverCommitBoost(a.slot, a.r.domains, a.commitBoost.signingID, a.commitBoost.nonce, phase0.BLSPubKey(k), *a.sig) == nil
	}
	return builderapi.VerifyReceiver(a.slot, a.r.builderDomain, phase0.BLSPubKey(k), *a.sig) == nil
}

// allowed reports whether the requester may read constraints with these
// receivers: anyone when the list is empty, else a listed key that signed the slot.
func (a *receiverAuth) allowed(receivers []protocol.BLSPubkey) bool {
	if len(receivers) == 0 {
		return true
	}
	if a.sig == nil {
		return false
	}
	for _, k := range receivers {
		if a.pubkey != nil && phase0.BLSPubKey(k) != *a.pubkey {
			continue
		}
		ok, seen := a.cache[k]
		if !seen {
			ok = a.verify(k)
			a.cache[k] = ok
		}
		if ok {
			return true
		}
	}
	return false
}

func (a *receiverAuth) filter(list []*protocol.SignedConstraints) []*protocol.SignedConstraints {
	out := []*protocol.SignedConstraints{}
	for _, sc := range list {
		if a.allowed(sc.Message.Receivers) {
			out = append(out, sc)
		}
	}
	return out
}

// handleGetConstraints answers the constraints of a slot the requester may read.
func (r *Relay) handleGetConstraints(w http.ResponseWriter, req *http.Request) {
	slot, err := parseSlot(req.PathValue("slot"))
	if err != nil {
		writeError(w, err)
		return
	}
	auth, err := r.newReceiverAuth(req, slot)
	if err != nil {
		writeError(w, err)
		return
	}
	r.mu.Lock()
	var list []*protocol.SignedConstraints
	if s := r.peekLocked(slot); s != nil {
		list = append(list, s.constraints...)
	}
	r.mu.Unlock()
	writeJSON(w, http.StatusOK, auth.filter(list))
}

// streamKeepAlive is how often an idle SSE stream gets a comment line, so
// proxies keep it open.
const streamKeepAlive = 15 * time.Second

// handleConstraintsStream serves a slot's constraints as server-sent events:
// "event: json" with a SignedConstraints[] as data, first what is known,
// then each accepted batch. It ends when the slot leaves the window.
func (r *Relay) handleConstraintsStream(w http.ResponseWriter, req *http.Request) {
	slot, err := parseSlot(req.PathValue("slot"))
	if err != nil {
		writeError(w, err)
		return
	}
	if err := r.checkWindow(slot); err != nil {
		writeError(w, err)
		return
	}
	auth, err := r.newReceiverAuth(req, slot)
	if err != nil {
		writeError(w, err)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, fmt.Errorf("streaming unsupported by the connection"))
		return
	}
	// Snapshot and subscribe under one lock, so no batch is missed or doubled.
	r.mu.Lock()
	var known []*protocol.SignedConstraints
	if s := r.peekLocked(slot); s != nil {
		known = append(known, s.constraints...)
	}
	sub := r.stream.subscribe(slot)
	r.mu.Unlock()
	defer r.stream.unsubscribe(slot, sub)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)
	send := func(list []*protocol.SignedConstraints) bool {
		list = auth.filter(list)
		if len(list) == 0 {
			return true
		}
		b, err := json.Marshal(list)
		if err != nil {
			return false
		}
		if _, err := fmt.Fprintf(w, "event: json\ndata: %s\n\n", b); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	if !send(known) {
		return
	}
	flusher.Flush()
	tick := time.NewTicker(streamKeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-req.Context().Done():
			return
		case <-r.closing:
			return
		case <-sub.done:
			return
		case batch := <-sub.ch:
			if !send(batch) {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}
