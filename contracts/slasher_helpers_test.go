package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
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

// slEnv is a chain with the contracts deployed and one registered operator,
// whose ledgers name the funder (who posts the L2 batches) as poster.
type slEnv struct {
	t     *testing.T
	c     *chaintest.Chain
	k     *chaintest.Contracts
	op    *chaintest.Operator
	dom   protocol.Domain
	judge *slashing.Judge
	b     *slashing.Builder
	claim slashing.Claim // the watcher's: it is paid the beneficiary share
}

func newSlEnv(t *testing.T) *slEnv {
	t.Helper()
	return newSlEnvOn(t, chaintest.New(t, slKeys))
}

// newSlEnvOn deploys on c and registers the operator.
func newSlEnvOn(t *testing.T, c *chaintest.Chain) *slEnv {
	t.Helper()
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, slOperator, slCollateral)
	op.Poster = c.Addr(slFunder)
	claim, err := slashing.NewClaim(c.Addr(slWatcher))
	if err != nil {
		t.Fatal(err)
	}
	j := newJudge(t, c, k)
	return &slEnv{t: t, c: c, k: k, op: op, dom: k.Domain(c), judge: j, b: j.Builder(), claim: claim}
}

// newJudge is the Judge of deployment k on c.
func newJudge(t testing.TB, c *chaintest.Chain, k *chaintest.Contracts) *slashing.Judge {
	t.Helper()
	con, err := slashing.NewContracts(k.Registry, k.Inbox, k.Slasher)
	if err != nil {
		t.Fatal(err)
	}
	p := k.Params
	j, err := slashing.NewJudge(slashing.NewNode(c.RPC), con, slashing.JudgeConfig{
		Config: slashing.Config{L1ChainID: c.ChainID.Uint64(), GenesisTime: c.GenesisTime, SecondsPerSlot: chaintest.SecondsPerSlot,
			Inbox: k.InboxAddr, Slasher: k.SlasherAddr},
		SlashWindow:               p.SlashWindow,
		LivenessBps:               uint64(p.LivenessBps),
		UserBps:                   uint64(p.UserBps),
		BurnBps:                   uint64(p.BurnBps),
		LedgerGrace:               p.LedgerGrace,
		BlobBaseFeeUpdateFraction: chaintest.PragueBlobUpdateFraction,
		URC:                       p.URC,
	})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// ledger has the operator's committer open the ledger of slot with sps.
func (e *slEnv) ledger(slot uint64, sps ...slashing.SignedPromise) *types.Receipt {
	e.t.Helper()
	ps := make([]*protocol.Promise, len(sps))
	for i, sp := range sps {
		ps[i] = sp.Promise
	}
	return e.c.OpenLedger(e.k, e.op, slot, ps...)
}

// pastGrace seals blocks until the head is past slot's ledger grace: from
// then on an unledgered promise of slot is paid (and its gas estimate, run in
// the head's context, passes).
func (e *slEnv) pastGrace(slot uint64) {
	e.advanceTo(slot + e.k.Params.LedgerGrace + 1)
}

// commitClaims commits the watcher's claim for each promise in one block
// (the contract takes a claim from the next block on).
func (e *slEnv) commitClaims(sps ...slashing.SignedPromise) {
	e.t.Helper()
	hs := make([]common.Hash, len(sps))
	for i, sp := range sps {
		hs[i] = e.claim.Hash(sp.Promise.Digest(e.dom))
	}
	e.c.CommitClaim(e.k, slWatcher, hs...)
}

// ensureClaim commits the watcher's claim for sp unless it is already, and
// seals one more block: the gas estimate of a slash runs in the head block,
// which must come after the claim's.
func (e *slEnv) ensureClaim(sp slashing.SignedPromise) {
	e.t.Helper()
	at, err := e.k.Slasher.Claims(&bind.CallOpts{}, e.claim.Hash(sp.Promise.Digest(e.dom)))
	if err != nil {
		e.t.Fatal(err)
	}
	if at.Sign() == 0 {
		e.commitClaims(sp)
		at = e.c.Head().Number
	}
	if at.Cmp(e.c.Head().Number) >= 0 {
		e.c.Commit()
	}
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

// postL2 posts raw L2 txs for l2Chain to the Inbox in the next block (slot),
// from the funder: the operator's poster.
func (e *slEnv) postL2(raws ...[]byte) *types.Receipt {
	e.t.Helper()
	return e.c.Mine(e.sendL2(slFunder, raws...), nil)
}

// sendL2 sends (without mining) a post of raw L2 txs for l2Chain from key i.
func (e *slEnv) sendL2(i int, raws ...[]byte) *types.Transaction {
	e.t.Helper()
	data := binary.BigEndian.AppendUint64(nil, l2Chain)
	data = binary.BigEndian.AppendUint16(data, uint16(len(raws)))
	for _, r := range raws {
		data = append(data, byte(len(r)>>16), byte(len(r)>>8), byte(len(r)))
		data = append(data, r...)
	}
	tx, err := e.k.Inbox.Post(e.c.Opts(i), data)
	if err != nil {
		e.t.Fatalf("post: %v", err)
	}
	return tx
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

// The slash helpers below first commit the watcher's claim for the promise
// (one block) unless it is committed already, then submit with e.claim.

func (e *slEnv) safety(sp slashing.SignedPromise, ev *slashing.SafetyEvidence) (*types.Receipt, string) {
	e.t.Helper()
	e.ensureClaim(sp)
	return e.safetyWith(sp, ev, e.claim)
}

// safetyWith submits safety evidence paying claim, committed or not.
func (e *slEnv) safetyWith(sp slashing.SignedPromise, ev *slashing.SafetyEvidence, claim slashing.Claim) (*types.Receipt, string) {
	e.t.Helper()
	be, err := ev.Binding()
	if err != nil {
		e.t.Fatal(err)
	}
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashSafety(o, e.payload(sp), sp.Signature, big.NewInt(int64(ev.Index)), be, ev.Backing.Binding(), claim.Binding())
	})
}

func (e *slEnv) liveness(sp slashing.SignedPromise, ev *slashing.LivenessEvidence) (*types.Receipt, string) {
	e.t.Helper()
	e.ensureClaim(sp)
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashLiveness(o, e.payload(sp), sp.Signature, ev.Header1, ev.Header2, ev.Backing.Binding(), e.claim.Binding())
	})
}

func (e *slEnv) l2(sp slashing.SignedPromise, ev *slashing.L2Evidence) (*types.Receipt, string) {
	e.t.Helper()
	hs := make([][32]byte, len(ev.TxHashes))
	for i, h := range ev.TxHashes {
		hs[i] = h
	}
	e.ensureClaim(sp)
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashL2Inclusion(o, e.payload(sp), sp.Signature, big.NewInt(int64(ev.Index)), ev.Header, hs, ev.Backing.Binding(), e.claim.Binding())
	})
}

func (e *slEnv) equivocation(ev *slashing.EquivocationEvidence) (*types.Receipt, string) {
	e.t.Helper()
	e.ensureClaim(ev.A)
	return e.submit(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return e.k.Slasher.SlashEquivocation(o, e.payload(ev.A), ev.A.Signature, big.NewInt(int64(ev.IndexA)), e.payload(ev.B), ev.B.Signature, big.NewInt(int64(ev.IndexB)),
			ev.BackingA.Binding(), e.claim.Binding())
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

// registrySlashed returns the Registry's Slashed event of a receipt.
func (e *slEnv) registrySlashed(r *types.Receipt) *bindings.RegistrySlashed {
	e.t.Helper()
	for _, l := range r.Logs {
		if ev, err := e.k.Registry.ParseSlashed(*l); err == nil {
			return ev
		}
	}
	e.t.Fatal("no Slashed event")
	return nil
}

// free is the operator's free collateral.
func (e *slEnv) free() *big.Int {
	e.t.Helper()
	v, err := e.k.Registry.FreeCollateral(&bind.CallOpts{}, e.op.Addr)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
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
	a, aerr := bindings.SlasherMetaData.GetAbi()
	if aerr != nil {
		t.Fatal(aerr)
	}
	return ecRevert(err, a)
}
