package stack

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/slashing/watcher"
)

func TestConfigRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"fractional slot", Config{SlotDuration: 1500 * time.Millisecond}, "whole number of seconds"},
		{"sub-second slot", Config{SlotDuration: 500 * time.Millisecond}, "whole number of seconds"},
		{"negative validators", Config{Validators: -1}, "validators"},
		{"too many validators", Config{Validators: 65}, "validators"},
		{"too many rollups", Config{Rollups: 3}, "rollups"},
		{"faulty slot after the run", Config{Slots: 2, FaultySlot: 3}, "faulty slot"},
		{"public listen", Config{Listen: "0.0.0.0:8017"}, "not loopback"},
		{"host name", Config{Listen: "example.com:8017"}, "not loopback"},
		{"no port", Config{Listen: "127.0.0.1"}, "host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.cfg.withDefaults()
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrBadConfig naming %q", err, tt.want)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want Config
	}{
		{"zero", Config{}, Config{SlotDuration: DefaultSlotDuration, Validators: DefaultValidators, Rollups: DefaultRollups, Listen: DefaultListen}},
		{"no rollups", Config{Rollups: -1, Listen: "[::1]:0"}, Config{SlotDuration: DefaultSlotDuration, Validators: DefaultValidators, Rollups: 0, Listen: "[::1]:0"}},
		{"localhost", Config{Listen: "localhost:9000", Slots: 3, FaultySlot: 3}, Config{SlotDuration: DefaultSlotDuration, Validators: DefaultValidators, Rollups: DefaultRollups, Listen: "localhost:9000", Slots: 3, FaultySlot: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.cfg.withDefaults()
			if err != nil {
				t.Fatal(err)
			}
			if got.Out == nil {
				t.Fatal("no default writer")
			}
			got.Out = nil
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSlotLine(t *testing.T) {
	t.Parallel()
	landed := Promise{Landed: true}
	tests := []struct {
		name     string
		r        SlotResult
		l1, l2   int
		rollups  map[uint64]int
		ids      []uint64
		want     string
		wantNone string
	}{
		{
			name: "relay with L2", r: SlotResult{Slot: 12, Proposer: 2, Source: "relay", Block: 11, Promises: []Promise{landed, landed, landed, landed, landed}},
			l1: 4, l2: 1, rollups: map[uint64]int{167001: 1}, ids: []uint64{167001},
			want: "slot 12   proposer 2 (ours)  block 11 from relay  promised 5 (4 L1, 1 L2)  landed 5/5  rollup 167001 batch 1 tx",
		},
		{
			name: "faulty", r: SlotResult{Slot: 14, Proposer: 1, Source: "local", Block: 13, Faulty: true, Promises: []Promise{{}, {}}, Refused: 1},
			l1: 2, want: "slot 14   proposer 1 (ours)  block 13 from local (faulty proposer: promised txs dropped)  promised 2 (2 L1, 0 L2)  landed 0/2  refused 1",
		},
		{
			name: "fallback", r: SlotResult{Slot: 3, Source: "fallback", Block: 3, Promises: []Promise{landed}}, l1: 1,
			want: "block 3 from fallback  promised 1 (1 L1, 0 L2)  landed 1/1", wantNone: "rollup",
		},
		{
			name: "missed", r: SlotResult{Slot: 5, Source: "missed"},
			want: "no block (missed)  promised 0 (0 L1, 0 L2)  landed 0/0", wantNone: "from",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := slotLine(tt.r, tt.l1, tt.l2, tt.rollups, tt.ids)
			if !strings.Contains(got, tt.want) {
				t.Fatalf("line %q lacks %q", got, tt.want)
			}
			if tt.wantNone != "" && strings.Contains(got, tt.wantNone) {
				t.Fatalf("line %q has %q", got, tt.wantNone)
			}
		})
	}
}

func TestFaultLine(t *testing.T) {
	t.Parallel()
	f := Fault{
		Slot: 14, Kind: "safety", Digest: common.HexToHash("0xabcdef0123"), TxHashes: []common.Hash{common.HexToHash("0x1234")},
		Evidence: common.HexToHash("0x99"), Paid: big.NewInt(12_050_000_000_000_000),
	}
	got := faultLine(f)
	want := "FAULT slot 14: safety, promise 0x00000000… tx 0x00000000… missing — watcher slashed 0.01205 ETH: tx " + f.Evidence.Hex()
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	f.Paid = nil
	if got := faultLine(f); !strings.Contains(got, "slashed ? ETH") {
		t.Fatalf("unknown amount: %q", got)
	}
}

func TestFormatETH(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		wei  *big.Int
		want string
	}{
		{ether(100), "100"},
		{big.NewInt(12_050_000_000_000_000), "0.01205"},
		{new(big.Int).Sub(ether(100), big.NewInt(48_200_000_000_000_000)), "99.9518"},
		{big.NewInt(1), "0"},
		{new(big.Int), "0"},
	} {
		if got := formatETH(tt.wei); got != tt.want {
			t.Errorf("formatETH(%s) = %q, want %q", tt.wei, got, tt.want)
		}
	}
}

func TestSummaryErr(t *testing.T) {
	t.Parallel()
	kept := Promise{Landed: true, State: watcher.StateKept}
	tests := []struct {
		name  string
		sum   Summary
		wants []error
	}{
		{"all kept, fault slashed", Summary{Slots: []SlotResult{
			{Slot: 1, Promises: []Promise{kept}, Ledger: true},
			{Slot: 2, Faulty: true, Promises: []Promise{{State: watcher.StateSlashed}}, Ledger: true},
			{Slot: 3}, // nothing sold: no ledger due
		}}, nil},
		{"no ledger", Summary{Slots: []SlotResult{{Slot: 1, Promises: []Promise{kept}, LedgerErr: "none opened within the ledger grace"}}}, []error{ErrNoLedger}},
		{"honest promise not landed", Summary{Slots: []SlotResult{{Slot: 1, Promises: []Promise{kept, {State: watcher.StateSlashed}}}}}, []error{ErrNotLanded}},
		{"fault not slashed", Summary{Slots: []SlotResult{{Slot: 2, Faulty: true, Promises: []Promise{{}}}}}, []error{ErrNotSlashed}},
		{"fault refused", Summary{Slots: []SlotResult{{Slot: 2, Faulty: true, Promises: []Promise{{State: watcher.StateRefused}}}}}, []error{ErrNotSlashed}},
		{"part failed", Summary{PartErrors: []error{ErrPart}}, []error{ErrPart}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.sum.Err()
			if len(tt.wants) == 0 && err != nil {
				t.Fatalf("unexpected %v", err)
			}
			if len(tt.wants) > 0 && err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.wants {
				if !errors.Is(err, w) {
					t.Fatalf("%v is not %v", err, w)
				}
			}
		})
	}
}

// TestCounter: the proxy's fallback blocks are read from its counter with
// the labels matched, other sources and results left out.
func TestCounter(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pledge_builderproxy_blinded_blocks_total", Help: "x"}, []string{"source", "result"})
	reg.MustRegister(c)
	s := &Stack{reg: reg}
	if got := s.fallbackBlocks(); got != 0 {
		t.Fatalf("empty: %v", got)
	}
	c.WithLabelValues("fallback", "ok").Add(2)
	c.WithLabelValues("fallback", "error").Inc()
	c.WithLabelValues("relay", "ok").Add(5)
	if got := s.fallbackBlocks(); got != 2 {
		t.Fatalf("fallback ok = %v, want 2", got)
	}
}

// TestLogMatch: the receipt-based log filter applies eth_getLogs' rules.
