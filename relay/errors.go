package relay

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Sentinel errors of the relay. Each maps to an HTTP status in statusOf.
var (
	// ErrBadRequest is returned for a request that does not parse.
	ErrBadRequest = errors.New("bad request")
	// ErrSlotWindow is returned for a slot outside the window the relay keeps.
	ErrSlotWindow = errors.New("slot outside the relay's window")
	// ErrNotDelegated is returned for constraints signed by a key that is
	// neither the proposer nor a delegate of the proposer for the slot.
	ErrNotDelegated = errors.New("signer is not the proposer nor an active delegate for the slot")
	// ErrUnsupportedConstraint is returned for a constraint type the relay does not support.
	ErrUnsupportedConstraint = errors.New("unsupported constraint type")
	// ErrRegistration is returned for a registration that fails validation.
	ErrRegistration = errors.New("invalid validator registration")
	// ErrSubmission is returned for a builder submission that fails validation.
	ErrSubmission = errors.New("invalid block submission")
	// ErrProofs is returned when a submission's proofs do not show the slot's constraints hold.
	ErrProofs = errors.New("constraint proofs do not verify")
	// ErrUnknownPayload is returned for a blinded block whose header the relay did not serve.
	ErrUnknownPayload = errors.New("blinded block is not for a header this relay served")
	// ErrBlockMismatch is returned for a blinded block that differs from the served bid or was already revealed with another block.
	ErrBlockMismatch = errors.New("blinded block does not match the served bid")
	// ErrProposerSignature is returned when the blinded block's proposer signature does not verify.
	ErrProposerSignature = errors.New("proposer signature does not verify")
	// ErrCapacity is returned when a per-slot list is full.
	ErrCapacity = errors.New("relay capacity for the slot reached")
	// ErrPublish is returned when the beacon node refuses or cannot take the block.
	ErrPublish = errors.New("publish block through the beacon node")
	// ErrNoPublisher is returned for submitBlindedBlockV2 when no beacon node is configured.
	ErrNoPublisher = errors.New("no beacon node configured to publish blocks")
	// ErrTooLarge is returned for a body above the relay's limit.
	ErrTooLarge = errors.New("request body too large")
	// ErrMediaType is returned for a content type the endpoint does not take.
	ErrMediaType = errors.New("unsupported content type")
)

// statusOf maps an error to its HTTP status: one table for every handler.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrMediaType):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrCapacity):
		return http.StatusTooManyRequests
	case errors.Is(err, ErrNoPublisher):
		return http.StatusInternalServerError
	case errors.Is(err, ErrPublish):
		return http.StatusBadGateway
	case errors.Is(err, ErrBadRequest), errors.Is(err, ErrSlotWindow), errors.Is(err, ErrNotDelegated),
		errors.Is(err, ErrUnsupportedConstraint), errors.Is(err, ErrRegistration), errors.Is(err, ErrSubmission),
		errors.Is(err, ErrProofs), errors.Is(err, ErrUnknownPayload), errors.Is(err, ErrBlockMismatch),
		errors.Is(err, ErrProposerSignature),
		errors.Is(err, builderapi.ErrMalformed), errors.Is(err, builderapi.ErrSignature),
		errors.Is(err, builderapi.ErrUnsupportedVersion),
		errors.Is(err, protocol.ErrConstraintsJSON), errors.Is(err, protocol.ErrConstraintsLimit),
		errors.Is(err, protocol.ErrConstraintsEmpty), errors.Is(err, protocol.ErrBLSPubkey),
		errors.Is(err, protocol.ErrBLSSignatureMalformed), errors.Is(err, protocol.ErrBLSSignatureMismatch):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// errorMessage is the builder-specs ErrorMessage body.
type errorMessage struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// writeError answers with the status of err and a {code, message} body.
// Internal errors are not detailed to the client.
func writeError(w http.ResponseWriter, err error) {
	code := statusOf(err)
	msg := err.Error()
	if code == http.StatusInternalServerError && !errors.Is(err, ErrNoPublisher) {
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
