package registry

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/pledgeproto/pledge/contracts/bindings"
)

// Backend is what the client needs from an execution node: contract calls and
// transactions, receipts, and the chain id (for proofs of possession).
// *ethclient.Client and the simulated backend's client satisfy it.
type Backend interface {
	bind.ContractBackend
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
	ChainID(ctx context.Context) (*big.Int, error)
}

// State is an operator's lifecycle in the Registry.
type State uint8

// The states, in IRegistry.State's order.
const (
	StateNone State = iota
	StateRegistered
	StateExiting
	StateWithdrawable
	StateWithdrawn
)

func (s State) String() string {
	switch s {
	case StateNone:
		return "unregistered"
	case StateRegistered:
		return "registered"
	case StateExiting:
		return "exiting"
	case StateWithdrawable:
		return "withdrawable"
	case StateWithdrawn:
		return "withdrawn"
	default:
		return fmt.Sprintf("state(%d)", uint8(s))
	}
}

// Status is an operator's record at the current slot.
type Status struct {
	State            State
	Keys             uint32
	Collateral       *big.Int
	RegisteredSlot   uint64
	ExitSlot         uint64 // 0 while registered
	WithdrawableSlot uint64 // first slot withdraw succeeds; 0 while registered
	Committer        common.Address
	// Reserved is the part of Collateral held by open slot ledgers.
	Reserved *big.Int
}

// Backs reports why the Registry would not back a promise for slot signed by
// committer, or nil: the operator is registered (or exiting with slot before
// its exit slot). The committer binding at slot is CommitterAt's to check.
func (s *Status) Backs(slot uint64) error {
	switch {
	case s.State == StateRegistered:
		return nil
	case s.State == StateExiting && slot < s.ExitSlot:
		return nil
	case s.State == StateExiting || s.State == StateWithdrawable || s.State == StateWithdrawn:
		return fmt.Errorf("%w: operator %s, its exit slot is %d", ErrExited, s.State, s.ExitSlot)
	default:
		return fmt.Errorf("%w: operator is %s", ErrNotRegistered, s.State)
	}
}

// Params are the Registry's immutable parameters (docs/protocol.md §10).
type Params struct {
	GenesisTime         uint64
	SecondsPerSlot      uint64
	Lookahead           uint64 // slots ahead of the current one promises may be sold for
	RotationDelay       uint64
	UnregistrationDelay uint64
	SlashWindow         uint64
	LedgerGrace         uint64 // slots after its slot a ledger may still be opened
}

// Ledger is an operator's on-chain record of one slot's promises (IRegistry.Ledger).
type Ledger struct {
	Root      common.Hash
	Committer common.Address
	Count     uint32 // leaves; zero: no ledger was opened
	Released  bool
	Poster    common.Address
	Left      *big.Int // what its promises can still be paid
}

// Exists reports whether the ledger was opened.
func (l *Ledger) Exists() bool { return l.Count > 0 }

// Client reads and writes one Registry contract.
type Client struct {
	backend  Backend
	address  common.Address
	contract *bindings.Registry

	mu      sync.Mutex
	chainID *big.Int // fetched once, on first need
}

// New returns a client of the Registry at address. It does no I/O.
func New(backend Backend, address common.Address) (*Client, error) {
	if backend == nil {
		return nil, fmt.Errorf("%w: no backend", ErrMissingInput)
	}
	if address == (common.Address{}) {
		return nil, fmt.Errorf("%w: no registry address", ErrMissingInput)
	}
	contract, err := bindings.NewRegistry(address, backend)
	if err != nil {
		return nil, fmt.Errorf("bind registry at %s: %w", address, err)
	}
	return &Client{backend: backend, address: address, contract: contract}, nil
}

// Address is the Registry's address.
func (c *Client) Address() common.Address { return c.address }

// Contract gives the raw bindings, for what the client does not wrap.
func (c *Client) Contract() *bindings.Registry { return c.contract }

func (c *Client) chain(ctx context.Context) (*big.Int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chainID != nil {
		return c.chainID, nil
	}
	id, err := c.backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read chain id: %w", err)
	}
	c.chainID = id
	return id, nil
}

// Proofs builds the proofs of possession binding keys to operator in this Registry.
func (c *Client) Proofs(ctx context.Context, operator common.Address, keys []*bls.SecretKey) ([]*ProofOfPossession, error) {
	if len(keys) == 0 {
		return nil, ErrNoKeys
	}
	chainID, err := c.chain(ctx)
	if err != nil {
		return nil, err
	}
	proofs := make([]*ProofOfPossession, len(keys))
	for i, sk := range keys {
		p, err := Prove(sk, chainID, c.address, operator)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		proofs[i] = p
	}
	return proofs, nil
}

func split(proofs []*ProofOfPossession) (pubkeys, sigs [][]byte) {
	pubkeys = make([][]byte, len(proofs))
	sigs = make([][]byte, len(proofs))
	for i, p := range proofs {
		pubkeys[i], sigs[i] = p.PublicKeyG1, p.Signature
	}
	return pubkeys, sigs
}

// txOpts copies opts with ctx and value, so the caller's opts stay untouched.
func txOpts(ctx context.Context, opts *bind.TransactOpts, value *big.Int) (*bind.TransactOpts, error) {
	if opts == nil {
		return nil, fmt.Errorf("%w: no transaction options (sender and signer)", ErrMissingInput)
	}
	o := *opts
	o.Context = ctx
	o.Value = value
	return &o, nil
}

// Register registers opts.From as an operator with the keys (each proven on
// the spot), committer and collateral wei. It returns the sent transaction;
// a refusal the node foresees (gas estimation) comes back as a *RevertError.
func (c *Client) Register(ctx context.Context, opts *bind.TransactOpts, keys []*bls.SecretKey, committer common.Address, collateral *big.Int) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, collateral)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	if collateral == nil || collateral.Sign() < 0 {
		return nil, fmt.Errorf("register: collateral: %w", ErrNegativeValue)
	}
	proofs, err := c.Proofs(ctx, o.From, keys)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	pubkeys, sigs := split(proofs)
	tx, err := c.contract.Register(o, pubkeys, sigs, committer)
	if err != nil {
		return nil, fmt.Errorf("register %d keys: %w", len(keys), DecodeRevert(err))
	}
	return tx, nil
}

// AddKeys binds more keys to the already registered opts.From.
func (c *Client) AddKeys(ctx context.Context, opts *bind.TransactOpts, keys []*bls.SecretKey) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("add keys: %w", err)
	}
	proofs, err := c.Proofs(ctx, o.From, keys)
	if err != nil {
		return nil, fmt.Errorf("add keys: %w", err)
	}
	pubkeys, sigs := split(proofs)
	tx, err := c.contract.AddKeys(o, pubkeys, sigs)
	if err != nil {
		return nil, fmt.Errorf("add %d keys: %w", len(keys), DecodeRevert(err))
	}
	return tx, nil
}

// Deposit adds amount wei to opts.From's collateral.
func (c *Client) Deposit(ctx context.Context, opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	if amount == nil || amount.Sign() < 0 {
		return nil, fmt.Errorf("deposit: %w", ErrNegativeValue)
	}
	o, err := txOpts(ctx, opts, amount)
	if err != nil {
		return nil, fmt.Errorf("deposit: %w", err)
	}
	tx, err := c.contract.Deposit(o)
	if err != nil {
		return nil, fmt.Errorf("deposit %s wei: %w", amount, DecodeRevert(err))
	}
	return tx, nil
}

// SetCommitter binds a new committer to opts.From; it takes effect
// rotationDelay slots after the transaction's slot.
func (c *Client) SetCommitter(ctx context.Context, opts *bind.TransactOpts, committer common.Address) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("set committer: %w", err)
	}
	tx, err := c.contract.SetCommitter(o, committer)
	if err != nil {
		return nil, fmt.Errorf("set committer %s: %w", committer, DecodeRevert(err))
	}
	return tx, nil
}

// Unregister starts opts.From's exit.
func (c *Client) Unregister(ctx context.Context, opts *bind.TransactOpts) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("unregister: %w", err)
	}
	tx, err := c.contract.Unregister(o)
	if err != nil {
		return nil, fmt.Errorf("unregister: %w", DecodeRevert(err))
	}
	return tx, nil
}

// Withdraw pays opts.From's collateral out once the exit delay is over.
func (c *Client) Withdraw(ctx context.Context, opts *bind.TransactOpts) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("withdraw: %w", err)
	}
	tx, err := c.contract.Withdraw(o)
	if err != nil {
		return nil, fmt.Errorf("withdraw: %w", DecodeRevert(err))
	}
	return tx, nil
}

// Wait waits for tx's receipt. A transaction that failed on-chain comes back
// as ErrTxFailed, with the Registry's reason when a replay of the call at the
// parent block names one.
func (c *Client) Wait(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	rcpt, err := bind.WaitMined(ctx, c.backend, tx)
	if err != nil {
		return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), err)
	}
	if rcpt.Status == types.ReceiptStatusSuccessful {
		return rcpt, nil
	}
	reason := c.replay(ctx, tx, rcpt)
	if reason != nil {
		return rcpt, fmt.Errorf("%w: %s: %w", ErrTxFailed, tx.Hash(), reason)
	}
	return rcpt, fmt.Errorf("%w: %s (gas used %d of %d)", ErrTxFailed, tx.Hash(), rcpt.GasUsed, tx.Gas())
}

// replay re-runs a failed transaction as a call on its parent state to learn
// why it reverted; nil when that gives nothing.
func (c *Client) replay(ctx context.Context, tx *types.Transaction, rcpt *types.Receipt) error {
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		return nil
	}
	parent := new(big.Int).Sub(rcpt.BlockNumber, common.Big1)
	_, err = c.backend.CallContract(ctx, ethereum.CallMsg{
		From: from, To: tx.To(), Gas: tx.Gas(), Value: tx.Value(), Data: tx.Data(),
	}, parent)
	if err == nil {
		return nil
	}
	var rev *RevertError
	if dec := DecodeRevert(err); errors.As(dec, &rev) {
		return rev
	}
	return nil
}

func (c *Client) call(ctx context.Context) *bind.CallOpts {
	return &bind.CallOpts{Context: ctx}
}

// Status reads operator's record at the current slot.
func (c *Client) Status(ctx context.Context, operator common.Address) (*Status, error) {
	s, err := c.contract.Status(c.call(ctx), operator)
	if err != nil {
		return nil, fmt.Errorf("status of %s: %w", operator, DecodeRevert(err))
	}
	return &Status{
		State:            State(s.State),
		Keys:             s.Keys,
		Collateral:       s.Collateral,
		RegisteredSlot:   s.RegisteredSlot,
		ExitSlot:         s.ExitSlot,
		WithdrawableSlot: s.WithdrawableSlot,
		Committer:        s.Committer,
		Reserved:         orZero(s.Reserved),
	}, nil
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// Params reads the Registry's immutable parameters.
func (c *Client) Params(ctx context.Context) (*Params, error) {
	var p Params
	o := c.call(ctx)
	for _, r := range []struct {
		name string
		dst  *uint64
		read func(*bind.CallOpts) (uint64, error)
	}{
		{"genesisTime", &p.GenesisTime, c.contract.GenesisTime},
		{"secondsPerSlot", &p.SecondsPerSlot, c.contract.SecondsPerSlot},
		{"lookahead", &p.Lookahead, c.contract.Lookahead},
		{"rotationDelay", &p.RotationDelay, c.contract.RotationDelay},
		{"unregistrationDelay", &p.UnregistrationDelay, c.contract.UnregistrationDelay},
		{"slashWindow", &p.SlashWindow, c.contract.SlashWindow},
		{"ledgerGrace", &p.LedgerGrace, c.contract.LedgerGrace},
	} {
		v, err := r.read(o)
		if err != nil {
			return nil, fmt.Errorf("registry %s: read %s: %w", c.address, r.name, DecodeRevert(err))
		}
		*r.dst = v
	}
	return &p, nil
}

// FreeCollateral reads the part of operator's collateral no ledger reserves.
func (c *Client) FreeCollateral(ctx context.Context, operator common.Address) (*big.Int, error) {
	v, err := c.contract.FreeCollateral(c.call(ctx), operator)
	if err != nil {
		return nil, fmt.Errorf("free collateral of %s: %w", operator, DecodeRevert(err))
	}
	return v, nil
}

// LedgerOf reads operator's ledger for slot (Count zero: none opened).
func (c *Client) LedgerOf(ctx context.Context, operator common.Address, slot uint64) (*Ledger, error) {
	l, err := c.contract.LedgerOf(c.call(ctx), operator, slot)
	if err != nil {
		return nil, fmt.Errorf("ledger of %s for slot %d: %w", operator, slot, DecodeRevert(err))
	}
	return &Ledger{Root: l.Root, Committer: l.Committer, Count: l.Count, Released: l.Released, Poster: l.Poster, Left: orZero(l.Left)}, nil
}

// Revoked reads whether operator revoked committer.
func (c *Client) Revoked(ctx context.Context, operator, committer common.Address) (bool, error) {
	v, err := c.contract.Revoked(c.call(ctx), operator, committer)
	if err != nil {
		return false, fmt.Errorf("revocation of %s by %s: %w", committer, operator, DecodeRevert(err))
	}
	return v, nil
}

// RevokeCommitter voids committer for opts.From at once, for every slot
// (the emergency action against a leaked key).
func (c *Client) RevokeCommitter(ctx context.Context, opts *bind.TransactOpts, committer common.Address) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("revoke committer: %w", err)
	}
	tx, err := c.contract.RevokeCommitter(o, committer)
	if err != nil {
		return nil, fmt.Errorf("revoke committer %s: %w", committer, DecodeRevert(err))
	}
	return tx, nil
}

// Release gives back to operator's free collateral what the ledgers of
// slots still reserve, once their slash window is over. Anyone may send it.
func (c *Client) Release(ctx context.Context, opts *bind.TransactOpts, operator common.Address, slots []uint64) (*types.Transaction, error) {
	o, err := txOpts(ctx, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	tx, err := c.contract.Release(o, operator, slots)
	if err != nil {
		return nil, fmt.Errorf("release %d ledgers of %s: %w", len(slots), operator, DecodeRevert(err))
	}
	return tx, nil
}

// OpenLedgerData is the calldata of Registry.openLedger(operator, slot,
// poster, leaves), for a sender that signs its own transaction.
func OpenLedgerData(operator common.Address, slot uint64, poster common.Address, leaves []byte) ([]byte, error) {
	return registryABI.Pack("openLedger", operator, slot, poster, leaves)
}

// ReleaseData is the calldata of Registry.release(operator, slots).
func ReleaseData(operator common.Address, slots []uint64) ([]byte, error) {
	return registryABI.Pack("release", operator, slots)
}

// Collateral reads operator's collateral left to slash, in wei.
func (c *Client) Collateral(ctx context.Context, operator common.Address) (*big.Int, error) {
	v, err := c.contract.CollateralOf(c.call(ctx), operator)
	if err != nil {
		return nil, fmt.Errorf("collateral of %s: %w", operator, DecodeRevert(err))
	}
	return v, nil
}

// CommitterAt reads the committer bound to operator for slot (zero before
// the operator registered).
func (c *Client) CommitterAt(ctx context.Context, operator common.Address, slot uint64) (common.Address, error) {
	a, err := c.contract.CommitterAt(c.call(ctx), operator, slot)
	if err != nil {
		return common.Address{}, fmt.Errorf("committer of %s at slot %d: %w", operator, slot, DecodeRevert(err))
	}
	return a, nil
}

// OperatorOf reads the operator a 48-byte compressed key is bound to (zero if none).
func (c *Client) OperatorOf(ctx context.Context, compressedPubkey []byte) (common.Address, error) {
	if len(compressedPubkey) != CompressedKeyLength {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadKey, len(compressedPubkey), CompressedKeyLength)
	}
	a, err := c.contract.OperatorOf(c.call(ctx), compressedPubkey)
	if err != nil {
		return common.Address{}, fmt.Errorf("operator of key %x: %w", compressedPubkey, DecodeRevert(err))
	}
	return a, nil
}
