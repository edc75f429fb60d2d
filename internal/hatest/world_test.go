package hatest

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/devnettest"
)

const slotDuration = 2 * time.Second

// world is a running devnet with the Pledge contracts deployed, one
// operator registered with the devnet's one validator (every slot is ours),
// and everything `pledge sidecar` needs on disk.
type world struct {
	net      *devnet.Network
	el       *ethclient.Client
	chainID  *big.Int
	k        *deploy.Contracts
	operator common.Address
	senders  []*ecdsa.PrivateKey
	dir      string
	args     []string // `pledge sidecar` flags common to every sidecar
}

func startWorld(t *testing.T, dsn string, senders int) *world {
	t.Helper()
	dw := devnettest.Start(t, devnettest.Options{
		Network: devnet.Config{
			SlotDuration: slotDuration, Validators: 1, FundedAccounts: 2 + senders,
			// The builder proxy answers within its hard timeout (800 ms).
			BuilderTimeout: 1500 * time.Millisecond,
		},
		Registered: []int{0},
	})
	n, k := dw.Net, dw.Contracts

	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	vb := n.Validators()[0].SecretKey.Bytes()
	secret := n.EL().JWTSecret()
	w := &world{
		net: n, el: dw.EL, chainID: dw.ChainID, k: k,
		operator: dw.Operator,
		senders:  dw.Senders,
		dir:      dir,
	}
	// Both sidecars hold the same validator key and the same committer, and
	// share one promise store: two sidecars of one operator.
	w.args = []string{
		"--log-format", "json", "--log-level", "info",
		"sidecar",
		"--beacon-url", n.BeaconURL(),
		"--execution-url", n.EL().HTTPEndpoint(),
		"--registry", k.Registry.Hex(),
		"--slasher", k.Slasher.Hex(),
		"--operator", w.operator.Hex(),
		"--validator-keys", write("validator.key", hex.EncodeToString(vb[:])),
		"--committer-key", write("committer.key", hex.EncodeToString(crypto.FromECDSA(dw.CommitterKey))),
		"--slash-window", fmt.Sprint(dw.Params.SlashWindow),
		"--rate-limit", "0",
		"--poll-interval", "250ms",
		"--store", dsn,
		"--store-sync-interval", "500ms",
		// Builder mode with no relay: the sidecar's own fallback block,
		// built through the devnet's engine API, carries the promises.
		"--engine-url", n.EL().EngineEndpoint(),
		"--jwt-secret", write("jwt.hex", hex.EncodeToString(secret[:])),
		"--fee-recipient", "0x000000000000000000000000000000000000fee5",
		"--builder-soft-timeout", "300ms",
		"--builder-hard-timeout", "800ms",
	}
	return w
}

// binDir holds the pledge binary; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildPledge compiles the pledge binary once per test binary run.
var buildPledge = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "pledge-hatest-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "pledge")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/pledge").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./cmd/pledge: %v\n%s", err, out)
	}
	return bin, nil
})

// sidecarProc is `pledge sidecar` running as a child process.
type sidecarProc struct {
	name       string
	cmd        *exec.Cmd
	url        string // user API
	builderURL string // builder API, the proposer's builder endpoint
	log        *lockedBuffer
	exited     chan struct{}
}

// lockedBuffer is a log sink shared by a child's output copier and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail(lines int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	all := strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startSidecar starts a sidecar process and waits until it sells (/readyz).
func (w *world) startSidecar(t *testing.T, name string) *sidecarProc {
	t.Helper()
	bin, err := buildPledge()
	if err != nil {
		t.Fatal(err)
	}
	listen, builder := freeAddr(t), freeAddr(t)
	p := &sidecarProc{name: name, url: "http://" + listen, builderURL: "http://" + builder, log: &lockedBuffer{}, exited: make(chan struct{})}
	args := append(append([]string(nil), w.args...),
		"--listen", listen, "--builder-listen", builder, "--data-dir", filepath.Join(w.dir, name+"-data"))
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("sidecar %s (pid %d) log, tail:\n%s", p.name, p.cmd.Process.Pid, p.log.tail(60))
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(p.url + "/readyz")
		var body []byte
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("sidecar %s exited before it was ready:\n%s", name, p.log.tail(40))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sidecar %s not ready after 60 s (%v %s):\n%s", name, err, body, p.log.tail(40))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *sidecarProc) kill() error {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-p.exited
	return nil
}

// running says whether the process has not exited.
func (p *sidecarProc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// stop ends the process: SIGTERM, then SIGKILL after 10 s.
func (p *sidecarProc) stop() {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.kill()
	}
}
