package benchtable

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/internal/loadgen"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// The bench's Web3Signer fake is driven by the sidecar's own Web3Signer
// client: the key check, a promise (verified against the committer by the
// client and again here) and a ledger-shaped transaction.
func TestWeb3SignerFakeSpeaksTheClientsWireFormat(t *testing.T) {
	t.Parallel()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	const chain = 1337
	fake := startWeb3SignerFake(key, big.NewInt(chain))
	defer fake.close()
	s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: fake.srv.URL}, &key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	domain := protocol.Domain{ChainID: chain, Slasher: common.Address{0x5a}}
	p := &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion, Operator: common.Address{0xc0}, Slot: 42, SlashAmount: big.NewInt(1e17),
		RequestHash: common.Hash{0x11},
		Inclusions: []protocol.Inclusion{{ChainID: chain, TxHash: common.Hash{0xaa}, Sender: common.Address{0xbb}, Nonce: 7,
			MaxFeePerGas: big.NewInt(30e9), MaxFeePerBlobGas: new(big.Int), GasLimit: 21_000, MaxCost: big.NewInt(21_000 * 30e9)}},
	}
	sig, err := s.SignPromise(ctx, p, domain)
	if err != nil {
		t.Fatalf("SignPromise: %v", err)
	}
	want, err := protocol.SignPromise(p, domain, key)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sig, want) {
		t.Fatalf("fake's promise signature %x, the local key's %x", sig, want)
	}
	to := common.Address{0xbe, 0x11}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(chain), Nonce: 3, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(3e9),
		Gas: 100_000, To: &to, Data: []byte{1, 2, 3}})
	signed, err := s.SignTx(ctx, tx, big.NewInt(chain))
	if err != nil {
		t.Fatalf("SignTx: %v", err)
	}
	if signed.Hash() == tx.Hash() || signed.Nonce() != 3 {
		t.Fatalf("signed tx %s nonce %d", signed.Hash(), signed.Nonce())
	}
	if fake.Signs.Load() != 1 || fake.Txs.Load() != 1 {
		t.Fatalf("fake counted %d roots and %d txs, want 1 and 1", fake.Signs.Load(), fake.Txs.Load())
	}
}

// Without PLEDGE_POSTGRES_DSN the PostgreSQL rows are skipped, say why,
// and start nothing.
func TestPostgresRowsSkippedWithoutDSN(t *testing.T) {
	t.Parallel()
	for _, m := range []func(context.Context, *env) []Row{postgresRows, postgresPromiseRows} {
		e := &env{}
		rows := m(context.Background(), e)
		if len(rows) == 0 || e.started {
			t.Fatalf("%d rows, world started %v", len(rows), e.started)
		}
		for _, r := range rows {
			if r.Figure() != "skipped" || r.Met() != "—" || !strings.Contains(r.Err.Error(), "PLEDGE_POSTGRES_DSN not set") {
				t.Errorf("row %q: figure %q, err %v", r.What, r.Figure(), r.Err)
			}
		}
		var b strings.Builder
		if err := (&Table{Rows: rows}).Write(&b); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); strings.Contains(out, "error") || !strings.Contains(out, "skipped: PLEDGE_POSTGRES_DSN not set") {
			t.Errorf("table:\n%s", out)
		}
	}
}

// Runs side by side add up: counts and latencies summed, the longest
// elapsed time, so throughput is the pair's.
func TestMergeResults(t *testing.T) {
	t.Parallel()
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	got := mergeResults([]*loadgen.Result{
		{Elapsed: 5 * time.Second, Valid: loadgen.Counts{Sent: 12, OK: 10, Refused: 2}, Latencies: ms(1, 3), Errors: map[int]int{-32010: 2}, Late: 1},
		{Elapsed: 4 * time.Second, Valid: loadgen.Counts{Sent: 11, OK: 10, Failed: 1}, Latencies: ms(2, 9), Errors: map[int]int{-32010: 1, -32017: 1}, FirstError: errors.New("boom")},
	})
	if got.Elapsed != 5*time.Second || got.Valid.OK != 20 || got.Valid.Sent != 23 || got.Valid.Refused != 2 || got.Valid.Failed != 1 || got.Late != 1 {
		t.Errorf("merged %+v", got)
	}
	if !slices.Equal(got.Latencies, ms(1, 2, 3, 9)) || got.Throughput() != 4 {
		t.Errorf("latencies %v, throughput %v", got.Latencies, got.Throughput())
	}
	if got.Errors[-32010] != 3 || got.Errors[-32017] != 1 || got.FirstError == nil {
		t.Errorf("errors %v, first %v", got.Errors, got.FirstError)
	}
}
