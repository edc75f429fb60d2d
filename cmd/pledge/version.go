package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// version is the release version. Release builds set it with
// -ldflags "-X main.version=v1.2.3"; otherwise it comes from the build info.
var version string

// buildInfo is what `pledge version` reports.
type buildInfo struct {
	Version  string
	Revision string // VCS commit, "" when the build has no VCS stamp
	Modified bool   // the work tree had uncommitted changes
	Go       string
	Platform string
}

// readBuildInfo collects the version, preferring the -ldflags value, then the
// main module version that `go install module@version` records, then "dev"
// (go run and go build inside the repo record "(devel)" or nothing).
func readBuildInfo() buildInfo {
	b := buildInfo{
		Version:  version,
		Go:       runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH,
	}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// appVersion is the version other commands report (bolt_metadata, logs).
func appVersion() string { return readBuildInfo().Version }

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, VCS revision, Go version and platform",
		Action: func(c *cli.Context) error {
			b := readBuildInfo()
			w := c.App.Writer
			fmt.Fprintf(w, "pledge %s\n", b.Version)
			if b.Revision != "" {
				dirty := ""
				if b.Modified {
					dirty = " (modified)"
				}
				fmt.Fprintf(w, "revision: %s%s\n", b.Revision, dirty)
			}
			fmt.Fprintf(w, "go: %s\n", b.Go)
			fmt.Fprintf(w, "platform: %s\n", b.Platform)
			return nil
		},
	}
}
