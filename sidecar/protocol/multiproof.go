package protocol

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// SSZ shape of an execution payload's transactions (bellatrix onwards):
// Transaction = ByteList[MAX_BYTES_PER_TRANSACTION],
// transactions = List[Transaction, MAX_TRANSACTIONS_PER_PAYLOAD].
const (
	// MaxBytesPerTransaction is MAX_BYTES_PER_TRANSACTION (2^30).
	MaxBytesPerTransaction = 1 << 30
	// MaxTransactionsPerPayload is MAX_TRANSACTIONS_PER_PAYLOAD (2^20).
	MaxTransactionsPerPayload = 1 << 20

	// txListDepth is the depth of the data subtree of the transactions list:
	// 2^20 leaves, one hash_tree_root per transaction.
	txListDepth = 20
	// txBytesDepth is the depth of one transaction's data subtree:
	// 2^30 bytes are 2^25 chunks of 32 bytes.
	txBytesDepth = 25

	// MaxMultiProofIndices bounds InclusionMultiProof.Indices: a proof never
	// covers more transactions than a slot can hold constraints.
	MaxMultiProofIndices = MaxConstraintsPerSlot
	// MaxMultiProofHashes bounds InclusionMultiProof.Hashes. Each proven leaf
	// has 20 branch nodes inside the data subtree, and all leaves share the one
	// length mix-in node (gindex 3), so no valid proof needs more than
	// 256*20+1 helper hashes.
	MaxMultiProofHashes = MaxMultiProofIndices*txListDepth + 1
)

// Sentinel errors of SSZ inclusion multiproofs. Each says which check failed
// so a relay or proposer can tell a malformed proof from a wrong one.
var (
	// ErrMultiProofEmpty is returned for a proof that proves no transaction.
	ErrMultiProofEmpty = errors.New("multiproof proves no transaction")
	// ErrMultiProofTooManyIndices is returned for more than MaxMultiProofIndices indices.
	ErrMultiProofTooManyIndices = errors.New("multiproof has too many indices")
	// ErrMultiProofLeafCount is returned when leaves and indices differ in number.
	ErrMultiProofLeafCount = errors.New("multiproof leaf count does not match its indices")
	// ErrMultiProofIndexRange is returned for an index >= MaxTransactionsPerPayload
	// or, when building, beyond the payload's transactions.
	ErrMultiProofIndexRange = errors.New("multiproof index out of range")
	// ErrMultiProofDuplicateIndex is returned when one index appears twice.
	ErrMultiProofDuplicateIndex = errors.New("multiproof has a duplicate index")
	// ErrMultiProofMissingHashes is returned when the proof runs out of helper hashes.
	ErrMultiProofMissingHashes = errors.New("multiproof has too few hashes")
	// ErrMultiProofExtraHashes is returned when helper hashes are left over.
	ErrMultiProofExtraHashes = errors.New("multiproof has too many hashes")
	// ErrMultiProofLengthChunk is returned when the length mix-in helper is not a
	// valid transaction count.
	ErrMultiProofLengthChunk = errors.New("multiproof length mix-in is not a valid transaction count")
	// ErrMultiProofBeyondLength is returned when an index is at or past the
	// transaction count the proof commits to.
	ErrMultiProofBeyondLength = errors.New("multiproof index beyond the payload's transaction count")
	// ErrMultiProofRootMismatch is returned when the proof does not hash to the
	// expected transactions_root.
	ErrMultiProofRootMismatch = errors.New("multiproof does not match transactions_root")
	// ErrMultiProofNotTopOfBlock is returned when a top-of-block proof's indices
	// are not exactly 0..k-1 in constraint order.
	ErrMultiProofNotTopOfBlock = errors.New("constrained transactions are not at the top of the block in order")
	// ErrMultiProofTx is returned when a constrained blob transaction does not
	// decode, so its payload encoding cannot be derived.
	ErrMultiProofTx = errors.New("constrained transaction does not decode")
	// ErrMultiProofSSZ is returned when an InclusionMultiProof does not decode.
	ErrMultiProofSSZ = errors.New("malformed multiproof encoding")
	// ErrMultiProofTxTooLarge is returned for a transaction above MaxBytesPerTransaction
	// or a payload above MaxTransactionsPerPayload transactions.
	ErrMultiProofTxTooLarge = errors.New("transactions exceed the payload SSZ limits")
)

// multiproofZeroHashes[d] is the root of a subtree of depth d whose leaves are
// all zero chunks; they stand in for the empty part of the 2^20 (and 2^25)
// leaf trees, so nothing larger than the real data is ever hashed.
var multiproofZeroHashes = func() [txBytesDepth + 1][32]byte {
	var z [txBytesDepth + 1][32]byte
	for d := 1; d <= txBytesDepth; d++ {
		z[d] = hashPair(&z[d-1], &z[d-1])
	}
	return z
}()

func hashPair(a, b *[32]byte) [32]byte {
	var buf [64]byte
	copy(buf[:32], a[:])
	copy(buf[32:], b[:])
	return sha256.Sum256(buf[:])
}

// lengthChunk is the SSZ length mix-in: the count as little-endian uint64 in a
// zero-padded 32-byte chunk.
func lengthChunk(n uint64) [32]byte {
	var c [32]byte
	binary.LittleEndian.PutUint64(c[:8], n)
	return c
}

// TransactionRoot returns hash_tree_root(tx) for tx as SSZ ByteList[2^30]: the
// 32-byte chunks merkleized to 2^25 leaves, mixed in with the byte length.
// It is the leaf an inclusion multiproof proves for that transaction.
func TransactionRoot(tx []byte) [32]byte {
	var scratch []byte
	return transactionRootScratch(tx, &scratch)
}

// transactionRootScratch hashes tx reusing *scratch between calls, so hashing a
// whole payload does not allocate once per transaction.
func transactionRootScratch(tx []byte, scratch *[]byte) [32]byte {
	chunks := (len(tx) + 31) / 32
	var root [32]byte
	depth := 0
	switch {
	case chunks == 0:
		root = multiproofZeroHashes[0]
	case chunks == 1:
		copy(root[:], tx)
	default:
		// First level straight from tx into scratch, then fold scratch in place.
		n := (chunks + 1) / 2
		if cap(*scratch) < n*32 {
			*scratch = make([]byte, n*32)
		}
		buf := (*scratch)[:n*32]
		var pair [64]byte
		for i := range n {
			lo := i * 64
			if lo+64 <= len(tx) {
				h := sha256.Sum256(tx[lo : lo+64])
				copy(buf[i*32:], h[:])
				continue
			}
			// Last, short pair: zero padding up to a full chunk, and a zero
			// chunk as right sibling when the chunk count is odd.
			pair = [64]byte{}
			copy(pair[:], tx[lo:])
			h := sha256.Sum256(pair[:])
			copy(buf[i*32:], h[:])
		}
		depth = 1
		for n > 1 {
			m := (n + 1) / 2
			for i := range m {
				copy(pair[:32], buf[2*i*32:2*i*32+32])
				if 2*i+1 < n {
					copy(pair[32:], buf[(2*i+1)*32:(2*i+2)*32])
				} else {
					copy(pair[32:], multiproofZeroHashes[depth][:])
				}
				h := sha256.Sum256(pair[:])
				copy(buf[i*32:], h[:])
			}
			n = m
			depth++
		}
		copy(root[:], buf[:32])
	}
	for ; depth < txBytesDepth; depth++ {
		root = hashPair(&root, &multiproofZeroHashes[depth])
	}
	l := lengthChunk(uint64(len(tx)))
	return hashPair(&root, &l)
}

// TransactionsRoot returns hash_tree_root(txs) for txs as
// List[Transaction, 2^20]: the transactions_root of an execution payload header.
func TransactionsRoot(txs [][]byte) [32]byte {
	leaves := make([][32]byte, len(txs))
	var scratch []byte
	for i, tx := range txs {
		leaves[i] = transactionRootScratch(tx, &scratch)
	}
	// Fold the leaves in place; past the last real node the tree is all zeros.
	n := len(leaves)
	for d := range txListDepth {
		if n == 0 {
			break
		}
		m := (n + 1) / 2
		for i := range m {
			if 2*i+1 < n {
				leaves[i] = hashPair(&leaves[2*i], &leaves[2*i+1])
			} else {
				leaves[i] = hashPair(&leaves[2*i], &multiproofZeroHashes[d])
			}
		}
		n = m
	}
	data := multiproofZeroHashes[txListDepth]
	if len(leaves) > 0 {
		data = leaves[0]
	}
	l := lengthChunk(uint64(len(txs)))
	return hashPair(&data, &l)
}

// InclusionMultiProof is an SSZ multiproof that transactions sit at given
// positions of an execution payload, against its transactions_root.
//
// Hashes are the helper nodes in the standard SSZ multiproof order (descending
// generalized index, tx i being gindex 2^21+i under transactions_root). The last
// helper is always gindex 3, the length mix-in, which commits to the payload's
// transaction count.
//
// SSZ: Container{indices: List[uint64, 256], hashes: List[Bytes32, 5121]}.
// JSON: {"indices": ["0", ...] (decimal strings), "hashes": ["0x..", ...]}.
type InclusionMultiProof struct {
	Indices []uint64
	Hashes  [][32]byte
}

// proofNode is a node on a proof's path: its position within its tree level
// and its hash.
type proofNode struct {
	pos  uint64
	hash [32]byte
}

// sortProofNodes builds the level-0 nodes sorted by descending position and
// rejects out-of-range and duplicate indices.
func sortProofNodes(indices []uint64, leaves [][32]byte) ([]proofNode, error) {
	nodes := make([]proofNode, len(indices))
	for i, idx := range indices {
		if idx >= MaxTransactionsPerPayload {
			return nil, fmt.Errorf("%w: index %d >= %d", ErrMultiProofIndexRange, idx, MaxTransactionsPerPayload)
		}
		nodes[i] = proofNode{pos: idx, hash: leaves[i]}
	}
	slices.SortFunc(nodes, func(a, b proofNode) int {
		switch {
		case a.pos > b.pos:
			return -1
		case a.pos < b.pos:
			return 1
		}
		return 0
	})
	for i := 1; i < len(nodes); i++ {
		if nodes[i].pos == nodes[i-1].pos {
			return nil, fmt.Errorf("%w: %d", ErrMultiProofDuplicateIndex, nodes[i].pos)
		}
	}
	return nodes, nil
}

// walkToDataRoot hashes nodes (descending positions at the leaf level) up to
// the root of the 2^20-leaf data subtree. It asks helper for every sibling not
// on a proven path; because deeper levels have larger generalized indices and
// each level is walked right to left, helper is called in exactly the standard
// descending-gindex order. nodes is overwritten.
func walkToDataRoot(nodes []proofNode, helper func(depth int, pos uint64) ([32]byte, error)) ([32]byte, error) {
	for d := range txListDepth {
		w := 0
		for r := 0; r < len(nodes); r++ {
			n := nodes[r]
			var left, right [32]byte
			if n.pos&1 == 1 {
				right = n.hash
				if r+1 < len(nodes) && nodes[r+1].pos == n.pos-1 {
					left = nodes[r+1].hash
					r++
				} else {
					h, err := helper(d, n.pos-1)
					if err != nil {
						return [32]byte{}, err
					}
					left = h
				}
			} else {
				left = n.hash
				h, err := helper(d, n.pos+1)
				if err != nil {
					return [32]byte{}, err
				}
				right = h
			}
			nodes[w] = proofNode{pos: n.pos >> 1, hash: hashPair(&left, &right)}
			w++
		}
		nodes = nodes[:w]
	}
	return nodes[0].hash, nil
}

// NewInclusionMultiProof builds the multiproof that txs[indices[i]] sits at
// position indices[i] of a payload whose transactions are txs. The cost is
// one hash_tree_root per transaction plus about 2·len(txs) hashes: the empty
// part of the 2^20-leaf tree is filled with precomputed zero hashes.
func NewInclusionMultiProof(txs [][]byte, indices []uint64) (*InclusionMultiProof, error) {
	if len(indices) == 0 {
		return nil, ErrMultiProofEmpty
	}
	if len(indices) > MaxMultiProofIndices {
		return nil, fmt.Errorf("%w: %d > %d", ErrMultiProofTooManyIndices, len(indices), MaxMultiProofIndices)
	}
	if len(txs) > MaxTransactionsPerPayload {
		return nil, fmt.Errorf("%w: %d transactions", ErrMultiProofTxTooLarge, len(txs))
	}
	for _, idx := range indices {
		if idx >= uint64(len(txs)) {
			return nil, fmt.Errorf("%w: index %d, payload has %d transactions", ErrMultiProofIndexRange, idx, len(txs))
		}
	}

	// layers[d] holds the non-zero part of tree level d (d = 0: tx roots).
	layers := make([][][32]byte, txListDepth+1)
	leaves := make([][32]byte, len(txs))
	var scratch []byte
	for i, tx := range txs {
		if len(tx) > MaxBytesPerTransaction {
			return nil, fmt.Errorf("%w: transaction %d has %d bytes", ErrMultiProofTxTooLarge, i, len(tx))
		}
		leaves[i] = transactionRootScratch(tx, &scratch)
	}
	layers[0] = leaves
	for d := range txListDepth {
		cur := layers[d]
		next := make([][32]byte, (len(cur)+1)/2)
		for i := range next {
			if 2*i+1 < len(cur) {
				next[i] = hashPair(&cur[2*i], &cur[2*i+1])
			} else {
				next[i] = hashPair(&cur[2*i], &multiproofZeroHashes[d])
			}
		}
		layers[d+1] = next
	}

	proven := make([][32]byte, len(indices))
	for i, idx := range indices {
		proven[i] = leaves[idx]
	}
	nodes, err := sortProofNodes(indices, proven)
	if err != nil {
		return nil, err
	}
	hashes := make([][32]byte, 0, len(indices)*txListDepth/2+1)
	data, err := walkToDataRoot(nodes, func(d int, pos uint64) ([32]byte, error) {
		h := multiproofZeroHashes[d]
		if pos < uint64(len(layers[d])) {
			h = layers[d][pos]
		}
		hashes = append(hashes, h)
		return h, nil
	})
	if err != nil {
		return nil, err
	}
	if data != layers[txListDepth][0] {
		// Cannot happen unless the walk and the tree disagree: a bug here.
		return nil, fmt.Errorf("multiproof builder: data root mismatch")
	}
	hashes = append(hashes, lengthChunk(uint64(len(txs))))
	return &InclusionMultiProof{Indices: slices.Clone(indices), Hashes: hashes}, nil
}

// VerifyInclusionMultiProof checks that leaves[i] (a TransactionRoot) sits at
// transaction position proof.Indices[i] of the payload whose transactions_root
// is root. It also checks, through the length mix-in helper, that every index
// is below the payload's transaction count.
func VerifyInclusionMultiProof(root [32]byte, leaves [][32]byte, proof *InclusionMultiProof) error {
	if proof == nil || len(proof.Indices) == 0 {
		return ErrMultiProofEmpty
	}
	if len(proof.Indices) > MaxMultiProofIndices {
		return fmt.Errorf("%w: %d > %d", ErrMultiProofTooManyIndices, len(proof.Indices), MaxMultiProofIndices)
	}
	if len(leaves) != len(proof.Indices) {
		return fmt.Errorf("%w: %d leaves, %d indices", ErrMultiProofLeafCount, len(leaves), len(proof.Indices))
	}
	if len(proof.Hashes) > MaxMultiProofHashes {
		return fmt.Errorf("%w: %d > %d", ErrMultiProofExtraHashes, len(proof.Hashes), MaxMultiProofHashes)
	}
	if len(proof.Hashes) == 0 {
		return ErrMultiProofMissingHashes
	}
	nodes, err := sortProofNodes(proof.Indices, leaves)
	if err != nil {
		return err
	}
	maxIndex := nodes[0].pos
	next := 0
	data, err := walkToDataRoot(nodes, func(int, uint64) ([32]byte, error) {
		// The last hash is reserved for the length mix-in.
		if next >= len(proof.Hashes)-1 {
			return [32]byte{}, ErrMultiProofMissingHashes
		}
		next++
		return proof.Hashes[next-1], nil
	})
	if err != nil {
		return err
	}
	if next != len(proof.Hashes)-1 {
		return fmt.Errorf("%w: %d unused", ErrMultiProofExtraHashes, len(proof.Hashes)-1-next)
	}
	l := proof.Hashes[next]
	count := binary.LittleEndian.Uint64(l[:8])
	if l != lengthChunk(count) || count > MaxTransactionsPerPayload {
		return fmt.Errorf("%w: %x", ErrMultiProofLengthChunk, l)
	}
	if maxIndex >= count {
		return fmt.Errorf("%w: index %d, %d transactions", ErrMultiProofBeyondLength, maxIndex, count)
	}
	if got := hashPair(&data, &l); got != root {
		return fmt.Errorf("%w: computed %x, want %x", ErrMultiProofRootMismatch, got, root)
	}
	return nil
}

// VerifyTopOfBlock checks a constraint of type ConstraintTypeInclusion: the
// constrained transactions (network encoding, as in Constraint.Payload) are
// the first len(constrainedTxs) transactions of the payload, in order. A blob
// transaction given with its sidecar is proved by its canonical payload
// encoding, which has no sidecar.
func VerifyTopOfBlock(root [32]byte, constrainedTxs [][]byte, proof *InclusionMultiProof) error {
	if proof == nil || len(proof.Indices) == 0 || len(constrainedTxs) == 0 {
		return ErrMultiProofEmpty
	}
	if len(constrainedTxs) != len(proof.Indices) {
		return fmt.Errorf("%w: %d transactions, %d indices", ErrMultiProofLeafCount, len(constrainedTxs), len(proof.Indices))
	}
	for i, idx := range proof.Indices {
		if idx != uint64(i) {
			return fmt.Errorf("%w: constraint %d proved at position %d", ErrMultiProofNotTopOfBlock, i, idx)
		}
	}
	leaves := make([][32]byte, len(constrainedTxs))
	var scratch []byte
	for i, raw := range constrainedTxs {
		tx, err := payloadTxEncoding(raw)
		if err != nil {
			return fmt.Errorf("constraint %d: %w", i, err)
		}
		leaves[i] = transactionRootScratch(tx, &scratch)
	}
	return VerifyInclusionMultiProof(root, leaves, proof)
}

// payloadTxEncoding returns the encoding a transaction has inside an execution
// payload. Only a blob transaction differs from its network form: the payload
// holds it without blobs, commitments and proofs.
func payloadTxEncoding(raw []byte) ([]byte, error) {
	if len(raw) == 0 || raw[0] != types.BlobTxType {
		return raw, nil
	}
	var tx types.Transaction
	if err := tx.UnmarshalBinary(raw); err != nil {
		return nil, fmt.Errorf("%w: blob transaction: %w", ErrMultiProofTx, err)
	}
	if tx.BlobTxSidecar() == nil {
		return raw, nil
	}
	out, err := tx.WithoutBlobTxSidecar().MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("encode blob transaction without sidecar: %w", err)
	}
	return out, nil
}

// SizeSSZ returns the size of the SSZ encoding.
func (p *InclusionMultiProof) SizeSSZ() int {
	return 8 + 8*len(p.Indices) + 32*len(p.Hashes)
}

// MarshalSSZ returns the SSZ encoding.
func (p *InclusionMultiProof) MarshalSSZ() ([]byte, error) {
	return p.MarshalSSZTo(make([]byte, 0, p.SizeSSZ()))
}

// MarshalSSZTo appends the SSZ encoding to dst.
func (p *InclusionMultiProof) MarshalSSZTo(dst []byte) ([]byte, error) {
	if len(p.Indices) > MaxMultiProofIndices {
		return nil, fmt.Errorf("%w: %d indices", ErrMultiProofTooManyIndices, len(p.Indices))
	}
	if len(p.Hashes) > MaxMultiProofHashes {
		return nil, fmt.Errorf("%w: %d hashes", ErrMultiProofExtraHashes, len(p.Hashes))
	}
	dst = binary.LittleEndian.AppendUint32(dst, 8)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(8+8*len(p.Indices)))
	for _, idx := range p.Indices {
		dst = binary.LittleEndian.AppendUint64(dst, idx)
	}
	for i := range p.Hashes {
		dst = append(dst, p.Hashes[i][:]...)
	}
	return dst, nil
}

// UnmarshalSSZ decodes buf strictly: both offsets must be canonical and both
// lists within their limits.
func (p *InclusionMultiProof) UnmarshalSSZ(buf []byte) error {
	if len(buf) < 8 {
		return fmt.Errorf("%w: %d bytes", ErrMultiProofSSZ, len(buf))
	}
	o0 := binary.LittleEndian.Uint32(buf[0:4])
	o1 := binary.LittleEndian.Uint32(buf[4:8])
	if o0 != 8 {
		return fmt.Errorf("%w: first offset %d", ErrMultiProofSSZ, o0)
	}
	if o1 < o0 || uint64(o1) > uint64(len(buf)) || (o1-o0)%8 != 0 || (uint64(len(buf))-uint64(o1))%32 != 0 {
		return fmt.Errorf("%w: second offset %d of %d bytes", ErrMultiProofSSZ, o1, len(buf))
	}
	ni := int(o1-o0) / 8
	nh := (len(buf) - int(o1)) / 32
	if ni > MaxMultiProofIndices {
		return fmt.Errorf("%w: %d indices", ErrMultiProofTooManyIndices, ni)
	}
	if nh > MaxMultiProofHashes {
		return fmt.Errorf("%w: %d hashes", ErrMultiProofExtraHashes, nh)
	}
	p.Indices = make([]uint64, ni)
	for i := range ni {
		p.Indices[i] = binary.LittleEndian.Uint64(buf[8+8*i:])
	}
	p.Hashes = make([][32]byte, nh)
	for i := range nh {
		copy(p.Hashes[i][:], buf[int(o1)+32*i:])
	}
	return nil
}

type inclusionMultiProofJSON struct {
	Indices []string        `json:"indices"`
	Hashes  []hexutil.Bytes `json:"hashes"`
}

// MarshalJSON encodes indices as decimal strings and hashes as 0x-hex.
func (p InclusionMultiProof) MarshalJSON() ([]byte, error) {
	j := inclusionMultiProofJSON{Indices: make([]string, len(p.Indices)), Hashes: make([]hexutil.Bytes, len(p.Hashes))}
	for i, idx := range p.Indices {
		j.Indices[i] = strconv.FormatUint(idx, 10)
	}
	for i := range p.Hashes {
		j.Hashes[i] = p.Hashes[i][:]
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form MarshalJSON writes, within the SSZ limits.
func (p *InclusionMultiProof) UnmarshalJSON(data []byte) error {
	var j inclusionMultiProofJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: %w", ErrMultiProofSSZ, err)
	}
	if len(j.Indices) > MaxMultiProofIndices {
		return fmt.Errorf("%w: %d indices", ErrMultiProofTooManyIndices, len(j.Indices))
	}
	if len(j.Hashes) > MaxMultiProofHashes {
		return fmt.Errorf("%w: %d hashes", ErrMultiProofExtraHashes, len(j.Hashes))
	}
	out := InclusionMultiProof{Indices: make([]uint64, len(j.Indices)), Hashes: make([][32]byte, len(j.Hashes))}
	for i, s := range j.Indices {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%w: index %q: %w", ErrMultiProofSSZ, s, err)
		}
		out.Indices[i] = v
	}
	for i, h := range j.Hashes {
		if len(h) != 32 {
			return fmt.Errorf("%w: hash %d has %d bytes", ErrMultiProofSSZ, i, len(h))
		}
		copy(out.Hashes[i][:], h)
	}
	*p = out
	return nil
}
