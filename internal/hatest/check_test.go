package hatest

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/store/postgres"
)

// promised is one acknowledged promise: the first answer that carried it,
// and which sidecars answered it.
type promised struct {
	first    attempt
	sidecars [2]int // answers per sidecar
}

// acked gathers the acknowledged promises by request hash, in the order
// they were first answered.
func acked(all []attempt) ([]*promised, map[common.Hash]*promised) {
	by := map[common.Hash]*promised{}
	var order []*promised
	for _, a := range all {
		if a.Promise == nil {
			continue
		}
		p := by[a.RequestHash]
		if p == nil {
			p = &promised{first: a}
			by[a.RequestHash] = p
			order = append(order, p)
		}
		p.sidecars[a.Sidecar]++
	}
	return order, by
}

// checkAnswers: no two different transactions promised for one (chain,
// sender, nonce) across both sidecars' answers (equivocation), and every
// answer for one request is the same promise, byte for byte. Returns the
// equivocations found.
func checkAnswers(t *testing.T, all []attempt, chainID uint64) int {
	t.Helper()
	type nonceKey struct {
		sender common.Address
		nonce  uint64
	}
	txs := map[nonceKey]map[common.Hash]bool{}
	first := map[common.Hash]*attempt{}
	equivocations := 0
	for i := range all {
		a := &all[i]
		if a.Promise == nil {
			continue
		}
		p, err := a.Promise.Open(chainID)
		if err != nil {
			t.Errorf("promise %s from sidecar %s does not open: %v", a.RequestHash, sidecarNames[a.Sidecar], err)
			continue
		}
		if a.Promise.Commitment.RequestHash != a.RequestHash || len(p.Inclusions) != 1 || p.Inclusions[0].TxHash != a.TxHash || p.Slot != a.Slot {
			t.Errorf("sidecar %s answered request %s (tx %s, slot %d) with a promise for something else", sidecarNames[a.Sidecar], a.RequestHash, a.TxHash, a.Slot)
		}
		k := nonceKey{a.Sender, a.Nonce}
		if txs[k] == nil {
			txs[k] = map[common.Hash]bool{}
		}
		if txs[k][a.TxHash] = true; len(txs[k]) == 2 {
			equivocations++
			t.Errorf("EQUIVOCATION: sender %s nonce %d promised to two transactions (the second by sidecar %s, %s sender)", a.Sender, a.Nonce, sidecarNames[a.Sidecar], a.Kind)
		}
		if f := first[a.RequestHash]; f == nil {
			first[a.RequestHash] = a
		} else if !bytes.Equal(f.Promise.Signature, a.Promise.Signature) || !bytes.Equal(f.Promise.Commitment.Payload, a.Promise.Commitment.Payload) {
			t.Errorf("request %s answered with two different promises: by sidecar %s and by sidecar %s", a.RequestHash, sidecarNames[f.Sidecar], sidecarNames[a.Sidecar])
		}
	}
	return equivocations
}

// twinStats: the same request sent to both sidecars in one round gets the
// same promise from both, never a promise from one and a conflict from the
// other; rivals (two transactions for one nonce, one to each) get at most
// one promise (checked by checkAnswers) and are counted.
type twinStats struct {
	twinBoth, twinOne     int // twin rounds promised by both sidecars / by one, the other refusing in time
	rivalWon, rivalNone   int // rival rounds both answered: one promised / none
	rivalConflictRefusals int // the loser refused with -32018
}

func checkRounds(t *testing.T, all []attempt) twinStats {
	t.Helper()
	type roundKey struct {
		sender common.Address
		round  uint64
	}
	rounds := map[roundKey][]attempt{}
	for _, a := range all {
		if (a.Kind == twin || a.Kind == rival) && !a.Retry {
			k := roundKey{a.Sender, a.Round}
			rounds[k] = append(rounds[k], a)
		}
	}
	var st twinStats
	for _, r := range rounds {
		if len(r) != 2 || r[0].NoAnswer || r[1].NoAnswer {
			continue
		}
		x, y := r[0], r[1]
		if y.Promise != nil {
			x, y = y, x // x has the promise, if any
		}
		switch {
		case x.Kind == twin && x.Promise != nil && y.Promise != nil:
			st.twinBoth++
		case x.Kind == twin && x.Promise != nil:
			st.twinOne++
			if y.Code == codeConflict {
				t.Errorf("the same request %s: promised by sidecar %s, refused as a conflict by sidecar %s (%s)", x.RequestHash, sidecarNames[x.Sidecar], sidecarNames[y.Sidecar], y.Message)
			}
		case x.Kind == rival && x.Promise != nil:
			st.rivalWon++
			if y.Code == codeConflict {
				st.rivalConflictRefusals++
			}
		case x.Kind == rival:
			st.rivalNone++
		}
	}
	return st
}

// checkStored: every acknowledged promise is in PostgreSQL, byte for byte.
func checkStored(t *testing.T, dsn string, ps []*promised) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open the promise store to check it: %v", err)
	}
	defer st.Close()
	for _, p := range ps {
		rec, err := st.ByRequest(p.first.RequestHash)
		switch {
		case err != nil:
			t.Errorf("LOST: promise %s (slot %d, acknowledged by sidecar %s) not in PostgreSQL: %v", p.first.RequestHash, p.first.Slot, sidecarNames[p.first.Sidecar], err)
		case rec == nil:
			t.Errorf("LOST: promise %s (slot %d, acknowledged by sidecar %s) not in PostgreSQL", p.first.RequestHash, p.first.Slot, sidecarNames[p.first.Sidecar])
		case !bytes.Equal(rec.Commitment.Signature, p.first.Promise.Signature) || !bytes.Equal(rec.Commitment.Commitment.Payload, p.first.Promise.Commitment.Payload):
			t.Errorf("promise %s in PostgreSQL differs from the one acknowledged", p.first.RequestHash)
		}
	}
}

// checkServed: every acknowledged promise is served by commitmentResult from
// the sidecar at url, byte for byte.
func checkServed(t *testing.T, name, url string, ps []*promised) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, p := range ps {
		var got protocol.SignedCommitment
		if err := call(ctx, url, "commitmentResult", []any{p.first.RequestHash}, &got); err != nil {
			t.Errorf("LOST: sidecar %s does not serve promise %s (slot %d, acknowledged by sidecar %s): %v", name, p.first.RequestHash, p.first.Slot, sidecarNames[p.first.Sidecar], err)
			continue
		}
		if !bytes.Equal(got.Signature, p.first.Promise.Signature) || !bytes.Equal(got.Commitment.Payload, p.first.Promise.Commitment.Payload) {
			t.Errorf("sidecar %s serves promise %s changed", name, p.first.RequestHash)
		}
	}
}

// landing is what the chain did with the acknowledged promises.
type landing struct {
	exact, early int
	// broken are promises for a slot whose block did not come from the
	// builder endpoint while it was being failed over (the kill), or
	// stacked on such a promise's nonce; carried are those stacked ones
	// that landed anyway (the missed transaction carried forward).
	broken, carried int
	fallen          []uint64 // fallen slots with promises
}

// checkLanded judges every acknowledged promise on chain, exactly: it lands
// in its slot, unless its slot's block did not come from the builder
// endpoint and that slot's proposal began before the builder endpoint moved
// to the survivor (a slot proposed through the killed sidecar), or its
// sender had an earlier nonce promised for such a slot. Any other slot
// whose block did not come from the builder endpoint is a failure.
func checkLanded(t *testing.T, w *world, ps []*promised, lastFailoverSlot uint64) landing {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	records := map[uint64]devnet.SlotRecord{}
	for _, r := range w.net.Records() {
		records[r.Slot] = r
	}
	var out landing
	fallen := map[uint64]bool{}
	for _, p := range ps {
		s := p.first.Slot
		r, ok := records[s]
		if !ok {
			t.Fatalf("slot %d has no record: the devnet has not proposed it", s)
		}
		if r.Source == devnet.SourceRelay || fallen[s] {
			continue
		}
		if s > lastFailoverSlot {
			t.Errorf("slot %d (promises sold) was proposed after the failover but its block is %s: %s", s, r.Source, r.Reason)
		}
		fallen[s] = true
		out.fallen = append(out.fallen, s)
	}
	sort.Slice(out.fallen, func(i, j int) bool { return out.fallen[i] < out.fallen[j] })
	fallenFrom := map[common.Address]uint64{} // lowest nonce promised for a fallen slot
	for _, p := range ps {
		if fallen[p.first.Slot] {
			if n, ok := fallenFrom[p.first.Sender]; !ok || p.first.Nonce < n {
				fallenFrom[p.first.Sender] = p.first.Nonce
			}
		}
	}
	stacked := func(a attempt) bool {
		n, ok := fallenFrom[a.Sender]
		return ok && !fallen[a.Slot] && a.Nonce > n
	}
	genesis := uint64(w.net.GenesisTime().Unix())
	for _, p := range ps {
		a := p.first
		excused := fallen[a.Slot] || stacked(a)
		rcpt, err := w.el.TransactionReceipt(ctx, a.TxHash)
		if errors.Is(err, ethereum.NotFound) {
			if excused {
				out.broken++
				continue
			}
			t.Errorf("NOT LANDED: tx %s promised for slot %d (sender %s nonce %d, %s, acknowledged by sidecar %s; block of slot %d: %s)",
				a.TxHash, a.Slot, a.Sender, a.Nonce, a.Kind, sidecarNames[a.Sidecar], a.Slot, records[a.Slot].Source)
			continue
		}
		if err != nil {
			t.Fatalf("receipt of %s: %v", a.TxHash, err)
		}
		if rcpt.Status != types.ReceiptStatusSuccessful {
			t.Errorf("promised tx %s failed in block %s", a.TxHash, rcpt.BlockNumber)
		}
		head, err := w.el.HeaderByHash(ctx, rcpt.BlockHash)
		if err != nil {
			t.Fatal(err)
		}
		slot := (head.Time - genesis) / uint64(slotDuration/time.Second)
		switch {
		case slot == a.Slot:
			out.exact++
			if stacked(a) {
				out.carried++
			}
		case slot < a.Slot:
			out.early++
		case excused:
			out.broken++
		default:
			t.Errorf("LATE: tx %s promised for slot %d landed in slot %d", a.TxHash, a.Slot, slot)
		}
	}
	return out
}

// checkLedgers: every slot with acknowledged promises gets exactly one
// ledger in the Registry, opened by whichever sidecar, listing every one of
// them.
func checkLedgers(t *testing.T, w *world, ps []*promised) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reg, err := bindings.NewRegistry(w.k.Registry, w.el)
	if err != nil {
		t.Fatal(err)
	}
	grace, err := reg.LedgerGrace(&bind.CallOpts{Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	domain := protocol.Domain{ChainID: w.chainID.Uint64(), Slasher: w.k.Slasher}
	bySlot := map[uint64][]common.Hash{}
	for _, p := range ps {
		pr, err := p.first.Promise.Open(w.chainID.Uint64())
		if err != nil {
			t.Fatal(err)
		}
		bySlot[pr.Slot] = append(bySlot[pr.Slot], pr.Digest(domain))
	}
	slots := make([]uint64, 0, len(bySlot))
	for s := range bySlot {
		slots = append(slots, s)
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i] < slots[j] })
	for _, slot := range slots {
		digests := bySlot[slot]
		// The ledger may be opened until the grace is over.
		deadline := w.net.SlotStart(slot + grace + 2)
		for {
			lg, err := reg.LedgerOf(&bind.CallOpts{Context: ctx}, w.operator, slot)
			if err != nil {
				t.Fatal(err)
			}
			if lg.Count > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("slot %d (%d promises acknowledged) has no ledger after its grace", slot, len(digests))
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("waiting for the ledger of slot %d: %v", slot, ctx.Err())
			case <-time.After(250 * time.Millisecond):
			}
		}
		it, err := reg.FilterLedgerOpened(&bind.FilterOpts{Context: ctx}, []common.Address{w.operator}, []uint64{slot})
		if err != nil {
			t.Fatal(err)
		}
		var opened int
		var tree *protocol.Ledger
		for it.Next() {
			opened++
			if tree, err = protocol.DecodeLedger(it.Event.Leaves); err != nil {
				t.Errorf("slot %d: ledger leaves: %v", slot, err)
			}
		}
		if err := it.Close(); err != nil {
			t.Fatal(err)
		}
		if opened != 1 {
			t.Errorf("slot %d: %d LedgerOpened events, want 1", slot, opened)
			continue
		}
		for _, d := range digests {
			if tree == nil {
				break
			}
			if _, ok := tree.Find(d); !ok {
				t.Errorf("LOST: slot %d: acknowledged promise %s is not in the ledger of %d leaves", slot, d, len(tree.Leaves))
			}
		}
	}
	return len(slots)
}
