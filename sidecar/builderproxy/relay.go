package builderproxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// maxRelayAnswer bounds a relay's answer: a payload with blobs.
const maxRelayAnswer = 64 << 20

// RelayEntry is one configured relay: its base URL and, when the URL names
// it (mev-boost's http://0xpubkey@host form), the key its bids must carry.
type RelayEntry struct {
	URL    string
	Pubkey *phase0.BLSPubKey
}

// ParseRelay reads a relay URL, with or without a 0x-pubkey as user info.
func ParseRelay(raw string) (RelayEntry, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return RelayEntry{}, fmt.Errorf("relay URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return RelayEntry{}, fmt.Errorf("relay URL %q: want http(s)://[0xpubkey@]host", raw)
	}
	var e RelayEntry
	if u.User != nil && u.User.Username() != "" {
		b, err := hexutil.Decode(u.User.Username())
		if err != nil || len(b) != len(phase0.BLSPubKey{}) {
			return RelayEntry{}, fmt.Errorf("relay URL %q: user info is not a 0x BLS public key", raw)
		}
		var pk phase0.BLSPubKey
		copy(pk[:], b)
		e.Pubkey = &pk
	}
	u.User = nil
	e.URL = strings.TrimRight(u.String(), "/")
	return e, nil
}

// relayClient is one relay with one HTTP client per operation, each with
// its own timeout (a slow payload reveal must not share getHeader's).
type relayClient struct {
	RelayEntry
	name     string
	header   *http.Client
	payload  *http.Client
	register *http.Client
	status   *http.Client
}

// Timeouts bound each operation against one relay.
type Timeouts struct {
	// Register bounds POST /eth/v1/builder/validators (default 3 s).
	Register time.Duration
	// Payload bounds submitBlindedBlock (default 4 s).
	Payload time.Duration
	// Status bounds /eth/v1/builder/status (default 1 s).
	Status time.Duration
}

func newRelayClient(e RelayEntry, headerTimeout time.Duration, t Timeouts, rt http.RoundTripper) *relayClient {
	u, _ := url.Parse(e.URL)
	return &relayClient{
		RelayEntry: e,
		name:       u.Host,
		header:     &http.Client{Timeout: headerTimeout, Transport: rt},
		payload:    &http.Client{Timeout: t.Payload, Transport: rt},
		register:   &http.Client{Timeout: t.Register, Transport: rt},
		status:     &http.Client{Timeout: t.Status, Transport: rt},
	}
}

// answer is a relay's HTTP answer.
type answer struct {
	code   int
	header http.Header
	body   []byte
}

// do sends one request with c and reads the answer; any status is returned
// as is, transport failures as ErrRelay.
func (r *relayClient) do(ctx context.Context, c *http.Client, method, path string, body []byte, hdr http.Header) (*answer, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.URL+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRelay, r.name, err)
	}
	for k, vs := range hdr {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRelay, r.name, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxRelayAnswer))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: read answer: %w", ErrRelay, r.name, err)
	}
	return &answer{code: resp.StatusCode, header: resp.Header, body: b}, nil
}
