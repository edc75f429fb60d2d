package rollup

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/duties"
)

// NonceReader reads the poster account's nonce from the L1 execution client;
// *ethclient.Client and the simulated backend's client satisfy it.
type NonceReader interface {
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
}

// FeeSource gives the L1 head and the highest base fee a later block can
// reach; *chainstate.State satisfies it.
type FeeSource interface {
	Head() *types.Header
	ProjectedBaseFee(blocksAhead uint64) *big.Int
}

// SlotClock maps L1 timestamps to slots; *duties.Tracker satisfies it.
type SlotClock interface {
	Clock() duties.Clock
}

// PosterConfig is the poster's configuration.
type PosterConfig struct {
	// L1ChainID is the chain the post transaction is signed for.
	L1ChainID uint64
	// Inbox is the Inbox contract every rollup posts to.
	Inbox common.Address
	// PriorityFee is the post's priority fee per gas (default 1 gwei): it
	// sits at the top of the operator's own block, so it only needs to be one
	// a builder does not refuse.
	PriorityFee *big.Int
}

// DefaultPosterPriorityFee is PosterConfig.PriorityFee's default, 1 gwei.
var DefaultPosterPriorityFee = big.NewInt(params.GWei)

// TxSigner signs the poster account's transactions for a chain;
// *ecdsasigner.Signer (a local key, Clef, Web3Signer) satisfies it.
type TxSigner interface {
	Address() common.Address
	SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error)
}

// keySigner signs with a key held in memory.
type keySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func (k keySigner) Address() common.Address { return k.addr }

func (k keySigner) SignTx(_ context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(chainID), k.key)
}

// Poster signs the L1 transaction that posts a slot's batches. It is safe for
// concurrent use.
type Poster struct {
	cfg    PosterConfig
	signer TxSigner
	from   common.Address
	l1     NonceReader
	fees   FeeSource
	clock  SlotClock
	log    zerolog.Logger

	mu sync.Mutex
	// signed keeps each slot's post until the head reaches the slot: asked
	// again with the same batches and nonce, the poster returns the same
	// transaction, so constraints and the fallback block carry one hash.
	signed map[uint64]*signedPost
}

type signedPost struct {
	data  common.Hash // keccak256 of the packed batches
	nonce uint64
	tx    *types.Transaction
}

// NewPoster returns a poster signing with key. It does no I/O.
func NewPoster(cfg PosterConfig, key *ecdsa.PrivateKey, l1 NonceReader, fees FeeSource, clock SlotClock, log zerolog.Logger) (*Poster, error) {
	if key == nil {
		return nil, errors.New("rollup poster: no poster key given")
	}
	return NewSignerPoster(cfg, keySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}, l1, fees, clock, log)
}

// NewSignerPoster returns a poster signing through signer (a remote signer
// such as Clef: the key never enters the sidecar). It does no I/O.
func NewSignerPoster(cfg PosterConfig, signer TxSigner, l1 NonceReader, fees FeeSource, clock SlotClock, log zerolog.Logger) (*Poster, error) {
	switch {
	case signer == nil:
		return nil, errors.New("rollup poster: no poster signer given")
	case signer.Address() == (common.Address{}):
		return nil, errors.New("rollup poster: the poster signer has no address")
	case l1 == nil:
		return nil, errors.New("rollup poster: no L1 execution client given")
	case fees == nil:
		return nil, errors.New("rollup poster: no fee source given")
	case clock == nil:
		return nil, errors.New("rollup poster: no slot clock given")
	case cfg.L1ChainID == 0:
		return nil, errors.New("rollup poster: L1 chain id is 0")
	case cfg.Inbox == (common.Address{}):
		return nil, errors.New("rollup poster: inbox address is zero")
	}
	if cfg.PriorityFee == nil {
		cfg.PriorityFee = DefaultPosterPriorityFee
	}
	if cfg.PriorityFee.Sign() < 0 {
		return nil, errors.New("rollup poster: negative priority fee")
	}
	return &Poster{
		cfg:    cfg,
		signer: signer,
		from:   signer.Address(),
		l1:     l1,
		fees:   fees,
		clock:  clock,
		log:    log.With().Str("component", "rollup_poster").Logger(),
		signed: make(map[uint64]*signedPost),
	}, nil
}

// Address is the poster account, the sender of every post.
func (p *Poster) Address() common.Address { return p.from }

// Inbox is the contract posts go to.
func (p *Poster) Inbox() common.Address { return p.cfg.Inbox }

// PostTx signs the transaction posting batches in slot's block:
//   - to the Inbox, call data Inbox.post(EncodePost(batches));
//   - nonce: the account's nonce at the head, past the posts already signed
//     for earlier slots the head has not reached (they land first);
//   - max fee: the highest base fee the slot's block can have, plus the
//     priority fee; gas: PostGas, a bound that covers the execution.
//
// Asked again for the same slot with the same batches while the nonce still
// fits, it returns the transaction it signed before.
func (p *Poster) PostTx(ctx context.Context, slot uint64, batches []Batch) (*types.Transaction, error) {
	data, err := EncodePost(batches)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPostData {
		return nil, fmt.Errorf("%w: %d bytes of batches, limit %d", ErrPostTooLarge, len(data), MaxPostData)
	}
	head := p.fees.Head()
	if head == nil {
		return nil, errors.New("rollup poster: no L1 head yet")
	}
	clock := p.clock.Clock()
	if clock.SlotDuration <= 0 {
		return nil, errors.New("rollup poster: slot clock not known yet")
	}
	headSlot := clock.SlotAt(time.Unix(int64(head.Time), 0))
	base, err := p.l1.NonceAt(ctx, p.from, head.Number)
	if err != nil {
		return nil, fmt.Errorf("rollup poster: read nonce of %s at block %d: %w", p.from, head.Number, err)
	}
	digest := crypto.Keccak256Hash(data)

	p.mu.Lock()
	defer p.mu.Unlock()
	nonce := base
	for s, sp := range p.signed {
		switch {
		case s <= headSlot:
			delete(p.signed, s) // landed or missed: the nonce at the head says which
		case s < slot && sp.nonce >= nonce:
			nonce = sp.nonce + 1
		}
	}
	if sp := p.signed[slot]; sp != nil && sp.data == digest && sp.nonce == nonce {
		return sp.tx, nil
	}
	feeCap := p.fees.ProjectedBaseFee(max(slot-min(slot, headSlot), 1))
	if feeCap == nil {
		return nil, errors.New("rollup poster: L1 head has no base fee")
	}
	feeCap = new(big.Int).Add(feeCap, p.cfg.PriorityFee)
	calldata := PostCalldata(data)
	inbox := p.cfg.Inbox
	chainID := new(big.Int).SetUint64(p.cfg.L1ChainID)
	// Signed under p.mu: two callers for one slot get one transaction. A
	// remote signer's wait is bounded by its timeout and ctx.
	tx, err := p.signer.SignTx(ctx, types.NewTx(&types.DynamicFeeTx{
		ChainID:   chainID,
		Nonce:     nonce,
		GasTipCap: new(big.Int).Set(p.cfg.PriorityFee),
		GasFeeCap: feeCap,
		Gas:       PostGas(calldata, ShapeOf(batches)),
		To:        &inbox,
		Data:      calldata,
	}), chainID)
	if err != nil {
		// Not cached: the next template asks again (TopOfBlock logs each
		// failure); no other key signs the post.
		p.log.Warn().Err(err).Uint64("slot", slot).Uint64("nonce", nonce).Msg("batch post not signed; asked again at the next template")
		return nil, fmt.Errorf("rollup poster: sign post: %w", err)
	}
	p.signed[slot] = &signedPost{data: digest, nonce: nonce, tx: tx}
	p.log.Info().Uint64("slot", slot).Str("tx_hash", tx.Hash().Hex()).Msg("batch post signed")
	return tx, nil
}
