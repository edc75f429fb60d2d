package constraints

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// ErrRevoked is returned for a slot whose delegation a held revocation withdraws.
var ErrRevoked = errors.New("delegation revoked")

type proposerSlot struct {
	proposer protocol.BLSPubkey
	slot     uint64
}

// checked is a verification result and the domains it holds for.
type checked struct {
	d   protocol.Domains
	del *protocol.SignedDelegation
	err error
}

// DelegatedKeys is the KeySource of a sidecar that holds no validator key:
// one delegate key, reached through its Signer, and the delegations the
// validators signed to it (docs/protocol.md §5.5). A slot is ours only with
// a delegation for exactly that proposer and slot, to our delegate and our
// committer, whose signature verifies on this network, and no revocation
// of it.
type DelegatedKeys struct {
	delegate  protocol.BLSPubkey
	committer common.Address
	signer    Signer

	delegations map[proposerSlot][]*protocol.SignedDelegation
	revocations map[proposerSlot][]*protocol.SignedRevocation
	proposers   []protocol.BLSPubkey

	mu    sync.Mutex
	cache map[proposerSlot]checked
}

var _ KeySource = (*DelegatedKeys)(nil)

// NewDelegatedKeys indexes the delegations to delegate naming committer and
// the revocations of delegations to delegate. The others are left out and
// returned as skipped (one reason each), for the caller to warn about.
// Signatures are checked later, against the network's domains (Check).
func NewDelegatedKeys(delegate protocol.BLSPubkey, committer common.Address, signer Signer,
	delegations []*protocol.SignedDelegation, revocations []*protocol.SignedRevocation,
) (k *DelegatedKeys, skipped []error, err error) {
	switch {
	case delegate == (protocol.BLSPubkey{}):
		return nil, nil, errors.New("constraints: no delegate key specified")
	case signer == nil:
		return nil, nil, errors.New("constraints: no delegate signer specified")
	case committer == (common.Address{}):
		return nil, nil, errors.New("constraints: no committer specified")
	}
	k = &DelegatedKeys{
		delegate: delegate, committer: committer, signer: signer,
		delegations: map[proposerSlot][]*protocol.SignedDelegation{},
		revocations: map[proposerSlot][]*protocol.SignedRevocation{},
		cache:       map[proposerSlot]checked{},
	}
	for i, d := range delegations {
		m := d.Message
		switch {
		case m.Delegate != delegate:
			skipped = append(skipped, fmt.Errorf("delegation %d (validator %s, slot %d) is to %s, not to our delegate key %s",
				i, m.Proposer, m.Slot, m.Delegate, delegate))
			continue
		case m.Committer != committer:
			skipped = append(skipped, fmt.Errorf("delegation %d (validator %s, slot %d) names committer %s, not ours (%s)",
				i, m.Proposer, m.Slot, m.Committer, committer))
			continue
		}
		key := proposerSlot{m.Proposer, m.Slot}
		k.delegations[key] = append(k.delegations[key], d)
		if !slices.Contains(k.proposers, m.Proposer) {
			k.proposers = append(k.proposers, m.Proposer)
		}
	}
	for _, r := range revocations {
		if r.Message.Delegate != delegate {
			continue // withdraws a delegation we do not act on
		}
		key := proposerSlot{r.Message.Proposer, r.Message.Slot}
		k.revocations[key] = append(k.revocations[key], r)
	}
	return k, skipped, nil
}

// Delegate is the delegate key.
func (k *DelegatedKeys) Delegate() protocol.BLSPubkey { return k.delegate }

// Proposers are the validators with at least one delegation to us, in file order.
func (k *DelegatedKeys) Proposers() []protocol.BLSPubkey { return slices.Clone(k.proposers) }

// Delegations are the held delegations to us, whatever their slot.
func (k *DelegatedKeys) Delegations() []*protocol.SignedDelegation {
	var out []*protocol.SignedDelegation
	for _, ds := range k.delegations {
		out = append(out, ds...)
	}
	slices.SortFunc(out, func(a, b *protocol.SignedDelegation) int {
		if a.Message.Slot != b.Message.Slot {
			return cmpUint(a.Message.Slot, b.Message.Slot)
		}
		return slices.Compare(a.Message.Proposer[:], b.Message.Proposer[:])
	})
	return out
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Check returns the delegation that lets our delegate sign proposer's
// constraints for slot on the network of d, or why there is none (wrapping
// ErrDelegation, or ErrRevoked). Results are kept per slot and domains, so
// the hot path (every request asks) verifies each delegation once.
func (k *DelegatedKeys) Check(proposer protocol.BLSPubkey, slot uint64, d protocol.Domains) (*protocol.SignedDelegation, error) {
	key := proposerSlot{proposer, slot}
	k.mu.Lock()
	c, ok := k.cache[key]
	k.mu.Unlock()
	if ok && c.d == d {
		return c.del, c.err
	}
	del, err := k.check(key, d)
	k.mu.Lock()
	k.cache[key] = checked{d: d, del: del, err: err}
	k.mu.Unlock()
	return del, err
}

func (k *DelegatedKeys) check(key proposerSlot, d protocol.Domains) (*protocol.SignedDelegation, error) {
	for _, r := range k.revocations[key] {
		if r.Verify(d) == nil {
			return nil, fmt.Errorf("%w: validator %s revoked its delegation of slot %d to %s", ErrRevoked, key.proposer, key.slot, k.delegate)
		}
	}
	ds := k.delegations[key]
	if len(ds) == 0 {
		return nil, fmt.Errorf("%w: validator %s signed none for slot %d to %s", ErrDelegation, key.proposer, key.slot, k.delegate)
	}
	var last error
	for _, del := range ds {
		if last = del.Verify(d); last == nil {
			return del, nil
		}
	}
	return nil, fmt.Errorf("%w: validator %s's delegation of slot %d does not verify on this network: %w", ErrDelegation, key.proposer, key.slot, last)
}

// Key returns the delegate and the slot's delegation when one is held; the
// Sender verifies the delegation before it signs anything.
func (k *DelegatedKeys) Key(proposer protocol.BLSPubkey, slot uint64) (Key, bool) {
	ds := k.delegations[proposerSlot{proposer, slot}]
	if len(ds) == 0 {
		return Key{}, false
	}
	return Key{Delegate: k.delegate, Signer: k.signer, Delegation: ds[0]}, true
}

// KeyFor is Key with the delegation checked on the network of d.
func (k *DelegatedKeys) KeyFor(proposer protocol.BLSPubkey, slot uint64, d protocol.Domains) (Key, error) {
	del, err := k.Check(proposer, slot, d)
	if err != nil {
		return Key{}, err
	}
	return Key{Delegate: k.delegate, Signer: k.signer, Delegation: del}, nil
}
