package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

// applyConfigFile reads `name = value` lines (flag names without dashes in
// front; blank lines and # comments ignored) and sets every flag the command
// line and the environment left unset. Precedence is therefore flag, then
// PLEDGE_* variable, then file, then default. An unknown name or a bad value
// stops start-up with the file and line.
func applyConfigFile(c *cli.Context, path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--%s: %w", flagConfig, err)
	}
	defer f.Close()
	known := map[string]bool{}
	for _, fl := range c.Command.Flags {
		for _, n := range fl.Names() {
			known[n] = true
		}
	}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, value, ok := strings.Cut(text, "=")
		if !ok {
			name, value, ok = strings.Cut(text, ":")
		}
		name, value = strings.TrimSpace(name), strings.Trim(strings.TrimSpace(value), `"`)
		switch {
		case !ok || name == "":
			return fmt.Errorf("%s:%d: want `name = value`", path, line)
		case !known[name] || name == flagConfig:
			return fmt.Errorf("%s:%d: unknown setting %q", path, line, name)
		case c.IsSet(name):
			continue // given as a flag or in the environment
		}
		if err := c.Set(name, value); err != nil {
			return fmt.Errorf("%s:%d: invalid %s %q: %w", path, line, name, value, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("--%s %s: %w", flagConfig, path, err)
	}
	return nil
}
