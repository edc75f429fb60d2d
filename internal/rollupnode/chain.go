package rollupnode

import (
	"context"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/holiman/uint256"
)

// l2Block is one executed L2 block: only the txs that executed are in it (the
// skipped ones are in chain.skipped), with their receipts and senders.
type l2Block struct {
	header   *types.Header
	hash     common.Hash
	txs      []*types.Transaction
	receipts types.Receipts
	senders  []common.Address
	// l1Number and l1Hash name the L1 block the batches came from, so a reorg
	// can find the L2 blocks to drop.
	l1Number uint64
	l1Hash   common.Hash
}

// txPos locates an executed tx.
type txPos struct {
	block uint64
	index int
}

// Skipped is an L2 tx that was posted in a batch but not executed (lazy
// sequencing: the batch orders, the rollup decides what is valid).
type Skipped struct {
	// Hash is the tx hash, or keccak256 of the raw bytes when they do not decode.
	Hash common.Hash
	// Block is the L2 block the tx would have been in.
	Block uint64
	// Reason is why it was skipped: bad nonce, insufficient funds, wrong chain id…
	Reason string
}

// chain is the L2 chain: blocks in memory, state in an in-memory trie
// database. Every block's state stays readable (nothing is pruned), which is
// what lets a reorg rewind to any earlier block. Safe for concurrent use.
type chain struct {
	config   *params.ChainConfig
	signer   types.Signer
	gasLimit uint64
	baseFee  *big.Int
	coinbase common.Address
	tdb      *triedb.Database
	sdb      state.Database

	mu      sync.RWMutex
	blocks  []*l2Block
	byHash  map[common.Hash]uint64
	txs     map[common.Hash]txPos
	skipped map[common.Hash]Skipped
}

// newChain builds block 0 from the genesis alloc.
func newChain(cfg Config) (*chain, error) {
	db := rawdb.NewMemoryDatabase()
	tdb := triedb.NewDatabase(db, nil)
	c := &chain{
		config:   ChainConfig(cfg.ChainID),
		gasLimit: cfg.GasLimit,
		baseFee:  new(big.Int).Set(cfg.BaseFee),
		coinbase: cfg.FeeRecipient,
		tdb:      tdb,
		sdb:      state.NewMPTDatabase(tdb, state.NewCodeDB(db)),
		byHash:   map[common.Hash]uint64{},
		txs:      map[common.Hash]txPos{},
		skipped:  map[common.Hash]Skipped{},
	}
	c.signer = types.LatestSignerForChainID(c.config.ChainID)
	st, err := state.New(types.EmptyRootHash, c.sdb)
	if err != nil {
		return nil, fmt.Errorf("open genesis state: %w", err)
	}
	for addr, acc := range cfg.Genesis {
		if acc.Balance != nil {
			st.SetBalance(addr, uint256.MustFromBig(acc.Balance), tracing.BalanceIncreaseGenesisBalance)
		}
		st.SetNonce(addr, acc.Nonce, tracing.NonceChangeGenesis)
		if len(acc.Code) > 0 {
			st.SetCode(addr, acc.Code, tracing.CodeChangeGenesis)
		}
		for k, v := range acc.Storage {
			st.SetState(addr, k, v)
		}
	}
	header := c.newHeader(common.Hash{}, 0, cfg.GenesisTime, common.Hash{})
	root, err := c.commit(st, header)
	if err != nil {
		return nil, fmt.Errorf("commit genesis: %w", err)
	}
	header.Root = root
	c.append(&l2Block{header: header, hash: header.Hash()})
	return c, nil
}

// newHeader is a Prague header without txs; Root and the tx fields are set
// once the block is executed.
func (c *chain) newHeader(parent common.Hash, number, time uint64, random common.Hash) *types.Header {
	var zero uint64
	beaconRoot := common.Hash{}
	return &types.Header{
		ParentHash:       parent,
		UncleHash:        types.EmptyUncleHash,
		Coinbase:         c.coinbase,
		TxHash:           types.EmptyTxsHash,
		ReceiptHash:      types.EmptyReceiptsHash,
		Difficulty:       new(big.Int),
		Number:           new(big.Int).SetUint64(number),
		GasLimit:         c.gasLimit,
		Time:             time,
		MixDigest:        random,
		BaseFee:          new(big.Int).Set(c.baseFee),
		WithdrawalsHash:  &types.EmptyWithdrawalsHash,
		BlobGasUsed:      &zero,
		ExcessBlobGas:    &zero,
		ParentBeaconRoot: &beaconRoot,
		RequestsHash:     &types.EmptyRequestsHash,
	}
}

// commit writes the state into the trie database and returns its root.
func (c *chain) commit(st *state.StateDB, h *types.Header) (common.Hash, error) {
	root, err := st.Commit(c.config.Rules(h.Number, true, h.Time), h.Number.Uint64())
	if err != nil {
		return common.Hash{}, err
	}
	if err := c.tdb.Commit(root, false); err != nil {
		return common.Hash{}, err
	}
	return root, nil
}

// append adds an executed block at the head. The caller built it on the head.
func (c *chain) append(b *l2Block) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := uint64(len(c.blocks))
	c.blocks = append(c.blocks, b)
	c.byHash[b.hash] = n
	for i, tx := range b.txs {
		c.txs[tx.Hash()] = txPos{block: n, index: i}
	}
}

// head returns the newest block.
func (c *chain) head() *l2Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.blocks[len(c.blocks)-1]
}

// block returns block n, or nil.
func (c *chain) block(n uint64) *l2Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if n >= uint64(len(c.blocks)) {
		return nil
	}
	return c.blocks[n]
}

// blockByHash returns the block with hash h, or nil.
func (c *chain) blockByHash(h common.Hash) *l2Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n, ok := c.byHash[h]
	if !ok {
		return nil
	}
	return c.blocks[n]
}

// lookupTx finds an executed tx.
func (c *chain) lookupTx(h common.Hash) (*l2Block, int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.txs[h]
	if !ok {
		return nil, 0, false
	}
	return c.blocks[p.block], p.index, true
}

// skippedTx returns the record of a skipped tx.
func (c *chain) skippedTx(h common.Hash) (Skipped, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.skipped[h]
	return s, ok
}

// stateAt opens the state after block b (a fresh StateDB each time, so
// readers never share one with the executor).
func (c *chain) stateAt(b *l2Block) (*state.StateDB, error) {
	return state.New(b.header.Root, c.sdb)
}

// rewind drops every block after n (a reorg on L1 took their batches away).
func (c *chain) rewind(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n+1 >= uint64(len(c.blocks)) {
		return
	}
	for _, b := range c.blocks[n+1:] {
		delete(c.byHash, b.hash)
		for _, tx := range b.txs {
			delete(c.txs, tx.Hash())
		}
	}
	for h, s := range c.skipped {
		if s.Block > n {
			delete(c.skipped, h)
		}
	}
	c.blocks = c.blocks[:n+1]
}

// getHash is BLOCKHASH for the block being built on parent: the hashes of
// the last 256 blocks.
func (c *chain) getHash(parent uint64) vm.GetHashFunc {
	return func(n uint64) common.Hash {
		if n > parent || parent-n >= 256 {
			return common.Hash{}
		}
		if b := c.block(n); b != nil {
			return b.hash
		}
		return common.Hash{}
	}
}

// blockContext is the EVM's view of header.
func (c *chain) blockContext(h *types.Header) vm.BlockContext {
	random := h.MixDigest
	return vm.BlockContext{
		CanTransfer: core.CanTransfer,
		Transfer:    core.Transfer,
		GetHash:     c.getHash(h.Number.Uint64() - 1),
		Coinbase:    h.Coinbase,
		BlockNumber: new(big.Int).Set(h.Number),
		Time:        h.Time,
		Difficulty:  new(big.Int),
		BaseFee:     new(big.Int).Set(h.BaseFee),
		// No blob market on L2: BLOBBASEFEE reads the minimum.
		BlobBaseFee:      big.NewInt(params.BlobTxMinBlobGasprice),
		GasLimit:         h.GasLimit,
		Random:           &random,
		CostPerStateByte: params.CostPerStateByte,
	}
}

// execute builds the next block from the raw txs of the L1 block l1, in
// order. A tx that does not decode, is a blob tx, or that the state refuses
// (nonce, funds, chain id, fee below the base fee, gas left in the block) is
// skipped and recorded; the others run and get receipts, reverted or not.
func (c *chain) execute(ctx context.Context, l1 *types.Header, raws [][]byte) (*l2Block, []Skipped, error) {
	parent := c.head()
	number := parent.header.Number.Uint64() + 1
	// L1 timestamps only grow, but the configured L2 genesis time may be later.
	time := max(l1.Time, parent.header.Time)
	// PREVRANDAO on L2 is L1's: it is as random as L1's and costs nothing.
	header := c.newHeader(parent.hash, number, time, l1.MixDigest)
	st, err := c.stateAt(parent)
	if err != nil {
		return nil, nil, fmt.Errorf("open state of block %d: %w", number-1, err)
	}
	evm := vm.NewEVM(c.blockContext(header), st, c.config, vm.Config{})
	defer evm.Release()
	signer := types.MakeSigner(c.config, header.Number, header.Time)
	gp := core.NewGasPool(header.GasLimit)

	b := &l2Block{l1Number: l1.Number.Uint64(), l1Hash: l1.Hash()}
	var skipped []Skipped
	skip := func(h common.Hash, reason string) {
		skipped = append(skipped, Skipped{Hash: h, Block: number, Reason: reason})
	}
	for _, raw := range raws {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			skip(crypto.Keccak256Hash(raw), fmt.Sprintf("undecodable transaction: %v", err))
			continue
		}
		if tx.Type() == types.BlobTxType {
			skip(tx.Hash(), "blob transactions are not allowed on L2")
			continue
		}
		msg, err := core.TransactionToMessage(tx, signer, header.BaseFee)
		if err != nil {
			skip(tx.Hash(), err.Error())
			continue
		}
		// A refused tx may have bought gas before the refusal: undo it all.
		snap, gpSnap := st.Snapshot(), gp.Snapshot()
		st.SetTxContext(tx.Hash(), len(b.txs), uint32(len(b.txs)+1))
		receipt, _, err := core.ApplyTransactionWithEVM(ctx, msg, gp, st, header.Number, common.Hash{}, header.Time, tx, evm)
		if err != nil {
			st.RevertToSnapshot(snap)
			gp.Set(gpSnap)
			skip(tx.Hash(), err.Error())
			continue
		}
		if receipt.Logs == nil {
			receipt.Logs = []*types.Log{} // the receipt JSON requires a list
		}
		receipt.EffectiveGasPrice = new(big.Int).Add(header.BaseFee, tx.EffectiveGasTipValue(header.BaseFee))
		b.txs = append(b.txs, tx)
		b.receipts = append(b.receipts, receipt)
		b.senders = append(b.senders, msg.From)
	}
	root, err := c.commit(st, header)
	if err != nil {
		return nil, nil, fmt.Errorf("commit state of block %d: %w", number, err)
	}
	header.Root = root
	header.GasUsed = gp.Used()
	if len(b.txs) > 0 {
		header.TxHash = types.DeriveSha(types.Transactions(b.txs), trie.NewStackTrie(nil))
		header.ReceiptHash = types.DeriveSha(b.receipts, trie.NewStackTrie(nil))
		header.Bloom = types.MergeBloom(b.receipts)
	}
	b.header, b.hash = header, header.Hash()
	// The hash is known only now: stamp it on the receipts and their logs.
	for _, r := range b.receipts {
		r.BlockHash = b.hash
		for _, l := range r.Logs {
			l.BlockHash = b.hash
		}
	}
	c.append(b)
	c.mu.Lock()
	for _, s := range skipped {
		// A hash that executed (this tx replayed) keeps its receipt.
		if _, done := c.txs[s.Hash]; !done {
			c.skipped[s.Hash] = s
		}
	}
	c.mu.Unlock()
	return b, skipped, nil
}
