package benchtable

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Options select and size a run.
type Options struct {
	// Quick shortens every run (a smoke test of the table, not figures to quote).
	Quick bool
	// Only, when not empty, runs these measurements (see Measurements).
	Only []string
	// Progress, when set, gets one line as each measurement starts.
	Progress io.Writer
	// Pledge is the pledge binary the memory measurement runs `pledge
	// sidecar` from (cmd passes its own executable).
	Pledge string
	// PostgresDSN is the PostgreSQL server of the store-postgres rows
	// (scripts/postgres.sh starts one); without it they report why not.
	PostgresDSN string
}

// measurement is one --only name and the rows it yields.
type measurement struct {
	id, about string
	run       func(ctx context.Context, e *env) []Row
}

// measurements in the order they run. The devnet rows share one world,
// started by the first of them and stopped before the gas rows.
var measurements = []measurement{
	{"promise-sign", "promise signing (commitment digest, secp256k1)", signRows},
	{"promise-verify", "promise signature verification", verifyRows},
	{"tx-decode", "tx decoding with sender recovery", decodeRows},
	{"multiproof", "multiproof verification, 128 txs of a 1,000-tx payload", multiproofRows},
	{"getheader", "builder proxy getHeader overhead over a direct relay", getHeaderRows},
	{"fallback", "local fallback build of 16 promised txs on geth", fallbackRows},
	{"store", "synced store writes at 1,000/s, the store alone", storeRows},
	{"store-postgres", "PostgreSQL claimed commits: latency at 1,000/s, most per second with one and two sidecars", postgresRows},
	{"latency", "promise latency at 1,000 valid req/s (devnet)", latencyRows},
	{"throughput", "promise throughput, 64 senders (devnet)", throughputRows},
	{"remote-signer", "promise latency at 1,000 req/s and throughput, committer on a Web3Signer fake on loopback (devnet)", remoteSignerRows},
	{"postgres-promises", "promise latency at 1,000 req/s and throughput on the PostgreSQL store, one and two sidecars (devnet)", postgresPromiseRows},
	{"rejection", "invalid requests rejected beside valid ones (devnet)", rejectionRows},
	{"memory", "memory of `pledge sidecar` (child process) with stored promises (devnet)", memoryRows},
	{"gas", "gas per safety-fault proof, registration, ledger opening and claim (simulated chain)", gasRows},
}

// Measurements lists the names --only accepts, each with what it measures.
func Measurements() [][2]string {
	out := make([][2]string, len(measurements))
	for i, m := range measurements {
		out[i] = [2]string{m.id, m.about}
	}
	return out
}

// env is what the measurements share during one run.
type env struct {
	postgres string
	quick    bool
	pledge   string
	w        *world
	wErr     error
	started  bool
	children map[string]*childSidecar
}

func (e *env) pick(full, quick time.Duration) time.Duration {
	if e.quick {
		return quick
	}
	return full
}

func (e *env) pickInt(full, quick int) int {
	if e.quick {
		return quick
	}
	return full
}

// world starts the devnet world once; a failed start is remembered so
// every devnet row reports it.
func (e *env) world(ctx context.Context) (*world, error) {
	if !e.started {
		e.started = true
		e.w, e.wErr = startWorld(ctx)
	}
	return e.w, e.wErr
}

// child returns the world's child sidecar of that name, started on first
// use; rows that share a name share the sidecar (and its store).
func (e *env) child(ctx context.Context, opts childOptions) (*world, *childSidecar, error) {
	w, err := e.world(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c := e.children[opts.name]; c != nil {
		return w, c, nil
	}
	c, err := w.startChild(ctx, e.pledge, opts)
	if err != nil {
		return nil, nil, err
	}
	if e.children == nil {
		e.children = map[string]*childSidecar{}
	}
	e.children[opts.name] = c
	return w, c, nil
}

func (e *env) close() {
	for name, c := range e.children {
		c.stop()
		delete(e.children, name)
	}
	if e.w != nil {
		e.w.stop()
		e.w = nil
	}
}

// Run runs the selected measurements one after the other and returns the
// table. A measurement that fails yields rows marked "error"; Run itself
// fails only on a bad selection.
func Run(ctx context.Context, opts Options) (*Table, error) {
	selected, err := selection(opts.Only)
	if err != nil {
		return nil, err
	}
	t := &Table{Machine: ThisMachine()}
	e := &env{quick: opts.Quick, pledge: opts.Pledge, postgres: opts.PostgresDSN}
	defer e.close()
	for _, m := range selected {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if m.id == "gas" {
			e.close() // the devnet's geth would share the cores with the simulated chain
		}
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "bench: %s — %s\n", m.id, m.about)
		}
		t.Rows = append(t.Rows, m.run(ctx, e)...)
	}
	return t, nil
}

func selection(only []string) ([]measurement, error) {
	var names []string
	for _, o := range only {
		for n := range strings.SplitSeq(o, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return measurements, nil
	}
	var out []measurement
	for _, n := range names {
		if !slices.ContainsFunc(measurements, func(m measurement) bool { return m.id == n }) {
			ids := make([]string, len(measurements))
			for i, m := range measurements {
				ids[i] = m.id
			}
			return nil, fmt.Errorf("%w %q (one of: %s)", ErrUnknownRow, n, strings.Join(ids, ", "))
		}
	}
	for _, m := range measurements { // keep the table's order whatever the flag's
		if slices.Contains(names, m.id) {
			out = append(out, m)
		}
	}
	return out, nil
}
