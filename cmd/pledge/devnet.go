package main

import (
	"errors"
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/internal/stack"
)

// Flags of `pledge devnet`.
const (
	devnetFlagSlots        = "slots"
	devnetFlagSlotDuration = "slot-duration"
	devnetFlagValidators   = "validators"
	devnetFlagRollups      = "rollups"
	devnetFlagFaultySlot   = "faulty-slot"
	devnetFlagListen       = "listen"
	devnetFlagNoTraffic    = "no-traffic"
	devnetFlagDataDir      = "data-dir"
)

// devnetEnv names a devnet flag's variable: PLEDGE_DEVNET_LISTEN, so that
// the sidecar's PLEDGE_LISTEN in the same shell does not move the devnet.
func devnetEnv(name string) []string { return envVars("devnet-" + name) }

// devnetCommand is `pledge devnet`: the whole system in one process.
func devnetCommand() *cli.Command {
	return &cli.Command{
		Name:  "devnet",
		Usage: "run everything in one process on loopback: chain, contracts, relay and builder, sidecar, demo rollup, watcher and traffic",
		UsageText: "pledge devnet [--slots N] [--faulty-slot K] [--slot-duration 2s] [--validators 4] [--rollups 1] [--listen 127.0.0.1:8017] [--no-traffic]\n\n" +
			"Prints a line per slot (what was promised, where the block came from, what landed) and every\n" +
			"broken promise the watcher slashes; exits non-zero if a promise of an honest slot did not land\n" +
			"or the faulty slot's promises were not slashed.",
		Flags: []cli.Flag{
			&cli.Uint64Flag{Name: devnetFlagSlots, Usage: "slots to run after start-up, then stop (0: until interrupted)", EnvVars: devnetEnv(devnetFlagSlots)},
			&cli.DurationFlag{Name: devnetFlagSlotDuration, Usage: "slot duration, whole seconds", Value: stack.DefaultSlotDuration, EnvVars: devnetEnv(devnetFlagSlotDuration)},
			&cli.IntFlag{Name: devnetFlagValidators, Usage: "validators, all registered to the devnet's operator", Value: stack.DefaultValidators, EnvVars: devnetEnv(devnetFlagValidators)},
			&cli.IntFlag{Name: devnetFlagRollups, Usage: fmt.Sprintf("demo rollups, 0 to %d (chain ids from %d)", stack.MaxRollups, stack.FirstRollupChainID), Value: stack.DefaultRollups, EnvVars: devnetEnv(devnetFlagRollups)},
			&cli.Uint64Flag{Name: devnetFlagFaultySlot, Usage: "make the proposer of the K-th slot of the run (1 is the first) drop the promised txs, to watch the watcher slash it (0: none)", EnvVars: devnetEnv(devnetFlagFaultySlot)},
			&cli.StringFlag{Name: devnetFlagListen, Usage: "the user API's address (loopback only)", Value: stack.DefaultListen, EnvVars: devnetEnv(devnetFlagListen)},
			&cli.BoolFlag{Name: devnetFlagNoTraffic, Usage: "send no generated traffic: only your own requests", EnvVars: devnetEnv(devnetFlagNoTraffic)},
			&cli.PathFlag{Name: devnetFlagDataDir, Usage: "keep the promise store and the watcher's journal here (default: a temporary directory, removed at exit)", EnvVars: devnetEnv(devnetFlagDataDir)},
		},
		OnUsageError: usageError,
		Action:       runDevnet,
	}
}

func runDevnet(c *cli.Context) error {
	rollups := c.Int(devnetFlagRollups)
	switch {
	case rollups < 0 || rollups > stack.MaxRollups:
		return fmt.Errorf("invalid --%s %d: want 0 to %d", devnetFlagRollups, rollups, stack.MaxRollups)
	case rollups == 0:
		rollups = -1 // stack.Config: negative runs none, 0 takes the default
	}
	cfg := stack.Config{
		Slots:        c.Uint64(devnetFlagSlots),
		SlotDuration: c.Duration(devnetFlagSlotDuration),
		Validators:   c.Int(devnetFlagValidators),
		Rollups:      rollups,
		FaultySlot:   c.Uint64(devnetFlagFaultySlot),
		Traffic:      !c.Bool(devnetFlagNoTraffic),
		Listen:       c.String(devnetFlagListen),
		Out:          c.App.Writer,
		DataDir:      c.Path(devnetFlagDataDir),
	}
	if cfg.SlotDuration < time.Second || cfg.SlotDuration%time.Second != 0 {
		return fmt.Errorf("invalid --%s %s: want a whole number of seconds", devnetFlagSlotDuration, cfg.SlotDuration)
	}
	if cfg.Validators < 1 {
		return fmt.Errorf("invalid --%s %d: want at least 1", devnetFlagValidators, cfg.Validators)
	}
	if cfg.Slots > 0 && cfg.FaultySlot > cfg.Slots {
		return fmt.Errorf("invalid --%s %d: the run has only --%s %d", devnetFlagFaultySlot, cfg.FaultySlot, devnetFlagSlots, cfg.Slots)
	}
	// The parts log to stderr; below warn they would drown the slot lines
	// unless the user asked for a level.
	log := appFrom(c).log
	if !c.IsSet(flagLogLevel) && log.GetLevel() < zerolog.WarnLevel {
		log = log.Level(zerolog.WarnLevel)
	}
	ctx, stop := signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s, err := stack.Start(ctx, cfg, stack.WithLogger(log))
	if err != nil {
		if errors.Is(err, stack.ErrBadConfig) {
			return fmt.Errorf("devnet: %w", err)
		}
		return fmt.Errorf("devnet did not start: %w", err)
	}
	defer s.Close()
	if _, err := s.Wait(); err != nil {
		return errors.New("devnet run failed: see the lines above")
	}
	return nil
}
