package api

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// rpcMethod decodes a call's params and runs it.
type rpcMethod func(s *Server, ctx context.Context, params json.RawMessage) (any, error)

// rpcMethods are the JSON-RPC methods of docs/protocol.md §3.1.
var rpcMethods = map[string]rpcMethod{
	"commitmentRequest":     (*Server).rpcCommitmentRequest,
	"commitmentResult":      (*Server).rpcCommitmentResult,
	"slots":                 (*Server).rpcSlots,
	"fee":                   (*Server).rpcFee,
	"bolt_requestInclusion": (*Server).rpcBoltRequestInclusion,
	"bolt_metadata":         (*Server).rpcBoltMetadata,
}

func (s *Server) rpcCommitmentRequest(ctx context.Context, params json.RawMessage) (any, error) {
	args, err := positional(params, 1)
	if err != nil {
		return nil, err
	}
	req, err := decodeCommitmentRequest(args[0], "params[0]")
	if err != nil {
		return nil, err
	}
	return s.request(ctx, req)
}

func (s *Server) rpcCommitmentResult(ctx context.Context, params json.RawMessage) (any, error) {
	args, err := positional(params, 1)
	if err != nil {
		return nil, err
	}
	h, err := decodeHash(args[0], "params[0]")
	if err != nil {
		return nil, err
	}
	return s.result(ctx, h)
}

func (s *Server) rpcSlots(ctx context.Context, params json.RawMessage) (any, error) {
	if _, err := positional(params, 0); err != nil {
		return nil, err
	}
	return s.slots(ctx)
}

func (s *Server) rpcFee(ctx context.Context, params json.RawMessage) (any, error) {
	args, err := positional(params, 1)
	if err != nil {
		return nil, err
	}
	req, err := decodeCommitmentRequest(args[0], "params[0]")
	if err != nil {
		return nil, err
	}
	return s.fee(ctx, req)
}

// rpcBoltRequestInclusion turns Bolt's request into a Pledge one: one tx is
// an L1 inclusion (type 1), several are a bundle (type 3), and the slasher is
// ours since Bolt's request does not name one.
func (s *Server) rpcBoltRequestInclusion(ctx context.Context, params json.RawMessage) (any, error) {
	args, err := positional(params, 1)
	if err != nil {
		return nil, err
	}
	in, err := decodeBoltInclusion(args[0], "params[0]")
	if err != nil {
		return nil, err
	}
	raw := make([][]byte, len(in.txs))
	for i, tx := range in.txs {
		raw[i] = tx
	}
	typ := protocol.TypeBundle
	if len(raw) == 1 {
		typ = protocol.TypeL1Inclusion
	}
	payload, err := protocol.EncodeRequestPayload(typ, in.slot, raw)
	if err != nil {
		return nil, fmt.Errorf("encode bolt request payload: %w", err)
	}
	if len(payload) > protocol.MaxRequestPayload {
		return nil, errorf(CodeTooLarge, "params[0].txs: %d bytes together, limit %d", len(payload), protocol.MaxRequestPayload)
	}
	sc, err := s.request(ctx, protocol.CommitmentRequest{CommitmentType: typ, Payload: payload, Slasher: s.cfg.Slasher})
	if err != nil {
		return nil, err
	}
	return &BoltInclusionResult{Slot: in.slot, Txs: in.txs, Signature: sc.Signature, Commitment: sc}, nil
}

func (s *Server) rpcBoltMetadata(ctx context.Context, params json.RawMessage) (any, error) {
	if _, err := positional(params, 0); err != nil {
		return nil, err
	}
	md, err := s.backend.Metadata(ctx)
	if err != nil {
		return nil, err
	}
	return md, nil
}

// The backend calls shared by the JSON-RPC and REST forms. Each refuses a nil
// answer so a backend bug is an internal error, not a "null" result.

func (s *Server) request(ctx context.Context, req protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
	sc, err := s.backend.Request(ctx, req)
	if err == nil && sc == nil {
		err = errNoResult
	}
	return sc, err
}

func (s *Server) result(ctx context.Context, h common.Hash) (any, error) {
	sc, err := s.backend.Result(ctx, h)
	if err == nil && sc == nil {
		err = errNoResult
	}
	return sc, err
}

func (s *Server) slots(ctx context.Context) (any, error) {
	r, err := s.backend.Slots(ctx)
	if err == nil && r == nil {
		err = errNoResult
	}
	return r, err
}

func (s *Server) fee(ctx context.Context, req protocol.CommitmentRequest) (any, error) {
	f, err := s.backend.Fee(ctx, req)
	if err == nil && f == nil {
		err = errNoResult
	}
	return f, err
}
