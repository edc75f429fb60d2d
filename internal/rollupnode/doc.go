// Package rollupnode is a minimal based-rollup node, for the devnet and
// tests: the rollup Pledge's sidecar sequences (DESIGN.md §8).
//
// Derivation. The node polls L1 for the Inbox's BatchPosted events of its
// chain id, reads each batch from the posting transaction's calldata
// (Inbox.post's packed argument, docs/protocol.md §9.3, of which it takes
// only its own chain's batches) and checks it against the event: the txs must
// fold to the event's accumulator and count, continuing its poster's record
// of the slot (the Inbox keeps one record per slot and poster, so batches of
// several posters in one slot are each checked against their own). A batch
// that does not is logged and skipped whole, never executed in part. Every
// poster's batches are followed, in L1 log order.
// All the rollup's batches of one L1 block make one L2 block, stamped with
// the L1 block's timestamp and PREVRANDAO; L1 blocks without batches make no
// L2 block. Only direct calls of Inbox.post are followed: a post made
// through another contract has calldata the node cannot read without a call
// trace, so its batch is skipped (and logged).
//
// Execution is lazy sequencing: the batch fixes the order, the rollup decides
// validity. Each tx runs with go-ethereum's EVM (Prague rules, the rollup's
// chain id, a constant base fee, a fixed fee recipient as coinbase) on an
// in-memory state; a tx the state refuses (undecodable, wrong chain id, bad
// signature, nonce, funds, fee below the base fee, no gas left in the block,
// blob txs) is skipped and recorded (Node.Skipped, rollup_txStatus), and the
// txs after it still run. A tx that reverts is valid and gets its receipt.
// The pre-block system calls (EIP-4788 beacon root, EIP-2935 history) are
// not run: the L2 has no beacon chain and BLOCKHASH reads the node's blocks.
//
// L1 reorgs are handled minimally (the devnet has none): Config.Confirmations
// keeps the node behind the L1 head; beyond that, every poll compares the
// last L1 block derived from with the canonical one at its height, and on a
// difference drops the L2 blocks whose L1 block left the canonical chain and
// derives again from the newest one still on it. All states are kept, so the
// rewind is free. A reorg that happens while a poll reads a range can go
// unseen until the next poll's check.
//
// RPC. The node serves eth_chainId, eth_blockNumber, eth_getBalance,
// eth_getTransactionCount (latest, and pending counting the nonces promised
// through this node), eth_getCode, eth_getStorageAt, eth_call,
// eth_estimateGas, eth_getBlockByNumber/Hash, eth_getTransactionByHash,
// eth_getTransactionReceipt, eth_gasPrice, eth_maxPriorityFeePerGas, and
// eth_sendRawTransaction, which does not pool the tx: it asks the sidecar for
// an L2 inclusion promise (commitmentRequest, type 2) in the earliest slot
// the sidecar's `slots` offers for this rollup, and answers the tx hash once
// promised or the sidecar's error as is. rollup_txStatus tells executed,
// skipped (and why) and unknown txs apart.
package rollupnode
