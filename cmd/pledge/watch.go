package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/sidecar/keys"
	"github.com/pledgeproto/pledge/slashing"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// Flags of `pledge watch` and `pledge slash`.
const (
	watchFlagRPCURL        = "rpc-url"
	watchFlagSlasher       = "slasher"
	watchFlagRegistry      = "registry"
	watchFlagKeyFile       = "key-file"
	watchFlagPasswordFile  = "key-password-file"
	watchFlagBeneficiary   = "beneficiary"
	watchFlagPromises      = "promises"
	watchFlagPromise       = "promise"
	watchFlagSidecarURL    = "sidecar-url"
	watchFlagListen        = "listen"
	watchFlagJournal       = "journal"
	watchFlagReport        = "report"
	watchFlagConfirmations = "confirmations"
	watchFlagPoll          = "poll-interval"
	watchFlagTimeout       = "timeout"
)

// watchConnFlags are the flags both commands take: the chain, the Slasher
// and the watcher's account.
func watchConnFlags(required bool) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: watchFlagRPCURL, Usage: "execution client JSON-RPC URL (http, ws or ipc)", Required: required, EnvVars: envVars(watchFlagRPCURL)},
		&cli.StringFlag{Name: watchFlagSlasher, Usage: "address of the Slasher contract (the Registry and Inbox are read from it)", Required: required, EnvVars: envVars(watchFlagSlasher)},
		&cli.StringFlag{Name: watchFlagRegistry, Usage: "optional: the Registry address, checked against the Slasher's", EnvVars: envVars(watchFlagRegistry)},
		&cli.PathFlag{Name: watchFlagKeyFile, Usage: "the watcher account's secp256k1 key: a hex file or a geth keystore (it pays gas and, without --" + watchFlagBeneficiary + ", earns the watcher's share)", EnvVars: envVars(watchFlagKeyFile)},
		&cli.PathFlag{Name: watchFlagPasswordFile, Usage: "password file of a --" + watchFlagKeyFile + " keystore", EnvVars: envVars(watchFlagPasswordFile)},
		&cli.StringFlag{Name: watchFlagBeneficiary, Usage: "address that receives the watcher's share of each slash, committed on-chain before the evidence (default: the --" + watchFlagKeyFile + " account)", EnvVars: envVars(watchFlagBeneficiary)},
		&cli.Uint64Flag{Name: watchFlagConfirmations, Usage: "slots to wait after a promise's slot before judging it (at least 1)", Value: 2, EnvVars: envVars(watchFlagConfirmations)},
		&cli.DurationFlag{Name: watchFlagPoll, Usage: "how often to look at the chain head", Value: 2 * time.Second, EnvVars: envVars(watchFlagPoll)},
	}
}

// watchCommand is `pledge watch`: follow promises and L1, slash broken promises.
func watchCommand() *cli.Command {
	return &cli.Command{
		Name:  "watch",
		Usage: "follow promises and L1, and submit the evidence of every broken promise to the Slasher",
		UsageText: "pledge watch --rpc-url URL --slasher ADDRESS --key-file FILE --journal FILE [--promises FILE|DIR] [--sidecar-url URL] [--listen ADDR]\n" +
			"pledge watch --report --journal FILE",
		Flags: append(watchConnFlags(false),
			&cli.PathFlag{Name: watchFlagJournal, Usage: "journal of outcomes (JSON lines, fsynced): makes restarts safe", Required: true, EnvVars: envVars(watchFlagJournal)},
			&cli.PathFlag{Name: watchFlagPromises, Usage: "file or directory of SignedCommitment JSON (one per line, or an array), read again when it changes", EnvVars: envVars(watchFlagPromises)},
			&cli.StringFlag{Name: watchFlagSidecarURL, Usage: "sidecar JSON-RPC URL, polled with commitmentResult for request hashes posted to /requests", EnvVars: envVars(watchFlagSidecarURL)},
			&cli.StringFlag{Name: watchFlagListen, Usage: "address of the HTTP API (POST /promises, GET /promises/{digest}, /metrics, /livez); empty: none", Value: "127.0.0.1:8019", EnvVars: envVars(watchFlagListen)},
			&cli.BoolFlag{Name: watchFlagReport, Usage: "print the outcome of every promise in --" + watchFlagJournal + " and exit", EnvVars: envVars(watchFlagReport)},
		),
		OnUsageError: usageError,
		Action:       runWatch,
	}
}

// slashCommand is `pledge slash`: judge promises a user holds, now, once.
func slashCommand() *cli.Command {
	return &cli.Command{
		Name:      "slash",
		Usage:     "judge a promise you hold and, if it was broken, submit the evidence now",
		UsageText: "pledge slash --promise FILE --rpc-url URL --slasher ADDRESS --key-file FILE",
		Flags: append(watchConnFlags(true),
			&cli.PathFlag{Name: watchFlagPromise, Usage: "file with the SignedCommitment JSON (several, one per line or an array, are judged together, equivocation included)", Required: true, EnvVars: envVars(watchFlagPromise)},
			&cli.PathFlag{Name: watchFlagJournal, Usage: "optional journal of outcomes shared with a `pledge watch`", EnvVars: envVars(watchFlagJournal)},
			&cli.DurationFlag{Name: watchFlagTimeout, Usage: "how long to wait for the evidence to be mined", Value: 5 * time.Minute, EnvVars: envVars(watchFlagTimeout)},
		),
		OnUsageError: usageError,
		Action:       runSlash,
	}
}

// watchKey loads the watcher's account key.
func watchKey(c *cli.Context) (*ecdsa.PrivateKey, error) {
	path := c.String(watchFlagKeyFile)
	if path == "" {
		return nil, fmt.Errorf("no watcher account: give --%s", watchFlagKeyFile)
	}
	var pw keys.PasswordSource
	if f := c.String(watchFlagPasswordFile); f != "" {
		pw = keys.PasswordFile(f)
	}
	key, err := keys.LoadCommitterKey(path, pw)
	if err != nil {
		return nil, fmt.Errorf("watcher account: %w", err)
	}
	return key, nil
}

// watchSession is a connection to the chain and the Slasher's deployment.
type watchSession struct {
	eth     *ethclient.Client
	backend watcher.Backend
	dep     *watcher.Deployment
	key     *ecdsa.PrivateKey
	// beneficiary is --beneficiary; zero means the watcher's own account.
	beneficiary common.Address
}

// openWatch checks the local inputs first, then dials the node and reads the
// Slasher's deployment.
func openWatch(c *cli.Context) (*watchSession, error) {
	if c.String(watchFlagRPCURL) == "" {
		return nil, fmt.Errorf("missing --%s", watchFlagRPCURL)
	}
	slasher, err := parseAddress(watchFlagSlasher, c.String(watchFlagSlasher))
	if err != nil {
		return nil, err
	}
	var registry common.Address
	if v := c.String(watchFlagRegistry); v != "" {
		if registry, err = parseAddress(watchFlagRegistry, v); err != nil {
			return nil, err
		}
	}
	if c.Uint64(watchFlagConfirmations) == 0 {
		return nil, fmt.Errorf("--%s must be at least 1: the Slasher refuses the head block as evidence", watchFlagConfirmations)
	}
	var beneficiary common.Address
	if v := c.String(watchFlagBeneficiary); v != "" {
		if beneficiary, err = parseAddress(watchFlagBeneficiary, v); err != nil {
			return nil, err
		}
		if beneficiary == (common.Address{}) {
			return nil, fmt.Errorf("--%s is the zero address: the Slasher pays no one there", watchFlagBeneficiary)
		}
	}
	key, err := watchKey(c)
	if err != nil {
		return nil, err
	}
	url := c.String(watchFlagRPCURL)
	eth, err := ethclient.DialContext(c.Context, url)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", url, err)
	}
	chainID, err := eth.ChainID(c.Context)
	if err != nil {
		eth.Close()
		return nil, fmt.Errorf("read chain id from %s: %w", url, err)
	}
	backend := watcher.NewBackend(eth)
	dep, err := watcher.LoadDeployment(c.Context, backend, eth, chainID.Uint64(), slasher)
	if err != nil {
		eth.Close()
		if errors.Is(err, watcher.ErrBadConfig) {
			return nil, fmt.Errorf("no contract at --%s %s on chain %s", watchFlagSlasher, slasher, chainID)
		}
		return nil, err
	}
	if registry != (common.Address{}) && registry != dep.Registry {
		eth.Close()
		return nil, fmt.Errorf("--%s %s is not the Slasher's Registry (%s)", watchFlagRegistry, registry, dep.Registry)
	}
	return &watchSession{eth: eth, backend: backend, dep: dep, key: key, beneficiary: beneficiary}, nil
}

func (s *watchSession) options(c *cli.Context) []watcher.Option {
	opts := []watcher.Option{
		watcher.WithLogger(appFrom(c).log.With().Str("service", "watcher").Logger()),
		watcher.WithConfirmations(c.Uint64(watchFlagConfirmations)),
		watcher.WithPollInterval(c.Duration(watchFlagPoll)),
	}
	if s.beneficiary != (common.Address{}) {
		opts = append(opts, watcher.WithBeneficiary(s.beneficiary))
	}
	return opts
}

func runWatch(c *cli.Context) error {
	if c.Bool(watchFlagReport) {
		return printReport(c)
	}
	if c.String(watchFlagPromises) == "" && c.String(watchFlagListen) == "" && c.String(watchFlagSidecarURL) == "" {
		return fmt.Errorf("no source of promises: give --%s, --%s or --%s", watchFlagPromises, watchFlagListen, watchFlagSidecarURL)
	}
	s, err := openWatch(c)
	if err != nil {
		return err
	}
	defer s.eth.Close()
	journal, err := watcher.OpenJournal(c.String(watchFlagJournal))
	if err != nil {
		return err
	}
	defer journal.Close()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	opts := append(s.options(c), watcher.WithRegisterer(reg))
	if p := c.String(watchFlagPromises); p != "" {
		src, err := watcher.NewFileSource(p)
		if err != nil {
			return err
		}
		if _, err := src.Promises(c.Context); err != nil {
			return fmt.Errorf("--%s: %w", watchFlagPromises, err)
		}
		opts = append(opts, watcher.WithSources(src))
	}
	var tracker *watcher.RPCSource
	if u := c.String(watchFlagSidecarURL); u != "" {
		rc, err := rpc.DialContext(c.Context, u)
		if err != nil {
			return fmt.Errorf("connect to --%s %s: %w", watchFlagSidecarURL, u, err)
		}
		defer rc.Close()
		if tracker, err = watcher.NewRPCSource(rc, 5*time.Second); err != nil {
			return err
		}
		opts = append(opts, watcher.WithSources(tracker))
	}
	w, err := watcher.New(s.backend, s.dep, s.key, journal, opts...)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := appFrom(c).log
	if addr := c.String(watchFlagListen); addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("--%s %s: %w", watchFlagListen, addr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		mux.Handle("/", w.Handler(tracker))
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		fmt.Fprintf(c.App.Writer, "watcher API on http://%s (POST /promises)\n", ln.Addr())
	}
	log.Info().Msgf("watching Slasher %s as %s, paying the watcher's share to %s", s.dep.Slasher.Hex(), w.Address().Hex(), w.Beneficiary().Hex())
	return w.Run(ctx)
}

func printReport(c *cli.Context) error {
	j, err := watcher.ReadJournal(c.String(watchFlagJournal))
	if err != nil {
		return err
	}
	recs := j.Outcomes()
	counts := map[watcher.State]int{}
	for _, r := range recs {
		counts[r.State]++
	}
	for _, line := range watcher.ReportLines(recs) {
		fmt.Fprintln(c.App.Writer, line)
	}
	// Pending: a claim's commitment or the evidence is out, or the claim waits for its evidence.
	pending := counts[watcher.StateCommitting] + counts[watcher.StateCommitted] + counts[watcher.StatePending]
	fmt.Fprintf(c.App.Writer, "%d promises: %d slashed, %d kept, %d refused, %d pending, %d waiting\n",
		len(recs), counts[watcher.StateSlashed], counts[watcher.StateKept], counts[watcher.StateRefused], pending, counts[watcher.StateSeen])
	return nil
}

func runSlash(c *cli.Context) error {
	raw, err := os.ReadFile(c.String(watchFlagPromise))
	if err != nil {
		return fmt.Errorf("--%s: %w", watchFlagPromise, err)
	}
	scs, err := watcher.ParsePromises(raw)
	if err != nil {
		return fmt.Errorf("--%s %s: %w", watchFlagPromise, c.String(watchFlagPromise), err)
	}
	if len(scs) == 0 {
		return fmt.Errorf("--%s %s holds no promise", watchFlagPromise, c.String(watchFlagPromise))
	}
	s, err := openWatch(c)
	if err != nil {
		return err
	}
	defer s.eth.Close()
	journal := watcher.MemoryJournal()
	if p := c.String(watchFlagJournal); p != "" {
		if journal, err = watcher.OpenJournal(p); err != nil {
			return err
		}
	}
	defer journal.Close()
	w, err := watcher.New(s.backend, s.dep, s.key, journal, s.options(c)...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration(watchFlagTimeout))
	defer cancel()
	recs, err := w.Settle(ctx, scs, 3)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("no outcome within --%s %s; an evidence transaction may still be mined (see --%s)", watchFlagTimeout, c.Duration(watchFlagTimeout), watchFlagJournal)
		}
		if errors.Is(err, watcher.ErrBadPromise) {
			return fmt.Errorf("--%s: %w", watchFlagPromise, err)
		}
		return err
	}
	for _, r := range recs {
		fmt.Fprintln(c.App.Writer, outcomeLine(r))
	}
	return nil
}

// outcomeLine says in one line what became of a promise.
func outcomeLine(r watcher.Record) string {
	id := fmt.Sprintf("promise %s (slot %d)", r.Digest.Hex(), r.Slot)
	reason := strings.ReplaceAll(r.Reason, "\n", "; ")
	switch {
	case r.State == watcher.StateSlashed && r.Other != nil:
		return fmt.Sprintf("slashed: %s was broken (%s fault, with promise %s); evidence tx %s mined", id, r.Fault, r.Other.Hex(), r.Tx.Hex())
	case r.State == watcher.StateSlashed:
		return fmt.Sprintf("slashed: %s was broken (%s fault); evidence tx %s mined", id, r.Fault, r.Tx.Hex())
	case r.State == watcher.StateKept:
		return fmt.Sprintf("kept: %s was kept, nothing to slash", id)
	case strings.Contains(reason, slashing.ErrExpired.Error()):
		return fmt.Sprintf("not slashable: %s is outside the slash window: %s", id, reason)
	case strings.Contains(reason, slashing.ErrSettled.Error()):
		return fmt.Sprintf("not slashable: %s is already settled (slashed before)", id)
	case r.State == watcher.StateRefused && strings.Contains(reason, slashing.ErrNotInLedger.Error()):
		return fmt.Sprintf("void: %s is not in its slot's ledger, so the operator never backed it: %s", id, reason)
	case r.State == watcher.StateRefused:
		return fmt.Sprintf("not slashable: %s: %s", id, reason)
	case strings.HasPrefix(reason, "not yet judgeable"):
		return fmt.Sprintf("not yet judgeable: %s: %s", id, strings.TrimPrefix(reason, "not yet judgeable: "))
	case strings.Contains(reason, slashing.ErrLedgerPending.Error()):
		return fmt.Sprintf("not yet judgeable: %s: its slot's ledger is not open yet and may still be: %s", id, reason)
	}
	return fmt.Sprintf("undecided: %s: %s", id, reason)
}
