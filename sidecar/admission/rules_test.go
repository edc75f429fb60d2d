package admission

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store"
)

func TestAcceptL1Inclusion(t *testing.T) {
	h := newHarness(t, 1)
	u := h.users[0]
	raw := h.tx(u, 0, txOpts{})
	sc := h.mustAccept(h.l1(headSlot+2, raw))

	p, err := sc.Verify(h.chainID, addr(h.committer))
	if err != nil {
		t.Fatal(err)
	}
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		t.Fatal(err)
	}
	inc := p.Inclusions[0]
	if p.Slot != headSlot+2 || p.Operator != operator || p.CommitmentType != protocol.TypeL1Inclusion ||
		inc.Sender != addr(u) || inc.TxHash != tx.Hash() || inc.Nonce != 0 || inc.MaxCost.Cmp(tx.Cost()) != 0 {
		t.Fatalf("promise %+v does not describe the tx", p)
	}
	if want := h.l1(headSlot+2, raw).RequestHash(); p.RequestHash != want || sc.Commitment.RequestHash != want {
		t.Fatalf("request hash %s, want %s", p.RequestHash, want)
	}
	if p.SlashAmount.Cmp(h.cfg.Slash.Base) != 0 {
		t.Fatalf("slash amount %v, want the policy's %v", p.SlashAmount, h.cfg.Slash.Base)
	}
	// Persisted before the answer, and in the slot's template.
	rec, err := h.store.ByRequest(p.RequestHash)
	if err != nil {
		t.Fatalf("promise not in the store: %v", err)
	}
	if !bytes.Equal(rec.Commitment.Signature, sc.Signature) || !bytes.Equal(rec.Txs[0], raw) {
		t.Fatal("stored promise differs from the answer")
	}
	tpl := h.eng.Template(headSlot + 2)
	if len(tpl) != 1 || !bytes.Equal(tpl[0].Txs[0], raw) || tpl[0].RequestHash != p.RequestHash {
		t.Fatalf("template = %+v, want the one promise", tpl)
	}
	got, err := h.eng.Result(context.Background(), p.RequestHash)
	if err != nil || !bytes.Equal(got.Signature, sc.Signature) {
		t.Fatalf("Result = %v, %v", got, err)
	}
	if _, err := h.eng.Result(context.Background(), common.Hash{1}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Result of an unknown hash: %v, want ErrNotFound", err)
	}
	if n := counterValue(h.eng.metrics.requests.WithLabelValues("accepted")); n != 1 {
		t.Fatalf("accepted counter = %v, want 1", n)
	}
}

// blobSidecar builds a valid one-blob sidecar (KZG work is slow; once).
func blobSidecar(t *testing.T) *types.BlobTxSidecar {
	t.Helper()
	var blob kzg4844.Blob
	blob[31] = 1
	commit, err := kzg4844.BlobToCommitment(&blob)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := kzg4844.ComputeBlobProof(&blob, commit)
	if err != nil {
		t.Fatal(err)
	}
	return types.NewBlobTxSidecar(types.BlobSidecarVersion0, []kzg4844.Blob{blob}, []kzg4844.Commitment{commit}, []kzg4844.Proof{proof})
}

func (h *harness) blobTx(k *ecdsa.PrivateKey, nonce uint64, sc *types.BlobTxSidecar) []byte {
	h.t.Helper()
	tx := types.MustSignNewTx(k, types.LatestSignerForChainID(new(big.Int).SetUint64(h.chainID)), &types.BlobTx{
		ChainID: uint256.NewInt(h.chainID), Nonce: nonce, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9),
		Gas: 21_000, To: common.Address{0x42}, BlobFeeCap: uint256.NewInt(1e9), BlobHashes: sc.BlobHashes(), Sidecar: sc,
	})
	raw, err := tx.MarshalBinary()
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

func TestRejections(t *testing.T) {
	slot := uint64(headSlot + 2)
	for _, tc := range []struct {
		name  string
		opts  []harnessOpt
		setup func(h *harness) // earlier promises or chain changes
		req   func(h *harness) protocol.CommitmentRequest
		want  error
		// wantMsg is a fragment of the error text a client would read.
		wantMsg string
	}{
		{name: "wrong slasher", req: func(h *harness) protocol.CommitmentRequest {
			r := h.l1(slot, h.tx(h.users[0], 0, txOpts{}))
			r.Slasher = common.Address{9}
			return r
		}, want: ErrWrongSlasher},
		{name: "unknown commitment type", req: func(h *harness) protocol.CommitmentRequest {
			r := h.l1(slot, h.tx(h.users[0], 0, txOpts{}))
			r.CommitmentType = 9
			return r
		}, want: ErrUnknownType},
		{name: "payload not ABI", req: func(h *harness) protocol.CommitmentRequest {
			return protocol.CommitmentRequest{CommitmentType: 1, Payload: []byte{0xde, 0xad}, Slasher: slasher}
		}, want: protocol.ErrMalformedPayload},
		{name: "payload oversized", req: func(h *harness) protocol.CommitmentRequest {
			return protocol.CommitmentRequest{CommitmentType: 1, Payload: make([]byte, protocol.MaxRequestPayload+1), Slasher: slasher}
		}, want: protocol.ErrMalformedPayload},
		{name: "tx bytes malformed", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, []byte{0x02, 0xc0, 0x01})
		}, want: protocol.ErrTxMalformed},
		{name: "tx oversized", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, append([]byte{0x02}, make([]byte, protocol.MaxTxSize)...))
		}, want: protocol.ErrTxTooLarge},
		{name: "tx for another chain", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{chainID: big.NewInt(5)}))
		}, want: protocol.ErrWrongChain},
		{name: "L2 inclusion of an L1 tx", req: func(h *harness) protocol.CommitmentRequest {
			return h.req(protocol.TypeL2Inclusion, slot, h.tx(h.users[0], 0, txOpts{}))
		}, want: protocol.ErrWrongChain},
		{name: "L2 tx of an unknown rollup", req: func(h *harness) protocol.CommitmentRequest {
			return h.req(protocol.TypeL2Inclusion, slot, h.tx(h.users[0], 0, txOpts{chainID: big.NewInt(999)}))
		}, want: ErrUnknownRollup},
		{name: "L2 tx of a configured rollup without a batch poster", req: func(h *harness) protocol.CommitmentRequest {
			return h.req(protocol.TypeL2Inclusion, slot, h.tx(h.users[0], 0, txOpts{chainID: big.NewInt(rollupA)}))
		}, want: ErrUnknownType, wantMsg: "no batch poster"},
		{name: "a bundle's payload as an L1 inclusion", req: func(h *harness) protocol.CommitmentRequest {
			r := h.req(protocol.TypeBundle, slot, h.tx(h.users[0], 0, txOpts{}), h.tx(h.users[1], 0, txOpts{}))
			r.CommitmentType = protocol.TypeL1Inclusion
			return r
		}, want: protocol.ErrMalformedPayload},
		{name: "bundle of one", req: func(h *harness) protocol.CommitmentRequest {
			return h.req(protocol.TypeBundle, slot, h.tx(h.users[0], 0, txOpts{}))
		}, want: protocol.ErrInclusionCount},
		{name: "bundle with a duplicate", req: func(h *harness) protocol.CommitmentRequest {
			raw := h.tx(h.users[0], 0, txOpts{})
			return h.req(protocol.TypeBundle, slot, raw, raw)
		}, want: protocol.ErrDuplicateTx},
		{name: "slot not ours", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(headSlot+5, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrSlotNotOffered, wantMsg: "none of our validators"},
		{name: "slot beyond the known duties", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(headSlot+500, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrSlotNotOffered},
		{name: "slot in the past", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(headSlot, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrSlotNotOffered, wantMsg: "in the past"},
		{name: "current slot: deadline passed", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(headSlot+1, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrDeadlinePassed},
		{name: "nonce gap", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 1, txOpts{}))
		}, want: ErrNonce, wantMsg: "nonce 1, want 0"},
		{name: "nonce already used on chain", setup: func(h *harness) {
			h.sendOnChain(h.tx(h.users[0], 0, txOpts{}))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{value: big.NewInt(2)}))
		}, want: ErrNonce, wantMsg: "want 1"},
		{name: "nonce promised to another tx", setup: func(h *harness) {
			h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot+1, h.tx(h.users[0], 0, txOpts{value: big.NewInt(2)}))
		}, want: ErrConflict},
		{name: "same tx again for another slot", setup: func(h *harness) {
			h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot+1, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrConflict, wantMsg: "already promised for slot"},
		{name: "earlier nonce promised for a later slot", setup: func(h *harness) {
			h.mustAccept(h.l1(slot+2, h.tx(h.users[0], 0, txOpts{})))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 1, txOpts{}))
		}, want: ErrNonce, wantMsg: "later slot"},
		{name: "balance", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.poor, 0, txOpts{value: new(big.Int).Div(ether, big.NewInt(50))}))
		}, want: ErrBalance},
		{name: "balance over stacked promises", setup: func(h *harness) {
			// maxCost = 21000·100 gwei + value = 4.6e15: two fit in 0.01 ETH, three do not.
			h.mustAccept(h.l1(slot, h.tx(h.poor, 0, txOpts{value: big.NewInt(2.5e15)})))
			h.mustAccept(h.l1(slot+1, h.tx(h.poor, 1, txOpts{value: big.NewInt(2.5e15)})))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot+1, h.tx(h.poor, 2, txOpts{value: big.NewInt(2.5e15)}))
		}, want: ErrBalance},
		{name: "sender has code", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.coded, 0, txOpts{}))
		}, want: ErrSenderHasCode},
		{name: "max fee below the projected base fee", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{feeCap: big.NewInt(1), tip: big.NewInt(1)}))
		}, want: ErrFeeBelowBase},
		{name: "priority fee below the floor", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{tip: new(big.Int).Div(gwei, big.NewInt(2))}))
		}, want: ErrUnderpriced},
		{name: "tip capped by fee cap minus projected base fee", req: func(h *harness) protocol.CommitmentRequest {
			// A 100 gwei tip is worthless when the fee cap leaves no room over the base fee.
			bf := h.state.ProjectedBaseFee(2)
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{feeCap: bf, tip: bf}))
		}, want: ErrUnderpriced},
		{name: "slot gas budget", opts: []harnessOpt{withConfig(func(c *Config) { c.GasBudgetPerSlot = 50_000 })},
			setup: func(h *harness) {
				h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
				h.mustAccept(h.l1(slot, h.tx(h.users[1], 0, txOpts{})))
			}, req: func(h *harness) protocol.CommitmentRequest {
				return h.l1(slot, h.tx(h.users[2], 0, txOpts{}))
			}, want: ErrSlotFull},
		{name: "slot blob budget", opts: []harnessOpt{withConfig(func(c *Config) { c.MaxBlobsPerSlot = 0 })},
			req: func(h *harness) protocol.CommitmentRequest {
				return h.l1(slot, h.blobTx(h.users[0], 0, blobSidecar(h.t.(*testing.T))))
			}, want: ErrSlotFull, wantMsg: "blobs"},
		{name: "exposure", setup: func(h *harness) {
			h.collateral.set(new(big.Int).Div(ether, big.NewInt(100))) // exactly one promise's slash amount
			h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{})))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[1], 0, txOpts{}))
		}, want: ErrExposure},
		{name: "registry down", setup: func(h *harness) {
			h.collateral.err = errors.New("registry rpc: connection refused")
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrUnavailable, wantMsg: "registry"},
		{name: "EL down", setup: func(h *harness) {
			_ = h.backend.Close()
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.users[0], 0, txOpts{}))
		}, want: ErrUnavailable, wantMsg: "read account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 3, tc.opts...)
			if tc.setup != nil {
				tc.setup(h)
			}
			before := len(h.stored())
			r := tc.req(h)
			sc, err := h.eng.Request(context.Background(), r)
			if sc != nil || !errors.Is(err, tc.want) {
				t.Fatalf("Request = %v, %v; want %v", sc, err, tc.want)
			}
			if tc.wantMsg != "" && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tc.wantMsg)
			}
			if after := len(h.stored()); after != before {
				t.Fatalf("a refused request changed the store: %d → %d records", before, after)
			}
		})
	}
}

func TestBadTxSignature(t *testing.T) {
	h := newHarness(t, 1)
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: new(big.Int).SetUint64(h.chainID), Nonce: 0, GasTipCap: gwei,
		GasFeeCap: new(big.Int).Mul(big.NewInt(100), gwei), Gas: 21000, To: &common.Address{1}, Value: big.NewInt(1)})
	sig := make([]byte, 65)
	sig[63] = 1 // r = 0: no curve point, no sender
	tx, err := tx.WithSignature(types.LatestSignerForChainID(new(big.Int).SetUint64(h.chainID)), sig)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.eng.Request(context.Background(), h.l1(headSlot+2, raw))
	wantErr(t, err, protocol.ErrTxSignature)
}

func TestDeadline(t *testing.T) {
	h := newHarness(t, 1)
	c := h.duties.Clock()
	slot := uint64(headSlot + 3)
	dl := c.SlotStart(slot).Add(-12 * time.Second).Add(8 * time.Second) // 2/3 into slot−1
	raw := h.tx(h.users[0], 0, txOpts{})

	h.clock.set(dl)
	_, err := h.eng.Request(context.Background(), h.l1(slot, raw))
	wantErr(t, err, ErrDeadlinePassed)

	h.clock.set(dl.Add(-time.Nanosecond))
	sc := h.mustAccept(h.l1(slot, raw))

	// After the deadline a replay still gets its promise back.
	h.clock.set(dl.Add(time.Second))
	again, err := h.eng.Request(context.Background(), h.l1(slot, raw))
	if err != nil || !bytes.Equal(again.Signature, sc.Signature) {
		t.Fatalf("replay after the deadline: %v", err)
	}
}

func TestIdempotentReplay(t *testing.T) {
	h := newHarness(t, 1)
	r := h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{}))
	first := h.mustAccept(r)
	// The same transactions in a different (but equivalent) encoding are the same request.
	again, err := h.eng.Request(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := rlp.EncodeToBytes(first)
	b, _ := rlp.EncodeToBytes(again)
	if !bytes.Equal(first.Signature, again.Signature) || !bytes.Equal(first.Commitment.Payload, again.Commitment.Payload) || !bytes.Equal(a, b) {
		t.Fatal("a replay returned a different promise")
	}
	if n := len(h.stored()); n != 1 {
		t.Fatalf("%d records after a replay, want 1", n)
	}
	if n := counterValue(h.eng.metrics.requests.WithLabelValues("replayed")); n != 1 {
		t.Fatalf("replayed counter = %v, want 1", n)
	}
}

func TestNonceStackingAcrossSlots(t *testing.T) {
	h := newHarness(t, 1)
	u := h.users[0]
	h.mustAccept(h.l1(headSlot+2, h.tx(u, 0, txOpts{})))
	h.mustAccept(h.l1(headSlot+2, h.tx(u, 1, txOpts{})))
	h.mustAccept(h.l1(headSlot+4, h.tx(u, 2, txOpts{})))
	_, err := h.eng.Request(context.Background(), h.l1(headSlot+3, h.tx(u, 3, txOpts{})))
	wantErr(t, err, ErrNonce)
	h.mustAccept(h.l1(headSlot+6, h.tx(u, 3, txOpts{})))
	tpl := h.eng.Template(headSlot + 2)
	if len(tpl) != 2 || tpl[0].Inclusions[0].Nonce != 0 || tpl[1].Inclusions[0].Nonce != 1 {
		t.Fatalf("template of slot %d out of nonce order: %+v", headSlot+2, tpl)
	}
}

func TestBundle(t *testing.T) {
	h := newHarness(t, 2)
	a, b := h.users[0], h.users[1]
	r := h.req(protocol.TypeBundle, headSlot+2, h.tx(a, 0, txOpts{}), h.tx(b, 0, txOpts{}), h.tx(a, 1, txOpts{}))
	sc := h.mustAccept(r)
	p, err := sc.Open(h.chainID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Inclusions) != 3 || p.Inclusions[2].Nonce != 1 || p.Inclusions[1].Sender != addr(b) {
		t.Fatalf("bundle promise %+v", p.Inclusions)
	}
	// Nonces inside a bundle stack too: a gap within it is refused.
	_, err = h.eng.Request(context.Background(), h.req(protocol.TypeBundle, headSlot+3, h.tx(a, 2, txOpts{}), h.tx(a, 4, txOpts{})))
	wantErr(t, err, ErrNonce)
	// And a bundle pays the floor over all its gas: one well-paying tx may carry a free one.
	h.mustAccept(h.req(protocol.TypeBundle, headSlot+3,
		h.tx(a, 2, txOpts{tip: new(big.Int).Mul(big.NewInt(10), gwei)}), h.tx(b, 1, txOpts{tip: big.NewInt(0)})))
}

func TestPricingRises(t *testing.T) {
	h := newHarness(t, 3, withConfig(func(c *Config) { c.GasBudgetPerSlot = 30_000_000 }))
	slot := uint64(headSlot + 2)
	// The floor starts at 1 gwei and rises 0.1 gwei per Mgas: a 10 Mgas tx
	// pays the average over its span, 1 + 0.1·5 = 1.5 gwei.
	q, err := h.eng.Quote(context.Background(), h.l1(slot, h.tx(h.users[0], 0, txOpts{gas: 10_000_000})))
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewInt(1_500_000_000); q.MinPriorityFeePerGas.Cmp(want) != 0 {
		t.Fatalf("quote %v, want %v", q.MinPriorityFeePerGas, want)
	}
	tip := big.NewInt(1_600_000_000)
	h.mustAccept(h.l1(slot, h.tx(h.users[0], 0, txOpts{gas: 10_000_000, tip: tip})))
	// The same tip for the next 10 Mgas is below 1 + 0.1·15 = 2.5 gwei.
	_, err = h.eng.Request(context.Background(), h.l1(slot, h.tx(h.users[1], 0, txOpts{gas: 10_000_000, tip: tip})))
	wantErr(t, err, ErrUnderpriced)
	q, err = h.eng.Quote(context.Background(), h.l1(slot, h.tx(h.users[1], 0, txOpts{gas: 10_000_000})))
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewInt(2_500_000_000); q.MinPriorityFeePerGas.Cmp(want) != 0 || q.GasRemaining != 20_000_000 {
		t.Fatalf("quote %v with %d gas left, want %v and 20M", q.MinPriorityFeePerGas, q.GasRemaining, want)
	}
	info, err := h.eng.Fee(context.Background(), h.l1(slot, h.tx(h.users[1], 0, txOpts{gas: 10_000_000})))
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Payload) != 128 || new(big.Int).SetBytes(info.Payload[:32]).Cmp(q.MinPriorityFeePerGas) != 0 ||
		new(big.Int).SetBytes(info.Payload[96:]).Uint64() != 20_000_000 {
		t.Fatalf("fee payload %x does not encode the quote", info.Payload)
	}
	// Another slot is priced on its own.
	h.mustAccept(h.l1(slot+1, h.tx(h.users[1], 0, txOpts{gas: 10_000_000, tip: tip})))
}

func TestFloorCurve(t *testing.T) {
	p := Pricing{MinPriorityFee: big.NewInt(1_000), FeeSlope: big.NewInt(3)}
	for _, tc := range []struct{ used, gas uint64 }{
		{0, 0}, {0, 21_000}, {0, 1}, {1_000_000, 0}, {5_000_000, 21_000}, {29_000_000, 1_000_000}, {333_333, 7},
	} {
		// min + ceil(slope·(used + gas/2)/1e6), with rationals.
		r := new(big.Rat).Add(new(big.Rat).SetUint64(tc.used), new(big.Rat).SetFrac64(int64(tc.gas), 2))
		r.Mul(r, new(big.Rat).SetInt(p.FeeSlope))
		r.Quo(r, new(big.Rat).SetInt64(1_000_000))
		want := new(big.Int).Quo(r.Num(), r.Denom())
		if !r.IsInt() {
			want.Add(want, big.NewInt(1))
		}
		want.Add(want, p.MinPriorityFee)
		if got := p.Floor(tc.used, tc.gas); got.Cmp(want) != 0 {
			t.Errorf("Floor(%d, %d) = %v, want %v", tc.used, tc.gas, got, want)
		}
	}
	// Splitting does not pay: two halves cost what the whole does (with a
	// slope that leaves no rounding).
	p.FeeSlope = big.NewInt(4)
	whole := new(big.Int).Mul(p.Floor(0, 2_000_000), big.NewInt(2_000_000))
	halves := new(big.Int).Add(new(big.Int).Mul(p.Floor(0, 1_000_000), big.NewInt(1_000_000)),
		new(big.Int).Mul(p.Floor(1_000_000, 1_000_000), big.NewInt(1_000_000)))
	if whole.Cmp(halves) != 0 {
		t.Errorf("2 Mgas at once costs %v, in two halves %v", whole, halves)
	}
}

func TestSlashPolicy(t *testing.T) {
	s := SlashPolicy{Base: big.NewInt(100), MaxCostBps: 5_000, Cap: big.NewInt(1_000)}
	for _, tc := range []struct{ cost, want int64 }{{0, 100}, {1, 100}, {200, 200}, {1_800, 1_000}, {1 << 40, 1_000}} {
		if got := s.Amount(big.NewInt(tc.cost)); got.Int64() != tc.want {
			t.Errorf("Amount(%d) = %v, want %d", tc.cost, got, tc.want)
		}
	}
	if got := (SlashPolicy{Base: new(big.Int), MaxCostBps: 1, Cap: big.NewInt(5)}).Amount(big.NewInt(1)); got.Int64() != 1 {
		t.Errorf("a zero amount must round up to 1 wei, got %v", got)
	}
}

func TestSlots(t *testing.T) {
	h := newHarness(t, 0)
	res, err := h.eng.Slots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Current slot 101 (deadline long gone) is out; 102..127 (epochs 3 and 4 end at 159) except 105.
	if len(res.Slots) == 0 || res.Slots[0].Slot != headSlot+2 {
		t.Fatalf("first slot %+v, want %d", res.Slots, headSlot+2)
	}
	for _, s := range res.Slots {
		if s.Slot == headSlot+5 {
			t.Fatal("a slot that is not ours is listed")
		}
		if s.Committer != addr(h.committer) || s.Operator != operator || !strings.HasPrefix(s.Proposer, "0xaa") {
			t.Fatalf("slot info %+v", s)
		}
	}
	if last := res.Slots[len(res.Slots)-1].Slot; last != 159 {
		t.Fatalf("last listed slot %d, want 159 (end of the next epoch)", last)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	h := newHarness(t, 0)
	for _, tc := range []struct {
		name string
		mod  func(*Config)
	}{
		{"no chain", func(c *Config) { c.L1ChainID = 0 }},
		{"no slasher", func(c *Config) { c.Slasher = common.Address{} }},
		{"no operator", func(c *Config) { c.Operator = common.Address{} }},
		{"no gas budget", func(c *Config) { c.GasBudgetPerSlot = 0 }},
		{"deadline fraction above 1", func(c *Config) { c.DeadlineFraction = 1.5 }},
		{"slash cap missing", func(c *Config) { c.Slash.Cap = nil }},
		{"rollup on the L1 chain id", func(c *Config) { c.Rollups = map[uint64]Rollup{c.L1ChainID: {}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := h.cfg
			tc.mod(&cfg)
			if _, err := New(cfg, h.duties, h.state, h.collateral, h.store, NewKeySigner(h.committer), h.eng.log); err == nil {
				t.Fatal("New accepted a bad config")
			}
		})
	}
	if _, err := New(h.cfg, nil, h.state, h.collateral, h.store, NewKeySigner(h.committer), h.eng.log); err == nil {
		t.Fatal("New accepted nil duties")
	}
}

// failingState is a State whose account reads fail.
type failingState struct{ State }

func (failingState) Account(context.Context, common.Address) (chainstate.Account, error) {
	return chainstate.Account{}, chainstate.ErrUnavailable
}

func TestStateUnavailableIsWrapped(t *testing.T) {
	h := newHarness(t, 1)
	e, err := New(h.cfg, h.duties, failingState{h.state}, h.collateral, h.store, NewKeySigner(h.committer), h.eng.log, WithNow(h.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Request(context.Background(), h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{})))
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, chainstate.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable wrapping chainstate's", err)
	}
	var _ = store.ErrClosed
}

// setCodeTx is a type-4 tx from k carrying one authorization signed by auth.
func (h *harness) setCodeTx(k *ecdsa.PrivateKey, nonce uint64, auth *ecdsa.PrivateKey, authNonce uint64) []byte {
	h.t.Helper()
	a, err := types.SignSetCode(auth, types.SetCodeAuthorization{ChainID: *uint256.NewInt(h.chainID), Address: common.Address{0xde}, Nonce: authNonce})
	if err != nil {
		h.t.Fatal(err)
	}
	tx := types.MustSignNewTx(k, types.LatestSignerForChainID(new(big.Int).SetUint64(h.chainID)), &types.SetCodeTx{
		ChainID: uint256.NewInt(h.chainID), Nonce: nonce, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(100e9),
		Gas: 100_000, To: common.Address{0x42}, AuthList: []types.SetCodeAuthorization{a},
	})
	raw, err := tx.MarshalBinary()
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

// An EIP-7702 authorization bumps the authority's nonce and gives it code at
// the top of the block: it must not touch a sender with promises, and a
// sender it touches must get no promise while it is pending.
func TestSetCodeAuthorities(t *testing.T) {
	h := newHarness(t, 3)
	a, b, c := h.users[0], h.users[1], h.users[2]
	slot := uint64(headSlot + 2)
	h.mustAccept(h.l1(slot, h.tx(a, 0, txOpts{})))
	_, err := h.eng.Request(context.Background(), h.l1(slot, h.setCodeTx(b, 0, a, 1)))
	wantErr(t, err, ErrConflict)

	h.mustAccept(h.l1(slot, h.setCodeTx(b, 0, c, 0)))
	_, err = h.eng.Request(context.Background(), h.l1(slot+1, h.tx(c, 0, txOpts{})))
	wantErr(t, err, ErrSenderHasCode)
}
