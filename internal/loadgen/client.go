package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// ErrProtocol is an answer that is not the JSON-RPC the call expects.
var ErrProtocol = errors.New("loadgen: unexpected answer")

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// client speaks the sidecar's JSON-RPC over its own connections.
type client struct {
	url  string
	http *http.Client
	id   atomic.Uint64
}

// newClients returns one client per local IP in from (one with the
// system's choice when from is empty), each keeping up to conns connections.
func newClients(url string, from []string, conns int) ([]*client, error) {
	if len(from) == 0 {
		from = []string{""}
	}
	out := make([]*client, len(from))
	for i, ip := range from {
		dialer := &net.Dialer{Timeout: 5 * time.Second}
		if ip != "" {
			addr := net.ParseIP(ip)
			if addr == nil {
				return nil, fmt.Errorf("loadgen: %q is not an IP address", ip)
			}
			dialer.LocalAddr = &net.TCPAddr{IP: addr}
		}
		out[i] = &client{url: url, http: &http.Client{
			Timeout: 10 * time.Second,
			Transport: &http.Transport{
				DialContext:         dialer.DialContext,
				MaxIdleConnsPerHost: conns,
				IdleConnTimeout:     30 * time.Second,
			},
		}}
	}
	return out, nil
}

// call is one JSON-RPC call of a request or batch.
type call struct {
	method string
	params any
}

// answer is one call's outcome: a promise, or the sidecar's refusal.
type answer struct {
	sc  *protocol.SignedCommitment
	err *rpcError
}

type envelope struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *rpcError       `json:"error"`
}

// bufs recycles request bodies.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// batch sends the calls, as a JSON-RPC batch when asBatch (else exactly
// one call), and returns their answers in order.
func (c *client) batch(ctx context.Context, calls []call, asBatch bool) ([]answer, error) {
	if !asBatch && len(calls) != 1 {
		return nil, fmt.Errorf("loadgen: %d calls outside a batch", len(calls))
	}
	body := bufs.Get().(*bytes.Buffer)
	body.Reset()
	defer bufs.Put(body)
	first := c.id.Add(uint64(len(calls))) - uint64(len(calls)) + 1
	if asBatch {
		body.WriteByte('[')
	}
	for i, cl := range calls {
		if i > 0 {
			body.WriteByte(',')
		}
		params, err := json.Marshal([]any{cl.params})
		if err != nil {
			return nil, err
		}
		body.WriteString(`{"jsonrpc":"2.0","id":`)
		body.WriteString(strconv.FormatUint(first+uint64(i), 10))
		body.WriteString(`,"method":"`)
		body.WriteString(cl.method)
		body.WriteString(`","params":`)
		body.Write(params)
		body.WriteByte('}')
	}
	if asBatch {
		body.WriteByte(']')
	}
	status, data, err := c.post(ctx, body.Bytes())
	if err != nil {
		return nil, err
	}
	out := make([]answer, len(calls))
	var envs []envelope
	if trimmed := bytes.TrimSpace(data); asBatch && len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(data, &envs); err != nil {
			return nil, fmt.Errorf("%w: HTTP %d, not a JSON-RPC batch: %.200s", ErrProtocol, status, data)
		}
	} else {
		var env envelope
		if err := json.Unmarshal(data, &env); err != nil {
			return nil, fmt.Errorf("%w: HTTP %d, not JSON-RPC: %.200s", ErrProtocol, status, data)
		}
		if env.Error != nil && (len(env.ID) == 0 || string(env.ID) == "null") {
			// The body as a whole was refused (rate limit, size, syntax):
			// every call in it is.
			for i := range out {
				out[i].err = env.Error
			}
			return out, nil
		}
		envs = []envelope{env}
	}
	seen := make([]bool, len(calls))
	for _, env := range envs {
		id, err := strconv.ParseUint(string(env.ID), 10, 64)
		if err != nil || id < first || id >= first+uint64(len(calls)) || seen[id-first] {
			return nil, fmt.Errorf("%w: id %s in the answer", ErrProtocol, env.ID)
		}
		i := id - first
		seen[i] = true
		if env.Error != nil {
			out[i].err = env.Error
			continue
		}
		if calls[i].method == "commitmentRequest" {
			var sc protocol.SignedCommitment
			if err := json.Unmarshal(env.Result, &sc); err != nil {
				return nil, fmt.Errorf("%w: result of call %d: %w", ErrProtocol, id, err)
			}
			out[i].sc = &sc
		}
	}
	if i := slices.Index(seen, false); i >= 0 {
		return nil, fmt.Errorf("%w: no answer to call %d", ErrProtocol, first+uint64(i))
	}
	return out, nil
}

// get makes one call without params and decodes its result into out.
func (c *client) get(ctx context.Context, method string, out any) error {
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":[]}`, c.id.Add(1), method)
	status, data, err := c.post(ctx, []byte(body))
	if err != nil {
		return err
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("%w: %s: HTTP %d, not JSON-RPC: %.200s", ErrProtocol, method, status, data)
	}
	if env.Error != nil {
		return env.Error
	}
	return json.Unmarshal(env.Result, out)
}

// post sends one JSON-RPC body and returns the answer's status and body.
func (c *client) post(ctx context.Context, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, data, err
}

// slotBook tracks the slots on offer; senders move to a later slot when one
// fills up or its deadline passes.
type slotBook struct {
	c     *client
	skip  int // offered slots passed over, nearest first
	mu    sync.Mutex
	slots []uint64
	at    time.Time
}

func (b *slotBook) refresh(ctx context.Context) error {
	var resp protocol.SlotInfoResponse
	if err := b.c.get(ctx, "slots", &resp); err != nil {
		return fmt.Errorf("slots: %w", err)
	}
	slots := make([]uint64, 0, len(resp.Slots))
	for _, s := range resp.Slots {
		slots = append(slots, s.Slot)
	}
	slices.Sort(slots)
	slots = slots[min(b.skip, len(slots)):]
	b.mu.Lock()
	b.slots, b.at = slots, time.Now()
	b.mu.Unlock()
	return nil
}

// passed forgets the slots up to slot (its deadline passed): the senders
// still holding an older list move on without each being refused.
func (b *slotBook) passed(slot uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := 0
	for i < len(b.slots) && b.slots[i] <= slot {
		i++
	}
	b.slots = b.slots[i:]
}

// after returns the first offered slot >= min, refreshing when none is known.
func (b *slotBook) after(ctx context.Context, min uint64) (uint64, error) {
	for attempt := 0; ; attempt++ {
		b.mu.Lock()
		for _, s := range b.slots {
			if s >= min {
				b.mu.Unlock()
				return s, nil
			}
		}
		stale := time.Since(b.at) > 200*time.Millisecond
		b.mu.Unlock()
		if attempt > 0 && !stale {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
		if err := b.refresh(ctx); err != nil {
			return 0, err
		}
	}
}
