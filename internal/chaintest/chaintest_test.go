package chaintest_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The helpers leave the chain as they say: a funded committer, a ledger with
// the Go tree's root and total reserved, a claim committed in its block.
func TestHelpers(t *testing.T) {
	c := chaintest.New(t, 3)
	k := c.Deploy(chaintest.DefaultParams())
	for _, tc := range []struct {
		name string
		read func(*bind.CallOpts) (uint64, error)
		want uint64
	}{
		{"ledgerGrace", k.Registry.LedgerGrace, k.Params.LedgerGrace},
		{"lookahead", k.Registry.Lookahead, k.Params.Lookahead},
		{"slashWindow", k.Registry.SlashWindow, k.Params.SlashWindow},
	} {
		if v, err := tc.read(&bind.CallOpts{}); err != nil || v != tc.want {
			t.Fatalf("%s = %d (%v), want %d", tc.name, v, err, tc.want)
		}
	}
	if burn, err := k.Slasher.BurnBps(&bind.CallOpts{}); err != nil || burn != k.Params.BurnBps {
		t.Fatalf("Slasher.burnBps = %d (%v)", burn, err)
	}

	collateral := new(big.Int).Mul(big.NewInt(5), big.NewInt(1e18))
	op := c.RegisterOperator(k, 1, collateral)
	committer := crypto.PubkeyToAddress(op.Committer.PublicKey)
	if bal, err := c.Client.BalanceAt(t.Context(), committer, nil); err != nil || bal.Cmp(chaintest.CommitterFunding) != 0 {
		t.Fatalf("committer balance %s (%v), want %s", bal, err, chaintest.CommitterFunding)
	}
	if op.Poster != committer {
		t.Fatalf("default poster %s, want the committer %s", op.Poster, committer)
	}

	slot := c.Slot() + 3
	p := func(n int64) *protocol.Promise {
		return &protocol.Promise{CommitmentType: protocol.TypeL1Inclusion, Operator: op.Addr, Slot: slot, SlashAmount: big.NewInt(n * 1e17),
			Inclusions: []protocol.Inclusion{{ChainID: c.ChainID.Uint64(), TxHash: common.Hash{byte(n)}, MaxFeePerGas: big.NewInt(1), MaxFeePerBlobGas: new(big.Int), MaxCost: big.NewInt(1)}}}
	}
	promises := []*protocol.Promise{p(1), p(2), p(3)}
	c.OpenLedger(k, op, slot, promises...)
	if c.Slot() != slot {
		t.Fatalf("ledger opened at slot %d, want %d (the first slot allowed)", c.Slot(), slot)
	}
	lg, err := protocol.NewLedger(k.Leaves(c, promises...))
	if err != nil {
		t.Fatal(err)
	}
	l := c.LedgerOf(k, op, slot)
	if l.Root != lg.Root() || l.Count != 3 || l.Left.Cmp(lg.Total()) != 0 || l.Committer != committer {
		t.Fatalf("ledger %+v, Go root %s total %s", l, lg.Root(), lg.Total())
	}

	h := crypto.Keccak256Hash([]byte("claim"))
	r := c.CommitClaim(k, 2, h)
	if at, err := k.Slasher.Claims(&bind.CallOpts{}, h); err != nil || at.Cmp(r.BlockNumber) != 0 {
		t.Fatalf("claim committed at %s (%v), receipt in %s", at, err, r.BlockNumber)
	}
}
