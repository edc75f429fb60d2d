package slashing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Fault names a rule of the Slasher; the values are the contract's enum.
type Fault uint8

// The four faults, in the Slasher's enum order.
const (
	FaultSafety Fault = iota
	FaultLiveness
	FaultL2Inclusion
	FaultEquivocation
)

func (f Fault) String() string {
	switch f {
	case FaultSafety:
		return "safety"
	case FaultLiveness:
		return "liveness"
	case FaultL2Inclusion:
		return "l2-inclusion"
	case FaultEquivocation:
		return "equivocation"
	}
	return fmt.Sprintf("fault(%d)", uint8(f))
}

// JudgeConfig is the deployment the Judge mirrors: the Slasher's constructor parameters.
type JudgeConfig struct {
	Config
	Slasher                   common.Address
	SlashWindow               uint64
	LivenessBps               uint64
	UserBps                   uint64
	BlobBaseFeeUpdateFraction uint64
}

// historyWindow is how far back the EIP-2935 contract serves block hashes.
const historyWindow = 8191

// Judge decides off-chain, by the Slasher's rules, whether evidence slashes a
// promise. Every refusal wraps the sentinel matching the contract's revert.
type Judge struct {
	node      Node
	contracts Contracts
	cfg       JudgeConfig
	builder   *Builder
}

// NewJudge returns a Judge. It does no I/O.
func NewJudge(node Node, contracts Contracts, cfg JudgeConfig) (*Judge, error) {
	if contracts == nil {
		return nil, fmt.Errorf("%w: no contracts", ErrBadConfig)
	}
	if cfg.BlobBaseFeeUpdateFraction == 0 || cfg.SlashWindow == 0 || cfg.LivenessBps > 10_000 || cfg.UserBps > 10_000 {
		return nil, fmt.Errorf("%w: slash window, bps or blob update fraction out of range", ErrBadConfig)
	}
	b, err := NewBuilder(node, cfg.Config)
	if err != nil {
		return nil, err
	}
	return &Judge{node: node, contracts: contracts, cfg: cfg, builder: b}, nil
}

// Builder returns the evidence builder over the judge's node.
func (j *Judge) Builder() *Builder { return j.builder }

func (j *Judge) domain() protocol.Domain {
	return protocol.Domain{ChainID: j.cfg.L1ChainID, Slasher: j.cfg.Slasher}
}

// checkShape mirrors Slasher._checkShape (decisions v1's structural rules).
func (j *Judge) checkShape(p *protocol.Promise) error {
	n := len(p.Inclusions)
	switch p.CommitmentType {
	case protocol.TypeL1Inclusion, protocol.TypeL2Inclusion:
		if n != 1 || (p.Inclusions[0].ChainID == j.cfg.L1ChainID) != (p.CommitmentType == protocol.TypeL1Inclusion) {
			return ErrInvalidPromise
		}
	case protocol.TypeBundle:
		if n < 2 || n > protocol.MaxBundleSize {
			return ErrInvalidPromise
		}
	default:
		return ErrInvalidPromise
	}
	return nil
}

// open mirrors Slasher._open: shape, committer signature, settled and window.
func (j *Judge) open(ctx context.Context, sp SignedPromise, inWindow bool) (common.Hash, error) {
	p := sp.Promise
	if err := j.checkShape(p); err != nil {
		return common.Hash{}, err
	}
	digest := p.Digest(j.domain())
	signer, err := protocol.RecoverPromiseSigner(p, j.domain(), sp.Signature)
	if err != nil {
		return digest, fmt.Errorf("%w: %v", ErrWrongSigner, err)
	}
	committer, err := j.contracts.CommitterAt(ctx, p.Operator, p.Slot)
	if err != nil {
		return digest, err
	}
	if committer == (common.Address{}) || signer != committer {
		return digest, fmt.Errorf("%w: signer %s, committer %s", ErrWrongSigner, signer, committer)
	}
	if !inWindow {
		return digest, nil
	}
	settled, err := j.contracts.Settled(ctx, digest)
	if err != nil {
		return digest, err
	}
	if settled {
		return digest, ErrSettled
	}
	head, err := j.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return digest, fmt.Errorf("head: %w", err)
	}
	// The evidence lands in the next block at the earliest.
	now := j.slotAt(head.Time + 1)
	if now > p.Slot+j.cfg.SlashWindow {
		return digest, fmt.Errorf("%w: slot %d, now %d", ErrExpired, p.Slot, now)
	}
	return digest, nil
}

func (j *Judge) slotAt(ts uint64) uint64 {
	if ts < j.cfg.GenesisTime {
		return 0
	}
	return (ts - j.cfg.GenesisTime) / j.cfg.SecondsPerSlot
}

// decodeHeader decodes an RLP header and returns it with keccak256 of the RLP.
func decodeHeader(raw []byte) (*types.Header, common.Hash, error) {
	var h types.Header
	if err := rlp.DecodeBytes(raw, &h); err != nil {
		return nil, common.Hash{}, fmt.Errorf("%w: header: %v", ErrNotAnchored, err)
	}
	if h.BaseFee == nil {
		return nil, common.Hash{}, fmt.Errorf("%w: header without base fee", ErrNotAnchored)
	}
	return &h, crypto.Keccak256Hash(raw), nil
}

// anchored mirrors Slasher._anchored: the header is the node's canonical block
// and still within BLOCKHASH / EIP-2935 reach of the next block.
func (j *Judge) anchored(ctx context.Context, raw []byte) (*types.Header, error) {
	h, hash, err := decodeHeader(raw)
	if err != nil {
		return nil, err
	}
	head, err := j.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	// The head itself is refused: eth_call and gas estimation run in its context,
	// where BLOCKHASH(head) is still zero, so its evidence waits one block.
	cur := head.Number.Uint64()
	n := h.Number.Uint64()
	if !h.Number.IsUint64() || n >= cur || cur-n > historyWindow-1 {
		return nil, fmt.Errorf("%w: block %d out of reach", ErrNotAnchored, h.Number)
	}
	canon, err := j.node.HeaderByNumber(ctx, h.Number)
	if err != nil {
		return nil, fmt.Errorf("header %d: %w", n, err)
	}
	if canon.Hash() != hash {
		return nil, fmt.Errorf("%w: %s is not canonical block %d", ErrNotAnchored, hash, n)
	}
	return h, nil
}

// account mirrors AccountProof.verify: a missing account is nonce 0, balance 0, no code.
func account(root common.Hash, addr common.Address, proof [][]byte) (*types.StateAccount, error) {
	db := memorydb.New()
	for _, n := range proof {
		if err := db.Put(crypto.Keccak256(n), n); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadProof, err)
		}
	}
	val, err := trie.VerifyProof(root, crypto.Keccak256(addr[:]), db)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadProof, err)
	}
	acc := &types.StateAccount{Balance: new(uint256.Int), CodeHash: types.EmptyCodeHash[:]}
	if val == nil {
		return acc, nil
	}
	if err := rlp.DecodeBytes(val, acc); err != nil {
		return nil, fmt.Errorf("%w: account: %v", ErrBadProof, err)
	}
	return acc, nil
}

// BlobBaseFee is EIP-4844's fake_exponential(1, excessBlobGas, updateFraction).
func BlobBaseFee(excessBlobGas, updateFraction uint64) *big.Int {
	denom := new(big.Int).SetUint64(updateFraction)
	num := new(big.Int).SetUint64(excessBlobGas)
	out := new(big.Int)
	accum := new(big.Int).Set(denom)
	for i := int64(1); accum.Sign() > 0; i++ {
		out.Add(out, accum)
		accum.Mul(accum, num)
		accum.Div(accum, new(big.Int).Mul(denom, big.NewInt(i)))
	}
	return out.Div(out, denom)
}

// Safety judges safety evidence for sp (Slasher.slashSafety). nil means the
// contract slashes.
func (j *Judge) Safety(ctx context.Context, sp SignedPromise, ev *SafetyEvidence) error {
	if _, err := j.open(ctx, sp, true); err != nil {
		return err
	}
	p := sp.Promise
	if ev.Index < 0 || ev.Index >= len(p.Inclusions) || p.Inclusions[ev.Index].ChainID != j.cfg.L1ChainID {
		return fmt.Errorf("%w: inclusion %d is not on L1", ErrInvalidPromise, ev.Index)
	}
	inc := p.Inclusions[ev.Index]
	b, err := j.anchored(ctx, ev.Header)
	if err != nil {
		return err
	}
	if b.Time != j.cfg.SlotTime(p.Slot) {
		return fmt.Errorf("%w: block time %d, slot time %d", ErrNotAnchored, b.Time, j.cfg.SlotTime(p.Slot))
	}
	par, parHash, err := decodeHeader(ev.ParentHeader)
	if err != nil {
		return err
	}
	if parHash != b.ParentHash {
		return fmt.Errorf("%w: not the parent", ErrNotAnchored)
	}
	after, err := account(b.Root, inc.Sender, ev.BlockProof)
	if err != nil {
		return err
	}
	if after.Nonce > inc.Nonce {
		return ErrPromiseKept
	}
	before, err := account(par.Root, inc.Sender, ev.ParentProof)
	if err != nil {
		return err
	}
	if !bytes.Equal(before.CodeHash, types.EmptyCodeHash[:]) {
		return fmt.Errorf("%w: sender has code", ErrNotIncludable)
	}
	if before.Nonce > inc.Nonce {
		return fmt.Errorf("%w: nonce %d used before the block (state nonce %d)", ErrNotIncludable, inc.Nonce, before.Nonce)
	}
	gap := inc.Nonce - before.Nonce
	if uint64(len(ev.Priors)) != gap {
		return fmt.Errorf("%w: %d priors for a nonce gap of %d", ErrNotIncludable, len(ev.Priors), gap)
	}
	cost := new(big.Int).Set(orZero(inc.MaxCost))
	gas := new(big.Int).SetUint64(inc.GasLimit)
	if err := j.checkFees(inc, b); err != nil {
		return err
	}
	for k, pr := range ev.Priors {
		if _, err := j.open(ctx, pr.SignedPromise, false); err != nil {
			return fmt.Errorf("%w: prior %d: %v", ErrNotIncludable, k, err)
		}
		pp := pr.Promise
		if pp.Operator != p.Operator || pp.Slot > p.Slot || pr.Index < 0 || pr.Index >= len(pp.Inclusions) {
			return fmt.Errorf("%w: prior %d", ErrNotIncludable, k)
		}
		pi := pp.Inclusions[pr.Index]
		if pi.ChainID != j.cfg.L1ChainID || pi.Sender != inc.Sender || pi.Nonce != before.Nonce+uint64(k) {
			return fmt.Errorf("%w: prior %d", ErrNotIncludable, k)
		}
		if err := j.checkFees(pi, b); err != nil {
			return err
		}
		cost.Add(cost, orZero(pi.MaxCost))
		gas.Add(gas, new(big.Int).SetUint64(pi.GasLimit))
	}
	if before.Balance.ToBig().Cmp(cost) < 0 {
		return fmt.Errorf("%w: balance %s below cost %s", ErrNotIncludable, before.Balance, cost)
	}
	if gas.Cmp(new(big.Int).SetUint64(b.GasLimit)) > 0 {
		return fmt.Errorf("%w: gas %s above block limit %d", ErrNotIncludable, gas, b.GasLimit)
	}
	return nil
}

func (j *Judge) checkFees(inc protocol.Inclusion, b *types.Header) error {
	if orZero(inc.MaxFeePerGas).Cmp(b.BaseFee) < 0 {
		return fmt.Errorf("%w: max fee %s below base fee %s", ErrNotIncludable, inc.MaxFeePerGas, b.BaseFee)
	}
	if orZero(inc.MaxFeePerBlobGas).Sign() != 0 {
		var excess uint64
		if b.ExcessBlobGas != nil {
			excess = *b.ExcessBlobGas
		}
		if fee := BlobBaseFee(excess, j.cfg.BlobBaseFeeUpdateFraction); inc.MaxFeePerBlobGas.Cmp(fee) < 0 {
			return fmt.Errorf("%w: max blob fee %s below blob base fee %s", ErrNotIncludable, inc.MaxFeePerBlobGas, fee)
		}
	}
	return nil
}

// Liveness judges liveness evidence for sp (Slasher.slashLiveness).
func (j *Judge) Liveness(ctx context.Context, sp SignedPromise, ev *LivenessEvidence) error {
	if _, err := j.open(ctx, sp, true); err != nil {
		return err
	}
	h2, err := j.anchored(ctx, ev.Header2)
	if err != nil {
		return err
	}
	h1, h1Hash, err := decodeHeader(ev.Header1)
	if err != nil {
		return err
	}
	if h2.ParentHash != h1Hash {
		return fmt.Errorf("%w: not the parent", ErrNotAnchored)
	}
	ts := j.cfg.SlotTime(sp.Promise.Slot)
	if !(h1.Time < ts && ts < h2.Time) {
		return ErrSlotHasBlock
	}
	return nil
}

// L2Inclusion judges L2 inclusion evidence for sp (Slasher.slashL2Inclusion).
func (j *Judge) L2Inclusion(ctx context.Context, sp SignedPromise, ev *L2Evidence) error {
	if _, err := j.open(ctx, sp, true); err != nil {
		return err
	}
	p := sp.Promise
	if ev.Index < 0 || ev.Index >= len(p.Inclusions) || p.Inclusions[ev.Index].ChainID == j.cfg.L1ChainID {
		return fmt.Errorf("%w: inclusion %d is not on a rollup", ErrInvalidPromise, ev.Index)
	}
	inc := p.Inclusions[ev.Index]
	b, err := j.anchored(ctx, ev.Header)
	if err != nil {
		return err
	}
	if b.Time != j.cfg.SlotTime(p.Slot) {
		return fmt.Errorf("%w: block time %d, slot time %d", ErrNotAnchored, b.Time, j.cfg.SlotTime(p.Slot))
	}
	want, count, err := j.contracts.BatchOf(ctx, inc.ChainID, p.Slot)
	if err != nil {
		return err
	}
	if uint64(len(ev.TxHashes)) != uint64(count) {
		return fmt.Errorf("%w: %d hashes, inbox counts %d", ErrBatchMismatch, len(ev.TxHashes), count)
	}
	var acc common.Hash
	for _, h := range ev.TxHashes {
		if h == inc.TxHash {
			return ErrPromiseKept
		}
		acc = crypto.Keccak256Hash(acc[:], h[:])
	}
	if acc != want {
		return ErrBatchMismatch
	}
	return nil
}

// Equivocation judges equivocation evidence (Slasher.slashEquivocation).
func (j *Judge) Equivocation(ctx context.Context, ev *EquivocationEvidence) error {
	if _, err := j.open(ctx, ev.A, true); err != nil {
		return err
	}
	if _, err := j.open(ctx, ev.B, true); err != nil {
		return err
	}
	a, b := ev.A.Promise, ev.B.Promise
	if a.Operator != b.Operator {
		return fmt.Errorf("%w: different operators", ErrNotEquivocation)
	}
	if ev.IndexA < 0 || ev.IndexA >= len(a.Inclusions) || ev.IndexB < 0 || ev.IndexB >= len(b.Inclusions) {
		return fmt.Errorf("%w: inclusion index", ErrInvalidPromise)
	}
	x, y := a.Inclusions[ev.IndexA], b.Inclusions[ev.IndexB]
	if x.ChainID != y.ChainID || x.Sender != y.Sender || x.Nonce != y.Nonce || x.TxHash == y.TxHash {
		return ErrNotEquivocation
	}
	return nil
}

// Verdict is the Judge's answer for one promise.
type Verdict struct {
	// Fault is the rule the promise breaks; meaningful only when Slashable.
	Fault Fault
	// Slashable is true when Evidence makes the Slasher slash.
	Slashable bool
	// Reason says why not, when not slashable (wraps a sentinel of this package).
	Reason error
	// Evidence is a *SafetyEvidence, *LivenessEvidence or *L2Evidence when Slashable.
	Evidence any
	// Index is the inclusion the evidence names.
	Index int
}

// Assess decides whether sp was kept, looking at every inclusion: it builds the
// evidence of the fault that applies (liveness when the slot has no block,
// otherwise safety or L2 inclusion per inclusion) and judges it. known are other
// promises of the operator, the candidates for priors.
func (j *Judge) Assess(ctx context.Context, sp SignedPromise, known []SignedPromise) (*Verdict, error) {
	if err := j.checkShape(sp.Promise); err != nil {
		return &Verdict{Reason: err}, nil
	}
	at, _, _, err := j.builder.SlotHeaders(ctx, sp.Promise.Slot)
	if err != nil {
		return nil, err
	}
	if at == nil {
		ev, err := j.builder.Liveness(ctx, sp)
		if err != nil {
			return nil, err
		}
		jerr := j.Liveness(ctx, sp, ev)
		return &Verdict{Fault: FaultLiveness, Slashable: jerr == nil, Reason: jerr, Evidence: ev}, nil
	}
	var reason error
	for i, inc := range sp.Promise.Inclusions {
		if inc.ChainID == j.cfg.L1ChainID {
			ev, err := j.builder.Safety(ctx, sp, i, known)
			if err != nil {
				return nil, err
			}
			jerr := j.Safety(ctx, sp, ev)
			if jerr == nil {
				return &Verdict{Fault: FaultSafety, Slashable: true, Evidence: ev, Index: i}, nil
			}
			reason = errors.Join(reason, fmt.Errorf("inclusion %d: %w", i, jerr))
			continue
		}
		ev, err := j.builder.L2Inclusion(ctx, sp, i)
		if err != nil {
			return nil, err
		}
		jerr := j.L2Inclusion(ctx, sp, ev)
		if jerr == nil {
			return &Verdict{Fault: FaultL2Inclusion, Slashable: true, Evidence: ev, Index: i}, nil
		}
		reason = errors.Join(reason, fmt.Errorf("inclusion %d: %w", i, jerr))
	}
	return &Verdict{Reason: reason}, nil
}

// Split returns what a slash of amount pays the user and the watcher.
func (j *Judge) Split(amount *big.Int) (user, watcher *big.Int) {
	user = new(big.Int).Mul(amount, new(big.Int).SetUint64(j.cfg.UserBps))
	user.Div(user, big.NewInt(10_000))
	return user, new(big.Int).Sub(amount, user)
}

// Amount returns what the Slasher takes for fault f of p.
func (j *Judge) Amount(f Fault, p *protocol.Promise) *big.Int {
	amt := new(big.Int).Set(orZero(p.SlashAmount))
	if f == FaultLiveness {
		amt.Mul(amt, new(big.Int).SetUint64(j.cfg.LivenessBps))
		amt.Div(amt, big.NewInt(10_000))
	}
	return amt
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}
