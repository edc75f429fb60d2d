package benchtable

import (
	"context"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var initTesting sync.Once

// benchmark runs f under testing.Benchmark for benchtime (a -benchtime
// value: "1s", "30x"). f returns an error instead of calling b.Fatal so the
// reason reaches the table (testing.Benchmark discards the log).
func benchmark(benchtime string, f func(b *testing.B) error) (testing.BenchmarkResult, error) {
	// testing.Benchmark reads the -test.benchtime flag's variable; Init
	// registers it (and does nothing inside a test binary, where it ran).
	initTesting.Do(testing.Init)
	if err := flag.Set("test.benchtime", benchtime); err != nil {
		return testing.BenchmarkResult{}, fmt.Errorf("benchtime %q: %w", benchtime, err)
	}
	var (
		mu    sync.Mutex
		first error
	)
	r := testing.Benchmark(func(b *testing.B) {
		if err := f(b); err != nil {
			mu.Lock()
			if first == nil {
				first = err
			}
			mu.Unlock()
			b.FailNow()
		}
	})
	mu.Lock()
	defer mu.Unlock()
	switch {
	case first != nil:
		return r, first
	case r.N == 0:
		return r, fmt.Errorf("%w (no iterations; a helper stopped it)", ErrBenchmark)
	}
	return r, nil
}

func (e *env) microTime() string {
	if e.quick {
		return "200ms"
	}
	return "2s"
}

func usPerOp(r testing.BenchmarkResult) float64 {
	return float64(r.T.Nanoseconds()) / float64(r.N) / 1e3
}

func microRow(id, what string, r testing.BenchmarkResult, err error, note string) []Row {
	if err != nil {
		return failed(id, err, what)
	}
	return []Row{{ID: id, What: what, Value: usPerOp(r), Unit: "µs/op",
		Note: fmt.Sprintf("%s%d B/op, %d allocs/op over %d runs", note, r.AllocedBytesPerOp(), r.AllocsPerOp(), r.N)}}
}

// benchPromise is a one-transaction L1 promise as the sidecar signs them.
func benchPromise() (*protocol.Promise, protocol.Domain) {
	d := protocol.Domain{ChainID: 3151908, Slasher: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	return &protocol.Promise{
		CommitmentType: protocol.TypeL1Inclusion,
		Operator:       common.HexToAddress("0x00000000000000000000000000000000000000c0"),
		Slot:           123456,
		SlashAmount:    big.NewInt(1e16),
		RequestHash:    common.Hash{0x11, 0x22},
		Inclusions: []protocol.Inclusion{{
			ChainID: d.ChainID, TxHash: common.Hash{0xaa, 1}, Sender: common.Address{0x5e}, Nonce: 7,
			MaxFeePerGas: big.NewInt(30e9), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(21000 * 30e9),
		}},
	}, d
}

func signRows(_ context.Context, e *env) []Row {
	key, err := crypto.GenerateKey()
	if err != nil {
		return failed("promise-sign", err, "promise sign")
	}
	p, d := benchPromise()
	r, err := benchmark(e.microTime(), func(b *testing.B) error {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := protocol.SignPromise(p, d, key); err != nil {
				return err
			}
		}
		return nil
	})
	return microRow("promise-sign", "promise sign (commitment digest + secp256k1)", r, err, "")
}

func verifyRows(_ context.Context, e *env) []Row {
	key, err := crypto.GenerateKey()
	if err != nil {
		return failed("promise-verify", err, "promise verify")
	}
	p, d := benchPromise()
	sig, err := protocol.SignPromise(p, d, key)
	if err != nil {
		return failed("promise-verify", err, "promise verify")
	}
	committer := crypto.PubkeyToAddress(key.PublicKey)
	r, err := benchmark(e.microTime(), func(b *testing.B) error {
		b.ReportAllocs()
		for b.Loop() {
			if err := protocol.VerifyPromise(p, d, sig, committer); err != nil {
				return err
			}
		}
		return nil
	})
	return microRow("promise-verify", "promise verify (digest + signer recovery)", r, err, "")
}

func decodeRows(_ context.Context, e *env) []Row {
	const what = "tx decode with sender recovery"
	key, err := crypto.GenerateKey()
	if err != nil {
		return failed("tx-decode", err, what)
	}
	chain := big.NewInt(3151908)
	to := common.Address{0xde, 0xad}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chain), &types.DynamicFeeTx{
		ChainID: chain, Nonce: 3, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(30e9), Gas: 21000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		return failed("tx-decode", err, what)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return failed("tx-decode", err, what)
	}
	r, err := benchmark(e.microTime(), func(b *testing.B) error {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := protocol.DecodeTransaction(raw, chain.Uint64()); err != nil {
				return err
			}
		}
		return nil
	})
	cgo := "off"
	if cgoEnabled {
		cgo = "on"
	}
	return microRow("tx-decode", what, r, err, "type-2 transfer, cgo "+cgo+" (#4 measured 33 µs with cgo, 127 µs without); ")
}

// multiproofRows: VerifyInclusionMultiProof of 128 txs spread over a
// 1,000-tx payload of random 150–250-byte txs, as the relay and the proxy
// check a builder's proof.
func multiproofRows(_ context.Context, e *env) []Row {
	const what = "multiproof verify, 128 of 1,000 txs"
	r := rand.New(rand.NewPCG(1, 2))
	txs := make([][]byte, 1000)
	for i := range txs {
		tx := make([]byte, 150+r.IntN(100))
		for j := range tx {
			tx[j] = byte(r.Uint32())
		}
		txs[i] = tx
	}
	indices := make([]uint64, 128)
	leaves := make([][32]byte, len(indices))
	for i := range indices {
		indices[i] = uint64(i * 7)
		leaves[i] = protocol.TransactionRoot(txs[indices[i]])
	}
	root := protocol.TransactionsRoot(txs)
	proof, err := protocol.NewInclusionMultiProof(txs, indices)
	if err != nil {
		return failed("multiproof", err, what)
	}
	res, err := benchmark(e.microTime(), func(b *testing.B) error {
		b.ReportAllocs()
		for b.Loop() {
			if err := protocol.VerifyInclusionMultiProof(root, leaves, proof); err != nil {
				return err
			}
		}
		return nil
	})
	return microRow("multiproof", what, res, err, "")
}
