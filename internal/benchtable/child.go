package benchtable

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

// childSidecar is `pledge sidecar` running as a child process on the
// world's devnet, so its memory is its own: the in-process world also
// holds geth, whose chain grows with every landed promise.
type childSidecar struct {
	cmd *exec.Cmd
	url string
	log *tailBuffer
}

// childOptions shape one child sidecar.
type childOptions struct {
	// name is its directory under the world's (a fresh store each).
	name string
	// rateLimit is --rate-limit: calls per second per client IP; 0 none.
	rateLimit float64
	// builder makes it the devnet's builder, with its local fallback block
	// and no relays: its promised txs land in their slot, so senders'
	// nonces move on and a load can run across slots. Without, it only
	// sells promises (the devnet's proposer builds its own blocks).
	builder bool
	// committer, when set, replaces --committer-key: the flags of a remote
	// committer signer (the key stays in the signer).
	committer []string
	// store is --store (a postgres:// DSN); empty: Pebble in its directory.
	store string
}

// startChild starts `<pledge> sidecar` with the world's keys and contracts.
func (w *world) startChild(ctx context.Context, pledge string, opts childOptions) (*childSidecar, error) {
	if pledge == "" {
		return nil, fmt.Errorf("%w: no pledge binary to run `pledge sidecar` from", ErrBenchmark)
	}
	dir := filepath.Join(w.dataDir, opts.name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	write := func(name, text string) (string, error) {
		p := filepath.Join(dir, name)
		return p, os.WriteFile(p, []byte(text), 0o600)
	}
	vb := w.net.Validators()[0].SecretKey.Bytes()
	secret := w.net.EL().JWTSecret()
	files := map[string]string{
		"validator.key": hex.EncodeToString(vb[:]),
		"committer.key": hex.EncodeToString(crypto.FromECDSA(w.committer)),
		"jwt.hex":       hex.EncodeToString(secret[:]),
	}
	paths := map[string]string{}
	for name, text := range files {
		p, err := write(name, text)
		if err != nil {
			return nil, err
		}
		paths[name] = p
	}
	listen, err := freeAddr()
	if err != nil {
		return nil, err
	}
	c := &childSidecar{url: "http://" + listen, log: &tailBuffer{max: 8 << 10}}
	args := []string{
		"--log-format", "json", "--log-level", "warn",
		"sidecar",
		"--beacon-url", w.net.BeaconURL(),
		"--execution-url", w.net.EL().HTTPEndpoint(),
		"--registry", w.registry.Hex(),
		"--slasher", w.slasher.Hex(),
		"--operator", w.operator.Hex(),
		"--data-dir", filepath.Join(dir, "data"),
		"--validator-keys", paths["validator.key"],
		"--listen", listen,
		"--gas-budget", strconv.Itoa(worldGasLimit),
		"--fee-slope", "0",
		"--slash-window", "8000",
		"--rate-limit", strconv.FormatFloat(opts.rateLimit, 'g', -1, 64),
		"--poll-interval", "500ms",
	}
	if len(opts.committer) > 0 {
		args = append(args, opts.committer...)
	} else {
		args = append(args, "--committer-key", paths["committer.key"])
	}
	if opts.store != "" {
		args = append(args, "--store", opts.store)
	}
	var builder string
	if opts.builder {
		if builder, err = freeAddr(); err != nil {
			return nil, err
		}
		args = append(args,
			"--builder-listen", builder,
			"--engine-url", w.net.EL().EngineEndpoint(),
			"--jwt-secret", paths["jwt.hex"],
			"--fee-recipient", "0xfee0000000000000000000000000000000000000",
			"--builder-soft-timeout", "600ms",
			"--builder-hard-timeout", "1200ms",
		)
	}
	if p := os.Getenv("PLEDGE_BENCH_CHILD_PPROF"); p != "" {
		args = append(args, "--pprof-listen", p) // for whoever profiles a row by hand
	}
	c.cmd = exec.Command(pledge, args...)
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s sidecar: %w", pledge, err)
	}
	if err := waitReady(ctx, c.url+"/readyz", 45*time.Second); err != nil {
		c.stop()
		return nil, fmt.Errorf("pledge sidecar: %w; its log ends: %s", err, c.log.String())
	}
	if opts.builder {
		w.net.SetBuilderURL("http://" + builder)
	}
	return c, nil
}

// cpu returns the child's user plus system CPU time so far
// (/proc/PID/stat, in clock ticks of 1/100 s).
func (c *childSidecar) cpu() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("read the sidecar's stat: %w", err)
	}
	// The command name (field 2) may hold spaces; fields count from its ')'.
	i := bytes.LastIndexByte(data, ')')
	f := strings.Fields(string(data[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("stat %.80q: %w", data, ErrUnreadable)
	}
	var ticks uint64
	for _, s := range f[11:13] { // utime, stime: fields 14 and 15
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat field %q: %w", s, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

func (c *childSidecar) stop() {
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
}

// status reads VmRSS and VmHWM (peak) of the child, in bytes.
func (c *childSidecar) status() (rss, peak uint64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, 0, fmt.Errorf("read the sidecar's status: %w", err)
	}
	if rss, err = statusKB(string(data), "VmRSS:"); err != nil {
		return 0, 0, err
	}
	peak, err = statusKB(string(data), "VmHWM:")
	return rss, peak, err
}

// statusKB reads one "Key:   123 kB" line of a /proc status file, in bytes.
func statusKB(status, key string) (uint64, error) {
	for line := range strings.SplitSeq(status, "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(v)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("%s %q: %w", key, v, ErrUnreadable)
			}
			kb, err := strconv.ParseUint(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s %q: %w", key, v, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("no %s in the status file: %w", key, ErrUnreadable)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if extra := t.buf.Len() - t.max; extra > 0 {
		t.buf.Next(extra)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// admissionHist reads the child's pledge_admission_request_seconds buckets
// of accepted requests from /metrics: upper bound (s) → cumulative count.
// The bounds are the engine's: the row needs 1 ms among them.
func (c *childSidecar) admissionHist(ctx context.Context) (map[float64]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read the sidecar's metrics: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("read the sidecar's metrics: %w", err)
	}
	const prefix = `pledge_admission_request_seconds_bucket{accepted="true",le="`
	out := map[float64]float64{}
	for line := range strings.SplitSeq(string(body), "\n") {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		le, count, ok := strings.Cut(rest, `"} `)
		if !ok {
			return nil, fmt.Errorf("metrics line %q: %w", line, ErrUnreadable)
		}
		bound, err := strconv.ParseFloat(le, 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(count), 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		out[bound] = n
	}
	return out, nil // empty before the first accepted request
}

// histSummary describes the requests between two histogram reads: the
// share answered within 1 ms inside the sidecar and the bucket bound under
// which 99 % were.
func histSummary(before, after map[float64]float64) string {
	bounds := make([]float64, 0, len(after))
	for b := range after {
		bounds = append(bounds, b)
	}
	slices.Sort(bounds)
	total := after[math.Inf(1)] - before[math.Inf(1)]
	if total <= 0 {
		return "no accepted request in the sidecar's histogram"
	}
	p99 := math.Inf(1)
	for _, b := range bounds {
		if (after[b]-before[b])/total >= 0.99 {
			p99 = b
			break
		}
	}
	within := (after[1e-3] - before[1e-3]) / total
	return fmt.Sprintf("inside the sidecar (pledge_admission_request_seconds): %.1f%% within 1 ms, p99 <= %s",
		100*within, time.Duration(p99*float64(time.Second)))
}
