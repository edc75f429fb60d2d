package slashing

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// stubNode and stubContracts satisfy the constructors; the tests of this file
// never reach them (the chain tests in contracts/ run the real ones).
type stubNode struct{ Node }

type stubContracts struct{ Contracts }

// ledgerOf builds a ledger of n leaves with digests 10, 20, 30, ... (so the
// gaps between them hold digests absent from it).
func ledgerOf(t *testing.T, n int) *SlotLedger {
	t.Helper()
	leaves := make([]protocol.LedgerLeaf, n)
	for i := range leaves {
		leaves[i] = protocol.LedgerLeaf{Digest: common.BigToHash(big.NewInt(int64(10 * (i + 1)))), Amount: big.NewInt(int64(i + 1))}
	}
	tree, err := protocol.NewLedger(leaves)
	if err != nil {
		t.Fatal(err)
	}
	return &SlotLedger{Record: LedgerRecord{Root: tree.Root(), Count: uint32(n), Left: tree.Total()}, Tree: tree}
}

func digest(v int64) common.Hash { return common.BigToHash(big.NewInt(v)) }

// The backing a ledger gives is a valid membership proof for a listed digest
// and none for any other: a promise in no ledger is void.
func TestSlotLedgerBacking(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 3, 7, 16} {
		l := ledgerOf(t, n)
		for v := int64(1); v <= int64(10*n+5); v++ {
			d := digest(v)
			bk := l.Backing(d)
			listed := v%10 == 0
			if (bk != nil) != listed {
				t.Fatalf("n=%d digest %d: backing %+v, listed %v", n, v, bk, listed)
			}
			if !listed {
				continue
			}
			leaf := l.Tree.Leaves[bk.Index]
			if leaf.Digest != d || !protocol.VerifyLedgerProof(l.Record.Root, uint64(n), bk.Index, leaf.Hash(), bk.Proof) {
				t.Fatalf("n=%d digest %d: bad membership proof", n, v)
			}
		}
	}
	if bk := (*SlotLedger)(nil).Backing(digest(1)); bk != nil {
		t.Fatalf("no ledger: %+v", bk)
	}
}

func TestClaimHashIsABIEncoding(t *testing.T) {
	t.Parallel()
	b32, _ := abi.NewType("bytes32", "", nil)
	addr, _ := abi.NewType("address", "", nil)
	args := abi.Arguments{{Type: b32}, {Type: addr}, {Type: b32}}
	d, who, salt := crypto.Keccak256Hash([]byte("promise")), common.HexToAddress("0x00000000000000000000000000000000000000ff"), crypto.Keccak256Hash([]byte("salt"))
	enc, err := args.Pack([32]byte(d), who, [32]byte(salt))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ClaimHash(d, who, salt), crypto.Keccak256Hash(enc); got != want {
		t.Fatalf("claim hash %s, abi.encode gives %s", got, want)
	}
	c, err := NewClaim(who)
	if err != nil {
		t.Fatal(err)
	}
	if c.Salt == (common.Hash{}) || c.Hash(d) != ClaimHash(d, who, c.Salt) {
		t.Fatalf("NewClaim: %+v", c)
	}
	if _, err := NewClaim(common.Address{}); !errors.Is(err, ErrZeroBeneficiary) {
		t.Fatalf("zero beneficiary: %v", err)
	}
}

// The call data of each slash decodes, by the Slasher's ABI, to the evidence,
// backing and claim it was built from.
func TestCallDataRoundTrip(t *testing.T) {
	t.Parallel()
	key, _ := crypto.GenerateKey()
	dom := protocol.Domain{ChainID: 1, Slasher: common.Address{7}}
	inc := protocol.Inclusion{ChainID: 1, TxHash: common.Hash{1}, Sender: common.Address{2}, Nonce: 3,
		MaxFeePerGas: big.NewInt(4), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(5)}
	p := &protocol.Promise{CommitmentType: protocol.TypeL1Inclusion, Operator: common.Address{9}, Slot: 12, Inclusions: []protocol.Inclusion{inc}, SlashAmount: big.NewInt(6)}
	sig, err := protocol.SignPromise(p, dom, key)
	if err != nil {
		t.Fatal(err)
	}
	sp := SignedPromise{Promise: p, Signature: sig}
	l := ledgerOf(t, 3)
	bk := l.Backing(digest(25))
	claim := Claim{Beneficiary: common.Address{3}, Salt: common.Hash{4}}
	a, err := slasherABI()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func() ([]byte, error){
		"slashSafety": func() ([]byte, error) {
			return SafetyCall(sp, &SafetyEvidence{Header: []byte{1}, ParentHeader: []byte{2}, Priors: []Prior{{SignedPromise: sp, LeafIndex: 1, LeafProof: []common.Hash{{5}}}}, Backing: bk}, claim)
		},
		"slashLiveness": func() ([]byte, error) {
			return LivenessCall(sp, &LivenessEvidence{Header1: []byte{1}, Header2: []byte{2}, Backing: bk}, claim)
		},
		"slashL2Inclusion": func() ([]byte, error) {
			return L2InclusionCall(sp, &L2Evidence{TxHashes: []common.Hash{{1}}, Backing: bk}, claim)
		},
		"slashEquivocation": func() ([]byte, error) {
			return EquivocationCall(&EquivocationEvidence{A: sp, B: sp, BackingA: bk}, claim)
		},
		"commitClaim": func() ([]byte, error) { return CommitClaimCall(claim.Hash(p.Digest(dom))) },
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			data, err := build()
			if err != nil {
				t.Fatal(err)
			}
			m, err := a.MethodById(data[:4])
			if err != nil || m.Name != name {
				t.Fatalf("selector of %s: %v %v", name, m, err)
			}
			vals, err := m.Inputs.Unpack(data[4:])
			if err != nil {
				t.Fatal(err)
			}
			if name == "commitClaim" {
				if common.Hash(vals[0].([32]byte)) != claim.Hash(p.Digest(dom)) {
					t.Fatal("claim hash lost")
				}
				return
			}
			got := vals[len(vals)-1].(struct {
				Beneficiary common.Address `json:"beneficiary"`
				Salt        [32]byte       `json:"salt"`
			})
			if got.Beneficiary != claim.Beneficiary || common.Hash(got.Salt) != claim.Salt {
				t.Fatalf("claim %+v", got)
			}
			if len(vals) < 2 {
				t.Fatal("no backing")
			}
		})
	}
	// A nil backing packs as the zero one: not backed, no neighbours.
	if _, err := LivenessCall(sp, &LivenessEvidence{}, claim); err != nil {
		t.Fatalf("nil backing: %v", err)
	}
	if _, err := CallData(sp, &Verdict{}, claim); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("verdict without evidence: %v", err)
	}
}

// Split shares as Registry.slash does: user and burn rounded down, the
// beneficiary the rest.
func TestSplit(t *testing.T) {
	t.Parallel()
	j := &Judge{cfg: JudgeConfig{UserBps: 8000, BurnBps: 1000}}
	for _, taken := range []int64{0, 1, 9, 10_001, 1e15 + 7} {
		u, b, w := j.Split(big.NewInt(taken))
		wantU, wantB := taken*8000/10_000, taken*1000/10_000
		if u.Int64() != wantU || b.Int64() != wantB || w.Int64() != taken-wantU-wantB {
			t.Fatalf("split %d: %s %s %s", taken, u, b, w)
		}
	}
}

// A malformed promise is refused before anything is read from the chain.
func TestAssessRefusesMalformedWithoutIO(t *testing.T) {
	t.Parallel()
	cfg := JudgeConfig{Config: Config{L1ChainID: 1, SecondsPerSlot: 12, Slasher: common.Address{1}}, SlashWindow: 32, UserBps: 8000, BurnBps: 1000, LedgerGrace: 4, BlobBaseFeeUpdateFraction: 1}
	j, err := NewJudge(stubNode{}, stubContracts{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	v, err := j.Assess(context.Background(), SignedPromise{Promise: &protocol.Promise{CommitmentType: 9}}, nil)
	if err != nil || v.Slashable || !errors.Is(v.Reason, ErrInvalidPromise) {
		t.Fatalf("verdict %+v, err %v", v, err)
	}
}
