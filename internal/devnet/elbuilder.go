package devnet

import (
	"bytes"
	"context"
	"fmt"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"slices"
	"strconv"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/internal/elnode"
	"github.com/pledgeproto/pledge/relay/builder"
)

// ELBuilder makes an elnode a relay/builder PayloadBuilder, so the reference
// builder builds real payloads: the constrained transactions at the top, in
// order, then the pending transactions of geth's pool that still apply.
type ELBuilder struct {
	el        *elnode.Node
	buildTime time.Duration
}

var _ builder.PayloadBuilder = (*ELBuilder)(nil)

// NewELBuilder returns a payload builder on el. buildTime is how long geth
// fills a block from its pool when there is nothing on top (0: elnode's default).
func NewELBuilder(el *elnode.Node, buildTime time.Duration) *ELBuilder {
	return &ELBuilder{el: el, buildTime: buildTime}
}

// Build builds on parentHash, which must be the EL head (geth builds only
// there). With topTxs it tries them followed by the pending pool, and the
// top alone when that fails (a pool tx that no longer applies).
func (b *ELBuilder) Build(ctx context.Context, slot uint64, parentHash phase0.Hash32, attrs builder.PayloadAttributes, topTxs [][]byte) (*builder.Built, error) {
	head, err := b.el.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read EL head: %w", err)
	}
	if head.Hash() != common.Hash(parentHash) {
		return nil, fmt.Errorf("%w: slot %d asks for %s, head is %s", ErrParent, slot, common.Hash(parentHash), head.Hash())
	}
	args := elnode.BuildArgs{
		Timestamp:        attrs.Timestamp,
		FeeRecipient:     common.Address(attrs.SuggestedFeeRecipient),
		PrevRandao:       common.Hash(attrs.PrevRandao),
		ParentBeaconRoot: common.Hash(attrs.ParentBeaconBlockRoot),
		Withdrawals:      make([]*types.Withdrawal, len(attrs.Withdrawals)),
		BuildTime:        b.buildTime,
	}
	for i, w := range attrs.Withdrawals {
		args.Withdrawals[i] = &types.Withdrawal{
			Index: uint64(w.Index), Validator: uint64(w.ValidatorIndex), Address: common.Address(w.Address), Amount: uint64(w.Amount),
		}
	}
	if len(topTxs) > 0 {
		pool, err := pendingTxs(ctx, b.el, topTxs)
		if err != nil {
			return nil, err
		}
		args.Txs = append(slices.Clone(topTxs), pool...)
		env, err := b.el.BuildBlock(ctx, args)
		if err != nil && len(pool) > 0 {
			args.Txs = topTxs
			env, err = b.el.BuildBlock(ctx, args)
		}
		if err != nil {
			return nil, fmt.Errorf("build slot %d with %d constrained txs: %w", slot, len(topTxs), err)
		}
		return builtFromEnvelope(env)
	}
	env, err := b.el.BuildBlock(ctx, args)
	if err != nil {
		return nil, fmt.Errorf("build slot %d: %w", slot, err)
	}
	return builtFromEnvelope(env)
}

// builtFromEnvelope converts geth's getPayload answer to the builder's form.
func builtFromEnvelope(e *engine.ExecutionPayloadEnvelope) (*builder.Built, error) {
	payload, err := builderapi.PayloadFromEngine(e.ExecutionPayload)
	if err != nil {
		return nil, err
	}
	bundle, err := builderapi.BlobsBundleFromEngine(e.BlobsBundle)
	if err != nil {
		return nil, err
	}
	reqs, err := builderapi.RequestsFromEngine(e.Requests)
	if err != nil {
		return nil, err
	}
	value, err := builderapi.WeiToUint256(e.BlockValue)
	if err != nil {
		return nil, err
	}
	return &builder.Built{Payload: payload, BlobsBundle: bundle, ExecutionRequests: reqs, Value: value}, nil
}

// pendingTxs lists the pool's pending transactions (canonical encoding),
// each sender's in nonce order, senders in address order, leaving out blob
// transactions (the pool's listing has no sidecars) and those in skip.
func pendingTxs(ctx context.Context, el *elnode.Node, skip [][]byte) ([][]byte, error) {
	var content struct {
		Pending map[common.Address]map[string]*types.Transaction `json:"pending"`
	}
	if err := el.RPC().CallContext(ctx, &content, "txpool_content"); err != nil {
		return nil, fmt.Errorf("read txpool: %w", err)
	}
	skipped := make(map[common.Hash]bool, len(skip))
	for _, raw := range skip {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err == nil {
			skipped[tx.Hash()] = true
		}
	}
	senders := make([]common.Address, 0, len(content.Pending))
	for a := range content.Pending {
		senders = append(senders, a)
	}
	slices.SortFunc(senders, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	var out [][]byte
	for _, a := range senders {
		byNonce := content.Pending[a]
		nonces := make([]uint64, 0, len(byNonce))
		for k := range byNonce {
			nv, err := strconv.ParseUint(k, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("read txpool: nonce %q: %w", k, err)
			}
			nonces = append(nonces, nv)
		}
		slices.Sort(nonces)
		for _, nv := range nonces {
			tx := byNonce[strconv.FormatUint(nv, 10)]
			if tx == nil || tx.Type() == types.BlobTxType || skipped[tx.Hash()] {
				continue
			}
			raw, err := tx.MarshalBinary()
			if err != nil {
				return nil, fmt.Errorf("encode pool tx %s: %w", tx.Hash(), err)
			}
			out = append(out, raw)
		}
	}
	return out, nil
}

// filterTxs drops the txs drop matches and, since their nonces are gone,
// the later txs of the same senders. The result is never nil, so the EL
// builds exactly it.
func filterTxs(txs [][]byte, drop func(*types.Transaction) bool) [][]byte {
	out := [][]byte{}
	cut := make(map[common.Address]bool)
	signer := types.LatestSignerForChainID(nil)
	for _, raw := range txs {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			continue
		}
		if signer = types.LatestSignerForChainID(tx.ChainId()); signer == nil {
			continue
		}
		from, err := types.Sender(signer, &tx)
		if err != nil || cut[from] {
			continue
		}
		if drop(&tx) {
			cut[from] = true
			continue
		}
		out = append(out, raw)
	}
	return out
}
