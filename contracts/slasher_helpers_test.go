package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// Account roles of the slasher tests.
const (
	slDeployer = 0
	slOperator = 1
	slWatcher  = 2
	slFunder   = 3
	slKeys     = 4
)

// l2Chain is the demo rollup's chain id in these tests.
const l2Chain = 901

var (
	slCollateral = new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))
	slAmount     = big.NewInt(params.Ether)
	highFee      = big.NewInt(100 * params.GWei)
)

// slEnv is a chain with the contracts deployed and one registered operator.
type slEnv struct {
	t     *testing.T
	c     *chaintest.Chain
	k     *chaintest.Contracts
	op    *chaintest.Operator
	dom   protocol.Domain
	judge *slashing.Judge
	b     *slashing.Builder
}

func newSlEnv(t *testing.T) *slEnv {
	t.Helper()
	c := chaintest.New(t, slKeys)
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, slOperator, slCollateral)
	node := slashing.NewNode(c.RPC)
	con, err := slashing.NewContracts(k.Registry, k.Inbox, k.Slasher)
	if err != nil {
		t.Fatal(err)
	}
	p := k.Params
	j, err := slashing.NewJudge(node, con, slashing.JudgeConfig{
		Config:                    slashing.Config{L1ChainID: c.ChainID.Uint64(), GenesisTime: c.GenesisTime, SecondsPerSlot: chaintest.SecondsPerSlot, Inbox: k.InboxAddr},
		Slasher:                   k.SlasherAddr,
		SlashWindow:               p.SlashWindow,
		LivenessBps:               uint64(p.LivenessBps),
		UserBps:                   uint64(p.UserBps),
		BlobBaseFeeUpdateFraction: chaintest.PragueBlobUpdateFraction,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &slEnv{t: t, c: c, k: k, op: op, dom: k.Domain(c), judge: j, b: j.Builder()}
}

// user makes a fresh key funded with wei (none if nil).
func (e *slEnv) user(wei *big.Int) *ecdsa.PrivateKey {
	e.t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		e.t.Fatal(err)
	}
	if wei != nil && wei.Sign() > 0 {
		e.c.Fund(slFunder, crypto.PubkeyToAddress(key.PublicKey), wei)
	}
	return key
}

// l1Tx signs a transfer from key with the given nonce and fee cap.
func (e *slEnv) l1Tx(key *ecdsa.PrivateKey, nonce uint64, feeCap *big.Int) *types.Transaction {
	return e.c.Transfer(key, nonce, e.c.Addr(slDeployer), big.NewInt(1000), feeCap)
}

// incOf derives the inclusion of a signed tx.
func incOf(tx *types.Transaction) protocol.Inclusion {
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		panic(err)
	}
	return protocol.InclusionFromTx(tx, from)
}

// l2Inc is an L2 inclusion for raw L2 bytes (the Inbox hashes what is posted).
func l2Inc(raw []byte, sender common.Address, nonce uint64) protocol.Inclusion {
	return protocol.Inclusion{
		ChainID: l2Chain, TxHash: crypto.Keccak256Hash(raw), Sender: sender, Nonce: nonce,
		MaxFeePerGas: big.NewInt(1), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(21000),
	}
}

// promise builds and signs (with the operator's committer) a promise for slot.
func (e *slEnv) promise(slot uint64, amount *big.Int, incs ...protocol.Inclusion) slashing.SignedPromise {
	return e.promiseBy(e.op.Committer, slot, amount, incs...)
}

func (e *slEnv) promiseBy(key *ecdsa.PrivateKey, slot uint64, amount *big.Int, incs ...protocol.Inclusion) slashing.SignedPromise {
	e.t.Helper()
	typ := protocol.TypeBundle
	if len(incs) == 1 {
		typ = protocol.TypeL1Inclusion
		if incs[0].ChainID != e.c.ChainID.Uint64() {
			typ = protocol.TypeL2Inclusion
		}
	}
	p := &protocol.Promise{CommitmentType: typ, Operator: e.op.Addr, Slot: slot, Inclusions: incs, SlashAmount: amount, RequestHash: crypto.Keccak256Hash(big.NewInt(int64(slot)).Bytes())}
	sig, err := protocol.SignPromise(p, e.dom, key)
	if err != nil {
		e.t.Fatal(err)
	}
	return slashing.SignedPromise{Promise: p, Signature: sig}
}

// postL2 posts raw L2 txs for l2Chain to the Inbox in the next block (slot).
func (e *slEnv) postL2(raws ...[]byte) *types.Receipt {
	e.t.Helper()
	data := binary.BigEndian.AppendUint64(nil, l2Chain)
	data = binary.BigEndian.AppendUint16(data, uint16(len(raws)))
	for _, r := range raws {
		data = append(data, byte(len(r)>>16), byte(len(r)>>8), byte(len(r)))
		data = append(data, r...)
	}
	tx, err := e.k.Inbox.Post(e.c.Opts(slFunder), data)
	return e.c.Mine(tx, err)
}

// submit sends a slashing call from the watcher and seals it. It returns the
// receipt, or the name of the Slasher error the call reverted with.
func (e *slEnv) submit(send func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, string) {
	e.t.Helper()
	tx, err := send(e.c.Opts(slWatcher))
	if err != nil {
		return nil, slRevert(e.t, err)
	}
	e.c.Commit()
	r, err := e.c.Client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		e.t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, "reverted"
	}
	return r, ""
}

func (e *slEnv) payload(sp slashing.SignedPromise) []byte {
	e.t.Helper()
	b, err := sp.Promise.MarshalABI()
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *slEnv) safety(sp slashing.SignedPromise, ev *slashing.SafetyEvidence) (*types.Receipt, string) {
	e.t.Helper()
	be, err := ev.Binding()
	if err != nil {
		e.t.Fatal(err)
	}
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashSafety(o, e.payload(sp), sp.Signature, big.NewInt(int64(ev.Index)), be)
	})
}

func (e *slEnv) liveness(sp slashing.SignedPromise, ev *slashing.LivenessEvidence) (*types.Receipt, string) {
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashLiveness(o, e.payload(sp), sp.Signature, ev.Header1, ev.Header2)
	})
}

func (e *slEnv) l2(sp slashing.SignedPromise, ev *slashing.L2Evidence) (*types.Receipt, string) {
	hs := make([][32]byte, len(ev.TxHashes))
	for i, h := range ev.TxHashes {
		hs[i] = h
	}
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashL2Inclusion(o, e.payload(sp), sp.Signature, big.NewInt(int64(ev.Index)), ev.Header, hs)
	})
}

func (e *slEnv) equivocation(ev *slashing.EquivocationEvidence) (*types.Receipt, string) {
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashEquivocation(o, e.payload(ev.A), ev.A.Signature, big.NewInt(int64(ev.IndexA)), e.payload(ev.B), ev.B.Signature, big.NewInt(int64(ev.IndexB)))
	})
}

func (e *slEnv) balance(a common.Address) *big.Int {
	e.t.Helper()
	b, err := e.c.Client.BalanceAt(context.Background(), a, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *slEnv) collateral() *big.Int {
	e.t.Helper()
	v, err := e.k.Registry.CollateralOf(&bind.CallOpts{}, e.op.Addr)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *slEnv) settled(sp slashing.SignedPromise) bool {
	e.t.Helper()
	s, err := e.k.Slasher.Settled(&bind.CallOpts{}, sp.Promise.Digest(e.dom))
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// slashedEvent returns the PromiseSlashed event of a receipt.
func (e *slEnv) slashedEvent(r *types.Receipt) *bindings.SlasherPromiseSlashed {
	e.t.Helper()
	for _, l := range r.Logs {
		if ev, err := e.k.Slasher.ParsePromiseSlashed(*l); err == nil {
			return ev
		}
	}
	e.t.Fatal("no PromiseSlashed event")
	return nil
}

// advanceTo seals empty blocks until the head is at slot s.
func (e *slEnv) advanceTo(s uint64) {
	for e.c.Slot() < s {
		e.c.Commit()
	}
}

// slRevert names the Slasher custom error carried by a failed call.
func slRevert(t *testing.T, err error) string {
	t.Helper()
	var de interface{ ErrorData() any }
	if !errors.As(err, &de) {
		return "error: " + err.Error()
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return "error: " + err.Error()
	}
	data, derr := hexutil.Decode(s)
	if derr != nil || len(data) < 4 {
		return "error: " + err.Error()
	}
	a, aerr := bindings.SlasherMetaData.GetAbi()
	if aerr != nil {
		t.Fatal(aerr)
	}
	for name, e := range a.Errors {
		if string(e.ID[:4]) == string(data[:4]) {
			return name
		}
	}
	return "unknown " + hexutil.Encode(data[:4])
}
