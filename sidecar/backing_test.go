package sidecar

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/duties"
)

type fixedClock duties.Clock

func (c fixedClock) Clock() duties.Clock { return duties.Clock(c) }

// backingWorld is a simulated chain with the contracts and one operator,
// and the backing the sidecar would build for it.
type backingWorld struct {
	c   *chaintest.Chain
	k   *chaintest.Contracts
	op  *chaintest.Operator
	reg *registry.Client
	b   *backing
}

func newBackingWorld(t *testing.T) *backingWorld {
	t.Helper()
	c := chaintest.New(t, 3)
	k := c.Deploy(chaintest.DefaultParams())
	op := c.RegisterOperator(k, 1, new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether)))
	reg, err := registry.New(c.Client, k.RegistryAddr)
	if err != nil {
		t.Fatal(err)
	}
	// A TTL of a nanosecond: every check reads the chain as it is now.
	cache, err := registry.NewCache(reg, time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	p, err := reg.Params(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w := &backingWorld{c: c, k: k, op: op, reg: reg}
	w.b = &backing{cache: cache, operator: op.Addr, committer: crypto.PubkeyToAddress(op.Committer.PublicKey), params: p,
		clock: fixedClock{Genesis: time.Unix(int64(c.GenesisTime), 0), SlotDuration: time.Second, SlotsPerEpoch: 32},
		log:   zerolog.Nop(), now: func() time.Time { return time.Unix(int64(c.Head().Time)+1, 0) }}
	return w
}

// cur is the slot the backing's clock is in: the next block's.
func (w *backingWorld) cur() uint64 { return w.c.Slot() + 1 }

func wantNotBacked(t *testing.T, err error, why string) {
	t.Helper()
	if !errors.Is(err, admission.ErrNotBacked) || !strings.Contains(err.Error(), why) {
		t.Fatalf("got %v, want ErrNotBacked saying %q", err, why)
	}
}

// The backing refuses, at the promised slot, whatever the Registry would not
// hold: beyond the lookahead, after a rotation takes effect, with a revoked
// committer, at or after the exit slot, on another clock.
func TestBackingFollowsTheRegistry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("lookahead", func(t *testing.T) {
		t.Parallel()
		w := newBackingWorld(t)
		look := w.b.params.Lookahead
		if err := w.b.Backs(ctx, w.cur()+look); err != nil {
			t.Fatalf("the last slot of the lookahead: %v", err)
		}
		wantNotBacked(t, w.b.Backs(ctx, w.cur()+look+1), "beyond the registry's lookahead")
	})
	t.Run("rotation", func(t *testing.T) {
		t.Parallel()
		w := newBackingWorld(t)
		next, _ := crypto.GenerateKey()
		tx, err := w.k.Registry.SetCommitter(w.c.OptsFor(w.op.Key), crypto.PubkeyToAddress(next.PublicKey))
		w.c.Mine(tx, err)
		effective := w.c.Slot() + w.b.params.RotationDelay
		for w.cur()+w.b.params.Lookahead < effective {
			w.c.Commit()
		}
		if err := w.b.Backs(ctx, effective-1); err != nil {
			t.Fatalf("the slot before the rotation: %v", err)
		}
		wantNotBacked(t, w.b.Backs(ctx, effective), "not ours")
	})
	t.Run("revocation", func(t *testing.T) {
		t.Parallel()
		w := newBackingWorld(t)
		if err := w.b.Backs(ctx, w.cur()+1); err != nil {
			t.Fatal(err)
		}
		tx, err := w.k.Registry.RevokeCommitter(w.c.OptsFor(w.op.Key), w.b.committer)
		w.c.Mine(tx, err)
		wantNotBacked(t, w.b.Backs(ctx, w.cur()+1), "not ours")
	})
	t.Run("exit", func(t *testing.T) {
		t.Parallel()
		w := newBackingWorld(t)
		tx, err := w.k.Registry.Unregister(w.c.OptsFor(w.op.Key))
		w.c.Mine(tx, err)
		st, err := w.reg.Status(ctx, w.op.Addr)
		if err != nil {
			t.Fatal(err)
		}
		for w.cur()+w.b.params.Lookahead < st.ExitSlot {
			w.c.Commit()
		}
		if err := w.b.Backs(ctx, st.ExitSlot-1); err != nil {
			t.Fatalf("the slot before the exit slot: %v", err)
		}
		wantNotBacked(t, w.b.Backs(ctx, st.ExitSlot), "exit slot")
	})
	t.Run("another clock", func(t *testing.T) {
		t.Parallel()
		w := newBackingWorld(t)
		w.b.clock = fixedClock{Genesis: time.Unix(int64(w.c.GenesisTime)+1, 0), SlotDuration: time.Second, SlotsPerEpoch: 32}
		wantNotBacked(t, w.b.Backs(ctx, w.cur()+1), "genesis")
	})
}

// The sidecar refuses to start, in one line, when its slash window is not
// the contracts' or its Slasher belongs to another Registry.
func TestContractParamsChecks(t *testing.T) {
	t.Parallel()
	w := newBackingWorld(t)
	other := w.c.Deploy(chaintest.DefaultParams())
	window := chaintest.DefaultParams().SlashWindow
	for _, tc := range []struct {
		name    string
		slasher func() [20]byte
		window  uint64
		want    string
	}{
		{"matching", func() [20]byte { return w.k.SlasherAddr }, window, ""},
		{"slash window", func() [20]byte { return w.k.SlasherAddr }, window + 1, "set --slash-window 32"},
		{"another registry's slasher", func() [20]byte { return other.SlasherAddr }, window, "belongs to the registry"},
		{"not a slasher", func() [20]byte { return w.op.Addr }, window, "is it one?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Service{cfg: Config{Registry: w.k.RegistryAddr, Admission: admission.Config{Slasher: tc.slasher(), SlashWindow: tc.window}}}
			p, err := s.contractParams(context.Background(), w.reg, w.c.Client)
			if tc.want == "" {
				if err != nil || p.SlashWindow != window || p.LedgerGrace == 0 || p.Lookahead == 0 {
					t.Fatalf("params %+v, %v", p, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line saying %q", err, tc.want)
			}
			if tc.name != "not a slasher" && !errors.Is(err, ErrConfig) {
				t.Fatalf("%v is not ErrConfig", err)
			}
		})
	}
}
