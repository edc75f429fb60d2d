package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// A slot ledger is the operator's on-chain record of the promises it sold for
// one slot (docs/protocol.md §9.0): the Registry reserves their total slash
// amount, and only a promise proven to be a leaf is paid from it. The tree is
// contracts/src/lib/LedgerTree.sol's:
//
//	leaf = keccak256(digest ‖ uint96 amount)   (44 bytes)
//	node = keccak256(left ‖ right)              (64 bytes)
//
// levels built left to right, an odd last node carried up unchanged.

// LedgerLeafBytes is the packed size of one leaf in Registry.openLedger's calldata.
const LedgerLeafBytes = 44

// MaxLedgerLeaves is the most leaves one ledger may hold (LedgerTree.MAX_LEAVES).
const MaxLedgerLeaves = 1 << 16

// maxUint96 is the largest slash amount a ledger leaf can carry.
var maxUint96 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))

// Ledger errors.
var (
	ErrLedgerEmpty    = errors.New("ledger: no leaves")
	ErrLedgerTooLarge = errors.New("ledger: too many leaves")
	ErrLedgerAmount   = errors.New("ledger: slash amount above 2^96-1")
	ErrLedgerLeaves   = errors.New("ledger: malformed packed leaves")
	ErrNotInLedger    = errors.New("ledger: digest not in the ledger")
	ErrInLedger       = errors.New("ledger: digest is in the ledger")
)

// LedgerLeaf is one promise in a ledger: its digest (the commitment signing root) and slash amount.
type LedgerLeaf struct {
	Digest common.Hash
	Amount *big.Int
}

// Hash is the leaf's hash in the tree.
func (l LedgerLeaf) Hash() common.Hash {
	var b [LedgerLeafBytes]byte
	copy(b[:32], l.Digest[:])
	l.Amount.FillBytes(b[32:])
	return crypto.Keccak256Hash(b[:])
}

// Ledger is a slot's leaves, ascending by digest, with its tree.
type Ledger struct {
	Leaves []LedgerLeaf
	levels [][]common.Hash
}

// NewLedger sorts leaves by digest, drops exact duplicates (the same promise
// twice) and builds the tree. A digest listed twice with different amounts,
// an amount above 2^96-1, or no leaves at all is refused.
func NewLedger(leaves []LedgerLeaf) (*Ledger, error) {
	if len(leaves) == 0 {
		return nil, ErrLedgerEmpty
	}
	ls := make([]LedgerLeaf, len(leaves))
	copy(ls, leaves)
	sort.Slice(ls, func(i, j int) bool { return bytes.Compare(ls[i].Digest[:], ls[j].Digest[:]) < 0 })
	out := ls[:0]
	for i, l := range ls {
		if l.Amount == nil || l.Amount.Sign() < 0 || l.Amount.Cmp(maxUint96) > 0 {
			return nil, fmt.Errorf("%w: leaf %s", ErrLedgerAmount, l.Digest)
		}
		if i > 0 && l.Digest == ls[i-1].Digest {
			if l.Amount.Cmp(ls[i-1].Amount) != 0 {
				return nil, fmt.Errorf("%w: digest %s listed with two amounts", ErrLedgerLeaves, l.Digest)
			}
			continue
		}
		out = append(out, l)
	}
	if len(out) > MaxLedgerLeaves {
		return nil, fmt.Errorf("%w: %d > %d", ErrLedgerTooLarge, len(out), MaxLedgerLeaves)
	}
	lg := &Ledger{Leaves: out}
	level := make([]common.Hash, len(out))
	for i, l := range out {
		level[i] = l.Hash()
	}
	lg.levels = append(lg.levels, level)
	for len(level) > 1 {
		next := make([]common.Hash, 0, (len(level)+1)/2)
		for i := 0; i < len(level); i += 2 {
			if i+1 < len(level) {
				next = append(next, ledgerNode(level[i], level[i+1]))
			} else {
				next = append(next, level[i])
			}
		}
		lg.levels = append(lg.levels, next)
		level = next
	}
	return lg, nil
}

// DecodeLedger parses Registry.openLedger's packed leaves (as the LedgerOpened
// event carries them) and builds the tree; the order must already be strictly
// ascending, as the Registry requires.
func DecodeLedger(packed []byte) (*Ledger, error) {
	if len(packed) == 0 || len(packed)%LedgerLeafBytes != 0 {
		return nil, fmt.Errorf("%w: %d bytes", ErrLedgerLeaves, len(packed))
	}
	n := len(packed) / LedgerLeafBytes
	leaves := make([]LedgerLeaf, n)
	for i := range leaves {
		off := i * LedgerLeafBytes
		leaves[i] = LedgerLeaf{Digest: common.BytesToHash(packed[off : off+32]), Amount: new(big.Int).SetBytes(packed[off+32 : off+44])}
		if i > 0 && bytes.Compare(leaves[i-1].Digest[:], leaves[i].Digest[:]) >= 0 {
			return nil, fmt.Errorf("%w: leaf %d not above the one before", ErrLedgerLeaves, i)
		}
	}
	return NewLedger(leaves)
}

// Pack is the leaves as Registry.openLedger takes them.
func (lg *Ledger) Pack() []byte {
	out := make([]byte, len(lg.Leaves)*LedgerLeafBytes)
	for i, l := range lg.Leaves {
		off := i * LedgerLeafBytes
		copy(out[off:off+32], l.Digest[:])
		l.Amount.FillBytes(out[off+32 : off+44])
	}
	return out
}

// Root is the tree's root, as the Registry computes it.
func (lg *Ledger) Root() common.Hash { return lg.levels[len(lg.levels)-1][0] }

// Total is the sum of the leaves' amounts: what the Registry reserves.
func (lg *Ledger) Total() *big.Int {
	t := new(big.Int)
	for _, l := range lg.Leaves {
		t.Add(t, l.Amount)
	}
	return t
}

// Find returns the index of digest's leaf, or where it would sort and false.
func (lg *Ledger) Find(digest common.Hash) (int, bool) {
	i := sort.Search(len(lg.Leaves), func(i int) bool { return bytes.Compare(lg.Leaves[i].Digest[:], digest[:]) >= 0 })
	return i, i < len(lg.Leaves) && lg.Leaves[i].Digest == digest
}

// Proof returns the Merkle proof of leaf index (LedgerTree.verify's order).
func (lg *Ledger) Proof(index int) []common.Hash {
	var proof []common.Hash
	for _, level := range lg.levels[:len(lg.levels)-1] {
		switch {
		case index%2 == 1:
			proof = append(proof, level[index-1])
		case index+1 < len(level):
			proof = append(proof, level[index+1])
		}
		index /= 2
	}
	return proof
}

// Absence returns the indices of the neighbouring leaves that prove digest is
// not in the ledger (Slasher._absent): one or two consecutive leaves.
func (lg *Ledger) Absence(digest common.Hash) ([]int, error) {
	i, found := lg.Find(digest)
	if found {
		return nil, ErrInLedger
	}
	switch {
	case i == 0:
		return []int{0}, nil
	case i == len(lg.Leaves):
		return []int{i - 1}, nil
	}
	return []int{i - 1, i}, nil
}

// VerifyLedgerProof mirrors LedgerTree.verify: whether leaf sits at index of a
// tree of count leaves with this root.
func VerifyLedgerProof(root common.Hash, count, index uint64, leaf common.Hash, proof []common.Hash) bool {
	if index >= count || len(proof) > 16 {
		return false
	}
	h, k, n := leaf, 0, count
	for n > 1 {
		if index&1 == 1 {
			if k == len(proof) {
				return false
			}
			h = ledgerNode(proof[k], h)
			k++
		} else if index+1 < n {
			if k == len(proof) {
				return false
			}
			h = ledgerNode(h, proof[k])
			k++
		}
		index >>= 1
		n = (n + 1) >> 1
	}
	return k == len(proof) && h == root
}

func ledgerNode(a, b common.Hash) common.Hash {
	return crypto.Keccak256Hash(a[:], b[:])
}
