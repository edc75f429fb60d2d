package sidecar_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

// TestDelegationFirst runs the sidecar with no validator key: a delegate
// key and delegations from validator 0 only (both validators are
// registered). It sells validator 0's slots, whose promises land with
// constraints the delegate signed, and refuses validator 1's with -32004
// and a warning naming the validator.
func TestDelegationFirst(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet with the sidecar in builder mode; skipped in -short")
	}
	delegateSK, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	delegate, _ := protocol.PubkeyFromSecretKey(delegateSK)
	var front *relayFront
	var refused protocol.BLSPubkey
	w := startBuildWorld(t, buildWorldConfig{
		validators: 2, registered: []int{0, 1},
		relays: func(t *testing.T, n *devnet.Network) []string {
			r := newPledgeRelay(t, n)
			front = newFront(t, honest, r.Handler())
			withBuilder(t, n, front.srv.URL)
			pk := r.Pubkey()
			u, _ := url.Parse(front.srv.URL)
			u.User = url.User(fmt.Sprintf("%#x", pk[:]))
			return []string{u.String()}
		},
		configure: func(t *testing.T, n *devnet.Network, cfg *sidecar.Config, committer common.Address) {
			fork := n.Config().GenesisForkVersion
			if fork == ([4]byte{}) {
				fork = devnet.DefaultGenesisForkVersion
			}
			domains := protocol.NewDomains(fork, n.Config().ChainID)
			v0 := n.Validators()[0]
			refused, _ = protocol.PubkeyFromSecretKey(n.Validators()[1].SecretKey)
			proposer, _ := protocol.PubkeyFromSecretKey(v0.SecretKey)
			var ds []*protocol.SignedDelegation
			for slot := range uint64(400) {
				d, err := protocol.SignDelegation(&protocol.Delegation{Proposer: proposer, Delegate: delegate, Committer: committer, Slot: slot}, domains, v0.SecretKey)
				if err != nil {
					t.Fatal(err)
				}
				ds = append(ds, d)
			}
			local, err := blssigner.NewLocal(delegateSK)
			if err != nil {
				t.Fatal(err)
			}
			signer, err := blssigner.New(local)
			if err != nil {
				t.Fatal(err)
			}
			cfg.ValidatorKeys = nil
			cfg.Delegation = sidecar.DelegationConfig{Delegate: delegate, Signer: signer, Delegations: ds}
		},
	})

	// Every slot on offer is validator 0's.
	slot := w.nextSlot(t, 700*time.Millisecond, 0)
	if p := w.net.Proposer(slot); p.Index != 0 {
		t.Fatalf("slot %d offered, proposed by validator %d without a delegation", slot, p.Index)
	}
	want := []*types.Transaction{w.promise(t, w.senders[0], slot)}
	w.checkLanded(t, slot, want)
	if got := front.constraintsFor(slot); got != len(want) {
		t.Fatalf("relay got %d constraints for slot %d, want %d", got, slot, len(want))
	}

	// Validator 1's next slot is refused.
	cur := uint64(time.Since(w.net.GenesisTime()) / netSlot)
	var theirs uint64
	for s := cur + 2; s < cur+64; s++ {
		if w.net.Proposer(s).Index == 1 {
			theirs = s
			break
		}
	}
	if theirs == 0 {
		t.Skip("validator 1 proposes none of the next 64 slots")
	}
	payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, theirs, [][]byte{signedTransfer(t, w, theirs)})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "validator 1's duty known", func() bool {
		r := call(t, w.userURL, "commitmentRequest", protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: w.k.Slasher})
		if r.Error == nil {
			t.Fatalf("slot %d of validator 1 (no delegation) was sold", theirs)
		}
		if r.Error.Code != api.CodeSlotNotOffered {
			t.Fatalf("slot %d: error %d %s, want %d", theirs, r.Error.Code, r.Error.Message, api.CodeSlotNotOffered)
		}
		return strings.Contains(w.logs.tail(400), refused.String())
	})
	if front.constraintsFor(theirs) != 0 {
		t.Fatal("constraints sent for a slot without a delegation")
	}
}

// signedTransfer is a transfer for slot that is not promised.
func signedTransfer(t *testing.T, w *buildWorld, slot uint64) []byte {
	t.Helper()
	to := common.Address{0xbe, 0xef, byte(slot)}
	tx, err := types.SignNewTx(w.senders[3], types.LatestSignerForChainID(w.chainID), &types.DynamicFeeTx{
		ChainID: w.chainID, Nonce: 0, GasTipCap: w.chainID, GasFeeCap: w.chainID, Gas: 21_000, To: &to,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
