package constraints_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/constraints"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

var committer = common.Address{0xc0, 0x33}

func signDelegation(t *testing.T, proposer key, to protocol.BLSPubkey, c common.Address, slot uint64, d protocol.Domains) *protocol.SignedDelegation {
	t.Helper()
	sd, err := protocol.SignDelegation(&protocol.Delegation{Proposer: proposer.pub, Delegate: to, Committer: c, Slot: slot}, d, proposer.sk)
	if err != nil {
		t.Fatal(err)
	}
	return sd
}

func localSigner(t *testing.T, k key) *blssigner.Signer {
	t.Helper()
	l, err := blssigner.NewLocal(k.sk)
	if err != nil {
		t.Fatal(err)
	}
	s, err := blssigner.New(l)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDelegatedKeysSignOnlyDelegatedSlots: with no validator key, the
// sender sends the validator's delegation and the delegate's constraints
// for the delegated slot, and nothing for the slot without a delegation.
func TestDelegatedKeysSignOnlyDelegatedSlots(t *testing.T) {
	t.Parallel()
	proposer, delegate := newKey(t), newKey(t)
	front, srv := newFront(t)
	domains := protocol.NewDomains(genesisForkVersion, 0)
	keys, skipped, err := constraints.NewDelegatedKeys(delegate.pub, committer, localSigner(t, delegate),
		[]*protocol.SignedDelegation{signDelegation(t, proposer, delegate.pub, committer, 101, domains)}, nil)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("err %v, skipped %v", err, skipped)
	}
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub, 102: proposer.pub}}
	s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, keys,
		constraints.Config{Relays: []string{srv.URL}, Committer: committer}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, s)
	waitFor(t, 2*slotDuration, "delegated constraints", func() bool { return len(stored(t, srv.URL, 101)) == 1 })
	time.Sleep(time.Until(d.clock.SlotStart(103)))
	stop()
	sc := stored(t, srv.URL, 101)[0]
	if sc.Message.Delegate != delegate.pub || sc.Message.Proposer != proposer.pub {
		t.Fatalf("constraints by %s for %s", sc.Message.Delegate, sc.Message.Proposer)
	}
	if err := sc.Verify(domains); err != nil {
		t.Fatal(err)
	}
	if ds := delegations(t, srv.URL, 101); len(ds) != 1 || ds[0].Message.Delegate != delegate.pub {
		t.Fatalf("slot 101 delegations at the relay: %d", len(ds))
	}
	if n := front.postsFor(102); n != 0 || s.Sent(102) != nil {
		t.Fatalf("slot 102 (no delegation): %d posts", n)
	}
}

// badSigner answers a signature of another message, or an error.
type badSigner struct {
	sign func(ctx context.Context, req blssigner.Request) (blssigner.Signature, error)
}

func (b badSigner) Sign(ctx context.Context, req blssigner.Request) (blssigner.Signature, error) {
	return b.sign(ctx, req)
}

// TestFailingSignerSendsNothing: a delegate signer that errs, hangs or
// answers a signature that does not verify leaves the slot without
// constraints; nothing unsigned or wrongly signed reaches a relay.
func TestFailingSignerSendsNothing(t *testing.T) {
	t.Parallel()
	domains := protocol.NewDomains(genesisForkVersion, 0)
	for name, mk := range map[string]func(delegate key) constraints.Signer{
		"error": func(key) constraints.Signer {
			return badSigner{func(context.Context, blssigner.Request) (blssigner.Signature, error) {
				return blssigner.Signature{}, blssigner.ErrUnavailable
			}}
		},
		"wrong signature, unchecked": func(delegate key) constraints.Signer {
			l, _ := blssigner.NewLocal(delegate.sk)
			return badSigner{func(ctx context.Context, req blssigner.Request) (blssigner.Signature, error) {
				req.MessageHash[0] ^= 1
				return l.Sign(ctx, req)
			}}
		},
		"slow, behind a timeout": func(delegate key) constraints.Signer {
			s, _ := blssigner.New(hangingBackend{delegate.pub}, blssigner.WithTimeout(50*time.Millisecond))
			return s
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			proposer, delegate := newKey(t), newKey(t)
			front, srv := newFront(t)
			keys, _, err := constraints.NewDelegatedKeys(delegate.pub, committer, mk(delegate),
				[]*protocol.SignedDelegation{signDelegation(t, proposer, delegate.pub, committer, 101, domains)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
			s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, keys,
				constraints.Config{Relays: []string{srv.URL}, Committer: committer}, fastOpts()...)
			if err != nil {
				t.Fatal(err)
			}
			stop := run(t, s)
			time.Sleep(time.Until(d.clock.SlotStart(101)))
			stop()
			if n := front.postsFor(101); n != 0 || s.Sent(101) != nil {
				t.Fatalf("%d constraint posts for slot 101 with a failing signer", n)
			}
			if ds := delegations(t, srv.URL, 101); len(ds) != 0 {
				t.Fatal("the delegation left without constraints")
			}
		})
	}
}

// hangingBackend never answers before its context ends.
type hangingBackend struct{ pk protocol.BLSPubkey }

func (hangingBackend) Kind() string     { return "hanging" }
func (hangingBackend) Endpoint() string { return "test" }
func (hangingBackend) Sign(ctx context.Context, _ blssigner.Request) (blssigner.Signature, error) {
	<-ctx.Done()
	return blssigner.Signature{}, ctx.Err()
}
func (h hangingBackend) Pubkeys(context.Context) ([]protocol.BLSPubkey, error) {
	return []protocol.BLSPubkey{h.pk}, nil
}
func (hangingBackend) Check(context.Context) error { return nil }

func TestDelegatedKeysCheck(t *testing.T) {
	t.Parallel()
	proposer, delegate, other := newKey(t), newKey(t), newKey(t)
	domains := protocol.NewDomains(genesisForkVersion, 0)
	elsewhere := protocol.NewDomains([4]byte{}, 1)
	rev, err := protocol.SignRevocation(&protocol.Revocation{Proposer: proposer.pub, Delegate: delegate.pub, Slot: 12}, domains, proposer.sk)
	if err != nil {
		t.Fatal(err)
	}
	forged := signDelegation(t, proposer, delegate.pub, committer, 13, domains)
	forged.Signature = signDelegation(t, proposer, delegate.pub, committer, 14, domains).Signature
	keys, skipped, err := constraints.NewDelegatedKeys(delegate.pub, committer, localSigner(t, delegate), []*protocol.SignedDelegation{
		signDelegation(t, proposer, delegate.pub, committer, 11, domains),
		signDelegation(t, proposer, delegate.pub, committer, 12, domains),
		forged,
		signDelegation(t, proposer, other.pub, committer, 15, domains),
		signDelegation(t, proposer, delegate.pub, common.Address{0xee}, 16, domains),
	}, []*protocol.SignedRevocation{rev})
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 2 || !strings.Contains(skipped[0].Error(), "not to our delegate") || !strings.Contains(skipped[1].Error(), "committer") {
		t.Fatalf("skipped %v, want the delegation to another key and the one naming another committer", skipped)
	}
	if p := keys.Proposers(); len(p) != 1 || p[0] != proposer.pub {
		t.Fatalf("proposers %v", p)
	}
	for _, tc := range []struct {
		slot uint64
		d    protocol.Domains
		want error
	}{
		{11, domains, nil},
		{11, elsewhere, constraints.ErrDelegation},
		{12, domains, constraints.ErrRevoked},
		{13, domains, constraints.ErrDelegation},
		{15, domains, constraints.ErrDelegation},
		{16, domains, constraints.ErrDelegation},
		{17, domains, constraints.ErrDelegation},
	} {
		for range 2 { // the second answer comes from the cache
			del, err := keys.Check(proposer.pub, tc.slot, tc.d)
			if !errors.Is(err, tc.want) || (err == nil) != (del != nil) {
				t.Fatalf("slot %d: err %v, want %v", tc.slot, err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), proposer.pub.String()) {
				t.Fatalf("slot %d: %v does not name the validator", tc.slot, err)
			}
		}
	}
	for _, bad := range []func() error{
		func() error {
			_, _, err := constraints.NewDelegatedKeys(protocol.BLSPubkey{}, committer, localSigner(t, delegate), nil, nil)
			return err
		},
		func() error {
			_, _, err := constraints.NewDelegatedKeys(delegate.pub, committer, nil, nil, nil)
			return err
		},
		func() error {
			_, _, err := constraints.NewDelegatedKeys(delegate.pub, common.Address{}, localSigner(t, delegate), nil, nil)
			return err
		},
	} {
		if bad() == nil {
			t.Fatal("NewDelegatedKeys took a missing input")
		}
	}
}
