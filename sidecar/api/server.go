package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
)

// ErrConfig is returned by New for a configuration it cannot serve with.
var ErrConfig = errors.New("invalid api config")

// Config sets the server's limits. Start from DefaultConfig.
type Config struct {
	// Slasher is the Slasher contract bolt_requestInclusion requests name
	// (Bolt's request has no slasher field).
	Slasher common.Address
	// Codes maps the backend's sentinel errors to JSON-RPC codes; nil means
	// DefaultCodes(), which knows only protocol's errors.
	Codes *Codes
	// Gatherer serves /metrics; nil means the registerer given to New, which
	// must then gather too (as *prometheus.Registry does).
	Gatherer prometheus.Gatherer

	// MaxBodyBytes bounds a request body (docs/protocol.md §3: 4 MiB).
	MaxBodyBytes int64
	// MaxBatch bounds the calls of one JSON-RPC batch (§3: 16).
	MaxBatch int
	// CallTimeout bounds one call to the backend.
	CallTimeout time.Duration

	// RateLimit is the sustained calls per second allowed to one client
	// (remote IP); 0 disables rate limiting. A batch costs one per call.
	RateLimit float64
	// RateBurst is how many calls a client may make at once after a pause.
	RateBurst int
	// MaxClients bounds the clients the rate limiter remembers.
	MaxClients int

	// Timeouts of the http.Server run by Run and Serve.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds the draining of in-flight requests on shutdown;
	// calls still running after it are canceled.
	ShutdownTimeout time.Duration
}

// DefaultConfig returns the limits of docs/protocol.md §3 and timeouts that
// let a 4 MiB body arrive over a slow link. Slasher must still be set.
func DefaultConfig() Config {
	return Config{
		MaxBodyBytes:      4 << 20,
		MaxBatch:          16,
		CallTimeout:       5 * time.Second,
		RateLimit:         100,
		RateBurst:         200,
		MaxClients:        10_000,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ShutdownTimeout:   10 * time.Second,
	}
}

func (c *Config) validate() error {
	switch {
	case c.Slasher == (common.Address{}):
		return fmt.Errorf("%w: no slasher address (bolt_requestInclusion needs it)", ErrConfig)
	case c.MaxBodyBytes <= 0:
		return fmt.Errorf("%w: max body bytes %d, want > 0", ErrConfig, c.MaxBodyBytes)
	case c.MaxBatch < 1:
		return fmt.Errorf("%w: max batch %d, want >= 1", ErrConfig, c.MaxBatch)
	case c.CallTimeout <= 0:
		return fmt.Errorf("%w: call timeout %s, want > 0", ErrConfig, c.CallTimeout)
	case c.RateLimit < 0:
		return fmt.Errorf("%w: rate limit %g/s, want >= 0 (0 disables it)", ErrConfig, c.RateLimit)
	case c.RateLimit > 0 && c.RateBurst < c.MaxBatch:
		// A smaller burst would refuse every full batch forever.
		return fmt.Errorf("%w: rate burst %d below the max batch %d", ErrConfig, c.RateBurst, c.MaxBatch)
	case c.RateLimit > 0 && c.MaxClients < 1:
		return fmt.Errorf("%w: max clients %d, want >= 1", ErrConfig, c.MaxClients)
	case c.ReadHeaderTimeout <= 0 || c.ReadTimeout <= 0 || c.IdleTimeout <= 0 || c.ShutdownTimeout <= 0:
		return fmt.Errorf("%w: read header, read, idle and shutdown timeouts must be > 0", ErrConfig)
	case c.WriteTimeout <= c.CallTimeout:
		// The write deadline runs from the end of the request headers, so it
		// must leave room for the call or answers are cut off.
		return fmt.Errorf("%w: write timeout %s must exceed the call timeout %s", ErrConfig, c.WriteTimeout, c.CallTimeout)
	}
	return nil
}

// Server serves the user API of docs/protocol.md §3 over HTTP.
type Server struct {
	backend Backend
	cfg     Config
	codes   *Codes
	log     zerolog.Logger
	metrics *metrics
	limiter *limiter // nil when rate limiting is off
	handler http.Handler
	now     func() time.Time // the rate limiter's clock; tests move it
}

// New checks its inputs and builds the server; it does no network I/O.
func New(backend Backend, cfg Config, logger zerolog.Logger, reg prometheus.Registerer) (*Server, error) {
	if backend == nil {
		return nil, fmt.Errorf("%w: no backend", ErrConfig)
	}
	if reg == nil {
		return nil, fmt.Errorf("%w: no metrics registerer", ErrConfig)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	gatherer := cfg.Gatherer
	if gatherer == nil {
		g, ok := reg.(prometheus.Gatherer)
		if !ok {
			return nil, fmt.Errorf("%w: the registerer does not gather metrics; set Config.Gatherer", ErrConfig)
		}
		gatherer = g
	}
	codes := cfg.Codes
	if codes == nil {
		codes = DefaultCodes()
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		backend: backend,
		cfg:     cfg,
		codes:   codes,
		log:     logger.With().Str("component", "api").Logger(),
		metrics: m,
		now:     time.Now,
	}
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.MaxClients)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /{$}", s.jsonrpcAt(""))
	for _, m := range rpcPaths {
		mux.HandleFunc("POST /"+m, s.jsonrpcAt(m))
	}
	// The REST form under both path styles the Commitments API has used:
	// …/commitmentRequest and …/commitmentResult/{h} (current), …/commitment
	// and …/commitment/{h} (before); fee by POST (its Markdown) and by GET
	// with the same JSON body (its OpenAPI file).
	mux.HandleFunc("POST "+restPrefix+"commitmentRequest", s.restRequest)
	mux.HandleFunc("POST "+restPrefix+"commitment", s.restRequest)
	mux.HandleFunc("GET "+restPrefix+"commitmentResult/{request_hash}", s.restResult)
	mux.HandleFunc("GET "+restPrefix+"commitment/{request_hash}", s.restResult)
	mux.HandleFunc("GET "+restPrefix+"slots", s.restSlots)
	mux.HandleFunc("POST "+restPrefix+"fee", s.restFee)
	mux.HandleFunc("GET "+restPrefix+"fee", s.restFee)
	mux.HandleFunc("GET /livez", s.serveLivez)
	mux.HandleFunc("GET /readyz", s.serveReadyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	s.handler = mux
	return s, nil
}

// Handler returns the server's routes, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on addr and serves until ctx ends, then drains in-flight
// requests (see Serve).
func (s *Server) Run(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends. Then it stops accepting, lets in-flight
// requests finish for up to ShutdownTimeout — their contexts are not tied to
// ctx, so a promise being signed is still answered — and cancels what is left.
// It returns nil after a clean drain.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	callCtx, cancelCalls := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelCalls()
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return callCtx },
		ErrorLog:          log.New(warnWriter{s.log}, "", 0),
	}
	s.log.Info().Str("addr", ln.Addr().String()).Msg("serving the user API")
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve api on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.log.Info().Msg("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		cancelCalls()
		_ = srv.Close()
		<-served
		return fmt.Errorf("drain api requests: %w", err)
	}
	<-served // http.ErrServerClosed, expected after Shutdown
	return nil
}

// warnWriter routes net/http's own complaints (TLS noise, handler panics) to
// the component logger.
type warnWriter struct{ log zerolog.Logger }

func (w warnWriter) Write(p []byte) (int, error) {
	w.log.Warn().Msg(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (s *Server) serveLivez(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

func (s *Server) serveReadyz(w http.ResponseWriter, _ *http.Request) {
	if err := s.backend.Ready(); err != nil {
		b, _ := json.Marshal(struct {
			Status string `json:"status"`
			Reason string `json:"reason"`
		}{"unavailable", err.Error()})
		writeJSON(w, http.StatusServiceUnavailable, b)
		return
	}
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

// allow spends n of the client's tokens; true when rate limiting is off.
func (s *Server) allow(client string, n int) bool {
	return s.limiter == nil || s.limiter.allow(client, n, s.now())
}

// clientKey is the remote IP, without the port: one client, many connections.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// readBody reads at most MaxBodyBytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *Error) {
	limit := s.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return nil, errorf(CodeTooLarge, "body of %d bytes, limit %d", r.ContentLength, limit)
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	var b []byte
	var err error
	if r.ContentLength >= 0 {
		// The length is known and within the limit: one allocation, where
		// a growing buffer would copy the body several times.
		b = make([]byte, r.ContentLength)
		_, err = io.ReadFull(body, b)
	} else {
		b, err = io.ReadAll(body)
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errorf(CodeTooLarge, "body over the limit of %d bytes", limit)
	case err != nil:
		// The client stopped sending or the read deadline passed.
		return nil, errorf(CodeInvalidRequest, "body could not be read: %v", err)
	}
	return b, nil
}

// invoke runs one call: with a deadline, with panics recovered, with its
// outcome counted and its error mapped through the Codes table.
func (s *Server) invoke(ctx context.Context, method string, call func(context.Context) (any, error)) (out json.RawMessage, rerr *Error) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			id := newRequestID()
			s.log.Error().Str("method", method).Str("request_id", id).
				Str("panic", fmt.Sprint(v)).Str("stack", string(debug.Stack())).
				Msg("api call panicked")
			out, rerr = nil, internalError(id)
		}
		code := 0
		if rerr != nil {
			code = rerr.Code
		}
		s.metrics.observe(method, code, time.Since(start))
	}()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	res, err := call(ctx)
	if err != nil {
		return nil, s.toError(method, err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return nil, s.toError(method, fmt.Errorf("encode %s result: %w", method, err))
	}
	return b, nil
}

// toError maps err to what the user sees: its own *Error, the code of a
// registered sentinel with the error's text as the reason, or, for anything
// else, "internal error" and a request id that finds the logged cause.
func (s *Server) toError(method string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if code, ok := s.codes.Lookup(err); ok {
		s.log.Debug().Err(err).Str("method", method).Int("code", code).Msg("call refused")
		return newError(code, err.Error())
	}
	id := newRequestID()
	s.log.Error().Err(err).Str("method", method).Str("request_id", id).Msg("internal error")
	return internalError(id)
}

func internalError(requestID string) *Error {
	return &Error{
		Code:    CodeInternal,
		Message: codeInfo[CodeInternal].message,
		Data: &ErrorData{
			Reason:    "internal error; quote the request_id when reporting it",
			RequestID: requestID,
		},
	}
}

// newRequestID names one internal error in the log; random so that ids from
// restarts never collide.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if status == http.StatusTooManyRequests {
		h.Set("Retry-After", "1")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errNoResult guards against a backend answering neither a result nor an error.
var errNoResult = errors.New("backend returned no result and no error")
