package protocol_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/holiman/uint256"
	dynssz "github.com/pk910/dynamic-ssz"
	"github.com/pk910/dynamic-ssz/treeproof"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// mpTxList mirrors an execution payload's transactions field as a one-field
// container: a container of one field has that field's root as its own, so
// dynamic-ssz gives an independent transactions_root and Merkle tree.
type mpTxList struct {
	Transactions []bellatrix.Transaction `ssz-max:"1048576,1073741824"`
}

type mpWithdrawals struct {
	Withdrawals []*capella.Withdrawal `ssz-max:"16"`
}

// mpRandomTxs returns n pseudo-random byte strings whose lengths hit the chunk
// edge cases (0, 1, 31, 32, 33, 64, 65 bytes) and a few longer ones.
func mpRandomTxs(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sizes := []int{0, 1, 31, 32, 33, 63, 64, 65, 97, 200, 1000, 4097}
	txs := make([][]byte, n)
	for i := range txs {
		tx := make([]byte, sizes[r.IntN(len(sizes))])
		for j := range tx {
			tx[j] = byte(r.Uint32())
		}
		txs[i] = tx
	}
	return txs
}

func mpGindices(indices []uint64) []int {
	out := make([]int, len(indices))
	for i, idx := range indices {
		out[i] = (1 << 21) + int(idx)
	}
	return out
}

func mpLeaves(txs [][]byte, indices []uint64) [][32]byte {
	leaves := make([][32]byte, len(indices))
	for i, idx := range indices {
		leaves[i] = protocol.TransactionRoot(txs[idx])
	}
	return leaves
}

func TestMultiProofTransactionsRootMatchesGoEth2Client(t *testing.T) {
	t.Parallel()
	ds := dynssz.NewDynSsz(nil)
	for _, n := range []int{0, 1, 2, 3, 17, 300} {
		t.Run(fmt.Sprintf("%d_txs", n), func(t *testing.T) {
			t.Parallel()
			txs := mpRandomTxs(n, uint64(n)+1)
			got := protocol.TransactionsRoot(txs)

			etx := make([]bellatrix.Transaction, n)
			for i := range txs {
				etx[i] = txs[i]
			}
			want, err := ds.HashTreeRoot(&mpTxList{Transactions: etx})
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("TransactionsRoot = %x, dynamic-ssz = %x", got, want)
			}

			// The header of a deneb payload (the type electra and fulu reuse)
			// must hash like the payload itself when its transactions_root is ours.
			payload := &deneb.ExecutionPayload{
				ParentHash:    phase0.Hash32{1},
				FeeRecipient:  bellatrix.ExecutionAddress{2},
				StateRoot:     phase0.Root{3},
				ReceiptsRoot:  phase0.Root{4},
				PrevRandao:    [32]byte{5},
				BlockNumber:   6,
				GasLimit:      30_000_000,
				GasUsed:       21_000,
				Timestamp:     1_700_000_000,
				ExtraData:     []byte("pledge"),
				BaseFeePerGas: uint256.NewInt(7),
				BlockHash:     phase0.Hash32{8},
				Transactions:  etx,
				Withdrawals:   []*capella.Withdrawal{},
				BlobGasUsed:   131072,
				ExcessBlobGas: 9,
			}
			payloadRoot, err := payload.HashTreeRoot()
			if err != nil {
				t.Fatal(err)
			}
			wroot, err := ds.HashTreeRoot(&mpWithdrawals{Withdrawals: payload.Withdrawals})
			if err != nil {
				t.Fatal(err)
			}
			header := &deneb.ExecutionPayloadHeader{
				ParentHash: payload.ParentHash, FeeRecipient: payload.FeeRecipient,
				StateRoot: payload.StateRoot, ReceiptsRoot: payload.ReceiptsRoot,
				LogsBloom: payload.LogsBloom, PrevRandao: payload.PrevRandao,
				BlockNumber: payload.BlockNumber, GasLimit: payload.GasLimit, GasUsed: payload.GasUsed,
				Timestamp: payload.Timestamp, ExtraData: payload.ExtraData,
				BaseFeePerGas: payload.BaseFeePerGas, BlockHash: payload.BlockHash,
				TransactionsRoot: got, WithdrawalsRoot: wroot,
				BlobGasUsed: payload.BlobGasUsed, ExcessBlobGas: payload.ExcessBlobGas,
			}
			headerRoot, err := header.HashTreeRoot()
			if err != nil {
				t.Fatal(err)
			}
			if headerRoot != payloadRoot {
				t.Fatalf("header root %x != payload root %x", headerRoot, payloadRoot)
			}
		})
	}
}

func TestMultiProofTransactionRootMatchesDynamicSSZ(t *testing.T) {
	t.Parallel()
	type byteList struct {
		Tx []byte `ssz-max:"1073741824"`
	}
	ds := dynssz.NewDynSsz(nil)
	for _, size := range []int{0, 1, 31, 32, 33, 64, 65, 96, 1000, 4096, 4097} {
		tx := bytes.Repeat([]byte{0xab}, size)
		want, err := ds.HashTreeRoot(&byteList{Tx: tx})
		if err != nil {
			t.Fatal(err)
		}
		if got := protocol.TransactionRoot(tx); got != want {
			t.Errorf("size %d: TransactionRoot = %x, want %x", size, got, want)
		}
	}
}

func TestMultiProofRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	random128 := func(n int) []uint64 {
		perm := r.Perm(n)[:128]
		out := make([]uint64, 128)
		for i, p := range perm {
			out[i] = uint64(p)
		}
		return out
	}
	cases := []struct {
		n       int
		indices []uint64
	}{
		{1, []uint64{0}},
		{2, []uint64{0}},
		{2, []uint64{1}},
		{2, []uint64{1, 0}},
		{3, []uint64{2}},
		{3, []uint64{0, 2}},
		{3, []uint64{0, 1, 2}},
		{1000, []uint64{0}},
		{1000, []uint64{999}},
		{1000, []uint64{0, 999}},
		{1000, []uint64{0, 1, 2, 3, 4, 5, 6, 7}},
		{1000, random128(1000)},
		{1024, []uint64{1023, 512, 511}},
	}
	ds := dynssz.NewDynSsz(nil)
	for _, tc := range cases {
		t.Run(fmt.Sprintf("n%d_k%d_first%d", tc.n, len(tc.indices), tc.indices[0]), func(t *testing.T) {
			txs := mpRandomTxs(tc.n, uint64(tc.n))
			root := protocol.TransactionsRoot(txs)
			proof, err := protocol.NewInclusionMultiProof(txs, tc.indices)
			if err != nil {
				t.Fatal(err)
			}
			leaves := mpLeaves(txs, tc.indices)
			if err := protocol.VerifyInclusionMultiProof(root, leaves, proof); err != nil {
				t.Fatalf("verify: %v", err)
			}

			// Independent check: dynamic-ssz's tree and multiproof over the same list.
			etx := make([]bellatrix.Transaction, len(txs))
			for i := range txs {
				etx[i] = txs[i]
			}
			tree, err := ds.GetTree(&mpTxList{Transactions: etx})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(tree.Hash(), root[:]) {
				t.Fatalf("dynamic-ssz tree root %x != %x", tree.Hash(), root)
			}
			leafBytes := make([][]byte, len(leaves))
			for i := range leaves {
				leafBytes[i] = leaves[i][:]
			}
			hashBytes := make([][]byte, len(proof.Hashes))
			for i := range proof.Hashes {
				hashBytes[i] = proof.Hashes[i][:]
			}
			ok, err := treeproof.VerifyMultiproof(root[:], hashBytes, leafBytes, mpGindices(tc.indices))
			if err != nil || !ok {
				t.Fatalf("dynamic-ssz rejects our proof: ok=%v err=%v", ok, err)
			}
			ref, err := tree.ProveMulti(mpGindices(tc.indices))
			if err != nil {
				t.Fatal(err)
			}
			if len(ref.Hashes) != len(proof.Hashes) {
				t.Fatalf("dynamic-ssz proof has %d hashes, ours %d", len(ref.Hashes), len(proof.Hashes))
			}
			for i := range ref.Hashes {
				if !bytes.Equal(ref.Hashes[i], proof.Hashes[i][:]) {
					t.Fatalf("hash %d differs from dynamic-ssz's", i)
				}
			}

			// Both encodings round-trip to a proof that still verifies.
			enc, err := proof.MarshalSSZ()
			if err != nil {
				t.Fatal(err)
			}
			var dec protocol.InclusionMultiProof
			if err := dec.UnmarshalSSZ(enc); err != nil {
				t.Fatal(err)
			}
			if err := protocol.VerifyInclusionMultiProof(root, leaves, &dec); err != nil {
				t.Fatalf("verify after SSZ round trip: %v", err)
			}
			js, err := json.Marshal(proof)
			if err != nil {
				t.Fatal(err)
			}
			var decJ protocol.InclusionMultiProof
			if err := json.Unmarshal(js, &decJ); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(decJ.Indices, proof.Indices) || !slices.Equal(decJ.Hashes, proof.Hashes) {
				t.Fatal("JSON round trip changed the proof")
			}
		})
	}
}

func TestMultiProofTampered(t *testing.T) {
	t.Parallel()
	txs := mpRandomTxs(1000, 42)
	root := protocol.TransactionsRoot(txs)
	indices := []uint64{10, 500, 999}
	proof, err := protocol.NewInclusionMultiProof(txs, indices)
	if err != nil {
		t.Fatal(err)
	}
	leaves := mpLeaves(txs, indices)
	clone := func() *protocol.InclusionMultiProof {
		return &protocol.InclusionMultiProof{Indices: slices.Clone(proof.Indices), Hashes: slices.Clone(proof.Hashes)}
	}
	last := len(proof.Hashes) - 1

	cases := []struct {
		name   string
		mutate func(root *[32]byte, leaves *[][32]byte, p *protocol.InclusionMultiProof)
		want   error
	}{
		{"leaf", func(_ *[32]byte, l *[][32]byte, _ *protocol.InclusionMultiProof) { (*l)[1][0] ^= 1 }, protocol.ErrMultiProofRootMismatch},
		{"leaf of another tx", func(_ *[32]byte, l *[][32]byte, _ *protocol.InclusionMultiProof) {
			(*l)[1] = protocol.TransactionRoot(txs[501])
		}, protocol.ErrMultiProofRootMismatch},
		// 500 -> 501 keeps the proof's shape, so only the hashes can tell.
		{"index", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) { p.Indices[1] = 501 }, protocol.ErrMultiProofRootMismatch},
		{"first helper", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) { p.Hashes[0][31] ^= 0x80 }, protocol.ErrMultiProofRootMismatch},
		{"middle helper", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) { p.Hashes[last/2][5] ^= 1 }, protocol.ErrMultiProofRootMismatch},
		{"root", func(r *[32]byte, _ *[][32]byte, _ *protocol.InclusionMultiProof) { r[0] ^= 1 }, protocol.ErrMultiProofRootMismatch},
		{"duplicate index", func(_ *[32]byte, l *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Indices[2] = 10
			(*l)[2] = (*l)[0]
		}, protocol.ErrMultiProofDuplicateIndex},
		{"index out of range", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Indices[2] = protocol.MaxTransactionsPerPayload
		}, protocol.ErrMultiProofIndexRange},
		{"truncated hashes", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Hashes = slices.Delete(p.Hashes, 0, 1)
		}, protocol.ErrMultiProofMissingHashes},
		{"no hashes", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) { p.Hashes = nil }, protocol.ErrMultiProofMissingHashes},
		{"extra hash", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Hashes = slices.Insert(p.Hashes, 0, [32]byte{9})
		}, protocol.ErrMultiProofExtraHashes},
		{"fewer leaves than indices", func(_ *[32]byte, l *[][32]byte, _ *protocol.InclusionMultiProof) { *l = (*l)[:2] }, protocol.ErrMultiProofLeafCount},
		{"no indices", func(_ *[32]byte, l *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Indices = nil
			*l = nil
		}, protocol.ErrMultiProofEmpty},
		{"too many indices", func(_ *[32]byte, l *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Indices = make([]uint64, protocol.MaxMultiProofIndices+1)
			*l = make([][32]byte, len(p.Indices))
		}, protocol.ErrMultiProofTooManyIndices},
		{"length mix-in below an index", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Hashes[last] = [32]byte{0xf4, 0x01} // 500 transactions, but index 999 is proven
		}, protocol.ErrMultiProofBeyondLength},
		{"length mix-in not a count", func(_ *[32]byte, _ *[][32]byte, p *protocol.InclusionMultiProof) {
			p.Hashes[last][20] = 1
		}, protocol.ErrMultiProofLengthChunk},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, l, p := root, slices.Clone(leaves), clone()
			tc.mutate(&r, &l, p)
			err := protocol.VerifyInclusionMultiProof(r, l, p)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("nil proof", func(t *testing.T) {
		if err := protocol.VerifyInclusionMultiProof(root, leaves, nil); !errors.Is(err, protocol.ErrMultiProofEmpty) {
			t.Fatalf("err = %v", err)
		}
	})
	// The untouched proof still verifies: the cases above share nothing with it.
	if err := protocol.VerifyInclusionMultiProof(root, leaves, proof); err != nil {
		t.Fatalf("original proof: %v", err)
	}
}

func TestMultiProofBuildRejects(t *testing.T) {
	t.Parallel()
	txs := mpRandomTxs(5, 1)
	cases := []struct {
		name    string
		indices []uint64
		want    error
	}{
		{"empty", nil, protocol.ErrMultiProofEmpty},
		{"beyond payload", []uint64{5}, protocol.ErrMultiProofIndexRange},
		{"duplicate", []uint64{1, 1}, protocol.ErrMultiProofDuplicateIndex},
		{"too many", make([]uint64, 257), protocol.ErrMultiProofTooManyIndices},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := protocol.NewInclusionMultiProof(txs, tc.indices)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestMultiProofSSZDecodeRejects(t *testing.T) {
	t.Parallel()
	good, err := (&protocol.InclusionMultiProof{Indices: []uint64{1, 2}, Hashes: [][32]byte{{1}, {2}, {3}}}).MarshalSSZ()
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 8+16+96 {
		t.Fatalf("encoding has %d bytes", len(good))
	}
	withOffsets := func(o0, o1 byte) []byte {
		b := slices.Clone(good)
		b[0], b[4] = o0, o1
		return b
	}
	cases := []struct {
		name string
		buf  []byte
		want error
	}{
		{"empty", nil, protocol.ErrMultiProofSSZ},
		{"short", good[:7], protocol.ErrMultiProofSSZ},
		{"first offset", withOffsets(12, 24), protocol.ErrMultiProofSSZ},
		{"second offset before first", withOffsets(8, 4), protocol.ErrMultiProofSSZ},
		{"indices not multiple of 8", withOffsets(8, 20), protocol.ErrMultiProofSSZ},
		{"hashes not multiple of 32", good[:len(good)-1], protocol.ErrMultiProofSSZ},
		{"offset past end", withOffsets(8, 200), protocol.ErrMultiProofSSZ},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var p protocol.InclusionMultiProof
			if err := p.UnmarshalSSZ(tc.buf); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("too many indices", func(t *testing.T) {
		t.Parallel()
		p := protocol.InclusionMultiProof{Indices: make([]uint64, protocol.MaxMultiProofIndices+1)}
		if _, err := p.MarshalSSZ(); !errors.Is(err, protocol.ErrMultiProofTooManyIndices) {
			t.Fatalf("marshal err = %v", err)
		}
		buf := make([]byte, 8+8*(protocol.MaxMultiProofIndices+1))
		buf[0] = 8
		buf[4], buf[5] = byte(len(buf)), byte(len(buf)>>8)
		if err := p.UnmarshalSSZ(buf); !errors.Is(err, protocol.ErrMultiProofTooManyIndices) {
			t.Fatalf("unmarshal err = %v", err)
		}
	})
}

func TestMultiProofJSONRejects(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"short hash":      `{"indices":["1"],"hashes":["0x01"]}`,
		"numeric index":   `{"indices":[1],"hashes":[]}`,
		"negative index":  `{"indices":["-1"],"hashes":[]}`,
		"hash without 0x": `{"indices":["1"],"hashes":["0000000000000000000000000000000000000000000000000000000000000000"]}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var p protocol.InclusionMultiProof
			if err := json.Unmarshal([]byte(in), &p); !errors.Is(err, protocol.ErrMultiProofSSZ) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	var p protocol.InclusionMultiProof
	if err := json.Unmarshal([]byte(`{"indices":["0","7"],"hashes":["0x`+fmt.Sprintf("%064x", 5)+`"]}`), &p); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Indices, []uint64{0, 7}) || p.Hashes[0][31] != 5 {
		t.Fatalf("decoded %+v", p)
	}
}

// mpSignedTxs returns signed EIP-1559 transactions and one blob transaction in
// network form (with its sidecar). The sidecar's commitment and proof are not
// real KZG values: nothing here verifies them, only the encoding matters.
func mpSignedTxs(t testing.TB, n int) (plain [][]byte, blobNetwork, blobPayload []byte) {
	t.Helper()
	key, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		t.Fatal(err)
	}
	signer := types.NewCancunSigner(big.NewInt(1))
	to := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	for i := range n {
		tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(1), Nonce: uint64(i), GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100),
			Gas: 21000, To: &to, Value: big.NewInt(int64(i)),
		})
		raw, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		plain = append(plain, raw)
	}
	var blob kzg4844.Blob
	blob[0] = 1
	sidecar := types.NewBlobTxSidecar(types.BlobSidecarVersion0, []kzg4844.Blob{blob}, []kzg4844.Commitment{{0xc0}}, []kzg4844.Proof{{0xc0}})
	btx := types.MustSignNewTx(key, signer, &types.BlobTx{
		ChainID: uint256.NewInt(1), Nonce: uint64(n), GasTipCap: uint256.NewInt(1), GasFeeCap: uint256.NewInt(100),
		Gas: 21000, To: to, BlobFeeCap: uint256.NewInt(10), BlobHashes: sidecar.BlobHashes(), Sidecar: sidecar,
	})
	if blobNetwork, err = btx.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	if blobPayload, err = btx.WithoutBlobTxSidecar().MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	if len(blobNetwork) <= len(blobPayload)+len(blob) {
		t.Fatalf("network form (%d bytes) should carry the blob beyond the payload form (%d bytes)", len(blobNetwork), len(blobPayload))
	}
	return plain, blobNetwork, blobPayload
}

func TestMultiProofTopOfBlock(t *testing.T) {
	t.Parallel()
	plain, blobNet, blobPayload := mpSignedTxs(t, 4)
	// The payload holds the blob tx without its sidecar at the top, then the rest.
	payload := append([][]byte{blobPayload, plain[0], plain[1]}, mpRandomTxs(50, 3)...)
	root := protocol.TransactionsRoot(payload)
	proof, err := protocol.NewInclusionMultiProof(payload, []uint64{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := protocol.VerifyTopOfBlock(root, [][]byte{blobNet, plain[0], plain[1]}, proof); err != nil {
		t.Fatalf("network-form constraints: %v", err)
	}
	if err := protocol.VerifyTopOfBlock(root, [][]byte{blobPayload, plain[0], plain[1]}, proof); err != nil {
		t.Fatalf("payload-form constraints: %v", err)
	}
	// Hashing the network form as-is would not match: the sidecar must be stripped.
	leaves := [][32]byte{protocol.TransactionRoot(blobNet), protocol.TransactionRoot(plain[0]), protocol.TransactionRoot(plain[1])}
	if err := protocol.VerifyInclusionMultiProof(root, leaves, proof); !errors.Is(err, protocol.ErrMultiProofRootMismatch) {
		t.Fatalf("unstripped blob tx: err = %v", err)
	}

	lower, err := protocol.NewInclusionMultiProof(payload, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	swapped, err := protocol.NewInclusionMultiProof(payload, []uint64{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		txs   [][]byte
		proof *protocol.InclusionMultiProof
		want  error
	}{
		{"not at top", [][]byte{plain[0], plain[1]}, lower, protocol.ErrMultiProofNotTopOfBlock},
		{"wrong order", [][]byte{plain[0], blobNet}, swapped, protocol.ErrMultiProofNotTopOfBlock},
		{"fewer constraints than proven", [][]byte{blobNet, plain[0]}, proof, protocol.ErrMultiProofLeafCount},
		{"other tx at the top", [][]byte{blobNet, plain[0], plain[2]}, proof, protocol.ErrMultiProofRootMismatch},
		{"constraints in another order", [][]byte{plain[0], blobNet, plain[1]}, proof, protocol.ErrMultiProofRootMismatch},
		{"no constraints", nil, proof, protocol.ErrMultiProofEmpty},
		{"undecodable blob tx", [][]byte{{types.BlobTxType, 0xc0}, plain[0], plain[1]}, proof, protocol.ErrMultiProofTx},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := protocol.VerifyTopOfBlock(root, tc.txs, tc.proof); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func BenchmarkTransactionsRoot1000(b *testing.B) {
	txs := mpBenchTxs(1000)
	b.ReportAllocs()
	for b.Loop() {
		protocol.TransactionsRoot(txs)
	}
}

func BenchmarkBuildMultiProof128of1000(b *testing.B) {
	txs := mpBenchTxs(1000)
	indices := mpBenchIndices()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.NewInclusionMultiProof(txs, indices); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyMultiProof128of1000(b *testing.B) {
	txs := mpBenchTxs(1000)
	indices := mpBenchIndices()
	root := protocol.TransactionsRoot(txs)
	proof, err := protocol.NewInclusionMultiProof(txs, indices)
	if err != nil {
		b.Fatal(err)
	}
	leaves := mpLeaves(txs, indices)
	b.ReportAllocs()
	for b.Loop() {
		if err := protocol.VerifyInclusionMultiProof(root, leaves, proof); err != nil {
			b.Fatal(err)
		}
	}
}

// mpBenchTxs returns n transactions of a typical size (about 200 bytes).
func mpBenchTxs(n int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	txs := make([][]byte, n)
	for i := range txs {
		tx := make([]byte, 150+r.IntN(100))
		for j := range tx {
			tx[j] = byte(r.Uint32())
		}
		txs[i] = tx
	}
	return txs
}

// mpBenchIndices spreads 128 indices over a 1,000-tx payload, as constraints
// rarely are all at the top of a relay-built block in a test of the general verifier.
func mpBenchIndices() []uint64 {
	out := make([]uint64, 128)
	for i := range out {
		out[i] = uint64(i * 7)
	}
	return out
}
