package main

import (
	"bufio"
	"crypto/ecdsa"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/internal/benchtable"
	"github.com/pledgeproto/pledge/internal/loadgen"
)

const (
	flagSidecarURL  = "sidecar-url"
	flagSendersFile = "senders-file"
	flagRate        = "rate"
	flagInvalidRate = "invalid-rate"
	flagDuration    = "duration"
	flagRequests    = "requests"
	flagFeeCap      = "fee-cap"
	flagTip         = "tip"
	flagPresign     = "presign"
	flagBatch       = "batch"
	flagSkipSlots   = "skip-slots"
	flagFrom        = "from"
	flagInvalidFrom = "invalid-from"
	flagQuick       = "quick"
	flagOnly        = "only"
)

func benchCommand() *cli.Command {
	str := func(name, usage, value string) cli.Flag {
		return &cli.StringFlag{Name: name, Usage: usage, Value: value, EnvVars: envVars(name)}
	}
	allFlags := func() []cli.Flag {
		return []cli.Flag{
			&cli.BoolFlag{Name: flagQuick, Usage: "shorter runs: checks the table, figures not worth quoting", EnvVars: envVars(flagQuick)},
			&cli.StringSliceFlag{Name: flagOnly, Usage: "run only these measurements (repeat or comma-separate): " + benchNames(), EnvVars: envVars(flagOnly)},
		}
	}
	return &cli.Command{
		Name:  "bench",
		Usage: "measure Pledge: with no subcommand, as `bench all`",
		Description: "`pledge bench` (or `pledge bench all`) runs the key measurements in this process — an in-process devnet\n" +
			"with a sidecar driven by the load generator, the builder proxy, proofs, signatures, the fallback build and gas on\n" +
			"the simulated chain — and prints one table against the issues' targets, with the machine it ran on.",
		Flags:  allFlags(),
		Action: runBenchAll,
		Subcommands: []*cli.Command{{
			Name:   "all",
			Usage:  "run the key measurements side by side in process and print one table against the targets",
			Flags:  allFlags(),
			Action: runBenchAll,
		}, {
			Name:  "requests",
			Usage: "drive a running sidecar with signed preconfirmation requests; print latency percentiles and throughput",
			Flags: []cli.Flag{
				str(flagSidecarURL, "the sidecar's user API", "http://127.0.0.1:8017"),
				str(flagExecutionURL, "execution client JSON-RPC URL (chain id and the senders' nonces)", "http://127.0.0.1:8545"),
				str(flagSlasher, "Slasher address the requests name", ""),
				str(flagSendersFile, "file of funded sender private keys, one hex key per line; one worker per key", ""),
				&cli.Float64Flag{Name: flagRate, Usage: "valid requests per second (0: as fast as the workers go)", EnvVars: envVars(flagRate)},
				&cli.Float64Flag{Name: flagInvalidRate, Usage: "invalid requests per second sent beside the valid ones", EnvVars: envVars(flagInvalidRate)},
				&cli.DurationFlag{Name: flagDuration, Usage: "how long to run (the run always stops by itself)", Value: 10 * time.Second, EnvVars: envVars(flagDuration)},
				&cli.IntFlag{Name: flagRequests, Usage: "stop after this many valid requests (0: run for the duration)", EnvVars: envVars(flagRequests)},
				str(flagFeeCap, "max fee per gas of the generated transactions", "100gwei"),
				str(flagTip, "priority fee per gas of the generated transactions", "5gwei"),
				&cli.IntFlag{Name: flagPresign, Usage: "transactions each sender signs before the clock starts (0: sign each just before sending it)", EnvVars: envVars(flagPresign)},
				&cli.IntFlag{Name: flagBatch, Usage: "send valid requests as JSON-RPC batches of this many calls, one per sender (needs --rate 0)", EnvVars: envVars(flagBatch)},
				&cli.IntFlag{Name: flagSkipSlots, Usage: "pass over the first N offered slots (fill slots that are not built during the run)", EnvVars: envVars(flagSkipSlots)},
				&cli.StringSliceFlag{Name: flagFrom, Usage: "local IPs the valid requests come from, round-robin over senders (the sidecar's rate limit is per IP)", EnvVars: envVars(flagFrom)},
				str(flagInvalidFrom, "local IP the invalid requests come from", ""),
			},
			Action: runBenchRequests,
		}},
	}
}

func benchNames() string {
	var names []string
	for _, m := range benchtable.Measurements() {
		names = append(names, m[0])
	}
	return strings.Join(names, ", ")
}

func runBenchAll(c *cli.Context) error {
	if c.Args().Present() {
		return fmt.Errorf("unknown bench subcommand %q (all, requests)", c.Args().First())
	}
	// The memory row runs this binary's `pledge sidecar` as a child process.
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the pledge binary: %w", err)
	}
	tab, err := benchtable.Run(c.Context, benchtable.Options{
		Quick: c.Bool(flagQuick), Only: c.StringSlice(flagOnly), Progress: c.App.ErrWriter, Pledge: self,
		PostgresDSN: os.Getenv("PLEDGE_POSTGRES_DSN"),
	})
	if err != nil {
		return fmt.Errorf("--%s: %w", flagOnly, err)
	}
	return tab.Write(c.App.Writer)
}

func runBenchRequests(c *cli.Context) error {
	slasher, err := addressFlag(c, flagSlasher)
	if err != nil {
		return err
	}
	feeCap, err := parseWei(c.String(flagFeeCap))
	if err != nil {
		return fmt.Errorf("invalid --%s: %w", flagFeeCap, err)
	}
	tip, err := parseWei(c.String(flagTip))
	if err != nil {
		return fmt.Errorf("invalid --%s: %w", flagTip, err)
	}
	senders, err := readSenderKeys(c.String(flagSendersFile))
	if err != nil {
		return err
	}
	el, err := ethclient.DialContext(c.Context, c.String(flagExecutionURL))
	if err != nil {
		return fmt.Errorf("execution client: %w", err)
	}
	defer el.Close()
	chainID, err := el.ChainID(c.Context)
	if err != nil {
		return fmt.Errorf("execution client %s: chain id: %w", c.String(flagExecutionURL), err)
	}
	nonces := make([]uint64, len(senders))
	for i, k := range senders {
		if nonces[i], err = el.PendingNonceAt(c.Context, crypto.PubkeyToAddress(k.PublicKey)); err != nil {
			return fmt.Errorf("nonce of sender %d: %w", i, err)
		}
	}
	res, err := loadgen.Run(c.Context, loadgen.Config{
		URL: c.String(flagSidecarURL), ChainID: chainID, Slasher: slasher,
		Senders: senders, StartNonces: nonces,
		Rate: c.Float64(flagRate), InvalidRate: c.Float64(flagInvalidRate),
		Duration: c.Duration(flagDuration), Requests: c.Int(flagRequests),
		GasFeeCap: feeCap, GasTipCap: tip,
		Presign: c.Int(flagPresign), Batch: c.Int(flagBatch), SkipSlots: c.Int(flagSkipSlots),
		ValidFrom: c.StringSlice(flagFrom), InvalidFrom: c.String(flagInvalidFrom),
	})
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "valid requests    sent %d  promised %d  refused %d  failed %d\n", res.Valid.Sent, res.Valid.OK, res.Valid.Refused, res.Valid.Failed)
	fmt.Fprintf(w, "invalid requests  sent %d  refused %d  (accepted: %d)\n", res.Invalid.Sent, res.Invalid.Refused, res.Invalid.OK)
	fmt.Fprintf(w, "latency           p50 %s  p90 %s  p99 %s  max %s\n", res.Percentile(50), res.Percentile(90), res.Percentile(99), res.Percentile(100))
	fmt.Fprintf(w, "throughput        %.0f promises/s over %s\n", res.Throughput(), res.Elapsed.Round(time.Millisecond))
	if res.Late > 0 || res.SignedDuring > 0 {
		fmt.Fprintf(w, "generator         %d requests sent >1 ms late, %d txs signed during the run\n", res.Late, res.SignedDuring)
	}
	if res.FirstError != nil {
		fmt.Fprintf(w, "first failure     %v\n", res.FirstError)
	}
	if len(res.Errors) > 0 {
		fmt.Fprintf(w, "refusals by code  %v\n", res.Errors)
	}
	if res.Invalid.OK > 0 {
		return fmt.Errorf("the sidecar promised %d invalid requests", res.Invalid.OK)
	}
	return nil
}

func readSenderKeys(path string) ([]*ecdsa.PrivateKey, error) {
	if path == "" {
		return nil, fmt.Errorf("missing --%s: funded sender keys", flagSendersFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagSendersFile, err)
	}
	defer f.Close()
	var keys []*ecdsa.PrivateKey
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimPrefix(strings.TrimSpace(sc.Text()), "0x")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, err := crypto.HexToECDSA(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a hex private key", path, line)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--%s: %w", flagSendersFile, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--%s %s: no keys", flagSendersFile, path)
	}
	return keys, nil
}
