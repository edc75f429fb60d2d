package slashing

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The LedgerOpened event is found however many eth_getLogs ranges lie before
// it, and a range that ends before it says the ledger is unavailable.
func TestLedgerLeavesAcrossLogRanges(t *testing.T) {
	c := chaintest.New(t, 3)
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, 1, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18)))
	slot := c.Slot() + 6
	p := &protocol.Promise{CommitmentType: protocol.TypeL1Inclusion, Operator: op.Addr, Slot: slot,
		Inclusions: []protocol.Inclusion{{ChainID: c.ChainID.Uint64(), Sender: crypto.PubkeyToAddress(op.Key.PublicKey),
			MaxFeePerGas: big.NewInt(1), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(21000)}},
		SlashAmount: big.NewInt(1e15)}
	r := c.OpenLedger(k, op, slot, p)
	c.Commit()
	con, err := NewContracts(k.Registry, k.Inbox, k.Slasher)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := con.LedgerOf(context.Background(), op.Addr, slot)
	if err != nil || rec.Count != 1 {
		t.Fatalf("ledger record: %+v %v", rec, err)
	}
	defer func(n uint64) { ledgerLogChunk = n }(ledgerLogChunk)
	ledgerLogChunk = 3 // the event sits several ranges in
	head := c.Head().Number.Uint64()
	packed, err := con.LedgerLeaves(context.Background(), op.Addr, slot, rec.Root, 0, head)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := protocol.DecodeLedger(packed)
	if err != nil || lg.Root() != rec.Root {
		t.Fatalf("leaves found do not give the root: %v", err)
	}
	_, err = con.LedgerLeaves(context.Background(), op.Addr, slot, rec.Root, 0, r.BlockNumber.Uint64()-1)
	if !errors.Is(err, ErrLedgerUnavailable) {
		t.Fatalf("ranges ending before the event: %v, want ErrLedgerUnavailable", err)
	}
}
