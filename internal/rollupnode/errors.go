package rollupnode

import "errors"

// Sentinel errors of the rollup node. Callers match them with errors.Is.
var (
	// ErrConfig is a configuration the node cannot run with.
	ErrConfig = errors.New("rollupnode: invalid config")
	// ErrNotAPost is an L1 transaction whose calldata is not a direct call of
	// Inbox.post, so the node cannot read the batch from it.
	ErrNotAPost = errors.New("not a direct Inbox.post call")
	// ErrBatchMismatch is a batch whose decoded txs do not fold to the
	// accumulator and count that the Inbox recorded in its BatchPosted event.
	ErrBatchMismatch = errors.New("batch does not match the inbox record")
	// ErrL1Reorg is an L1 block the node derived from that is no longer canonical.
	ErrL1Reorg = errors.New("l1 reorg")
	// ErrUnknownBlock is a block number or hash the node does not have.
	ErrUnknownBlock = errors.New("unknown block")
	// ErrNoSlotOffered is a sidecar that offers no upcoming slot for the
	// rollup's L2 inclusion promises.
	ErrNoSlotOffered = errors.New("sidecar offers no slot for this rollup")
	// ErrBadTransaction is a raw transaction eth_sendRawTransaction cannot forward.
	ErrBadTransaction = errors.New("invalid transaction")
)
