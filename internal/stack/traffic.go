package stack

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Traffic per slot.
const (
	l1PerSlot = 4
	// reuseAfter is how many slots a sender rests after a promise: by then
	// its transaction has landed (or its slot was judged), so the nonce the
	// chain reports is the one to use.
	reuseAfter = 5
)

// sink receives the generator's transfers.
var sink = common.HexToAddress("0x000000000000000000000000000000000000dEaD")

// generator sends the traffic: a few L1 transfers per slot through the user
// API, and one L2 transfer per offered rollup through its node.
type generator struct {
	s      *Stack
	user   *rpc.Client
	l2     map[uint64]*ethclient.Client
	l1Used map[int]uint64 // sender → slot of its last L1 promise
	l2Used map[int]uint64 // sender → slot of its last L2 promise
	// retired senders had a promise in the faulty slot: their broken
	// promise may still count in the sidecar's nonce stacking.
	retired map[int]bool
	noL2    map[uint64]bool // rollups already reported as not offered
}

func (s *Stack) runTraffic(ctx context.Context) error {
	user, err := dialRPC(ctx, s.userURL)
	if err != nil {
		return err
	}
	defer user.Close()
	g := &generator{
		s: s, user: user, l2: map[uint64]*ethclient.Client{},
		l1Used: map[int]uint64{}, l2Used: map[int]uint64{}, retired: map[int]bool{}, noL2: map[uint64]bool{},
	}
	for _, n := range s.rollups {
		c, err := ethclient.DialContext(ctx, n.URL())
		if err != nil {
			return fmt.Errorf("dial rollup %d: %w", n.ChainID(), err)
		}
		defer c.Close()
		g.l2[n.ChainID()] = c
	}
	for slot := s.firstSlot; s.lastSlot == 0 || slot <= s.lastSlot; slot++ {
		// Ask early in the slot before: the deadline is two thirds into it.
		if !sleepUntil(ctx, s.net.SlotStart(slot-1).Add(50*time.Millisecond)) {
			return nil
		}
		if s.wallSlot() >= slot {
			continue // fell behind: this slot's deadline has passed
		}
		g.sendSlot(ctx, slot)
	}
	return nil
}

// sleepUntil waits for t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// sendSlot requests the slot's promises; refusals are printed and counted.
func (g *generator) sendSlot(ctx context.Context, slot uint64) {
	s := g.s
	cctx, cancel := context.WithTimeout(ctx, s.cfg.SlotDuration/2)
	defer cancel()
	var slots protocol.SlotInfoResponse
	if err := g.user.CallContext(cctx, &slots, "slots"); err != nil {
		s.out.linef("traffic  slot %d: slots: %v", slot, err)
		return
	}
	i := slices.IndexFunc(slots.Slots, func(si protocol.SlotInfo) bool { return si.Slot == slot })
	if i < 0 {
		s.out.linef("traffic  slot %d: not offered by the sidecar (its proposer is not ours, or the sidecar is not ready)", slot)
		return
	}
	offer := slots.Slots[i]
	for range l1PerSlot {
		idx, ok := g.pick(g.l1Used, slot)
		if !ok {
			break
		}
		if err := g.sendL1(cctx, slot, idx); err != nil {
			s.track.refuse(slot)
			s.out.linef("traffic  slot %d: L1 request refused: %v", slot, err)
		}
	}
	for _, n := range s.rollups {
		chain := n.ChainID()
		if !offers(offer.Offerings, chain, protocol.TypeL2Inclusion) {
			if !g.noL2[chain] {
				g.noL2[chain] = true
				s.out.linef("traffic  rollup %d: the sidecar does not offer L2 inclusion for it; no L2 traffic", chain)
			}
			continue
		}
		s.track.offer(chain)
		idx, ok := g.pick(g.l2Used, slot)
		if !ok {
			continue
		}
		if err := g.sendL2(cctx, slot, idx, chain); err != nil {
			s.track.refuse(slot)
			s.out.linef("traffic  slot %d: L2 request to rollup %d refused: %v", slot, chain, err)
		}
	}
}

// offers reports whether offerings sell commitment type typ for chain.
func offers(offerings []protocol.Offering, chain, typ uint64) bool {
	for _, o := range offerings {
		if o.ChainID == chain && slices.Contains(o.CommitmentTypes, typ) {
			return true
		}
	}
	return false
}

// pick returns a sender rested since its last promise, marking it used.
func (g *generator) pick(used map[int]uint64, slot uint64) (int, bool) {
	for i := range g.s.senders {
		last, ok := used[i]
		if g.retired[i] || (ok && last+reuseAfter > slot) {
			continue
		}
		used[i] = slot
		if slot == g.s.faulty {
			g.retired[i] = true
		}
		return i, true
	}
	return 0, false
}

var (
	l1Tip    = big.NewInt(2e9)
	l1FeeCap = big.NewInt(50e9)
	l2Tip    = big.NewInt(1e9)
	l2FeeCap = big.NewInt(3e9)
	value    = big.NewInt(1e15)
)

func transfer(key *ecdsa.PrivateKey, chainID *big.Int, nonce uint64, tip, feeCap *big.Int) ([]byte, *types.Transaction, error) {
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21_000, To: &sink, Value: value,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sign: %w", err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, nil, fmt.Errorf("encode: %w", err)
	}
	return raw, tx, nil
}

func (g *generator) sendL1(ctx context.Context, slot uint64, idx int) error {
	s := g.s
	key := s.senders[idx]
	nonce, err := s.el.NonceAt(ctx, crypto.PubkeyToAddress(key.PublicKey), nil)
	if err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	raw, tx, err := transfer(key, s.chainID, nonce, l1Tip, l1FeeCap)
	if err != nil {
		return err
	}
	payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, slot, [][]byte{raw})
	if err != nil {
		return err
	}
	var sc protocol.SignedCommitment
	req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: s.contracts.Slasher}
	if err := g.user.CallContext(ctx, &sc, "commitmentRequest", req); err != nil {
		return err
	}
	return g.keep(ctx, slot, s.chainID.Uint64(), false, tx.Hash(), &sc)
}

// sendL2 sends a signed L2 transfer to the rollup node as a wallet would
// (eth_sendRawTransaction), which asks the sidecar for the promise; the
// promise itself is then read back from the sidecar by its request hash.
func (g *generator) sendL2(ctx context.Context, slot uint64, idx int, chain uint64) error {
	s := g.s
	key := s.senders[idx]
	c := g.l2[chain]
	nonce, err := c.PendingNonceAt(ctx, crypto.PubkeyToAddress(key.PublicKey))
	if err != nil {
		return fmt.Errorf("L2 nonce: %w", err)
	}
	_, tx, err := transfer(key, new(big.Int).SetUint64(chain), nonce, l2Tip, l2FeeCap)
	if err != nil {
		return err
	}
	if err := c.SendTransaction(ctx, tx); err != nil {
		return err
	}
	// The node asks for the earliest slot on offer, which is this one; the
	// next ones are looked at in case the clock moved meanwhile.
	for cand := slot; cand < slot+3; cand++ {
		raw, err := tx.MarshalBinary()
		if err != nil {
			return err
		}
		payload, err := protocol.EncodeRequestPayload(protocol.TypeL2Inclusion, cand, [][]byte{raw})
		if err != nil {
			return err
		}
		req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL2Inclusion, Payload: payload, Slasher: s.contracts.Slasher}
		h := req.RequestHash()
		var sc protocol.SignedCommitment
		if err := g.user.CallContext(ctx, &sc, "commitmentResult", h); err != nil {
			continue
		}
		return g.keep(ctx, cand, chain, true, tx.Hash(), &sc)
	}
	return errors.New("the rollup node took the tx, but the sidecar has no promise for it")
}

// keep records a promise and hands it to the watcher.
func (g *generator) keep(ctx context.Context, slot, chain uint64, l2 bool, txHash common.Hash, sc *protocol.SignedCommitment) error {
	s := g.s
	p, err := sc.Open(s.chainID.Uint64())
	if err != nil {
		return fmt.Errorf("the promise does not open: %w", err)
	}
	if p.Slot != slot {
		return fmt.Errorf("promised for slot %d, asked for %d", p.Slot, slot)
	}
	d := p.Digest(protocol.Domain{ChainID: s.chainID.Uint64(), Slasher: s.contracts.Slasher})
	s.track.add(&Promise{Slot: slot, ChainID: chain, L2: l2, TxHash: txHash, Digest: d, Commitment: sc})
	if _, _, err := s.watcher.Add(ctx, sc); err != nil {
		s.out.linef("traffic  slot %d: the watcher refused promise %s: %v", slot, short(d), err)
	}
	return nil
}

// short abbreviates a hash for a slot line.
func short(h common.Hash) string { return h.Hex()[:10] + "…" }
