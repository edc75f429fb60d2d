package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// restPrefix is the Commitments API's REST base path.
const restPrefix = "/commitments/v0/gateway/"

// The REST form answers the method's result with 200, or the error object
// with the HTTP status docs/protocol.md §4 gives its code.

func (s *Server) restRequest(w http.ResponseWriter, r *http.Request) {
	s.restWithBody(w, r, "commitmentRequest", func(ctx context.Context, body []byte) (any, error) {
		req, err := decodeCommitmentRequest(body, "body")
		if err != nil {
			return nil, err
		}
		return s.request(ctx, req)
	})
}

// restFee answers POST and GET: the OpenAPI file declares fee a GET whose
// CommitmentRequest is the JSON body (not query parameters), the Markdown a
// POST with the same body.
func (s *Server) restFee(w http.ResponseWriter, r *http.Request) {
	s.restWithBody(w, r, "fee", func(ctx context.Context, body []byte) (any, error) {
		if r.Method == http.MethodGet && len(body) == 0 {
			return nil, newError(CodeInvalidParams, "body is empty: GET fee takes the CommitmentRequest as its JSON body {commitment_type, payload, slasher}")
		}
		req, err := decodeCommitmentRequest(body, "body")
		if err != nil {
			return nil, err
		}
		return s.fee(ctx, req)
	})
}

func (s *Server) restResult(w http.ResponseWriter, r *http.Request) {
	if !s.admitREST(w, r) {
		return
	}
	res, e := s.invoke(r.Context(), "commitmentResult", func(ctx context.Context) (any, error) {
		h, err := decodeHashString(r.PathValue("request_hash"), "request_hash")
		if err != nil {
			return nil, err
		}
		return s.result(ctx, h)
	})
	s.writeREST(w, res, e)
}

func (s *Server) restSlots(w http.ResponseWriter, r *http.Request) {
	if !s.admitREST(w, r) {
		return
	}
	res, e := s.invoke(r.Context(), "slots", s.slots)
	s.writeREST(w, res, e)
}

// restWithBody reads the body within the limit and runs call on it.
func (s *Server) restWithBody(w http.ResponseWriter, r *http.Request, method string, call func(context.Context, []byte) (any, error)) {
	if !s.admitREST(w, r) {
		return
	}
	body, e := s.readBody(w, r)
	if e != nil {
		s.metrics.observe(labelNoMethod, e.Code, 0)
		s.writeREST(w, nil, e)
		return
	}
	body = bytes.TrimSpace(body)
	res, e := s.invoke(r.Context(), method, func(ctx context.Context) (any, error) {
		return call(ctx, body)
	})
	s.writeREST(w, res, e)
}

// admitREST applies the rate limit; false when it answered the refusal.
func (s *Server) admitREST(w http.ResponseWriter, r *http.Request) bool {
	client := clientKey(r)
	if s.allow(client, 1) {
		return true
	}
	e := errorf(CodeRateLimited, "over %g calls per second from %s", s.cfg.RateLimit, client)
	s.metrics.observe(labelNoMethod, e.Code, 0)
	s.writeREST(w, nil, e)
	return false
}

func (s *Server) writeREST(w http.ResponseWriter, result json.RawMessage, e *Error) {
	if e == nil {
		writeJSON(w, http.StatusOK, result)
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		s.log.Error().Err(err).Msg("encode rest error")
		b = []byte(`{"code":-32603,"message":"internal error"}`)
	}
	writeJSON(w, HTTPStatus(e.Code), b)
}
