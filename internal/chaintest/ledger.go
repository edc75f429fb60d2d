package chaintest

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Leaves returns the ledger leaves of promises under the deployment's domain:
// each promise's digest and slash amount.
func (k *Contracts) Leaves(c *Chain, promises ...*protocol.Promise) []protocol.LedgerLeaf {
	out := make([]protocol.LedgerLeaf, len(promises))
	for i, p := range promises {
		out[i] = protocol.LedgerLeaf{Digest: p.Digest(k.Domain(c)), Amount: p.SlashAmount}
	}
	return out
}

// OpenLedger has op's committer open its ledger for slot, listing promises,
// with op.Poster as the poster, and mines it. It first seals empty blocks
// until the transaction lands in slot or later (openLedger refuses earlier
// slots), and fails the test when the call reverts.
func (c *Chain) OpenLedger(k *Contracts, op *Operator, slot uint64, promises ...*protocol.Promise) *types.Receipt {
	c.t.Helper()
	lg, err := protocol.NewLedger(k.Leaves(c, promises...))
	if err != nil {
		c.t.Fatalf("ledger of slot %d: %v", slot, err)
	}
	for c.Slot()+1 < slot {
		c.Commit()
	}
	opts := c.OptsFor(op.Committer)
	// Fixed: an estimate runs at the head's slot, which may be before slot.
	opts.GasLimit = OpenLedgerGas(len(lg.Leaves))
	tx, err := k.Registry.OpenLedger(opts, op.Addr, slot, op.Poster, lg.Pack())
	return c.Mine(tx, err)
}

// OpenLedgerGas is a gas limit that covers openLedger with n leaves.
func OpenLedgerGas(n int) uint64 {
	return 250_000 + 12_000*uint64(n)
}

// SendOpenLedger sends (without mining) openLedger(operator, slot, poster,
// packed) from key with an estimated gas limit: a refused call returns the
// revert as its error.
func (c *Chain) SendOpenLedger(k *Contracts, key *ecdsa.PrivateKey, operator common.Address, slot uint64, poster common.Address, packed []byte) (*types.Transaction, error) {
	return k.Registry.OpenLedger(c.OptsFor(key), operator, slot, poster, packed)
}

// CommitClaim commits the claim hashes from key i (Slasher.commitClaim) and
// mines them in one block: slashes that name them can land from the next.
func (c *Chain) CommitClaim(k *Contracts, i int, hashes ...common.Hash) *types.Receipt {
	c.t.Helper()
	nonce, err := c.Client.PendingNonceAt(c.t.Context(), c.Addr(i))
	if err != nil {
		c.t.Fatal(err)
	}
	var last *types.Transaction
	for _, h := range hashes {
		opts := c.Opts(i)
		opts.Nonce = new(big.Int).SetUint64(nonce)
		nonce++
		if last, err = k.Slasher.CommitClaim(opts, h); err != nil {
			c.t.Fatalf("commitClaim(%s): %v", h, err)
		}
	}
	if last == nil {
		c.t.Fatal("CommitClaim: no hash")
	}
	return c.Mine(last, nil)
}

// LedgerOf reads the Registry's record of op's ledger for slot.
func (c *Chain) LedgerOf(k *Contracts, op *Operator, slot uint64) bindings.IRegistryLedger {
	c.t.Helper()
	l, err := k.Registry.LedgerOf(&bind.CallOpts{Context: c.t.Context()}, op.Addr, slot)
	if err != nil {
		c.t.Fatal(err)
	}
	return l
}
