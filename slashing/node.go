package slashing

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/contracts/bindings"
)

// rpcNode serves Node from one JSON-RPC connection.
type rpcNode struct {
	*ethclient.Client
	raw *rpc.Client
}

// NewNode returns the Node of a JSON-RPC client.
func NewNode(c *rpc.Client) Node {
	return rpcNode{Client: ethclient.NewClient(c), raw: c}
}

func (n rpcNode) CallContext(ctx context.Context, result any, method string, args ...any) error {
	return n.raw.CallContext(ctx, result, method, args...)
}

// LedgerRecord is Registry.ledgerOf: what the Registry keeps of a slot ledger.
// Count zero means no ledger was opened for the slot.
type LedgerRecord struct {
	Root      common.Hash
	Committer common.Address // the committer that opened it
	Count     uint32
	Released  bool
	Poster    common.Address // whose Inbox batches hold the slot's L2 promises
	Left      *big.Int       // what its promises can still be paid
}

// Contracts is what the Judge and the Builder read from the deployed contracts.
// Every method is a read (eth_call or eth_getLogs at the latest block).
type Contracts interface {
	// CommitterAt is Registry.committerAt.
	CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error)
	// LedgerOf is Registry.ledgerOf.
	LedgerOf(ctx context.Context, operator common.Address, slot uint64) (LedgerRecord, error)
	// LedgerLeaves returns the packed leaves (Registry.openLedger's argument)
	// of the LedgerOpened event of (operator, slot) whose root is root, looking
	// at blocks from fromBlock on; ErrLedgerUnavailable when there is none.
	LedgerLeaves(ctx context.Context, operator common.Address, slot uint64, root common.Hash, fromBlock, toBlock uint64) ([]byte, error)
	// BatchOf is Inbox.batchOf: poster's record for (chainID, slot).
	BatchOf(ctx context.Context, chainID, slot uint64, poster common.Address) (acc common.Hash, count uint32, err error)
	// Settled is Slasher.settled.
	Settled(ctx context.Context, digest common.Hash) (bool, error)
	// ClaimBlock is Slasher.claims: the block a claim hash was committed in (0: never).
	ClaimBlock(ctx context.Context, claimHash common.Hash) (uint64, error)
}

type boundContracts struct {
	registry *bindings.Registry
	inbox    *bindings.Inbox
	slasher  *bindings.Slasher
}

// NewContracts returns Contracts over the generated bindings.
func NewContracts(registry *bindings.Registry, inbox *bindings.Inbox, slasher *bindings.Slasher) (Contracts, error) {
	if registry == nil || inbox == nil || slasher == nil {
		return nil, fmt.Errorf("%w: registry, inbox and slasher bindings are required", ErrBadConfig)
	}
	return boundContracts{registry: registry, inbox: inbox, slasher: slasher}, nil
}

func (b boundContracts) CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error) {
	a, err := b.registry.CommitterAt(&bind.CallOpts{Context: ctx}, operator, slot)
	if err != nil {
		return common.Address{}, fmt.Errorf("committerAt(%s, %d): %w", operator, slot, err)
	}
	return a, nil
}

func (b boundContracts) LedgerOf(ctx context.Context, operator common.Address, slot uint64) (LedgerRecord, error) {
	l, err := b.registry.LedgerOf(&bind.CallOpts{Context: ctx}, operator, slot)
	if err != nil {
		return LedgerRecord{}, fmt.Errorf("ledgerOf(%s, %d): %w", operator, slot, err)
	}
	left := l.Left
	if left == nil {
		left = new(big.Int)
	}
	return LedgerRecord{Root: l.Root, Committer: l.Committer, Count: l.Count, Released: l.Released, Poster: l.Poster, Left: left}, nil
}

// ledgerLogChunk is the most blocks one eth_getLogs call spans: providers
// refuse wide ranges, and a ledger lands within ledgerGrace slots of its slot,
// so the first chunk nearly always holds it.
var ledgerLogChunk uint64 = 2048

func (b boundContracts) LedgerLeaves(ctx context.Context, operator common.Address, slot uint64, root common.Hash, fromBlock, toBlock uint64) ([]byte, error) {
	for start := fromBlock; start <= toBlock; start += ledgerLogChunk {
		end := min(start+ledgerLogChunk-1, toBlock)
		packed, err := b.ledgerLeavesIn(ctx, operator, slot, root, start, end)
		if err != nil || packed != nil {
			return packed, err
		}
	}
	return nil, fmt.Errorf("%w: no LedgerOpened event of %s for slot %d with root %s in blocks %d-%d", ErrLedgerUnavailable, operator, slot, root, fromBlock, toBlock)
}

// ledgerLeavesIn reads the leaves of the canonical LedgerOpened event with
// root in blocks [start, end], or nil when there is none.
func (b boundContracts) ledgerLeavesIn(ctx context.Context, operator common.Address, slot uint64, root common.Hash, start, end uint64) ([]byte, error) {
	it, err := b.registry.FilterLedgerOpened(&bind.FilterOpts{Start: start, End: &end, Context: ctx}, []common.Address{operator}, []uint64{slot})
	if err != nil {
		return nil, fmt.Errorf("LedgerOpened(%s, %d) logs in blocks %d-%d: %w", operator, slot, start, end, err)
	}
	defer it.Close()
	for it.Next() {
		// A reorged-out opening may be reported beside the canonical one: the root decides.
		if it.Event.Root == root && !it.Event.Raw.Removed {
			return it.Event.Leaves, nil
		}
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("LedgerOpened(%s, %d) logs in blocks %d-%d: %w", operator, slot, start, end, err)
	}
	return nil, nil
}

func (b boundContracts) BatchOf(ctx context.Context, chainID, slot uint64, poster common.Address) (common.Hash, uint32, error) {
	r, err := b.inbox.BatchOf(&bind.CallOpts{Context: ctx}, chainID, slot, poster)
	if err != nil {
		return common.Hash{}, 0, fmt.Errorf("batchOf(%d, %d, %s): %w", chainID, slot, poster, err)
	}
	return r.Acc, r.Count, nil
}

func (b boundContracts) Settled(ctx context.Context, digest common.Hash) (bool, error) {
	s, err := b.slasher.Settled(&bind.CallOpts{Context: ctx}, digest)
	if err != nil {
		return false, fmt.Errorf("settled(%s): %w", digest, err)
	}
	return s, nil
}

func (b boundContracts) ClaimBlock(ctx context.Context, claimHash common.Hash) (uint64, error) {
	n, err := b.slasher.Claims(&bind.CallOpts{Context: ctx}, claimHash)
	if err != nil {
		return 0, fmt.Errorf("claims(%s): %w", claimHash, err)
	}
	if !n.IsUint64() {
		return 0, fmt.Errorf("claims(%s): block %s out of range", claimHash, n)
	}
	return n.Uint64(), nil
}
