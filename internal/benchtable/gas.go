package benchtable

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// Account roles on the simulated chain.
const (
	gasDeployer = iota
	gasOperator
	gasWatcher
	gasFunder
	gasRegistrant1
	gasRegistrant4
	gasKeys
)

// gasLedgerSizes are the ledger sizes openLedger is measured at.
var gasLedgerSizes = []int{1, 16, 256}

// What the gas rows measure, in their order.
var gasWhats = func() []string {
	w := []string{
		"gas per safety-fault proof (slashSafety, shallow state)",
		"gas per registration, 1 key per call",
		"gas per key, registration of 4 keys per call",
	}
	for _, n := range gasLedgerSizes {
		w = append(w, fmt.Sprintf("gas per leaf, openLedger of %s", leafCount(n)))
	}
	return append(w, "gas per claim commitment (commitClaim)")
}()

func leafCount(n int) string {
	if n == 1 {
		return "1 leaf"
	}
	return fmt.Sprintf("%d leaves", n)
}

// gasRows measures on go-ethereum's simulated backend (Prague, the real
// compiled contracts, internal/chaintest): a safety-fault slash of a promise
// in its slot's ledger, built by the slashing package from real headers,
// eth_getProof and the ledger's LedgerOpened event, with the claim committed
// a block before; registrations of 1 and 4 BLS keys with on-chain
// proof-of-possession checks; openLedger at 1, 16 and 256 leaves; and
// commitClaim. The chain holds a handful of accounts, so account proofs are
// shallow: docs/gas.md extrapolates the safety slash to mainnet depth.
func gasRows(ctx context.Context, _ *env) []Row {
	var rows []Row
	_, err := benchmark("1x", func(b *testing.B) error {
		var err error
		rows, err = measureGas(ctx, b)
		return err
	})
	if err == nil && len(rows) != len(gasWhats) {
		err = fmt.Errorf("gas: %d rows for %d measurements", len(rows), len(gasWhats))
	}
	if err != nil {
		return failed("gas", err, gasWhats...)
	}
	for i := range rows {
		rows[i].ID, rows[i].What = "gas", gasWhats[i]
	}
	return rows
}

func measureGas(ctx context.Context, b *testing.B) ([]Row, error) {
	c := chaintest.New(b, gasKeys)
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, gasOperator, new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether)))
	con, err := slashing.NewContracts(k.Registry, k.Inbox, k.Slasher)
	if err != nil {
		return nil, err
	}
	p := k.Params
	judge, err := slashing.NewJudge(slashing.NewNode(c.RPC), con, slashing.JudgeConfig{
		Config: slashing.Config{L1ChainID: c.ChainID.Uint64(), GenesisTime: c.GenesisTime, SecondsPerSlot: chaintest.SecondsPerSlot,
			Inbox: k.InboxAddr, Slasher: k.SlasherAddr},
		SlashWindow:               p.SlashWindow,
		LivenessBps:               uint64(p.LivenessBps),
		UserBps:                   uint64(p.UserBps),
		BurnBps:                   uint64(p.BurnBps),
		LedgerGrace:               p.LedgerGrace,
		BlobBaseFeeUpdateFraction: chaintest.PragueBlobUpdateFraction,
	})
	if err != nil {
		return nil, err
	}
	claim, err := slashing.NewClaim(c.Addr(gasWatcher))
	if err != nil {
		return nil, err
	}

	// Safety, twice (the first slash of a deployment also creates the
	// Registry's burned counter; the second is the one measured): the
	// operator promises a funded user's transfer for a slot, puts it in the
	// slot's ledger and leaves it out; the watcher commits its claim, then
	// slashes with the evidence the builder reads back.
	var slash *types.Receipt
	var ev *slashing.SafetyEvidence
	for i := range 2 {
		if slash, ev, err = gasSafetySlash(ctx, c, k, op, judge, claim, fmt.Sprintf("bench safety %d", i)); err != nil {
			return nil, err
		}
	}
	rows := []Row{{Value: float64(slash.GasUsed), Unit: "gas", Target: &Target{AtMost: true, Value: 400_000, Source: "#3"},
		Note: fmt.Sprintf("measured with account proofs of %d + %d nodes, backed by a one-leaf ledger, claim committed a block before; docs/gas.md extrapolates to mainnet depth 8 + 8",
			len(ev.ParentProof), len(ev.BlockProof))}}

	// Registration with 1 and 4 keys, each with a real proof of possession.
	for _, reg := range []struct{ owner, keys int }{{gasRegistrant1, 1}, {gasRegistrant4, 4}} {
		msg, err := k.Registry.PopMessage(&bind.CallOpts{Context: ctx}, c.Addr(reg.owner))
		if err != nil {
			return nil, err
		}
		pubkeys, sigs := make([][]byte, reg.keys), make([][]byte, reg.keys)
		for j := range pubkeys {
			if pubkeys[j], sigs[j], err = chaintest.ProofOfPossession(msg); err != nil {
				return nil, err
			}
		}
		opts := c.Opts(reg.owner)
		opts.Value = p.MinCollateral
		tx, err := k.Registry.Register(opts, pubkeys, sigs, c.Addr(gasDeployer))
		if err != nil {
			return nil, fmt.Errorf("register %d keys: %w", reg.keys, err)
		}
		r, err := mined(ctx, c, tx)
		if err != nil {
			return nil, fmt.Errorf("register %d keys: %w", reg.keys, err)
		}
		rows = append(rows, Row{Value: float64(r.GasUsed) / float64(reg.keys), Unit: "gas", Target: &Target{AtMost: true, Value: 200_000, Source: "#3"},
			Note: fmt.Sprintf("%s gas for the call; BLS proofs of possession checked on-chain (EIP-2537)", thousands(int64(r.GasUsed)))})
	}

	// openLedger: random digests, as commitment digests are, one ledger per slot.
	for _, n := range gasLedgerSizes {
		leaves := make([]protocol.LedgerLeaf, n)
		for j := range leaves {
			leaves[j] = protocol.LedgerLeaf{Digest: crypto.Keccak256Hash([]byte(fmt.Sprintf("bench leaf %d of %d", j, n))), Amount: big.NewInt(params.GWei)}
		}
		lg, err := protocol.NewLedger(leaves)
		if err != nil {
			return nil, err
		}
		slot := c.Slot() // the transaction lands in the next slot: within the grace
		o := c.OptsFor(op.Committer)
		o.GasLimit = chaintest.OpenLedgerGas(n)
		tx, err := k.Registry.OpenLedger(o, op.Addr, slot, op.Poster, lg.Pack())
		if err != nil {
			return nil, fmt.Errorf("openLedger of %d leaves: %w", n, err)
		}
		r, err := mined(ctx, c, tx)
		if err != nil {
			return nil, fmt.Errorf("openLedger of %d leaves: %w", n, err)
		}
		rows = append(rows, Row{Value: float64(r.GasUsed) / float64(n), Unit: "gas",
			Note: fmt.Sprintf("%s gas for the call (%s calldata bytes of leaves); reserves their total", thousands(int64(r.GasUsed)), thousands(int64(len(lg.Pack()))))})
	}

	tx, err := k.Slasher.CommitClaim(c.Opts(gasWatcher), claim.Hash(crypto.Keccak256Hash([]byte("bench claim"))))
	if err != nil {
		return nil, fmt.Errorf("commitClaim: %w", err)
	}
	r, err := mined(ctx, c, tx)
	if err != nil {
		return nil, fmt.Errorf("commitClaim: %w", err)
	}
	rows = append(rows, Row{Value: float64(r.GasUsed), Unit: "gas", Note: "one per slash, a block before it: binds the beneficiary to the promise"})
	return rows, nil
}

// gasSafetySlash has op break a one-tx L1 promise to a fresh funded user,
// listed in its slot's ledger, and slashes it from the watcher.
func gasSafetySlash(ctx context.Context, c *chaintest.Chain, k *chaintest.Contracts, op *chaintest.Operator, judge *slashing.Judge, claim slashing.Claim, tag string) (*types.Receipt, *slashing.SafetyEvidence, error) {
	user, err := crypto.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	c.Fund(gasFunder, crypto.PubkeyToAddress(user.PublicKey), big.NewInt(params.Ether))
	tx := c.Transfer(user, 0, c.Addr(gasDeployer), big.NewInt(1000), big.NewInt(100*params.GWei))
	slot := c.Slot() + 2
	promise := &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion, Operator: op.Addr, Slot: slot, SlashAmount: big.NewInt(params.Ether),
		Inclusions:  []protocol.Inclusion{protocol.InclusionFromTx(tx, crypto.PubkeyToAddress(user.PublicKey))},
		RequestHash: crypto.Keccak256Hash([]byte(tag)),
	}
	sig, err := protocol.SignPromise(promise, k.Domain(c), op.Committer)
	if err != nil {
		return nil, nil, err
	}
	sp := slashing.SignedPromise{Promise: promise, Signature: sig}
	c.OpenLedger(k, op, slot, promise)
	c.CommitClaim(k, gasWatcher, claim.Hash(promise.Digest(k.Domain(c))))
	for c.Slot() < slot+2 {
		c.Commit()
	}
	ev, err := judge.Builder().Safety(ctx, sp, 0, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("build safety evidence: %w", err)
	}
	if err := judge.Safety(ctx, sp, ev); err != nil {
		return nil, nil, fmt.Errorf("judge: %w", err)
	}
	if err := judge.CheckClaim(ctx, promise.Digest(k.Domain(c)), claim); err != nil {
		return nil, nil, fmt.Errorf("judge: %w", err)
	}
	data, err := slashing.SafetyCall(sp, ev, claim)
	if err != nil {
		return nil, nil, err
	}
	nonce, err := c.Client.PendingNonceAt(ctx, c.Addr(gasWatcher))
	if err != nil {
		return nil, nil, err
	}
	to := k.SlasherAddr
	// The judge accepted the evidence: a fixed limit instead of an estimate.
	signed, err := types.SignNewTx(c.Keys[gasWatcher], types.LatestSignerForChainID(c.ChainID), &types.DynamicFeeTx{
		ChainID: c.ChainID, Nonce: nonce, GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
		Gas: 1_000_000, To: &to, Data: data,
	})
	if err != nil {
		return nil, nil, err
	}
	if err := c.Client.SendTransaction(ctx, signed); err != nil {
		return nil, nil, fmt.Errorf("slashSafety: %w", err)
	}
	r, err := mined(ctx, c, signed)
	if err != nil {
		return nil, nil, fmt.Errorf("slashSafety: %w", err)
	}
	return r, ev, nil
}

// mined seals the block holding tx and returns its receipt, or why it failed.
func mined(ctx context.Context, c *chaintest.Chain, tx *types.Transaction) (*types.Receipt, error) {
	c.Commit()
	r, err := c.Client.TransactionReceipt(ctx, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("transaction %s reverted", tx.Hash())
	}
	return r, nil
}
