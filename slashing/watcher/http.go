package watcher

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// maxPostBody bounds POST bodies: a bundle promise of 16 inclusions is ~3 KiB.
const maxPostBody = 64 << 10

// PromiseStatus is the answer of POST /promises and GET /promises/{digest}.
type PromiseStatus struct {
	Digest   common.Hash     `json:"digest"`
	State    State           `json:"state"`
	Slot     uint64          `json:"slot"`
	Operator *common.Address `json:"operator,omitempty"`
	Fault    string          `json:"fault,omitempty"`
	Other    *common.Hash    `json:"other,omitempty"`
	Tx       *common.Hash    `json:"tx,omitempty"`
	Reason   string          `json:"reason,omitempty"`
}

type errorBody struct {
	Error string `json:"error"`
}

// Handler serves the watcher's HTTP API:
//
//	POST /promises            a SignedCommitment JSON a user holds: the watcher follows it
//	GET  /promises/{digest}   where a promise stands (seen, committing, committed, pending, kept, slashed, refused)
//	POST /requests            {"request_hash": "0x…"}: fetch it from the sidecar (when tracker is set)
//	GET  /livez
func (w *Watcher) Handler(tracker *RPCSource) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /promises", w.postPromise)
	mux.HandleFunc("GET /promises/{digest}", w.getPromise)
	if tracker != nil {
		mux.HandleFunc("POST /requests", func(rw http.ResponseWriter, r *http.Request) {
			var body struct {
				RequestHash *common.Hash `json:"request_hash"`
			}
			if err := json.NewDecoder(io.LimitReader(r.Body, maxPostBody)).Decode(&body); err != nil || body.RequestHash == nil {
				writeJSON(rw, http.StatusBadRequest, errorBody{"want {\"request_hash\": \"0x…\"}"})
				return
			}
			tracker.Track(*body.RequestHash)
			writeJSON(rw, http.StatusAccepted, body)
		})
	}
	mux.HandleFunc("GET /livez", func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(http.StatusOK) })
	return mux
}

func (w *Watcher) postPromise(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPostBody+1))
	if err != nil {
		writeJSON(rw, http.StatusBadRequest, errorBody{"read body: " + err.Error()})
		return
	}
	if len(body) > maxPostBody {
		writeJSON(rw, http.StatusRequestEntityTooLarge, errorBody{"body larger than 64 KiB"})
		return
	}
	var sc protocol.SignedCommitment
	if err := json.Unmarshal(body, &sc); err != nil {
		writeJSON(rw, http.StatusBadRequest, errorBody{"not a SignedCommitment: " + err.Error()})
		return
	}
	if err := checkEnvelope(&sc); err != nil {
		writeJSON(rw, http.StatusBadRequest, errorBody{"not a SignedCommitment: " + err.Error()})
		return
	}
	d, st, err := w.Add(r.Context(), &sc)
	switch {
	case errors.Is(err, ErrBadPromise):
		writeJSON(rw, http.StatusBadRequest, errorBody{err.Error()})
		return
	case err != nil:
		// The node or the disk failed, not the promise: the user may try again.
		writeJSON(rw, http.StatusServiceUnavailable, errorBody{err.Error()})
		return
	}
	writeJSON(rw, http.StatusOK, w.status(d, st))
}

func (w *Watcher) getPromise(rw http.ResponseWriter, r *http.Request) {
	var d common.Hash
	if err := d.UnmarshalText([]byte(r.PathValue("digest"))); err != nil {
		writeJSON(rw, http.StatusBadRequest, errorBody{"digest is not a 0x-prefixed 32-byte hex string"})
		return
	}
	st, ok := w.state(d)
	if !ok {
		writeJSON(rw, http.StatusNotFound, errorBody{"unknown promise"})
		return
	}
	writeJSON(rw, http.StatusOK, w.status(d, st))
}

func (w *Watcher) status(d common.Hash, st State) PromiseStatus {
	out := PromiseStatus{Digest: d, State: st}
	if rec, ok := w.journal.Latest(d); ok {
		op := rec.Operator
		out.Slot, out.Operator, out.Fault, out.Other, out.Tx, out.Reason = rec.Slot, &op, rec.Fault, rec.Other, rec.Tx, rec.Reason
	}
	return out
}

func writeJSON(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	_ = json.NewEncoder(rw).Encode(v)
}
