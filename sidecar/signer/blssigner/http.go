package blssigner

import (
	"context"
	"net/http"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

// HTTPConfig is how a remote signer is reached (signer.Remote); a zero
// Timeout is DefaultTimeout.
type HTTPConfig = signer.Remote

// TLSConfig builds the TLS configuration of HTTPConfig.TLS from PEM files
// (signer.TLSConfig).
var TLSConfig = signer.TLSConfig

// httpClient is one remote signer's HTTP side, asking for JSON answers.
type httpClient struct{ *signer.Client }

func newHTTPClient(cfg HTTPConfig) (httpClient, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	c, err := signer.NewClient(cfg)
	return httpClient{c}, err
}

// do sends one request; bearer replaces the configured token when not
// empty. A transport failure is ErrUnavailable; the status is the caller's.
func (c httpClient) do(ctx context.Context, method, path string, body []byte, bearer string) (int, []byte, error) {
	header := http.Header{"Accept": {"application/json"}}
	if bearer != "" {
		header.Set("Authorization", "Bearer "+bearer)
	}
	return c.Do(ctx, method, path, body, header)
}
