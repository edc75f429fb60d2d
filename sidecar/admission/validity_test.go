package admission

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// sign signs any transaction of the harness chain and returns its network
// encoding.
func (h *harness) sign(k *ecdsa.PrivateKey, inner types.TxData) []byte {
	h.t.Helper()
	tx, err := types.SignNewTx(k, types.LatestSignerForChainID(new(big.Int).SetUint64(h.chainID)), inner)
	if err != nil {
		h.t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

// testBlobs is one blob with its commitment, its blob proof (sidecar
// version 0) and its cell proofs (version 1). KZG work is slow: once.
var testBlobs = sync.OnceValues(func() (struct {
	blob   kzg4844.Blob
	commit kzg4844.Commitment
	proof  kzg4844.Proof
	cells  []kzg4844.Proof
}, error) {
	var out struct {
		blob   kzg4844.Blob
		commit kzg4844.Commitment
		proof  kzg4844.Proof
		cells  []kzg4844.Proof
	}
	for i := range 256 {
		out.blob[32*i+31] = byte(i + 1) // canonical field elements: top byte zero
	}
	var err error
	if out.commit, err = kzg4844.BlobToCommitment(&out.blob); err != nil {
		return out, err
	}
	if out.proof, err = kzg4844.ComputeBlobProof(&out.blob, out.commit); err != nil {
		return out, err
	}
	out.cells, err = kzg4844.ComputeCellProofs(&out.blob)
	return out, err
})

// blobsSidecar is a sidecar of n copies of the test blob in version v.
func blobsSidecar(t testing.TB, n int, v byte) *types.BlobTxSidecar {
	t.Helper()
	b, err := testBlobs()
	if err != nil {
		t.Fatal(err)
	}
	blobs, commits, proofs := make([]kzg4844.Blob, n), make([]kzg4844.Commitment, n), []kzg4844.Proof{}
	for i := range n {
		blobs[i], commits[i] = b.blob, b.commit
		if v == types.BlobSidecarVersion0 {
			proofs = append(proofs, b.proof)
		} else {
			proofs = append(proofs, b.cells...)
		}
	}
	return types.NewBlobTxSidecar(v, blobs, commits, proofs)
}

// nonZero returns n bytes of 0x01: calldata at the non-zero byte price.
func nonZero(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 1
	}
	return b
}

// TestRefusesWhatNoBlockCanHold holds the scenarios of issue 12: before,
// each was signed — and slashable, since no block could ever include it.
// Each is refused with go-ethereum's reason and the JSON-RPC code of
// docs/protocol.md §4, and nothing is stored.
func TestRefusesWhatNoBlockCanHold(t *testing.T) {
	slot := uint64(headSlot + 2)
	// farSlot is far enough that full blob blocks in between lift the blob
	// base fee above the 1 wei minimum.
	farSlot := uint64(headSlot + 40)
	chain := uint256.NewInt(simChainID)
	dyn := func(gas uint64, data []byte, create bool) types.TxData {
		to := common.Address{0x42}
		inner := &types.DynamicFeeTx{ChainID: chain.ToBig(), GasTipCap: big.NewInt(3e9), GasFeeCap: big.NewInt(100e9), Gas: gas, To: &to, Data: data}
		if create {
			inner.To = nil
		}
		return inner
	}
	blob := func(h *harness, feeCap *uint256.Int) types.TxData {
		sc := blobsSidecar(h.t, 1, types.BlobSidecarVersion1)
		return &types.BlobTx{ChainID: chain, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9), Gas: 21_000,
			To: common.Address{0x42}, BlobFeeCap: feeCap, BlobHashes: sc.BlobHashes(), Sidecar: sc}
	}
	for _, tc := range []struct {
		name    string
		slot    uint64
		tx      func(h *harness) types.TxData
		want    error
		code    int
		wantMsg string
	}{
		{"a transfer with 4 KiB of calldata at 21000 gas", slot, func(*harness) types.TxData { return dyn(21_000, nonZero(4096), false) },
			protocol.ErrIntrinsicGas, api.CodeIntrinsicGas, "minimum needed 86536"},
		{"calldata over its intrinsic gas, under the EIP-7623 floor", slot, func(*harness) types.TxData { return dyn(100_000, nonZero(4096), false) },
			protocol.ErrIntrinsicGas, api.CodeIntrinsicGas, "floor data gas"},
		{"60 KB of initcode (EIP-3860)", slot, func(*harness) types.TxData { return dyn(3_000_000, make([]byte, 60_000), true) },
			protocol.ErrTxInvalid, api.CodeTxMalformed, "max initcode size exceeded"},
		{"a blob tx with max fee per blob gas 0", slot, func(h *harness) types.TxData { return blob(h, uint256.NewInt(0)) },
			protocol.ErrBlobFeeTooLow, api.CodeBlobFeeTooLow, "blob fee cap 0"},
		{"a blob tx under the projected blob base fee", farSlot, func(h *harness) types.TxData {
			return blob(h, new(uint256.Int).SubUint64(uint256.MustFromBig(h.projectedBlobFee(farSlot)), 1))
		}, protocol.ErrBlobFeeTooLow, api.CodeBlobFeeTooLow, "may reach"},
		{"an access list whose cost exceeds the gas", slot, func(*harness) types.TxData {
			to := common.Address{0x42}
			return &types.AccessListTx{ChainID: chain.ToBig(), GasPrice: big.NewInt(100e9), Gas: 21_000, To: &to,
				AccessList: types.AccessList{{Address: to, StorageKeys: []common.Hash{{1}, {2}}}}}
		}, protocol.ErrIntrinsicGas, api.CodeIntrinsicGas, "minimum needed 27200"},
		{"an authorization whose cost exceeds the gas", slot, func(h *harness) types.TxData {
			auth, err := types.SignSetCode(mustKey(h.t), types.SetCodeAuthorization{ChainID: *chain, Address: common.Address{0x42}})
			if err != nil {
				h.t.Fatal(err)
			}
			return &types.SetCodeTx{ChainID: chain, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9), Gas: 21_000,
				To: common.Address{0x42}, AuthList: []types.SetCodeAuthorization{auth}}
		}, protocol.ErrIntrinsicGas, api.CodeIntrinsicGas, "minimum needed 46000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 1)
			raw := h.sign(h.users[0], tc.tx(h))
			sc, err := h.eng.Request(context.Background(), h.l1(tc.slot, raw))
			if sc != nil || !errors.Is(err, tc.want) {
				t.Fatalf("Request = %v, %v; want %v", sc, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tc.wantMsg)
			}
			if code, ok := api.DefaultCodes().Lookup(err); !ok || code != tc.code {
				t.Fatalf("JSON-RPC code %d, want %d", code, tc.code)
			}
			if n := len(h.stored()); n != 0 {
				t.Fatalf("a refused request left %d records", n)
			}
			// In a bundle with a valid tx, the whole bundle is refused.
			ok := h.tx(h.users[0], 0, txOpts{})
			if _, err := h.eng.Request(context.Background(), h.req(protocol.TypeBundle, tc.slot, ok, raw)); !errors.Is(err, tc.want) {
				t.Fatalf("bundle: %v, want %v", err, tc.want)
			}
		})
	}
}

// projectedBlobFee is the highest blob base fee the block of slot can have,
// as the engine projects it from the current head.
func (h *harness) projectedBlobFee(slot uint64) *big.Int {
	h.t.Helper()
	head := h.state.Head()
	b, err := h.eng.target(head, h.duties.clock.SlotAt(time.Unix(int64(head.Time), 0)), slot, true)
	if err != nil {
		h.t.Fatal(err)
	}
	return eip4844.CalcBlobFee(b.config, b.header)
}

// TestAcceptsWhatABlockCanHold: at the limits, the same kinds of
// transactions are promised: calldata paying its floor, initcode at the
// EIP-3860 limit, a blob fee cap at the projected blob base fee, a version 0
// sidecar (which go-ethereum converts), an access list and an authorization
// paid for.
func TestAcceptsWhatABlockCanHold(t *testing.T) {
	farSlot := uint64(headSlot + 40)
	chain := uint256.NewInt(simChainID)
	to := common.Address{0x42}
	h := newHarness(t, 6)
	fee := uint256.MustFromBig(h.projectedBlobFee(farSlot))
	if fee.Uint64() < 2 {
		t.Fatalf("projected blob base fee %v at slot %d: the test needs one above the minimum", fee, farSlot)
	}
	for i, tc := range []struct {
		name string
		slot uint64
		tx   types.TxData
	}{
		{"calldata at its floor", headSlot + 2, &types.DynamicFeeTx{ChainID: chain.ToBig(), GasTipCap: big.NewInt(3e9), GasFeeCap: big.NewInt(100e9),
			Gas: 21_000 + 4096*4*params.TxCostFloorPerToken, To: &to, Data: nonZero(4096)}},
		{"initcode at the limit", headSlot + 2, &types.DynamicFeeTx{ChainID: chain.ToBig(), GasTipCap: big.NewInt(3e9), GasFeeCap: big.NewInt(100e9),
			Gas: 3_000_000, Data: make([]byte, params.MaxInitCodeSize)}},
		{"blob fee cap at the projected blob base fee", farSlot, func() types.TxData {
			sc := blobsSidecar(t, 2, types.BlobSidecarVersion1)
			return &types.BlobTx{ChainID: chain, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9), Gas: 21_000, To: to,
				BlobFeeCap: fee, BlobHashes: sc.BlobHashes(), Sidecar: sc}
		}()},
		{"version 0 sidecar", headSlot + 2, func() types.TxData {
			sc := blobsSidecar(t, 1, types.BlobSidecarVersion0)
			return &types.BlobTx{ChainID: chain, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9), Gas: 21_000, To: to,
				BlobFeeCap: uint256.NewInt(1), BlobHashes: sc.BlobHashes(), Sidecar: sc}
		}()},
		{"access list paid for", headSlot + 2, &types.AccessListTx{ChainID: chain.ToBig(), GasPrice: big.NewInt(100e9), Gas: 27_200, To: &to,
			AccessList: types.AccessList{{Address: to, StorageKeys: []common.Hash{{1}, {2}}}}}},
		{"authorization paid for", headSlot + 2, func() types.TxData {
			auth, err := types.SignSetCode(mustKey(t), types.SetCodeAuthorization{ChainID: *chain, Address: to})
			if err != nil {
				t.Fatal(err)
			}
			return &types.SetCodeTx{ChainID: chain, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9), Gas: 46_000,
				To: to, AuthList: []types.SetCodeAuthorization{auth}}
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.mustAccept(h.l1(tc.slot, h.sign(h.users[i], tc.tx)))
		})
	}
}

// TestMissedBlobTxNotCarriedUnderTheBlobBaseFee: a missed promise is carried
// into a later slot only if that slot's block can hold it — here its blob
// fee cap, enough for its own slot, is below what the later slot's blob
// base fee may reach — else the promise stacked on it is dropped, saying why.
func TestMissedBlobTxNotCarriedUnderTheBlobBaseFee(t *testing.T) {
	h := newHarness(t, 1)
	u := h.users[0]
	sc := blobsSidecar(t, 1, types.BlobSidecarVersion0)
	feeCap := uint256.MustFromBig(h.projectedBlobFee(headSlot + 2))
	p := h.sign(u, &types.BlobTx{ChainID: uint256.NewInt(simChainID), GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9),
		Gas: 21_000, To: common.Address{0x42}, BlobFeeCap: feeCap, BlobHashes: sc.BlobHashes(), Sidecar: sc})
	h.mustAccept(h.l1(headSlot+2, p))
	p2Slot := uint64(headSlot + 40)
	p2Hash := h.mustAccept(h.l1(p2Slot, h.tx(u, 1, txOpts{}))).Commitment.RequestHash
	h.headTo(headSlot + 2)
	reason, dropped := h.eng.DroppedReason(p2Hash)
	if !dropped || !strings.Contains(reason, "not carried") || !strings.Contains(reason, "could not be in the block of slot 140") ||
		!strings.Contains(reason, protocol.ErrBlobFeeTooLow.Error()) {
		t.Fatalf("dropped=%v reason %q, want it dropped for the blob base fee of slot 140", dropped, reason)
	}
	if got := h.eng.TopOfBlock(p2Slot); len(got) != 0 {
		t.Fatalf("slot %d still opens with %d txs", p2Slot, len(got))
	}
}
