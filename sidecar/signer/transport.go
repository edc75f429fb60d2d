package signer

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Remote is how a remote signer is reached.
type Remote struct {
	// URL is the signer's http(s)://host[:port][/path], without credentials
	// (they would end up in logs); for Clef also the path of its clef.ipc.
	URL string
	// TLS configures https: nil uses the system's roots and no client
	// certificate (TLSConfig builds one from PEM files).
	TLS *tls.Config
	// BearerToken, when set, goes in every request's Authorization header
	// (a signer behind an authenticating proxy). Never logged.
	BearerToken string
	// Timeout bounds one HTTP exchange; zero sets no bound of its own (the
	// call's context bounds it). blssigner reads zero as its DefaultTimeout.
	Timeout time.Duration
}

// TLSConfig builds a client TLS configuration: caPEM, when given, is the
// only set of roots trusted; certPEM and keyPEM, when given, are the client
// certificate presented to the signer (Web3Signer's --tls-known-clients-file
// or --tls-allow-ca-clients).
func TLSConfig(caPEM, certPEM, keyPEM []byte) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(caPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, fmt.Errorf("%w: the CA file holds no PEM certificate", ErrConfig)
		}
		cfg.RootCAs = pool
	}
	switch {
	case len(certPEM) > 0 && len(keyPEM) > 0:
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("%w: client certificate: %w", ErrConfig, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	case len(certPEM) > 0 || len(keyPEM) > 0:
		return nil, fmt.Errorf("%w: a client certificate needs both the certificate and its key", ErrConfig)
	}
	return cfg, nil
}

// MaxAnswer bounds what is read of a signer's answer.
const MaxAnswer = 1 << 20

// Client is one remote signer's HTTP side: its base URL, TLS and bearer
// token. It is safe for concurrent use.
type Client struct {
	base  string // scheme://host[:port][/path], no trailing slash
	token string
	http  *http.Client
}

// NewClient checks r's URL (http or https, no credentials, no query) and
// builds its client. It does no I/O.
func NewClient(r Remote) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: signer URL: want http(s)://host[:port]", ErrConfig)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: signer URL %s://%s carries credentials: give them as a bearer token instead", ErrConfig, u.Scheme, u.Host)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: signer URL has a query or fragment", ErrConfig)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if r.TLS != nil {
		tr.TLSClientConfig = r.TLS.Clone()
	}
	return &Client{
		base:  strings.TrimRight(u.String(), "/"),
		token: r.BearerToken,
		http:  &http.Client{Timeout: r.Timeout, Transport: tr},
	}, nil
}

// URL is the signer's base URL, without credentials: for names and logs.
func (c *Client) URL() string { return c.base }

// HTTP is the client's http.Client (TLS and timeout as configured, no
// bearer token), for a JSON-RPC client on the same endpoint.
func (c *Client) HTTP() *http.Client { return c.http }

// Do sends one request to the base URL + path and returns the answer's
// status and at most MaxAnswer bytes of its body. The request carries the
// bearer token and, with a body, Content-Type application/json; header is
// set after them and may override them. A transport failure is
// ErrUnavailable; the status is the caller's to judge (StatusError).
func (c *Client) Do(ctx context.Context, method, path string, body []byte, header http.Header) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s %s: %w", ErrUnavailable, method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s %s: %w", ErrUnavailable, method, path, Scrub(err))
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s %s: read answer: %w", ErrUnavailable, method, path, err)
	}
	return resp.StatusCode, answer, nil
}

// Scrub drops the request URL from a client error (it holds none of our
// secrets, but a url.Error repeats the method and URL the caller already
// says).
func Scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// StatusError maps a non-2xx answer to a sentinel: 404 ErrUnknownKey (the
// caller may refine it), 408, 429 and 5xx ErrUnavailable, other 4xx
// ErrRefused. The answer's text is quoted, shortened.
func StatusError(method, path string, status int, body []byte) error {
	var sentinel error
	switch {
	case status == http.StatusNotFound:
		sentinel = ErrUnknownKey
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		sentinel = ErrUnavailable
	default:
		sentinel = ErrRefused
	}
	return fmt.Errorf("%w: %s %s: %d %s: %q", sentinel, method, path, status, http.StatusText(status), errorText(body))
}

// errorText is the message of an error body: JSON {"message"} (Commit-Boost,
// Web3Signer), {"error": "…"} or {"error": {"message"}} (a proxy, a JSON-RPC
// server), else the text itself, as Commit-Boost and Web3Signer often send.
func errorText(body []byte) string {
	var j struct {
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &j) == nil {
		if j.Message != "" {
			return Truncate(j.Message)
		}
		switch e := j.Error.(type) {
		case string:
			if e != "" {
				return Truncate(e)
			}
		case map[string]any:
			if m, ok := e["message"].(string); ok && m != "" {
				return Truncate(m)
			}
		}
	}
	return Truncate(strings.TrimSpace(string(body)))
}

// Truncate shortens s, a signer's words quoted in an error, to 200 bytes.
func Truncate(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
