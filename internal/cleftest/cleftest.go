// Package cleftest runs go-ethereum's Clef, the real binary, on loopback for
// tests: headless, the way an operator runs it unattended (docs: signers).
// The binary comes from scripts/build-clef.sh (cached in .tools; the first
// build takes about a minute and a half), or from PLEDGE_CLEF when set.
//
// Unattended Clef is its own setup, done here with Clef's own commands fed
// on stdin: `clef init` (a master seed, encrypted with a master password),
// the key imported into a keystore, `clef setpw` (the account's password
// in Clef's encrypted credential store), a rules file approving the
// account's transactions and its listing and rejecting everything else,
// `clef attest` (the rules file's hash), and then `clef --rules` with the
// master password on stdin. Clef then answers account_* calls with no
// prompt.
package cleftest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
)

// EnvBinary names the variable that may hold a built Clef's path.
const EnvBinary = "PLEDGE_CLEF"

// Passwords of the throwaway setup (Clef wants at least 10 characters).
const (
	masterPassword  = "master-password-of-the-test"
	accountPassword = "account-password-of-the-test"
)

// DefaultRules approve the transactions and the listing Clef is asked for
// and reject every data signature: what Pledge needs of it, nothing more.
// An operator's rules name the accounts and the contracts too (docs).
const DefaultRules = `
function ApproveListing() { return "Approve" }
function ApproveTx(r) { return "Approve" }
function ApproveSignData(r) { return "Reject" }
`

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Binary returns Clef's path: PLEDGE_CLEF, or what scripts/build-clef.sh
// builds (once per test binary). If the script fails the test is skipped
// with the script's words, or fails under CI=true: it is never skipped
// silently.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvBinary); p != "" {
		return p
	}
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		script := filepath.Join(filepath.Dir(file), "..", "..", "scripts", "build-clef.sh")
		cmd := exec.Command(script)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			buildErr = fmt.Errorf("scripts/build-clef.sh: %w\n%s", err, lastLines(stderr.String(), 10))
			return
		}
		buildPath = strings.TrimSpace(string(out))
	})
	if buildErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("needs the real Clef, and it could not be built: %v", buildErr)
		}
		t.Skipf("needs the real Clef, and it could not be built (set %s to a clef binary to run it): %v", EnvBinary, buildErr)
	}
	return buildPath
}

// Options shape one Clef.
type Options struct {
	// ChainID is Clef's --chainid: the only chain it signs for (default 1337).
	ChainID uint64
	// Rules is the rules file's JavaScript (default DefaultRules).
	Rules string
}

// Clef is one running Clef holding one key.
type Clef struct {
	// URL is its HTTP endpoint, http://127.0.0.1:port.
	URL string
	// Address is the account it holds.
	Address common.Address
}

// Start runs a Clef holding key, set up headless as the package doc says,
// until the test ends.
func Start(t testing.TB, key *ecdsa.PrivateKey, o Options) *Clef {
	t.Helper()
	bin := Binary(t)
	if o.ChainID == 0 {
		o.ChainID = 1337
	}
	if o.Rules == "" {
		o.Rules = DefaultRules
	}
	dir := t.TempDir()
	cfg, ks := filepath.Join(dir, "config"), filepath.Join(dir, "keystore")
	// Light scrypt: Clef decrypts the keystore at every signature, and the
	// standard parameters cost a second each.
	acct, err := keystore.NewKeyStore(ks, keystore.LightScryptN, keystore.LightScryptP).ImportECDSA(key, accountPassword)
	if err != nil {
		t.Fatalf("import the key into Clef's keystore: %v", err)
	}
	rules := filepath.Join(dir, "rules.js")
	if err := os.WriteFile(rules, []byte(o.Rules), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(o.Rules))
	base := []string{"--suppress-bootwarn", "--configdir", cfg, "--keystore", ks, "--lightkdf", "--loglevel", "3"}
	run := func(stdin string, args ...string) {
		cmd := exec.Command(bin, append(append([]string{}, base...), args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("clef %s: %v\n%s", args[0], err, lastLines(string(out), 10))
		}
	}
	run(masterPassword+"\n"+masterPassword+"\n", "init")
	run(accountPassword+"\n"+accountPassword+"\n"+masterPassword+"\n", "setpw", acct.Address.Hex())
	run(masterPassword+"\n", "attest", hex.EncodeToString(sum[:]))

	cmd := exec.Command(bin, append(append([]string{}, base...),
		"--nousb", "--chainid", strconv.FormatUint(o.ChainID, 10),
		"--http", "--http.addr", "127.0.0.1", "--http.port", "0", "--ipcdisable",
		"--auditlog", "", "--4bytedb-custom", filepath.Join(dir, "4byte.json"), "--rules", rules)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatalf("start clef: %v", err)
	}
	// The master password; stdin then stays open (Clef's CLI would read
	// approvals from it, which the rules make unnecessary).
	if _, err := io.WriteString(stdin, masterPassword+"\n"); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); pw.Close() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		stdin.Close()
	})

	urlRE := regexp.MustCompile(`HTTP endpoint opened\s+url=(http://\S+?)/?(\s|$)`)
	found := make(chan string, 1)
	var (
		mu   sync.Mutex
		tail []string
	)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			tail = append(tail, line)
			if len(tail) > 30 {
				tail = tail[1:]
			}
			mu.Unlock()
			if m := urlRE.FindStringSubmatch(line); m != nil && !sent {
				found <- strings.TrimRight(m[1], "/")
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case u := <-found:
		if !rulesOn(&mu, &tail) {
			// Clef starts without rules when their hash is not attested:
			// every call would then wait on a prompt nobody answers.
			t.Fatalf("Clef started without its rules (every call would wait on a prompt):\n%s", strings.Join(snapshot(&mu, &tail), "\n"))
		}
		return &Clef{URL: u, Address: acct.Address}
	case err := <-exited:
		t.Fatalf("clef exited before serving HTTP: %v\n%s", err, strings.Join(snapshot(&mu, &tail), "\n"))
	case <-time.After(30 * time.Second):
		t.Fatalf("clef did not open its HTTP endpoint in 30 s\n%s", strings.Join(snapshot(&mu, &tail), "\n"))
	}
	return nil
}

func rulesOn(mu *sync.Mutex, tail *[]string) bool {
	for _, l := range snapshot(mu, tail) {
		if strings.Contains(l, "Rule engine configured") {
			return true
		}
	}
	return false
}

func snapshot(mu *sync.Mutex, tail *[]string) []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), *tail...)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
