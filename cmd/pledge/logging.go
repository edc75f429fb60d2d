package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"
)

const (
	flagLogFormat = "log-format"
	flagLogLevel  = "log-level"

	logFormatJSON    = "json"
	logFormatConsole = "console"
)

// logLevels are the accepted --log-level values, in order of verbosity.
// zerolog.ParseLevel also takes "fatal", "panic", "disabled" and numbers;
// a narrower, documented set keeps operator configs portable.
var logLevels = []struct {
	name  string
	level zerolog.Level
}{
	{"trace", zerolog.TraceLevel},
	{"debug", zerolog.DebugLevel},
	{"info", zerolog.InfoLevel},
	{"warn", zerolog.WarnLevel},
	{"error", zerolog.ErrorLevel},
}

var logFormats = []string{logFormatJSON, logFormatConsole}

// logFlags are the global flags every subcommand inherits.
func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:        flagLogFormat,
			Usage:       "log output: json or console",
			DefaultText: "console when stderr is a terminal, else json",
			EnvVars:     envVars(flagLogFormat),
		},
		&cli.StringFlag{
			Name:    flagLogLevel,
			Usage:   "minimum level logged: trace, debug, info, warn or error",
			Value:   "info",
			EnvVars: envVars(flagLogLevel),
		},
	}
}

// newLogger builds the process logger from the global flags. It writes to the
// app's ErrWriter (stderr in production) so stdout stays free for command output.
func newLogger(c *cli.Context) (zerolog.Logger, error) {
	w := c.App.ErrWriter
	if w == nil {
		w = os.Stderr
	}
	tty := isTerminal(w)

	level, err := parseLogLevel(c.String(flagLogLevel))
	if err != nil {
		return zerolog.Logger{}, invalidFlag(flagLogLevel, c.String(flagLogLevel), levelNames())
	}
	format := c.String(flagLogFormat)
	if format == "" {
		format = logFormatJSON
		if tty {
			format = logFormatConsole
		}
	}
	switch format {
	case logFormatJSON:
	case logFormatConsole:
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339, NoColor: !tty}
	default:
		return zerolog.Logger{}, invalidFlag(flagLogFormat, format, logFormats)
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger(), nil
}

// parseLogLevel maps one of logLevels' names to its zerolog level.
func parseLogLevel(s string) (zerolog.Level, error) {
	for _, l := range logLevels {
		if s == l.name {
			return l.level, nil
		}
	}
	return zerolog.NoLevel, fmt.Errorf("unknown log level %q", s)
}

func levelNames() []string {
	names := make([]string, len(logLevels))
	for i, l := range logLevels {
		names[i] = l.name
	}
	return names
}

// invalidFlag reports a bad flag value in one line. When the value came from
// the environment it names the variable, since that is where the user must fix it.
func invalidFlag(name, value string, want []string) error {
	source := "--" + name
	if env := envVars(name)[0]; lookupEnv(env) == value {
		// cli lets the command line override the environment, so a value equal
		// to the variable's came from it unless both were set to the same thing.
		source = env
	}
	return fmt.Errorf("invalid %s %q: want one of %s", source, value, strings.Join(want, ", "))
}

// lookupEnv returns the variable's value, or a string no flag value can equal
// when it is unset, so an empty flag value is not blamed on an unset variable.
func lookupEnv(name string) string {
	v, ok := os.LookupEnv(name)
	if !ok {
		return "\x00unset"
	}
	return v
}

// isTerminal reports whether w is a terminal, which decides the default log
// format and whether console output is coloured.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
