package api

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// rpcMethod is one JSON-RPC method of docs/protocol.md §3.1.
type rpcMethod struct {
	// name is the method's own name (an alias maps to it): the metrics label
	// and the per-method path it is served on.
	name string
	// bolt marks Bolt's methods, whose errors carry Bolt's codes (boltError).
	bolt bool
	// run decodes the params and runs the call.
	run func(s *Server, ctx context.Context, params json.RawMessage) (any, error)
}

// rpcMethods are the JSON-RPC methods by the names a call may use.
var rpcMethods = map[string]rpcMethod{
	"commitmentRequest": {name: "commitmentRequest", run: (*Server).rpcCommitmentRequest},
	// One revision of the Commitments API's JSON-RPC OpenAPI file spells the
	// method commitment_request in its schema (and commitmentRequest in its
	// example): a client generated from that schema sends it.
	"commitment_request":    {name: "commitmentRequest", run: (*Server).rpcCommitmentRequest},
	"commitmentResult":      {name: "commitmentResult", run: (*Server).rpcCommitmentResult},
	"slots":                 {name: "slots", run: (*Server).rpcSlots},
	"fee":                   {name: "fee", run: (*Server).rpcFee},
	"bolt_requestInclusion": {name: "bolt_requestInclusion", bolt: true, run: (*Server).rpcBoltRequestInclusion},
	"bolt_metadata":         {name: "bolt_metadata", bolt: true, run: (*Server).rpcBoltMetadata},
	"bolt_getVersion":       {name: "bolt_getVersion", bolt: true, run: (*Server).rpcBoltGetVersion},
}

// rpcPaths are the methods the Commitments API's JSON-RPC file also serves on
// a path of their own (POST /commitmentRequest …); a call there must name it.
var rpcPaths = []string{"commitmentRequest", "commitmentResult", "slots", "fee"}

func (s *Server) rpcCommitmentRequest(ctx context.Context, params json.RawMessage) (any, error) {
	req, err := requestParams(params)
	if err != nil {
		return nil, err
	}
	return s.request(ctx, req)
}

func (s *Server) rpcCommitmentResult(ctx context.Context, params json.RawMessage) (any, error) {
	h, err := resultParams(params)
	if err != nil {
		return nil, err
	}
	return s.result(ctx, h)
}

func (s *Server) rpcSlots(ctx context.Context, params json.RawMessage) (any, error) {
	if err := noParams(params); err != nil {
		return nil, err
	}
	return s.slots(ctx)
}

func (s *Server) rpcFee(ctx context.Context, params json.RawMessage) (any, error) {
	req, err := requestParams(params)
	if err != nil {
		return nil, err
	}
	return s.fee(ctx, req)
}

// rpcBoltRequestInclusion turns Bolt's request into a Pledge one: one tx is
// an L1 inclusion (type 1), several are a bundle (type 3), and the slasher is
// ours since Bolt's request does not name one.
func (s *Server) rpcBoltRequestInclusion(ctx context.Context, params json.RawMessage) (any, error) {
	in, err := boltInclusionParams(params)
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
		return nil, errorf(CodeTooLarge, "%s.txs: %d bytes together, limit %d", in.path, len(payload), protocol.MaxRequestPayload)
	}
	sc, err := s.request(ctx, protocol.CommitmentRequest{CommitmentType: typ, Payload: payload, Slasher: s.cfg.Slasher})
	if err != nil {
		return nil, err
	}
	return &BoltInclusionResult{Slot: in.slot, Txs: in.txs, Signature: sc.Signature, Commitment: sc}, nil
}

func (s *Server) rpcBoltMetadata(ctx context.Context, params json.RawMessage) (any, error) {
	if err := noParams(params); err != nil {
		return nil, err
	}
	md, err := s.backend.Metadata(ctx)
	if err != nil {
		return nil, err
	}
	return newBoltMetadataAnswer(md)
}

// rpcBoltGetVersion answers Bolt's version call with the version
// bolt_metadata reports: a string.
func (s *Server) rpcBoltGetVersion(ctx context.Context, params json.RawMessage) (any, error) {
	if err := noParams(params); err != nil {
		return nil, err
	}
	md, err := s.backend.Metadata(ctx)
	if err != nil {
		return nil, err
	}
	return md.Version, nil
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
	if err != nil {
		return nil, err
	}
	return &feeAnswer{Payload: f.Payload, FeePayload: f.Payload, CommitmentType: f.CommitmentType}, nil
}

// feeAnswer is FeeInfo with its payload under both names: payload, as every
// text of the Commitments API has it, and fee_payload, as the reference
// implementation's FeeInfo (eth-fabric/fabric) reads it.
type feeAnswer struct {
	Payload        hexutil.Bytes `json:"payload"`
	FeePayload     hexutil.Bytes `json:"fee_payload"`
	CommitmentType uint64        `json:"commitment_type"`
}
