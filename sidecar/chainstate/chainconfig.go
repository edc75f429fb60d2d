package chainstate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/forkid"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/params/forks"
	"github.com/ethereum/go-ethereum/rpc"
)

// The chain's rules — which forks are active at a time, and each fork's blob
// schedule — decide whether a block at a future slot can hold a transaction.
// They come, in order of preference, from
//   - the execution client's eth_config (EIP-7910), which names the current,
//     next and last fork with their activation time, blob schedule,
//     precompiles and system contracts: when go-ethereum has a built-in
//     config for the chain id that gives the same answer it is used (its
//     forks are named), else one is rebuilt from the answer;
//   - go-ethereum's built-in config for a known chain id, when the client
//     does not serve eth_config.

// Where a chain config came from (Rules.Source).
const (
	SourceEthConfig = "eth_config"
	SourceBuiltIn   = "built-in"
	SourceFixed     = "given"
)

// ErrNoChainConfig is returned when the chain's rules cannot be known: the
// execution client does not serve eth_config and go-ethereum has no built-in
// config for its chain id, or the answer names a fork this build does not
// know.
var ErrNoChainConfig = errors.New("chain rules unknown")

// errNoEthConfig is returned by readEthConfig when the client does not serve
// the method at all (as opposed to failing to answer).
var errNoEthConfig = errors.New("the execution client does not serve eth_config (EIP-7910)")

// ethConfig is the answer of eth_config (EIP-7910).
type ethConfig struct {
	Current *forkConfig `json:"current"`
	Next    *forkConfig `json:"next"`
	Last    *forkConfig `json:"last"`
}

// forkConfig is one fork of an eth_config answer.
type forkConfig struct {
	ActivationTime  flexUint64                `json:"activationTime"`
	BlobSchedule    *params.BlobConfig        `json:"blobSchedule"`
	ChainID         *hexutil.Big              `json:"chainId"`
	ForkID          hexutil.Bytes             `json:"forkId"`
	Precompiles     map[string]common.Address `json:"precompiles"`
	SystemContracts map[string]common.Address `json:"systemContracts"`
}

// flexUint64 reads a JSON number, or a quoted decimal or 0x-hex number:
// EIP-7910 says a number, and a client writing quantities as hex is read too.
type flexUint64 uint64

func (f *flexUint64) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			return fmt.Errorf("activation time %q: %w", s, err)
		}
		*f = flexUint64(v)
		return nil
	}
	var v uint64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = flexUint64(v)
	return nil
}

// forks lists the answer's forks in order, without a repeated last.
func (a *ethConfig) forks() []*forkConfig {
	out := []*forkConfig{a.Current}
	for _, f := range []*forkConfig{a.Next, a.Last} {
		if f != nil && f.ActivationTime != out[len(out)-1].ActivationTime {
			out = append(out, f)
		}
	}
	return out
}

// readEthConfig asks the client for eth_config.
func readEthConfig(ctx context.Context, rc *rpc.Client) (*ethConfig, error) {
	var a ethConfig
	if err := rc.CallContext(ctx, &a, "eth_config"); err != nil {
		var re rpc.Error
		if errors.As(err, &re) && re.ErrorCode() == -32601 {
			return nil, errNoEthConfig
		}
		return nil, fmt.Errorf("eth_config: %w", err)
	}
	if a.Current == nil {
		return nil, errors.New("eth_config: no current fork in the answer")
	}
	return &a, nil
}

// builtInConfig is go-ethereum's config for a chain id it knows: the public
// networks, and its dev chain (ethclient/simulated, geth --dev).
func builtInConfig(chainID uint64) (*params.ChainConfig, string, bool) {
	switch chainID {
	case params.MainnetChainConfig.ChainID.Uint64():
		return params.MainnetChainConfig, "mainnet", true
	case params.SepoliaChainConfig.ChainID.Uint64():
		return params.SepoliaChainConfig, "sepolia", true
	case params.HoodiChainConfig.ChainID.Uint64():
		return params.HoodiChainConfig, "hoodi", true
	case params.AllDevChainProtocolChanges.ChainID.Uint64():
		return params.AllDevChainProtocolChanges, "go-ethereum dev chain", true
	}
	return nil, "", false
}

// ethConfigOf is what go-ethereum's eth_config answers for config c on the
// chain with genesis header genesis when its head has time headTime
// (internal/ethapi BlockChainAPI.Config of v1.17.10).
func ethConfigOf(c *params.ChainConfig, genesis *types.Header, headTime uint64) *ethConfig {
	assemble := func(ts *uint64) *forkConfig {
		if ts == nil {
			return nil
		}
		t := *ts
		rules := c.Rules(c.LondonBlock, true, t)
		pre := make(map[string]common.Address)
		for addr, p := range vm.ActivePrecompiledContracts(rules) {
			pre[p.Name()] = addr
		}
		activation := t
		if genesis.Time >= t {
			activation = 0
		}
		id := forkid.NewID(c, types.NewBlockWithHeader(genesis), ^uint64(0), t).Hash
		return &forkConfig{
			ActivationTime:  flexUint64(activation),
			BlobSchedule:    c.BlobConfig(c.LatestFork(t)),
			ChainID:         (*hexutil.Big)(c.ChainID),
			ForkID:          id[:],
			Precompiles:     pre,
			SystemContracts: c.ActiveSystemContracts(t),
		}
	}
	current, last := c.LatestFork(headTime), c.LatestFork(^uint64(0))
	var next *uint64
	for f := current + 1; f <= last; f++ {
		if ts := c.Timestamp(f); ts != nil {
			next = ts
			break
		}
	}
	a := &ethConfig{Current: assemble(c.Timestamp(current)), Next: assemble(next), Last: assemble(c.Timestamp(last))}
	if a.Next == nil {
		a.Last = nil
	}
	return a
}

// sameAnswer reports how two eth_config answers differ, nil when they do
// not. Fork ids are compared only when withForkID: a rebuilt config does not
// know the times of the forks before the current one, which the id hashes.
func sameAnswer(got, want *ethConfig, withForkID bool) error {
	g, w := got.forks(), want.forks()
	if len(g) != len(w) {
		return fmt.Errorf("%d forks scheduled, want %d", len(g)-1, len(w)-1)
	}
	for i := range g {
		a, b := g[i], w[i]
		name := [...]string{"current", "next", "last"}[i]
		switch {
		case a.ActivationTime != b.ActivationTime:
			return fmt.Errorf("%s fork at %d, want %d", name, a.ActivationTime, b.ActivationTime)
		case !sameBlobConfig(a.BlobSchedule, b.BlobSchedule):
			return fmt.Errorf("%s fork's blob schedule %v, want %v", name, a.BlobSchedule, b.BlobSchedule)
		case (a.ChainID == nil) != (b.ChainID == nil) || a.ChainID != nil && a.ChainID.ToInt().Cmp(b.ChainID.ToInt()) != 0:
			return fmt.Errorf("%s fork's chain id %v, want %v", name, a.ChainID, b.ChainID)
		case !sameAddresses(a.Precompiles, b.Precompiles):
			return fmt.Errorf("%s fork's precompiles %v, want %v", name, slices.Sorted(maps.Keys(a.Precompiles)), slices.Sorted(maps.Keys(b.Precompiles)))
		case !maps.Equal(a.SystemContracts, b.SystemContracts):
			return fmt.Errorf("%s fork's system contracts %v, want %v", name, slices.Sorted(maps.Keys(a.SystemContracts)), slices.Sorted(maps.Keys(b.SystemContracts)))
		case withForkID && !bytes.Equal(a.ForkID, b.ForkID):
			return fmt.Errorf("%s fork id %x, want %x", name, a.ForkID, b.ForkID)
		}
	}
	return nil
}

// sameAddresses reports whether two precompile maps hold the same
// addresses: EIP-7910 names them, but a client naming one differently runs
// the same fork.
func sameAddresses(a, b map[string]common.Address) bool {
	if len(a) != len(b) {
		return false
	}
	sa, sb := slices.SortedFunc(maps.Values(a), common.Address.Cmp), slices.SortedFunc(maps.Values(b), common.Address.Cmp)
	return slices.Equal(sa, sb)
}

func sameBlobConfig(a, b *params.BlobConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// levels are the forks whose transaction rules differ, in order; the BPO
// forks only change the blob schedule of the level before them.
var levels = []forks.Fork{forks.Shanghai, forks.Cancun, forks.Prague, forks.Osaka, forks.Amsterdam}

// levelConfig is a config with every fork up to level active at time 0.
func levelConfig(chainID *big.Int, level forks.Fork) *params.ChainConfig {
	zero := uint64(0)
	c := &params.ChainConfig{
		ChainID:                 new(big.Int).Set(chainID),
		HomesteadBlock:          big.NewInt(0),
		EIP150Block:             big.NewInt(0),
		EIP155Block:             big.NewInt(0),
		EIP158Block:             big.NewInt(0),
		ByzantiumBlock:          big.NewInt(0),
		ConstantinopleBlock:     big.NewInt(0),
		PetersburgBlock:         big.NewInt(0),
		IstanbulBlock:           big.NewInt(0),
		MuirGlacierBlock:        big.NewInt(0),
		BerlinBlock:             big.NewInt(0),
		LondonBlock:             big.NewInt(0),
		ArrowGlacierBlock:       big.NewInt(0),
		GrayGlacierBlock:        big.NewInt(0),
		MergeNetsplitBlock:      big.NewInt(0),
		TerminalTotalDifficulty: big.NewInt(0),
		ShanghaiTime:            &zero,
	}
	for _, l := range levels[1:] {
		if l <= level {
			setForkTime(c, l, 0)
		}
	}
	if level >= forks.Cancun {
		c.BlobScheduleConfig = &params.BlobScheduleConfig{Cancun: params.DefaultCancunBlobConfig, Prague: params.DefaultPragueBlobConfig}
	}
	return c
}

func setForkTime(c *params.ChainConfig, f forks.Fork, t uint64) {
	switch f {
	case forks.Shanghai:
		c.ShanghaiTime = &t
	case forks.Cancun:
		c.CancunTime = &t
	case forks.Prague:
		c.PragueTime = &t
	case forks.Osaka:
		c.OsakaTime = &t
	case forks.Amsterdam:
		c.AmsterdamTime = &t
	}
}

// forkLevel identifies the transaction-rules level of one fork of an answer
// by its precompiles and system contracts, as go-ethereum reports them.
func forkLevel(f *forkConfig, chainID *big.Int) (forks.Fork, error) {
	for _, l := range slices.Backward(levels) {
		c := levelConfig(chainID, l)
		want := ethConfigOf(c, &types.Header{Number: big.NewInt(0), Difficulty: big.NewInt(0)}, 0).Current
		if sameAddresses(f.Precompiles, want.Precompiles) && sameKeys(f.SystemContracts, want.SystemContracts) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("%w: a fork with precompiles %v and system contracts %v is none this build knows",
		ErrNoChainConfig, slices.Sorted(maps.Keys(f.Precompiles)), slices.Sorted(maps.Keys(f.SystemContracts)))
}

func sameKeys[V any](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// configFromAnswer rebuilds a chain config from an eth_config answer: the
// current fork's level and every level below it active (the levels below at
// time 0: only times from now on are ever asked), each later fork at its
// activation time, and a schedule change within a level as a BPO fork.
func configFromAnswer(a *ethConfig, chainID *big.Int) (*params.ChainConfig, error) {
	fs := a.forks()
	cur, err := forkLevel(fs[0], chainID)
	if err != nil {
		return nil, err
	}
	c := levelConfig(chainID, cur)
	setForkTime(c, cur, uint64(fs[0].ActivationTime))
	if addr, ok := fs[0].SystemContracts["DEPOSIT_CONTRACT_ADDRESS"]; ok {
		c.DepositContractAddress = addr
	}
	bsc := &params.BlobScheduleConfig{}
	c.BlobScheduleConfig = bsc
	if cur >= forks.Cancun {
		if fs[0].BlobSchedule == nil {
			return nil, fmt.Errorf("%w: the current fork has blobs but no blob schedule", ErrNoChainConfig)
		}
		s := *fs[0].BlobSchedule
		bsc.Cancun, bsc.Prague = &s, &s
	}
	bpos := []struct {
		t   **uint64
		cfg **params.BlobConfig
	}{
		{&c.BPO1Time, &bsc.BPO1}, {&c.BPO2Time, &bsc.BPO2}, {&c.BPO3Time, &bsc.BPO3},
		{&c.BPO4Time, &bsc.BPO4}, {&c.BPO5Time, &bsc.BPO5},
	}
	prev, sched := cur, fs[0].BlobSchedule
	for _, f := range fs[1:] {
		l, err := forkLevel(f, chainID)
		if err != nil {
			return nil, err
		}
		if l < prev {
			return nil, fmt.Errorf("%w: fork at %d goes back to %s rules", ErrNoChainConfig, f.ActivationTime, l)
		}
		t := uint64(f.ActivationTime)
		for _, x := range levels {
			if x > prev && x <= l {
				setForkTime(c, x, t)
			}
		}
		switch {
		case l < forks.Cancun:
		case f.BlobSchedule == nil:
			return nil, fmt.Errorf("%w: fork at %d has no blob schedule", ErrNoChainConfig, t)
		case l >= forks.Cancun && prev < forks.Cancun:
			s := *f.BlobSchedule
			bsc.Cancun, bsc.Prague = &s, &s
		case l >= forks.Prague && prev < forks.Prague:
			s := *f.BlobSchedule
			bsc.Prague = &s
		case !sameBlobConfig(f.BlobSchedule, sched):
			if len(bpos) == 0 {
				return nil, fmt.Errorf("%w: more blob schedule changes than BPO forks", ErrNoChainConfig)
			}
			s := *f.BlobSchedule
			*bpos[0].t, *bpos[0].cfg = &t, &s
			bpos = bpos[1:]
		}
		prev, sched = l, f.BlobSchedule
	}
	if err := c.CheckConfigForkOrder(); err != nil {
		return nil, fmt.Errorf("%w: rebuilt from eth_config: %w", ErrNoChainConfig, err)
	}
	return c, nil
}

// configOf picks the chain config for an eth_config answer: go-ethereum's
// built-in one for chainID when it gives the very same answer (fork ids
// included), else one rebuilt from the answer, which must give it back.
func configOf(a *ethConfig, chainID *big.Int, genesis *types.Header, headTime uint64) (*params.ChainConfig, string, error) {
	if a.Current.ChainID != nil && a.Current.ChainID.ToInt().Cmp(chainID) != 0 {
		return nil, "", fmt.Errorf("eth_config is for chain %v, the client's chain id is %v", a.Current.ChainID, chainID)
	}
	if chainID.IsUint64() {
		if c, name, ok := builtInConfig(chainID.Uint64()); ok && sameAnswer(ethConfigOf(c, genesis, headTime), a, true) == nil {
			return c, name, nil
		}
	}
	c, err := configFromAnswer(a, chainID)
	if err != nil {
		return nil, "", err
	}
	if err := sameAnswer(ethConfigOf(c, genesis, headTime), a, false); err != nil {
		return nil, "", fmt.Errorf("%w: the config rebuilt from eth_config does not give it back: %w", ErrNoChainConfig, err)
	}
	return c, "rebuilt from eth_config", nil
}
