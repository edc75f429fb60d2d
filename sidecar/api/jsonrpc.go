package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// rpcCall is one JSON-RPC 2.0 request object. Pointers tell a missing member
// from an empty one; a nil ID is a notification, a JSON null ID is not.
type rpcCall struct {
	JSONRPC *string         `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  *string         `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// rpcResponse is one JSON-RPC 2.0 response object. ID is echoed byte for
// byte; nil marshals as null.
type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
}

// jsonrpcAt serves JSON-RPC on the path of one method (POST /fee …): a call
// there must name that method. The Commitments API's JSON-RPC file gives
// each method a path; what a call naming another method gets is not said, and
// serving it would let a misrouted call do what its path does not say, so it
// is refused with -32601 naming both the method and the path to use.
func (s *Server) jsonrpcAt(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.serveJSONRPC(w, r, method) }
}

// serveJSONRPC answers POST / (only "") and the per-method paths (only the
// method). The HTTP status is not 200 only when the body as a whole is
// refused before any call in it is read: rate limited (429), too large (413),
// not JSON (400), an empty or oversized batch (400). Once calls are read, the
// status is 200 and each answer carries its own result or error, as JSON-RPC
// clients expect; 204 when every call was a notification.
func (s *Server) serveJSONRPC(w http.ResponseWriter, r *http.Request, only string) {
	client := clientKey(r)
	if !s.allow(client, 1) {
		s.refuseRPC(w, errorf(CodeRateLimited, "over %g calls per second from %s", s.cfg.RateLimit, client))
		return
	}
	body, e := s.readBody(w, r)
	if e != nil {
		s.refuseRPC(w, e)
		return
	}
	body = bytes.TrimSpace(body)
	// No separate validation pass: Unmarshal checks the syntax of the whole
	// body before it decodes anything, so a *json.SyntaxError is the parse error.
	if len(body) == 0 || body[0] != '[' {
		var call rpcCall
		err := json.Unmarshal(body, &call)
		if isSyntaxError(err) {
			s.refuseRPC(w, newError(CodeParse, "body is not valid JSON"))
			return
		}
		resp, ok := s.handleDecoded(r.Context(), &call, err, only)
		if !ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		s.writeRPC(w, resp)
		return
	}

	var batch []json.RawMessage
	if err := json.Unmarshal(body, &batch); err != nil {
		s.refuseRPC(w, newError(CodeParse, "body is not valid JSON"))
		return
	}
	switch {
	case len(batch) == 0:
		s.refuseRPC(w, newError(CodeInvalidRequest, "empty batch"))
		return
	case len(batch) > s.cfg.MaxBatch:
		s.refuseRPC(w, errorf(CodeInvalidRequest, "batch of %d calls, limit %d", len(batch), s.cfg.MaxBatch))
		return
	case len(batch) > 1 && !s.allow(client, len(batch)-1):
		s.refuseRPC(w, errorf(CodeRateLimited, "batch of %d calls is over %g calls per second from %s", len(batch), s.cfg.RateLimit, client))
		return
	}
	// Calls run in order, one after the other: a batch of one sender's
	// transactions with consecutive nonces must be admitted in that order.
	answers := make([]rpcResponse, 0, len(batch))
	for _, raw := range batch {
		if resp, ok := s.handleCall(r.Context(), raw, only); ok {
			answers = append(answers, resp)
		}
	}
	if len(answers) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.writeRPC(w, answers)
}

// handleCall answers one call; false for a notification, which gets no answer.
func (s *Server) handleCall(ctx context.Context, raw json.RawMessage, only string) (rpcResponse, bool) {
	var call rpcCall
	err := json.Unmarshal(raw, &call)
	return s.handleDecoded(ctx, &call, err, only)
}

// handleDecoded answers a call given the outcome of decoding it; only, when
// set, is the one method the path serves.
func (s *Server) handleDecoded(ctx context.Context, call *rpcCall, err error, only string) (rpcResponse, bool) {
	if !validID(call.ID) {
		return s.invalidCall("id must be a string, a number or null"), true
	}
	if err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return s.invalidCallID(call.ID, typeErr.Field+" has the wrong type"), true
		}
		return s.invalidCall("a call must be a JSON object with jsonrpc, method and id"), true
	}
	switch {
	case call.JSONRPC == nil || *call.JSONRPC != "2.0":
		return s.invalidCallID(call.ID, `jsonrpc must be "2.0"`), true
	case call.Method == nil:
		return s.invalidCallID(call.ID, "method is missing"), true
	case !validParams(call.Params):
		return s.invalidCallID(call.ID, "params must be an array or an object"), true
	}
	notification := call.ID == nil
	method, ok := rpcMethods[*call.Method]
	if !ok {
		s.metrics.observe(labelUnknownMethod, CodeMethodNotFound, 0)
		return rpcResponse{JSONRPC: "2.0", ID: call.ID,
			Error: errorf(CodeMethodNotFound, "no method %q", truncate(*call.Method, 64))}, !notification
	}
	if only != "" && method.name != only {
		s.metrics.observe(labelUnknownMethod, CodeMethodNotFound, 0)
		return rpcResponse{JSONRPC: "2.0", ID: call.ID,
			Error: errorf(CodeMethodNotFound, "method %q is not served on /%s; send it to / or /%s", *call.Method, only, method.name)}, !notification
	}
	result, e := s.invoke(ctx, method.name, func(ctx context.Context) (any, error) {
		return method.run(s, ctx, call.Params)
	})
	if e != nil && method.bolt {
		// Counted above under Pledge's code, the one table operators read.
		e = boltError(e)
	}
	return rpcResponse{JSONRPC: "2.0", ID: call.ID, Result: result, Error: e}, !notification
}

func (s *Server) invalidCall(reason string) rpcResponse {
	return s.invalidCallID(nil, reason)
}

func (s *Server) invalidCallID(id json.RawMessage, reason string) rpcResponse {
	s.metrics.observe(labelNoMethod, CodeInvalidRequest, 0)
	return rpcResponse{JSONRPC: "2.0", ID: id, Error: newError(CodeInvalidRequest, reason)}
}

// validID accepts what JSON-RPC 2.0 allows: absent, a string, a number, null.
func isSyntaxError(err error) bool {
	var syntax *json.SyntaxError
	return errors.As(err, &syntax)
}

func validID(id json.RawMessage) bool {
	if id == nil {
		return true
	}
	switch c := id[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return true
	default:
		return string(id) == "null"
	}
}

// validParams accepts what JSON-RPC 2.0 allows: absent, null, an array or an
// object (whether a method takes it is the method's business).
func validParams(p json.RawMessage) bool {
	return p == nil || p[0] == '[' || p[0] == '{' || string(p) == "null"
}

// refuseRPC answers a body refused as a whole: one error, id null, the
// status of the error's code.
func (s *Server) refuseRPC(w http.ResponseWriter, e *Error) {
	s.metrics.observe(labelNoMethod, e.Code, 0)
	b, err := json.Marshal(rpcResponse{JSONRPC: "2.0", Error: e})
	if err != nil {
		s.log.Error().Err(err).Msg("encode refusal")
		b = []byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}`)
	}
	writeJSON(w, HTTPStatus(e.Code), b)
}

func (s *Server) writeRPC(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Results were marshaled already, so only a broken id or error could
		// land here; answer rather than leave the client hanging.
		id := newRequestID()
		s.log.Error().Err(err).Str("request_id", id).Msg("encode json-rpc answer")
		b, _ = json.Marshal(rpcResponse{JSONRPC: "2.0", Error: internalError(id)})
	}
	writeJSON(w, http.StatusOK, b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
