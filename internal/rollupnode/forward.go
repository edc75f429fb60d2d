package rollupnode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// sidecarError is an error answer of the sidecar, passed on to the wallet
// with the sidecar's code, message and data, so it reads the sidecar's
// reason (nonce, price, deadline…) as if it had asked the sidecar itself.
type sidecarError struct {
	code int
	msg  string
	data any
}

func (e *sidecarError) Error() string  { return e.msg }
func (e *sidecarError) ErrorCode() int { return e.code }
func (e *sidecarError) ErrorData() any { return e.data }

// rpcError is a JSON-RPC error of the node itself.
type rpcError struct {
	code int
	err  error
	data any
}

func (e *rpcError) Error() string  { return e.err.Error() }
func (e *rpcError) Unwrap() error  { return e.err }
func (e *rpcError) ErrorCode() int { return e.code }
func (e *rpcError) ErrorData() any { return e.data }

// JSON-RPC codes of the node's own errors: geth's for a refused tx and an
// internal error, EIP-1474's for a reverted call.
const (
	codeInvalidParams = -32602
	codeServerError   = -32000
	codeReverted      = 3
)

// forward asks the sidecar to promise raw for the first upcoming slot it
// offers L2 inclusion for this rollup, and returns the tx hash on a promise.
func (n *Node) forward(ctx context.Context, raw []byte) (common.Hash, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		return common.Hash{}, &rpcError{code: codeInvalidParams, err: fmt.Errorf("%w: %v", ErrBadTransaction, err)}
	}
	if id := tx.ChainId(); id.Sign() != 0 && (!id.IsUint64() || id.Uint64() != n.cfg.ChainID) {
		return common.Hash{}, &rpcError{code: codeInvalidParams, err: fmt.Errorf("%w: chain id %s, this rollup is %d", ErrBadTransaction, id, n.cfg.ChainID)}
	}
	sender, err := types.Sender(n.chain.signer, tx)
	if err != nil {
		return common.Hash{}, &rpcError{code: codeInvalidParams, err: fmt.Errorf("%w: %v", ErrBadTransaction, err)}
	}
	if n.sidecar == nil {
		return common.Hash{}, &rpcError{code: codeServerError, err: errors.New("no sidecar configured: this node cannot accept transactions")}
	}
	slot, err := n.offeredSlot(ctx)
	if err != nil {
		return common.Hash{}, err
	}
	payload, err := protocol.EncodeRequestPayload(protocol.TypeL2Inclusion, slot, [][]byte{raw})
	if err != nil {
		return common.Hash{}, &rpcError{code: codeServerError, err: fmt.Errorf("encode request: %w", err)}
	}
	req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL2Inclusion, Payload: payload, Slasher: n.cfg.Slasher}
	var signed protocol.SignedCommitment
	if err := n.sidecar.CallContext(ctx, &signed, "commitmentRequest", req); err != nil {
		return common.Hash{}, sidecarFailure("commitmentRequest", err)
	}
	n.notePromise(sender, tx.Nonce(), slot)
	n.log.Info().Str("tx_hash", tx.Hash().Hex()).Uint64("slot", slot).Str("commitment", signed.Commitment.RequestHash.Hex()).Msg("L2 tx promised")
	return tx.Hash(), nil
}

// offeredSlot is the earliest slot of the sidecar's `slots` answer that
// offers L2 inclusion (type 2) for this rollup.
func (n *Node) offeredSlot(ctx context.Context) (uint64, error) {
	var resp protocol.SlotInfoResponse
	if err := n.sidecar.CallContext(ctx, &resp, "slots"); err != nil {
		return 0, sidecarFailure("slots", err)
	}
	best, found := uint64(0), false
	for _, s := range resp.Slots {
		if (!found || s.Slot < best) && offers(s.Offerings, n.cfg.ChainID, protocol.TypeL2Inclusion) {
			best, found = s.Slot, true
		}
	}
	if !found {
		return 0, &rpcError{code: codeServerError, err: fmt.Errorf("%w (chain %d)", ErrNoSlotOffered, n.cfg.ChainID)}
	}
	return best, nil
}

// offers reports whether the offerings sell commitment type typ for chain.
func offers(offerings []protocol.Offering, chain, typ uint64) bool {
	for _, o := range offerings {
		if o.ChainID != chain {
			continue
		}
		for _, t := range o.CommitmentTypes {
			if t == typ {
				return true
			}
		}
	}
	return false
}

// sidecarFailure turns the sidecar client's error into the wallet's: the
// sidecar's own JSON-RPC error as is, a transport failure as a server error.
func sidecarFailure(method string, err error) error {
	var rerr rpc.Error
	if errors.As(err, &rerr) {
		e := &sidecarError{code: rerr.ErrorCode(), msg: rerr.Error()}
		var derr rpc.DataError
		if errors.As(err, &derr) {
			e.data = derr.ErrorData()
			// The rpc client hands data over as decoded JSON; keep it JSON.
			if raw, ok := e.data.(json.RawMessage); ok {
				e.data = raw
			}
		}
		return e
	}
	return &rpcError{code: codeServerError, err: fmt.Errorf("sidecar %s: %w", method, err)}
}

// notePromise records that sender's nonce is promised, for the pending nonce.
func (n *Node) notePromise(sender common.Address, nonce, slot uint64) {
	n.pmu.Lock()
	defer n.pmu.Unlock()
	p := n.promised[sender]
	p.next = max(p.next, nonce+1)
	p.slot = max(p.slot, slot)
	n.promised[sender] = p
}

// settlePromises forgets the promises of slots up to slot: L1 has passed
// them, so their txs are executed or the promise is broken.
func (n *Node) settlePromises(slot uint64) {
	n.pmu.Lock()
	defer n.pmu.Unlock()
	for a, p := range n.promised {
		if p.slot <= slot {
			delete(n.promised, a)
		}
	}
}

// promisedNext is the sender's next nonce counting promised txs, 0 if none.
func (n *Node) promisedNext(sender common.Address) uint64 {
	n.pmu.Lock()
	defer n.pmu.Unlock()
	return n.promised[sender].next
}
