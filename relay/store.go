package relay

import (
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// registration is the latest validator registration of a pubkey.
type registration struct {
	signed *apiv1.SignedValidatorRegistration
}

// bidKey is what getHeader asks for: a parent and a proposer in a slot.
type bidKey struct {
	parent   phase0.Hash32
	proposer phase0.BLSPubKey
}

// submission is a checked builder block with the relay's signed bid for it.
type submission struct {
	version spec.DataVersion
	builder phase0.BLSPubKey
	value   *uint256.Int
	bid     *builderapi.SignedBuilderBid
	proofs  *protocol.ConstraintProofs
	payload *deneb.ExecutionPayload
	blobs   *builderapi.BlobsBundle
	// checkedGen is the slot's constraints generation the proofs were last
	// found valid for; getHeader re-checks only when it moved.
	checkedGen uint64
}

// served records a header given to a proposer, so only those are revealed.
type served struct {
	sub      *submission
	proposer phase0.BLSPubKey
}

// slotState is everything kept for one slot.
type slotState struct {
	// constraints in arrival order, every proposer's.
	constraints []*protocol.SignedConstraints
	delegations []*protocol.SignedDelegation
	// bids: per key, the latest (or best) submission of each builder.
	bids     map[bidKey]map[phase0.BLSPubKey]*submission
	nSubs    int
	served   map[phase0.Hash32]served
	revealed *phase0.Root // root of the one blinded block revealed for the slot
	// gen counts changes to constraints, so a bid's proofs are checked
	// once per change instead of on every getHeader.
	gen uint64
	// revoked (proposer, delegate) pairs: refused for the rest of the slot.
	revoked map[[2]protocol.BLSPubkey]bool
}

func (s *slotState) isRevoked(proposer, delegate protocol.BLSPubkey) bool {
	return s.revoked[[2]protocol.BLSPubkey{proposer, delegate}]
}

// slotLocked returns the state of slot, creating it, and evicts slots that
// left the window. r.mu must be held.
func (r *Relay) slotLocked(slot uint64) *slotState {
	r.evictLocked()
	s := r.slots[slot]
	if s == nil {
		s = &slotState{
			bids:   make(map[bidKey]map[phase0.BLSPubKey]*submission),
			served: make(map[phase0.Hash32]served),
		}
		r.slots[slot] = s
	}
	return s
}

// peekLocked returns the state of slot or nil. r.mu must be held.
func (r *Relay) peekLocked(slot uint64) *slotState {
	r.evictLocked()
	return r.slots[slot]
}

// evictLocked drops slots before the window and ends their streams.
func (r *Relay) evictLocked() {
	cur := r.currentSlot()
	if cur <= r.limits.PastSlots {
		return
	}
	lo := cur - r.limits.PastSlots
	for slot := range r.slots {
		if slot < lo {
			delete(r.slots, slot)
			r.stream.closeSlot(slot)
		}
	}
}

// hasDelegation reports whether delegate may sign for proposer in slot.
func (s *slotState) hasDelegation(proposer, delegate protocol.BLSPubkey) bool {
	for _, d := range s.delegations {
		if d.Message.Proposer == proposer && d.Message.Delegate == delegate {
			return true
		}
	}
	return false
}

// satisfies reports whether sub proves the constraints of proposer as they
// are now, re-checking only after a change. r.mu must be held.
func (s *slotState) satisfies(sub *submission, proposer protocol.BLSPubkey) bool {
	if sub.checkedGen == s.gen {
		return true
	}
	if checkProofs(sub.bid.Message.Header.TransactionsRoot, s.inclusionTxs(proposer), sub.proofs) != nil {
		return false
	}
	sub.checkedGen = s.gen
	return true
}

// inclusionTxs returns the type-1 constraint payloads for proposer, in
// arrival order then message order: the transactions the block must start with.
func (s *slotState) inclusionTxs(proposer protocol.BLSPubkey) [][]byte {
	var txs [][]byte
	for _, sc := range s.constraints {
		if sc.Message.Proposer != proposer {
			continue
		}
		for _, c := range sc.Message.Constraints {
			if c.ConstraintType == protocol.ConstraintTypeInclusion {
				txs = append(txs, c.Payload)
			}
		}
	}
	return txs
}
