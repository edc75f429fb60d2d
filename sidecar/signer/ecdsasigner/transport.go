package ecdsasigner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

// Remote is how a remote signer is reached (signer.Remote): for Clef, URL
// may also be the path of its clef.ipc.
type Remote = signer.Remote

// TLSConfig builds Remote.TLS from the CA, client certificate and key PEM
// files (signer.TLSConfig).
var TLSConfig = signer.TLSConfig

// rpcOptions are the JSON-RPC client options of an HTTP signer: its client
// (TLS; each call's context carries the Signer's timeout) and its bearer
// token.
func rpcOptions(c *signer.Client, r Remote) []rpc.ClientOption {
	opts := []rpc.ClientOption{rpc.WithHTTPClient(c.HTTP())}
	if r.BearerToken != "" {
		opts = append(opts, rpc.WithHeader("Authorization", "Bearer "+r.BearerToken))
	}
	return opts
}

// rpcConn dials a JSON-RPC endpoint on first use: New does no I/O, and an
// IPC endpoint (Clef's clef.ipc) connects when dialled.
type rpcConn struct {
	target string
	opts   []rpc.ClientOption

	mu sync.Mutex
	c  *rpc.Client
}

func (r *rpcConn) client(ctx context.Context) (*rpc.Client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.c != nil {
		return r.c, nil
	}
	c, err := rpc.DialOptions(ctx, r.target, r.opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: dial: %w", ErrUnavailable, err)
	}
	r.c = c
	return c, nil
}

// call makes one JSON-RPC call and maps its failure to a sentinel: a
// JSON-RPC error is the signer's answer (refused, or unknown key), an HTTP
// status is mapped as signer.StatusError does, anything else is the transport.
// The result is left raw for the caller to decode (ErrMalformed).
func (r *rpcConn) call(ctx context.Context, method string, args ...any) (json.RawMessage, error) {
	c, err := r.client(ctx)
	if err != nil {
		return nil, err
	}
	var res json.RawMessage
	err = c.CallContext(ctx, &res, method, args...)
	if err == nil {
		if len(res) == 0 || string(res) == "null" {
			return nil, fmt.Errorf("%w: %s: empty result", ErrMalformed, method)
		}
		return res, nil
	}
	var (
		rpcErr  rpc.Error
		httpErr rpc.HTTPError
		synErr  *json.SyntaxError
		typErr  *json.UnmarshalTypeError
		netErr  net.Error
	)
	switch {
	case errors.As(err, &httpErr):
		return nil, signer.StatusError(http.MethodPost, method, httpErr.StatusCode, httpErr.Body)
	case errors.As(err, &rpcErr):
		msg := signer.Truncate(rpcErr.Error())
		if strings.Contains(strings.ToLower(msg), "unknown account") || strings.Contains(strings.ToLower(msg), "not an unlocked account") {
			return nil, fmt.Errorf("%w: %s: %d %q", ErrUnknownKey, method, rpcErr.ErrorCode(), msg)
		}
		return nil, fmt.Errorf("%w: %s: %d %q", ErrRefused, method, rpcErr.ErrorCode(), msg)
	case errors.As(err, &synErr), errors.As(err, &typErr):
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, method, err)
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("%w: %s: %w", ErrUnavailable, method, signer.Scrub(err))
	default:
		// The rpc client's own words for an answer it could not read
		// ("no result in JSON-RPC response", a closed connection).
		return nil, fmt.Errorf("%w: %s: %w", ErrUnavailable, method, signer.Scrub(err))
	}
}
