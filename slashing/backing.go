package slashing

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Backing proves a promise is backed (ISlasher.Backing): leaf Index of its
// slot's ledger is the promise's (digest, slashAmount), Proof its Merkle
// proof. A promise with no backing is void on-chain (docs/protocol.md §9.0).
type Backing struct {
	Index uint64
	Proof []common.Hash
}

// Binding is the backing as the Slasher binding takes it; a nil backing packs
// as leaf 0 with no proof, which the Slasher refuses (NotInLedger).
func (b *Backing) Binding() bindings.ISlasherBacking {
	out := bindings.ISlasherBacking{Index: new(big.Int), Proof: [][32]byte{}}
	if b == nil {
		return out
	}
	out.Index.SetUint64(b.Index)
	out.Proof = hashes32(b.Proof)
	return out
}

func hashes32(hs []common.Hash) [][32]byte {
	out := make([][32]byte, len(hs))
	for i, h := range hs {
		out[i] = h
	}
	return out
}

// SlotLedger is a slot's ledger as the Registry holds it, with its leaves
// read back from the LedgerOpened event (Tree is nil when none was opened).
type SlotLedger struct {
	Record LedgerRecord
	Tree   *protocol.Ledger
}

// Backing returns the backing of the promise with this digest: its leaf when
// the ledger lists the digest (whatever the amount: the Judge tells whether it
// is the promise's), nil when it is in no ledger.
func (l *SlotLedger) Backing(digest common.Hash) *Backing {
	if l == nil || l.Tree == nil {
		return nil
	}
	i, found := l.Tree.Find(digest)
	if !found {
		return nil
	}
	return &Backing{Index: uint64(i), Proof: l.Tree.Proof(i)}
}

// Ledger reads the ledger of (operator, slot): Registry.ledgerOf, and when one
// was opened its leaves from the LedgerOpened event, checked against the
// stored root. Read-only.
func (b *Builder) Ledger(ctx context.Context, operator common.Address, slot uint64) (*SlotLedger, error) {
	rec, err := b.contracts.LedgerOf(ctx, operator, slot)
	if err != nil {
		return nil, err
	}
	l := &SlotLedger{Record: rec}
	if rec.Count == 0 {
		return l, nil
	}
	from, to, err := b.blockRange(ctx, b.cfg.SlotTime(slot))
	if err != nil {
		return nil, err
	}
	packed, err := b.contracts.LedgerLeaves(ctx, operator, slot, rec.Root, from, to)
	if err != nil {
		return nil, err
	}
	tree, err := protocol.DecodeLedger(packed)
	if err != nil {
		return nil, fmt.Errorf("%w: slot %d of %s: %v", ErrLedgerUnavailable, slot, operator, err)
	}
	if tree.Root() != rec.Root || len(tree.Leaves) != int(rec.Count) {
		return nil, fmt.Errorf("%w: slot %d of %s: event leaves give root %s (%d leaves), the Registry holds %s (%d)",
			ErrLedgerUnavailable, slot, operator, tree.Root(), len(tree.Leaves), rec.Root, rec.Count)
	}
	l.Tree = tree
	return l, nil
}

// Backing builds the backing of sp from its slot's ledger.
func (b *Builder) Backing(ctx context.Context, sp SignedPromise) (*Backing, error) {
	l, err := b.Ledger(ctx, sp.Promise.Operator, sp.Promise.Slot)
	if err != nil {
		return nil, err
	}
	return l.Backing(sp.Promise.Digest(b.domain())), nil
}

// blockRange bounds the blocks a ledger for the slot starting at ts can be
// in: from a lower bound on the first block at or after ts (a beacon chain
// has at most one block a slot, so at most (head.Time - ts) / T blocks came
// after it) to the head.
func (b *Builder) blockRange(ctx context.Context, ts uint64) (from, to uint64, err error) {
	head, err := b.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("head: %w", err)
	}
	n := head.Number.Uint64()
	if head.Time <= ts {
		return n, n, nil
	}
	d := head.Time - ts
	if b.cfg.SecondsPerSlot > 0 {
		d = d/b.cfg.SecondsPerSlot + 1
	}
	if d < n {
		return n - d, n, nil
	}
	return 0, n, nil
}

// ledgerCache keeps the ledgers read while building one piece of evidence
// (the promise and its priors often share a slot).
type ledgerCache struct {
	b       *Builder
	ledgers map[ledgerKey]*SlotLedger
}

type ledgerKey struct {
	operator common.Address
	slot     uint64
}

func (b *Builder) newLedgerCache() *ledgerCache {
	return &ledgerCache{b: b, ledgers: map[ledgerKey]*SlotLedger{}}
}

func (c *ledgerCache) get(ctx context.Context, operator common.Address, slot uint64) (*SlotLedger, error) {
	k := ledgerKey{operator, slot}
	if l, ok := c.ledgers[k]; ok {
		return l, nil
	}
	l, err := c.b.Ledger(ctx, operator, slot)
	if err != nil {
		return nil, err
	}
	c.ledgers[k] = l
	return l, nil
}
