package devnet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// TestConstraintsOnTop: the reference builder on the EL adapter puts the
// slot's constrained txs (never sent to the pool) at the top of the relay's
// block, in order, with the pool's txs after them.
func TestConstraintsOnTop(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{})
	env := withRelay(t, n)
	chainID := new(big.Int).SetUint64(n.Config().ChainID)
	signer := types.LatestSignerForChainID(chainID)
	var top [][]byte
	var topHashes []common.Hash
	for nonce := range uint64(2) {
		to := common.Address{0xc0}
		tx := types.MustSignNewTx(n.Accounts()[2], signer, &types.DynamicFeeTx{
			ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 21_000, To: &to,
		})
		raw, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		top, topHashes = append(top, raw), append(topHashes, tx.Hash())
	}
	pool := transfer(t, n, 3, 0)

	proposer := n.Proposer(1)
	m := &protocol.ConstraintsMessage{Proposer: protocol.BLSPubkey(proposer.Pubkey), Delegate: protocol.BLSPubkey(proposer.Pubkey), Slot: 1}
	for _, raw := range top {
		m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: raw})
	}
	sc, err := protocol.SignConstraints(m, protocol.NewDomains(n.RelayConfig().GenesisForkVersion, n.RelayConfig().ChainID), proposer.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal([]*protocol.SignedConstraints{sc})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(env.srv.URL+"/constraints/v0/builder/constraints", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("post constraints: %s", resp.Status)
	}

	rec := step(t, n)
	env.noBuilderErrors(t)
	if rec.Source != devnet.SourceRelay {
		t.Fatalf("record %+v, want the relay's block", rec)
	}
	var got []common.Hash
	for _, tx := range blockAt(t, n, 1).Transactions() {
		got = append(got, tx.Hash())
	}
	want := append(slices.Clone(topHashes), pool.Hash())
	if !slices.Equal(got, want) {
		t.Fatalf("block txs %v, want constrained %v then pool %s", got, topHashes, pool.Hash())
	}
}

// TestTrackerFollowsNetwork: sidecar/duties' Tracker on the network's
// beacon URL gets the clock, the fork version, our duties and the head
// events of the blocks the driver makes on the wall clock.
func TestTrackerFollowsNetwork(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{GenesisTime: time.Now().Add(-time.Second)})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runDone := make(chan error, 1)
	go func() { runDone <- n.Run(ctx) }()

	ours := map[uint64]bool{0: true, 1: true} // half of the 4 validators
	var keys []protocol.BLSPubkey
	for i := range ours {
		keys = append(keys, protocol.BLSPubkey(n.Validators()[i].Pubkey))
	}
	client, err := duties.Connect(ctx, n.BeaconURL(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := duties.New(client, keys, zerolog.Nop(), duties.WithBackoff(20*time.Millisecond, 200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	heads := tr.Subscribe()
	trDone := make(chan error, 1)
	go func() { trDone <- tr.Run(ctx) }()

	var head duties.Head
	for head.Slot < 3 {
		select {
		case h, ok := <-heads:
			if !ok {
				t.Fatal("head subscription closed")
			}
			head = h
		case <-ctx.Done():
			t.Fatalf("no head event for slot 3: last %+v", head)
		}
	}
	var rec devnet.SlotRecord
	for _, r := range n.Records() {
		if r.Slot == head.Slot {
			rec = r
		}
	}
	if rec.Source != devnet.SourceLocal || head.Root != [32]byte(rec.BeaconRoot) {
		t.Fatalf("head %+v, record %+v: the event must carry the block's root", head, rec)
	}
	if tr.GenesisForkVersion() != [4]byte(n.RelayConfig().GenesisForkVersion) {
		t.Fatalf("fork version %x", tr.GenesisForkVersion())
	}
	clock := tr.Clock()
	if !clock.Genesis.Equal(n.GenesisTime()) || clock.SlotDuration != time.Second || clock.SlotsPerEpoch != 4 {
		t.Fatalf("clock %+v", clock)
	}
	deadline := time.Now().Add(5 * time.Second)
	for tr.Ready() != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := tr.Ready(); err != nil {
		t.Fatal(err)
	}
	cur := clock.CurrentSlot()
	for s := cur + 1; s <= cur+3; s++ {
		want := n.Proposer(s)
		d, ok := tr.Duty(s)
		if ok != ours[want.Index] {
			t.Fatalf("slot %d (validator %d): tracker says ours=%v", s, want.Index, ok)
		}
		if ok && (d.ValidatorIndex != want.Index || d.Pubkey != protocol.BLSPubkey(want.Pubkey)) {
			t.Fatalf("slot %d duty %+v, want validator %d", s, d, want.Index)
		}
	}
	cancel()
	for _, ch := range []chan error{runDone, trDone} {
		select {
		case err := <-ch:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not stop")
		}
	}
}

// TestConstraintsOverConflictingPool: a pool tx that no longer applies
// after the constrained ones (same sender and nonce) is left out and the
// constrained tx still opens the block.
func TestConstraintsOverConflictingPool(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{})
	env := withRelay(t, n)
	chainID := new(big.Int).SetUint64(n.Config().ChainID)
	to := common.Address{0xc1}
	promised := types.MustSignNewTx(n.Accounts()[0], types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: 0, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 21_000, To: &to,
	})
	conflicting := transfer(t, n, 0, 0) // same sender and nonce, different tx
	raw, err := promised.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	proposer := n.Proposer(1)
	sc, err := protocol.SignConstraints(&protocol.ConstraintsMessage{
		Proposer: protocol.BLSPubkey(proposer.Pubkey), Delegate: protocol.BLSPubkey(proposer.Pubkey), Slot: 1,
		Constraints: []protocol.Constraint{{ConstraintType: protocol.ConstraintTypeInclusion, Payload: raw}},
	}, protocol.NewDomains(n.RelayConfig().GenesisForkVersion, n.RelayConfig().ChainID), proposer.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.relay.AddConstraints([]*protocol.SignedConstraints{sc}); err != nil {
		t.Fatal(err)
	}
	rec := step(t, n)
	env.noBuilderErrors(t)
	txs := blockAt(t, n, 1).Transactions()
	if rec.Source != devnet.SourceRelay || len(txs) != 1 || txs[0].Hash() != promised.Hash() {
		t.Fatalf("record %+v with %d txs; want the relay's block holding only the promised tx, not %s", rec, len(txs), conflicting.Hash())
	}
}

// TestELDownMissesSlot: when the EL is gone the slot is recorded as missed
// with the error, and Step moves on to the next slot.
func TestELDownMissesSlot(t *testing.T) {
	t.Parallel()
	n := startNet(t, devnet.Config{})
	step(t, n)
	if err := n.EL().Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := n.Step(ctx); err == nil {
		t.Fatal("a slot was proposed with the EL down")
	}
	recs := n.Records()
	if len(recs) != 2 || recs[1].Slot != 2 || recs[1].Source != devnet.SourceMissed || recs[1].Reason == "" {
		t.Fatalf("records %+v", recs)
	}
	if n.LastSlot() != 2 {
		t.Fatalf("last slot %d, want 2", n.LastSlot())
	}
}
