// Package mevboost runs the real flashbots mev-boost binary as a subprocess on
// loopback, for interop tests against `pledge relay`. The binary is built by
// scripts/build-mevboost.sh at the pinned Version; tests find it through the
// PLEDGE_MEVBOOST environment variable and skip when it is unset.
//
// The flags passed are those of mev-boost v1.12.0 (cli/flags.go): -addr,
// -genesis-fork-version, -genesis-timestamp, -config (relays and the getHeader
// deadlines, which have no flag), -request-timeout-*, -request-max-retries,
// -relay-check and -loglevel; the slot length is read from SLOT_SEC.
package mevboost

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"
)

// Version is the mev-boost release this package speaks to.
const Version = "v1.12.0"

// EnvBinary names the environment variable holding the built binary's path
// (PLEDGE_MEVBOOST=$(scripts/build-mevboost.sh)).
const EnvBinary = "PLEDGE_MEVBOOST"

// Sentinel errors.
var (
	// ErrNoBinary is returned when no mev-boost binary is configured or found.
	ErrNoBinary = errors.New("no mev-boost binary")
	// ErrConfig is returned for a Config mev-boost would refuse.
	ErrConfig = errors.New("invalid mev-boost config")
	// ErrNotReady is returned when mev-boost exits or does not answer its
	// status endpoint within the start timeout.
	ErrNotReady = errors.New("mev-boost did not become ready")
)

// Config is one mev-boost instance on a custom network. Zero optional
// fields keep mev-boost's own defaults.
type Config struct {
	// Binary is the mev-boost executable (required).
	Binary string
	// Listen is host:port; empty picks a free loopback port.
	Listen string
	// RelayURLs are relays as mev-boost wants them: scheme://0xPUBKEY@host:port
	// (see RelayURL). At least one is required.
	RelayURLs []string
	// GenesisForkVersion and GenesisTime define the network: mev-boost
	// checks relay bid signatures under the builder domain of the fork
	// version and places slots in time from the genesis (whole seconds).
	GenesisForkVersion phase0.Version
	GenesisTime        time.Time
	// SecondsPerSlot (default 12) is passed as SLOT_SEC.
	SecondsPerSlot uint64
	// LateInSlot is how far into a slot mev-boost still asks relays for
	// headers (mev-boost's default: 2 s); later getHeader calls get 204.
	LateInSlot time.Duration
	// TimeoutGetHeader, TimeoutGetPayload and TimeoutRegisterValidator are
	// the per-request relay timeouts (defaults 950 ms, 4 s, 3 s).
	TimeoutGetHeader         time.Duration
	TimeoutGetPayload        time.Duration
	TimeoutRegisterValidator time.Duration
	// MaxRetries caps getPayload retries per relay (default 5).
	MaxRetries int
	// RelayCheck makes the status endpoint answer 503 unless a relay is up.
	RelayCheck bool
	// LogLevel is mev-boost's -loglevel (default info).
	LogLevel string
	// Output receives mev-boost's stdout and stderr; nil discards them
	// (the last lines still appear in start errors).
	Output io.Writer
	// StartTimeout bounds the wait for the status endpoint (default 15 s).
	StartTimeout time.Duration
}

// Process is a running mev-boost.
type Process struct {
	url    string
	cancel context.CancelFunc
	done   chan struct{}
	err    error // Wait's result, set before done closes
	dir    string
	tail   *tailBuffer
	stop   sync.Once
}

// BinaryFromEnv returns the mev-boost path in PLEDGE_MEVBOOST. It returns
// ErrNoBinary when the variable is unset, and an error naming the path when
// it is set but not an executable file.
func BinaryFromEnv() (string, error) {
	p := os.Getenv(EnvBinary)
	if p == "" {
		return "", fmt.Errorf("%w: %s is unset (build it with scripts/build-mevboost.sh and set %s to the path it prints)", ErrNoBinary, EnvBinary, EnvBinary)
	}
	if err := checkExecutable(p); err != nil {
		return "", fmt.Errorf("%s: %w", EnvBinary, err)
	}
	return p, nil
}

func checkExecutable(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoBinary, err)
	}
	if st.IsDir() || st.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%w: %s is not an executable file", ErrNoBinary, p)
	}
	return nil
}

// RelayURL returns base (http://host:port) with the relay's pubkey as the
// URL user, the form mev-boost's -relay takes.
func RelayURL(base string, pubkey phase0.BLSPubKey) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: relay URL %q is not an absolute http(s) URL", ErrConfig, base)
	}
	if pubkey == (phase0.BLSPubKey{}) {
		return "", fmt.Errorf("%w: relay %s has no pubkey", ErrConfig, base)
	}
	u.User = url.User(pubkey.String())
	return u.String(), nil
}

// Start runs mev-boost with cfg and returns once its status endpoint answers
// 200. The process ends with Stop, or when ctx ends.
func Start(ctx context.Context, cfg Config) (*Process, error) {
	args, err := cfg.args()
	if err != nil {
		return nil, err
	}
	if err := checkExecutable(cfg.Binary); err != nil {
		return nil, err
	}
	listen := cfg.Listen
	if listen == "" {
		if listen, err = freeLoopbackAddr(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "pledge-mevboost-")
	if err != nil {
		return nil, fmt.Errorf("mev-boost config dir: %w", err)
	}
	configPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(configPath, cfg.configYAML(), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write mev-boost config: %w", err)
	}
	args = append(args, "-addr", listen, "-config", configPath)

	pctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(pctx, cfg.Binary, args...)
	// mev-boost reads many settings from the environment (RELAYS,
	// GENESIS_FORK_VERSION, BOOST_LISTEN_ADDR, ...): start it with only the
	// ones chosen here so the caller's shell cannot change the network.
	slotSec := cfg.SecondsPerSlot
	if slotSec == 0 {
		slotSec = 12
	}
	cmd.Env = []string{"SLOT_SEC=" + strconv.FormatUint(slotSec, 10)}
	tail := &tailBuffer{max: 8 << 10}
	var out io.Writer = tail
	if cfg.Output != nil {
		out = io.MultiWriter(tail, cfg.Output)
	}
	cmd.Stdout, cmd.Stderr = out, out
	// Stop asks for a clean exit first; Wait kills it if that takes too long.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start mev-boost: %w", err)
	}
	p := &Process{url: "http://" + listen, cancel: cancel, done: make(chan struct{}), dir: dir, tail: tail}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()

	timeout := cfg.StartTimeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	if err := p.waitReady(ctx, timeout); err != nil {
		_ = p.Stop()
		return nil, err
	}
	return p, nil
}

// URL is mev-boost's Builder API base URL.
func (p *Process) URL() string { return p.url }

// Output returns the last few KiB mev-boost wrote.
func (p *Process) Output() string { return p.tail.String() }

// Stop ends mev-boost (SIGTERM, then SIGKILL after 5 s) and removes its
// config. It returns an error only if mev-boost had already failed on its own.
func (p *Process) Stop() error {
	var err error
	p.stop.Do(func() {
		select {
		case <-p.done:
			// It exited by itself: that is a failure worth reporting.
			if p.err != nil {
				err = fmt.Errorf("mev-boost exited: %w: %s", p.err, lastLine(p.tail.String()))
			}
		default:
		}
		p.cancel()
		<-p.done
		os.RemoveAll(p.dir)
	})
	return err
}

// waitReady polls GET /eth/v1/builder/status until 200.
func (p *Process) waitReady(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last string
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+"/eth/v1/builder/status", nil)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotReady, err)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrNotReady, ctx.Err())
		case <-p.done:
			return fmt.Errorf("%w: exited (%v): %s", ErrNotReady, p.err, lastLine(p.tail.String()))
		case <-deadline.C:
			return fmt.Errorf("%w: no 200 from %s/eth/v1/builder/status in %s (last: %s)", ErrNotReady, p.url, timeout, last)
		case <-tick.C:
		}
	}
}

// args checks cfg and returns the command line (without -addr and -config).
func (cfg Config) args() ([]string, error) {
	if cfg.Binary == "" {
		return nil, fmt.Errorf("%w: Binary is empty", ErrNoBinary)
	}
	if len(cfg.RelayURLs) == 0 {
		return nil, fmt.Errorf("%w: no relay", ErrConfig)
	}
	for _, r := range cfg.RelayURLs {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" || u.User.Username() == "" {
			return nil, fmt.Errorf("%w: relay %q is not scheme://0xPUBKEY@host:port", ErrConfig, r)
		}
		if strings.ContainsAny(r, "\"\n") {
			return nil, fmt.Errorf("%w: relay %q has a quote or newline", ErrConfig, r)
		}
	}
	if cfg.GenesisTime.IsZero() || cfg.GenesisTime.Unix() <= 0 {
		return nil, fmt.Errorf("%w: no genesis time", ErrConfig)
	}
	args := []string{
		"-genesis-fork-version", fmt.Sprintf("%#x", cfg.GenesisForkVersion[:]),
		"-genesis-timestamp", strconv.FormatInt(cfg.GenesisTime.Unix(), 10),
	}
	for _, t := range []struct {
		flag string
		d    time.Duration
	}{
		{"-request-timeout-getpayload", cfg.TimeoutGetPayload},
		{"-request-timeout-regval", cfg.TimeoutRegisterValidator},
	} {
		if t.d < 0 {
			return nil, fmt.Errorf("%w: %s is negative", ErrConfig, t.flag)
		}
		if t.d > 0 {
			args = append(args, t.flag, strconv.FormatInt(t.d.Milliseconds(), 10))
		}
	}
	if cfg.TimeoutGetHeader < 0 || cfg.LateInSlot < 0 || cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("%w: negative timeout or retries", ErrConfig)
	}
	if cfg.MaxRetries > 0 {
		args = append(args, "-request-max-retries", strconv.Itoa(cfg.MaxRetries))
	}
	if cfg.RelayCheck {
		args = append(args, "-relay-check")
	}
	if cfg.LogLevel != "" {
		args = append(args, "-loglevel", cfg.LogLevel)
	}
	return args, nil
}

// configYAML is mev-boost's -config file: the relays, and the getHeader
// timeout and late-in-slot deadline, which only the file can set. A zero
// value there means mev-boost's default.
func (cfg Config) configYAML() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "timeout_get_header_ms: %d\n", cfg.TimeoutGetHeader.Milliseconds())
	fmt.Fprintf(&b, "late_in_slot_time_ms: %d\n", cfg.LateInSlot.Milliseconds())
	b.WriteString("relays:\n")
	for _, r := range cfg.RelayURLs {
		fmt.Fprintf(&b, "  - url: %q\n", r)
	}
	return b.Bytes()
}

// freeLoopbackAddr returns a loopback address with a port that was free a
// moment ago (mev-boost takes no listener, so the port is closed and reused;
// another process could take it in between, which Start then reports).
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("pick a port for mev-boost: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("pick a port for mev-boost: %w", err)
	}
	return addr, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// lastLine is the last non-empty line of s (mev-boost's fatal message).
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
