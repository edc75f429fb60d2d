package builderproxy

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// statusOf maps an error to its HTTP status: one table for every handler.
func statusOf(err error) int {
	switch {
	case isErr(err, ErrBadRequest), isErr(err, ErrUnknownHeader), isErr(err, ErrHeaderMismatch),
		isErr(err, builderapi.ErrMalformed), isErr(err, builderapi.ErrUnsupportedVersion):
		return http.StatusBadRequest
	case isErr(err, ErrNoRelayAnswered), isErr(err, ErrRelay), isErr(err, ErrPublish):
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

func isErr(err, target error) bool { return errors.Is(err, target) }

// errorMessage is the builder-specs ErrorMessage body.
type errorMessage struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// writeError answers {code, message}; internal errors are not detailed.
func writeError(w http.ResponseWriter, err error) {
	code := statusOf(err)
	msg := err.Error()
	if code == http.StatusInternalServerError && !isErr(err, ErrNoPublisher) {
		msg = "internal error"
	}
	writeJSON(w, code, errorMessage{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		b = []byte(`{"code":500,"message":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}
