package api

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Decoders of call parameters. They are strict — unknown members, missing
// members, nulls and wrong types are refused — and every refusal names the
// member by its path (params[0].payload) and says what was expected, so a
// client author can fix the request from the message alone.

// positional splits params into exactly want arguments. Absent and null
// params are no arguments.
func positional(params json.RawMessage, want int) ([]json.RawMessage, error) {
	var args []json.RawMessage
	if params != nil && string(params) != "null" {
		if params[0] != '[' {
			return nil, newError(CodeInvalidParams, "params must be an array")
		}
		if err := json.Unmarshal(params, &args); err != nil {
			return nil, newError(CodeInvalidParams, "params must be an array")
		}
	}
	switch {
	case len(args) == want:
	case want == 0:
		return nil, errorf(CodeInvalidParams, "want no params, got %d", len(args))
	case want == 1:
		return nil, errorf(CodeInvalidParams, "want 1 param, got %d", len(args))
	default:
		return nil, errorf(CodeInvalidParams, "want %d params, got %d", want, len(args))
	}
	return args, nil
}

// members decodes a JSON object that must hold exactly the named members,
// none of them null.
func members(raw json.RawMessage, path string, names ...string) (map[string]json.RawMessage, error) {
	obj, err := object(raw, path, names...)
	if err != nil {
		return nil, err
	}
	return obj, exactly(obj, path, names...)
}

// object decodes a JSON object without judging its members; names are what
// the error says it wanted.
func object(raw json.RawMessage, path string, names ...string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		if len(names) == 0 {
			return nil, errorf(CodeInvalidParams, "%s: want an object", path)
		}
		return nil, errorf(CodeInvalidParams, "%s: want an object {%s}", path, strings.Join(names, ", "))
	}
	return obj, nil
}

// exactly checks that obj holds the named members, none of them null, and
// no other.
func exactly(obj map[string]json.RawMessage, path string, names ...string) error {
	var unknown []string
	for k := range obj {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown) // the same request always gets the same message
		return errorf(CodeInvalidParams, "%s: unknown member %q", path, truncate(unknown[0], 64))
	}
	for _, n := range names {
		if v, ok := obj[n]; !ok || string(v) == "null" {
			return errorf(CodeInvalidParams, "%s.%s is missing", path, n)
		}
	}
	return nil
}

func decodeUint64(raw json.RawMessage, path string) (uint64, error) {
	var v uint64
	if raw[0] < '0' || raw[0] > '9' || json.Unmarshal(raw, &v) != nil {
		return 0, errorf(CodeInvalidParams, "%s: want an unsigned integer below 2^64", path)
	}
	return v, nil
}

func decodeHex(raw json.RawMessage, path string) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, errorf(CodeInvalidParams, "%s: want a 0x-prefixed hex string", path)
	}
	// raw is a valid JSON string (its parent decoded); without escapes its
	// bytes are the text, which spares a copy of what may be a 2 MiB payload.
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') >= 0 {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, errorf(CodeInvalidParams, "%s: want a 0x-prefixed hex string", path)
		}
		text = []byte(s)
	}
	return decodeHexText(text, path)
}

// decodeHexText decodes 0x-prefixed hex with hexutil's user-facing errors
// ("hex string without 0x prefix").
func decodeHexText(text []byte, path string) ([]byte, error) {
	var err error
	switch {
	case len(text) == 0:
		err = hexutil.ErrEmptyString
	case len(text) < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'):
		err = hexutil.ErrMissingPrefix
	case len(text)%2 != 0:
		err = hexutil.ErrOddLength
	}
	if err != nil {
		return nil, errorf(CodeInvalidParams, "%s: %v", path, err)
	}
	b := make([]byte, (len(text)-2)/2)
	if _, err := hex.Decode(b, text[2:]); err != nil {
		return nil, errorf(CodeInvalidParams, "%s: %v", path, hexutil.ErrSyntax)
	}
	return b, nil
}

func decodeHexString(s, path string) ([]byte, error) {
	return decodeHexText([]byte(s), path)
}

func decodeFixed(raw json.RawMessage, path string, size int, what string) ([]byte, error) {
	b, err := decodeHex(raw, path)
	if err != nil {
		return nil, err
	}
	if len(b) != size {
		return nil, errorf(CodeInvalidParams, "%s: %s of %d bytes, want %d", path, what, len(b), size)
	}
	return b, nil
}

// decodeHashString decodes a 0x-prefixed 32-byte hash given outside JSON
// (a URL path segment).
func decodeHashString(s, path string) (common.Hash, error) {
	b, err := decodeHexString(s, path)
	if err != nil {
		return common.Hash{}, err
	}
	if len(b) != common.HashLength {
		return common.Hash{}, errorf(CodeInvalidParams, "%s: hash of %d bytes, want %d", path, len(b), common.HashLength)
	}
	return common.BytesToHash(b), nil
}

func decodeHash(raw json.RawMessage, path string) (common.Hash, error) {
	b, err := decodeFixed(raw, path, common.HashLength, "hash")
	if err != nil {
		return common.Hash{}, err
	}
	return common.BytesToHash(b), nil
}

// decodeCommitmentRequest decodes a CommitmentRequest strictly; the payload
// itself is the backend's to decode.
func decodeCommitmentRequest(raw json.RawMessage, path string) (protocol.CommitmentRequest, error) {
	obj, err := object(raw, path, "commitment_type", "payload", "slasher")
	if err != nil {
		return protocol.CommitmentRequest{}, err
	}
	return commitmentRequestOf(obj, path)
}

// commitmentRequestOf reads a CommitmentRequest from an object's members.
func commitmentRequestOf(obj map[string]json.RawMessage, path string) (protocol.CommitmentRequest, error) {
	var req protocol.CommitmentRequest
	if err := exactly(obj, path, "commitment_type", "payload", "slasher"); err != nil {
		return req, err
	}
	var err error
	if req.CommitmentType, err = decodeUint64(obj["commitment_type"], path+".commitment_type"); err != nil {
		return req, err
	}
	// "" is the Commitments API's own example of an empty payload (and what
	// the reference gateway reads as one); "0x" is the canonical spelling.
	if string(obj["payload"]) == `""` {
		req.Payload = []byte{}
	} else if req.Payload, err = decodeHex(obj["payload"], path+".payload"); err != nil {
		return req, err
	}
	if len(req.Payload) > protocol.MaxRequestPayload {
		return req, errorf(CodeTooLarge, "%s.payload: %d bytes, limit %d", path, len(req.Payload), protocol.MaxRequestPayload)
	}
	slasher, err := decodeFixed(obj["slasher"], path+".slasher", common.AddressLength, "address")
	if err != nil {
		return req, err
	}
	req.Slasher = common.BytesToAddress(slasher)
	return req, nil
}

// boltInclusion is bolt_requestInclusion's parameter. Bolt reads each tx as
// hex with or without 0x (its own client sends it without), so both are
// accepted here too.
type boltInclusion struct {
	path string // where it was read, for messages
	slot uint64
	txs  []hexutil.Bytes
}

func decodeBoltInclusion(raw json.RawMessage, path string) (boltInclusion, error) {
	in := boltInclusion{path: path}
	obj, err := members(raw, path, "slot", "txs")
	if err != nil {
		return in, err
	}
	if in.slot, err = decodeUint64(obj["slot"], path+".slot"); err != nil {
		return in, err
	}
	var txs []json.RawMessage
	if obj["txs"][0] != '[' || json.Unmarshal(obj["txs"], &txs) != nil {
		return in, errorf(CodeInvalidParams, "%s.txs: want an array of hex transactions", path)
	}
	switch {
	case len(txs) == 0:
		return in, errorf(CodeInvalidParams, "%s.txs: empty, want 1 to %d transactions", path, protocol.MaxRequestTxs)
	case len(txs) > protocol.MaxRequestTxs:
		return in, errorf(CodeTooLarge, "%s.txs: %d transactions, limit %d", path, len(txs), protocol.MaxRequestTxs)
	}
	in.txs = make([]hexutil.Bytes, len(txs))
	for i, t := range txs {
		p := path + ".txs[" + strconv.Itoa(i) + "]"
		if len(t) == 0 || string(t) == "null" {
			return in, errorf(CodeInvalidParams, "%s is missing", p)
		}
		if in.txs[i], err = decodeBoltTx(t, p); err != nil {
			return in, err
		}
		if len(in.txs[i]) == 0 {
			return in, errorf(CodeInvalidParams, "%s: empty transaction", p)
		}
	}
	return in, nil
}

// decodeBoltTx decodes one of Bolt's transactions: hex, 0x optional.
func decodeBoltTx(raw json.RawMessage, path string) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, errorf(CodeInvalidParams, "%s: want a hex string", path)
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, errorf(CodeInvalidParams, "%s: want a hex string", path)
	}
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return decodeHexString(s, path)
	}
	return decodeHexString("0x"+s, path)
}
