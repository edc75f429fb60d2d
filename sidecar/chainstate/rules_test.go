package chainstate

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/params/forks"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/elnode"
)

// sameRulesAt fails unless a and b give a transaction the same rules at t:
// the same fork level and the same blob schedule.
func sameRulesAt(t *testing.T, a, b *params.ChainConfig, at uint64) {
	t.Helper()
	ra, rb := a.Rules(a.LondonBlock, true, at), b.Rules(b.LondonBlock, true, at)
	if ra.IsShanghai != rb.IsShanghai || ra.IsCancun != rb.IsCancun || ra.IsPrague != rb.IsPrague ||
		ra.IsOsaka != rb.IsOsaka || ra.IsAmsterdam != rb.IsAmsterdam {
		t.Fatalf("at %d: fork %s, want %s", at, a.LatestFork(at), b.LatestFork(at))
	}
	if ba, bb := a.BlobConfig(a.LatestFork(at)), b.BlobConfig(b.LatestFork(at)); !sameBlobConfig(ba, bb) {
		t.Fatalf("at %d: blob schedule %v, want %v", at, ba, bb)
	}
}

// TestRulesOfTheDevnetNode: the sidecar reads the devnet's own chain config
// the way it reads any client's, through eth_config, and gets its rules.
func TestRulesOfTheDevnetNode(t *testing.T) {
	node, err := elnode.Start(elnode.Config{GenesisTime: uint64(time.Now().Unix()) - 60})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = node.Close() })
	st, err := New(node.Client(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ChainConfig(); !errors.Is(err, ErrNoChainConfig) {
		t.Fatalf("before any head: %v, want ErrNoChainConfig", err)
	}
	head, err := st.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.ChainConfig()
	if err != nil {
		t.Fatal(err)
	}
	if st.rules.source != SourceEthConfig {
		t.Fatalf("source %q, want eth_config", st.rules.source)
	}
	want := node.ChainConfig()
	for _, at := range []uint64{head.Time, head.Time + 12, head.Time + 1<<32} {
		sameRulesAt(t, got, want, at)
	}
	if got.IsAmsterdam(got.LondonBlock, head.Time) {
		t.Fatal("the devnet runs Osaka; the rebuilt rules say Amsterdam")
	}
}

// ethclientOf is the JSON-RPC client inside a simulated.Client: its field
// Client hides the Client() method eth_config is read through.
func ethclientOf(t *testing.T, c simulated.Client) *ethclient.Client {
	t.Helper()
	v := reflect.ValueOf(c)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	ec, ok := v.FieldByName("Client").Interface().(*ethclient.Client)
	if !ok {
		t.Fatalf("no *ethclient.Client in %T", c)
	}
	return ec
}

// TestRulesOfTheSimulatedChain: go-ethereum's simulated backend runs its dev
// chain config, which gives the very same eth_config answer (fork ids too):
// the built-in config is used, with its forks named. Through the
// simulated.Client, which has no way to send eth_config, the same built-in
// config is the fallback for its chain id.
func TestRulesOfTheSimulatedChain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		el     func(s *sim) EL
		source string
	}{
		{"over JSON-RPC", func(s *sim) EL { return ethclientOf(t, s.client) }, SourceEthConfig},
		{"simulated.Client", func(s *sim) EL { return s.client }, SourceBuiltIn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			st, err := New(tc.el(s), zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			got, err := st.ChainConfig()
			if err != nil {
				t.Fatal(err)
			}
			if got != params.AllDevChainProtocolChanges || st.rules.source != tc.source {
				t.Fatalf("config %v from %q, want go-ethereum's dev chain config from %s", got, st.rules.source, tc.source)
			}
		})
	}
}

// withTimes returns a copy of c with the given fork times and blob schedules.
func withTimes(c *params.ChainConfig, f func(c *params.ChainConfig, s *params.BlobScheduleConfig)) *params.ChainConfig {
	cp := *c
	s := *c.BlobScheduleConfig
	cp.BlobScheduleConfig = &s
	f(&cp, &s)
	return &cp
}

func u64(v uint64) *uint64 { return &v }

// TestConfigOfAnswer feeds configOf the eth_config answers go-ethereum gives
// for known configs, with and without overrides: a built-in config is used
// only when it gives the same answer, else the rebuilt config has the same
// rules from the head's time on, up to the forks the answer names.
func TestConfigOfAnswer(t *testing.T) {
	mainnet := params.MainnetChainConfig
	genesisAt := func(ts uint64) *types.Header {
		return &types.Header{Number: big.NewInt(0), Time: ts, Difficulty: big.NewInt(0)}
	}
	devnet := elnode.NewGenesis(elnode.Config{GenesisTime: 1_000})
	for _, tc := range []struct {
		name     string
		config   *params.ChainConfig
		genesis  *types.Header
		headTime uint64
		builtIn  bool
	}{
		{"mainnet under Prague", mainnet, genesisAt(1438269973), *mainnet.PragueTime + 100, true},
		{"mainnet between Osaka and BPO1", mainnet, genesisAt(1438269973), *mainnet.OsakaTime + 100, true},
		{"mainnet after BPO2", mainnet, genesisAt(1438269973), *mainnet.BPO2Time + 100, true},
		{"sepolia", params.SepoliaChainConfig, genesisAt(1633267481), *params.SepoliaChainConfig.OsakaTime + 100, true},
		{"hoodi", params.HoodiChainConfig, genesisAt(1742213400), *params.HoodiChainConfig.OsakaTime + 100, true},
		{"mainnet with BPO2 moved by an override", withTimes(mainnet, func(c *params.ChainConfig, _ *params.BlobScheduleConfig) {
			c.BPO2Time = u64(*mainnet.BPO2Time + 7*24*3600)
		}), genesisAt(1438269973), *mainnet.BPO1Time + 100, false},
		{"mainnet with a BPO3", withTimes(mainnet, func(c *params.ChainConfig, s *params.BlobScheduleConfig) {
			c.BPO3Time, s.BPO3 = u64(*mainnet.BPO2Time+30*24*3600), params.DefaultBPO3BlobConfig
		}), genesisAt(1438269973), *mainnet.BPO2Time + 100, false},
		{"devnet: Osaka at genesis", devnet.Config, genesisAt(1_000), 2_000, false},
		{"custom: Prague now, Osaka and BPO1 next", withTimes(devnet.Config, func(c *params.ChainConfig, s *params.BlobScheduleConfig) {
			c.OsakaTime, c.BPO1Time, s.BPO1 = u64(5_000), u64(9_000), params.DefaultBPO1BlobConfig
		}), genesisAt(1_000), 2_000, false},
		{"custom: Osaka now, Amsterdam next", withTimes(devnet.Config, func(c *params.ChainConfig, _ *params.BlobScheduleConfig) {
			c.AmsterdamTime = u64(5_000)
		}), genesisAt(1_000), 2_000, false},
		{"custom: Cancun at genesis, Prague next", withTimes(devnet.Config, func(c *params.ChainConfig, s *params.BlobScheduleConfig) {
			c.PragueTime, c.OsakaTime = u64(5_000), nil
		}), genesisAt(1_000), 2_000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := ethConfigOf(tc.config, tc.genesis, tc.headTime)
			got, name, err := configOf(answer, tc.config.ChainID, tc.genesis, tc.headTime)
			if err != nil {
				t.Fatal(err)
			}
			if builtIn := name != "rebuilt from eth_config"; builtIn != tc.builtIn {
				t.Fatalf("config %q, want built-in %v", name, tc.builtIn)
			}
			// The answer names the current, next and last fork: between
			// next and last other forks may hide, and the State reads the
			// answer again once next is active.
			horizon := ^uint64(0)
			if answer.Next != nil && answer.Last != nil && answer.Next.ActivationTime != answer.Last.ActivationTime {
				for f := tc.config.LatestFork(uint64(answer.Next.ActivationTime)) + 1; f <= forks.Bogota; f++ {
					if ts := tc.config.Timestamp(f); ts != nil {
						horizon = *ts
						break
					}
				}
			}
			for _, at := range []uint64{tc.headTime, tc.headTime + 1, uint64(answer.Current.ActivationTime) + 1} {
				if at >= tc.headTime && at < horizon {
					sameRulesAt(t, got, tc.config, at)
				}
			}
			for _, f := range []*forkConfig{answer.Next, answer.Last} {
				if f == nil {
					continue
				}
				for _, at := range []uint64{uint64(f.ActivationTime) - 1, uint64(f.ActivationTime), uint64(f.ActivationTime) + 3600} {
					if at >= tc.headTime && at < horizon {
						sameRulesAt(t, got, tc.config, at)
					}
				}
			}
		})
	}
}

// TestConfigOfRefusesAnUnknownFork: a fork whose precompiles no level of this
// build has is refused rather than guessed.
func TestConfigOfRefusesAnUnknownFork(t *testing.T) {
	c := elnode.NewGenesis(elnode.Config{}).Config
	g := &types.Header{Number: big.NewInt(0), Difficulty: big.NewInt(0)}
	a := ethConfigOf(c, g, 10)
	a.Current.Precompiles["FANCY_NEW_THING"] = a.Current.Precompiles["ECREC"]
	if _, _, err := configOf(a, c.ChainID, g, 10); !errors.Is(err, ErrNoChainConfig) || !strings.Contains(err.Error(), "FANCY_NEW_THING") {
		t.Fatalf("err = %v, want ErrNoChainConfig naming the unknown precompile", err)
	}
}

// noEthConfigEL is an execution client that does not serve eth_config: its
// JSON-RPC server has no such method.
type noEthConfigEL struct {
	EL
	chainID *big.Int
	rc      *rpc.Client
}

func (e *noEthConfigEL) ChainID(context.Context) (*big.Int, error) { return e.chainID, nil }
func (e *noEthConfigEL) Client() *rpc.Client                       { return e.rc }

type emptyService struct{}

func (emptyService) Ping() string { return "pong" }

func newNoEthConfigEL(t *testing.T, chainID uint64) *noEthConfigEL {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("web3", emptyService{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	rc := rpc.DialInProc(srv)
	t.Cleanup(rc.Close)
	return &noEthConfigEL{EL: newSim(t).client, chainID: new(big.Int).SetUint64(chainID), rc: rc}
}

// TestRulesWithoutEthConfig: without eth_config the sidecar says so at once
// and uses go-ethereum's built-in rules for a known chain; for an unknown
// chain it has no rules, and says why.
func TestRulesWithoutEthConfig(t *testing.T) {
	t.Run("known chain", func(t *testing.T) {
		var logs bytes.Buffer
		st, err := New(newNoEthConfigEL(t, 1), zerolog.New(&logs))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		got, err := st.ChainConfig()
		if err != nil || got != params.MainnetChainConfig || st.rules.source != SourceBuiltIn {
			t.Fatalf("config %p from %q (%v), want mainnet's built-in", got, st.rules.source, err)
		}
		if !strings.Contains(logs.String(), `"level":"warn"`) || !strings.Contains(logs.String(), "does not serve eth_config") {
			t.Fatalf("no warning that eth_config is missing: %s", logs.String())
		}
	})
	t.Run("unknown chain", func(t *testing.T) {
		var logs bytes.Buffer
		st, err := New(newNoEthConfigEL(t, 4242), zerolog.New(&logs))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, err = st.ChainConfig()
		if !errors.Is(err, ErrNoChainConfig) || !strings.Contains(err.Error(), "eth_config") || !strings.Contains(err.Error(), "4242") {
			t.Fatalf("err = %v, want ErrNoChainConfig saying eth_config is missing for chain 4242", err)
		}
		if !strings.Contains(logs.String(), `"level":"error"`) {
			t.Fatalf("no error logged: %s", logs.String())
		}
	})
}

// TestRulesGiven: a config given to New is used as is, and a bad one refused.
func TestRulesGiven(t *testing.T) {
	s := newSim(t)
	st, err := New(s.client, zerolog.Nop(), WithChainConfig(params.HoodiChainConfig))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, err := st.ChainConfig(); err != nil || got != params.HoodiChainConfig {
		t.Fatalf("config %p, %v; want the given one", got, err)
	}
	bad := withTimes(params.MainnetChainConfig, func(c *params.ChainConfig, s *params.BlobScheduleConfig) { s.BPO1 = nil })
	if _, err := New(s.client, zerolog.Nop(), WithChainConfig(bad)); err == nil {
		t.Fatal("a config with a BPO fork and no blob schedule for it was taken")
	}
}
