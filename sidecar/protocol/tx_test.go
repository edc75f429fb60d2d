package protocol

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"
)

var (
	txChain = big.NewInt(testL1Chain)
	to      = common.HexToAddress("0x000000000000000000000000000000000000dEaD")
)

func userKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.HexToECDSA("8a1f9a8f95be41cd7ccb6168179afb4504aefe388d1e14474d32c45c72ce7b7a")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func signTx(t testing.TB, key *ecdsa.PrivateKey, data types.TxData) *types.Transaction {
	t.Helper()
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(txChain), data)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func rawOf(t testing.TB, tx *types.Transaction) []byte {
	t.Helper()
	b, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blobSidecars builds a one-blob sidecar in both versions; KZG work is slow,
// so it is done once for the package's tests.
var blobSidecars = sync.OnceValues(func() ([2]*types.BlobTxSidecar, error) {
	var blob kzg4844.Blob
	for i := range 64 {
		blob[32*i+31] = byte(i) // canonical field elements: top byte zero
	}
	commit, err := kzg4844.BlobToCommitment(&blob)
	if err != nil {
		return [2]*types.BlobTxSidecar{}, err
	}
	proof, err := kzg4844.ComputeBlobProof(&blob, commit)
	if err != nil {
		return [2]*types.BlobTxSidecar{}, err
	}
	cells, err := kzg4844.ComputeCellProofs(&blob)
	if err != nil {
		return [2]*types.BlobTxSidecar{}, err
	}
	blobs, commits := []kzg4844.Blob{blob}, []kzg4844.Commitment{commit}
	return [2]*types.BlobTxSidecar{
		types.NewBlobTxSidecar(types.BlobSidecarVersion0, blobs, commits, []kzg4844.Proof{proof}),
		types.NewBlobTxSidecar(types.BlobSidecarVersion1, blobs, commits, cells),
	}, nil
})

func blobTx(t testing.TB, key *ecdsa.PrivateKey, version int) *types.Transaction {
	t.Helper()
	scs, err := blobSidecars()
	if err != nil {
		t.Fatal(err)
	}
	sc := scs[version]
	return signTx(t, key, &types.BlobTx{
		ChainID:    uint256.MustFromBig(txChain),
		Nonce:      3,
		GasTipCap:  uint256.NewInt(2e9),
		GasFeeCap:  uint256.NewInt(50e9),
		Gas:        50_000,
		To:         to,
		Value:      uint256.NewInt(1),
		BlobFeeCap: uint256.NewInt(7),
		BlobHashes: sc.BlobHashes(),
		Sidecar:    sc,
	})
}

func setCodeTx(t testing.TB, key *ecdsa.PrivateKey) *types.Transaction {
	t.Helper()
	auth, err := types.SignSetCode(key, types.SetCodeAuthorization{ChainID: *uint256.MustFromBig(txChain), Address: to, Nonce: 5})
	if err != nil {
		t.Fatal(err)
	}
	return signTx(t, key, &types.SetCodeTx{
		ChainID:   uint256.MustFromBig(txChain),
		Nonce:     4,
		GasTipCap: uint256.NewInt(1e9),
		GasFeeCap: uint256.NewInt(40e9),
		Gas:       100_000,
		To:        to,
		AuthList:  []types.SetCodeAuthorization{auth},
	})
}

func TestDecodeTransactionAllTypes(t *testing.T) {
	t.Parallel()
	key := userKey(t)
	sender := crypto.PubkeyToAddress(key.PublicKey)
	cases := []struct {
		name        string
		tx          *types.Transaction
		wantFee     int64
		wantBlobFee int64
	}{
		{"legacy eip155", signTx(t, key, &types.LegacyTx{Nonce: 1, GasPrice: big.NewInt(20e9), Gas: 21000, To: &to, Value: big.NewInt(5)}), 20e9, 0},
		{"access list", signTx(t, key, &types.AccessListTx{ChainID: txChain, Nonce: 2, GasPrice: big.NewInt(21e9), Gas: 30000, To: &to,
			AccessList: types.AccessList{{Address: to, StorageKeys: []common.Hash{{1}}}}}), 21e9, 0},
		{"dynamic fee", signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to, Value: big.NewInt(9)}), 30e9, 0},
		{"blob v0 sidecar", blobTx(t, key, 0), 50e9, 7},
		{"blob v1 cell proofs", blobTx(t, key, 1), 50e9, 7},
		{"set code", setCodeTx(t, key), 40e9, 0},
		{"contract creation", signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 6, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 60000, Data: []byte{0x60, 0x00}}), 2, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw := rawOf(t, tc.tx)
			got, err := DecodeTransaction(raw, testL1Chain)
			if err != nil {
				t.Fatal(err)
			}
			inc := got.Inclusion
			if inc.Sender != sender {
				t.Errorf("sender %s, want %s", inc.Sender, sender)
			}
			if inc.TxHash != tc.tx.Hash() || inc.Nonce != tc.tx.Nonce() || inc.GasLimit != tc.tx.Gas() || inc.ChainID != testL1Chain {
				t.Errorf("inclusion %+v does not match tx", inc)
			}
			if inc.MaxFeePerGas.Int64() != tc.wantFee || inc.MaxFeePerBlobGas.Int64() != tc.wantBlobFee {
				t.Errorf("fees %v / %v, want %d / %d", inc.MaxFeePerGas, inc.MaxFeePerBlobGas, tc.wantFee, tc.wantBlobFee)
			}
			// maxCost is gas*feeCap + value + blobGas*blobFeeCap, computed independently here.
			want := new(big.Int).Mul(new(big.Int).SetUint64(tc.tx.Gas()), big.NewInt(tc.wantFee))
			want.Add(want, tc.tx.Value())
			want.Add(want, new(big.Int).Mul(new(big.Int).SetUint64(tc.tx.BlobGas()), big.NewInt(tc.wantBlobFee)))
			if inc.MaxCost.Cmp(want) != 0 {
				t.Errorf("maxCost %v, want %v", inc.MaxCost, want)
			}
			canon, err := got.Canonical()
			if err != nil {
				t.Fatal(err)
			}
			if tc.tx.Type() == types.BlobTxType {
				if len(canon) >= len(raw) {
					t.Errorf("canonical blob tx (%d bytes) still carries its sidecar (raw %d)", len(canon), len(raw))
				}
				var back types.Transaction
				if err := back.UnmarshalBinary(canon); err != nil || back.Hash() != tc.tx.Hash() {
					t.Errorf("canonical form does not decode to the same tx: %v", err)
				}
			} else if string(canon) != string(raw) {
				t.Error("canonical form differs from raw")
			}
		})
	}
}

func TestDecodeTransactionRejects(t *testing.T) {
	t.Parallel()
	key := userKey(t)
	dyn := rawOf(t, signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to}))

	unprotected, err := types.SignTx(types.NewTx(&types.LegacyTx{Nonce: 1, GasPrice: big.NewInt(1), Gas: 21000, To: &to}), types.HomesteadSigner{}, key)
	if err != nil {
		t.Fatal(err)
	}
	otherChain, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{ChainID: big.NewInt(1), Nonce: 1, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(1), Gas: 21000, To: &to})
	if err != nil {
		t.Fatal(err)
	}
	withoutSidecar := blobTx(t, key, 0).WithoutBlobTxSidecar()

	scs, err := blobSidecars()
	if err != nil {
		t.Fatal(err)
	}
	badProof := scs[0].Copy()
	badProof.Proofs[0][5] ^= 1
	tamperedProofTx := blobTx(t, key, 0).WithBlobTxSidecar(badProof)
	extraBlob := scs[0].Copy()
	extraBlob.Blobs = append(extraBlob.Blobs, extraBlob.Blobs[0])
	extraBlobTx := blobTx(t, key, 0).WithBlobTxSidecar(extraBlob)

	// A tampered signature usually recovers some other sender (whom the
	// sidecar's balance check then refuses); only an invalid one fails here:
	// r = 0 has no curve point.
	zeroR := make([]byte, 65)
	zeroR[63] = 1
	badSigTx, err := types.NewTx(&types.DynamicFeeTx{ChainID: txChain, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(1), Gas: 21000, To: &to}).
		WithSignature(types.LatestSignerForChainID(txChain), zeroR)
	if err != nil {
		t.Fatal(err)
	}
	badSig := rawOf(t, badSigTx)
	tipAboveFee := rawOf(t, signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, GasTipCap: big.NewInt(10), GasFeeCap: big.NewInt(9), Gas: 21000, To: &to}))
	tooMuchGas := rawOf(t, signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(9), Gas: params.MaxTxGas + 1, To: &to}))
	bigData := rawOf(t, signTx(t, key, &types.DynamicFeeTx{ChainID: txChain, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(9), Gas: 21000, To: &to, Data: make([]byte, MaxTxSize)}))
	noAuth := signTx(t, key, &types.SetCodeTx{ChainID: uint256.MustFromBig(txChain), GasTipCap: uint256.NewInt(1), GasFeeCap: uint256.NewInt(1), Gas: 100000, To: to})

	cases := []struct {
		name string
		raw  []byte
		want error
	}{
		{"empty", nil, ErrTxMalformed},
		{"garbage", []byte{0x02, 0x01, 0x02}, ErrTxMalformed},
		{"unknown type", []byte{0x7f, 0xc0}, ErrTxType},
		{"truncated", dyn[:len(dyn)-1], ErrTxMalformed},
		{"trailing byte", append(append([]byte(nil), dyn...), 0), ErrTxMalformed},
		{"pre-eip155 legacy", rawOf(t, unprotected), ErrTxUnprotected},
		{"wrong chain", rawOf(t, otherChain), ErrWrongChain},
		{"bad signature", badSig, ErrTxSignature},
		{"blob without sidecar", rawOf(t, withoutSidecar), ErrBlobSidecar},
		{"blob bad kzg proof", rawOf(t, tamperedProofTx), ErrBlobSidecar},
		{"blob extra blob", rawOf(t, extraBlobTx), ErrBlobSidecar},
		{"tip above fee cap", tipAboveFee, ErrTxInvalid},
		{"gas above eip-7825 cap", tooMuchGas, ErrTxInvalid},
		{"oversized", bigData, ErrTxTooLarge},
		{"set code without authorizations", rawOf(t, noAuth), ErrTxInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeTransaction(tc.raw, testL1Chain)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func BenchmarkDecodeTransaction(b *testing.B) {
	key := userKey(b)
	raw := rawOf(b, signTx(b, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to, Value: big.NewInt(1)}))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeTransaction(raw, testL1Chain); err != nil {
			b.Fatal(err)
		}
	}
}
