// Command pledge is the single Pledge binary: the preconfirmation sidecar, the
// constraints-aware relay, the watcher that slashes broken promises, registry
// management and the devnet, each a subcommand that lands with the issue that
// builds it.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"
)

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "pledge:", err)
		os.Exit(1)
	}
}

// appMetadataKey is where the root Before hook stores the *appContext in the
// cli App metadata, so every subcommand finds the same logger.
const appMetadataKey = "pledge.app"

// newApp builds the CLI. It is separate from main so tests can run the whole
// command line in-process with their own arguments and writers.
func newApp() *cli.App {
	app := &cli.App{
		Name:  "pledge",
		Usage: "collateral-backed preconfirmations for Ethereum L1 proposers and based rollups",
		Flags: logFlags(),
		Before: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			c.App.Metadata[appMetadataKey] = &appContext{log: log}
			return nil
		},
		Commands: []*cli.Command{
			versionCommand(),
			sidecarCommand(),
			delegateCommand(),
			registryCommand(),
			benchCommand(),
			relayCommand(),
			watchCommand(),
			slashCommand(),
			devnetCommand(),
			requestCommand(),
		},
		// Without an Action, cli treats "pledge bogus" as a help topic lookup;
		// an unknown command should be a plain error instead.
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return fmt.Errorf("unknown command %q: run \"pledge help\" for the list", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		// Errors go back to main, which prints one line and exits 1: cli must
		// neither call os.Exit itself nor dump the help text on a bad flag.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageError,
		Metadata:       map[string]any{},
	}
	for _, cmd := range app.Commands {
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = usageError
		}
	}
	return app
}

// usageError returns a flag parsing error as is, so the user sees one line.
func usageError(_ *cli.Context, err error, _ bool) error {
	return err
}

// envVars returns the environment variable that also sets the flag called
// name: "log-level" is read from PLEDGE_LOG_LEVEL. Every pledge flag uses it,
// so that a flag can always be given in the environment under a predictable name.
func envVars(name string) []string {
	return []string{"PLEDGE_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))}
}

// appContext holds what the root command prepares for every subcommand.
type appContext struct {
	log zerolog.Logger
}

// appFrom returns the appContext stored by the root Before hook. Subcommands
// only run after that hook succeeded, so a missing value is a wiring bug.
func appFrom(c *cli.Context) *appContext {
	a, ok := c.App.Metadata[appMetadataKey].(*appContext)
	if !ok {
		panic("pledge: appContext missing: subcommand ran without the root Before hook")
	}
	return a
}
