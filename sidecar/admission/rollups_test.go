package admission

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// l2tx signs a transfer on rollup chain.
func (h *harness) l2tx(k *ecdsa.PrivateKey, chain, nonce uint64, o txOpts) []byte {
	h.t.Helper()
	o.chainID = new(big.Int).SetUint64(chain)
	return h.tx(k, nonce, o)
}

// l2req is a type-2 request for one L2 tx.
func (h *harness) l2req(slot uint64, raw []byte) protocol.CommitmentRequest {
	return h.req(protocol.TypeL2Inclusion, slot, raw)
}

// assertNothingReserved fails unless slot holds no promise, no batch and no
// stored record, and no exposure is counted.
func (h *harness) assertNothingReserved(slot uint64) {
	h.t.Helper()
	if tpl := h.eng.Template(slot); len(tpl) != 0 {
		h.t.Fatalf("slot %d template holds %d promises", slot, len(tpl))
	}
	if b := h.eng.Batches(slot); len(b) != 0 {
		h.t.Fatalf("slot %d has batches %v", slot, b)
	}
	if recs := h.stored(); len(recs) != 0 {
		h.t.Fatalf("%d promises stored", len(recs))
	}
	h.eng.mu.Lock()
	defer h.eng.mu.Unlock()
	if h.eng.exposure.Sign() != 0 {
		h.t.Fatalf("exposure %v counted", h.eng.exposure)
	}
	for k, l := range h.eng.live {
		if len(l) > 0 {
			h.t.Fatalf("live txs left for %v", k)
		}
	}
	if t := h.eng.templates[slot]; t != nil && (t.gas != 0 || len(t.l2) != 0) {
		h.t.Fatalf("slot %d room still reserved: gas %d, l2 %v", slot, t.gas, t.l2)
	}
}

func TestL2Rejections(t *testing.T) {
	slot := uint64(headSlot + 2)
	badSig := func(h *harness) []byte {
		tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(rollupA), GasTipCap: gwei,
			GasFeeCap: new(big.Int).Mul(big.NewInt(100), gwei), Gas: 21000, To: &common.Address{1}, Value: big.NewInt(1)})
		sig := make([]byte, 65)
		sig[63] = 1 // r = 0: no curve point, no sender
		tx, err := tx.WithSignature(types.LatestSignerForChainID(big.NewInt(rollupA)), sig)
		if err != nil {
			h.t.Fatal(err)
		}
		raw, err := tx.MarshalBinary()
		if err != nil {
			h.t.Fatal(err)
		}
		return raw
	}
	for _, tc := range []struct {
		name    string
		setup   func(h *harness)
		req     func(h *harness) protocol.CommitmentRequest
		want    error
		wantMsg string
	}{
		{name: "L2 inclusion of an L1 tx", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.tx(h.users[0], 0, txOpts{}))
		}, want: protocol.ErrWrongChain},
		{name: "L1 inclusion of an L2 tx", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.l2tx(h.users[0], rollupA, 0, txOpts{}))
		}, want: protocol.ErrWrongChain},
		{name: "unknown rollup", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], 999, 0, txOpts{}))
		}, want: ErrUnknownRollup, wantMsg: "999"},
		{name: "bad signature", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, badSig(h))
		}, want: protocol.ErrTxSignature},
		{name: "nonce gap", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], rollupA, 1, txOpts{}))
		}, want: ErrNonce, wantMsg: "want 0"},
		{name: "nonce already used on the rollup", setup: func(h *harness) {
			h.l2[rollupA].set(addr(h.users[0]), 5, ether)
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], rollupA, 4, txOpts{}))
		}, want: ErrNonce, wantMsg: "want 5"},
		{name: "balance on the rollup", setup: func(h *harness) {
			h.l2[rollupB].set(addr(h.users[0]), 0, big.NewInt(1000))
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], rollupB, 0, txOpts{}))
		}, want: ErrBalance, wantMsg: "chain 888"},
		{name: "oversized tx", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, append([]byte{0x02}, make([]byte, protocol.MaxTxSize)...))
		}, want: protocol.ErrTxTooLarge},
		{name: "over the rollup's byte budget", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2txData(h.users[0], rollupA, 0, 33<<10))
		}, want: ErrSlotFull, wantMsg: "bytes asked"},
		{name: "over the rollup's gas budget", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], rollupA, 0, txOpts{gas: 5_000_001}))
		}, want: ErrSlotFull, wantMsg: "L2 gas asked"},
		{name: "underpriced for the rollup", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], rollupA, 0, txOpts{tip: big.NewInt(1)}))
		}, want: ErrUnderpriced, wantMsg: "rollup 777"},
		{name: "rollup RPC down", setup: func(h *harness) {
			h.l2[rollupA].err = chainstate.ErrUnavailable
		}, req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(slot, h.l2tx(h.users[0], rollupA, 0, txOpts{}))
		}, want: ErrUnavailable, wantMsg: "rollup 777"},
		{name: "L1 tx from the batch poster", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.posterKey, 0, txOpts{}))
		}, want: ErrConflict, wantMsg: "batch poster"},
		{name: "L1 tx from the committer", req: func(h *harness) protocol.CommitmentRequest {
			return h.l1(slot, h.tx(h.committer, 0, txOpts{}))
		}, want: ErrConflict, wantMsg: "slot ledgers use"},
		{name: "slot not ours", req: func(h *harness) protocol.CommitmentRequest {
			return h.l2req(headSlot+5, h.l2tx(h.users[0], rollupA, 0, txOpts{}))
		}, want: ErrSlotNotOffered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 1, withPoster())
			if tc.setup != nil {
				tc.setup(h)
			}
			_, err := h.eng.Request(context.Background(), tc.req(h))
			wantErr(t, err, tc.want)
			if tc.wantMsg != "" && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tc.wantMsg)
			}
			h.assertNothingReserved(slot)
		})
	}
}

// l2txData signs an L2 call carrying size bytes of call data.
func (h *harness) l2txData(k *ecdsa.PrivateKey, chain, nonce uint64, size int) []byte {
	h.t.Helper()
	data := bytes.Repeat([]byte{0xab}, size)
	to := common.Address{0x42}
	tx := types.MustSignNewTx(k, types.LatestSignerForChainID(new(big.Int).SetUint64(chain)), &types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(chain), Nonce: nonce, GasTipCap: gwei, GasFeeCap: new(big.Int).Mul(big.NewInt(100), gwei),
		Gas: 1_000_000, To: &to, Data: data,
	})
	raw, err := tx.MarshalBinary()
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

func TestL2PromisesStackNonces(t *testing.T) {
	h := newHarness(t, 1, withPoster())
	u := h.users[0]
	ctx := context.Background()
	s := uint64(headSlot + 2)
	// Each L2 tx costs 100 gwei × 21,000 + 1 wei; the account can pay for two.
	one := new(big.Int).Add(new(big.Int).Mul(big.NewInt(100*21000), gwei), big.NewInt(1))
	h.l2[rollupA].set(addr(u), 0, new(big.Int).Mul(one, big.NewInt(2)))

	sc := h.mustAccept(h.l2req(s, h.l2tx(u, rollupA, 0, txOpts{})))
	p, err := sc.Open(h.chainID)
	if err != nil {
		t.Fatal(err)
	}
	if p.CommitmentType != protocol.TypeL2Inclusion || p.Inclusions[0].ChainID != rollupA || p.Inclusions[0].Sender != addr(u) {
		t.Fatalf("L2 promise %+v", p)
	}
	// The next nonce stacks on the promised one, across slots too.
	h.mustAccept(h.l2req(s+1, h.l2tx(u, rollupA, 1, txOpts{})))
	_, err = h.eng.Request(ctx, h.l2req(s+1, h.l2tx(u, rollupA, 2, txOpts{})))
	wantErr(t, err, ErrBalance)
	// Another tx for a promised nonce is equivocation.
	_, err = h.eng.Request(ctx, h.l2req(s, h.l2tx(u, rollupA, 1, txOpts{value: big.NewInt(5)})))
	wantErr(t, err, ErrConflict)
	// The same address has separate nonces on L1 and on the other rollup.
	h.mustAccept(h.l1(s, h.tx(u, 0, txOpts{})))
	h.mustAccept(h.l2req(s, h.l2tx(u, rollupB, 0, txOpts{})))
	_, err = h.eng.Request(ctx, h.l2req(s, h.l2tx(u, rollupB, 2, txOpts{})))
	wantErr(t, err, ErrNonce)

	// The batches: the rollups in order of first promise, txs in promise order.
	b := h.eng.Batches(s)
	if len(b) != 2 || b[0].ChainID != rollupA || len(b[0].Txs) != 1 || b[1].ChainID != rollupB || len(b[1].Txs) != 1 {
		t.Fatalf("batches of slot %d: %+v", s, b)
	}
	if l1 := h.eng.L1Txs(s); len(l1) != 1 {
		t.Fatalf("L1 txs of slot %d: %d, want 1", s, len(l1))
	}
}

func TestBundleAcrossRollupsAndL1(t *testing.T) {
	h := newHarness(t, 3, withPoster())
	a, b, c := h.users[0], h.users[1], h.users[2]
	s := uint64(headSlot + 2)
	l1 := h.tx(a, 0, txOpts{})
	ra := h.l2tx(b, rollupA, 0, txOpts{})
	rb := h.l2tx(c, rollupB, 0, txOpts{})
	ra2 := h.l2tx(b, rollupA, 1, txOpts{})
	sc := h.mustAccept(h.req(protocol.TypeBundle, s, ra, l1, rb, ra2))
	p, err := sc.Open(h.chainID)
	if err != nil {
		t.Fatal(err)
	}
	chains := []uint64{rollupA, simChainID, rollupB, rollupA}
	for i, inc := range p.Inclusions {
		if inc.ChainID != chains[i] {
			t.Fatalf("inclusion %d on chain %d, want %d", i, inc.ChainID, chains[i])
		}
	}
	tpl := h.eng.Template(s)
	if len(tpl) != 1 || len(tpl[0].Txs) != 4 {
		t.Fatalf("template %+v, want one promise of four txs", tpl)
	}
	want := []rollup.Batch{{ChainID: rollupA, Txs: [][]byte{ra, ra2}}, {ChainID: rollupB, Txs: [][]byte{rb}}}
	if got := h.eng.Batches(s); !sameBatches(got, want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	txs, err := h.eng.SlotTxs(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) != 2 || !bytes.Equal(txs[1], l1) {
		t.Fatalf("slot txs: %d, want the post then the L1 tx", len(txs))
	}
	post := decodeTx(t, txs[0])
	if *post.To() != h.inbox || post.Nonce() != 0 {
		t.Fatalf("post to %s nonce %d", post.To(), post.Nonce())
	}
	got, err := rollup.DecodePost(postArg(t, post.Data()))
	if err != nil || !sameBatches(got, want) {
		t.Fatalf("post data decodes to %v (%v), want %v", got, err, want)
	}
	// Asked again (the fallback block after the constraints), the same post.
	again := h.eng.TopOfBlock(s)
	if len(again) != 2 || !bytes.Equal(again[0], txs[0]) {
		t.Fatal("the batch post changed between two calls")
	}
}

func TestBundleWithOneInvalidPartReservesNothing(t *testing.T) {
	s := uint64(headSlot + 2)
	for _, tc := range []struct {
		name string
		bad  func(h *harness) []byte
		want error
	}{
		{"L2 nonce gap on the second rollup", func(h *harness) []byte { return h.l2tx(h.users[2], rollupB, 3, txOpts{}) }, ErrNonce},
		{"unknown rollup", func(h *harness) []byte { return h.l2tx(h.users[2], 999, 0, txOpts{}) }, ErrUnknownRollup},
		{"L1 part below the base fee", func(h *harness) []byte { return h.tx(h.users[2], 0, txOpts{feeCap: big.NewInt(1), tip: big.NewInt(1)}) }, ErrFeeBelowBase},
		{"L2 part over the byte budget", func(h *harness) []byte { return h.l2txData(h.users[2], rollupB, 0, 33<<10) }, ErrSlotFull},
		{"L2 part unaffordable", func(h *harness) []byte {
			h.l2[rollupB].set(addr(h.users[2]), 0, big.NewInt(1))
			return h.l2tx(h.users[2], rollupB, 0, txOpts{})
		}, ErrBalance},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 3, withPoster())
			a, b := h.users[0], h.users[1]
			l1 := h.tx(a, 0, txOpts{})
			ra := h.l2tx(b, rollupA, 0, txOpts{})
			_, err := h.eng.Request(context.Background(), h.req(protocol.TypeBundle, s, l1, ra, tc.bad(h)))
			wantErr(t, err, tc.want)
			h.assertNothingReserved(s)
			// Nothing was taken: the valid parts are still free to promise.
			h.mustAccept(h.l1(s, l1))
			h.mustAccept(h.l2req(s, ra))
		})
	}
}

// The post reserves L1 gas: an L1 budget that fits an L1 tx or a post, not
// both, refuses the second whichever comes first.
func TestPostGasReservedInL1Budget(t *testing.T) {
	h := newHarness(t, 2, withPoster(), withConfig(func(c *Config) { c.GasBudgetPerSlot = 90_000 }))
	s := uint64(headSlot + 2)
	ra := h.l2tx(h.users[0], rollupA, 0, txOpts{})
	postGas := rollup.ShapeGas(rollup.ShapeOf([]rollup.Batch{{ChainID: rollupA, Txs: [][]byte{ra}}}))
	if postGas+21_000 <= 90_000 || postGas > 90_000 {
		t.Fatalf("test premise: post bound %d must fit 90,000 alone and not with 21,000", postGas)
	}
	h.mustAccept(h.l2req(s, ra))
	_, err := h.eng.Request(context.Background(), h.l1(s, h.tx(h.users[1], 0, txOpts{})))
	wantErr(t, err, ErrSlotFull)
	if !strings.Contains(err.Error(), "batch post") {
		t.Fatalf("error %q does not name the batch post", err)
	}
	h.mustAccept(h.l1(s+1, h.tx(h.users[1], 0, txOpts{})))
	_, err = h.eng.Request(context.Background(), h.l2req(s+1, h.l2tx(h.users[0], rollupA, 1, txOpts{})))
	wantErr(t, err, ErrSlotFull)
}

// A bundle whose L1 part the user made impossible leaves the L1 template,
// but its L2 txs are still posted: that is always possible, and all their
// promise asks.
func TestDroppedBundleKeepsItsL2Txs(t *testing.T) {
	h := newHarness(t, 2, withPoster())
	a, b := h.users[0], h.users[1]
	s := uint64(headSlot + 3)
	ra := h.l2tx(b, rollupA, 0, txOpts{})
	sc := h.mustAccept(h.req(protocol.TypeBundle, s, h.tx(a, 0, txOpts{}), ra))
	h.sendOnChain(h.tx(a, 0, txOpts{value: big.NewInt(77)}))
	if err := h.eng.OnHead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, dropped := h.eng.DroppedReason(sc.Commitment.RequestHash); !dropped {
		t.Fatal("the bundle's spent L1 nonce did not drop it")
	}
	if len(h.eng.Template(s)) != 0 || len(h.eng.L1Txs(s)) != 0 {
		t.Fatal("the dropped bundle's L1 tx is still in the template")
	}
	b2 := h.eng.Batches(s)
	if len(b2) != 1 || len(b2[0].Txs) != 1 || !bytes.Equal(b2[0].Txs[0], ra) {
		t.Fatalf("batches after the drop: %v, want the bundle's L2 tx", b2)
	}
}

func TestRestartReloadsL2Promises(t *testing.T) {
	h := newHarness(t, 2, withPoster())
	a, b := h.users[0], h.users[1]
	s := uint64(headSlot + 2)
	h.mustAccept(h.l2req(s, h.l2tx(a, rollupA, 0, txOpts{})))
	h.mustAccept(h.req(protocol.TypeBundle, s, h.l2tx(b, rollupB, 0, txOpts{}), h.tx(b, 0, txOpts{}), h.l2tx(a, rollupA, 1, txOpts{})))
	before := h.eng.Batches(s)
	beforeTxs, err := h.eng.SlotTxs(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	exposure := new(big.Int).Set(h.eng.exposure)

	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	h.openStore()
	h.eng = h.newEngine()
	if err := h.eng.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.eng.Batches(s); !sameBatches(got, before) {
		t.Fatalf("batches after restart %v, want %v", got, before)
	}
	if h.eng.exposure.Cmp(exposure) != 0 {
		t.Fatalf("exposure after restart %v, want %v", h.eng.exposure, exposure)
	}
	// The same poster (same key, same nonce) signs the same post again.
	afterTxs, err := h.eng.SlotTxs(context.Background(), s)
	if err != nil || len(afterTxs) != len(beforeTxs) || !bytes.Equal(afterTxs[0], beforeTxs[0]) {
		t.Fatalf("slot txs after restart differ (%v)", err)
	}
	// L2 nonce stacking and conflicts survive the restart.
	_, err = h.eng.Request(context.Background(), h.l2req(s, h.l2tx(a, rollupA, 1, txOpts{value: big.NewInt(3)})))
	wantErr(t, err, ErrConflict)
	h.mustAccept(h.l2req(s+1, h.l2tx(a, rollupA, 2, txOpts{})))
	h.mustAccept(h.l2req(s+1, h.l2tx(b, rollupB, 1, txOpts{})))
}

func TestSlotsOfferRollups(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []harnessOpt
		chains []uint64
	}{
		{"without a poster, L1 only", nil, []uint64{simChainID}},
		{"with a poster, every rollup", []harnessOpt{withPoster()}, []uint64{simChainID, rollupA, rollupB}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 0, tc.opts...)
			res, err := h.eng.Slots(context.Background())
			if err != nil || len(res.Slots) == 0 {
				t.Fatalf("slots: %v", err)
			}
			offs := res.Slots[0].Offerings
			if len(offs) != len(tc.chains) {
				t.Fatalf("offerings %+v, want chains %v", offs, tc.chains)
			}
			for i, o := range offs {
				want := []uint64{protocol.TypeL2Inclusion, protocol.TypeBundle}
				if i == 0 {
					want = []uint64{protocol.TypeL1Inclusion, protocol.TypeBundle}
				}
				if o.ChainID != tc.chains[i] || len(o.CommitmentTypes) != 2 || o.CommitmentTypes[0] != want[0] || o.CommitmentTypes[1] != want[1] {
					t.Fatalf("offering %d: %+v", i, o)
				}
			}
		})
	}
}

func TestL2Quote(t *testing.T) {
	h := newHarness(t, 1, withPoster())
	s := uint64(headSlot + 2)
	h.mustAccept(h.l2req(s, h.l2tx(h.users[0], rollupA, 0, txOpts{})))
	q, err := h.eng.Quote(context.Background(), h.l2req(s, h.l2tx(h.users[0], rollupA, 1, txOpts{})))
	if err != nil {
		t.Fatal(err)
	}
	if q.MinPriorityFeePerGas.Cmp(h.cfg.Rollups[rollupA].Pricing.MinPriorityFee) != 0 || q.ProjectedBaseFeePerGas.Sign() != 0 ||
		q.GasRemaining != 5_000_000-21_000 {
		t.Fatalf("L2 quote %+v", q)
	}
}

func TestRollupConfigRefused(t *testing.T) {
	h := newHarness(t, 0)
	for _, tc := range []struct {
		name string
		mod  func(r *Rollup)
	}{
		{"no state reader", func(r *Rollup) { r.State = nil }},
		{"no inbox", func(r *Rollup) { r.Inbox = common.Address{} }},
		{"another inbox", func(r *Rollup) { r.Inbox = common.Address{7} }},
		{"no gas budget", func(r *Rollup) { r.GasBudgetPerSlot = 0 }},
		{"no byte budget", func(r *Rollup) { r.BytesPerSlot = 0 }},
		{"byte budget above one post", func(r *Rollup) { r.BytesPerSlot = rollup.MaxPostData + 1 }},
		{"negative price", func(r *Rollup) { r.Pricing.MinPriorityFee = big.NewInt(-1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := h.cfg
			cfg.Rollups = map[uint64]Rollup{rollupA: h.cfg.Rollups[rollupA], rollupB: h.cfg.Rollups[rollupB]}
			r := cfg.Rollups[rollupB]
			tc.mod(&r)
			cfg.Rollups[rollupB] = r
			_, err := New(cfg, h.duties, h.state, h.collateral, h.store, NewKeySigner(h.committer), h.eng.log)
			if err == nil || !strings.Contains(err.Error(), "rollup 888") {
				t.Fatalf("New: %v, want an error naming rollup 888", err)
			}
		})
	}
	// A poster for another inbox than the rollups' is refused too.
	p, err := rollup.NewPoster(rollup.PosterConfig{L1ChainID: simChainID, Inbox: common.Address{9}}, h.posterKey, h.client, h.state, h.duties, h.eng.log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(h.cfg, h.duties, h.state, h.collateral, h.store, NewKeySigner(h.committer), h.eng.log, WithPoster(p)); err == nil {
		t.Fatal("New accepted a poster for another inbox")
	}
}

// The batch post decodes in the Inbox as the sidecar encoded it: with the
// Inbox deployed on a simulated L1 with Prague rules (internal/chaintest),
// the post signed by the poster lands, and each rollup's record is the
// accumulator of its promised txs in promise order.
func TestBatchPostLandsInInbox(t *testing.T) {
	ctx := context.Background()
	l1 := chaintest.New(t, 2)
	k := l1.Deploy(chaintest.DefaultParams())
	posterKey := mustKey(t)
	l1.Fund(0, addr(posterKey), new(big.Int).Mul(big.NewInt(1000), ether))
	fees, err := chainstate.New(l1.Client, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fees.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// The poster's clock puts the L1 head in the harness's head slot, so it
	// prices the post two blocks ahead, as it would for slot headSlot+2.
	headTime := time.Unix(int64(l1.Head().Time), 0)
	clock := &fakeDuties{clock: duties.Clock{Genesis: headTime.Add(-headSlot*time.Second - time.Second/2), SlotDuration: time.Second, SlotsPerEpoch: 32}}
	poster, err := rollup.NewPoster(rollup.PosterConfig{L1ChainID: l1.ChainID.Uint64(), Inbox: k.InboxAddr}, posterKey, l1.Client, fees, clock, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, 3, withInboxPoster(k.InboxAddr, poster))

	s := uint64(headSlot + 2)
	a, b, c := h.users[0], h.users[1], h.users[2]
	promised := map[uint64][][]byte{}
	add := func(chain uint64, raw []byte) { promised[chain] = append(promised[chain], raw) }
	x0 := h.l2tx(a, rollupA, 0, txOpts{})
	h.mustAccept(h.l2req(s, x0))
	add(rollupA, x0)
	y0, x1, z0 := h.l2tx(b, rollupB, 0, txOpts{}), h.l2tx(a, rollupA, 1, txOpts{}), h.l2txData(c, rollupB, 0, 700)
	h.mustAccept(h.req(protocol.TypeBundle, s, y0, x1, h.tx(c, 0, txOpts{}), z0))
	add(rollupB, y0)
	add(rollupA, x1)
	add(rollupB, z0)

	txs, err := h.eng.SlotTxs(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) != 2 {
		t.Fatalf("slot txs: %d, want the post and one L1 tx", len(txs))
	}
	post := decodeTx(t, txs[0])
	l1.Send(post)
	rcpt := l1.Mine(post, nil)
	if rcpt.GasUsed > post.Gas() || post.Gas() > rcpt.GasUsed*11/10 {
		t.Fatalf("gas used %d, limit %d: the bound must cover it within 10%%", rcpt.GasUsed, post.Gas())
	}
	hdr, err := l1.Client.HeaderByNumber(ctx, rcpt.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	inboxSlot := (hdr.Time - l1.GenesisTime) / chaintest.SecondsPerSlot
	for _, chain := range []uint64{rollupA, rollupB} {
		rec, err := k.Inbox.BatchOf(&bind.CallOpts{Context: ctx}, chain, inboxSlot, addr(posterKey))
		if err != nil {
			t.Fatal(err)
		}
		hashes := make([]common.Hash, len(promised[chain]))
		for i, raw := range promised[chain] {
			hashes[i] = decodeTx(t, raw).Hash()
		}
		if want := rollup.AccumulateHashes(common.Hash{}, hashes...); rec.Acc != want || int(rec.Count) != len(hashes) {
			t.Fatalf("rollup %d record: acc %s count %d, want %s %d", chain, common.Hash(rec.Acc), rec.Count, want, len(hashes))
		}
	}
}

func decodeTx(t *testing.T, raw []byte) *types.Transaction {
	t.Helper()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		t.Fatal(err)
	}
	return tx
}

// postArg returns the bytes argument of Inbox.post call data.
func postArg(t *testing.T, calldata []byte) []byte {
	t.Helper()
	if len(calldata) < 68 || !bytes.Equal(calldata[:4], crypto.Keccak256([]byte("post(bytes)"))[:4]) {
		t.Fatalf("call data is not Inbox.post")
	}
	n := binary.BigEndian.Uint64(calldata[4+32+24 : 4+64])
	if uint64(len(calldata)) < 68+n {
		t.Fatal("call data truncated")
	}
	return calldata[68 : 68+n]
}

func sameBatches(a, b []rollup.Batch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ChainID != b[i].ChainID || len(a[i].Txs) != len(b[i].Txs) {
			return false
		}
		for j := range a[i].Txs {
			if !bytes.Equal(a[i].Txs[j], b[i].Txs[j]) {
				return false
			}
		}
	}
	return true
}
