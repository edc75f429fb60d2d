package hatest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// cluster is a throwaway PostgreSQL server of the test's own, started by
// scripts/postgres.sh, so the test can stop and start it without touching a
// server other tests use (PLEDGE_POSTGRES_DSN's).
type cluster struct {
	dir  string // scripts/postgres.sh's DIR; the data directory is DIR/data
	bin  string // the server's bin directory
	dsn  string
	opts string // the server options of the first start, for restarts
}

// postgresScript is scripts/postgres.sh, from this package's directory.
const postgresScript = "../../scripts/postgres.sh"

// pgBin is the newest installed server's bin directory, as
// scripts/postgres.sh picks it, or "".
func pgBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionLess(dirs[i], dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// versionLess orders /usr/lib/postgresql/N/bin by N.
func versionLess(a, b string) bool {
	va, vb := filepath.Base(filepath.Dir(a)), filepath.Base(filepath.Dir(b))
	if len(va) != len(vb) {
		return len(va) < len(vb)
	}
	return va < vb
}

// startCluster starts a cluster of the test's own. Without PostgreSQL's
// server binaries the test fails under CI=true and is skipped elsewhere,
// naming the script that installs them.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	if pgBin() == "" && os.Getenv("CI") != "true" {
		t.Skip("needs PostgreSQL's server binaries: run `scripts/postgres.sh install` (Debian's postgresql package)")
	}
	// Under /tmp, not t.TempDir(): as root the server runs as the postgres
	// user, which must reach the directory.
	dir, err := os.MkdirTemp("", "pledge-hatest-pg-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, postgresScript, "start", dir).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		_ = os.RemoveAll(dir)
		t.Fatalf("scripts/postgres.sh start: %v\n%s", err, stderr)
	}
	c := &cluster{dir: dir, bin: pgBin(), dsn: strings.TrimSpace(string(out))}
	t.Cleanup(func() {
		if out, err := exec.Command(postgresScript, "stop", dir).CombinedOutput(); err != nil {
			t.Errorf("scripts/postgres.sh stop: %v\n%s", err, out)
		}
	})
	if c.opts, err = c.serverOptions(); err != nil {
		t.Fatal(err)
	}
	return c
}

// serverOptions reads the options the server was started with from
// postmaster.opts (minus the binary and -D), so a restart listens on the
// same port with the same durability settings.
func (c *cluster) serverOptions() (string, error) {
	raw, err := os.ReadFile(filepath.Join(c.dir, "data", "postmaster.opts"))
	if err != nil {
		return "", fmt.Errorf("read the server's options: %w", err)
	}
	args := regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(string(raw), -1)
	var keep []string
	for i := 0; i < len(args); i++ {
		if args[i][1] == "-D" {
			i++
			continue
		}
		if strings.ContainsAny(args[i][1], " '\"\\") {
			return "", fmt.Errorf("server option %q: cannot pass it on", args[i][1])
		}
		keep = append(keep, args[i][1])
	}
	if len(keep) == 0 {
		return "", fmt.Errorf("no server options in %s", filepath.Join(c.dir, "data", "postmaster.opts"))
	}
	return strings.Join(keep, " "), nil
}

// pgCtl runs pg_ctl on the cluster, as the postgres user when root (the
// server refuses to run as root).
func (c *cluster) pgCtl(ctx context.Context, args ...string) error {
	args = append([]string{"-D", filepath.Join(c.dir, "data"), "-w", "-t", "60"}, args...)
	name := filepath.Join(c.bin, "pg_ctl")
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// kill stops the server at once, as a crash would: no checkpoint, every
// connection cut; the next start recovers from the WAL.
func (c *cluster) kill(ctx context.Context) error {
	return c.pgCtl(ctx, "-m", "immediate", "stop")
}

// start starts the server again with its first start's options and waits
// until it accepts connections.
func (c *cluster) start(ctx context.Context) error {
	return c.pgCtl(ctx, "-l", filepath.Join(c.dir, "server.log"), "-o", c.opts, "start")
}
