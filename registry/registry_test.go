package registry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/registry"
)

func TestPointEncodings(t *testing.T) {
	t.Parallel()
	sk, pk, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	// gnark's raw (uncompressed) form is x ‖ y for G1 and x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0
	// for G2 (48 bytes each); EIP-2537 pads each to 64 and orders c0 before c1.
	raw := pk.RawBytes()
	g1 := registry.EncodeG1(pk)
	want := append(append(append(make([]byte, 16), raw[:48]...), make([]byte, 16)...), raw[48:]...)
	if !bytes.Equal(g1, want) {
		t.Fatalf("G1 encoding\n got %x\nwant %x", g1, want)
	}
	sig := bls.Sign(sk, []byte("msg"))
	sraw := sig.RawBytes()
	g2 := registry.EncodeG2(sig)
	for i, chunk := range [][]byte{sraw[48:96], sraw[0:48], sraw[144:192], sraw[96:144]} {
		if !bytes.Equal(g2[i*64:i*64+16], make([]byte, 16)) || !bytes.Equal(g2[i*64+16:(i+1)*64], chunk) {
			t.Fatalf("G2 coordinate %d misplaced", i)
		}
	}
	fromCompressed, err := registry.CompressedToG1(bls.PublicKeyToBytes(pk))
	if err != nil || !bytes.Equal(fromCompressed, g1) {
		t.Fatalf("CompressedToG1: %x, %v", fromCompressed, err)
	}
	fromSig, err := registry.CompressedSignatureToG2(bls.SignatureToBytes(sig))
	if err != nil || !bytes.Equal(fromSig, g2) {
		t.Fatalf("CompressedSignatureToG2: %v", err)
	}
}

func TestCompressedToG1Refuses(t *testing.T) {
	t.Parallel()
	_, pk, _ := bls.GenerateNewKeypair()
	good := bls.PublicKeyToBytes(pk)
	infinity := make([]byte, 48)
	infinity[0] = 0xc0
	notOnCurve := bytes.Clone(good)
	notOnCurve[47] ^= 0xff
	for name, in := range map[string][]byte{
		"short":        good[:47],
		"infinity":     infinity,
		"not on curve": notOnCurve,
		"no flag":      append([]byte{good[0] &^ 0x80}, good[1:]...),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := registry.CompressedToG1(in); !errors.Is(err, registry.ErrBadKey) {
				t.Fatalf("got %v, want ErrBadKey", err)
			}
		})
	}
	if _, err := registry.CompressedSignatureToG2(make([]byte, 95)); !errors.Is(err, registry.ErrBadSignature) {
		t.Fatalf("short signature: %v", err)
	}
}

func TestPopMessageLayout(t *testing.T) {
	t.Parallel()
	reg, op := common.HexToAddress("0x1111111111111111111111111111111111111111"), common.HexToAddress("0x2222222222222222222222222222222222222222")
	msg := registry.PopMessage(big.NewInt(1337), reg, op)
	want := hexutil.MustDecode("0x" +
		"706c656467652e72656769737472792e706f702e763100000000000000000000" + // "pledge.registry.pop.v1", right-padded
		"0000000000000000000000000000000000000000000000000000000000000539" + // chain id 1337
		"1111111111111111111111111111111111111111" +
		"2222222222222222222222222222222222222222")
	if !bytes.Equal(msg, want) {
		t.Fatalf("pop message\n got %x\nwant %x", msg, want)
	}
	// A proof verifies off-chain for its own message only.
	sk, pk, _ := bls.GenerateNewKeypair()
	p, err := registry.Prove(sk, big.NewInt(1337), reg, op)
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := bls.SignatureFromBytes(bls.SignatureToBytes(bls.Sign(sk, msg)))
	if ok, _ := bls.VerifySignature(sig, pk, msg); !ok || !bytes.Equal(p.Signature, registry.EncodeG2(sig)) {
		t.Fatal("Prove does not sign PopMessage")
	}
	if !bytes.Equal(p.PublicKey, bls.PublicKeyToBytes(pk)) || p.PublicKeyG1 == nil {
		t.Fatal("Prove returned another key")
	}
	if _, err := registry.Prove(nil, big.NewInt(1), reg, op); !errors.Is(err, registry.ErrBadKey) {
		t.Fatalf("nil key: %v", err)
	}
}

// rpcError mimics go-ethereum's JSON-RPC error carrying revert data.
type rpcError struct{ data any }

func (e *rpcError) Error() string          { return "execution reverted" }
func (e *rpcError) ErrorData() interface{} { return e.data }

func revertData(t *testing.T, name string, args ...any) string {
	t.Helper()
	a, err := bindings.RegistryMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	def := a.Errors[name]
	packed, err := def.Inputs.Pack(args...)
	if err != nil {
		t.Fatal(err)
	}
	return hexutil.Encode(append(def.ID[:4:4], packed...))
}

func TestDecodeRevert(t *testing.T) {
	t.Parallel()
	plain := errors.New("connection refused")
	cases := []struct {
		name     string
		err      error
		sentinel error
		text     string
	}{
		{"not enough collateral", &rpcError{revertData(t, "NotEnoughCollateral", big.NewInt(1), big.NewInt(2))}, registry.ErrNotEnoughCollateral, "NotEnoughCollateral(sent=1, minimum=2)"},
		{"delay not over", fmt.Errorf("withdraw: %w", &rpcError{revertData(t, "DelayNotOver", uint64(5), uint64(9))}), registry.ErrDelayNotOver, "DelayNotOver(currentSlot=5, withdrawableSlot=9)"},
		{"bad pop", &rpcError{revertData(t, "BadProofOfPossession", big.NewInt(3))}, registry.ErrBadProofOfPossession, "index=3"},
		{"unknown selector", &rpcError{"0xdeadbeef"}, nil, "execution reverted"},
		{"no data", &rpcError{"0x"}, nil, "execution reverted"},
		{"data of another type", &rpcError{42}, nil, "execution reverted"},
		{"not an rpc error", plain, plain, "connection refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := registry.DecodeRevert(tc.err)
			if tc.sentinel != nil && !errors.Is(got, tc.sentinel) {
				t.Fatalf("%v does not wrap %v", got, tc.sentinel)
			}
			if tc.sentinel == nil && got != tc.err {
				t.Fatalf("undecodable error changed: %v", got)
			}
			if !bytes.Contains([]byte(got.Error()), []byte(tc.text)) {
				t.Fatalf("message %q lacks %q", got, tc.text)
			}
		})
	}
	if registry.DecodeRevert(nil) != nil {
		t.Fatal("nil error decoded to non-nil")
	}
}

func TestExposure(t *testing.T) {
	t.Parallel()
	b := func(v int64) *big.Int { return big.NewInt(v) }
	cases := []struct {
		name       string
		collateral *big.Int
		unsettled  []*big.Int
		amount     *big.Int
		left       int64
		err        error
	}{
		{"empty book", b(100), nil, b(100), 100, nil},
		{"fits exactly", b(100), []*big.Int{b(30), b(20)}, b(50), 50, nil},
		{"one wei over", b(100), []*big.Int{b(30), b(20)}, b(51), 50, registry.ErrOverexposed},
		{"slashed below the book", b(10), []*big.Int{b(30)}, b(0), -20, registry.ErrOverexposed},
		{"zero collateral", b(0), nil, b(1), 0, registry.ErrOverexposed},
		{"nil collateral", nil, nil, b(1), 0, registry.ErrOverexposed},
		{"negative amount", b(100), nil, b(-1), 100, registry.ErrNegativeValue},
		{"negative unsettled", b(100), []*big.Int{b(-50)}, b(1), 150, registry.ErrNegativeValue},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := registry.Exposure(tc.collateral, tc.unsettled); got.Cmp(b(tc.left)) != 0 {
				t.Fatalf("Exposure = %s, want %d", got, tc.left)
			}
			err := registry.CheckExposure(tc.collateral, tc.unsettled, tc.amount)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("CheckExposure = %v, want %v", err, tc.err)
			}
		})
	}
	// Inputs are not modified.
	c := b(100)
	registry.Exposure(c, []*big.Int{b(60)})
	if c.Int64() != 100 {
		t.Fatal("Exposure modified the collateral")
	}
}

// fakeReader counts reads and answers from maps.
type fakeReader struct {
	mu         sync.Mutex
	collateral map[common.Address]*big.Int
	committer  common.Address
	reads      int
	fail       error
}

func (f *fakeReader) Collateral(_ context.Context, op common.Address) (*big.Int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.fail != nil {
		return nil, f.fail
	}
	return f.collateral[op], nil
}

func (f *fakeReader) CommitterAt(_ context.Context, _ common.Address, _ uint64) (common.Address, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.fail != nil {
		return common.Address{}, f.fail
	}
	return f.committer, nil
}

func (f *fakeReader) Status(_ context.Context, _ common.Address) (*registry.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.fail != nil {
		return nil, f.fail
	}
	return &registry.Status{State: registry.StateRegistered, Collateral: big.NewInt(5), Reserved: big.NewInt(1), Committer: f.committer}, nil
}

func (f *fakeReader) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads
}

func TestCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	op := common.Address{1}
	now := time.Unix(1000, 0)
	clock := func() time.Time { return now }
	r := &fakeReader{collateral: map[common.Address]*big.Int{op: big.NewInt(5)}, committer: common.Address{9}}
	c, err := registry.NewCache(r, 2*time.Second, registry.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}

	v, _ := c.Collateral(ctx, op)
	v.SetInt64(999) // the caller's copy: must not poison the cache
	v, _ = c.Collateral(ctx, op)
	if v.Int64() != 5 || r.count() != 1 {
		t.Fatalf("second read within TTL: value %s, %d reads", v, r.count())
	}
	r.mu.Lock()
	r.collateral[op] = big.NewInt(7)
	r.mu.Unlock()
	// Past half the TTL: the cached value still answers at once while one
	// read in the background replaces it.
	now = now.Add(1500 * time.Millisecond)
	if v, _ = c.Collateral(ctx, op); v.Int64() != 5 {
		t.Fatalf("past half the TTL: value %s, want the cached 5 served while reading ahead", v)
	}
	deadline := time.Now().Add(10 * time.Second)
	for v.Int64() != 7 {
		if time.Now().After(deadline) {
			t.Fatalf("the read ahead never replaced the value: %s", v)
		}
		time.Sleep(5 * time.Millisecond)
		v, _ = c.Collateral(ctx, op)
	}
	if got := r.count(); got != 2 {
		t.Fatalf("%d reads, want 2: one read ahead, shared", got)
	}
	// Past the whole TTL: the caller waits for a new read.
	r.mu.Lock()
	r.collateral[op] = big.NewInt(8)
	r.mu.Unlock()
	now = now.Add(2 * time.Second)
	if v, _ = c.Collateral(ctx, op); v.Int64() != 8 || r.count() != 3 {
		t.Fatalf("after the TTL: value %s, %d reads; want 8 read now", v, r.count())
	}

	a, _ := c.CommitterAt(ctx, op, 10)
	a2, _ := c.CommitterAt(ctx, op, 10)
	_, _ = c.CommitterAt(ctx, op, 11) // another slot is another entry
	if a != (common.Address{9}) || a2 != a || r.count() != 5 {
		t.Fatalf("committer reads: %d", r.count())
	}
	c.Invalidate(op)
	_, _ = c.Collateral(ctx, op)
	_, _ = c.CommitterAt(ctx, op, 10)
	if r.count() != 7 {
		t.Fatalf("Invalidate kept entries: %d reads", r.count())
	}

	// Errors pass through and are not cached.
	down := errors.New("node down")
	r.mu.Lock()
	r.fail = down
	r.mu.Unlock()
	now = now.Add(time.Hour)
	if _, err := c.Collateral(ctx, op); !errors.Is(err, down) {
		t.Fatalf("error: %v", err)
	}
	r.mu.Lock()
	r.fail = nil
	r.mu.Unlock()
	if v, err := c.Collateral(ctx, op); err != nil || v.Int64() != 8 {
		t.Fatalf("after recovery: %v %v", v, err)
	}

	if _, err := registry.NewCache(nil, time.Second); !errors.Is(err, registry.ErrMissingInput) {
		t.Fatalf("nil reader: %v", err)
	}
	if _, err := registry.NewCache(r, 0); !errors.Is(err, registry.ErrMissingInput) {
		t.Fatalf("zero TTL: %v", err)
	}
}

func TestNewChecksInputs(t *testing.T) {
	t.Parallel()
	if _, err := registry.New(nil, common.Address{1}); !errors.Is(err, registry.ErrMissingInput) {
		t.Fatalf("nil backend: %v", err)
	}
}

// gatedReader holds every read until released.
type gatedReader struct {
	fakeReader
	gate chan struct{}
}

func (g *gatedReader) Collateral(ctx context.Context, op common.Address) (*big.Int, error) {
	<-g.gate
	return g.fakeReader.Collateral(ctx, op)
}

// TestCacheSharesOneRead: callers arriving while the value is missing or
// expired wait for one read between them, not one each.
func TestCacheSharesOneRead(t *testing.T) {
	t.Parallel()
	op := common.Address{1}
	r := &gatedReader{fakeReader: fakeReader{collateral: map[common.Address]*big.Int{op: big.NewInt(5)}}, gate: make(chan struct{})}
	c, err := registry.NewCache(r, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	const callers = 32
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			v, err := c.Collateral(context.Background(), op)
			if err == nil && v.Int64() != 5 {
				err = fmt.Errorf("value %s", v)
			}
			errs <- err
		})
	}
	time.Sleep(50 * time.Millisecond) // let them queue on the read; a late one finds the value cached
	close(r.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := r.count(); n != 1 {
		t.Fatalf("%d reads for %d concurrent callers, want 1 (a later caller finds the value cached)", n, callers)
	}
}

// Status.Backs: a registered operator backs every slot, an exiting one the
// slots before its exit slot, and no other state anything.
func TestStatusBacks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		state registry.State
		exit  uint64
		slot  uint64
		want  error
	}{
		{registry.StateRegistered, 0, 100, nil},
		{registry.StateExiting, 50, 49, nil},
		{registry.StateExiting, 50, 50, registry.ErrExited},
		{registry.StateWithdrawable, 50, 10, registry.ErrExited},
		{registry.StateWithdrawn, 50, 10, registry.ErrExited},
		{registry.StateNone, 0, 10, registry.ErrNotRegistered},
	} {
		s := &registry.Status{State: tc.state, ExitSlot: tc.exit}
		err := s.Backs(tc.slot)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s exit %d slot %d: %v, want %v", tc.state, tc.exit, tc.slot, err, tc.want)
		}
	}
}

// Every custom error of the Registry's ABI has its sentinel, so a refusal
// is never only "reverted".
func TestEveryRegistryErrorNamed(t *testing.T) {
	t.Parallel()
	a, err := bindings.RegistryMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	for name, def := range a.Errors {
		args := make([]any, len(def.Inputs))
		for i, in := range def.Inputs {
			switch in.Type.String() {
			case "uint256":
				args[i] = big.NewInt(1)
			case "uint64":
				args[i] = uint64(1)
			case "address":
				args[i] = common.Address{1}
			case "bytes32":
				args[i] = [32]byte{1}
			case "string":
				args[i] = "x"
			default:
				t.Fatalf("%s: argument type %s not covered", name, in.Type)
			}
		}
		got := registry.DecodeRevert(&rpcError{revertData(t, name, args...)})
		var rev *registry.RevertError
		if !errors.As(got, &rev) || errors.Is(got, registry.ErrReverted) {
			t.Errorf("%s decodes to %v: no sentinel", name, got)
		}
	}
}
