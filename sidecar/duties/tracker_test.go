package duties_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/beaconmock"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func pk(b byte) protocol.BLSPubkey {
	var k protocol.BLSPubkey
	for i := range k {
		k[i] = b
	}
	return k
}

// syncBuf collects log lines from several goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) count(substr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), substr)
}

type env struct {
	m     *beaconmock.Mock
	tr    *duties.Tracker
	reg   *prometheus.Registry
	logs  *syncBuf
	clock duties.Clock
	stop  func() error
}

// genesisAt returns a genesis (whole seconds, as the API carries) such that
// now is `into` past the start of slot spe*epochs: the test starts at a known
// point of an epoch, far from a boundary unless it wants one.
func genesisAt(slot time.Duration, spe, epochs uint64, into time.Duration) time.Time {
	now := time.Now()
	g := now.Add(-time.Duration(spe*epochs)*slot - into).Truncate(time.Second)
	return g
}

// start runs a tracker against a fresh mock. setup fills the mock (duties,
// validators) before the tracker starts, given the chain's clock.
func start(t *testing.T, cfg beaconmock.Config, ours []protocol.BLSPubkey, setup func(*beaconmock.Mock, duties.Clock)) *env {
	t.Helper()
	m := beaconmock.New(cfg)
	t.Cleanup(m.Close)
	c := m.Config()
	clock := duties.Clock{Genesis: c.GenesisTime, SlotDuration: c.SlotDuration, SlotsPerEpoch: c.SlotsPerEpoch}
	if setup != nil {
		setup(m, clock)
	}
	ctx, cancel := context.WithCancel(context.Background())
	client, err := duties.Connect(ctx, m.URL(), 2*time.Second)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	logs := &syncBuf{}
	reg := prometheus.NewRegistry()
	tr, err := duties.New(client, ours, zerolog.New(logs), duties.WithRegisterer(reg),
		duties.WithBackoff(20*time.Millisecond, 200*time.Millisecond), duties.WithRequestTimeout(2*time.Second))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tr.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("Run did not return within 10s of cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	return &env{m: m, tr: tr, reg: reg, logs: logs, clock: clock, stop: stop}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) metric(t *testing.T, name string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			total += m.GetCounter().GetValue()
		}
	}
	return total
}

func (e *env) waitReady(t *testing.T) {
	t.Helper()
	waitFor(t, "Ready", func() bool { return e.tr.Ready() == nil })
}

// emitUntil emits head events until cond holds: the stream connects in the
// background, so an event sent before it is open would be lost.
func (e *env) emitUntil(t *testing.T, what string, slot uint64, root [32]byte, cond func() bool) {
	t.Helper()
	waitFor(t, what, func() bool {
		if cond() {
			return true
		}
		e.m.EmitHead(slot, root)
		time.Sleep(20 * time.Millisecond)
		return cond()
	})
}

func TestFindsOurDutiesOnly(t *testing.T) {
	t.Parallel()
	ours := []protocol.BLSPubkey{pk(1), pk(2)}
	var e0 uint64
	e := start(t, beaconmock.Config{
		GenesisTime:   genesisAt(time.Second, 32, 10, 1500*time.Millisecond),
		SlotDuration:  time.Second,
		SlotsPerEpoch: 32,
	}, ours, func(m *beaconmock.Mock, c duties.Clock) {
		e0 = c.Epoch(c.CurrentSlot())
		s0, s1 := c.EpochStartSlot(e0), c.EpochStartSlot(e0+1)
		m.SetDuties(e0, []beaconmock.Duty{
			{Slot: s0 + 20, ValidatorIndex: 1, Pubkey: pk(1)},
			{Slot: s0 + 21, ValidatorIndex: 99, Pubkey: pk(9)}, // someone else's
		}, [32]byte{0xe0})
		m.SetDuties(e0+1, []beaconmock.Duty{
			{Slot: s1 + 3, ValidatorIndex: 98, Pubkey: pk(8)},
			{Slot: s1 + 7, ValidatorIndex: 2, Pubkey: pk(2)},
			{Slot: s1 + 5, ValidatorIndex: 1, Pubkey: pk(1)},
		}, [32]byte{0xe1})
		m.SetValidator(pk(1), 1)
		m.SetValidator(pk(2), 2)
	})
	e.waitReady(t)

	s0, s1 := e.clock.EpochStartSlot(e0), e.clock.EpochStartSlot(e0+1)
	want := []duties.Duty{
		{Slot: s0 + 20, ValidatorIndex: 1, Pubkey: pk(1)},
		{Slot: s1 + 5, ValidatorIndex: 1, Pubkey: pk(1)},
		{Slot: s1 + 7, ValidatorIndex: 2, Pubkey: pk(2)},
	}
	got := e.tr.Upcoming()
	if len(got) != len(want) {
		t.Fatalf("Upcoming = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Upcoming[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	cases := []struct {
		slot uint64
		ok   bool
	}{
		{s0 + 20, true},
		{s0 + 21, false}, // another validator's slot
		{s1 + 3, false},
		{s1 + 7, true},
		{s0 - 1, false}, // passed
	}
	for _, tc := range cases {
		d, ok := e.tr.Duty(tc.slot)
		if ok != tc.ok || (ok && d.Slot != tc.slot) {
			t.Errorf("Duty(%d) = %+v, %v; want ok=%v", tc.slot, d, ok, tc.ok)
		}
	}
	if v := e.tr.GenesisForkVersion(); v != e.m.Config().GenesisForkVersion {
		t.Errorf("GenesisForkVersion = %x", v)
	}
	if c := e.tr.Clock(); c != e.clock {
		t.Errorf("Clock = %+v, want %+v", c, e.clock)
	}
	if n := e.logs.count("unknown to the beacon node"); n != 0 {
		t.Errorf("known keys warned about %d times", n)
	}
}

func TestUnknownKeyWarnedOnce(t *testing.T) {
	t.Parallel()
	// 200 ms slots, 2 per epoch: a dozen epochs (and key checks) pass quickly.
	e := start(t, beaconmock.Config{
		GenesisTime:   genesisAt(200*time.Millisecond, 2, 50, 0),
		SlotDuration:  200 * time.Millisecond,
		SlotsPerEpoch: 2,
	}, []protocol.BLSPubkey{pk(1), pk(2)}, func(m *beaconmock.Mock, _ duties.Clock) {
		m.SetValidator(pk(1), 1)
	})
	e.waitReady(t)
	first := e.clock.Epoch(e.clock.CurrentSlot())
	waitFor(t, "several epochs of key checks", func() bool {
		return e.clock.Epoch(e.clock.CurrentSlot()) >= first+4 && e.m.Requests(beaconmock.PathValidators) >= 4
	})
	if n := e.logs.count("unknown to the beacon node"); n != 1 {
		t.Fatalf("unknown key warned %d times, want once", n)
	}
	if n := e.logs.count(pk(2).String()); n != 1 {
		t.Fatalf("warning names the unknown key %d times, want once", n)
	}
	if n := e.logs.count(`"pubkey":"` + pk(1).String()); n != 0 {
		t.Fatalf("known key named %d times", n)
	}
	// Deposited later: the node learns the key, the tracker says so.
	e.m.SetValidator(pk(2), 2)
	waitFor(t, "key now known", func() bool { return e.logs.count("now known") == 1 })
}

// slowSlots puts the test 3 s into a 30 s slot: the next wall-clock refresh is
// ~27 s away, so anything that happens within the 10 s wait came from a head event.
func slowSlots() beaconmock.Config {
	return beaconmock.Config{
		GenesisTime:   genesisAt(30*time.Second, 2, 100, 3*time.Second),
		SlotDuration:  30 * time.Second,
		SlotsPerEpoch: 2,
	}
}

func TestRefreshOnHeadEvent(t *testing.T) {
	t.Parallel()
	var e0 uint64
	e := start(t, slowSlots(), []protocol.BLSPubkey{pk(1)}, func(m *beaconmock.Mock, c duties.Clock) {
		e0 = c.Epoch(c.CurrentSlot())
		m.SetDuties(e0+1, nil, [32]byte{0x01})
	})
	e.waitReady(t)
	if len(e.tr.Upcoming()) != 0 {
		t.Fatalf("Upcoming = %+v before any duty", e.tr.Upcoming())
	}
	slot := e.clock.EpochStartSlot(e0 + 1)
	// Same dependent root, new duties: only a refetch on the head finds them.
	e.m.SetDuties(e0+1, []beaconmock.Duty{{Slot: slot, ValidatorIndex: 4, Pubkey: pk(1)}}, [32]byte{0x01})
	sub := e.tr.Subscribe()
	head := e.clock.CurrentSlot()
	e.emitUntil(t, "duty after head event", head, [32]byte{0xab}, func() bool {
		_, ok := e.tr.Duty(slot)
		return ok
	})
	select {
	case h := <-sub:
		if h.Slot != head || h.Root != ([32]byte{0xab}) {
			t.Fatalf("subscriber got %+v", h)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("subscriber got no head")
	}
	if h, ok := e.tr.LastHead(); !ok || h.Slot != head {
		t.Fatalf("LastHead = %+v, %v", h, ok)
	}
	if e.metric(t, "pledge_duties_head_events_total") < 1 {
		t.Fatal("head events not counted")
	}
}

func TestReorgReplacesDuties(t *testing.T) {
	t.Parallel()
	var e0 uint64
	e := start(t, slowSlots(), []protocol.BLSPubkey{pk(1)}, func(m *beaconmock.Mock, c duties.Clock) {
		e0 = c.Epoch(c.CurrentSlot())
		m.SetDuties(e0+1, []beaconmock.Duty{{Slot: c.EpochStartSlot(e0 + 1), ValidatorIndex: 4, Pubkey: pk(1)}}, [32]byte{0x01})
	})
	e.waitReady(t)
	a := e.clock.EpochStartSlot(e0 + 1)
	b := a + 1
	if _, ok := e.tr.Duty(a); !ok {
		t.Fatalf("no duty at %d before the reorg", a)
	}
	// The reorg: a new dependent root and our validator now at slot b.
	e.m.SetDuties(e0+1, []beaconmock.Duty{
		{Slot: a, ValidatorIndex: 7, Pubkey: pk(7)},
		{Slot: b, ValidatorIndex: 4, Pubkey: pk(1)},
	}, [32]byte{0x02})
	e.emitUntil(t, "duties replaced", e.clock.CurrentSlot(), [32]byte{0xcd}, func() bool {
		_, ok := e.tr.Duty(b)
		return ok
	})
	if d, ok := e.tr.Duty(a); ok {
		t.Fatalf("lost duty still served: %+v", d)
	}
	if got := e.metric(t, "pledge_duties_dependent_root_changes_total"); got != 1 {
		t.Fatalf("dependent root changes = %v, want 1", got)
	}
	if e.logs.count("proposer duty lost") != 1 || e.logs.count("proposer duty gained") != 1 {
		t.Fatal("reorg not logged as one lost and one gained duty")
	}
}

func TestStreamDropReconnects(t *testing.T) {
	t.Parallel()
	e := start(t, slowSlots(), []protocol.BLSPubkey{pk(1)}, nil)
	e.waitReady(t)
	waitFor(t, "stream open", func() bool { return e.m.Streams() == 1 })

	e.m.DropStreams()
	waitFor(t, "reconnect counted", func() bool { return e.metric(t, "pledge_duties_stream_reconnects_total") >= 1 })
	waitFor(t, "stream reopened", func() bool { return e.m.Streams() == 1 })
	if got := e.m.Requests(beaconmock.PathEvents); got < 2 {
		t.Fatalf("event stream requests = %d, want a reconnect", got)
	}
	slot := e.clock.CurrentSlot()
	e.emitUntil(t, "head through the new stream", slot, [32]byte{0xee}, func() bool {
		h, ok := e.tr.LastHead()
		return ok && h.Root == [32]byte{0xee}
	})
	if err := e.tr.Ready(); err != nil {
		t.Fatalf("Ready after reconnect: %v", err)
	}
}

func TestBeaconOutageDegradesAndRecovers(t *testing.T) {
	t.Parallel()
	// 200 ms slots: the per-slot probe notices the outage quickly. Our duty is
	// in the next epoch (6–13 s ahead), so it must survive the outage.
	var duty uint64
	e := start(t, beaconmock.Config{
		GenesisTime:   genesisAt(200*time.Millisecond, 32, 20, 0),
		SlotDuration:  200 * time.Millisecond,
		SlotsPerEpoch: 32,
	}, []protocol.BLSPubkey{pk(1)}, func(m *beaconmock.Mock, c duties.Clock) {
		e0 := c.Epoch(c.CurrentSlot())
		duty = c.EpochStartSlot(e0+2) - 1
		m.SetDuties(e0+1, []beaconmock.Duty{{Slot: duty, ValidatorIndex: 4, Pubkey: pk(1)}}, [32]byte{0x01})
	})
	e.waitReady(t)

	e.m.Fail("/", 500)
	var reason error
	waitFor(t, "Ready to report the outage", func() bool { reason = e.tr.Ready(); return reason != nil })
	if !errors.Is(reason, duties.ErrBeaconUnavailable) || !strings.Contains(reason.Error(), "500") {
		t.Fatalf("Ready = %v; want ErrBeaconUnavailable naming the status", reason)
	}
	if _, ok := e.tr.Duty(duty); !ok {
		t.Fatal("known duty dropped during the outage")
	}
	e.m.Fail("/", 0)
	e.waitReady(t)
	if _, ok := e.tr.Duty(duty); !ok {
		t.Fatal("duty missing after recovery")
	}
	if e.metric(t, "pledge_duties_refresh_total") < 2 {
		t.Fatal("refreshes not counted")
	}
}

func TestStartsWhileBeaconDown(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{})
	t.Cleanup(m.Close)
	m.Fail("/", 503)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client, err := duties.Connect(ctx, m.URL(), time.Second)
	if err != nil {
		t.Fatalf("Connect with the node down: %v", err)
	}
	tr, err := duties.New(client, []protocol.BLSPubkey{pk(1)}, zerolog.Nop(), duties.WithBackoff(10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tr.Run(ctx) }()
	waitFor(t, "outage reason", func() bool { return errors.Is(tr.Ready(), duties.ErrBeaconUnavailable) })
	if c := tr.Clock(); c.SlotDuration != 0 {
		t.Fatalf("clock set without genesis: %+v", c)
	}
	m.Fail("/", 0)
	waitFor(t, "Ready after the node came up", func() bool { return tr.Ready() == nil })
	sub := tr.Subscribe()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v, want nil on cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run ignored cancel")
	}
	if _, open := <-sub; open {
		t.Fatal("subscriber channel not closed when Run returned")
	}
}

func TestEpochBoundaryRefreshWithoutHeads(t *testing.T) {
	t.Parallel()
	var e0 uint64
	e := start(t, beaconmock.Config{
		GenesisTime:   genesisAt(200*time.Millisecond, 2, 50, 0),
		SlotDuration:  200 * time.Millisecond,
		SlotsPerEpoch: 2,
	}, []protocol.BLSPubkey{pk(1)}, func(m *beaconmock.Mock, c duties.Clock) {
		e0 = c.Epoch(c.CurrentSlot())
		for e := e0; e < e0+200; e++ {
			m.SetDuties(e, []beaconmock.Duty{{Slot: c.EpochStartSlot(e) + 1, ValidatorIndex: 4, Pubkey: pk(1)}}, [32]byte{byte(e)})
		}
	})
	e.waitReady(t)
	target := e0 + 3
	slot := e.clock.EpochStartSlot(target) + 1
	// No head is ever emitted: only the wall clock can fetch epoch e0+3.
	waitFor(t, "duties of a later epoch", func() bool {
		_, ok := e.tr.Duty(slot)
		return ok
	})
	if e.m.Requests(beaconmock.PathProposerDuties+strconv.FormatUint(target, 10)) == 0 {
		t.Fatal("duty known without fetching its epoch")
	}
	if e.metric(t, "pledge_duties_head_events_total") != 0 {
		t.Fatal("head events counted although none was emitted")
	}
	// Passed slots lose their duty.
	if _, ok := e.tr.Duty(e.clock.EpochStartSlot(e0) + 1); ok {
		t.Fatal("duty of a passed slot still served")
	}
}

func TestNewValidatesInputs(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{})
	t.Cleanup(m.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	client, err := duties.Connect(ctx, m.URL(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		beacon duties.Beacon
		opts   []duties.Option
		want   error
	}{
		{"no beacon", nil, nil, duties.ErrNoBeacon},
		{"backoff inverted", client, []duties.Option{duties.WithBackoff(time.Second, time.Millisecond)}, nil},
		{"zero timeout", client, []duties.Option{duties.WithRequestTimeout(0)}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := duties.New(tc.beacon, nil, zerolog.Nop(), tc.opts...)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("New = %v, want error %v", err, tc.want)
			}
		})
	}
	reg := prometheus.NewRegistry()
	if _, err := duties.New(client, nil, zerolog.Nop(), duties.WithRegisterer(reg)); err != nil {
		t.Fatal(err)
	}
	if _, err := duties.New(client, nil, zerolog.Nop(), duties.WithRegisterer(reg)); err == nil {
		t.Fatal("second tracker on one registry: want a registration error")
	}
	for _, bad := range []string{"", "localhost:5052", "ftp://x", "http://"} {
		if _, err := duties.Connect(ctx, bad, time.Second); err == nil {
			t.Errorf("Connect(%q): want error", bad)
		}
	}
}
