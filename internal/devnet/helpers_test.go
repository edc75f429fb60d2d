package devnet_test

import (
	"context"
	"math/big"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builder"
)

// startNet starts a small network with 1 s slots, closed at the end of the test.
func startNet(t *testing.T, cfg devnet.Config) *devnet.Network {
	t.Helper()
	if cfg.SlotDuration == 0 {
		cfg.SlotDuration = time.Second
	}
	if cfg.Validators == 0 {
		cfg.Validators = 4
	}
	if cfg.SlotsPerEpoch == 0 {
		cfg.SlotsPerEpoch = 4
	}
	n, err := devnet.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Error(err)
		}
	})
	return n
}

// relayEnv is a relay publishing through the network's beacon node, with
// the reference builder building on the network's EL at each slot's start.
type relayEnv struct {
	relay   *relay.Relay
	srv     *httptest.Server
	builder *builder.Builder
	errs    chan error
}

func withRelay(t *testing.T, n *devnet.Network) *relayEnv {
	t.Helper()
	env := newRelay(t, n)
	n.OnSlot(func(ctx context.Context, info devnet.SlotInfo) {
		if err := env.builder.BuildAndSubmit(ctx, info.BuilderJob()); err != nil {
			env.errs <- err
		}
	})
	n.SetBuilderURL(env.srv.URL)
	return env
}

// newRelay is a relay for n with a builder that builds only when told.
func newRelay(t *testing.T, n *devnet.Network) *relayEnv {
	t.Helper()
	relayKey, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	r, err := relay.New(relayKey, n.RelayConfig(), relay.WithPublisher(devnet.NewBlockPublisher(n.BeaconURL(), 0)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r.Handler())
	t.Cleanup(srv.Close)
	builderKey, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	b, err := builder.New(builderKey, srv.URL, n.RelayConfig().GenesisForkVersion, devnet.NewELBuilder(n.EL(), 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return &relayEnv{relay: r, srv: srv, builder: b, errs: make(chan error, 64)}
}

// noBuilderErrors fails the test if the reference builder failed a slot.
func (e *relayEnv) noBuilderErrors(t *testing.T) {
	t.Helper()
	for {
		select {
		case err := <-e.errs:
			t.Errorf("builder: %v", err)
		default:
			return
		}
	}
}

// transfer signs and sends a transfer from account i with nonce.
func transfer(t *testing.T, n *devnet.Network, i int, nonce uint64) *types.Transaction {
	t.Helper()
	key := n.Accounts()[i]
	to := common.Address{0xbe, 0xef, byte(i)}
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(new(big.Int).SetUint64(n.Config().ChainID)), &types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(n.Config().ChainID), Nonce: nonce, GasTipCap: big.NewInt(2e9),
		GasFeeCap: big.NewInt(100e9), Gas: 21_000, To: &to, Value: big.NewInt(1),
	})
	if err := n.EL().Client().SendTransaction(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	return tx
}

func step(t *testing.T, n *devnet.Network) devnet.SlotRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec, err := n.Step(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// blockAt returns the EL block with number num.
func blockAt(t *testing.T, n *devnet.Network, num uint64) *types.Block {
	t.Helper()
	b, err := n.EL().Client().BlockByNumber(context.Background(), new(big.Int).SetUint64(num))
	if err != nil {
		t.Fatalf("block %d: %v", num, err)
	}
	return b
}
