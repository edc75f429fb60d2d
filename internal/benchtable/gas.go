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

// gasRows measures on go-ethereum's simulated backend (Prague, the real
// compiled contracts, internal/chaintest): a safety-fault slash built by the
// slashing package from real headers and eth_getProof, and registrations of
// 1 and 4 BLS keys with on-chain proof-of-possession checks. The chain
// holds a handful of accounts, so account proofs are shallow: docs/gas.md
// extrapolates the safety slash to mainnet depth (~356k gas at 8 + 8 nodes).
func gasRows(ctx context.Context, _ *env) []Row {
	const (
		whatSafety = "gas per safety-fault proof (slashSafety, shallow state)"
		whatReg1   = "gas per registration, 1 key per call"
		whatReg4   = "gas per key, registration of 4 keys per call"
	)
	var rows []Row
	_, err := benchmark("1x", func(b *testing.B) error {
		var err error
		rows, err = measureGas(ctx, b)
		return err
	})
	if err != nil {
		return failed("gas", err, whatSafety, whatReg1, whatReg4)
	}
	for i := range rows {
		rows[i].ID = "gas"
	}
	rows[0].What, rows[1].What, rows[2].What = whatSafety, whatReg1, whatReg4
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
		Config:                    slashing.Config{L1ChainID: c.ChainID.Uint64(), GenesisTime: c.GenesisTime, SecondsPerSlot: chaintest.SecondsPerSlot, Inbox: k.InboxAddr},
		Slasher:                   k.SlasherAddr,
		SlashWindow:               p.SlashWindow,
		LivenessBps:               uint64(p.LivenessBps),
		UserBps:                   uint64(p.UserBps),
		BlobBaseFeeUpdateFraction: chaintest.PragueBlobUpdateFraction,
	})
	if err != nil {
		return nil, err
	}

	// Safety: the operator promises a funded user's transfer for a slot and
	// leaves it out; the watcher slashes with the evidence the judge builds.
	user, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	c.Fund(gasFunder, crypto.PubkeyToAddress(user.PublicKey), big.NewInt(params.Ether))
	tx := c.Transfer(user, 0, c.Addr(gasDeployer), big.NewInt(1000), big.NewInt(100*params.GWei))
	slot := c.Slot() + 2
	promise := &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion, Operator: op.Addr, Slot: slot, SlashAmount: big.NewInt(params.Ether),
		Inclusions:  []protocol.Inclusion{protocol.InclusionFromTx(tx, crypto.PubkeyToAddress(user.PublicKey))},
		RequestHash: crypto.Keccak256Hash([]byte("bench safety")),
	}
	sig, err := protocol.SignPromise(promise, k.Domain(c), op.Committer)
	if err != nil {
		return nil, err
	}
	sp := slashing.SignedPromise{Promise: promise, Signature: sig}
	for c.Slot() < slot+2 {
		c.Commit()
	}
	ev, err := judge.Builder().Safety(ctx, sp, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("build safety evidence: %w", err)
	}
	binding, err := ev.Binding()
	if err != nil {
		return nil, err
	}
	payload, err := promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	slash, err := k.Slasher.SlashSafety(c.Opts(gasWatcher), payload, sig, big.NewInt(int64(ev.Index)), binding)
	if err != nil {
		return nil, fmt.Errorf("slashSafety: %w", err)
	}
	c.Commit()
	r, err := c.Client.TransactionReceipt(ctx, slash.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("slashSafety reverted")
	}
	rows := []Row{{Value: float64(r.GasUsed), Unit: "gas", Target: &Target{AtMost: true, Value: 400_000, Source: "#3"},
		Note: fmt.Sprintf("measured with account proofs of %d + %d nodes; docs/gas.md: ~356k at mainnet depth 8 + 8 (extrapolated, EIP-7623 calldata floor)",
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
		c.Commit()
		r, err := c.Client.TransactionReceipt(ctx, tx.Hash())
		if err != nil {
			return nil, err
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return nil, fmt.Errorf("register %d keys reverted", reg.keys)
		}
		rows = append(rows, Row{Value: float64(r.GasUsed) / float64(reg.keys), Unit: "gas", Target: &Target{AtMost: true, Value: 200_000, Source: "#3"},
			Note: fmt.Sprintf("%s gas for the call; BLS proofs of possession checked on-chain (EIP-2537)", thousands(int64(r.GasUsed)))})
	}
	return rows, nil
}
