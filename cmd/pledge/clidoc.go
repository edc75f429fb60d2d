package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// cliReference renders every command and flag of app as the markdown of
// docs/cli.md. TestCLIReference keeps that file equal to this output, so the
// configuration reference cannot drift from the binary.
func cliReference(app *cli.App) string {
	var b strings.Builder
	b.WriteString("# `pledge` command-line reference\n\n")
	b.WriteString("Generated from the binary's own flag definitions by `PLEDGE_UPDATE_CLI_DOC=1 go test ./cmd/pledge -run TestCLIReference`;\n")
	b.WriteString("a test fails when this file and the CLI disagree. Every flag can also be set through the\n")
	b.WriteString("environment variable shown (`PLEDGE_` + the flag name in upper case, dashes as underscores).\n")
	b.WriteString("`pledge sidecar` also reads `--config FILE`: lines of `name = value` with the flag names below;\n")
	b.WriteString("a flag or variable given explicitly wins over the file.\n\n")
	b.WriteString("## Global flags\n\n")
	writeFlags(&b, app.Flags)
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden || c.Name == "help" {
				continue
			}
			name := strings.TrimSpace(prefix + " " + c.Name)
			fmt.Fprintf(&b, "## `pledge %s`\n\n%s\n\n", name, c.Usage)
			if c.Description != "" {
				fmt.Fprintf(&b, "%s\n\n", c.Description)
			}
			if len(c.Flags) > 0 {
				writeFlags(&b, c.Flags)
			}
			walk(name, c.Subcommands)
		}
	}
	walk("", app.Commands)
	return b.String()
}

func writeFlags(b *strings.Builder, flags []cli.Flag) {
	type row struct{ name, env, def, usage string }
	var rows []row
	for _, f := range flags {
		df, ok := f.(cli.DocGenerationFlag)
		if !ok {
			continue
		}
		names := f.Names()
		r := row{name: "--" + names[0], usage: df.GetUsage(), def: df.GetDefaultText()}
		if r.def == "" {
			r.def = df.GetValue()
		}
		if envs := df.GetEnvVars(); len(envs) > 0 {
			r.env = envs[0]
		}
		if r.name == "--help" {
			continue
		}
		rows = append(rows, r)
	}
	b.WriteString("| Flag | Environment | Default | Meaning |\n|---|---|---|---|\n")
	for _, r := range rows {
		def := r.def
		if def != "" {
			def = "`" + def + "`"
		}
		env := r.env
		if env != "" {
			env = "`" + env + "`"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", r.name, env, def, strings.ReplaceAll(r.usage, "|", "\\|"))
	}
	b.WriteString("\n")
}
