package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// TestServeDrainsInFlightRequests stops the server while a promise is being
// made: the request must still be answered, and Serve must wait for it.
func TestServeDrainsInFlightRequests(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	release := make(chan struct{})
	be := &fakeBackend{request: func(ctx context.Context, _ protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
		close(entered)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return testSigned, nil
	}}
	ts := newTestServer(t, be, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- ts.Serve(ctx, ln) }()

	url := "http://" + ln.Addr().String() + "/"
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Post(url, "application/json", strings.NewReader(call("commitmentRequest", "["+requestJSON(1, []byte{0xc0}, testSlasher)+"]")))
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, string(b), err}
	}()
	<-entered
	stop()
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	a := <-answered
	if a.err != nil || a.status != http.StatusOK || !strings.Contains(a.body, `"result"`) {
		t.Fatalf("in-flight request: %+v", a)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/livez"); err == nil {
		t.Fatal("server still accepts after shutdown")
	}
}

// TestServeCancelsCallsAfterShutdownTimeout: a call that outlives the drain
// window is canceled and Serve reports the unclean stop.
func TestServeCancelsCallsAfterShutdownTimeout(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	be := &fakeBackend{request: func(ctx context.Context, _ protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
		close(entered)
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	ts := newTestServer(t, be, func(c *Config) { c.ShutdownTimeout = 50 * time.Millisecond })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- ts.Serve(ctx, ln) }()
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/", "application/json",
			strings.NewReader(call("commitmentRequest", "["+requestJSON(1, []byte{0xc0}, testSlasher)+"]")))
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	stop()
	select {
	case err := <-served:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Serve: %v, want the drain deadline", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not give up on the stuck call")
	}
}

func TestRunReportsListenError(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{}, nil)
	if err := ts.Run(context.Background(), "256.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "listen on 256.0.0.1:0") {
		t.Fatalf("Run: %v", err)
	}
}
