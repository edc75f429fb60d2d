package slashing

import (
	"context"
	"fmt"

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

// Contracts is what the Judge reads from the deployed contracts.
type Contracts interface {
	// CommitterAt is Registry.committerAt.
	CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error)
	// BatchOf is Inbox.batchOf.
	BatchOf(ctx context.Context, chainID, slot uint64) (acc common.Hash, count uint32, err error)
	// Settled is Slasher.settled.
	Settled(ctx context.Context, digest common.Hash) (bool, error)
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

func (b boundContracts) BatchOf(ctx context.Context, chainID, slot uint64) (common.Hash, uint32, error) {
	r, err := b.inbox.BatchOf(&bind.CallOpts{Context: ctx}, chainID, slot)
	if err != nil {
		return common.Hash{}, 0, fmt.Errorf("batchOf(%d, %d): %w", chainID, slot, err)
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
