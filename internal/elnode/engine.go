package elnode

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// DefaultBuildTime is how long BuildBlock lets geth fill a payload from its
// txpool between forkchoiceUpdated and getPayload when BuildArgs.BuildTime is
// zero. getPayload stops the build and hands out whatever is ready (the empty
// block if the first full build has not finished), so a consensus client
// always waits. A full build of 100 transfers takes ~16 ms here (see
// BenchmarkBuildAndImport100), so this leaves a wide margin.
const DefaultBuildTime = 250 * time.Millisecond

// BuildArgs are the payload attributes of a block to build on the current head.
type BuildArgs struct {
	// Timestamp of the block; zero means the head's timestamp plus one.
	Timestamp uint64
	// FeeRecipient receives the priority fees.
	FeeRecipient common.Address
	// PrevRandao is the beacon chain's randao mix for the slot.
	PrevRandao common.Hash
	// ParentBeaconRoot is the root of the parent beacon block (EIP-4788).
	ParentBeaconRoot common.Hash
	// Withdrawals are the beacon withdrawals to credit; nil means none.
	Withdrawals []*types.Withdrawal
	// Txs, when not nil, are the block's transactions in order (canonical
	// encodings, as in a payload) and nothing else: the block is built with
	// testing_buildBlockV1, synchronously, and fails if any tx is invalid.
	// An empty non-nil slice builds an empty block. When nil, geth fills the
	// block from its txpool through forkchoiceUpdated and getPayload, as
	// for a beacon node.
	Txs [][]byte
	// ExtraData is the header's extra data (explicit Txs only).
	ExtraData []byte
	// BuildTime overrides DefaultBuildTime on the txpool path.
	BuildTime time.Duration
}

// engineVersions names the engine API methods for one fork.
type engineVersions struct {
	forkchoiceUpdated string
	getPayload        string
	newPayload        string
	// requests is whether newPayload takes execution requests (Prague on).
	requests bool
}

// versionsAt returns the engine API methods for a block at time ts.
func (n *Node) versionsAt(ts uint64) (engineVersions, error) {
	cfg := n.ChainConfig()
	// Every fork up to the merge is block-numbered and active at genesis, so
	// any block number past it selects the timestamp forks alone.
	num := big.NewInt(1)
	switch {
	case cfg.IsAmsterdam(num, ts):
		return engineVersions{}, fmt.Errorf("%w: amsterdam at %d", ErrUnsupportedFork, ts)
	case cfg.IsOsaka(num, ts):
		return engineVersions{"engine_forkchoiceUpdatedV3", "engine_getPayloadV5", "engine_newPayloadV4", true}, nil
	case cfg.IsPrague(num, ts):
		return engineVersions{"engine_forkchoiceUpdatedV3", "engine_getPayloadV4", "engine_newPayloadV4", true}, nil
	case cfg.IsCancun(num, ts):
		return engineVersions{"engine_forkchoiceUpdatedV3", "engine_getPayloadV3", "engine_newPayloadV3", false}, nil
	default:
		return engineVersions{}, fmt.Errorf("%w: pre-cancun at %d", ErrUnsupportedFork, ts)
	}
}

// BuildBlock builds a payload on the current head without importing it; pass
// the result to ImportPayload to make it the head. See BuildArgs.Txs for the
// two ways it builds.
func (n *Node) BuildBlock(ctx context.Context, args BuildArgs) (*engine.ExecutionPayloadEnvelope, error) {
	head, err := n.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read head: %w", err)
	}
	ts := args.Timestamp
	if ts == 0 {
		ts = head.Time + 1
	}
	if ts <= head.Time {
		return nil, fmt.Errorf("%w: block %d at %d, parent at %d", ErrBadTimestamp, head.Number.Uint64()+1, ts, head.Time)
	}
	versions, err := n.versionsAt(ts)
	if err != nil {
		return nil, err
	}
	withdrawals := args.Withdrawals
	if withdrawals == nil {
		withdrawals = []*types.Withdrawal{} // nil is "pre-Shanghai" to the engine API
	}
	beaconRoot := args.ParentBeaconRoot
	attrs := engine.PayloadAttributes{
		Timestamp:             ts,
		Random:                args.PrevRandao,
		SuggestedFeeRecipient: args.FeeRecipient,
		Withdrawals:           withdrawals,
		BeaconRoot:            &beaconRoot,
	}
	var env *engine.ExecutionPayloadEnvelope
	if args.Txs != nil {
		env, err = n.buildExplicit(ctx, head.Hash(), attrs, args)
	} else {
		env, err = n.buildFromPool(ctx, head.Hash(), attrs, versions, args.BuildTime)
	}
	if err != nil {
		return nil, err
	}
	if env == nil || env.ExecutionPayload == nil {
		return nil, fmt.Errorf("build block %d: empty answer", head.Number.Uint64()+1)
	}
	if got := env.ExecutionPayload.ParentHash; got != head.Hash() {
		return nil, fmt.Errorf("build block %d: payload parent %s, want head %s", head.Number.Uint64()+1, got, head.Hash())
	}
	return env, nil
}

// buildExplicit builds a block of exactly args.Txs with testing_buildBlockV1,
// which geth serves on the JSON-RPC endpoint (see httpModules).
func (n *Node) buildExplicit(ctx context.Context, parent common.Hash, attrs engine.PayloadAttributes, args BuildArgs) (*engine.ExecutionPayloadEnvelope, error) {
	txs := make([]hexutil.Bytes, len(args.Txs))
	for i, tx := range args.Txs {
		txs[i] = tx
	}
	extra := hexutil.Bytes(args.ExtraData)
	if extra == nil {
		extra = hexutil.Bytes{}
	}
	var env engine.ExecutionPayloadEnvelope
	if err := n.rpc.CallContext(ctx, &env, "testing_buildBlockV1", parent, attrs, txs, extra); err != nil {
		return nil, fmt.Errorf("testing_buildBlockV1 with %d txs on %s: %w", len(txs), parent, err)
	}
	return &env, nil
}

// buildFromPool starts a payload build with forkchoiceUpdated, lets geth fill
// it from the txpool for buildTime, and fetches it with getPayload.
func (n *Node) buildFromPool(ctx context.Context, parent common.Hash, attrs engine.PayloadAttributes, versions engineVersions, buildTime time.Duration) (*engine.ExecutionPayloadEnvelope, error) {
	if buildTime <= 0 {
		buildTime = DefaultBuildTime
	}
	// Transactions sent just before are promoted to pending by a background
	// reorg of the pool; wait for it so the build sees them (geth's simulated
	// beacon does the same).
	if err := n.eth.TxPool().Sync(); err != nil {
		return nil, fmt.Errorf("sync txpool: %w", err)
	}
	state := engine.ForkchoiceStateV1{HeadBlockHash: parent, SafeBlockHash: parent, FinalizedBlockHash: parent}
	var resp engine.ForkChoiceResponse
	if err := n.engine.CallContext(ctx, &resp, versions.forkchoiceUpdated, state, attrs); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", versions.forkchoiceUpdated, parent, err)
	}
	if resp.PayloadStatus.Status != engine.VALID {
		return nil, fmt.Errorf("%s on %s: %w: %s", versions.forkchoiceUpdated, parent, ErrNoPayloadID, statusText(resp.PayloadStatus))
	}
	if resp.PayloadID == nil {
		return nil, fmt.Errorf("%s on %s: %w", versions.forkchoiceUpdated, parent, ErrNoPayloadID)
	}
	timer := time.NewTimer(buildTime)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for payload %s: %w", resp.PayloadID, ctx.Err())
	case <-timer.C:
	}
	var env engine.ExecutionPayloadEnvelope
	if err := n.engine.CallContext(ctx, &env, versions.getPayload, resp.PayloadID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", versions.getPayload, resp.PayloadID, err)
	}
	return &env, nil
}

// ImportPayload hands a payload to geth with engine_newPayload and, once geth
// judges it VALID, makes it the head with forkchoiceUpdated. The devnet has
// no competing forks, so the new head is also marked safe and finalized.
// versionedHashes nil means the blob hashes of the payload's transactions;
// executionRequests nil means env.Requests. Both are checked by geth against
// the payload, so passing wrong ones is a way to test rejection.
func (n *Node) ImportPayload(ctx context.Context, env *engine.ExecutionPayloadEnvelope, parentBeaconRoot common.Hash, versionedHashes []common.Hash, executionRequests [][]byte) error {
	if env == nil || env.ExecutionPayload == nil {
		return fmt.Errorf("%w: no execution payload", ErrInvalidPayload)
	}
	payload := env.ExecutionPayload
	versions, err := n.versionsAt(payload.Timestamp)
	if err != nil {
		return err
	}
	if versionedHashes == nil {
		if versionedHashes, err = blobHashes(payload.Transactions); err != nil {
			return fmt.Errorf("%w: block %d: %w", ErrInvalidPayload, payload.Number, err)
		}
	}
	var status engine.PayloadStatusV1
	if versions.requests {
		if executionRequests == nil {
			executionRequests = env.Requests
		}
		requests := make([]hexutil.Bytes, len(executionRequests))
		for i, r := range executionRequests {
			requests[i] = r
		}
		err = n.engine.CallContext(ctx, &status, versions.newPayload, payload, versionedHashes, parentBeaconRoot, requests)
	} else {
		err = n.engine.CallContext(ctx, &status, versions.newPayload, payload, versionedHashes, parentBeaconRoot)
	}
	if err != nil {
		return fmt.Errorf("%s block %d %s: %w", versions.newPayload, payload.Number, payload.BlockHash, err)
	}
	if err := checkStatus(status); err != nil {
		return fmt.Errorf("%s block %d %s: %w", versions.newPayload, payload.Number, payload.BlockHash, err)
	}
	hash := payload.BlockHash
	state := engine.ForkchoiceStateV1{HeadBlockHash: hash, SafeBlockHash: hash, FinalizedBlockHash: hash}
	var resp engine.ForkChoiceResponse
	if err := n.engine.CallContext(ctx, &resp, versions.forkchoiceUpdated, state, nil); err != nil {
		return fmt.Errorf("%s to block %d %s: %w", versions.forkchoiceUpdated, payload.Number, hash, err)
	}
	if err := checkStatus(resp.PayloadStatus); err != nil {
		return fmt.Errorf("%s to block %d %s: %w", versions.forkchoiceUpdated, payload.Number, hash, err)
	}
	return nil
}

// checkStatus maps an engine API payload status to the package's errors.
func checkStatus(s engine.PayloadStatusV1) error {
	switch s.Status {
	case engine.VALID:
		return nil
	case engine.INVALID, "INVALID_BLOCK_HASH": // the latter is pre-Shanghai, kept for clarity
		return fmt.Errorf("%w: %s", ErrInvalidPayload, statusText(s))
	default:
		return fmt.Errorf("%w: %s", ErrNotImported, statusText(s))
	}
}

func statusText(s engine.PayloadStatusV1) string {
	if s.ValidationError != nil && *s.ValidationError != "" {
		return s.Status + ": " + *s.ValidationError
	}
	return s.Status
}

// blobHashes lists the blob versioned hashes of txs in order, as a consensus
// client derives them from the block's KZG commitments.
func blobHashes(txs [][]byte) ([]common.Hash, error) {
	hashes := []common.Hash{}
	for i, raw := range txs {
		if len(raw) == 0 || raw[0] != types.BlobTxType {
			continue
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, fmt.Errorf("decode tx %d: %w", i, err)
		}
		hashes = append(hashes, tx.BlobHashes()...)
	}
	return hashes, nil
}
