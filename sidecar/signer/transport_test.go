package signer_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

func TestStatusError(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300)
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   error
		says   string
	}{
		{name: "404 is an unknown key", status: 404, body: `{"code":404,"message":"Signer not found"}`, want: signer.ErrUnknownKey, says: `"Signer not found"`},
		{name: "500 plain text", status: 500, body: "Internal Server Error\n", want: signer.ErrUnavailable, says: `"Internal Server Error"`},
		{name: "503", status: 503, body: "", want: signer.ErrUnavailable, says: "503 Service Unavailable"},
		{name: "429", status: 429, body: `{"error":"slow down"}`, want: signer.ErrUnavailable, says: `"slow down"`},
		{name: "408", status: 408, body: "", want: signer.ErrUnavailable},
		{name: "401 error string", status: 401, body: `{"error":"bad token"}`, want: signer.ErrRefused, says: `"bad token"`},
		{name: "400 JSON-RPC error object", status: 400, body: `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, want: signer.ErrRefused, says: `"invalid request"`},
		{name: "403 code as a string", status: 403, body: `{"code":"FORBIDDEN","message":"denied"}`, want: signer.ErrRefused, says: `"denied"`},
		{name: "long text is cut", status: 400, body: long, want: signer.ErrRefused, says: `"` + long[:200] + `…"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := signer.StatusError(http.MethodPost, "/sign", tc.status, []byte(tc.body))
			if !errors.Is(err, tc.want) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), "POST /sign") || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%q does not name the call or say %s", err, tc.says)
			}
		})
	}
}

func TestNewClientRefusesBadURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "localhost:9000", "ftp://host", "http://", "http://user:secretpw@host:9000", "http://host?x=1", "http://host#f"} {
		c, err := signer.NewClient(signer.Remote{URL: u})
		if !errors.Is(err, signer.ErrConfig) || c != nil {
			t.Errorf("NewClient(%q) = %v, %v; want ErrConfig", u, c, err)
			continue
		}
		if strings.Contains(err.Error(), "secretpw") {
			t.Errorf("NewClient(%q) repeats the password: %v", u, err)
		}
	}
}

// Do sends the token and the content type, lets the caller's header
// override them, bounds the answer and names a transport failure
// ErrUnavailable.
func TestClientDo(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write([]byte(strings.Repeat("a", signer.MaxAnswer+10)))
	}))
	defer srv.Close()
	c, err := signer.NewClient(signer.Remote{URL: srv.URL + "/", BearerToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	if c.URL() != srv.URL {
		t.Errorf("URL %q, want %q without the trailing slash", c.URL(), srv.URL)
	}
	status, body, err := c.Do(t.Context(), http.MethodPost, "/x", []byte(`{}`), nil)
	if err != nil || status != http.StatusOK || len(body) != signer.MaxAnswer {
		t.Fatalf("Do = %d, %d bytes, %v; want 200 and %d bytes", status, len(body), err, signer.MaxAnswer)
	}
	if got.Get("Authorization") != "Bearer tok" || got.Get("Content-Type") != "application/json" {
		t.Errorf("request header %v: want the bearer token and JSON", got)
	}
	if _, _, err := c.Do(t.Context(), http.MethodGet, "/x", nil, http.Header{"Authorization": {"Bearer jwt"}}); err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "Bearer jwt" || got.Get("Content-Type") != "" {
		t.Errorf("request header %v: want the caller's token and no content type", got)
	}
	srv.Close()
	if _, _, err := c.Do(t.Context(), http.MethodGet, "/x", nil, nil); !errors.Is(err, signer.ErrUnavailable) {
		t.Errorf("Do on a closed server: %v, want ErrUnavailable", err)
	}
}

func TestTLSConfigRefusesHalfACertificate(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func() error{
		"bad CA":           func() error { _, err := signer.TLSConfig([]byte("not pem"), nil, nil); return err },
		"cert without key": func() error { _, err := signer.TLSConfig(nil, []byte("x"), nil); return err },
		"key without cert": func() error { _, err := signer.TLSConfig(nil, nil, []byte("x")); return err },
		"bad pair":         func() error { _, err := signer.TLSConfig(nil, []byte("x"), []byte("y")); return err },
	} {
		if err := f(); !errors.Is(err, signer.ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
}
