// Command e2ectl is the Go half of scripts/e2e-real.sh, the end-to-end run
// of Pledge against real geth and Prysm: it writes the execution genesis and
// the devnet's keys, deploys the contracts and registers the interop
// validators, drives the sidecar with preconfirmation requests, and checks
// that every acknowledged promise is still served and landed on chain. It
// also runs the demo based rollup's node (internal/rollupnode) whose L2
// transactions the sidecar sells.
//
// Everything it derives is deterministic (Prysm's interop validator keys and
// accounts hashed from fixed labels), so the script and this program agree
// without passing secrets around. These keys are public: devnet use only.
//
// Usage: e2ectl <setup|deploy|drive|check|rollup> [flags]; e2ectl <command> -h.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// errUsage is returned for a wrong command line.
var errUsage = errors.New("usage: e2ectl <setup|deploy|drive|check|rollup> [flags]")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2ectl:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	cmds := map[string]func(context.Context, []string) error{
		"setup":  runSetup,
		"deploy": runDeploy,
		"drive":  runDrive,
		"check":  runCheck,
		"rollup": runRollup,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q: %w", args[0], errUsage)
	}
	return cmd(ctx, args[1:])
}
