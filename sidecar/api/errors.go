package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// JSON-RPC error codes of docs/protocol.md §4. The code is the contract a
// client acts on; the message is human text.
const (
	CodeParse          = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternal       = -32603
	CodeTxMalformed    = -32001
	CodeTxSignature    = -32002
	CodeWrongChain     = -32003
	CodeSlotNotOffered = -32004
	CodeDeadlinePassed = -32005
	CodeNonce          = -32006
	CodeBalance        = -32007
	CodeFeeBelowBase   = -32008
	CodeUnderpriced    = -32009
	CodeSlotFull       = -32010
	CodeExposure       = -32011
	CodeBlobSidecar    = -32012
	CodeUnknownRollup  = -32013
	CodeRateLimited    = -32014
	CodeTooLarge       = -32015
	CodeNotFound       = -32016
	CodeUnavailable    = -32017
	CodeConflict       = -32018
	CodeSenderHasCode  = -32019
	CodeUnknownType    = -32020
	CodeBadBundle      = -32021
	CodeNotBacked      = -32022
	CodeIntrinsicGas   = -32023
	CodeBlobFeeTooLow  = -32024
)

// codeInfo is the HTTP status (used by the REST form and by whole-body
// rejections of POST /) and the message of each code: the one table of §4, so
// a code can never travel with two different statuses.
var codeInfo = map[int]struct {
	status  int
	message string
}{
	CodeParse:          {http.StatusBadRequest, "parse error"},
	CodeInvalidRequest: {http.StatusBadRequest, "invalid request"},
	CodeMethodNotFound: {http.StatusNotFound, "method not found"},
	CodeInvalidParams:  {http.StatusBadRequest, "invalid params"},
	CodeInternal:       {http.StatusInternalServerError, "internal error"},
	CodeTxMalformed:    {http.StatusBadRequest, "malformed transaction"},
	CodeTxSignature:    {http.StatusBadRequest, "invalid transaction signature"},
	CodeWrongChain:     {http.StatusBadRequest, "wrong chain id"},
	CodeSlotNotOffered: {http.StatusBadRequest, "slot not offered"},
	CodeDeadlinePassed: {http.StatusBadRequest, "deadline passed for this slot"},
	CodeNonce:          {http.StatusBadRequest, "nonce mismatch"},
	CodeBalance:        {http.StatusBadRequest, "insufficient balance"},
	CodeFeeBelowBase:   {http.StatusBadRequest, "max fee below the projected base fee"},
	CodeUnderpriced:    {http.StatusBadRequest, "priority fee below the current price"},
	CodeSlotFull:       {http.StatusBadRequest, "slot gas or blob budget exhausted"},
	CodeExposure:       {http.StatusServiceUnavailable, "exposure limit reached"},
	CodeBlobSidecar:    {http.StatusBadRequest, "invalid blob sidecar"},
	CodeUnknownRollup:  {http.StatusBadRequest, "unknown rollup chain id"},
	CodeRateLimited:    {http.StatusTooManyRequests, "rate limited"},
	CodeTooLarge:       {http.StatusRequestEntityTooLarge, "request too large"},
	CodeNotFound:       {http.StatusNotFound, "no commitment for this request hash"},
	CodeUnavailable:    {http.StatusServiceUnavailable, "unavailable"},
	CodeConflict:       {http.StatusConflict, "conflict"},
	CodeSenderHasCode:  {http.StatusBadRequest, "sender has code"},
	CodeUnknownType:    {http.StatusBadRequest, "unknown commitment type or wrong slasher"},
	CodeBadBundle:      {http.StatusBadRequest, "bad bundle"},
	CodeNotBacked:      {http.StatusServiceUnavailable, "the registry does not back a promise for this slot"},
	CodeIntrinsicGas:   {http.StatusBadRequest, "gas limit below the intrinsic gas"},
	CodeBlobFeeTooLow:  {http.StatusBadRequest, "max fee per blob gas below the projected blob base fee"},
}

// HTTPStatus returns the HTTP status §4 gives a code, or 500 for a code not
// in the table.
func HTTPStatus(code int) int {
	if info, ok := codeInfo[code]; ok {
		return info.status
	}
	return http.StatusInternalServerError
}

// Error is a JSON-RPC error object, also the body of a REST error.
type Error struct {
	Code    int        `json:"code"`
	Message string     `json:"message"`
	Data    *ErrorData `json:"data,omitempty"`
}

// ErrorData says why, in words a user can act on.
type ErrorData struct {
	Reason string `json:"reason"`
	// RequestID is set on internal errors: the key to the server's log line.
	RequestID string `json:"request_id,omitempty"`
	// PledgeCode is set when a bolt_* method answers Bolt's code for the
	// condition: it is Pledge's own, more precise code (§4).
	PledgeCode int `json:"pledge_code,omitempty"`
}

// Error implements error so an *Error can travel through the call path.
func (e *Error) Error() string {
	if e.Data != nil && e.Data.Reason != "" {
		return fmt.Sprintf("%s (%d): %s", e.Message, e.Code, e.Data.Reason)
	}
	return fmt.Sprintf("%s (%d)", e.Message, e.Code)
}

// newError builds the error object for code with the table's message.
func newError(code int, reason string) *Error {
	msg := "error"
	if info, ok := codeInfo[code]; ok {
		msg = info.message
	}
	return &Error{Code: code, Message: msg, Data: &ErrorData{Reason: reason}}
}

func errorf(code int, format string, args ...any) *Error {
	return newError(code, fmt.Sprintf(format, args...))
}

// Codes maps sentinel errors, matched with errors.Is, to JSON-RPC codes. It is
// the one table between the packages that reject requests and the wire: the
// admission engine's sentinels are registered by whoever wires the sidecar,
// so this package does not depend on admission. Register everything before
// the Codes is given to New; lookups are not synchronised with Register.
type Codes struct {
	entries []codeEntry
}

type codeEntry struct {
	err  error
	code int
}

// Register maps err (and every error wrapping it) to code. Earlier
// registrations win when an error wraps several sentinels. It panics on a nil
// error or a code that docs/protocol.md §4 does not list: both are wiring
// mistakes to catch at start-up, not at the first request.
func (c *Codes) Register(err error, code int) {
	if err == nil {
		panic("api: Register of a nil error")
	}
	if _, ok := codeInfo[code]; !ok {
		panic(fmt.Sprintf("api: Register(%q) with code %d, not in docs/protocol.md §4", err, code))
	}
	c.entries = append(c.entries, codeEntry{err: err, code: code})
}

// Lookup returns the code registered for err, or false when err matches no
// registered sentinel (an internal error).
func (c *Codes) Lookup(err error) (int, bool) {
	for _, e := range c.entries {
		if errors.Is(err, e.err) {
			return e.code, true
		}
	}
	return 0, false
}

// DefaultCodes returns a table holding protocol's user-facing sentinels and
// the context errors; the caller adds the admission engine's:
//
//	codes := api.DefaultCodes()
//	codes.Register(admission.ErrNonce, api.CodeNonce)
//
// protocol's promise-signing errors (ErrBadAmount, ErrBadSignature,
// ErrWrongSigner) stay unmapped: a user cannot cause them, so they are
// internal errors.
func DefaultCodes() *Codes {
	c := &Codes{}
	// Size first: an oversized tx is also undecodable, and the size is what
	// the user must change.
	c.Register(protocol.ErrTxTooLarge, CodeTooLarge)
	c.Register(protocol.ErrTxMalformed, CodeTxMalformed)
	c.Register(protocol.ErrTxType, CodeTxMalformed)
	c.Register(protocol.ErrTxUnprotected, CodeTxMalformed)
	c.Register(protocol.ErrTxInvalid, CodeTxMalformed)
	c.Register(protocol.ErrIntrinsicGas, CodeIntrinsicGas)
	c.Register(protocol.ErrBlobFeeTooLow, CodeBlobFeeTooLow)
	c.Register(protocol.ErrTxSignature, CodeTxSignature)
	c.Register(protocol.ErrWrongChain, CodeWrongChain)
	c.Register(protocol.ErrBlobSidecar, CodeBlobSidecar)
	c.Register(protocol.ErrDuplicateTx, CodeBadBundle)
	c.Register(protocol.ErrInclusionCount, CodeBadBundle)
	c.Register(protocol.ErrMalformedPayload, CodeInvalidParams)
	c.Register(protocol.ErrUnknownCommitmentType, CodeUnknownType)
	// A backend that runs out of time is waiting on a dependency, and a
	// canceled call means the client left or the server is stopping: either
	// way the client may retry, so neither is an internal fault.
	c.Register(context.DeadlineExceeded, CodeUnavailable)
	c.Register(context.Canceled, CodeUnavailable)
	return c
}
