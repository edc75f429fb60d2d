package constraints_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/constraints"
	"github.com/pledgeproto/pledge/sidecar/duties"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

var genesisForkVersion = [4]byte{0x10, 0x00, 0x00, 0x38}

const slotDuration = 600 * time.Millisecond

type key struct {
	sk  *bls.SecretKey
	pub protocol.BLSPubkey
}

func newKey(t testing.TB) key {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := protocol.PubkeyFromSecretKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	return key{sk, pub}
}

// fakeDuties has a fixed clock and a slot → proposer table.
type fakeDuties struct {
	clock duties.Clock
	ours  map[uint64]protocol.BLSPubkey
}

func (d *fakeDuties) Duty(slot uint64) (duties.Duty, bool) {
	pk, ok := d.ours[slot]
	if !ok || slot < d.clock.CurrentSlot() {
		return duties.Duty{}, false
	}
	return duties.Duty{Slot: slot, Pubkey: pk}, true
}
func (d *fakeDuties) Clock() duties.Clock         { return d.clock }
func (d *fakeDuties) GenesisForkVersion() [4]byte { return genesisForkVersion }

// clockAt returns a clock whose slot 100 started `into` ago.
func clockAt(into time.Duration) duties.Clock {
	return duties.Clock{Genesis: time.Now().Add(-100*slotDuration - into), SlotDuration: slotDuration, SlotsPerEpoch: 32}
}

// relayFront stands before a real relay: it counts requests, can fail
// them with 500, and can swap the relay behind it (a restart).
type relayFront struct {
	mu        sync.Mutex
	h         http.Handler
	down      bool
	failPosts int // constraint posts still to fail
	posts     map[uint64]int
	paths     map[string]int
}

func (f *relayFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	f.paths[r.URL.Path]++
	fail := f.down
	if r.URL.Path == "/constraints/v0/builder/constraints" {
		if !fail && f.failPosts > 0 {
			f.failPosts--
			fail = true
		}
		if !fail {
			var scs []*protocol.SignedConstraints
			if json.Unmarshal(body, &scs) == nil {
				for _, sc := range scs {
					f.posts[sc.Message.Slot]++
				}
			}
		}
	}
	h := f.h
	f.mu.Unlock()
	if fail {
		http.Error(w, `{"code":500,"message":"down"}`, http.StatusInternalServerError)
		return
	}
	h.ServeHTTP(w, r)
}

func (f *relayFront) set(fn func(f *relayFront)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *relayFront) postsFor(slot uint64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[slot]
}

// newRelay returns a real relay whose clock stands in slot 100 (12 s slots):
// its window holds every slot the tests use.
func newRelay(t *testing.T) *relay.Relay {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	genesis := time.Unix(1_700_000_000, 0)
	now := genesis.Add(100*12*time.Second + time.Second)
	r, err := relay.New(sk, relay.Config{
		GenesisForkVersion: genesisForkVersion, GenesisTime: genesis, SecondsPerSlot: 12, SlotsPerEpoch: 32,
		Forks: []relay.Fork{{Version: spec.DataVersionFulu, ForkVersion: phase0.Version{0x70, 0, 0, 0x38}}},
	}, relay.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newFront(t *testing.T) (*relayFront, *httptest.Server) {
	t.Helper()
	f := &relayFront{h: newRelay(t).Handler(), posts: map[uint64]int{}, paths: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// stored reads what the relay serves builders for slot.
func stored(t *testing.T, url string, slot uint64) []*protocol.SignedConstraints {
	t.Helper()
	resp, err := http.Get(url + "/constraints/v0/relay/constraints/" + strconv.FormatUint(slot, 10))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []*protocol.SignedConstraints
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func delegations(t *testing.T, url string, slot uint64) []*protocol.SignedDelegation {
	t.Helper()
	resp, err := http.Get(url + "/constraints/v0/relay/delegations/" + strconv.FormatUint(slot, 10))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []*protocol.SignedDelegation
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// txsFor returns n distinct signed transactions tagged with slot.
func txsFor(t testing.TB, slot uint64, n int) [][]byte {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	signer := types.NewPragueSigner(big.NewInt(3151908))
	out := make([][]byte, n)
	for i := range n {
		to := crypto.PubkeyToAddress(k.PublicKey)
		tx := types.MustSignNewTx(k, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(3151908), Nonce: uint64(i), GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(3e9),
			Gas: 21000, To: &to, Value: big.NewInt(int64(slot)),
		})
		b, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// everySlot has promises for every slot.
type everySlot struct {
	mu  sync.Mutex
	t   testing.TB
	txs map[uint64][][]byte
}

func (e *everySlot) TopOfBlock(slot uint64) [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.txs[slot] == nil {
		e.txs[slot] = txsFor(e.t, slot, 2)
	}
	return e.txs[slot]
}

func run(t *testing.T, s *constraints.Sender) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	return stop
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func fastOpts() []constraints.Option {
	return []constraints.Option{
		constraints.WithBackoff(10*time.Millisecond, 40*time.Millisecond),
		constraints.WithProbeInterval(15 * time.Millisecond),
		constraints.WithRequestTimeout(time.Second),
	}
}

func TestSendsOnlyOurSlots(t *testing.T) {
	t.Parallel()
	proposer, stranger := newKey(t), newKey(t)
	front, srv := newFront(t)
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{
		101: proposer.pub, // ours, with promises
		102: stranger.pub, // a duty for a key we do not hold
		103: proposer.pub, // ours, no promises
	}}
	tmpl := &everySlot{t: t, txs: map[uint64][][]byte{103: {}}}
	keys, err := constraints.NewStaticKeys([]*bls.SecretKey{proposer.sk}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := constraints.New(d, tmpl, keys, constraints.Config{Relays: []string{srv.URL}}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, s)
	time.Sleep(time.Until(d.clock.SlotStart(104)) + 50*time.Millisecond)
	stop()

	got := stored(t, srv.URL, 101)
	if len(got) != 1 {
		t.Fatalf("relay holds %d messages for slot 101, want 1", len(got))
	}
	m := got[0].Message
	want := tmpl.TopOfBlock(101)
	if m.Proposer != proposer.pub || m.Delegate != proposer.pub || len(m.Constraints) != len(want) {
		t.Fatalf("message: proposer %s delegate %s, %d constraints", m.Proposer, m.Delegate, len(m.Constraints))
	}
	for i, c := range m.Constraints {
		if c.ConstraintType != protocol.ConstraintTypeInclusion || !bytes.Equal(c.Payload, want[i]) {
			t.Fatalf("constraint %d is not promised tx %d", i, i)
		}
	}
	for _, slot := range []uint64{100, 102, 103, 104} {
		if n := front.postsFor(slot); n != 0 {
			t.Errorf("slot %d: %d constraint posts, want none (not ours or no promises)", slot, n)
		}
		if s.Sent(slot) != nil {
			t.Errorf("slot %d: sender signed constraints", slot)
		}
	}
	if s.Sent(101) == nil {
		t.Error("Sent(101) is empty")
	}
}

func TestRetriesAfterServerErrors(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	front, srv := newFront(t)
	front.set(func(f *relayFront) { f.failPosts = 3 })
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
	keys, _ := constraints.NewStaticKeys([]*bls.SecretKey{proposer.sk}, nil)
	s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, keys, constraints.Config{Relays: []string{srv.URL}}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s)
	waitFor(t, 2*slotDuration, "constraints accepted after 500s", func() bool { return len(stored(t, srv.URL, 101)) == 1 })
	front.mu.Lock()
	left, attempts := front.failPosts, front.paths["/constraints/v0/builder/constraints"]
	front.mu.Unlock()
	if left != 0 || attempts < 4 {
		t.Fatalf("%d failures left, %d attempts: want every failure retried", left, attempts)
	}
}

func TestGivesUpWhenTheSlotStarts(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	front, srv := newFront(t)
	front.set(func(f *relayFront) { f.failPosts = 1 << 30 })
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
	keys, _ := constraints.NewStaticKeys([]*bls.SecretKey{proposer.sk}, nil)
	s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, keys, constraints.Config{Relays: []string{srv.URL}}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s)
	// One resend may still run right after the start (the relay answered
	// its status); then nothing more.
	time.Sleep(time.Until(d.clock.SlotStart(101)) + 100*time.Millisecond)
	front.mu.Lock()
	at := front.paths["/constraints/v0/builder/constraints"]
	front.mu.Unlock()
	time.Sleep(150 * time.Millisecond)
	front.mu.Lock()
	later := front.paths["/constraints/v0/builder/constraints"]
	front.mu.Unlock()
	if at < 2 {
		t.Fatalf("%d attempts before the slot started, want retries", at)
	}
	if later != at {
		t.Fatalf("still posting after the slot started: %d then %d", at, later)
	}
}

func TestResendsWhenARelayComesBack(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	front, srv := newFront(t)
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
	keys, _ := constraints.NewStaticKeys([]*bls.SecretKey{proposer.sk}, nil)
	s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, keys, constraints.Config{Relays: []string{srv.URL}}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s)
	waitFor(t, 2*slotDuration, "first delivery", func() bool { return front.postsFor(101) == 1 })

	// The relay restarts: it fails for a while and comes back empty.
	front.set(func(f *relayFront) { f.down = true })
	time.Sleep(60 * time.Millisecond)
	fresh := newRelay(t)
	front.set(func(f *relayFront) { f.h = fresh.Handler(); f.down = false })
	waitFor(t, slotDuration, "resend to the restarted relay", func() bool { return len(stored(t, srv.URL, 101)) == 1 })
	if n := front.postsFor(101); n != 2 {
		t.Fatalf("%d accepted posts for slot 101, want 2 (first delivery, resend)", n)
	}
}

func TestDelegationsAndRevocations(t *testing.T) {
	t.Parallel()
	proposer, delegate, other := newKey(t), newKey(t), newKey(t)
	_, srv := newFront(t)
	domains := protocol.NewDomains(genesisForkVersion, 0)
	del := func(slot uint64, to key) *protocol.SignedDelegation {
		d, err := protocol.SignDelegation(&protocol.Delegation{Proposer: proposer.pub, Delegate: to.pub, Slot: slot}, domains, proposer.sk)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	rev, err := protocol.SignRevocation(&protocol.Revocation{Proposer: proposer.pub, Delegate: other.pub, Slot: 106}, domains, proposer.sk)
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
	keys, _ := constraints.NewStaticKeys([]*bls.SecretKey{proposer.sk}, delegate.sk)
	opts := append(fastOpts(), constraints.WithDelegations(del(105, other), del(106, other)), constraints.WithRevocations(rev))
	s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, keys,
		constraints.Config{Relays: []string{srv.URL}, Committer: [20]byte{0xc0}}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s)
	waitFor(t, 2*slotDuration, "delegated constraints", func() bool { return len(stored(t, srv.URL, 101)) == 1 })
	sc := stored(t, srv.URL, 101)[0]
	if sc.Message.Delegate != delegate.pub || sc.Message.Proposer != proposer.pub {
		t.Fatalf("constraints signed by %s for %s, want the delegate for the proposer", sc.Message.Delegate, sc.Message.Proposer)
	}
	ds := delegations(t, srv.URL, 101)
	if len(ds) != 1 || ds[0].Message.Delegate != delegate.pub || ds[0].Message.Committer != [20]byte{0xc0} {
		t.Fatalf("slot 101 delegations: %+v", ds)
	}
	if ds := delegations(t, srv.URL, 105); len(ds) != 1 || ds[0].Message.Delegate != other.pub {
		t.Fatalf("start-up delegation for slot 105 not at the relay: %d", len(ds))
	}
	if ds := delegations(t, srv.URL, 106); len(ds) != 0 {
		t.Fatalf("revoked delegation for slot 106 still at the relay")
	}
}

// refusingKeys hands out a delegate key without any delegation.
type refusingKeys struct{ k key }

func (r refusingKeys) Key(protocol.BLSPubkey, uint64) (constraints.Key, bool) {
	local, err := blssigner.NewLocal(r.k.sk)
	if err != nil {
		panic(err)
	}
	return constraints.Key{Delegate: r.k.pub, Signer: local}, true
}

func TestDelegateWithoutDelegationSendsNothing(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	front, srv := newFront(t)
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
	s, err := constraints.New(d, &everySlot{t: t, txs: map[uint64][][]byte{}}, refusingKeys{newKey(t)}, constraints.Config{Relays: []string{srv.URL}}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, s)
	time.Sleep(time.Until(d.clock.SlotStart(101)))
	stop()
	if front.postsFor(101) != 0 || s.Sent(101) != nil {
		t.Fatal("constraints left without a delegation for their signer")
	}
}

func TestNewRefusesBadInput(t *testing.T) {
	t.Parallel()
	d := &fakeDuties{}
	tm := constraints.TemplateFunc(func(uint64) [][]byte { return nil })
	keys, _ := constraints.NewStaticKeys(nil, nil)
	tests := []struct {
		name string
		d    constraints.Duties
		tm   constraints.Templates
		k    constraints.KeySource
		cfg  constraints.Config
		opts []constraints.Option
		want string
	}{
		{"no duties", nil, tm, keys, constraints.Config{Relays: []string{"http://r"}}, nil, "duty tracker"},
		{"no templates", d, nil, keys, constraints.Config{Relays: []string{"http://r"}}, nil, "template"},
		{"no keys", d, tm, nil, constraints.Config{Relays: []string{"http://r"}}, nil, "key source"},
		{"no relays", d, tm, keys, constraints.Config{}, nil, constraints.ErrNoRelays.Error()},
		{"bad url", d, tm, keys, constraints.Config{Relays: []string{"ftp://r"}}, nil, "http(s)"},
		{"bad fraction", d, tm, keys, constraints.Config{Relays: []string{"http://r"}, DeadlineFraction: 1.5}, nil, "fraction"},
		{"bad backoff", d, tm, keys, constraints.Config{Relays: []string{"http://r"}}, []constraints.Option{constraints.WithBackoff(time.Second, time.Millisecond)}, "backoff"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := constraints.New(tc.d, tc.tm, tc.k, tc.cfg, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := constraints.New(d, tm, keys, constraints.Config{Relays: []string{"http://0xabc@relay:1"}}); err != nil {
		t.Fatalf("mev-boost style URL refused: %v", err)
	}
	if _, err := constraints.New(d, tm, keys, constraints.Config{Relays: []string{"http://r"}}); errors.Is(err, constraints.ErrNoRelays) {
		t.Fatal("unexpected")
	}
}

func TestDeadline(t *testing.T) {
	t.Parallel()
	d := &fakeDuties{}
	keys, _ := constraints.NewStaticKeys(nil, nil)
	tm := constraints.TemplateFunc(func(uint64) [][]byte { return nil })
	c := duties.Clock{Genesis: time.Unix(1000, 0), SlotDuration: 12 * time.Second, SlotsPerEpoch: 32}
	for _, tc := range []struct {
		frac float64
		want time.Time
	}{
		{0, time.Unix(1000+9*12+8, 0)},
		{0.5, time.Unix(1000+9*12+6, 0)},
		{1, time.Unix(1000+10*12, 0)},
	} {
		t.Run(strconv.FormatFloat(tc.frac, 'f', 2, 64), func(t *testing.T) {
			s, err := constraints.New(d, tm, keys, constraints.Config{Relays: []string{"http://r"}, DeadlineFraction: tc.frac})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Deadline(c, 10); !got.Equal(tc.want) {
				t.Fatalf("deadline %s, want %s", got, tc.want)
			}
		})
	}
}

type fakeAdmission []admission.Entry

func (f fakeAdmission) Template(uint64) []admission.Entry { return f }

func TestFromAdmissionKeepsL1TxsInOrder(t *testing.T) {
	t.Parallel()
	e := fakeAdmission{
		{Txs: [][]byte{{1}, {2}}, Inclusions: []protocol.Inclusion{{ChainID: 1}, {ChainID: 167000}}},
		{Txs: [][]byte{{3}}, Inclusions: []protocol.Inclusion{{ChainID: 1}}},
	}
	got := constraints.FromAdmission(e, 1).TopOfBlock(5)
	if len(got) != 2 || got[0][0] != 1 || got[1][0] != 3 {
		t.Fatalf("got %v, want the L1 txs 1 then 3", got)
	}
}

func TestManyPromisesSplitAcrossMessagesInOrder(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	_, srv := newFront(t)
	txs := txsFor(t, 101, protocol.MaxConstraintsPerSlot+44)
	tmpl := constraints.TemplateFunc(func(slot uint64) [][]byte {
		if slot == 101 {
			return txs
		}
		return nil
	})
	d := &fakeDuties{clock: clockAt(slotDuration / 3), ours: map[uint64]protocol.BLSPubkey{101: proposer.pub}}
	keys, _ := constraints.NewStaticKeys([]*bls.SecretKey{proposer.sk}, nil)
	s, err := constraints.New(d, tmpl, keys, constraints.Config{Relays: []string{srv.URL}}, fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.TopOfBlock(101); len(got) != len(txs) {
		t.Fatalf("before the deadline TopOfBlock has %d txs, want the template's %d", len(got), len(txs))
	}
	run(t, s)
	waitFor(t, 2*slotDuration, "both messages at the relay", func() bool { return len(stored(t, srv.URL, 101)) == 2 })
	var got [][]byte
	for _, sc := range stored(t, srv.URL, 101) {
		for _, c := range sc.Message.Constraints {
			got = append(got, c.Payload)
		}
	}
	if len(got) != len(txs) {
		t.Fatalf("%d constraints at the relay, want %d", len(got), len(txs))
	}
	for i := range txs {
		if !bytes.Equal(got[i], txs[i]) {
			t.Fatalf("constraint %d out of order", i)
		}
	}
	if top := s.TopOfBlock(101); len(top) != len(txs) || !bytes.Equal(top[0], txs[0]) {
		t.Fatal("TopOfBlock is not what was signed")
	}
}
