// Package rollup posts the based rollups' batches of a slot to the L1 Inbox.
//
// The sidecar sequences the L2 transactions it promised for a slot; at the
// slot's commitment deadline a Poster signs one L1 transaction, from the
// operator's poster key to the Inbox, whose call data carries every rollup's
// batch for the slot (docs/protocol.md §9.3, docs/rollups.md). One call lands
// all batches or none, which is what makes a bundle over several rollups
// atomic. The package also holds the Inbox's wire format (EncodePost,
// DecodePost), its accumulator (Accumulate) and a gas bound for a post
// (PostGas, ShapeGas), which admission uses to reserve L1 gas for the post.
//
// Execution stays lazy: nothing here executes an L2 transaction; the rollup
// nodes do, and skip the invalid ones.
package rollup
