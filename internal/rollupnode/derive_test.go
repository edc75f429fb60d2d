package rollupnode_test

import (
	"context"
	"encoding/binary"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// tamperingL1 is the real L1 except that the posting transactions it names
// come back with other calldata, as a lying or broken L1 endpoint would
// serve them: the Inbox's events stay true.
type tamperingL1 struct {
	rollupnode.L1Client
	mu       sync.Mutex
	calldata map[common.Hash][]byte
}

func (c *tamperingL1) TransactionInBlock(ctx context.Context, block common.Hash, index uint) (*types.Transaction, error) {
	tx, err := c.L1Client.TransactionInBlock(ctx, block, index)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	data, ok := c.calldata[tx.Hash()]
	c.mu.Unlock()
	if !ok {
		return tx, nil
	}
	return types.NewTx(&types.LegacyTx{Nonce: tx.Nonce(), To: tx.To(), Gas: tx.Gas(), GasPrice: big.NewInt(1), Data: data}), nil
}

func (c *tamperingL1) tamper(l1Tx common.Hash, calldata []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calldata[l1Tx] = calldata
}

// A batch whose calldata does not fold to the event's accumulator and count
// is skipped whole; the next batch still executes.
func TestNodeSkipsBatchNotMatchingInboxRecord(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// served is what the tampered L1 returns as the post's calldata, given
		// the posted tx and an alternative valid tx.
		served func(t *testing.T, posted, other *types.Transaction) []byte
		log    string
	}{
		{"other tx in its place", func(t *testing.T, _, other *types.Transaction) []byte {
			return postCalldata(t, rollup.Batch{ChainID: chainA, Txs: raws(t, other)})
		}, "accumulator"},
		{"tx dropped", func(t *testing.T, _, other *types.Transaction) []byte {
			return postCalldata(t, rollup.Batch{ChainID: chainB, Txs: raws(t, other)})
		}, "0 txs decoded, the event counts 1"},
		{"tx added", func(t *testing.T, posted, other *types.Transaction) []byte {
			return postCalldata(t, rollup.Batch{ChainID: chainA, Txs: raws(t, posted, other)})
		}, "2 txs decoded, the event counts 1"},
		{"not a post", func(t *testing.T, posted, _ *types.Transaction) []byte {
			return append([]byte{1, 2, 3, 4}, raw(t, posted)...)
		}, "not a direct Inbox.post call"},
		{"malformed post", func(t *testing.T, _, _ *types.Transaction) []byte {
			// chainA, one tx of length 0: the encoder refuses to write it, so by hand.
			packed := binary.BigEndian.AppendUint64(nil, chainA)
			packed = append(packed, 0, 1, 0, 0, 0)
			return rollup.PostCalldata(packed)
		}, "malformed inbox post"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			l1 := &tamperingL1{L1Client: e.l1.Client, calldata: map[common.Hash][]byte{}}
			cfg := e.config(chainA)
			cfg.L1 = l1
			n := e.start(cfg)
			posted := transfer(t, e.keys[0], chainA, 0, e.l2Addr(2), ether(1))
			other := transfer(t, e.keys[1], chainA, 0, e.l2Addr(2), ether(1))

			r := e.post(rollup.Batch{ChainID: chainA, Txs: raws(t, posted)})
			l1.tamper(r.TxHash, c.served(t, posted, other))
			n.sync(t)
			n.noReceipt(t, posted.Hash())
			n.noReceipt(t, other.Hash())
			if got := n.balance(t, e.l2Addr(2)); got.Sign() != 0 {
				t.Fatalf("recipient has %s after a skipped batch", got)
			}
			if logs := n.logs.String(); !strings.Contains(logs, c.log) {
				t.Fatalf("logs do not say %q:\n%s", c.log, logs)
			}

			// The same tx posted again, served honestly, executes.
			r = e.post(rollup.Batch{ChainID: chainA, Txs: raws(t, posted)})
			n.sync(t)
			if rc := n.receipt(t, posted.Hash()); rc.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("re-posted tx status %d", rc.Status)
			}
		})
	}
}

func postCalldata(t *testing.T, batches ...rollup.Batch) []byte {
	t.Helper()
	return rollup.PostCalldata(encodePost(t, batches...))
}

// An L1 reorg that removes a post removes the L2 block derived from it; the
// node then derives the new branch.
func TestNodeRewindsOnL1Reorg(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := e.start(e.config(chainA))
	ctx := context.Background()
	tx := transfer(t, e.keys[0], chainA, 0, e.l2Addr(2), ether(1))
	r := e.post(rollup.Batch{ChainID: chainA, Txs: raws(t, tx)})
	n.sync(t)
	before := n.receipt(t, tx.Hash()).BlockHash

	postBlock, err := e.l1.Client.HeaderByNumber(ctx, r.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.l1.Backend.Fork(postBlock.ParentHash); err != nil {
		t.Fatal(err)
	}
	// Two empty blocks: the new branch is longer, so canonical.
	e.l1.Commit()
	e.l1.Commit()
	if h, err := e.l1.Client.HeaderByNumber(ctx, r.BlockNumber); err != nil || h.Hash() == postBlock.Hash() {
		t.Fatalf("the fork did not replace L1 block %d: %v", r.BlockNumber, err)
	}
	n.sync(t)
	if !strings.Contains(n.logs.String(), "L1 reorg") {
		t.Fatalf("the reorg was not logged:\n%s", n.logs.String())
	}
	// The simulated L1 may make the branch canonical at equal length and
	// re-include the dropped post in its second block: then the tx is in an
	// L2 block derived from that block, never in the old one.
	if _, err := e.l1.Client.TransactionReceipt(ctx, r.TxHash); err == nil {
		if got := n.receipt(t, tx.Hash()).BlockHash; got == before {
			t.Fatal("the L2 block of the dropped L1 block survived the reorg")
		}
	} else {
		if n.Head().Number.Uint64() != 0 {
			t.Fatalf("head %d after the reorg, want 0", n.Head().Number)
		}
		n.noReceipt(t, tx.Hash())
	}

	// Posted again on the new branch (by another key: the dropped post may be
	// back in the pool), the tx executes.
	opts := e.l1.Opts(0)
	opts.GasLimit = 2_000_000
	again, err := e.inbox.Post(opts, encodePost(t, rollup.Batch{ChainID: chainA, Txs: raws(t, tx)}))
	r = e.l1.Mine(again, err)
	n.sync(t)
	if rc := n.receipt(t, tx.Hash()); rc.BlockHash == before || n.L1Synced() != r.BlockNumber.Uint64() {
		t.Fatalf("tx in L2 block %s, synced to L1 %d; want a new block and L1 %d", rc.BlockHash, n.L1Synced(), r.BlockNumber)
	}
}

// The Inbox keeps one record per poster: two posters' batches in one slot
// each continue their own record, and both execute, in L1 log order. Keyed
// by slot alone, the second poster's batch would be checked against the
// first one's record and skipped.
func TestNodeFollowsTwoPostersInOneSlot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := e.start(e.config(chainA))
	first := transfer(t, e.keys[0], chainA, 0, e.l2Addr(2), ether(1))
	second := transfer(t, e.keys[1], chainA, 0, e.l2Addr(2), ether(2))
	var sent []*types.Transaction
	for i, tx := range []*types.Transaction{first, second} {
		opts := e.l1.Opts(i) // two L1 accounts: two posters
		opts.GasLimit = 2_000_000
		post, err := e.inbox.Post(opts, encodePost(t, rollup.Batch{ChainID: chainA, Txs: raws(t, tx)}))
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, post)
	}
	e.l1.Commit() // both posts in one block, one slot
	var block *big.Int
	for _, post := range sent {
		r, err := e.l1.Client.TransactionReceipt(context.Background(), post.Hash())
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("post %s: %v", post.Hash(), err)
		}
		if block != nil && block.Cmp(r.BlockNumber) != 0 {
			t.Fatalf("posts in L1 blocks %s and %s, want one", block, r.BlockNumber)
		}
		block = r.BlockNumber
	}
	n.sync(t)
	for _, tx := range []*types.Transaction{first, second} {
		if rc := n.receipt(t, tx.Hash()); rc.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("tx %s status %d", tx.Hash(), rc.Status)
		}
	}
	if got := n.balance(t, e.l2Addr(2)); got.Cmp(ether(3)) != 0 {
		t.Fatalf("recipient has %s, want 3 ETH from both posters' batches", got)
	}
	if logs := n.logs.String(); strings.Contains(logs, "skipping batch") {
		t.Fatalf("a batch was skipped:\n%s", logs)
	}
}
