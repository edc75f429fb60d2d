package fallback

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// Engine API methods, per fork. Electra and Fulu share forkchoiceUpdatedV3
// and newPayloadV4; getPayload differs because Fulu's blobs bundle carries
// cell proofs.
const (
	methodBuild        = "testing_buildBlockV1"
	methodForkchoice   = "engine_forkchoiceUpdatedV3"
	methodNewPayload   = "engine_newPayloadV4"
	methodGetPayloadV4 = "engine_getPayloadV4"
	methodGetPayloadV5 = "engine_getPayloadV5"
)

// codeMethodNotFound is JSON-RPC's "method not found".
const codeMethodNotFound = -32601

// blockHeader holds the fields of an eth_getBlockBy* answer the builder uses.
type blockHeader struct {
	Hash     common.Hash    `json:"hash"`
	Number   hexutil.Uint64 `json:"number"`
	Time     hexutil.Uint64 `json:"timestamp"`
	GasLimit hexutil.Uint64 `json:"gasLimit"`
	BaseFee  *hexutil.Big   `json:"baseFeePerGas"`
}

// rpcErr wraps a failed call: an answer with a JSON-RPC error means the
// client refused (as), anything else that it could not be reached in time.
func rpcErr(as error, what string, err error) error {
	var re rpc.Error
	if errors.As(err, &re) {
		return fmt.Errorf("%w: %s: %w", as, what, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrEL, what, err)
}

// isMethodMissing reports whether err is the client saying it does not
// serve the method called.
func isMethodMissing(err error) bool {
	var re rpc.Error
	return errors.As(err, &re) && re.ErrorCode() == codeMethodNotFound
}

// blockHeader reads a block's header with method (eth_getBlockByHash or
// eth_getBlockByNumber) and arg.
func (b *Builder) blockHeader(ctx context.Context, method string, arg any) (*blockHeader, error) {
	var h *blockHeader
	if err := b.el.CallContext(ctx, &h, method, arg, false); err != nil {
		return nil, rpcErr(ErrBuild, fmt.Sprintf("%s %v", method, arg), err)
	}
	if h == nil {
		return nil, fmt.Errorf("%w: parent block %v unknown to the execution client", ErrBuild, arg)
	}
	return h, nil
}

// buildTesting builds with testing_buildBlockV1: the promised transactions,
// then the mempool extras. If the extras make the build fail, it builds
// again with the promised transactions alone.
func (b *Builder) buildTesting(ctx context.Context, req BuildRequest, attrs engine.PayloadAttributes, top []topTx, parent *blockHeader) (*engine.ExecutionPayloadEnvelope, error) {
	txs := make([]hexutil.Bytes, len(top), len(top)+b.opts.poolTxs)
	for i := range top {
		txs[i] = top[i].send
	}
	extras := b.poolExtras(ctx, parent, top)
	env, err := b.callBuild(ctx, req.ParentHash, attrs, append(txs, extras...))
	if err == nil || len(extras) == 0 || isMethodMissing(err) || errors.Is(err, ErrEL) {
		return env, err
	}
	b.m.extrasDropped.Add(float64(len(extras)))
	b.log.Debug().Err(err).Uint64("slot", req.Slot).Int("extras", len(extras)).Msg("build with mempool transactions failed; building the promised ones alone")
	return b.callBuild(ctx, req.ParentHash, attrs, txs)
}

func (b *Builder) callBuild(ctx context.Context, parent common.Hash, attrs engine.PayloadAttributes, txs []hexutil.Bytes) (*engine.ExecutionPayloadEnvelope, error) {
	extra := hexutil.Bytes(b.cfg.ExtraData)
	if extra == nil {
		extra = hexutil.Bytes{}
	}
	var env *engine.ExecutionPayloadEnvelope
	if err := b.el.CallContext(ctx, &env, methodBuild, parent, attrs, txs, extra); err != nil {
		return nil, rpcErr(ErrBuild, fmt.Sprintf("%s with %d txs on %s", methodBuild, len(txs), parent), err)
	}
	if env == nil || env.ExecutionPayload == nil {
		return nil, fmt.Errorf("%w: %s answered no payload", ErrBuild, methodBuild)
	}
	return env, nil
}

// buildForkchoice builds the way a beacon node's local build does: the
// promised transactions are handed to the pool, forkchoiceUpdated starts a
// build on the parent and getPayload collects it. The order is the
// client's; the caller checks it.
func (b *Builder) buildForkchoice(ctx context.Context, req BuildRequest, attrs engine.PayloadAttributes, top []topTx, version spec.DataVersion) (*engine.ExecutionPayloadEnvelope, error) {
	// forkchoiceUpdated sets the head: only ever name the head the client
	// already has, so the fallback never moves the beacon node's chain.
	head, err := b.blockHeader(ctx, "eth_getBlockByNumber", "latest")
	if err != nil {
		return nil, err
	}
	if head.Hash != req.ParentHash {
		return nil, fmt.Errorf("%w: parent %s is not the execution client's head %s; refusing to move its forkchoice", ErrBuild, req.ParentHash, head.Hash)
	}
	if err := b.sendToPool(ctx, top); err != nil {
		return nil, err
	}
	// Safe and finalized zero: "unchanged" to the client.
	state := engine.ForkchoiceStateV1{HeadBlockHash: req.ParentHash}
	var resp engine.ForkChoiceResponse
	if err := b.engine.CallContext(ctx, &resp, methodForkchoice, state, attrs); err != nil {
		return nil, rpcErr(ErrBuild, methodForkchoice, err)
	}
	if resp.PayloadStatus.Status != engine.VALID || resp.PayloadID == nil {
		return nil, fmt.Errorf("%w: %s started no build: %s", ErrBuild, methodForkchoice, statusText(resp.PayloadStatus))
	}
	if err := sleep(ctx, b.opts.payloadWait); err != nil {
		return nil, fmt.Errorf("%w: wait for payload %s: %w", ErrEL, resp.PayloadID, err)
	}
	method := methodGetPayloadV5
	if version == spec.DataVersionElectra {
		method = methodGetPayloadV4
	}
	var env *engine.ExecutionPayloadEnvelope
	if err := b.engine.CallContext(ctx, &env, method, resp.PayloadID); err != nil {
		return nil, rpcErr(ErrBuild, method, err)
	}
	if env == nil || env.ExecutionPayload == nil {
		return nil, fmt.Errorf("%w: %s answered no payload", ErrBuild, method)
	}
	return env, nil
}

// sendToPool submits the promised transactions and waits (at most the
// payload wait) until the pool counts them as pending, so the build that
// forkchoiceUpdated starts can see them.
func (b *Builder) sendToPool(ctx context.Context, top []topTx) error {
	next := map[common.Address]uint64{}
	for i, t := range top {
		var h common.Hash
		if err := b.el.CallContext(ctx, &h, "eth_sendRawTransaction", hexutil.Bytes(t.send)); err != nil &&
			!strings.Contains(err.Error(), "already known") {
			return rpcErr(ErrBuild, fmt.Sprintf("eth_sendRawTransaction promised tx %d %s", i, t.tx.Hash()), err)
		}
		if n := t.tx.Nonce() + 1; n > next[t.sender] {
			next[t.sender] = n
		}
	}
	deadline := time.Now().Add(b.opts.payloadWait)
	for addr, want := range next {
		for {
			var got hexutil.Uint64
			if err := b.el.CallContext(ctx, &got, "eth_getTransactionCount", addr, "pending"); err != nil {
				return rpcErr(ErrBuild, "eth_getTransactionCount", err)
			}
			if uint64(got) >= want || time.Now().After(deadline) {
				break
			}
			if err := sleep(ctx, 5*time.Millisecond); err != nil {
				return fmt.Errorf("%w: wait for the pool: %w", ErrEL, err)
			}
		}
	}
	return nil
}

// newPayload has the client check the payload. VALID and ACCEPTED (valid
// but not on the canonical chain yet) pass; it does not touch forkchoice.
func (b *Builder) newPayload(ctx context.Context, env *engine.ExecutionPayloadEnvelope, beaconRoot common.Hash) error {
	p := env.ExecutionPayload
	hashes, err := blobHashes(p.Transactions)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPayloadMismatch, err)
	}
	requests := make([]hexutil.Bytes, len(env.Requests))
	for i, r := range env.Requests {
		requests[i] = r
	}
	var status engine.PayloadStatusV1
	if err := b.engine.CallContext(ctx, &status, methodNewPayload, p, hashes, beaconRoot, requests); err != nil {
		return rpcErr(ErrInvalidPayload, fmt.Sprintf("%s block %d %s", methodNewPayload, p.Number, p.BlockHash), err)
	}
	switch status.Status {
	case engine.VALID, engine.ACCEPTED:
		return nil
	case engine.INVALID, "INVALID_BLOCK_HASH":
		return fmt.Errorf("%w: block %d %s: %s", ErrInvalidPayload, p.Number, p.BlockHash, statusText(status))
	default:
		return fmt.Errorf("%w: block %d %s: %s", ErrNotChecked, p.Number, p.BlockHash, statusText(status))
	}
}

func statusText(s engine.PayloadStatusV1) string {
	if s.ValidationError != nil && *s.ValidationError != "" {
		return s.Status + ": " + *s.ValidationError
	}
	return s.Status
}

// blobHashes lists the versioned hashes of the payload's blob transactions
// in order, as newPayload takes them. Never nil: nil means pre-Cancun.
func blobHashes(txs [][]byte) ([]common.Hash, error) {
	hashes := []common.Hash{}
	for i, raw := range txs {
		if len(raw) == 0 || raw[0] != types.BlobTxType {
			continue
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, fmt.Errorf("decode payload tx %d: %w", i, err)
		}
		hashes = append(hashes, tx.BlobHashes()...)
	}
	return hashes, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
