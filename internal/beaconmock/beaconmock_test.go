package beaconmock_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	eth2client "github.com/attestantio/go-eth2-client"
	"github.com/attestantio/go-eth2-client/api"
	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	eth2http "github.com/attestantio/go-eth2-client/http"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/beaconmock"
)

func pubkey(b byte) [48]byte {
	var k [48]byte
	for i := range k {
		k[i] = b
	}
	return k
}

// connect builds go-eth2-client's real http client against the mock: New
// probes node syncing and version, so success proves those endpoints parse.
func connect(t *testing.T, m *beaconmock.Mock) *eth2http.Service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	svc, err := eth2http.New(ctx, eth2http.WithAddress(m.URL()), eth2http.WithLogLevel(zerolog.Disabled),
		eth2http.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatalf("go-eth2-client against the mock: %v", err)
	}
	return svc.(*eth2http.Service)
}

func TestGoEth2ClientParsesEveryEndpoint(t *testing.T) {
	t.Parallel()
	genesis := time.Unix(1_700_000_000, 0)
	m := beaconmock.New(beaconmock.Config{GenesisTime: genesis, SlotDuration: 2 * time.Second, SlotsPerEpoch: 8})
	t.Cleanup(m.Close)
	svc := connect(t, m)
	ctx := context.Background()

	g, err := svc.Genesis(ctx, &api.GenesisOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if !g.Data.GenesisTime.Equal(genesis) || g.Data.GenesisForkVersion != (phase0.Version{0x10, 0, 0, 0x38}) {
		t.Fatalf("genesis = %v %x", g.Data.GenesisTime, g.Data.GenesisForkVersion)
	}

	dur, err := svc.SlotDuration(ctx)
	if err != nil || dur != 2*time.Second {
		t.Fatalf("slot duration = %v, %v", dur, err)
	}
	spe, err := svc.SlotsPerEpoch(ctx)
	if err != nil || spe != 8 {
		t.Fatalf("slots per epoch = %v, %v", spe, err)
	}

	fs, err := svc.ForkSchedule(ctx, &api.ForkScheduleOpts{})
	if err != nil || len(fs.Data) != 1 {
		t.Fatalf("fork schedule = %v, %v", fs, err)
	}

	root := [32]byte{0xaa}
	m.SetDuties(3, []beaconmock.Duty{
		{Slot: 26, ValidatorIndex: 7, Pubkey: pubkey(2)},
		{Slot: 24, ValidatorIndex: 5, Pubkey: pubkey(1)},
	}, root)
	d, err := svc.ProposerDuties(ctx, &api.ProposerDutiesOpts{Epoch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Metadata["dependent_root"]; got != phase0.Root(root) {
		t.Fatalf("dependent_root = %v", got)
	}
	if len(d.Data) != 2 || d.Data[0].Slot != 24 || d.Data[0].ValidatorIndex != 5 || d.Data[0].PubKey != phase0.BLSPubKey(pubkey(1)) {
		t.Fatalf("duties = %v", d.Data)
	}
	empty, err := svc.ProposerDuties(ctx, &api.ProposerDutiesOpts{Epoch: 4})
	if err != nil || len(empty.Data) != 0 {
		t.Fatalf("unset epoch: %v, %v", empty, err)
	}

	m.SetValidator(pubkey(1), 5)
	m.SetValidator(pubkey(3), 9)
	vals, err := svc.Validators(ctx, &api.ValidatorsOpts{State: "head",
		PubKeys: []phase0.BLSPubKey{phase0.BLSPubKey(pubkey(1)), phase0.BLSPubKey(pubkey(2))}})
	if err != nil {
		t.Fatal(err)
	}
	if len(vals.Data) != 1 || vals.Data[5] == nil || vals.Data[5].Validator.PublicKey != phase0.BLSPubKey(pubkey(1)) ||
		vals.Data[5].Status != apiv1.ValidatorStateActiveOngoing {
		t.Fatalf("validators = %v", vals.Data)
	}

	if m.Requests(beaconmock.PathProposerDuties) != 2 {
		t.Fatalf("duties requests = %d, want 2", m.Requests(beaconmock.PathProposerDuties))
	}
}

func TestEventsReachGoEth2Client(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{})
	t.Cleanup(m.Close)
	svc := connect(t, m)
	root := [32]byte{0x01}
	m.SetDuties(0, nil, root)

	heads := make(chan *apiv1.HeadEvent, 8)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	err := svc.Events(ctx, &api.EventsOpts{Topics: []string{"head"}, HeadHandler: func(_ context.Context, ev *apiv1.HeadEvent) {
		heads <- ev
	}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		// go-eth2-client connects in the background; emit until one arrives.
		m.EmitHead(3, [32]byte{0xbb})
		select {
		case ev := <-heads:
			if ev.Slot != 3 || ev.Block != (phase0.Root{0xbb}) || ev.CurrentDutyDependentRoot != phase0.Root(root) {
				t.Fatalf("head event = %+v", ev)
			}
			return
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("no head event reached go-eth2-client")
		}
	}
}

func TestFailAndRecover(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{})
	t.Cleanup(m.Close)
	cases := []struct {
		name, failPath, getPath string
		want                    int
	}{
		{"whole node", "/", beaconmock.PathGenesis, http.StatusInternalServerError},
		{"one endpoint", beaconmock.PathProposerDuties, beaconmock.PathProposerDuties + "1", http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m.Fail(tc.failPath, tc.want)
			resp, err := http.Get(m.URL() + tc.getPath)
			if err != nil {
				t.Fatal(err)
			}
			var body strings.Builder
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				body.WriteString(sc.Text())
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want || !strings.Contains(body.String(), `"code":`) {
				t.Fatalf("status %d body %s", resp.StatusCode, body.String())
			}
			m.Fail(tc.failPath, 0)
			resp, err = http.Get(m.URL() + tc.getPath)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("after recovery: status %d", resp.StatusCode)
			}
		})
	}
}

func TestDropStreamsEndsStreams(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{})
	t.Cleanup(m.Close)
	resp, err := http.Get(m.URL() + beaconmock.PathEvents + "?topics=head")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	waitFor(t, func() bool { return m.Streams() == 1 })
	if n := m.EmitHead(1, [32]byte{1}); n != 1 {
		t.Fatalf("EmitHead reached %d streams", n)
	}
	r := bufio.NewReader(resp.Body)
	line, err := r.ReadString('\n')
	if err != nil || line != "event: head\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	m.DropStreams()
	waitFor(t, func() bool { return m.Streams() == 0 })

	bad, err := http.Get(m.URL() + beaconmock.PathEvents + "?topics=block")
	if err != nil {
		t.Fatal(err)
	}
	bad.Body.Close()
	if bad.StatusCode != http.StatusBadRequest {
		t.Fatalf("unsupported topic: status %d", bad.StatusCode)
	}
}

var _ eth2client.ProposerDutiesProvider = (*eth2http.Service)(nil)

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
