package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// TestSlashableOnlyIfIncludable (#12, docs/protocol.md §9.1): over random
// transactions the sidecar accepts — DecodeTransaction, then CheckIncludable
// (go-ethereum's txpool rules) at the promised slot's projected header — each
// promised, put in its slot's ledger and left out of the slot's block, the
// judge and the Slasher call the promise slashable exactly when go-ethereum
// would have included the transaction at the top of that block: its state
// transition's checks (core.ApplyMessage) pass on a state holding the sender's
// account as it was at the parent. So no rule the Slasher leaves to the
// sidecar (intrinsic gas, the calldata floor, initcode size, access-list and
// authorization costs) can make an accepted promise slashable while no block
// could hold it.
func TestSlashableOnlyIfIncludable(t *testing.T) {
	e := newSlEnv(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(12, 7))
	signer := types.LatestSignerForChainID(e.c.ChainID)
	var slashable, refused, skipped int
	for round := 0; round < 4; round++ {
		// Funding the senders takes a block each: the slot is far enough ahead.
		s := e.c.Slot() + 16
		head := e.c.Head()
		// The projected header of slot s as the sidecar builds it: the head's
		// gas limit, and the highest base fee s can reach (+12.5 % a block).
		projected := &types.Header{
			Number: new(big.Int).Add(head.Number, big.NewInt(16)), Time: e.c.SlotTime(s), GasLimit: head.GasLimit,
			BaseFee:    new(big.Int).Mul(head.BaseFee, big.NewInt(7)), // above 1.125^16
			Difficulty: new(big.Int), ExcessBlobGas: new(uint64), BlobGasUsed: new(uint64),
		}
		type promised struct {
			sp  slashing.SignedPromise
			tx  *types.Transaction
			key *ecdsa.PrivateKey
		}
		var ps []promised
		for len(ps) < 6 {
			key := e.user(nil)
			rules := e.c.Config.Rules(projected.Number, true, projected.Time)
			tx, pre := randomIncludabilityTx(r, e.c.ChainID, rules, key, projected.BaseFee)
			raw, err := tx.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			dt, err := protocol.DecodeTransaction(raw, e.c.ChainID.Uint64())
			if err == nil {
				err = protocol.CheckIncludable(dt, e.c.Config, projected)
			}
			if err != nil {
				skipped++ // the sidecar refuses it: no promise
				continue
			}
			// The sender's state before the slot: a random balance around the
			// cost, and sometimes a nonce already used.
			cost := tx.Cost()
			switch r.IntN(4) {
			case 0:
				e.c.Fund(slFunder, crypto.PubkeyToAddress(key.PublicKey), new(big.Int).Div(cost, big.NewInt(2)))
			default:
				e.c.Fund(slFunder, crypto.PubkeyToAddress(key.PublicKey), new(big.Int).Add(cost, big.NewInt(params.Ether)))
			}
			if pre {
				// Another transaction takes the promised nonce before the slot.
				e.c.Send(e.c.Transfer(key, tx.Nonce(), e.c.Addr(slDeployer), big.NewInt(1), new(big.Int).Mul(projected.BaseFee, big.NewInt(2))))
				e.c.Commit()
			}
			ps = append(ps, promised{sp: e.promise(s, slAmount, incOf(tx)), tx: tx, key: key})
		}
		e.advanceTo(s + 1)
		sps := make([]slashing.SignedPromise, len(ps))
		for i, p := range ps {
			sps[i] = p.sp
		}
		e.ledger(s, sps...)
		e.c.Commit()

		at, parent, _, err := e.b.SlotHeaders(ctx, s)
		if err != nil || at == nil {
			t.Fatalf("slot %d headers: %v", s, err)
		}
		if parent == nil {
			parent, err = e.c.Client.HeaderByHash(ctx, at.ParentHash)
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, p := range ps {
			includable := gethIncludes(t, e, p.tx, signer, at, parent)
			ev, err := e.b.Safety(ctx, p.sp, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			judged := e.judge.Safety(ctx, p.sp, ev)
			_, rev := e.safety(p.sp, ev)
			if (judged == nil) != (rev == "") {
				t.Fatalf("round %d tx %d (type %d): judge %v, Slasher %q", round, i, p.tx.Type(), judged, rev)
			}
			if (rev == "") != includable {
				t.Fatalf("round %d tx %d (type %d, gas %d, %d data bytes): Slasher %q, go-ethereum includes it: %v",
					round, i, p.tx.Type(), p.tx.Gas(), len(p.tx.Data()), rev, includable)
			}
			if rev == "" {
				slashable++
			} else {
				refused++
			}
		}
	}
	t.Logf("%d slashable, %d not (unincludable at the parent), %d refused by the sidecar", slashable, refused, skipped)
	if slashable == 0 || refused == 0 || skipped == 0 {
		t.Fatalf("the generator must reach all three outcomes: %d slashable, %d not, %d refused", slashable, refused, skipped)
	}
}

// randomIncludabilityTx signs a transaction of type 0, 1, 2 or 4 from key with
// random gas around its intrinsic gas and calldata floor, random calldata or
// initcode, access lists and authorizations; pre says whether its nonce is to
// be used by another transaction before the slot.
func randomIncludabilityTx(r *rand.Rand, chainID *big.Int, rules params.Rules, key *ecdsa.PrivateKey, baseFee *big.Int) (*types.Transaction, bool) {
	to := common.Address{0xde, 0xad}
	from := crypto.PubkeyToAddress(key.PublicKey)
	data := make([]byte, []int{0, 4, 300, 4096}[r.IntN(4)])
	for i := range data {
		if r.IntN(3) > 0 {
			data[i] = byte(r.UintN(256))
		}
	}
	var al types.AccessList
	if r.IntN(3) == 0 {
		al = types.AccessList{{Address: common.Address{byte(r.UintN(256))}, StorageKeys: make([]common.Hash, r.IntN(4))}}
	}
	create := r.IntN(6) == 0
	value := big.NewInt(int64(r.IntN(1000)))
	toPtr := &to
	if create {
		toPtr = nil
	}
	intrinsic, _ := core.IntrinsicGas(data, al, nil, from, toPtr, uint256.MustFromBig(value), rules)
	floor, _ := core.FloorDataGas(rules, from, toPtr, uint256.MustFromBig(value), data, al)
	need := max(intrinsic, floor)
	gas := need
	switch r.IntN(4) {
	case 0:
		gas = need - 1 - r.Uint64N(need/2) // below: the sidecar refuses
	case 1:
		gas = need + r.Uint64N(50_000)
	}
	feeCap := new(big.Int).Mul(baseFee, big.NewInt(int64(1+r.IntN(3))))
	tip := big.NewInt(params.GWei / 10)
	if tip.Cmp(feeCap) > 0 {
		tip = new(big.Int).Set(feeCap)
	}
	var inner types.TxData
	switch t := r.IntN(4); {
	case t == 0:
		lt := &types.LegacyTx{Nonce: 0, GasPrice: feeCap, Gas: gas, Value: value, Data: data}
		if !create {
			lt.To = &to
		}
		inner = lt
	case t == 1:
		at := &types.AccessListTx{ChainID: chainID, Nonce: 0, GasPrice: feeCap, Gas: gas, Value: value, Data: data, AccessList: al}
		if !create {
			at.To = &to
		}
		inner = at
	case t == 2 || create:
		dt := &types.DynamicFeeTx{ChainID: chainID, Nonce: 0, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, Value: value, Data: data, AccessList: al}
		if !create {
			dt.To = &to
		}
		inner = dt
	default:
		authKey, _ := crypto.GenerateKey()
		auth, _ := types.SignSetCode(authKey, types.SetCodeAuthorization{ChainID: *uint256.MustFromBig(chainID), Address: common.Address{0xc0, 0xde}})
		auths := []types.SetCodeAuthorization{auth}
		sintr, _ := core.IntrinsicGas(data, al, auths, from, &to, uint256.MustFromBig(value), rules)
		if gas >= need {
			gas = max(gas, sintr+r.Uint64N(2)*params.CallNewAccountGas)
		}
		inner = &types.SetCodeTx{ChainID: uint256.MustFromBig(chainID), Nonce: 0, GasTipCap: uint256.MustFromBig(tip), GasFeeCap: uint256.MustFromBig(feeCap),
			Gas: gas, To: to, Value: uint256.MustFromBig(value), Data: data, AccessList: al, AuthList: auths}
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), inner)
	if err != nil {
		panic(err)
	}
	return tx, r.IntN(5) == 0
}

// gethIncludes says whether go-ethereum's state transition accepts tx at the
// top of block at: ApplyMessage on a state holding the sender's account as it
// was at the parent (the promised transaction meets exactly that state, §9.1).
// An execution revert is still an inclusion; only a refused transition is not.
func gethIncludes(t *testing.T, e *slEnv, tx *types.Transaction, signer types.Signer, at, parent *types.Header) bool {
	t.Helper()
	ctx := context.Background()
	from, err := types.Sender(signer, tx)
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := e.c.Client.NonceAt(ctx, from, parent.Number)
	if err != nil {
		t.Fatal(err)
	}
	bal, err := e.c.Client.BalanceAt(ctx, from, parent.Number)
	if err != nil {
		t.Fatal(err)
	}
	code, err := e.c.Client.CodeAt(ctx, from, parent.Number)
	if err != nil {
		t.Fatal(err)
	}
	sdb, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		t.Fatal(err)
	}
	sdb.SetNonce(from, nonce, tracing.NonceChangeUnspecified)
	sdb.SetBalance(from, uint256.MustFromBig(bal), tracing.BalanceChangeUnspecified)
	sdb.SetCode(from, code, tracing.CodeChangeUnspecified)
	msg, err := core.TransactionToMessage(tx, signer, at.BaseFee)
	if err != nil {
		return false
	}
	coinbase := common.Address{}
	bctx := core.NewEVMBlockContext(at, configOnly{e.c.Config}, &coinbase)
	evm := vm.NewEVM(bctx, sdb, e.c.Config, vm.Config{})
	_, err = core.ApplyMessage(evm, msg, core.NewGasPool(at.GasLimit))
	return err == nil
}

// configOnly is the chain context of gethIncludes: the chain's config, no
// headers (a promised transfer never reads a block hash).
type configOnly struct{ cfg *params.ChainConfig }

func (c configOnly) Config() *params.ChainConfig               { return c.cfg }
func (configOnly) CurrentHeader() *types.Header                { return nil }
func (configOnly) GetHeader(common.Hash, uint64) *types.Header { return nil }
func (configOnly) GetHeaderByNumber(uint64) *types.Header      { return nil }
func (configOnly) GetHeaderByHash(common.Hash) *types.Header   { return nil }
func (configOnly) Engine() consensus.Engine                    { return nil }
