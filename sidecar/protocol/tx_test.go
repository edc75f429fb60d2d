package protocol

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
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

// testChainConfig is mainnet's schedule (Cancun, Prague, Osaka, BPO1, BPO2)
// on the tests' chain id.
var testChainConfig = func() *params.ChainConfig {
	c := *params.MainnetChainConfig
	c.ChainID = txChain
	return &c
}()

// headerAt is a block of testChainConfig at time ts, of gas limit 45M, with
// excess blob gas excess.
func headerAt(ts, excess uint64) *types.Header {
	return &types.Header{Number: big.NewInt(24_000_000), Time: ts, GasLimit: 45_000_000, BaseFee: big.NewInt(1e9),
		Difficulty: new(big.Int), ExcessBlobGas: &excess}
}

// Times on testChainConfig where each fork rules.
var (
	atShanghai = *params.MainnetChainConfig.ShanghaiTime + 100
	atCancun   = *params.MainnetChainConfig.CancunTime + 100
	atOsaka    = *params.MainnetChainConfig.BPO2Time + 100
)

// blobTxWith is blobTx with its fields changed by f before signing.
func blobTxWith(t testing.TB, key *ecdsa.PrivateKey, version int, f func(*types.BlobTx)) *types.Transaction {
	t.Helper()
	scs, err := blobSidecars()
	if err != nil {
		t.Fatal(err)
	}
	sc := scs[version]
	inner := &types.BlobTx{ChainID: uint256.MustFromBig(txChain), Nonce: 3, GasTipCap: uint256.NewInt(2e9), GasFeeCap: uint256.NewInt(50e9),
		Gas: 50_000, To: to, Value: uint256.NewInt(1), BlobFeeCap: uint256.NewInt(7), BlobHashes: sc.BlobHashes(), Sidecar: sc}
	f(inner)
	return signTx(t, key, inner)
}

// nonZero returns n bytes of 0x01: calldata at the non-zero byte price.
func nonZero(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 1
	}
	return b
}

// TestCheckIncludable: what no block of the target slot can hold is refused
// with go-ethereum's reason under the sentinel of its JSON-RPC code — the
// scenarios of issue 12 among them — and what a block can hold passes.
func TestCheckIncludable(t *testing.T) {
	t.Parallel()
	key := userKey(t)
	dyn := func(gas uint64, data []byte, create bool) *types.Transaction {
		inner := &types.DynamicFeeTx{ChainID: txChain, Nonce: 1, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: gas, To: &to, Data: data}
		if create {
			inner.To = nil
		}
		return signTx(t, key, inner)
	}
	auth, err := types.SignSetCode(key, types.SetCodeAuthorization{ChainID: *uint256.MustFromBig(txChain), Address: to, Nonce: 5})
	if err != nil {
		t.Fatal(err)
	}
	setCode := func(gas uint64) *types.Transaction {
		return signTx(t, key, &types.SetCodeTx{ChainID: uint256.MustFromBig(txChain), Nonce: 4, GasTipCap: uint256.NewInt(1e9),
			GasFeeCap: uint256.NewInt(40e9), Gas: gas, To: to, AuthList: []types.SetCodeAuthorization{auth}})
	}
	accessList := func(gas uint64) *types.Transaction {
		return signTx(t, key, &types.AccessListTx{ChainID: txChain, Nonce: 2, GasPrice: big.NewInt(21e9), Gas: gas, To: &to,
			AccessList: types.AccessList{{Address: to, StorageKeys: []common.Hash{{1}}}}})
	}
	// At BPO2 (update fraction 11,684,671) an excess of 3 fractions puts
	// the blob base fee at e³·1 wei.
	const excess = 3 * 11_684_671
	blobFee := eip4844.CalcBlobFee(testChainConfig, headerAt(atOsaka, excess)).Uint64()
	if blobFee < 10 {
		t.Fatalf("blob base fee %d: the test needs one above the caps below", blobFee)
	}
	withBlobFee := func(v int, fee uint64) *types.Transaction {
		return blobTxWith(t, key, v, func(b *types.BlobTx) { b.BlobFeeCap = uint256.NewInt(fee) })
	}

	for _, tc := range []struct {
		name    string
		tx      *types.Transaction
		header  *types.Header
		want    error
		wantMsg string
	}{
		// Issue 12: 4 KiB of calldata at 21,000 gas.
		{"4 KiB of calldata at 21000 gas", dyn(21_000, nonZero(4096), false), headerAt(atOsaka, 0), ErrIntrinsicGas, "minimum needed 86536"},
		{"calldata over intrinsic gas, under the EIP-7623 floor", dyn(100_000, nonZero(4096), false), headerAt(atOsaka, 0), ErrIntrinsicGas, "floor data gas"},
		{"the same before Prague: no floor", dyn(100_000, nonZero(4096), false), headerAt(atCancun, 0), nil, ""},
		{"calldata at its floor", dyn(21_000+4096*4*10, nonZero(4096), false), headerAt(atOsaka, 0), nil, ""},
		// Issue 12: 60 KB of initcode (EIP-3860: 49,152 at most).
		{"60 KB of initcode", dyn(3_000_000, make([]byte, 60_000), true), headerAt(atOsaka, 0), ErrTxInvalid, "max initcode size exceeded"},
		{"initcode at the limit", dyn(3_000_000, make([]byte, params.MaxInitCodeSize), true), headerAt(atOsaka, 0), nil, ""},
		{"initcode word cost above gas", dyn(53_000+100*4, make([]byte, 100), true), headerAt(atOsaka, 0), ErrIntrinsicGas, "minimum needed 53408"},
		// Issue 12: access list and authorization costs.
		{"access list cost above gas", accessList(21_000), headerAt(atOsaka, 0), ErrIntrinsicGas, "minimum needed 25300"},
		{"access list paid for", accessList(25_300), headerAt(atOsaka, 0), nil, ""},
		{"authorization cost above gas", setCode(21_000), headerAt(atOsaka, 0), ErrIntrinsicGas, "minimum needed 46000"},
		{"authorization paid for", setCode(46_000), headerAt(atOsaka, 0), nil, ""},
		// Forks: the type must be active at the slot.
		{"set code before Prague", setCode(46_000), headerAt(atCancun, 0), ErrTxType, "Prague"},
		{"blob tx before Cancun", blobTx(t, key, 1), headerAt(atShanghai, 0), ErrTxType, "Cancun"},
		{"gas above the block's limit", dyn(2_000_000, nil, false), func() *types.Header { h := headerAt(atOsaka, 0); h.GasLimit = 1_000_000; return h }(), ErrTxInvalid, "exceeds block gas limit"},
		// Issue 12: the blob fee cap.
		{"blob fee cap 0", withBlobFee(1, 0), headerAt(atOsaka, 0), ErrBlobFeeTooLow, "minimum needed 1"},
		{"blob fee cap below the projected blob base fee", withBlobFee(1, blobFee-1), headerAt(atOsaka, excess), ErrBlobFeeTooLow, "may reach"},
		{"blob fee cap at the projected blob base fee", withBlobFee(1, blobFee), headerAt(atOsaka, excess), nil, ""},
		{"version 0 sidecar, judged as the pool's cell proofs", withBlobFee(0, blobFee), headerAt(atOsaka, excess), nil, ""},
		{"blob tx with no projected blob base fee", blobTx(t, key, 1), func() *types.Header { h := headerAt(atOsaka, 0); h.ExcessBlobGas = nil; return h }(), ErrBlobFeeTooLow, "no blob base fee"},
		{"legacy", signTx(t, key, &types.LegacyTx{Nonce: 1, GasPrice: big.NewInt(20e9), Gas: 21000, To: &to}), headerAt(atOsaka, 0), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := DecodeTransaction(rawOf(t, tc.tx), testL1Chain)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			err = CheckIncludable(d, testChainConfig, tc.header)
			if !errors.Is(err, tc.want) || tc.want == nil && err != nil {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if tc.wantMsg != "" && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tc.wantMsg)
			}
		})
	}
}

// TestCheckIncludableGasCap: above EIP-7825's cap, from Osaka on, as
// go-ethereum says (DecodeTransaction refuses it on any fork).
func TestCheckIncludableGasCap(t *testing.T) {
	t.Parallel()
	tx := signTx(t, userKey(t), &types.DynamicFeeTx{ChainID: txChain, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(9), Gas: params.MaxTxGas + 1, To: &to})
	sender, err := types.Sender(types.LatestSignerForChainID(txChain), tx)
	if err != nil {
		t.Fatal(err)
	}
	d := &Tx{Tx: tx, Inclusion: InclusionFromTx(tx, sender)}
	if err := CheckIncludable(d, testChainConfig, headerAt(atOsaka, 0)); !errors.Is(err, ErrTxInvalid) || !strings.Contains(err.Error(), "gas limit too high") {
		t.Fatalf("Osaka: %v, want ErrTxInvalid for the gas cap", err)
	}
	if err := CheckIncludable(d, testChainConfig, headerAt(atCancun, 0)); err != nil {
		t.Fatalf("Cancun: %v, want no cap", err)
	}
}

func BenchmarkCheckIncludable(b *testing.B) {
	key := userKey(b)
	d, err := DecodeTransaction(rawOf(b, signTx(b, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1e9),
		GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to, Value: big.NewInt(1)})), testL1Chain)
	if err != nil {
		b.Fatal(err)
	}
	h := headerAt(atOsaka, 0)
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckIncludable(d, testChainConfig, h); err != nil {
			b.Fatal(err)
		}
	}
}
