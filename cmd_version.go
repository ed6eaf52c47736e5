package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version and commit are set at release time (-ldflags "-X main.version=v1.2.3
// -X main.commit=abc123"); a plain build reports what Go recorded (module
// version, vcs.revision — absent with -buildvcs=false), else devel/unknown.
var version, commit = "", ""

// buildVersion describes this binary: version, commit and Go version, read
// from the build info Go embeds.
type buildVersion struct {
	Version, Commit, Go string
	Modified            bool
}

func readBuildVersion() buildVersion {
	v := buildVersion{Version: version, Commit: commit, Go: "unknown"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if v.Version == "" {
			v.Version = "devel"
		}
		return v
	}
	v.Go = info.GoVersion
	if v.Version == "" {
		v.Version = info.Main.Version
	}
	if v.Version == "" || v.Version == "(devel)" {
		v.Version = "devel"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if v.Commit == "" {
				v.Commit = s.Value
			}
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

func (v buildVersion) write(w io.Writer) {
	commit := v.Commit
	if commit == "" {
		commit = "unknown"
	}
	if v.Modified {
		commit += " (modified)"
	}
	fmt.Fprintf(w, "roster %s\ncommit %s\n%s\n", v.Version, commit, v.Go)
}

// newVersionCmd is `roster version`; `roster --version` prints the same.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and Go version of this binary",
		Example: "  roster version\n  roster --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			readBuildVersion().write(cmd.OutOrStdout())
			return nil
		},
	}
}

func versionText() string {
	var b strings.Builder
	readBuildVersion().write(&b)
	return b.String()
}
