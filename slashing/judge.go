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
	// Slasher fills Config.Slasher when that is zero (callers that set the
	// address here keep working); when both are set they must agree.
	Slasher                   common.Address
	SlashWindow               uint64
	LivenessBps               uint64
	UserBps                   uint64
	BurnBps                   uint64
	LedgerGrace               uint64
	BlobBaseFeeUpdateFraction uint64
	// URC is the Universal Registry Contract the Slasher answers through
	// ISlasher.slash (its constructor's Config.urc); zero: that path is off.
	URC common.Address
}

// historyWindow is how far back the EIP-2935 contract serves block hashes.
const historyWindow = 8191

// bps is the denominator of the Slasher's shares.
const bps = 10_000

// maxUint96 is the most a ledger leaf (and any slash) can be worth.
var maxUint96 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))

// Judge decides off-chain, by the Slasher's rules, whether evidence slashes a
// promise. Every refusal wraps the sentinel matching the contract's revert,
// and the checks run in the contract's order, so the first refusal is the
// one the contract would revert with. The claim (who is paid) is checked
// apart, by CheckClaim: the Slasher checks it last.
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
	switch {
	case cfg.Config.Slasher == (common.Address{}):
		cfg.Config.Slasher = cfg.Slasher
	case cfg.Slasher != (common.Address{}) && cfg.Slasher != cfg.Config.Slasher:
		return nil, fmt.Errorf("%w: two Slasher addresses, %s and %s", ErrBadConfig, cfg.Slasher, cfg.Config.Slasher)
	}
	cfg.Slasher = cfg.Config.Slasher
	if cfg.BlobBaseFeeUpdateFraction == 0 || cfg.SlashWindow == 0 || cfg.LivenessBps > bps {
		return nil, fmt.Errorf("%w: slash window, liveness bps or blob update fraction out of range", ErrBadConfig)
	}
	if cfg.BurnBps == 0 || cfg.UserBps+cfg.BurnBps > bps {
		return nil, fmt.Errorf("%w: user bps %d and burn bps %d (burn > 0, sum <= 10000)", ErrBadConfig, cfg.UserBps, cfg.BurnBps)
	}
	if cfg.LedgerGrace == 0 || cfg.LedgerGrace >= cfg.SlashWindow {
		return nil, fmt.Errorf("%w: ledger grace %d must be in (0, slash window %d)", ErrBadConfig, cfg.LedgerGrace, cfg.SlashWindow)
	}
	b, err := NewBuilder(node, contracts, cfg.Config)
	if err != nil {
		return nil, err
	}
	return &Judge{node: node, contracts: contracts, cfg: cfg, builder: b}, nil
}

// Builder returns the evidence builder over the judge's node.
func (j *Judge) Builder() *Builder { return j.builder }

func (j *Judge) domain() protocol.Domain {
	return protocol.Domain{ChainID: j.cfg.L1ChainID, Slasher: j.cfg.Config.Slasher}
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

// opened is a promise as Slasher._open leaves it: its digest and signer.
type opened struct {
	p      *protocol.Promise
	digest common.Hash
	signer common.Address
}

// open mirrors Slasher._open: shape, a well-formed signature, unsettled, and
// the window. Who signed is judged later, by back (or prior).
func (j *Judge) open(ctx context.Context, sp SignedPromise) (*opened, error) {
	p := sp.Promise
	if err := j.checkShape(p); err != nil {
		return nil, err
	}
	o := &opened{p: p, digest: p.Digest(j.domain())}
	signer, err := protocol.RecoverPromiseSigner(p, j.domain(), sp.Signature)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedSignature, err)
	}
	o.signer = signer
	if err := j.checkOpen(ctx, o.digest, p.Slot); err != nil {
		return nil, err
	}
	return o, nil
}

// checkOpen mirrors Slasher._checkOpen: the promise is unsettled and its
// evidence window still open.
func (j *Judge) checkOpen(ctx context.Context, digest common.Hash, slot uint64) error {
	settled, err := j.contracts.Settled(ctx, digest)
	if err != nil {
		return err
	}
	if settled {
		return ErrSettled
	}
	now, err := j.nextSlot(ctx)
	if err != nil {
		return err
	}
	if now > slot+j.cfg.SlashWindow {
		return fmt.Errorf("%w: slot %d, now %d", ErrExpired, slot, now)
	}
	return nil
}

// The Judge answers for the evidence both as eth_estimateGas runs it (in the
// head block's context) and as it lands (in a later block): a deadline (the
// slash window) is checked at the next block's slot, a start (the ledger
// grace, a committed claim) at the head. So evidence it accepts passes the
// estimate, and stays valid until its deadline.

// nextSlot is the slot evidence sent now lands in at the earliest: the next block's.
func (j *Judge) nextSlot(ctx context.Context) (uint64, error) {
	head, err := j.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("head: %w", err)
	}
	return j.slotAt(head.Time + 1), nil
}

// head is the latest header: the context of eth_call and eth_estimateGas.
func (j *Judge) head(ctx context.Context) (*types.Header, error) {
	head, err := j.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	return head, nil
}

// back mirrors Slasher._back: the promise is backed (its leaf is in its slot's
// ledger, signed by the ledger's committer). It returns the poster whose Inbox
// batches hold the slot's L2 promises. A promise in no ledger is void; while
// its slot's ledger may still be opened (no ledger yet, within the grace) the
// refusal is ErrLedgerPending, which a watcher tries again.
func (j *Judge) back(ctx context.Context, o *opened, bk *Backing) (common.Address, error) {
	p := o.p
	l, err := j.contracts.LedgerOf(ctx, p.Operator, p.Slot)
	if err != nil {
		return common.Address{}, err
	}
	amount := orZero(p.SlashAmount)
	if l.Count == 0 || bk == nil || amount.Cmp(maxUint96) > 0 {
		if l.Count == 0 {
			head, err := j.head(ctx)
			if err != nil {
				return common.Address{}, err
			}
			if now := j.slotAt(head.Time); now <= p.Slot+j.cfg.LedgerGrace {
				return common.Address{}, fmt.Errorf("%w: slot %d, head at slot %d, grace %d", ErrLedgerPending, p.Slot, now, j.cfg.LedgerGrace)
			}
		}
		return common.Address{}, fmt.Errorf("%w: slot %d (ledger of %d leaves), slash amount %s", ErrNotInLedger, p.Slot, l.Count, amount)
	}
	leaf := protocol.LedgerLeaf{Digest: o.digest, Amount: amount}.Hash()
	if !protocol.VerifyLedgerProof(l.Root, uint64(l.Count), bk.Index, leaf, bk.Proof) {
		return common.Address{}, fmt.Errorf("%w: leaf %d of slot %d is not (%s, %s)", ErrNotInLedger, bk.Index, p.Slot, o.digest, amount)
	}
	if o.signer != l.Committer {
		return common.Address{}, fmt.Errorf("%w: signer %s, ledger opened by %s", ErrNotLedgerCommitter, o.signer, l.Committer)
	}
	return l.Poster, nil
}

// CheckClaim mirrors the claim check of Slasher._slash, the last before
// paying: a beneficiary, and claim's hash for the promise with this digest
// committed in a block before the head (eth_estimateGas runs in the head's
// context, where a claim of the head block itself is refused).
func (j *Judge) CheckClaim(ctx context.Context, digest common.Hash, c Claim) error {
	if c.Beneficiary == (common.Address{}) {
		return ErrZeroBeneficiary
	}
	h := c.Hash(digest)
	at, err := j.contracts.ClaimBlock(ctx, h)
	if err != nil {
		return err
	}
	if at == 0 {
		return fmt.Errorf("%w: %s", ErrClaimNotCommitted, h)
	}
	head, err := j.head(ctx)
	if err != nil {
		return err
	}
	if at >= head.Number.Uint64() {
		return fmt.Errorf("%w: %s committed in block %d, the head", ErrClaimNotCommitted, h, at)
	}
	return nil
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
// contract slashes (given a committed claim, see CheckClaim).
func (j *Judge) Safety(ctx context.Context, sp SignedPromise, ev *SafetyEvidence) error {
	o, err := j.open(ctx, sp)
	if err != nil {
		return err
	}
	if err := j.judgeSafety(ctx, sp.Promise, ev, common.Address{}); err != nil {
		return err
	}
	_, err = j.back(ctx, o, ev.Backing)
	return err
}

// judgeSafety mirrors Slasher._judgeSafety: inclusion ev.Index of p is an L1
// transaction missing from the slot's block although includable at its
// parent. Priors must be backed when committer is zero (the own path), and
// signed by committer otherwise (the URC path).
func (j *Judge) judgeSafety(ctx context.Context, p *protocol.Promise, ev *SafetyEvidence, committer common.Address) error {
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
		pi, err := j.prior(ctx, pr, p, inc.Sender, before.Nonce+uint64(k), k, committer)
		if err != nil {
			return err
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

// prior mirrors Slasher._prior: prior k is a promise of the same operator for
// p's slot, whose inclusion is sender's L1 transaction with this nonce, and
// that binds the operator: backed (committer zero, the own path) or signed by
// committer (the URC path).
func (j *Judge) prior(ctx context.Context, pr Prior, p *protocol.Promise, sender common.Address, nonce uint64, k int, committer common.Address) (protocol.Inclusion, error) {
	pp := pr.Promise
	if err := j.checkShape(pp); err != nil {
		return protocol.Inclusion{}, fmt.Errorf("prior %d: %w", k, err)
	}
	d := pp.Digest(j.domain())
	signer, err := protocol.RecoverPromiseSigner(pp, j.domain(), pr.Signature)
	if err != nil {
		return protocol.Inclusion{}, fmt.Errorf("prior %d: %w: %v", k, ErrMalformedSignature, err)
	}
	if pp.Operator != p.Operator || pp.Slot != p.Slot || pr.Index < 0 || pr.Index >= len(pp.Inclusions) {
		return protocol.Inclusion{}, fmt.Errorf("%w %d: another operator, another slot or no inclusion %d", ErrBadPrior, k, pr.Index)
	}
	if committer != (common.Address{}) {
		if signer != committer {
			return protocol.Inclusion{}, fmt.Errorf("%w %d: signed by %s, not the committer %s", ErrBadPrior, k, signer, committer)
		}
		return coverPrior(pp.Inclusions[pr.Index], j.cfg.L1ChainID, sender, nonce, k)
	}
	amount := orZero(pp.SlashAmount)
	if amount.Cmp(maxUint96) > 0 {
		return protocol.Inclusion{}, fmt.Errorf("%w %d: slash amount above 2^96-1", ErrBadPrior, k)
	}
	l, err := j.contracts.LedgerOf(ctx, pp.Operator, pp.Slot)
	if err != nil {
		return protocol.Inclusion{}, err
	}
	leaf := protocol.LedgerLeaf{Digest: d, Amount: amount}.Hash()
	switch {
	case l.Count == 0:
		return protocol.Inclusion{}, fmt.Errorf("%w %d: slot %d has no ledger", ErrBadPrior, k, pp.Slot)
	case signer != l.Committer:
		return protocol.Inclusion{}, fmt.Errorf("%w %d: signed by %s, ledger opened by %s", ErrBadPrior, k, signer, l.Committer)
	case !protocol.VerifyLedgerProof(l.Root, uint64(l.Count), pr.LeafIndex, leaf, pr.LeafProof):
		return protocol.Inclusion{}, fmt.Errorf("%w %d: not leaf %d of slot %d's ledger", ErrBadPrior, k, pr.LeafIndex, pp.Slot)
	}
	return coverPrior(pp.Inclusions[pr.Index], j.cfg.L1ChainID, sender, nonce, k)
}

// coverPrior checks prior k's inclusion is sender's L1 transaction with this nonce.
func coverPrior(pi protocol.Inclusion, l1ChainID uint64, sender common.Address, nonce uint64, k int) (protocol.Inclusion, error) {
	if pi.ChainID != l1ChainID || pi.Sender != sender || pi.Nonce != nonce {
		return protocol.Inclusion{}, fmt.Errorf("%w %d: does not cover %s's nonce %d on L1", ErrBadPrior, k, sender, nonce)
	}
	return pi, nil
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
	o, err := j.open(ctx, sp)
	if err != nil {
		return err
	}
	if err := j.judgeMissed(ctx, sp.Promise.Slot, ev); err != nil {
		return err
	}
	_, err = j.back(ctx, o, ev.Backing)
	return err
}

// judgeMissed mirrors Slasher._judgeMissed: Header1 is the parent of the
// anchored Header2 and their times straddle the slot's.
func (j *Judge) judgeMissed(ctx context.Context, slot uint64, ev *LivenessEvidence) error {
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
	ts := j.cfg.SlotTime(slot)
	if !(h1.Time < ts && ts < h2.Time) {
		return ErrSlotHasBlock
	}
	return nil
}

// L2Inclusion judges L2 inclusion evidence for sp (Slasher.slashL2Inclusion).
func (j *Judge) L2Inclusion(ctx context.Context, sp SignedPromise, ev *L2Evidence) error {
	o, err := j.open(ctx, sp)
	if err != nil {
		return err
	}
	inc, err := j.judgeL2Block(ctx, sp.Promise, ev)
	if err != nil {
		return err
	}
	poster, err := j.back(ctx, o, ev.Backing)
	if err != nil {
		return err
	}
	return j.judgeBatch(ctx, inc, sp.Promise.Slot, poster, ev.TxHashes)
}

// judgeL2Block mirrors Slasher._judgeL2Block: inclusion ev.Index is a
// rollup's and the slot's block exists.
func (j *Judge) judgeL2Block(ctx context.Context, p *protocol.Promise, ev *L2Evidence) (protocol.Inclusion, error) {
	if ev.Index < 0 || ev.Index >= len(p.Inclusions) || p.Inclusions[ev.Index].ChainID == j.cfg.L1ChainID {
		return protocol.Inclusion{}, fmt.Errorf("%w: inclusion %d is not on a rollup", ErrInvalidPromise, ev.Index)
	}
	b, err := j.anchored(ctx, ev.Header)
	if err != nil {
		return protocol.Inclusion{}, err
	}
	if b.Time != j.cfg.SlotTime(p.Slot) {
		return protocol.Inclusion{}, fmt.Errorf("%w: block time %d, slot time %d", ErrNotAnchored, b.Time, j.cfg.SlotTime(p.Slot))
	}
	return p.Inclusions[ev.Index], nil
}

// judgeBatch mirrors Slasher._judgeBatch: txHashes fold to poster's Inbox
// record for the rollup and slot, and none is the promised transaction.
func (j *Judge) judgeBatch(ctx context.Context, inc protocol.Inclusion, slot uint64, poster common.Address, txHashes []common.Hash) error {
	want, count, err := j.contracts.BatchOf(ctx, inc.ChainID, slot, poster)
	if err != nil {
		return err
	}
	if uint64(len(txHashes)) != uint64(count) {
		return fmt.Errorf("%w: %d hashes, inbox counts %d for poster %s", ErrBatchMismatch, len(txHashes), count, poster)
	}
	var acc common.Hash
	for _, h := range txHashes {
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

// Equivocation judges equivocation evidence (Slasher.slashEquivocation): A
// is opened and backed like any slashed promise; B is only decoded and must be
// signed by the operator's committer at B's slot (it is neither paid nor
// settled, so it may be settled or past its window already).
func (j *Judge) Equivocation(ctx context.Context, ev *EquivocationEvidence) error {
	a, err := j.open(ctx, ev.A)
	if err != nil {
		return err
	}
	signerB, err := j.judgeEquivocation(a.p, ev)
	if err != nil {
		return err
	}
	pb := ev.B.Promise
	committer, err := j.contracts.CommitterAt(ctx, pb.Operator, pb.Slot)
	if err != nil {
		return err
	}
	if committer == (common.Address{}) {
		return fmt.Errorf("%w: second promise signed by %s, slot %d", ErrNoCommitter, signerB, pb.Slot)
	}
	if signerB != committer {
		return fmt.Errorf("%w: second promise signed by %s, committer %s", ErrWrongSigner, signerB, committer)
	}
	_, err = j.back(ctx, a, ev.BackingA)
	return err
}

// judgeEquivocation mirrors Slasher._judgeEquivocation: B is well formed and
// its inclusion IndexB has A's (pa's) chain, sender and nonce and another
// hash. It returns B's signer; who must have signed B is the caller's rule.
func (j *Judge) judgeEquivocation(pa *protocol.Promise, ev *EquivocationEvidence) (common.Address, error) {
	pb := ev.B.Promise
	if err := j.checkShape(pb); err != nil {
		return common.Address{}, err
	}
	signerB, err := protocol.RecoverPromiseSigner(pb, j.domain(), ev.B.Signature)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: second promise: %v", ErrMalformedSignature, err)
	}
	if pa.Operator != pb.Operator {
		return common.Address{}, fmt.Errorf("%w: different operators", ErrNotEquivocation)
	}
	if ev.IndexA < 0 || ev.IndexA >= len(pa.Inclusions) || ev.IndexB < 0 || ev.IndexB >= len(pb.Inclusions) {
		return common.Address{}, fmt.Errorf("%w: inclusion index", ErrInvalidPromise)
	}
	x, y := pa.Inclusions[ev.IndexA], pb.Inclusions[ev.IndexB]
	if x.ChainID != y.ChainID || x.Sender != y.Sender || x.Nonce != y.Nonce || x.TxHash == y.TxHash {
		return common.Address{}, ErrNotEquivocation
	}
	return signerB, nil
}

// Verdict is the Judge's answer for one promise.
type Verdict struct {
	// Fault is the rule the promise breaks; meaningful only when Slashable.
	Fault Fault
	// Slashable is true when Evidence makes the Slasher slash (given a committed claim).
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
// otherwise safety or L2 inclusion per inclusion), with sp's backing, and
// judges it. known are other promises of the operator, the candidates for
// priors. A promise in no ledger is not slashable: ErrLedgerPending while its
// slot's ledger may still be opened (transient), ErrNotInLedger after.
func (j *Judge) Assess(ctx context.Context, sp SignedPromise, known []SignedPromise) (*Verdict, error) {
	if err := j.checkShape(sp.Promise); err != nil {
		return &Verdict{Reason: err}, nil
	}
	at, _, _, err := j.builder.SlotHeaders(ctx, sp.Promise.Slot)
	if err != nil {
		return nil, err
	}
	lc := j.builder.newLedgerCache()
	if at == nil {
		ev, err := j.builder.liveness(ctx, lc, sp)
		if err != nil {
			return nil, err
		}
		jerr := j.Liveness(ctx, sp, ev)
		return &Verdict{Fault: FaultLiveness, Slashable: jerr == nil, Reason: jerr, Evidence: ev}, nil
	}
	var reason error
	for i, inc := range sp.Promise.Inclusions {
		if inc.ChainID == j.cfg.L1ChainID {
			ev, err := j.builder.safety(ctx, lc, sp, i, known)
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
		ev, err := j.builder.l2Inclusion(ctx, lc, sp, i)
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

// Amount returns what the Slasher asks the Registry to take for fault f of p
// (for an equivocation, p is promise A). Registry.slash takes at most what the
// ledger holds, see Taken.
func (j *Judge) Amount(f Fault, p *protocol.Promise) *big.Int {
	amt := new(big.Int).Set(orZero(p.SlashAmount))
	if f == FaultLiveness {
		if amt.Cmp(maxUint96) > 0 {
			amt.Set(maxUint96)
		}
		amt.Mul(amt, new(big.Int).SetUint64(j.cfg.LivenessBps))
		amt.Div(amt, big.NewInt(bps))
	}
	return amt
}

// Taken returns what Registry.slash would take now for amount asked for a
// promise of (operator, slot): at most what its slot's ledger has left.
func (j *Judge) Taken(ctx context.Context, operator common.Address, slot uint64, amount *big.Int) (*big.Int, error) {
	l, err := j.contracts.LedgerOf(ctx, operator, slot)
	if err != nil {
		return nil, err
	}
	have := orZero(l.Left)
	if amount.Cmp(have) < 0 {
		return new(big.Int).Set(amount), nil
	}
	return new(big.Int).Set(have), nil
}

// Split returns how Registry.slash shares taken wei: userBps to the user,
// burnBps burnt, the rest to the claim's beneficiary.
func (j *Judge) Split(taken *big.Int) (user, burnt, beneficiary *big.Int) {
	share := func(b uint64) *big.Int {
		v := new(big.Int).Mul(taken, new(big.Int).SetUint64(b))
		return v.Div(v, big.NewInt(bps))
	}
	user, burnt = share(j.cfg.UserBps), share(j.cfg.BurnBps)
	beneficiary = new(big.Int).Sub(taken, user)
	return user, burnt, beneficiary.Sub(beneficiary, burnt)
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}
