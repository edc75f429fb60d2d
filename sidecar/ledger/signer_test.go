package ledger_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/cleftest"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/ledger"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// registryMethods are the Registry calls the committer sends, as Clef is
// told them.
func registryMethods(t *testing.T) []string {
	t.Helper()
	a, err := bindings.RegistryMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	return []string{a.Methods["openLedger"].Sig, a.Methods["release"].Sig}
}

// The real Clef signs the committer's openLedger: the ledger opens on the
// chain, sent by the committer, with no key in the sidecar.
func TestClefOpensLedger(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := cleftest.Start(t, w.op.Committer, cleftest.Options{ChainID: w.c.ChainID.Uint64()})
	committer := crypto.PubkeyToAddress(w.op.Committer.PublicKey)
	s, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: c.URL}, committer, registryMethods(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	l := w.component(w.config(), s, prometheus.NewRegistry())
	slot := w.c.Slot() + 3
	w.promises.sell(t, slot, 2, milliEther)
	w.until(l, 12, "the ledger open", func() bool { return w.ledgerOf(slot).Exists() })
	if got := w.ledgerOf(slot); got.Committer != committer || got.Count != 2 {
		t.Fatalf("ledger %+v, want 2 leaves opened by %s", got, committer)
	}
	if n := w.committerNonce(); n != 1 {
		t.Errorf("committer sent %d transactions, want 1", n)
	}
}

// flakySigner fails its first n signatures the way a remote signer does
// (down), then signs.
type flakySigner struct {
	ledger.TxSigner
	fail atomic.Int32
}

func (f *flakySigner) SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	if f.fail.Add(-1) >= 0 {
		return nil, errors.New("clef http://127.0.0.1:8550: " + ecdsasigner.ErrUnavailable.Error() + ": connection refused")
	}
	return f.TxSigner.SignTx(ctx, tx, chainID)
}

// A committer transaction the signer does not sign is logged, counted and
// tried again at the next tick — not dropped, and signed by no other key.
func TestUnsignedLedgerIsTriedAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reg := prometheus.NewRegistry()
	fs := &flakySigner{TxSigner: admission.NewKeySigner(w.op.Committer)}
	fs.fail.Store(2)
	l := w.component(w.config(), fs, reg)
	slot := w.c.Slot() + 3
	w.promises.sell(t, slot, 1, milliEther)
	w.until(l, 12, "the ledger open", func() bool { return w.ledgerOf(slot).Exists() })
	if got := counter(t, reg, "pledge_ledger_sign_failures_total"); got != 2 {
		t.Errorf("pledge_ledger_sign_failures_total = %v, want 2", got)
	}
	logs := w.logs.String()
	if !strings.Contains(logs, "send openLedger") || !strings.Contains(logs, "tried again next tick") || !strings.Contains(logs, "connection refused") {
		t.Errorf("the failures are not logged clearly:\n%s", logs)
	}
	if got := w.ledgerOf(slot).Committer; got != (common.Address{}) && got != crypto.PubkeyToAddress(w.op.Committer.PublicKey) {
		t.Errorf("ledger opened by %s", got)
	}
}
