package contracts_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/pledgeproto/pledge/contracts/bindings"
)

type inboxEnv struct {
	*chain
	addr  common.Address
	inbox *bindings.Inbox
}

func deployInbox(t *testing.T) *inboxEnv {
	t.Helper()
	c := newChain(t, 2)
	addr, tx, inbox, err := bindings.DeployInbox(c.opts(0), c.client, c.genesis, secondsPerSlot)
	c.mine(tx, err)
	return &inboxEnv{chain: c, addr: addr, inbox: inbox}
}

// batch is one rollup's part of a post.
type batch struct {
	chainID uint64
	txs     [][]byte
}

// encodePost is the Inbox's wire format: per batch chainId:uint64 ‖ txCount:uint16,
// then per tx length:uint24 ‖ raw bytes.
func encodePost(batches ...batch) []byte {
	var out []byte
	for _, b := range batches {
		out = binary.BigEndian.AppendUint64(out, b.chainID)
		out = binary.BigEndian.AppendUint16(out, uint16(len(b.txs)))
		for _, tx := range b.txs {
			out = append(out, byte(len(tx)>>16), byte(len(tx)>>8), byte(len(tx)))
			out = append(out, tx...)
		}
	}
	return out
}

// fold is the Go side of the Inbox's record: acc = keccak256(acc ‖ keccak256(rawTx)).
func fold(acc common.Hash, txs ...[]byte) common.Hash {
	for _, tx := range txs {
		acc = crypto.Keccak256Hash(acc[:], crypto.Keccak256(tx))
	}
	return acc
}

func randomTxs(t testing.TB, n, size int) [][]byte {
	txs := make([][]byte, n)
	for i := range txs {
		txs[i] = make([]byte, size)
		if _, err := rand.Read(txs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return txs
}

func (e *inboxEnv) record(chainID, slot uint64, poster common.Address) (common.Hash, uint32) {
	e.t.Helper()
	r, err := e.inbox.BatchOf(nil, chainID, slot, poster)
	if err != nil {
		e.t.Fatal(err)
	}
	return r.Acc, r.Count
}

func TestInboxPostRecordsPerChainAndSlot(t *testing.T) {
	t.Parallel()
	e := deployInbox(t)
	a, b := randomTxs(t, 3, 120), randomTxs(t, 2, 200)

	// Two rollups in one call: both records land.
	poster := e.accts[0].addr
	rcpt := e.mine(e.inbox.Post(e.opts(0), encodePost(batch{100, a}, batch{200, b})))
	slot := e.slotOf(rcpt)
	if acc, n := e.record(100, slot, poster); acc != fold(common.Hash{}, a...) || n != 3 {
		t.Fatalf("chain 100: acc %x count %d", acc, n)
	}
	if acc, n := e.record(200, slot, poster); acc != fold(common.Hash{}, b...) || n != 2 {
		t.Fatalf("chain 200: acc %x count %d", acc, n)
	}
	if acc, n := e.record(100, slot+1, poster); acc != (common.Hash{}) || n != 0 {
		t.Fatalf("next slot not empty: %x %d", acc, n)
	}
	if acc, n := e.record(100, slot, e.accts[1].addr); acc != (common.Hash{}) || n != 0 {
		t.Fatalf("another poster's record not empty: %x %d", acc, n)
	}

	// One event per rollup batch, with the record after it.
	it, err := e.inbox.FilterBatchPosted(nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var events []*bindings.InboxBatchPosted
	for it.Next() {
		events = append(events, it.Event)
	}
	if len(events) != 2 || events[0].ChainId != 100 || events[0].TxCount != 3 || events[0].Slot != slot ||
		events[1].ChainId != 200 || events[1].Acc != fold(common.Hash{}, b...) || events[1].Poster != e.accts[0].addr {
		t.Fatalf("events: %+v", events)
	}
}

func TestInboxAppendsWithinASlot(t *testing.T) {
	t.Parallel()
	e := deployInbox(t)
	txs := randomTxs(t, 5, 90)

	poster, other := e.accts[0].addr, e.accts[1].addr

	// The same chain twice in one call, then a second call by the same poster
	// in the same block: one record, in posting order. Another poster's post
	// in that block goes to its own record (#11: no one lengthens another
	// poster's evidence).
	o := e.opts(0)
	tx1, err := e.inbox.Post(o, encodePost(batch{7, txs[:1]}, batch{7, txs[1:3]}))
	if err != nil {
		t.Fatal(err)
	}
	o.Nonce = new(big.Int).SetUint64(tx1.Nonce() + 1)
	tx2, err := e.inbox.Post(o, encodePost(batch{7, txs[3:]}))
	if err != nil {
		t.Fatal(err)
	}
	rcpt := e.mine(e.inbox.Post(e.opts(1), encodePost(batch{7, txs[4:]})))
	rcpt1, rcpt2 := e.mine(tx1, nil), e.mine(tx2, nil)
	if rcpt.BlockHash != rcpt1.BlockHash || rcpt1.BlockHash != rcpt2.BlockHash {
		t.Fatal("posts landed in different blocks")
	}
	slot := e.slotOf(rcpt)
	if acc, n := e.record(7, slot, poster); acc != fold(common.Hash{}, txs...) || n != 5 {
		t.Fatalf("poster: acc %x count %d, want %x 5", acc, n, fold(common.Hash{}, txs...))
	}
	if acc, n := e.record(7, slot, other); acc != fold(common.Hash{}, txs[4:]...) || n != 1 {
		t.Fatalf("other poster: acc %x count %d", acc, n)
	}

	// A later slot starts from zero again.
	e.advance(1)
	rcpt = e.mine(e.inbox.Post(e.opts(0), encodePost(batch{7, txs[:1]})))
	if later := e.slotOf(rcpt); later == slot {
		t.Fatal("no new slot")
	} else if acc, n := e.record(7, later, poster); acc != fold(common.Hash{}, txs[0]) || n != 1 {
		t.Fatalf("later slot: acc %x count %d", acc, n)
	}
}

// One poster's record of a slot holds at most MAX_TXS_PER_SLOT txs, so L2
// evidence against it always fits a transaction; other posters are not held.
func TestInboxCapsAPostersSlot(t *testing.T) {
	t.Parallel()
	e := deployInbox(t)
	inboxABI, _ := bindings.InboxMetaData.GetAbi()
	limit, err := e.inbox.MAXTXSPERSLOT(nil)
	if err != nil {
		t.Fatal(err)
	}
	one := func(n int) [][]byte {
		txs := make([][]byte, n)
		for i := range txs {
			txs[i] = []byte{byte(i), byte(i >> 8)}
		}
		return txs
	}
	_, err = e.inbox.Post(e.opts(0), encodePost(batch{9, one(int(limit) + 1)}))
	if got := revertName(t, err, inboxABI); got != "SlotFull" {
		t.Fatalf("%d txs in one call: %s", limit+1, got)
	}
	o := e.opts(0)
	o.GasLimit = 15_000_000
	rcpt := e.mine(e.inbox.Post(o, encodePost(batch{9, one(int(limit))})))
	if _, n := e.record(9, e.slotOf(rcpt), e.accts[0].addr); n != limit {
		t.Fatalf("record of %d txs, want %d", n, limit)
	}
	// The gas estimate runs in the full record's slot.
	_, err = e.inbox.Post(e.opts(0), encodePost(batch{9, one(1)}))
	if got := revertName(t, err, inboxABI); got != "SlotFull" {
		t.Fatalf("one more tx: %s", got)
	}
	if _, err := e.inbox.Post(e.opts(1), encodePost(batch{9, one(1)})); err != nil {
		t.Fatalf("another poster: %v", err)
	}
}

func TestInboxRefusesMalformedPosts(t *testing.T) {
	t.Parallel()
	e := deployInbox(t)
	inboxABI, _ := bindings.InboxMetaData.GetAbi()
	good := encodePost(batch{5, randomTxs(t, 2, 40)})
	header := func(chainID uint64, count uint16) []byte {
		return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint64(nil, chainID), count)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "EmptyPost"},
		{"short header", good[:9], "Malformed"},
		{"no txs", header(5, 0), "EmptyBatch"},
		{"missing tx", header(5, 1), "Malformed"},
		{"short length", append(header(5, 1), 0, 0), "Malformed"},
		{"zero-length tx", append(header(5, 1), 0, 0, 0), "EmptyTx"},
		{"tx shorter than its length", append(header(5, 1), 0, 0, 4, 1, 2, 3), "Malformed"},
		{"count larger than txs", append(header(5, 3), good[10:]...), "Malformed"},
		{"trailing bytes after a good batch", append(append([]byte{}, good...), 1, 2, 3), "Malformed"},
		{"bad second batch", append(append([]byte{}, good...), header(6, 0)...), "EmptyBatch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.inbox.Post(e.opts(0), tc.data)
			if got := revertName(t, err, inboxABI); got != tc.want {
				t.Fatalf("revert %s, want %s", got, tc.want)
			}
		})
	}
	// A refused post that is mined anyway (fixed gas limit) records nothing, not
	// even its good first batch: the call is atomic.
	o := e.opts(0)
	o.GasLimit = 300_000
	tx, err := e.inbox.Post(o, append(append([]byte{}, good...), header(6, 0)...))
	if err != nil {
		t.Fatal(err)
	}
	e.commit()
	rcpt, err := e.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if rcpt.Status != types.ReceiptStatusFailed {
		t.Fatal("malformed post succeeded on-chain")
	}
	if acc, n := e.record(5, e.slotOf(rcpt), e.accts[0].addr); n != 0 || acc != (common.Hash{}) {
		t.Fatalf("refused post left a record: %x %d", acc, n)
	}
}

// TestInboxGas logs the gas of posting batches (run with -v; `just gas`). L2 txs
// are 120 random bytes, about a signed ETH transfer.
func TestInboxGas(t *testing.T) {
	t.Parallel()
	e := deployInbox(t)
	for _, tc := range []struct {
		rollups, txs int
	}{{1, 1}, {1, 10}, {1, 100}, {2, 10}, {4, 25}} {
		var batches []batch
		for r := 0; r < tc.rollups; r++ {
			batches = append(batches, batch{uint64(1000 + r), randomTxs(t, tc.txs, 120)})
		}
		e.advance(1) // a fresh slot: first writes of each record, the common case
		rcpt := e.mine(e.inbox.Post(e.opts(0), encodePost(batches...)))
		total := tc.rollups * tc.txs
		t.Logf("gas | inbox post, %d rollup(s) x %3d txs | %8d total | %6d per L2 tx", tc.rollups, tc.txs, rcpt.GasUsed, rcpt.GasUsed/uint64(total))
	}
}

// maxTxsPerSlot is Inbox.MAX_TXS_PER_SLOT.
const maxTxsPerSlot = 1024

// parsePost is a reference decoder of the Inbox format: the name of the error
// the contract must revert with, or "" when the post is well formed.
func parsePost(data []byte) string {
	if len(data) == 0 {
		return "EmptyPost"
	}
	for off := 0; off < len(data); {
		if len(data)-off < 10 {
			return "Malformed"
		}
		count := int(binary.BigEndian.Uint16(data[off+8:]))
		if count == 0 {
			return "EmptyBatch"
		}
		// Each case posts for fresh random chain ids: no record holds txs yet.
		if count > maxTxsPerSlot {
			return "SlotFull"
		}
		off += 10
		for k := 0; k < count; k++ {
			if len(data)-off < 3 {
				return "Malformed"
			}
			n := int(data[off])<<16 | int(data[off+1])<<8 | int(data[off+2])
			if n == 0 {
				return "EmptyTx"
			}
			off += 3
			if len(data)-off < n {
				return "Malformed"
			}
			off += n
		}
	}
	return ""
}

// TestInboxDecoderMatchesReference mutates valid posts at random (truncation,
// flipped bytes, appended bytes) and checks the contract accepts exactly what
// the reference decoder accepts, with the same refusal.
func TestInboxDecoderMatchesReference(t *testing.T) {
	t.Parallel()
	e := deployInbox(t)
	inboxABI, _ := bindings.InboxMetaData.GetAbi()
	rng := mrand.New(mrand.NewPCG(1, 2))
	// Accepted posts pile up unmined; the pool's pending nonce can lag behind
	// them, so the nonce is counted here rather than asked for each time.
	nonce, err := e.chain.client.PendingNonceAt(t.Context(), e.chain.accts[0].addr)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		var batches []batch
		for r := 0; r < 1+rng.IntN(3); r++ {
			txs := make([][]byte, 1+rng.IntN(3))
			for k := range txs {
				txs[k] = make([]byte, 1+rng.IntN(40))
			}
			batches = append(batches, batch{rng.Uint64(), txs})
		}
		data := encodePost(batches...)
		switch rng.IntN(4) {
		case 0: // truncate
			data = data[:rng.IntN(len(data))]
		case 1: // flip a byte (often a count or length)
			data[rng.IntN(len(data))] ^= byte(1 + rng.IntN(255))
		case 2: // append garbage
			for n := 1 + rng.IntN(12); n > 0; n-- {
				data = append(data, byte(rng.IntN(256)))
			}
		}
		want := parsePost(data)
		opts := e.opts(0)
		opts.Nonce = new(big.Int).SetUint64(nonce)
		_, err := e.inbox.Post(opts, data)
		if want == "" {
			if err != nil {
				t.Fatalf("case %d: well-formed post %x refused: %v", i, data, err)
			}
			nonce++
			continue
		}
		if got := revertName(t, err, inboxABI); got != want {
			t.Fatalf("case %d: post %x reverted %s, reference says %s", i, data, got, want)
		}
	}
}
