package protocol

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

// The seeds below run in every plain `go test`; `go test -fuzz` explores from
// them. Each target feeds untrusted bytes to a decoder the sidecar exposes.

func FuzzDecodeTransaction(f *testing.F) {
	key := userKey(f)
	f.Add(rawOf(f, signTx(f, key, &types.DynamicFeeTx{ChainID: txChain, Nonce: 3, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 21000, To: &to})))
	f.Add(rawOf(f, signTx(f, key, &types.LegacyTx{Nonce: 1, GasPrice: big.NewInt(2), Gas: 21000, To: &to})))
	f.Add(rawOf(f, setCodeTx(f, key)))
	f.Add([]byte{0x03, 0xc0})
	f.Add([]byte{})
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
	enc, err := EncodeRequestPayload(5, [][]byte{{0x02, 0xc0}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Add([]byte{0xc0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeRequestPayload(data)
		if err != nil {
			return
		}
		if len(p.Txs) == 0 || len(p.Txs) > MaxRequestTxs {
			t.Fatalf("accepted %d txs", len(p.Txs))
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
