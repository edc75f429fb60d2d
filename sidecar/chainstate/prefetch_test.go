package chainstate

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/rs/zerolog"
)

// cached returns the cache entry of addr without reading the EL.
func (s *State) cached(addr common.Address) (Account, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.cache[addr]
	return a, ok
}

// TestPrefetchOnNewHead: the accounts read at one head are read again at
// the next before the switch, so the first request after a head finds its
// sender cached — through JSON-RPC batches when the EL is an RPC client, one
// fetch per account otherwise — and the values are the new head's.
func TestPrefetchOnNewHead(t *testing.T) {
	for _, tc := range []struct {
		name  string
		batch bool
	}{{"rpc batch", true}, {"per account", false}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			counting := &countingEL{EL: s.client}
			var el EL = counting
			if tc.batch {
				el = s.client // an ethclient: has Client() *rpc.Client
			}
			st, err := New(el, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			stranger := common.Address{0xaa} // never read: must not be prefetched
			if _, err := st.Account(ctx, s.addr); err != nil {
				t.Fatal(err)
			}
			s.send(t, 0, 1000)
			head, err := st.Refresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			a, ok := st.cached(s.addr)
			if !ok {
				t.Fatal("the sender read at the old head is not cached at the new one")
			}
			if a.Nonce != 1 || a.Block != head.Number.Uint64() {
				t.Fatalf("prefetched nonce %d at block %d, want 1 at %d", a.Nonce, a.Block, head.Number)
			}
			want, err := s.client.BalanceAt(ctx, s.addr, head.Number)
			if err != nil {
				t.Fatal(err)
			}
			if a.Balance.Cmp(want) != 0 || a.HasCode {
				t.Fatalf("prefetched balance %v code %v, want %v and no code", a.Balance, a.HasCode, want)
			}
			if _, ok := st.cached(stranger); ok {
				t.Fatal("an address never read was prefetched")
			}
			if !tc.batch {
				before := counting.nonceCalls.Load()
				if _, err := st.Account(ctx, s.addr); err != nil {
					t.Fatal(err)
				}
				if n := counting.nonceCalls.Load(); n != before || n != 2 {
					t.Fatalf("nonce read %d times (%d before the request), want 2: one per head, the second by the prefetch", n, before)
				}
			}
		})
	}
}

// failingReads answers the head but no account read.
type failingReads struct {
	EL
	fail bool
}

var errReadDown = errors.New("account reads down")

func (f *failingReads) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	if f.fail {
		return 0, errReadDown
	}
	return f.EL.NonceAt(ctx, a, n)
}

// TestPrefetchFailureStillSwitches: a prefetch that fails leaves the
// accounts out (read on demand, with the error) but never holds back the
// new head.
func TestPrefetchFailureStillSwitches(t *testing.T) {
	s := newSim(t)
	el := &failingReads{EL: s.client}
	st, err := New(el, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.Account(ctx, s.addr); err != nil {
		t.Fatal(err)
	}
	first := st.Head().Number.Uint64()
	s.send(t, 0, 1000)
	el.fail = true
	head, err := st.Refresh(ctx)
	if err != nil {
		t.Fatalf("Refresh with account reads failing: %v, want the new head", err)
	}
	if got := st.Head(); got.Hash() != head.Hash() || head.Number.Uint64() != first+1 {
		t.Fatalf("head %d %s, want block %d (%s)", got.Number, got.Hash(), first+1, head.Hash())
	}
	if _, ok := st.cached(s.addr); ok {
		t.Fatal("an account whose read failed is cached")
	}
	if _, err := st.Account(ctx, s.addr); !errors.Is(err, errReadDown) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Account = %v, want ErrUnavailable wrapping the read error", err)
	}
}
