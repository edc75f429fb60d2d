package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	apiv1fulu "github.com/attestantio/go-eth2-client/api/v1/fulu"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/internal/beaconmock"
	"github.com/pledgeproto/pledge/relay"
)

// These tests set environment variables (to clear PLEDGE_* ones a shell may
// hold), so none of them runs in parallel.

// clearRelayEnv unsets the environment variable of every relay flag.
func clearRelayEnv(t *testing.T) {
	t.Helper()
	clearEnv(t)
	for _, f := range relayFlags() {
		env := envVars(f.Names()[0])[0]
		t.Setenv(env, "")
		if err := os.Unsetenv(env); err != nil {
			t.Fatal(err)
		}
	}
}

// appWithRelay is the pledge app; main.go wires the relay command.
func appWithRelay() *cli.App { return newApp() }

// syncBuffer is a bytes.Buffer safe for the logger writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startRelayCommand runs `pledge relay args...` in the background and returns
// the address it listens on, once it logs it, and a stop function that
// cancels the command and returns its error.
func startRelayCommand(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	app := appWithRelay()
	logs := &syncBuffer{}
	app.Writer, app.ErrWriter = &bytes.Buffer{}, logs
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- app.RunContext(ctx, append([]string{"pledge", "--log-format", "json", "relay", "--listen", "127.0.0.1:0"}, args...))
	}()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("relay command did not stop within 10 s of cancellation")
		}
	}
	t.Cleanup(func() { _ = stop() })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(logs.String(), "\n") {
			var entry struct {
				Message string `json:"message"`
				Addr    string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Message == "relay listening" {
				return entry.Addr, stop
			}
		}
		select {
		case err := <-errc:
			t.Fatalf("relay command exited: %v\nlogs:\n%s", err, logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("relay command did not log its address; logs:\n%s", logs)
	return "", nil
}

func getStatus(t *testing.T, addr string) int {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/eth/v1/builder/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// writeKeyFile writes a raw hex BLS secret key file.
func writeKeyFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "relay.key")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A valid BLS secret key (well below the curve order).
const testRelaySecret = "0x3a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0"

func chainFlags(genesis time.Time) []string {
	return []string{
		"--genesis-fork-version", "0x10000038",
		"--genesis-time", fmt.Sprint(genesis.Unix()),
		"--seconds-per-slot", "2",
		"--fulu-fork-epoch", "0", "--fulu-fork-version", "0x70000038",
	}
}

func TestRelayCommandServesAndStops(t *testing.T) {
	tests := []struct {
		name string
		args func(t *testing.T) []string
	}{
		{"generated key, chain from flags", func(t *testing.T) []string {
			return append([]string{"--generate-key"}, chainFlags(time.Now())...)
		}},
		{"key file, chain from flags", func(t *testing.T) []string {
			return append([]string{"--secret-key-file", writeKeyFile(t, testRelaySecret+"\n")}, chainFlags(time.Now())...)
		}},
		{"chain from the beacon node", func(t *testing.T) []string {
			bn := beaconmock.New(beaconmock.Config{Spec: map[string]string{
				"ELECTRA_FORK_EPOCH": "0", "ELECTRA_FORK_VERSION": "0x60000038",
				"FULU_FORK_EPOCH": "2", "FULU_FORK_VERSION": "0x70000038",
			}})
			t.Cleanup(bn.Close)
			return []string{"--generate-key", "--beacon-url", bn.URL()}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearRelayEnv(t)
			addr, stop := startRelayCommand(t, tc.args(t)...)
			if code := getStatus(t, addr); code != http.StatusOK {
				t.Fatalf("status %d, want 200", code)
			}
			if err := stop(); err != nil {
				t.Fatalf("graceful stop: %v", err)
			}
			if _, err := http.Get("http://" + addr + "/eth/v1/builder/status"); err == nil {
				t.Fatal("relay still answers after stop")
			}
		})
	}
}

func TestRelayCommandBadFlags(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"code":503,"message":"syncing"}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	now := time.Now()
	tests := []struct {
		name string
		args func(t *testing.T) []string
		want string // a part of the one-line error
	}{
		{"no key", func(*testing.T) []string { return chainFlags(now) }, "missing --secret-key-file"},
		{"key and generate", func(t *testing.T) []string {
			return append([]string{"--generate-key", "--secret-key-file", writeKeyFile(t, testRelaySecret)}, chainFlags(now)...)
		}, "give --secret-key-file or --generate-key, not both"},
		{"key file not hex", func(t *testing.T) []string {
			return append([]string{"--secret-key-file", writeKeyFile(t, "zz")}, chainFlags(now)...)
		}, "--secret-key-file: key file"},
		{"key file missing", func(t *testing.T) []string {
			return append([]string{"--secret-key-file", filepath.Join(t.TempDir(), "nope")}, chainFlags(now)...)
		}, "--secret-key-file"},
		{"no genesis fork version", func(*testing.T) []string {
			return []string{"--generate-key", "--genesis-time", "1700000000", "--fulu-fork-epoch", "0", "--fulu-fork-version", "0x70000038"}
		}, "missing --genesis-fork-version (or give --beacon-url)"},
		{"no genesis time", func(*testing.T) []string {
			return []string{"--generate-key", "--genesis-fork-version", "0x10000038", "--fulu-fork-epoch", "0", "--fulu-fork-version", "0x70000038"}
		}, "missing --genesis-time"},
		{"bad fork version", func(*testing.T) []string {
			return append([]string{"--generate-key"}, append(chainFlags(now), "--genesis-fork-version", "0x1000")...)
		}, `invalid --genesis-fork-version "0x1000": want 4 bytes, got 2`},
		{"bad validators root", func(*testing.T) []string {
			return append([]string{"--generate-key", "--genesis-validators-root", "0xzz"}, chainFlags(now)...)
		}, `invalid --genesis-validators-root "0xzz": not hex`},
		{"no fork", func(*testing.T) []string {
			return []string{"--generate-key", "--genesis-fork-version", "0x10000038", "--genesis-time", "1700000000"}
		}, "no fork to serve"},
		{"fork version without epoch", func(*testing.T) []string {
			return []string{"--generate-key", "--genesis-fork-version", "0x10000038", "--genesis-time", "1700000000", "--fulu-fork-version", "0x70000038"}
		}, "missing --fulu-fork-epoch: --fulu-fork-version is given"},
		{"zero slot length", func(*testing.T) []string {
			return append([]string{"--generate-key"}, append(chainFlags(now), "--seconds-per-slot", "0")...)
		}, "invalid --seconds-per-slot 0"},
		{"beacon url not http", func(*testing.T) []string {
			return []string{"--generate-key", "--beacon-url", "localhost:5052"}
		}, `invalid --beacon-url "localhost:5052": want an http(s) URL`},
		{"beacon node not ready", func(*testing.T) []string {
			return []string{"--generate-key", "--beacon-url", down.URL}
		}, "beacon node: GET /eth/v1/beacon/genesis: 503 Service Unavailable"},
		{"listen address taken", func(t *testing.T) []string {
			taken := httptest.NewServer(http.NotFoundHandler())
			t.Cleanup(taken.Close)
			return append([]string{"--generate-key", "--listen", strings.TrimPrefix(taken.URL, "http://")}, chainFlags(now)...)
		}, "relay: listen on"},
		{"unknown flag", func(*testing.T) []string { return []string{"--nope"} }, "flag provided but not defined: -nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearRelayEnv(t)
			app := appWithRelay()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var out, logs bytes.Buffer
			app.Writer, app.ErrWriter = &out, &logs
			err := app.RunContext(ctx, append([]string{"pledge", "relay"}, tc.args(t)...))
			if err == nil {
				t.Fatal("relay started; want an error")
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line containing %q", msg, tc.want)
			}
			if strings.Contains(err.Error(), strings.TrimPrefix(testRelaySecret, "0x")) {
				t.Fatal("error quotes the secret key")
			}
		})
	}
}

func TestRelayFlagsFromEnv(t *testing.T) {
	clearRelayEnv(t)
	t.Setenv("PLEDGE_GENERATE_KEY", "true")
	t.Setenv("PLEDGE_GENESIS_FORK_VERSION", "0x10000038")
	t.Setenv("PLEDGE_GENESIS_TIME", fmt.Sprint(time.Now().Unix()))
	t.Setenv("PLEDGE_FULU_FORK_EPOCH", "0")
	t.Setenv("PLEDGE_FULU_FORK_VERSION", "0x70000038")
	addr, stop := startRelayCommand(t)
	if code := getStatus(t, addr); code != http.StatusOK {
		t.Fatalf("status %d, want 200", code)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// configFrom runs relayConfig on args the way the relay command parses them.
func configFrom(t *testing.T, args ...string) (relay.Config, error) {
	t.Helper()
	var cfg relay.Config
	var cfgErr error
	app := &cli.App{
		Flags:  relayFlags(),
		Action: func(c *cli.Context) error { cfg, cfgErr = relayConfig(c); return nil },
	}
	if err := app.Run(append([]string{"relay"}, args...)); err != nil {
		t.Fatal(err)
	}
	return cfg, cfgErr
}

func TestRelayConfigSources(t *testing.T) {
	genesis := time.Unix(1_750_000_000, 0)
	bn := beaconmock.New(beaconmock.Config{
		GenesisTime: genesis, SlotDuration: 6 * time.Second, SlotsPerEpoch: 8,
		GenesisForkVersion: [4]byte{0x10, 0, 0, 0x38}, GenesisValidatorsRoot: [32]byte{0x77},
		Spec: map[string]string{
			"ELECTRA_FORK_EPOCH": "0", "ELECTRA_FORK_VERSION": "0x60000038",
			"FULU_FORK_EPOCH": "3", "FULU_FORK_VERSION": "0x70000038",
		},
	})
	t.Cleanup(bn.Close)
	far := beaconmock.New(beaconmock.Config{Spec: map[string]string{
		"ELECTRA_FORK_EPOCH": "0", "ELECTRA_FORK_VERSION": "0x60000038",
		"FULU_FORK_EPOCH": "18446744073709551615", "FULU_FORK_VERSION": "0x70000038",
	}})
	t.Cleanup(far.Close)

	electraAt0 := relay.Fork{Version: spec.DataVersionElectra, Epoch: 0, ForkVersion: phase0.Version{0x60, 0, 0, 0x38}}
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, cfg relay.Config)
	}{
		{"beacon node only", []string{"--beacon-url", bn.URL()}, func(t *testing.T, cfg relay.Config) {
			want := relay.Config{
				GenesisForkVersion: phase0.Version{0x10, 0, 0, 0x38}, GenesisTime: genesis,
				SecondsPerSlot: 6, SlotsPerEpoch: 8, GenesisValidatorsRoot: phase0.Root{0x77},
				Forks: []relay.Fork{electraAt0, {Version: spec.DataVersionFulu, Epoch: 3, ForkVersion: phase0.Version{0x70, 0, 0, 0x38}}},
			}
			if fmt.Sprint(cfg) != fmt.Sprint(want) {
				t.Fatalf("config\n%+v\nwant\n%+v", cfg, want)
			}
		}},
		{"flags override the beacon node", []string{"--beacon-url", bn.URL(), "--seconds-per-slot", "12", "--fulu-fork-epoch", "5", "--genesis-time", "1760000000"},
			func(t *testing.T, cfg relay.Config) {
				if cfg.SecondsPerSlot != 12 || cfg.SlotsPerEpoch != 8 || cfg.GenesisTime.Unix() != 1_760_000_000 {
					t.Fatalf("timing %d s, %d slots, genesis %d", cfg.SecondsPerSlot, cfg.SlotsPerEpoch, cfg.GenesisTime.Unix())
				}
				if len(cfg.Forks) != 2 || cfg.Forks[1].Epoch != 5 || cfg.Forks[1].ForkVersion != (phase0.Version{0x70, 0, 0, 0x38}) {
					t.Fatalf("forks %+v: want fulu moved to epoch 5 with the beacon node's version", cfg.Forks)
				}
			}},
		{"far-future fork is not served", []string{"--beacon-url", far.URL()}, func(t *testing.T, cfg relay.Config) {
			if len(cfg.Forks) != 1 || cfg.Forks[0] != electraAt0 {
				t.Fatalf("forks %+v, want electra only", cfg.Forks)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearRelayEnv(t)
			cfg, err := configFrom(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, cfg)
		})
	}
	t.Run("flags only: defaults and no validators root", func(t *testing.T) {
		clearRelayEnv(t)
		cfg, err := configFrom(t, "--genesis-fork-version", "0x10000038", "--genesis-time", "1750000000",
			"--fulu-fork-epoch", "0", "--fulu-fork-version", "0x70000038")
		if err != nil {
			t.Fatal(err)
		}
		if cfg.SecondsPerSlot != 12 || cfg.SlotsPerEpoch != 32 || cfg.GenesisValidatorsRoot != (phase0.Root{}) {
			t.Fatalf("config %+v: want 12 s, 32 slots, no validators root", cfg)
		}
	})
}

// fullFuluBlock is the builder-specs Fulu example block (the relay's test
// vector, blinded) with an execution payload in place of its header.
func fullFuluBlock(t *testing.T) *api.VersionedSignedProposal {
	t.Helper()
	raw, err := os.ReadFile("../../relay/builderapi/testdata/fulu_signed_blinded_beacon_block.json")
	if err != nil {
		t.Fatal(err)
	}
	var wrap struct {
		Value apiv1electra.SignedBlindedBeaconBlock `json:"value"`
	}
	if err := json.Unmarshal(raw, &wrap); err != nil {
		t.Fatal(err)
	}
	m := wrap.Value.Message
	body := m.Body
	payload := &deneb.ExecutionPayload{
		ParentHash: body.ExecutionPayloadHeader.ParentHash, BlockHash: body.ExecutionPayloadHeader.BlockHash,
		BlockNumber: 7, GasLimit: 30_000_000, BaseFeePerGas: uint256.NewInt(7), ExtraData: []byte{},
		Transactions: []bellatrix.Transaction{{0x02, 0x01}}, Withdrawals: []*capella.Withdrawal{},
	}
	return &api.VersionedSignedProposal{Version: spec.DataVersionFulu, Fulu: &apiv1fulu.SignedBlockContents{
		SignedBlock: &electra.SignedBeaconBlock{
			Message: &electra.BeaconBlock{
				Slot: m.Slot, ProposerIndex: m.ProposerIndex, ParentRoot: m.ParentRoot, StateRoot: m.StateRoot,
				Body: &electra.BeaconBlockBody{
					RANDAOReveal: body.RANDAOReveal, ETH1Data: body.ETH1Data, Graffiti: body.Graffiti,
					ProposerSlashings: body.ProposerSlashings, AttesterSlashings: body.AttesterSlashings,
					Attestations: body.Attestations, Deposits: body.Deposits, VoluntaryExits: body.VoluntaryExits,
					SyncAggregate: body.SyncAggregate, ExecutionPayload: payload,
					BLSToExecutionChanges: body.BLSToExecutionChanges, BlobKZGCommitments: []deneb.KZGCommitment{},
					ExecutionRequests: body.ExecutionRequests,
				},
			},
			Signature: wrap.Value.Signature,
		},
		KZGProofs: []deneb.KZGProof{}, Blobs: []deneb.Blob{},
	}}
}

func TestBeaconPublisher(t *testing.T) {
	bn := beaconmock.New(beaconmock.Config{})
	t.Cleanup(bn.Close)
	var mu sync.Mutex
	var got []*api.VersionedSignedProposal
	bn.SetPublishHandler(func(_ context.Context, b *api.VersionedSignedProposal) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, b)
		return nil
	})
	block := fullFuluBlock(t)
	pub := newBeaconPublisher(bn.URL()+"/", time.Second)
	if err := pub.PublishBlock(context.Background(), block); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 1 || got[0].Version != spec.DataVersionFulu || got[0].Fulu == nil {
		mu.Unlock()
		t.Fatalf("beacon node got %d blocks, want 1 fulu block", len(got))
	}
	sent, _ := block.Fulu.SignedBlock.Message.HashTreeRoot()
	recv, _ := got[0].Fulu.SignedBlock.Message.HashTreeRoot()
	mu.Unlock()
	if sent != recv {
		t.Fatal("beacon node decoded another block than the one published")
	}

	t.Run("refusals", func(t *testing.T) {
		refusing := beaconmock.New(beaconmock.Config{})
		t.Cleanup(refusing.Close)
		refusing.SetPublishHandler(func(context.Context, *api.VersionedSignedProposal) error {
			return errors.New("bad proposer signature")
		})
		disabled := beaconmock.New(beaconmock.Config{})
		t.Cleanup(disabled.Close)
		tests := []struct {
			name  string
			url   string
			block *api.VersionedSignedProposal
			want  string
		}{
			{"beacon node refuses", refusing.URL(), block, "400 Bad Request"},
			{"publishing disabled", disabled.URL(), block, "publish block: 503"},
			{"no block", bn.URL(), nil, "no block to publish"},
			{"deneb block", bn.URL(), &api.VersionedSignedProposal{Version: spec.DataVersionDeneb}, "cannot publish a deneb block"},
			{"fulu without contents", bn.URL(), &api.VersionedSignedProposal{Version: spec.DataVersionFulu}, "cannot publish a fulu block"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := newBeaconPublisher(tc.url, time.Second).PublishBlock(context.Background(), tc.block)
				if !errors.Is(err, errBeaconNode) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want errBeaconNode containing %q", err, tc.want)
				}
			})
		}
	})
}
