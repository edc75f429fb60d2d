package constraints

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Constraints API paths (docs/protocol.md §5).
const (
	pathConstraints = "/constraints/v0/builder/constraints"
	pathDelegate    = "/constraints/v0/builder/delegate"
	pathRevoke      = "/constraints/v0/builder/revoke"
	pathStatus      = "/eth/v1/builder/status"
)

// relayClient is one relay: its own HTTP client and whether its last answer
// was a success.
type relayClient struct {
	base   string // scheme://host[:port][/path], without user info
	name   string // host, for logs and metrics
	client *http.Client

	mu        sync.Mutex
	down      bool
	resending bool
}

// newRelayClient parses a relay URL; user info (mev-boost's pubkey@host
// form) is dropped.
func newRelayClient(raw string, timeout time.Duration, transport http.RoundTripper) (*relayClient, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("relay URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("relay URL %q: want http(s)://host", raw)
	}
	u.User = nil
	return &relayClient{
		base:   strings.TrimRight(u.String(), "/"),
		name:   u.Host,
		client: &http.Client{Timeout: timeout, Transport: transport},
	}, nil
}

// post sends body as JSON; 2xx is success, 4xx ErrRefused, anything else ErrRelay.
func (r *relayClient) post(ctx context.Context, path string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRelay, err)
	}
	req.Header.Set("Content-Type", "application/json")
	return r.do(req)
}

// status asks /eth/v1/builder/status.
func (r *relayClient) status(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+pathStatus, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRelay, err)
	}
	return r.do(req)
}

func (r *relayClient) do(req *http.Request) error {
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrRelay, r.name, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusRequestTimeout:
		return fmt.Errorf("%w: %s: %s: %s", ErrRefused, r.name, resp.Status, bytes.TrimSpace(msg))
	}
	return fmt.Errorf("%w: %s: %s: %s", ErrRelay, r.name, resp.Status, bytes.TrimSpace(msg))
}

// markUp records a success and reports whether the relay was down and no
// resend to it is running yet (the caller then starts one).
func (r *relayClient) markUp() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	was := r.down
	r.down = false
	if was && !r.resending {
		r.resending = true
		return true
	}
	return false
}

func (r *relayClient) markDown() {
	r.mu.Lock()
	r.down = true
	r.mu.Unlock()
}

func (r *relayClient) isDown() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.down
}

func (r *relayClient) resendDone() {
	r.mu.Lock()
	r.resending = false
	r.mu.Unlock()
}
