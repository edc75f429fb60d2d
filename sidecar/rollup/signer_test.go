package rollup

import (
	"context"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/cleftest"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// The real Clef signs the batch post: the poster key never enters the
// sidecar, and the post is the same transaction a local key signs.
func TestClefSignsThePost(t *testing.T) {
	t.Parallel()
	_, l1, _ := newTestPoster(t)
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	inbox, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	c := cleftest.Start(t, key, cleftest.Options{ChainID: 1})
	s, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: c.URL}, c.Address, []string{inbox.Methods["post"].Sig})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewSignerPoster(PosterConfig{L1ChainID: 1, Inbox: common.Address{0x1b}}, s, l1, l1, l1, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	local, err := NewPoster(PosterConfig{L1ChainID: 1, Inbox: common.Address{0x1b}}, key, l1, l1, l1, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	batches := []Batch{{ChainID: 777, Txs: [][]byte{{1, 2}, {3}}}}
	tx, err := p.PostTx(t.Context(), 102, batches)
	if err != nil {
		t.Fatal(err)
	}
	want, err := local.PostTx(t.Context(), 102, batches)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSignerForChainID(big.NewInt(1))
	if from, err := types.Sender(signer, tx); err != nil || from != c.Address || p.Address() != c.Address {
		t.Fatalf("signed by %s (%v), want %s", from, err, c.Address)
	}
	if signer.Hash(tx) != signer.Hash(want) {
		t.Fatal("Clef's post is another transaction than the local key's")
	}
}

// failingSigner fails its first n signatures, then signs with key.
type failingSigner struct {
	keySigner
	fail atomic.Int32
}

func (f *failingSigner) SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	if f.fail.Add(-1) >= 0 {
		return nil, ecdsasigner.ErrUnavailable
	}
	return f.keySigner.SignTx(ctx, tx, chainID)
}

// A post the signer does not sign is an error, not remembered: the next
// call asks again and gets the post.
func TestUnsignedPostIsAskedAgain(t *testing.T) {
	t.Parallel()
	_, l1, _ := newTestPoster(t)
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	fs := &failingSigner{keySigner: keySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}}
	fs.fail.Store(1)
	p, err := NewSignerPoster(PosterConfig{L1ChainID: 1, Inbox: common.Address{0x1b}}, fs, l1, l1, l1, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if tx, err := p.PostTx(t.Context(), 102, oneBatch([]byte{1})); !errors.Is(err, ecdsasigner.ErrUnavailable) || tx != nil {
		t.Fatalf("PostTx = %v, %v; want ErrUnavailable", tx, err)
	}
	if _, err := p.PostTx(t.Context(), 102, oneBatch([]byte{1})); err != nil {
		t.Fatalf("asked again: %v", err)
	}
	if _, err := NewSignerPoster(PosterConfig{L1ChainID: 1, Inbox: common.Address{0x1b}}, nil, l1, l1, l1, zerolog.Nop()); err == nil {
		t.Error("NewSignerPoster without a signer")
	}
}
