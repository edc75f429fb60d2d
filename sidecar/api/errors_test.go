package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Stand-ins for the admission engine's sentinels, registered as the lead's
// wiring will register the real ones.
var (
	errSlotNotOffered = errors.New("slot not offered")
	errDeadline       = errors.New("deadline passed")
	errNonce          = errors.New("nonce mismatch")
	errBalance        = errors.New("insufficient balance")
	errFeeBelowBase   = errors.New("max fee below projected base fee")
	errUnderpriced    = errors.New("underpriced")
	errSlotFull       = errors.New("slot full")
	errExposure       = errors.New("exposure limit")
	errUnknownRollup  = errors.New("unknown rollup")
	errNotFound       = errors.New("not found")
	errUnavailable    = errors.New("unavailable")
	errConflict       = errors.New("conflict")
	errSenderHasCode  = errors.New("sender has code")
	errWrongSlasher   = errors.New("wrong slasher")
)

func admissionCodes() *Codes {
	c := DefaultCodes()
	for err, code := range map[error]int{
		errSlotNotOffered: CodeSlotNotOffered, errDeadline: CodeDeadlinePassed, errNonce: CodeNonce,
		errBalance: CodeBalance, errFeeBelowBase: CodeFeeBelowBase, errUnderpriced: CodeUnderpriced,
		errSlotFull: CodeSlotFull, errExposure: CodeExposure, errUnknownRollup: CodeUnknownRollup,
		errNotFound: CodeNotFound, errUnavailable: CodeUnavailable, errConflict: CodeConflict,
		errSenderHasCode: CodeSenderHasCode, errWrongSlasher: CodeUnknownType,
	} {
		c.Register(err, code)
	}
	return c
}

func TestBackendErrorsMapToCodeAndStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		code   int
		status int
	}{
		{protocol.ErrTxMalformed, CodeTxMalformed, 400},
		{protocol.ErrTxType, CodeTxMalformed, 400},
		{protocol.ErrTxUnprotected, CodeTxMalformed, 400},
		{protocol.ErrTxInvalid, CodeTxMalformed, 400},
		{protocol.ErrIntrinsicGas, CodeIntrinsicGas, 400},
		{protocol.ErrBlobFeeTooLow, CodeBlobFeeTooLow, 400},
		{protocol.ErrTxTooLarge, CodeTooLarge, 413},
		{protocol.ErrTxSignature, CodeTxSignature, 400},
		{protocol.ErrWrongChain, CodeWrongChain, 400},
		{protocol.ErrBlobSidecar, CodeBlobSidecar, 400},
		{protocol.ErrDuplicateTx, CodeBadBundle, 400},
		{protocol.ErrInclusionCount, CodeBadBundle, 400},
		{protocol.ErrMalformedPayload, CodeInvalidParams, 400},
		{protocol.ErrUnknownCommitmentType, CodeUnknownType, 400},
		{errSlotNotOffered, CodeSlotNotOffered, 400},
		{errDeadline, CodeDeadlinePassed, 400},
		{errNonce, CodeNonce, 400},
		{errBalance, CodeBalance, 400},
		{errFeeBelowBase, CodeFeeBelowBase, 400},
		{errUnderpriced, CodeUnderpriced, 400},
		{errSlotFull, CodeSlotFull, 400},
		{errExposure, CodeExposure, 503},
		{errUnknownRollup, CodeUnknownRollup, 400},
		{errNotFound, CodeNotFound, 404},
		{errUnavailable, CodeUnavailable, 503},
		{errConflict, CodeConflict, 409},
		{errSenderHasCode, CodeSenderHasCode, 400},
		{errWrongSlasher, CodeUnknownType, 400},
		{context.DeadlineExceeded, CodeUnavailable, 503},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			t.Parallel()
			// Wrapped as the backend wraps: the reason keeps the detail.
			wrapped := fmt.Errorf("tx 0: %w: detail for the user", tt.err)
			be := &fakeBackend{err: wrapped}
			ts := newTestServer(t, be, func(c *Config) { c.Codes = admissionCodes() })

			a := decodeAnswer(t, ts.rpc(call("commitmentRequest", "["+requestJSON(1, []byte{0xc0}, testSlasher)+"]")))
			if a.Error == nil || a.Error.Code != tt.code {
				t.Fatalf("json-rpc: got %+v, want code %d", a.Error, tt.code)
			}
			if a.Error.Message != codeInfo[tt.code].message || a.Error.Data == nil || a.Error.Data.Reason != wrapped.Error() {
				t.Fatalf("json-rpc error %+v: want the table's message and the error as reason", a.Error)
			}

			w := ts.do(http.MethodGet, restPrefix+"commitmentResult/"+testHash.Hex(), "", "")
			if w.Code != tt.status {
				t.Fatalf("rest status %d, want %d", w.Code, tt.status)
			}
			sameJSON(t, w.Body.Bytes(), mustJSON(t, &Error{Code: tt.code, Message: codeInfo[tt.code].message,
				Data: &ErrorData{Reason: wrapped.Error()}}))
		})
	}
}

func TestInternalErrorsAreNotLeaked(t *testing.T) {
	t.Parallel()
	secret := errors.New("pebble: write /var/lib/pledge/000123.log: no space left on device")
	ts := newTestServer(t, &fakeBackend{err: fmt.Errorf("persist promise: %w", secret)}, nil)

	a := decodeAnswer(t, ts.rpc(call("slots", "[]")))
	if a.Error == nil || a.Error.Code != CodeInternal || a.Error.Message != "internal error" {
		t.Fatalf("got %+v, want internal error", a.Error)
	}
	id := a.Error.Data.RequestID
	if len(id) != 16 {
		t.Fatalf("request id %q", id)
	}
	if strings.Contains(a.Error.Data.Reason, "pebble") || strings.Contains(a.Error.Data.Reason, "/var/lib") {
		t.Fatalf("reason leaks the cause: %q", a.Error.Data.Reason)
	}
	logs := ts.log.String()
	if !strings.Contains(logs, id) || !strings.Contains(logs, "no space left on device") {
		t.Fatalf("log lacks the request id or the cause: %s", logs)
	}

	w := ts.do(http.MethodGet, restPrefix+"slots", "", "")
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "pebble") {
		t.Fatalf("rest: status %d body %s", w.Code, w.Body)
	}
}

func TestPanicInBackendIsRecovered(t *testing.T) {
	t.Parallel()
	be := &fakeBackend{request: func(context.Context, protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
		panic("nil map write in template")
	}}
	ts := newTestServer(t, be, nil)
	body := call("commitmentRequest", "["+requestJSON(1, []byte{0xc0}, testSlasher)+"]")

	// In a batch, the panicking call fails alone.
	w := ts.rpc("[" + body + "," + call("slots", "[]") + "]")
	as := decodeAnswers(t, w)
	if len(as) != 2 || as[0].Error == nil || as[0].Error.Code != CodeInternal || as[1].Error != nil {
		t.Fatalf("batch answers %+v", as)
	}
	if strings.Contains(w.Body.String(), "nil map") || strings.Contains(w.Body.String(), "goroutine") {
		t.Fatalf("answer leaks the panic: %s", w.Body)
	}
	if !strings.Contains(ts.log.String(), "nil map write in template") || !strings.Contains(ts.log.String(), as[0].Error.Data.RequestID) {
		t.Fatalf("log lacks the panic or its request id: %s", ts.log)
	}
	// REST too, and the server keeps serving.
	if w := ts.do(http.MethodPost, restPrefix+"commitmentRequest", requestJSON(1, []byte{0xc0}, testSlasher), ""); w.Code != http.StatusInternalServerError {
		t.Fatalf("rest after panic: %d", w.Code)
	}
	if a := decodeAnswer(t, ts.rpc(call("slots", "[]"))); a.Error != nil {
		t.Fatalf("server broken after a panic: %+v", a.Error)
	}
}

func TestCallTimeoutIsUnavailable(t *testing.T) {
	t.Parallel()
	be := &fakeBackend{request: func(ctx context.Context, _ protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
		<-ctx.Done()
		return nil, fmt.Errorf("wait for the EL: %w", ctx.Err())
	}}
	ts := newTestServer(t, be, func(c *Config) { c.CallTimeout = 20 * time.Millisecond })
	a := decodeAnswer(t, ts.rpc(call("commitmentRequest", "["+requestJSON(1, []byte{0xc0}, testSlasher)+"]")))
	if a.Error == nil || a.Error.Code != CodeUnavailable {
		t.Fatalf("got %+v, want -32017", a.Error)
	}
}

func TestCodes(t *testing.T) {
	t.Parallel()
	t.Run("first registration wins", func(t *testing.T) {
		t.Parallel()
		a, b := errors.New("a"), errors.New("b")
		c := &Codes{}
		c.Register(a, CodeNonce)
		c.Register(b, CodeConflict)
		if code, ok := c.Lookup(fmt.Errorf("%w and %w", b, a)); !ok || code != CodeNonce {
			t.Fatalf("got %d %v", code, ok)
		}
		if _, ok := c.Lookup(errors.New("other")); ok {
			t.Fatal("unregistered error matched")
		}
	})
	t.Run("an oversized tx is too large, not malformed", func(t *testing.T) {
		t.Parallel()
		err := fmt.Errorf("%w: %w", protocol.ErrTxMalformed, protocol.ErrTxTooLarge)
		if code, _ := DefaultCodes().Lookup(err); code != CodeTooLarge {
			t.Fatalf("code %d", code)
		}
	})
	t.Run("unknown code panics at wiring", func(t *testing.T) {
		t.Parallel()
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		(&Codes{}).Register(errors.New("x"), -31000)
	})
	t.Run("nil error panics at wiring", func(t *testing.T) {
		t.Parallel()
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		(&Codes{}).Register(nil, CodeNonce)
	})
	t.Run("every code has a status and a message", func(t *testing.T) {
		t.Parallel()
		for code, info := range codeInfo {
			if info.status < 400 || info.message == "" || HTTPStatus(code) != info.status {
				t.Errorf("code %d: %+v", code, info)
			}
		}
		if HTTPStatus(-1) != http.StatusInternalServerError {
			t.Error("unknown code must be 500")
		}
	})
}
