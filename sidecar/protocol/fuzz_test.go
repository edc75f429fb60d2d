package protocol

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"
)

// The seeds below run in every plain `go test`; `go test -fuzz` explores from
// them. Each target feeds untrusted bytes to a decoder the sidecar exposes.

// FuzzDecodeTransaction feeds raw transactions to DecodeTransaction and
// what it accepts to CheckIncludable at an Osaka block. Besides the seeds
// here, testdata/fuzz/FuzzDecodeTransaction holds the small transactions no
// block can hold (issue 12): calldata, initcode, access list and
// authorization costs above the gas, gas above the EIP-7825 cap.
func FuzzDecodeTransaction(f *testing.F) {
	key := userKey(f)
	f.Add(rawOf(f, signTx(f, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 21000, To: &to})))
	f.Add(rawOf(f, signTx(f, key, &types.LegacyTx{Nonce: 1, GasPrice: big.NewInt(2), Gas: 21000, To: &to})))
	f.Add(rawOf(f, setCodeTx(f, key)))
	f.Add([]byte{0x03, 0xc0})
	f.Add([]byte{})
	// The large cases of issue 12, too big for the corpus files: 60 KB of
	// initcode, and blob transactions whose fee cap is 0 or whose sidecar
	// has version 0 proofs.
	f.Add(rawOf(f, signTx(f, key, &types.DynamicFeeTx{ChainID: txChain, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 3_000_000, Data: make([]byte, 60_000)})))
	f.Add(rawOf(f, blobTxWith(f, key, 1, func(b *types.BlobTx) { b.BlobFeeCap = uint256.NewInt(0) })))
	f.Add(rawOf(f, blobTxWith(f, key, 0, func(b *types.BlobTx) { b.Gas = 20_000 })))
	osaka := headerAt(atOsaka, 3*11_684_671)
	f.Fuzz(func(t *testing.T, raw []byte) {
		tx, err := DecodeTransaction(raw, testL1Chain)
		if err != nil {
			return
		}
		if tx.Inclusion.ChainID != testL1Chain || tx.Inclusion.TxHash != tx.Tx.Hash() {
			t.Fatalf("accepted tx with inconsistent inclusion %+v", tx.Inclusion)
		}
		if _, err := tx.Canonical(); err != nil {
			t.Fatalf("accepted tx has no canonical encoding: %v", err)
		}
		if err := CheckIncludable(tx, testChainConfig, osaka); err != nil {
			return
		}
		// What passes pays its intrinsic gas and calldata floor, fits the
		// initcode limit and, for blobs, the blob base fee.
		rules := testChainConfig.Rules(osaka.Number, true, osaka.Time)
		value := uint256.MustFromBig(tx.Tx.Value())
		intrinsic, err := core.IntrinsicGas(tx.Tx.Data(), tx.Tx.AccessList(), tx.Tx.SetCodeAuthorizations(), tx.Inclusion.Sender, tx.Tx.To(), value, rules)
		if err != nil || tx.Tx.Gas() < intrinsic {
			t.Fatalf("accepted with gas %d, intrinsic gas %d (%v)", tx.Tx.Gas(), intrinsic, err)
		}
		floor, err := core.FloorDataGas(rules, tx.Inclusion.Sender, tx.Tx.To(), value, tx.Tx.Data(), tx.Tx.AccessList())
		if err != nil || tx.Tx.Gas() < floor {
			t.Fatalf("accepted with gas %d, calldata floor %d (%v)", tx.Tx.Gas(), floor, err)
		}
		if tx.Tx.To() == nil && len(tx.Tx.Data()) > params.MaxInitCodeSize {
			t.Fatalf("accepted %d bytes of initcode", len(tx.Tx.Data()))
		}
		if tx.Tx.Type() == types.BlobTxType && tx.Tx.BlobGasFeeCapIntCmp(eip4844.CalcBlobFee(testChainConfig, osaka)) < 0 {
			t.Fatalf("accepted blob fee cap %v under the blob base fee", tx.Tx.BlobGasFeeCap())
		}
	})
}

func FuzzUnmarshalPromiseABI(f *testing.F) {
	for _, typ := range []uint64{TypeL1Inclusion, TypeL2Inclusion, TypeBundle} {
		enc, err := testPromise(typ).MarshalABI()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := UnmarshalPromiseABI(data)
		if err != nil {
			return
		}
		_ = p.Validate(testL1Chain)
		_ = p.Digest(testDomain)
		enc, err := p.MarshalABI()
		if err != nil || string(enc) != string(data) {
			t.Fatalf("accepted payload does not re-encode to itself: %v", err)
		}
	})
}

func FuzzDecodeRequestPayload(f *testing.F) {
	for _, typ := range []uint64{TypeL1Inclusion, TypeBundle} {
		enc, err := EncodeRequestPayload(typ, 5, [][]byte{{0x02, 0xc0}})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(typ, enc)
	}
	f.Add(TypeBundle, make([]byte, 96))
	f.Fuzz(func(t *testing.T, typ uint64, data []byte) {
		p, err := DecodeRequestPayload(typ, data)
		if err != nil {
			return
		}
		if len(p.Txs) == 0 || len(p.Txs) > MaxRequestTxs {
			t.Fatalf("accepted %d txs", len(p.Txs))
		}
		if enc, err := EncodeRequestPayload(typ, p.Slot, p.Txs); err != nil || string(enc) != string(data) {
			t.Fatalf("accepted payload does not re-encode to itself: %v", err)
		}
	})
}

func FuzzSignedCommitmentJSON(f *testing.F) {
	sc, err := NewSignedCommitment(testPromise(TypeBundle), testDomain, testKey(f))
	if err != nil {
		f.Fatal(err)
	}
	js, err := json.Marshal(sc)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(js)
	f.Add([]byte(`{"commitment":{"commitment_type":1,"payload":"0x","request_hash":"0x00","slasher":"0x00"},"signature":"0x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var sc SignedCommitment
		if json.Unmarshal(data, &sc) != nil {
			return
		}
		_, p, err := sc.Signer(testL1Chain)
		if err == nil && p.Validate(testL1Chain) != nil {
			t.Fatal("opened a commitment whose promise is invalid")
		}
	})
}
