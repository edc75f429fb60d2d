package benchtable

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/elnode"
	"github.com/pledgeproto/pledge/sidecar/fallback"
)

const fallbackTxs = 16

var fallbackBeaconRoot = common.Hash{0x42}

// fallbackRows measures one local fallback build of 16 promised transfers
// (16 senders) on an in-process geth through its authenticated engine API:
// testing_buildBlockV1, the payload checks, engine_newPayload, conversion
// and the BLS-signed bid — to a payload the EL accepted. Signing the txs and
// importing the block (so the next build has a new parent) are untimed.
func fallbackRows(ctx context.Context, e *env) []Row {
	const what = "fallback build, 16 promised txs, to a payload geth accepted"
	keys := make([]*ecdsa.PrivateKey, fallbackTxs)
	alloc := types.GenesisAlloc{}
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			return failed("fallback", err, what)
		}
		keys[i] = k
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))}
	}
	node, err := elnode.Start(elnode.Config{ChainID: 31337, Alloc: alloc, GenesisTime: uint64(time.Now().Unix())})
	if err != nil {
		return failed("fallback", fmt.Errorf("start geth: %w", err), what)
	}
	defer node.Close()
	engineAPI, err := fallback.DialEngine(ctx, node.EngineEndpoint(), node.JWTSecret())
	if err != nil {
		return failed("fallback", err, what)
	}
	defer engineAPI.Close()
	el, err := rpc.DialContext(ctx, node.HTTPEndpoint())
	if err != nil {
		return failed("fallback", err, what)
	}
	defer el.Close()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		return failed("fallback", err, what)
	}
	fb, err := fallback.New(engineAPI, el, sk, fallback.Config{GenesisForkVersion: proxyForkVersion, GasLimit: elnode.DefaultGasLimit}, zerolog.Nop())
	if err != nil {
		return failed("fallback", err, what)
	}
	signer := types.LatestSigner(node.ChainConfig())
	to := common.Address{0xbe, 0xef}
	nonce := uint64(0)
	benchtime := "30x"
	if e.quick {
		benchtime = "5x"
	}
	r, err := benchmark(benchtime, func(b *testing.B) error {
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			top := make([][]byte, 0, fallbackTxs)
			for _, k := range keys {
				tx, err := types.SignNewTx(k, signer, &types.DynamicFeeTx{
					ChainID: node.ChainConfig().ChainID, Nonce: nonce, GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
					Gas: params.TxGas, To: &to, Value: big.NewInt(1),
				})
				if err != nil {
					return err
				}
				raw, err := tx.MarshalBinary()
				if err != nil {
					return err
				}
				top = append(top, raw)
			}
			nonce++
			head, err := node.Client().HeaderByNumber(ctx, nil)
			if err != nil {
				return err
			}
			req := fallback.BuildRequest{
				Slot: head.Number.Uint64() + 1, Timestamp: head.Time + 12, ParentHash: head.Hash(),
				ProposerPubkey: phase0.BLSPubKey{0xaa}, PrevRandao: common.Hash{0x07}, ParentBeaconRoot: fallbackBeaconRoot,
				Withdrawals:  []*capella.Withdrawal{{Index: 7, ValidatorIndex: 100, Address: bellatrix.ExecutionAddress{0xd1}, Amount: 1}},
				FeeRecipient: common.Address{0xfe}, TopTxs: top,
			}
			b.StartTimer()
			built, err := fb.Build(ctx, req)
			if err != nil {
				return fmt.Errorf("build: %w", err)
			}
			b.StopTimer()
			if got := len(built.Payload.Transactions); got != fallbackTxs {
				return fmt.Errorf("fallback payload holds %d txs, want %d", got, fallbackTxs)
			}
			if err := node.ImportPayload(ctx, built.Envelope, fallbackBeaconRoot, nil, built.RawRequests); err != nil {
				return fmt.Errorf("import: %w", err)
			}
			b.StartTimer()
		}
		return nil
	})
	if err != nil {
		return failed("fallback", err, what)
	}
	return []Row{{ID: "fallback", What: what, Value: float64(r.NsPerOp()) / 1e6, Unit: "ms",
		Target: &Target{AtMost: true, Value: 100, Source: "#5"},
		Note:   fmt.Sprintf("%d builds on in-process geth (elnode), engine API with JWT", r.N)}}
}
