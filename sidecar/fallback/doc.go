// Package fallback is the sidecar's local fallback block builder. For a slot
// with promises where no relay offered a bid whose proofs verify, it has the
// execution client build a payload that opens with every promised
// transaction in promise order (then, optionally, other pending mempool
// transactions that still apply), checks the payload with engine_newPayload,
// signs a Builder-API bid for it with the sidecar's builder key and keeps the
// payload so the builder proxy can unblind the proposer's signed header.
//
// It talks to the execution client over JSON-RPC only, so it works against
// an in-process node and a real geth alike:
//
//   - the JWT-authenticated engine endpoint (engine_newPayloadV4,
//     engine_forkchoiceUpdatedV3, engine_getPayloadV4/V5);
//   - the open endpoint (eth_*, txpool_content, and testing_buildBlockV1).
//
// testing_buildBlockV1 builds a block from an explicit, ordered transaction
// list; it is the only engine-adjacent method that can force an order. geth
// serves it only when the "testing" namespace is enabled on HTTP
// (--http.api ...,testing); its authenticated endpoint never serves it. When
// the method is missing the builder falls back to forkchoiceUpdated with
// payload attributes and getPayload, which leaves the order to the client's
// own fee-ordered builder: such a payload is offered only if its first
// transactions turn out to be exactly the promised ones, and refused
// (ErrOrderNotForced) otherwise, because offering a block that may miss a
// promised transaction would break the promise.
package fallback
