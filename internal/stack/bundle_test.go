package stack

import (
	"context"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// TestBundleOverTwoRollups promises one bundle holding an L2 transfer on
// each of two rollups, and checks the cross-rollup atomic inclusion end to
// end: both transfers sit in the one Inbox post of the promised slot's L1
// block, and both rollup nodes execute them.
func TestBundleOverTwoRollups(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole devnet with two rollups; skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Start(ctx, Config{Validators: 2, Rollups: 2, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	user, err := dialRPC(ctx, s.userURL)
	if err != nil {
		t.Fatal(err)
	}
	defer user.Close()
	var slots protocol.SlotInfoResponse
	if err := user.CallContext(ctx, &slots, "slots"); err != nil {
		t.Fatal(err)
	}
	// The second slot on offer leaves the request time before its deadline.
	if len(slots.Slots) < 2 {
		t.Fatalf("slots on offer: %+v", slots)
	}
	slot := slots.Slots[1].Slot
	key := s.senders[0]
	chains := []uint64{FirstRollupChainID, FirstRollupChainID + 1}
	var raws [][]byte
	var hashes []common.Hash
	for _, chain := range chains {
		raw, tx, err := transfer(key, new(big.Int).SetUint64(chain), 0, l2Tip, l2FeeCap)
		if err != nil {
			t.Fatal(err)
		}
		raws, hashes = append(raws, raw), append(hashes, tx.Hash())
	}
	payload, err := protocol.EncodeRequestPayload(protocol.TypeBundle, slot, raws)
	if err != nil {
		t.Fatal(err)
	}
	var sc protocol.SignedCommitment
	err = user.CallContext(ctx, &sc, "commitmentRequest", protocol.CommitmentRequest{
		CommitmentType: protocol.TypeBundle, Payload: payload, Slasher: s.contracts.Slasher,
	})
	if err != nil {
		t.Fatalf("bundle refused: %v", err)
	}
	p, err := sc.Verify(s.chainID.Uint64(), s.committer)
	if err != nil {
		t.Fatal(err)
	}
	if p.CommitmentType != protocol.TypeBundle || len(p.Inclusions) != 2 || p.Slot != slot {
		t.Fatalf("promise %+v", p)
	}

	// Both L2 transfers execute on their own rollups.
	for i, n := range s.rollups {
		c, err := ethclient.DialContext(ctx, n.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for {
			rcpt, err := c.TransactionReceipt(ctx, hashes[i])
			if err == nil {
				if rcpt.Status != 1 {
					t.Fatalf("rollup %d: transfer failed", chains[i])
				}
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("rollup %d never executed the bundle's transfer", chains[i])
			case <-time.After(200 * time.Millisecond):
			}
		}
	}

	// Both sit in one Inbox post, in the promised slot's block.
	block, err := s.el.BlockByNumber(ctx, nil)
	for err == nil && block.Time() > s.net.SlotTime(slot) {
		block, err = s.el.BlockByNumber(ctx, new(big.Int).Sub(block.Number(), big.NewInt(1)))
	}
	if err != nil {
		t.Fatal(err)
	}
	if block.Time() != s.net.SlotTime(slot) {
		t.Fatalf("no block at slot %d's time", slot)
	}
	posts := 0
	for _, tx := range block.Transactions() {
		if tx.To() == nil || *tx.To() != s.contracts.Inbox {
			continue
		}
		posts++
		arg, err := rollupnode.PostArgument(tx.Data())
		if err != nil {
			t.Fatalf("Inbox call in slot %d is not a post: %v", slot, err)
		}
		batches, err := rollup.DecodePost(arg)
		if err != nil {
			t.Fatalf("post in slot %d does not decode: %v", slot, err)
		}
		for i, chain := range chains {
			found := slices.ContainsFunc(batches, func(b rollup.Batch) bool {
				return b.ChainID == chain && slices.ContainsFunc(b.Txs, func(raw []byte) bool { return string(raw) == string(raws[i]) })
			})
			if !found {
				t.Fatalf("rollup %d's transfer is not in the slot's post", chain)
			}
		}
	}
	if posts != 1 {
		t.Fatalf("%d Inbox posts in slot %d's block, want exactly one carrying both rollups", posts, slot)
	}
}
