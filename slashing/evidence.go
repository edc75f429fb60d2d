package slashing

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Node is the execution JSON-RPC endpoint evidence is read from. An
// *ethclient.Client paired with its rpc client (see NewNode) is one.
type Node interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	HeaderByHash(ctx context.Context, hash common.Hash) (*types.Header, error)
	BlockByHash(ctx context.Context, hash common.Hash) (*types.Block, error)
	TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error)
	// CallContext is the raw JSON-RPC call, used for eth_getProof.
	CallContext(ctx context.Context, result any, method string, args ...any) error
}

// Config is the deployment the evidence is for.
type Config struct {
	L1ChainID      uint64
	GenesisTime    uint64
	SecondsPerSlot uint64
	Inbox          common.Address // the rollup Inbox, for L2 inclusion evidence
	// Slasher is the contract every promise's commitment names as its slasher:
	// it fixes their digests, hence their ledger leaves.
	Slasher common.Address
}

// SlotTime is slotTimestamp(S) = genesisTime + S * secondsPerSlot.
func (c Config) SlotTime(slot uint64) uint64 { return c.GenesisTime + slot*c.SecondsPerSlot }

// SignedPromise is a promise and its committer signature (65 bytes r ‖ s ‖ v).
type SignedPromise struct {
	Promise   *protocol.Promise
	Signature []byte
}

// Prior is an earlier promise covering one nonce below a slashed one. The
// Slasher takes only backed priors: LeafIndex and LeafProof place it in its
// slot's ledger.
type Prior struct {
	SignedPromise
	Index     int
	LeafIndex uint64
	LeafProof []common.Hash
}

// SafetyEvidence is the argument of Slasher.slashSafety.
type SafetyEvidence struct {
	Index        int
	Header       []byte // RLP of the slot's block B
	ParentHeader []byte // RLP of B's parent P
	ParentProof  [][]byte
	BlockProof   [][]byte
	Priors       []Prior
	Backing      *Backing
}

// LivenessEvidence is the argument of Slasher.slashLiveness: H1 and its child H2
// around the slot's time.
type LivenessEvidence struct {
	Header1 []byte
	Header2 []byte
	Backing *Backing
}

// L2Evidence is the argument of Slasher.slashL2Inclusion. TxHashes are those
// of every L2 transaction the operator's poster (the ledger's, or the signer
// when not backed) posted for the rollup in the slot.
type L2Evidence struct {
	Index    int
	Header   []byte
	TxHashes []common.Hash
	Backing  *Backing
}

// EquivocationEvidence is the argument of Slasher.slashEquivocation: the
// slash is paid as promise A, from where BackingA says.
type EquivocationEvidence struct {
	A, B           SignedPromise
	IndexA, IndexB int
	BackingA       *Backing
}

// Binding converts the evidence to the Slasher binding's struct.
func (e *SafetyEvidence) Binding() (bindings.ISlasherSafetyEvidence, error) {
	out := bindings.ISlasherSafetyEvidence{Header: e.Header, ParentHeader: e.ParentHeader, ParentProof: e.ParentProof, BlockProof: e.BlockProof, Priors: []bindings.ISlasherPrior{}}
	for _, p := range e.Priors {
		payload, err := p.Promise.MarshalABI()
		if err != nil {
			return out, err
		}
		out.Priors = append(out.Priors, bindings.ISlasherPrior{
			Payload: payload, Signature: p.Signature, Index: big.NewInt(int64(p.Index)),
			LeafIndex: new(big.Int).SetUint64(p.LeafIndex), LeafProof: hashes32(p.LeafProof),
		})
	}
	return out, nil
}

// Builder builds the evidence of each fault from a node and the contracts.
// It only reads: no transaction is sent.
type Builder struct {
	node      Node
	contracts Contracts
	cfg       Config
	post      abi.Arguments
}

// NewBuilder returns a Builder reading from node and contracts. It does no I/O.
func NewBuilder(node Node, contracts Contracts, cfg Config) (*Builder, error) {
	if node == nil {
		return nil, fmt.Errorf("%w: no node", ErrBadConfig)
	}
	if contracts == nil {
		return nil, fmt.Errorf("%w: no contracts", ErrBadConfig)
	}
	if cfg.SecondsPerSlot == 0 || cfg.L1ChainID == 0 {
		return nil, fmt.Errorf("%w: chain id and seconds per slot are required", ErrBadConfig)
	}
	if cfg.Slasher == (common.Address{}) {
		return nil, fmt.Errorf("%w: no Slasher address (promise digests depend on it)", ErrBadConfig)
	}
	inbox, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		return nil, fmt.Errorf("%w: inbox abi: %v", ErrBadConfig, err)
	}
	return &Builder{node: node, contracts: contracts, cfg: cfg, post: inbox.Methods["post"].Inputs}, nil
}

func (b *Builder) domain() protocol.Domain {
	return protocol.Domain{ChainID: b.cfg.L1ChainID, Slasher: b.cfg.Slasher}
}

// SlotHeaders finds the canonical block whose timestamp is the slot's (at), or,
// when there is none, the last block before (before) and the first after (after).
func (b *Builder) SlotHeaders(ctx context.Context, slot uint64) (at, before, after *types.Header, err error) {
	ts := b.cfg.SlotTime(slot)
	head, err := b.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("head: %w", err)
	}
	if head.Time < ts {
		return nil, nil, nil, fmt.Errorf("%w: slot %d at %d, head at %d", ErrSlotNotReached, slot, ts, head.Time)
	}
	// Timestamps strictly increase with the number: binary search the first block at or after ts.
	lo, hi := uint64(0), head.Number.Uint64()
	for lo < hi {
		mid := lo + (hi-lo)/2
		h, err := b.header(ctx, mid)
		if err != nil {
			return nil, nil, nil, err
		}
		if h.Time < ts {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	first, err := b.header(ctx, lo)
	if err != nil {
		return nil, nil, nil, err
	}
	if first.Time == ts {
		return first, nil, nil, nil
	}
	if lo == 0 {
		return nil, nil, nil, fmt.Errorf("%w: slot %d is before the first block", ErrSlotNotReached, slot)
	}
	prev, err := b.header(ctx, lo-1)
	if err != nil {
		return nil, nil, nil, err
	}
	return nil, prev, first, nil
}

func (b *Builder) header(ctx context.Context, n uint64) (*types.Header, error) {
	h, err := b.node.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if err != nil {
		return nil, fmt.Errorf("header %d: %w", n, err)
	}
	return h, nil
}

// AccountState is an account as eth_getProof reports it, with its proof.
type AccountState struct {
	Nonce    uint64
	Balance  *big.Int
	CodeHash common.Hash
	Proof    [][]byte
}

type proofResult struct {
	AccountProof []hexutil.Bytes `json:"accountProof"`
	Nonce        hexutil.Uint64  `json:"nonce"`
	Balance      *hexutil.Big    `json:"balance"`
	CodeHash     common.Hash     `json:"codeHash"`
}

// Account reads the account of addr after block number with its proof.
func (b *Builder) Account(ctx context.Context, addr common.Address, number *big.Int) (*AccountState, error) {
	var res proofResult
	if err := b.node.CallContext(ctx, &res, "eth_getProof", addr, []string{}, hexutil.EncodeBig(number)); err != nil {
		return nil, fmt.Errorf("eth_getProof %s at %d: %w", addr, number, err)
	}
	if len(res.AccountProof) == 0 || res.Balance == nil {
		return nil, fmt.Errorf("%w: empty answer for %s at %d", ErrNoProof, addr, number)
	}
	st := &AccountState{Nonce: uint64(res.Nonce), Balance: res.Balance.ToInt(), CodeHash: res.CodeHash, Proof: make([][]byte, len(res.AccountProof))}
	for i, n := range res.AccountProof {
		st.Proof[i] = n
	}
	return st, nil
}

// Safety builds the safety evidence for inclusion index of sp, with its
// backing. known are the other promises the watcher holds (any operator, any
// sender): the priors that cover the nonces between the parent state and the
// promised one are picked from them (and from sp itself), among those in
// their slot's ledger, since the Slasher takes no other prior.
func (b *Builder) Safety(ctx context.Context, sp SignedPromise, index int, known []SignedPromise) (*SafetyEvidence, error) {
	return b.safety(ctx, b.newLedgerCache(), sp, index, known)
}

func (b *Builder) safety(ctx context.Context, lc *ledgerCache, sp SignedPromise, index int, known []SignedPromise) (*SafetyEvidence, error) {
	p := sp.Promise
	ev, before, err := b.safetyBlocks(ctx, p, index)
	if err != nil {
		return nil, err
	}
	inc := p.Inclusions[index]
	own, err := lc.get(ctx, p.Operator, p.Slot)
	if err != nil {
		return nil, err
	}
	ev.Backing = own.Backing(p.Digest(b.domain()))
	// Priors: one per nonce in [nonce_P, nonce), by the same operator, for a slot <= S.
	cands := append([]SignedPromise{sp}, known...)
	for n := before.Nonce; n < inc.Nonce; n++ {
		pr, err := b.prior(ctx, lc, cands, p, inc.Sender, n)
		if err != nil {
			return nil, err
		}
		if pr == nil {
			// Leave the gap: the judge reports the transaction as not includable.
			break
		}
		ev.Priors = append(ev.Priors, *pr)
	}
	return ev, nil
}

// safetyBlocks builds the part of safety evidence for inclusion index of p
// that both paths share: the slot's block and its parent, and the sender's
// account proofs at both. It returns the sender's state at the parent.
func (b *Builder) safetyBlocks(ctx context.Context, p *protocol.Promise, index int) (*SafetyEvidence, *AccountState, error) {
	if index < 0 || index >= len(p.Inclusions) || p.Inclusions[index].ChainID != b.cfg.L1ChainID {
		return nil, nil, fmt.Errorf("%w: inclusion %d is not an L1 inclusion", ErrInvalidPromise, index)
	}
	inc := p.Inclusions[index]
	at, _, _, err := b.SlotHeaders(ctx, p.Slot)
	if err != nil {
		return nil, nil, err
	}
	if at == nil {
		return nil, nil, fmt.Errorf("%w: slot %d", ErrNoSlotBlock, p.Slot)
	}
	parent, err := b.node.HeaderByHash(ctx, at.ParentHash)
	if err != nil {
		return nil, nil, fmt.Errorf("parent of %d: %w", at.Number, err)
	}
	before, err := b.Account(ctx, inc.Sender, parent.Number)
	if err != nil {
		return nil, nil, err
	}
	after, err := b.Account(ctx, inc.Sender, at.Number)
	if err != nil {
		return nil, nil, err
	}
	ev := &SafetyEvidence{Index: index, ParentProof: before.Proof, BlockProof: after.Proof}
	if ev.Header, err = rlp.EncodeToBytes(at); err != nil {
		return nil, nil, fmt.Errorf("encode header: %w", err)
	}
	if ev.ParentHeader, err = rlp.EncodeToBytes(parent); err != nil {
		return nil, nil, fmt.Errorf("encode header: %w", err)
	}
	return ev, before, nil
}

// prior finds a candidate covering (sender, nonce) for p that is a leaf of its
// slot's ledger; nil when there is none.
func (b *Builder) prior(ctx context.Context, lc *ledgerCache, cands []SignedPromise, p *protocol.Promise, sender common.Address, nonce uint64) (*Prior, error) {
	for _, c := range cands {
		cp := c.Promise
		if cp.Operator != p.Operator || cp.Slot != p.Slot { // priors are of the same slot (Slasher._prior)
			continue
		}
		for k, ci := range cp.Inclusions {
			if ci.ChainID != b.cfg.L1ChainID || ci.Sender != sender || ci.Nonce != nonce {
				continue
			}
			l, err := lc.get(ctx, cp.Operator, cp.Slot)
			if err != nil {
				return nil, err
			}
			bk := l.Backing(cp.Digest(b.domain()))
			if bk == nil || l.Tree.Leaves[bk.Index].Amount.Cmp(orZero(cp.SlashAmount)) != 0 {
				break // not in its ledger: the Slasher would refuse it (BadPrior)
			}
			return &Prior{SignedPromise: c, Index: k, LeafIndex: bk.Index, LeafProof: bk.Proof}, nil
		}
	}
	return nil, nil
}

// Liveness builds the liveness evidence for sp: the blocks around its empty
// slot, and its backing.
func (b *Builder) Liveness(ctx context.Context, sp SignedPromise) (*LivenessEvidence, error) {
	return b.liveness(ctx, b.newLedgerCache(), sp)
}

func (b *Builder) liveness(ctx context.Context, lc *ledgerCache, sp SignedPromise) (*LivenessEvidence, error) {
	ev, err := b.URCLiveness(ctx, sp)
	if err != nil {
		return nil, err
	}
	l, err := lc.get(ctx, sp.Promise.Operator, sp.Promise.Slot)
	if err != nil {
		return nil, err
	}
	ev.Backing = l.Backing(sp.Promise.Digest(b.domain()))
	return ev, nil
}

// URCLiveness builds the liveness evidence for sp without a backing (the URC
// path has no ledgers): the blocks around its empty slot.
func (b *Builder) URCLiveness(ctx context.Context, sp SignedPromise) (*LivenessEvidence, error) {
	at, before, after, err := b.SlotHeaders(ctx, sp.Promise.Slot)
	if err != nil {
		return nil, err
	}
	if at != nil {
		return nil, fmt.Errorf("%w: slot %d is block %d", ErrSlotHasBlock, sp.Promise.Slot, at.Number)
	}
	ev := &LivenessEvidence{}
	if ev.Header1, err = rlp.EncodeToBytes(before); err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	if ev.Header2, err = rlp.EncodeToBytes(after); err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	return ev, nil
}

// L2Inclusion builds the L2 inclusion evidence for inclusion index of sp: the
// hashes of every L2 transaction the operator's poster posted for its rollup
// in the slot's block, read back from that poster's successful Inbox.post
// calls of the block (posts made through another contract are not seen; the
// judge then reports a batch mismatch). The poster is the ledger's when sp is
// backed, else sp's signer, as the Slasher reads the Inbox.
func (b *Builder) L2Inclusion(ctx context.Context, sp SignedPromise, index int) (*L2Evidence, error) {
	return b.l2Inclusion(ctx, b.newLedgerCache(), sp, index)
}

func (b *Builder) l2Inclusion(ctx context.Context, lc *ledgerCache, sp SignedPromise, index int) (*L2Evidence, error) {
	p := sp.Promise
	if index < 0 || index >= len(p.Inclusions) || p.Inclusions[index].ChainID == b.cfg.L1ChainID {
		return nil, fmt.Errorf("%w: inclusion %d is not an L2 inclusion", ErrInvalidPromise, index)
	}
	at, _, _, err := b.SlotHeaders(ctx, p.Slot)
	if err != nil {
		return nil, err
	}
	if at == nil {
		return nil, fmt.Errorf("%w: slot %d", ErrNoSlotBlock, p.Slot)
	}
	l, err := lc.get(ctx, p.Operator, p.Slot)
	if err != nil {
		return nil, err
	}
	ev := &L2Evidence{Index: index, Backing: l.Backing(p.Digest(b.domain()))}
	if ev.Backing != nil {
		// Unbacked, the promise is void: no batch is read, the judge refuses it.
		if ev.TxHashes, err = b.PostedL2Txs(ctx, at.Hash(), p.Inclusions[index].ChainID, l.Record.Poster); err != nil {
			return nil, err
		}
	}
	if ev.Header, err = rlp.EncodeToBytes(at); err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	return ev, nil
}

// PostedL2Txs returns keccak256(rawTx) of every L2 transaction poster posted
// for chainID to the Inbox in block hash, in posting order: the list the
// Inbox's record of (chainID, slot, poster) folds.
func (b *Builder) PostedL2Txs(ctx context.Context, hash common.Hash, chainID uint64, poster common.Address) ([]common.Hash, error) {
	blk, err := b.node.BlockByHash(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("block %s: %w", hash, err)
	}
	signer := types.LatestSignerForChainID(new(big.Int).SetUint64(b.cfg.L1ChainID))
	var out []common.Hash
	for _, tx := range blk.Transactions() {
		if tx.To() == nil || *tx.To() != b.cfg.Inbox || len(tx.Data()) < 4 {
			continue
		}
		from, err := types.Sender(signer, tx)
		if err != nil {
			return nil, fmt.Errorf("%w: sender of %s: %v", ErrInboxPosts, tx.Hash(), err)
		}
		if from != poster {
			continue
		}
		r, err := b.node.TransactionReceipt(ctx, tx.Hash())
		if err != nil {
			return nil, fmt.Errorf("receipt %s: %w", tx.Hash(), err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			continue
		}
		vals, err := b.post.Unpack(tx.Data()[4:])
		if err != nil || len(vals) != 1 {
			return nil, fmt.Errorf("%w: tx %s: %v", ErrInboxPosts, tx.Hash(), err)
		}
		data, _ := vals[0].([]byte)
		hs, err := batchTxHashes(data, chainID)
		if err != nil {
			return nil, fmt.Errorf("%w: tx %s: %v", ErrInboxPosts, tx.Hash(), err)
		}
		out = append(out, hs...)
	}
	return out, nil
}

// batchTxHashes walks Inbox.post's encoding (chainId:u64 ‖ count:u16 ‖ (len:u24 ‖ tx)*)
// and hashes the txs of chainID. The call succeeded, so the encoding is valid.
func batchTxHashes(data []byte, chainID uint64) ([]common.Hash, error) {
	var out []common.Hash
	for off := 0; off < len(data); {
		if len(data)-off < 10 {
			return nil, fmt.Errorf("truncated batch at %d", off)
		}
		id := binary.BigEndian.Uint64(data[off:])
		n := int(binary.BigEndian.Uint16(data[off+8:]))
		off += 10
		for k := 0; k < n; k++ {
			if len(data)-off < 3 {
				return nil, fmt.Errorf("truncated tx at %d", off)
			}
			l := int(data[off])<<16 | int(data[off+1])<<8 | int(data[off+2])
			off += 3
			if len(data)-off < l {
				return nil, fmt.Errorf("truncated tx at %d", off)
			}
			if id == chainID {
				out = append(out, crypto.Keccak256Hash(data[off:off+l]))
			}
			off += l
		}
	}
	return out, nil
}

// Equivocation finds two inclusions of a and b with the same (chain, sender,
// nonce) and different tx hashes. The evidence has no backing (read from no
// chain): it is paid as an unledgered A. Builder.Equivocation adds it.
func Equivocation(a, b SignedPromise) (*EquivocationEvidence, error) {
	if a.Promise.Operator != b.Promise.Operator {
		return nil, fmt.Errorf("%w: different operators", ErrNotEquivocation)
	}
	for i, x := range a.Promise.Inclusions {
		for j, y := range b.Promise.Inclusions {
			if x.ChainID == y.ChainID && x.Sender == y.Sender && x.Nonce == y.Nonce && x.TxHash != y.TxHash {
				return &EquivocationEvidence{A: a, B: b, IndexA: i, IndexB: j}, nil
			}
		}
	}
	return nil, ErrNotEquivocation
}

// Equivocation builds the equivocation evidence of a and b with the backing
// of the promise it is paid as (A). Either may be A: it must be backed, and
// of two backed ones the one whose ledger has more left is taken.
func (b *Builder) Equivocation(ctx context.Context, x, y SignedPromise) (*EquivocationEvidence, error) {
	ev, err := Equivocation(x, y)
	if err != nil {
		return nil, err
	}
	lc := b.newLedgerCache()
	backing := func(sp SignedPromise) (*Backing, *big.Int, error) {
		l, err := lc.get(ctx, sp.Promise.Operator, sp.Promise.Slot)
		if err != nil {
			return nil, nil, err
		}
		return l.Backing(sp.Promise.Digest(b.domain())), l.Record.Left, nil
	}
	bx, leftX, err := backing(x)
	if err != nil {
		return nil, err
	}
	by, leftY, err := backing(y)
	if err != nil {
		return nil, err
	}
	if by != nil && (bx == nil || orZero(leftY).Cmp(orZero(leftX)) > 0) {
		ev = &EquivocationEvidence{A: y, B: x, IndexA: ev.IndexB, IndexB: ev.IndexA, BackingA: by}
		return ev, nil
	}
	ev.BackingA = bx
	return ev, nil
}

// URCSafety builds the safety evidence for inclusion index of sp on the URC
// path: no backing, and priors taken from known (and sp) when sp's own signer
// signed them for the same operator and slot (on this path a prior binds when
// the committer the URC vouches for signed it).
func (b *Builder) URCSafety(ctx context.Context, sp SignedPromise, index int, known []SignedPromise) (*SafetyEvidence, error) {
	p := sp.Promise
	ev, before, err := b.safetyBlocks(ctx, p, index)
	if err != nil {
		return nil, err
	}
	committer, err := protocol.RecoverPromiseSigner(p, b.domain(), sp.Signature)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedSignature, err)
	}
	inc := p.Inclusions[index]
	cands := append([]SignedPromise{sp}, known...)
	for n := before.Nonce; n < inc.Nonce; n++ {
		pr := b.signedPrior(cands, p, committer, inc.Sender, n)
		if pr == nil {
			break // leave the gap: the judge reports the transaction as not includable
		}
		ev.Priors = append(ev.Priors, *pr)
	}
	return ev, nil
}

// signedPrior finds a candidate covering (sender, nonce) for p signed by committer.
func (b *Builder) signedPrior(cands []SignedPromise, p *protocol.Promise, committer, sender common.Address, nonce uint64) *Prior {
	for _, c := range cands {
		cp := c.Promise
		if cp.Operator != p.Operator || cp.Slot != p.Slot {
			continue
		}
		for k, ci := range cp.Inclusions {
			if ci.ChainID != b.cfg.L1ChainID || ci.Sender != sender || ci.Nonce != nonce {
				continue
			}
			if signer, err := protocol.RecoverPromiseSigner(cp, b.domain(), c.Signature); err != nil || signer != committer {
				break
			}
			return &Prior{SignedPromise: c, Index: k}
		}
	}
	return nil
}

// URCL2Inclusion builds the L2 inclusion evidence for inclusion index of sp on
// the URC path: the hashes of every L2 transaction poster (the one the
// delegation names) posted for the rollup in the slot's block.
func (b *Builder) URCL2Inclusion(ctx context.Context, sp SignedPromise, index int, poster common.Address) (*L2Evidence, error) {
	p := sp.Promise
	if index < 0 || index >= len(p.Inclusions) || p.Inclusions[index].ChainID == b.cfg.L1ChainID {
		return nil, fmt.Errorf("%w: inclusion %d is not an L2 inclusion", ErrInvalidPromise, index)
	}
	at, _, _, err := b.SlotHeaders(ctx, p.Slot)
	if err != nil {
		return nil, err
	}
	if at == nil {
		return nil, fmt.Errorf("%w: slot %d", ErrNoSlotBlock, p.Slot)
	}
	ev := &L2Evidence{Index: index}
	if ev.TxHashes, err = b.PostedL2Txs(ctx, at.Hash(), p.Inclusions[index].ChainID, poster); err != nil {
		return nil, err
	}
	if ev.Header, err = rlp.EncodeToBytes(at); err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	return ev, nil
}
