package admission

import (
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/sidecar/chainstate"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// targetBlock is the block of a slot as the head projects it: what a
// transaction promised for the slot must fit, by go-ethereum's rules.
type targetBlock struct {
	config *params.ChainConfig
	// header holds the slot's time, the block's number if no slot is missed,
	// the head's gas limit, the highest base fee and (for blob txs) the
	// highest excess blob gas the block can have.
	header *types.Header
}

// targetCache keeps the projected blocks of the current head: the blob base
// fee bound of a far slot costs go-ethereum's excess blob gas rule three
// times per slot in between (about half a millisecond 64 slots ahead), and
// every request for the slot would pay it again.
type targetCache struct {
	mu     sync.Mutex
	head   *types.Header // the head the blocks were projected on (State.Head's pointer)
	config *params.ChainConfig
	blocks map[targetKey]*targetBlock
}

type targetKey struct {
	slot  uint64
	blobs bool
}

// target projects the block of slot on head, whose slot is headSlot. blobs
// asks for the blob base fee bound too (chainstate.ProjectHeader). The
// result is shared: callers do not change it.
func (e *Engine) target(head *types.Header, headSlot, slot uint64, blobs bool) (*targetBlock, error) {
	config, err := e.state.ChainConfig()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	// The block of a slot the head has reached (only while the head runs
	// ahead of the wall clock) is judged as the next slot's.
	slot = max(slot, headSlot+1)
	key := targetKey{slot, blobs}
	c := &e.targets
	c.mu.Lock()
	if c.head != head || c.config != config {
		c.head, c.config, c.blocks = head, config, make(map[targetKey]*targetBlock)
	}
	b := c.blocks[key]
	c.mu.Unlock()
	if b != nil {
		return b, nil
	}
	clock := e.duties.Clock()
	times := make([]uint64, 0, slot-headSlot)
	for s := headSlot + 1; s <= slot; s++ {
		times = append(times, uint64(clock.SlotStart(s).Unix()))
	}
	h, err := chainstate.ProjectHeader(config, head, times, blobs)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	b = &targetBlock{config: config, header: h}
	c.mu.Lock()
	if c.head == head && c.config == config {
		c.blocks[key] = b
	}
	c.mu.Unlock()
	return b, nil
}

// maxBlobs is the most blobs the block can hold (0 before blobs).
func (b *targetBlock) maxBlobs() uint64 {
	return uint64(eip4844.MaxBlobsPerBlock(b.config, b.header.Time))
}

// check applies the rules of the block to an L1 transaction: go-ethereum's
// validation (protocol.CheckIncludable) after the max fee against the
// highest base fee, which keeps its own code.
func (b *targetBlock) check(t *protocol.Tx, slot uint64) error {
	if t.Inclusion.MaxFeePerGas.Cmp(b.header.BaseFee) < 0 {
		return fmt.Errorf("%w: max fee %v, slot %d may reach %v", ErrFeeBelowBase, t.Inclusion.MaxFeePerGas, slot, b.header.BaseFee)
	}
	return protocol.CheckIncludable(t, b.config, b.header)
}

// hasBlobs reports whether any of txs is a blob transaction.
func hasBlobs(txs []*protocol.Tx) bool {
	for _, t := range txs {
		if t.Tx.Type() == types.BlobTxType {
			return true
		}
	}
	return false
}
