package devnet_test

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/internal/devnet"
)

// TestRelayBlocks runs five slots through the relay and the reference
// builder: every slot gets the relay's block at its timestamp, built on the
// previous one, and a tx sent to geth's pool lands.
func TestRelayBlocks(t *testing.T) {
	t.Parallel()
	for _, v1 := range []bool{false, true} {
		name := "v2 publish"
		if v1 {
			name = "v1 reveal"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n := startNet(t, devnet.Config{BlindedBlockV1: v1})
			env := withRelay(t, n)
			var sent common.Hash
			prev := blockAt(t, n, 0).Hash()
			for i := uint64(1); i <= 5; i++ {
				if i == 2 {
					sent = transfer(t, n, 0, 0).Hash()
				}
				rec := step(t, n)
				if rec.Slot != i || rec.Source != devnet.SourceRelay {
					t.Fatalf("slot %d: record %+v, want the relay's block", i, rec)
				}
				if rec.ProposerIndex != n.Proposer(i).Index {
					t.Fatalf("slot %d proposed by %d, duty says %d", i, rec.ProposerIndex, n.Proposer(i).Index)
				}
				b := blockAt(t, n, i)
				if b.Time() != n.SlotTime(i) || b.Hash() != rec.BlockHash || b.ParentHash() != prev {
					t.Fatalf("slot %d: block %d time %d hash %s parent %s; want time %d hash %s parent %s",
						i, i, b.Time(), b.Hash(), b.ParentHash(), n.SlotTime(i), rec.BlockHash, prev)
				}
				if b.Coinbase() != n.Proposer(i).FeeRecipient {
					t.Fatalf("slot %d pays %s, the proposer registered %s", i, b.Coinbase(), n.Proposer(i).FeeRecipient)
				}
				if pbr := b.BeaconRoot(); pbr == nil || *pbr == (common.Hash{}) {
					t.Fatalf("slot %d: no parent beacon root", i)
				}
				prev = b.Hash()
			}
			env.noBuilderErrors(t)
			r, err := n.EL().Client().TransactionReceipt(context.Background(), sent)
			if err != nil {
				t.Fatalf("pool tx did not land: %v", err)
			}
			if r.BlockNumber.Uint64() != 2 {
				t.Fatalf("pool tx landed in block %d, want 2 (the first built after it was sent)", r.BlockNumber)
			}
			if rec := n.Records()[1]; rec.TxCount != 1 {
				t.Fatalf("slot 2 record says %d txs", rec.TxCount)
			}
		})
	}
}
