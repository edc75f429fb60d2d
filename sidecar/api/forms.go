package api

import (
	"encoding/json"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Every method takes its params in both JSON-RPC 2.0 forms (docs/protocol.md
// §3.1), because the Commitments API's own texts disagree: its Markdown calls
// with arrays ("params": [CommitmentRequest], ["0x…"], []), its JSON-RPC
// OpenAPI file with objects ("params": CommitmentRequest, {"request_hash":
// "0x…"}, {}), and the reference implementation (jsonrpsee) sends arrays and
// accepts either, an object naming each argument ({"request": …}). Both forms
// are as strict as each other: the same members, the same messages, the path
// saying which form was read (params[0].payload, params.payload).

// named reports whether params use the named form (an object).
func named(params json.RawMessage) bool {
	return len(params) > 0 && params[0] == '{'
}

// noParams accepts the ways of sending nothing: absent, null, [] and {}.
func noParams(params json.RawMessage) error {
	if named(params) {
		obj, err := object(params, "params")
		if err != nil {
			return err
		}
		return exactly(obj, "params")
	}
	_, err := positional(params, 0)
	return err
}

// requestParams decodes the CommitmentRequest of commitmentRequest and fee:
//
//	[CommitmentRequest]             positional
//	CommitmentRequest               named, the object itself (the OpenAPI file)
//	{"request": CommitmentRequest}  named after the reference server's argument
func requestParams(params json.RawMessage) (protocol.CommitmentRequest, error) {
	if named(params) {
		obj, err := object(params, "params", "commitment_type", "payload", "slasher")
		if err != nil {
			return protocol.CommitmentRequest{}, err
		}
		if _, ok := obj["request"]; ok {
			if err := exactly(obj, "params", "request"); err != nil {
				return protocol.CommitmentRequest{}, err
			}
			return decodeCommitmentRequest(obj["request"], "params.request")
		}
		return commitmentRequestOf(obj, "params")
	}
	args, err := positional(params, 1)
	if err != nil {
		return protocol.CommitmentRequest{}, err
	}
	return decodeCommitmentRequest(args[0], "params[0]")
}

// resultParams decodes commitmentResult's request hash:
//
//	["0x…"]                     positional (the reference client)
//	[{"request_hash": "0x…"}]   positional, an object (the Markdown example)
//	{"request_hash": "0x…"}     named (the OpenAPI file, the reference server)
func resultParams(params json.RawMessage) (common.Hash, error) {
	if named(params) {
		return hashMember(params, "params")
	}
	args, err := positional(params, 1)
	if err != nil {
		return common.Hash{}, err
	}
	if named(args[0]) {
		return hashMember(args[0], "params[0]")
	}
	return decodeHash(args[0], "params[0]")
}

func hashMember(raw json.RawMessage, path string) (common.Hash, error) {
	obj, err := members(raw, path, "request_hash")
	if err != nil {
		return common.Hash{}, err
	}
	return decodeHash(obj["request_hash"], path+".request_hash")
}

// boltInclusionParams decodes bolt_requestInclusion's request: Bolt's own
// form [{"slot": n, "txs": […]}], or the object alone.
func boltInclusionParams(params json.RawMessage) (boltInclusion, error) {
	if named(params) {
		return decodeBoltInclusion(params, "params")
	}
	args, err := positional(params, 1)
	if err != nil {
		return boltInclusion{}, err
	}
	return decodeBoltInclusion(args[0], "params[0]")
}
