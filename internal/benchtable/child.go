package benchtable

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
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

// startChild starts `<pledge> sidecar` with the world's keys and contracts
// and makes it the devnet's builder (so its promised txs land and loads
// can run across slots), in place of the in-process sidecar.
func (w *world) startChild(ctx context.Context, pledge string) (*childSidecar, error) {
	if pledge == "" {
		return nil, fmt.Errorf("%w: no pledge binary to run `pledge sidecar` from", ErrBenchmark)
	}
	dir := filepath.Join(w.dataDir, "child")
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
	builder, err := freeAddr()
	if err != nil {
		return nil, err
	}
	c := &childSidecar{url: "http://" + listen, log: &tailBuffer{max: 8 << 10}}
	c.cmd = exec.Command(pledge,
		"--log-format", "json", "--log-level", "warn",
		"sidecar",
		"--beacon-url", w.net.BeaconURL(),
		"--execution-url", w.net.EL().HTTPEndpoint(),
		"--registry", w.registry.Hex(),
		"--slasher", w.slasher.Hex(),
		"--operator", w.operator.Hex(),
		"--data-dir", filepath.Join(dir, "data"),
		"--validator-keys", paths["validator.key"],
		"--committer-key", paths["committer.key"],
		"--listen", listen,
		"--gas-budget", strconv.Itoa(worldGasLimit),
		"--fee-slope", "0",
		"--slash-window", "8000",
		"--rate-limit", "0",
		"--poll-interval", "500ms",
		"--builder-listen", builder,
		"--engine-url", w.net.EL().EngineEndpoint(),
		"--jwt-secret", paths["jwt.hex"],
		"--fee-recipient", "0xfee0000000000000000000000000000000000000",
		"--builder-soft-timeout", "600ms",
		"--builder-hard-timeout", "1200ms",
	)
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s sidecar: %w", pledge, err)
	}
	if err := waitReady(ctx, c.url+"/readyz", 45*time.Second); err != nil {
		c.stop()
		return nil, fmt.Errorf("pledge sidecar: %w; its log ends: %s", err, c.log.String())
	}
	w.net.SetBuilderURL("http://" + builder)
	return c, nil
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
