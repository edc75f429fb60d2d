package slashing

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// BlobBaseFee is go-ethereum's blob fee for a Prague header with the same excess.
func TestBlobBaseFeeMatchesGeth(t *testing.T) {
	cfg := *params.MainnetChainConfig
	zero := uint64(0)
	cfg.PragueTime, cfg.OsakaTime, cfg.BPO1Time, cfg.BPO2Time = &zero, nil, nil, nil
	for _, excess := range []uint64{0, 1, 131072, 5007716, 20 * 5007716} {
		h := &types.Header{Number: big.NewInt(1), Time: 1, ExcessBlobGas: &excess}
		want := eip4844.CalcBlobFee(&cfg, h)
		if got := BlobBaseFee(excess, 5007716); got.Cmp(want) != 0 {
			t.Fatalf("excess %d: %s, geth %s", excess, got, want)
		}
	}
}

func TestBatchTxHashes(t *testing.T) {
	enc := func(chain uint64, txs ...string) []byte {
		b := []byte{byte(chain >> 56), byte(chain >> 48), byte(chain >> 40), byte(chain >> 32), byte(chain >> 24), byte(chain >> 16), byte(chain >> 8), byte(chain), 0, byte(len(txs))}
		for _, tx := range txs {
			b = append(b, 0, 0, byte(len(tx)))
			b = append(b, tx...)
		}
		return b
	}
	data := append(enc(901, "a", "bb"), enc(902, "c")...)
	data = append(data, enc(901, "d")...)
	got, err := batchTxHashes(data, 901)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "bb", "d"}
	if len(got) != len(want) {
		t.Fatalf("got %d hashes, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i] != crypto.Keccak256Hash([]byte(w)) {
			t.Fatalf("hash %d is not keccak(%q)", i, w)
		}
	}
	for name, bad := range map[string][]byte{"short header": data[:5], "truncated tx": data[:len(data)-1]} {
		t.Run(name, func(t *testing.T) {
			if _, err := batchTxHashes(bad, 901); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestConstructorsRefuseMissingInputs(t *testing.T) {
	cfg := Config{L1ChainID: 1, SecondsPerSlot: 12, Slasher: common.Address{1}}
	if _, err := NewBuilder(nil, stubContracts{}, cfg); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("nil node: %v", err)
	}
	if _, err := NewBuilder(stubNode{}, nil, cfg); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("nil contracts: %v", err)
	}
	noSlasher := cfg
	noSlasher.Slasher = common.Address{}
	if _, err := NewBuilder(stubNode{}, stubContracts{}, noSlasher); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("no Slasher address: %v", err)
	}
	if _, err := NewJudge(nil, nil, JudgeConfig{}); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("nil contracts: %v", err)
	}
	good := JudgeConfig{Config: cfg, SlashWindow: 32, LivenessBps: 5000, UserBps: 8000, BurnBps: 1000, LedgerGrace: 4, BlobBaseFeeUpdateFraction: 5007716}
	if _, err := NewJudge(stubNode{}, stubContracts{}, good); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, edit := range map[string]func(*JudgeConfig){
		"no burn":                 func(c *JudgeConfig) { c.BurnBps = 0 },
		"user and burn over 100%": func(c *JudgeConfig) { c.UserBps, c.BurnBps = 9500, 1000 },
		"no ledger grace":         func(c *JudgeConfig) { c.LedgerGrace = 0 },
		"grace not below window":  func(c *JudgeConfig) { c.LedgerGrace = c.SlashWindow },
		"two Slasher addresses":   func(c *JudgeConfig) { c.Slasher = common.Address{2} },
	} {
		c := good
		edit(&c)
		if _, err := NewJudge(stubNode{}, stubContracts{}, c); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The Slasher address may still be given beside Config (older callers).
	legacy := good
	legacy.Config.Slasher, legacy.Slasher = common.Address{}, common.Address{1}
	if _, err := NewJudge(stubNode{}, stubContracts{}, legacy); err != nil {
		t.Fatalf("Slasher set on JudgeConfig only: %v", err)
	}
	if _, err := NewContracts(nil, nil, nil); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("nil bindings: %v", err)
	}
}
