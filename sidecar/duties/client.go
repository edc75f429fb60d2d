package duties

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	eth2http "github.com/attestantio/go-eth2-client/http"
	"github.com/rs/zerolog"
)

// maxEventSize bounds one SSE event; head events are a few hundred bytes.
const maxEventSize = 1 << 20

// Client is a connection to a beacon node: go-eth2-client's http service for
// the request/response endpoints, plus the head-event stream the tracker owns.
// It satisfies Beacon.
//
// The stream is read here rather than through go-eth2-client's Events because
// the tracker needs to see the stream end (to reconnect with its own backoff,
// count it and report it) and to stop at once when its context ends; Events
// reconnects silently inside the library with sleeps that ignore the context.
type Client struct {
	*eth2http.Service
	base   *url.URL
	stream *http.Client
}

var _ Beacon = (*Client)(nil)

// Connect builds a beacon node client for baseURL. It does not fail when the
// node is down: the tracker starts anyway, reports the outage through Ready and
// recovers when the node comes back. timeout bounds each request (not the
// stream). The client's background work stops when ctx ends.
func Connect(ctx context.Context, baseURL string, timeout time.Duration) (*Client, error) {
	base, err := url.Parse(baseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("beacon node URL %q: want http(s)://host[:port]", baseURL)
	}
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	svc, err := eth2http.New(ctx,
		eth2http.WithAddress(baseURL),
		eth2http.WithTimeout(timeout),
		eth2http.WithAllowDelayedStart(true),
		eth2http.WithEnforceJSON(true),
		eth2http.WithLogLevel(zerolog.WarnLevel),
	)
	if err != nil {
		return nil, fmt.Errorf("beacon node client for %s: %w", base.Redacted(), err)
	}
	httpSvc, ok := svc.(*eth2http.Service)
	if !ok {
		return nil, fmt.Errorf("beacon node client for %s: unexpected service type %T", base.Redacted(), svc)
	}
	return &Client{
		Service: httpSvc,
		base:    base,
		stream: &http.Client{Transport: &http.Transport{
			DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 15 * time.Second}).DialContext,
			ResponseHeaderTimeout: timeout,
			// A stream is one long response; no client-wide timeout.
		}},
	}, nil
}

// StreamHeads subscribes to the beacon node's head events and calls onHead for
// each, in order, until the stream ends (ErrStreamClosed or a read error) or
// ctx ends (ctx's error). It does not reconnect; the caller does.
func (c *Client) StreamHeads(ctx context.Context, onHead func(*apiv1.HeadEvent)) error {
	u := c.base.JoinPath("/eth/v1/events")
	u.RawQuery = "topics=head"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("events request: %w", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := c.stream.Do(req)
	if err != nil {
		return fmt.Errorf("open event stream: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("open event stream: status %d: %s", resp.StatusCode, bytes.TrimSpace(snippet))
	}
	if err := readHeadEvents(resp.Body, onHead); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	return ErrStreamClosed
}

// readHeadEvents parses a text/event-stream body (WHATWG SSE: "event:" and
// "data:" fields, comment lines starting with ':', a blank line ending each
// event) and hands every head event to onHead. It returns nil at a clean EOF.
func readHeadEvents(r io.Reader, onHead func(*apiv1.HeadEvent)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxEventSize)
	var (
		event string
		data  strings.Builder
	)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			if event == "head" && data.Len() > 0 {
				var ev apiv1.HeadEvent
				if err := json.Unmarshal([]byte(data.String()), &ev); err != nil {
					return fmt.Errorf("decode head event: %w", err)
				}
				onHead(&ev)
			}
			event = ""
			data.Reset()
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue // keep-alive comment
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			event = value
		case "data":
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(value)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read event stream: %w", err)
	}
	return nil
}
