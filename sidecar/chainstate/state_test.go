package chainstate

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"
	"github.com/rs/zerolog"
)

// sim is a simulated chain with one funded account.
type sim struct {
	backend *simulated.Backend
	client  simulated.Client
	key     *ecdsa.PrivateKey
	addr    common.Address
	chainID *big.Int
}

func newSim(t *testing.T) *sim {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	funds := new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))
	b := simulated.NewBackend(types.GenesisAlloc{addr: {Balance: funds}})
	t.Cleanup(func() { _ = b.Close() })
	id, err := b.Client().ChainID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &sim{backend: b, client: b.Client(), key: key, addr: addr, chainID: id}
}

// send mines a transfer of value from the funded account.
func (s *sim) send(t *testing.T, nonce uint64, value int64) {
	t.Helper()
	ctx := context.Background()
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx := types.MustSignNewTx(s.key, types.LatestSignerForChainID(s.chainID), &types.DynamicFeeTx{
		ChainID: s.chainID, Nonce: nonce, GasTipCap: big.NewInt(params.GWei), GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(params.GWei)),
		Gas: 21000, To: &common.Address{1}, Value: big.NewInt(value),
	})
	if err := s.client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	s.backend.Commit()
}

// countingEL counts the account reads and can hold them at a gate, to show
// that concurrent misses share one fetch.
type countingEL struct {
	EL
	nonceCalls atomic.Int64
	gate       chan struct{}
}

func (c *countingEL) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	c.nonceCalls.Add(1)
	if c.gate != nil {
		<-c.gate
	}
	return c.EL.NonceAt(ctx, a, n)
}

func TestAccountCachedPerHead(t *testing.T) {
	s := newSim(t)
	el := &countingEL{EL: s.client}
	st, err := New(el, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := st.Account(ctx, s.addr)
	if err != nil {
		t.Fatal(err)
	}
	if a.Nonce != 0 || a.HasCode || a.Balance.Cmp(new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))) != 0 {
		t.Fatalf("account = %+v, want nonce 0, 100 ETH, no code", a)
	}
	if _, err := st.Account(ctx, s.addr); err != nil {
		t.Fatal(err)
	}
	if n := el.nonceCalls.Load(); n != 1 {
		t.Fatalf("nonce read %d times for one head, want 1 (cached)", n)
	}

	// The chain moves, but until the state sees the new head the cache stands.
	s.send(t, 0, 1000)
	if a, _ := st.Account(ctx, s.addr); a.Nonce != 0 {
		t.Fatalf("nonce %d before the state saw the new head, want the cached 0", a.Nonce)
	}
	head, err := st.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err = st.Account(ctx, s.addr)
	if err != nil {
		t.Fatal(err)
	}
	if a.Nonce != 1 || a.Block != head.Number.Uint64() {
		t.Fatalf("after the new head: nonce %d at block %d, want 1 at %d", a.Nonce, a.Block, head.Number)
	}
	if n := el.nonceCalls.Load(); n != 2 {
		t.Fatalf("nonce read %d times over two heads, want 2", n)
	}

	// A refresh that finds the same head keeps the cache.
	if _, err := st.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Account(ctx, s.addr); err != nil {
		t.Fatal(err)
	}
	if n := el.nonceCalls.Load(); n != 2 {
		t.Fatalf("nonce read %d times, want 2: the same head must not drop the cache", n)
	}
}

func TestAccountSingleflight(t *testing.T) {
	s := newSim(t)
	el := &countingEL{EL: s.client, gate: make(chan struct{})}
	st, err := New(el, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := st.Account(ctx, s.addr)
			if err == nil && a.Balance.Sign() == 0 {
				err = errors.New("zero balance")
			}
			errs <- err
		}()
	}
	// Let every caller reach the flight before the one fetch may proceed.
	deadline := time.Now().Add(5 * time.Second)
	for el.nonceCalls.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(el.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := el.nonceCalls.Load(); got != 1 {
		t.Fatalf("%d concurrent misses made %d nonce reads, want 1", n, got)
	}
}

func TestAccountCallerCancelled(t *testing.T) {
	s := newSim(t)
	el := &countingEL{EL: s.client, gate: make(chan struct{})}
	defer close(el.gate)
	st, err := New(el, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = st.Account(ctx, s.addr)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrUnavailable wrapping the deadline", err)
	}
}

// failingEL answers the head but fails one account call, like an EL whose
// state is pruned or whose connection drops mid-request.
type failingEL struct {
	EL
	failNonce, failBalance, failCode error
}

func (f failingEL) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	if f.failNonce != nil {
		return 0, f.failNonce
	}
	return f.EL.NonceAt(ctx, a, n)
}

func (f failingEL) BalanceAt(ctx context.Context, a common.Address, n *big.Int) (*big.Int, error) {
	if f.failBalance != nil {
		return nil, f.failBalance
	}
	return f.EL.BalanceAt(ctx, a, n)
}

func (f failingEL) CodeAt(ctx context.Context, a common.Address, n *big.Int) ([]byte, error) {
	if f.failCode != nil {
		return nil, f.failCode
	}
	return f.EL.CodeAt(ctx, a, n)
}

func TestAccountErrorsNameTheCall(t *testing.T) {
	s := newSim(t)
	boom := errors.New("connection reset")
	for _, tc := range []struct {
		name string
		el   failingEL
		want string
	}{
		{"nonce", failingEL{EL: s.client, failNonce: boom}, "read nonce of"},
		{"balance", failingEL{EL: s.client, failBalance: boom}, "read balance of"},
		{"code", failingEL{EL: s.client, failCode: boom}, "read code of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := New(tc.el, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			_, err = st.Account(context.Background(), s.addr)
			if !errors.Is(err, ErrUnavailable) || !errors.Is(err, boom) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrUnavailable wrapping %q and saying %q", err, boom, tc.want)
			}
		})
	}
}

func TestELDown(t *testing.T) {
	s := newSim(t)
	now := time.Unix(1_000_000, 0)
	clock := func() time.Time { return now }
	st, err := New(s.client, zerolog.Nop(), WithPollInterval(time.Second), WithNow(clock))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Ready(); !errors.Is(err, ErrNoHead) {
		t.Fatalf("Ready before any head = %v, want ErrNoHead", err)
	}
	ctx := context.Background()
	if _, err := st.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Ready(); err != nil {
		t.Fatalf("Ready after a head = %v", err)
	}
	head := st.Head()

	if err := s.backend.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := st.Refresh(ctx)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "read head") {
		t.Fatalf("Refresh with the EL closed: %v, want ErrUnavailable naming the head read", err)
	}
	if got != head || st.Head() != head {
		t.Fatal("a failed refresh must keep the last head")
	}
	if _, err := st.Account(ctx, common.Address{7}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Account with the EL closed: %v, want ErrUnavailable", err)
	}
	if err := st.Ready(); err != nil {
		t.Fatalf("Ready within the window after one failure = %v, want nil", err)
	}
	now = now.Add(4 * time.Second)
	if err := st.Ready(); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no answer for 4s") {
		t.Fatalf("Ready 4s after the last answer = %v, want ErrUnavailable saying how long", err)
	}
}

func TestRunNotifiesSubscribers(t *testing.T) {
	s := newSim(t)
	st, err := New(s.client, zerolog.Nop(), WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	heads := st.Subscribe()
	lazy := st.Subscribe() // never read: must not block the state
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()

	first := waitHead(t, heads)
	s.backend.Commit()
	s.backend.Commit()
	var second *types.Header
	for second == nil || second.Number.Uint64() < first.Number.Uint64()+2 {
		second = waitHead(t, heads)
	}
	if len(lazy) != 1 {
		t.Fatalf("the unread subscriber holds %d heads, want only the newest", len(lazy))
	}
	if h := <-lazy; h.Number.Cmp(st.Head().Number) != 0 {
		t.Fatalf("the unread subscriber holds head %d, want the newest %d", h.Number, st.Head().Number)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v on cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop on cancel")
	}
}

func waitHead(t *testing.T, c <-chan *types.Header) *types.Header {
	t.Helper()
	select {
	case h := <-c:
		return h
	case <-time.After(5 * time.Second):
		t.Fatal("no head notified")
		return nil
	}
}

func TestNewChecksInputs(t *testing.T) {
	if _, err := New(nil, zerolog.Nop()); err == nil {
		t.Fatal("New(nil) succeeded")
	}
	if _, err := New(failingEL{}, zerolog.Nop(), WithPollInterval(0)); err == nil {
		t.Fatal("New with a zero interval succeeded")
	}
}

func TestProjectedBaseFeeFromHead(t *testing.T) {
	s := newSim(t)
	st, err := New(s.client, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if st.ProjectedBaseFee(1) != nil {
		t.Fatal("projected base fee before any head should be nil")
	}
	h, err := st.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := st.ProjectedBaseFee(0); got.Cmp(h.BaseFee) != 0 {
		t.Fatalf("0 slots ahead = %v, want the head's %v", got, h.BaseFee)
	}
	if got, want := st.ProjectedBaseFee(3), MaxBaseFeeAfter(h.BaseFee, h.GasLimit, 3); got.Cmp(want) != 0 {
		t.Fatalf("3 slots ahead = %v, want %v", got, want)
	}
}
