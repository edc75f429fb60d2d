package ledger_test

import (
	"testing"

	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The largest slot admission sells (admission.MaxPromisesPerSlot promises)
// has its ledger opened by one transaction that execution clients' pools
// take (128 KiB) and that fits the EIP-7825 per-transaction gas cap; the
// log gives the cost of smaller ledgers beside it.
func TestLargestLedgerFitsOneTransaction(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	l := w.component(w.config(), nil, nil)
	sizes := []int{1, 10, 100, admission.MaxPromisesPerSlot}
	first := w.c.Slot() + 1
	for i, n := range sizes {
		w.promises.sell(t, first+uint64(i), n, milliEther)
	}
	last := first + uint64(len(sizes)-1)
	w.until(l, 16, "every ledger open", func() bool { return w.ledgerOf(last).Exists() && w.ledgerOf(first).Exists() })
	w.step(l)
	for i, n := range sizes {
		h, ok := l.Opened(first + uint64(i))
		if !ok {
			t.Fatalf("slot %d: no transaction recorded", first+uint64(i))
		}
		tx, _, err := w.c.Client.TransactionByHash(t.Context(), h)
		if err != nil {
			t.Fatal(err)
		}
		rcpt, err := w.c.Client.TransactionReceipt(t.Context(), h)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%4d leaves: tx %6d bytes, gas used %7d (limit %7d)", n, tx.Size(), rcpt.GasUsed, tx.Gas())
		if tx.Size() > protocol.MaxTxSize {
			t.Errorf("%d leaves: openLedger tx of %d bytes, over the pools' %d", n, tx.Size(), protocol.MaxTxSize)
		}
		if eip7825 := uint64(1 << 24); tx.Gas() > eip7825 {
			t.Errorf("%d leaves: gas limit %d over EIP-7825's %d", n, tx.Gas(), eip7825)
		}
		if rcpt.GasUsed > tx.Gas() {
			t.Errorf("%d leaves: gas used %d over the limit %d", n, rcpt.GasUsed, tx.Gas())
		}
	}
}
