// Command roster is a keyboard-driven console for the users held in CRM
// systems: a TUI (the default), an SSH-served console (serve), a scriptable
// CLI (users, providers, audit) and the embedded sandbox (sandbox).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := execute(ctx, newRootCmd(), os.Stderr)
	stop()
	os.Exit(code)
}

// execute runs the command tree and reports a failure on stderr: one
// sanitised line, or one JSON object with --json. It returns the exit code.
func execute(ctx context.Context, root *cobra.Command, stderr io.Writer) int {
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		printError(stderr, err, wantsJSON(cmd))
	}
	return exitCode(err)
}

// newRootCmd builds the command tree; each subcommand lives in its own file.
func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "roster",
		Example:       "  roster                      # the console (the demo when no config exists)\n  roster --demo --users 1000000\n  roster --config ~/roster.toml -p sales\n  roster users list --json",
		Short:         "A keyboard-driven console for the users in your CRM systems",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd, g)
		},
	}
	g.register(root)
	// --version prints what `roster version` prints (cobra's template).
	root.Version = readBuildVersion().Version
	root.SetVersionTemplate("{{with .Annotations}}{{.version}}{{end}}")
	root.Annotations = map[string]string{"version": versionText()}
	root.AddCommand(
		newUsersCmd(g),
		newProvidersCmd(g),
		newSandboxCmd(),
		newServeCmd(g),
		newAuditCmd(g),
		newVersionCmd(),
		newManCmd(),
		newDoctorCmd(g),
		newPersonCmd(g),
		newRunsCmd(g),
		newConfigCmd(g),
	)
	registerCompletions(root, g)
	return root
}
