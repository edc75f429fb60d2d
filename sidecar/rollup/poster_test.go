package rollup

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/duties"
)

// fakeL1 is the poster's view of L1: a head, a nonce at it, a base fee.
type fakeL1 struct {
	mu       sync.Mutex
	head     *types.Header
	nonce    uint64
	nonceErr error
	clock    duties.Clock
}

func (f *fakeL1) NonceAt(_ context.Context, _ common.Address, n *big.Int) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n == nil || n.Cmp(f.head.Number) != 0 {
		return 0, errors.New("nonce asked at another block than the head")
	}
	return f.nonce, f.nonceErr
}

func (f *fakeL1) Head() *types.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.head
}

// ProjectedBaseFee is 1 gwei per block ahead: easy to check.
func (f *fakeL1) ProjectedBaseFee(n uint64) *big.Int { return new(big.Int).SetUint64(n * 1e9) }

func (f *fakeL1) Clock() duties.Clock { return f.clock }

// at moves the head to slot's block, with the poster's nonce at it.
func (f *fakeL1) at(slot, nonce uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.head = &types.Header{Number: new(big.Int).SetUint64(slot), Time: uint64(f.clock.SlotStart(slot).Unix())}
	f.nonce = nonce
}

func newTestPoster(t testing.TB) (*Poster, *fakeL1, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	l1 := &fakeL1{clock: duties.Clock{Genesis: time.Unix(1_700_000_000, 0), SlotDuration: 12 * time.Second, SlotsPerEpoch: 32}}
	l1.at(100, 7)
	p, err := NewPoster(PosterConfig{L1ChainID: 1, Inbox: common.Address{0x1b}}, key, l1, l1, l1, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return p, l1, key
}

func oneBatch(txs ...[]byte) []Batch { return []Batch{{ChainID: 777, Txs: txs}} }

func TestPosterSignsThePost(t *testing.T) {
	t.Parallel()
	p, _, key := newTestPoster(t)
	batches := []Batch{{ChainID: 777, Txs: [][]byte{{1, 2}, {3}}}, {ChainID: 888, Txs: [][]byte{{4}}}}
	tx, err := p.PostTx(context.Background(), 102, batches)
	if err != nil {
		t.Fatal(err)
	}
	from, err := types.Sender(types.LatestSignerForChainID(big.NewInt(1)), tx)
	if err != nil || from != crypto.PubkeyToAddress(key.PublicKey) || from != p.Address() {
		t.Fatalf("signed by %s (%v)", from, err)
	}
	data, _ := EncodePost(batches)
	switch {
	case *tx.To() != (common.Address{0x1b}) || p.Inbox() != *tx.To():
		t.Fatalf("to %s", tx.To())
	case tx.Nonce() != 7:
		t.Fatalf("nonce %d, want the head's 7", tx.Nonce())
	case string(tx.Data()) != string(PostCalldata(data)):
		t.Fatal("call data is not Inbox.post of the batches")
	case tx.GasTipCap().Cmp(DefaultPosterPriorityFee) != 0:
		t.Fatalf("tip %v", tx.GasTipCap())
	case tx.GasFeeCap().Cmp(big.NewInt(2e9+1e9)) != 0: // 2 blocks ahead + the tip
		t.Fatalf("fee cap %v, want the projected base fee of slot 102 plus the tip", tx.GasFeeCap())
	case tx.Gas() != PostGas(tx.Data(), ShapeOf(batches)):
		t.Fatalf("gas %d", tx.Gas())
	case tx.ChainId().Uint64() != 1:
		t.Fatalf("chain %v", tx.ChainId())
	}
}

func TestPosterNonces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, l1, _ := newTestPoster(t)
	a, b := oneBatch([]byte{1}), oneBatch([]byte{2})

	first, err := p.PostTx(ctx, 102, a)
	if err != nil {
		t.Fatal(err)
	}
	// Asked again: the same transaction, so constraints and the fallback
	// block carry one hash.
	if again, _ := p.PostTx(ctx, 102, a); again.Hash() != first.Hash() {
		t.Fatal("the same post was signed twice")
	}
	// Other batches for the slot: re-signed with the same nonce.
	other, err := p.PostTx(ctx, 102, b)
	if err != nil || other.Hash() == first.Hash() || other.Nonce() != first.Nonce() {
		t.Fatalf("changed batches: nonce %d (%v)", other.Nonce(), err)
	}
	// The next slot's post is signed before 102's lands: it stacks on it.
	next, err := p.PostTx(ctx, 103, a)
	if err != nil || next.Nonce() != 8 {
		t.Fatalf("slot 103 nonce %d (%v), want 8", next.Nonce(), err)
	}
	// 102's block landed with the post: the head's nonce is 8, 103 keeps it.
	l1.at(102, 8)
	if again, _ := p.PostTx(ctx, 103, a); again.Hash() != next.Hash() {
		t.Fatal("slot 103's post changed after 102's landed")
	}
	// 103 was missed: the head passes it with the nonce unchanged, so 104's
	// post takes the nonce 103's never used.
	l1.at(104, 8)
	if tx, err := p.PostTx(ctx, 105, a); err != nil || tx.Nonce() != 8 {
		t.Fatalf("after a missed slot: nonce %d (%v), want 8", tx.Nonce(), err)
	}
}

func TestPosterRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		setup   func(*fakeL1)
		batches []Batch
		want    error
		msg     string
	}{
		{name: "nothing to post", batches: nil, want: ErrEmptyPost},
		{name: "too large for one tx", batches: oneBatch(make([]byte, MaxPostData)), want: ErrPostTooLarge},
		{name: "nonce unreadable", setup: func(f *fakeL1) { f.nonceErr = errors.New("connection refused") }, batches: oneBatch([]byte{1}), msg: "connection refused"},
		{name: "no head", setup: func(f *fakeL1) { f.head = nil }, batches: oneBatch([]byte{1}), msg: "no L1 head"},
		{name: "no clock", setup: func(f *fakeL1) { f.clock = duties.Clock{} }, batches: oneBatch([]byte{1}), msg: "slot clock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, l1, _ := newTestPoster(t)
			if tc.setup != nil {
				tc.setup(l1)
			}
			_, err := p.PostTx(context.Background(), 102, tc.batches)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || (tc.msg != "" && !strings.Contains(err.Error(), tc.msg)) {
				t.Fatalf("err = %v, want %v / %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestNewPosterChecks(t *testing.T) {
	t.Parallel()
	key, _ := crypto.GenerateKey()
	l1 := &fakeL1{}
	good := PosterConfig{L1ChainID: 1, Inbox: common.Address{1}}
	for _, tc := range []struct {
		name string
		cfg  PosterConfig
		key  *ecdsa.PrivateKey
	}{
		{"no key", good, nil},
		{"no chain", PosterConfig{Inbox: common.Address{1}}, key},
		{"no inbox", PosterConfig{L1ChainID: 1}, key},
		{"negative tip", PosterConfig{L1ChainID: 1, Inbox: common.Address{1}, PriorityFee: big.NewInt(-1)}, key},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewPoster(tc.cfg, tc.key, l1, l1, l1, zerolog.Nop()); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := NewPoster(good, key, nil, l1, l1, zerolog.Nop()); err == nil {
		t.Fatal("accepted no L1 client")
	}
}
