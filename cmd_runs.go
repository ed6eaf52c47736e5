package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
)

// newRunsCmd is `roster runs …`: the journals of bulk runs
// ($XDG_STATE_HOME/roster/runs/RUN.jsonl) and resuming one.
func newRunsCmd(g *globalFlags) *cobra.Command {
	runs := &cobra.Command{
		Use:     "runs",
		Example: "  roster runs list\n  roster runs resume 20261202T081500Z-1a2b3c4d",
		Short:   "List bulk runs and resume one that was interrupted",
	}
	runs.AddCommand(newRunsListCmd(), newRunsResumeCmd(g))
	return runs
}

func newRunsListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Example: "  roster runs list\n  roster runs list --json",
		Short:   "Show every bulk run and its state (finished, needs-resume)",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := run.Dir()
			if err != nil {
				return err
			}
			list, err := run.List(dir)
			if err != nil {
				return err
			}
			if asJSON {
				if list == nil {
					list = []run.Summary{}
				}
				return printJSON(cmd.OutOrStdout(), list)
			}
			if len(list) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "roster: no runs in %s\n", dir)
				return nil
			}
			for _, s := range list {
				fmt.Fprintln(cmd.OutOrStdout(), describeRun(s))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func newRunsResumeCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "resume RUN",
		Example: "  roster runs resume 20261202T081500Z-1a2b3c4d\n  roster runs resume 20261202T0815 --json",
		Short:   "Continue an interrupted run: confirmed writes are not sent again, unsettled ones are re-read first",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := run.Dir()
			if err != nil {
				return err
			}
			path, err := run.Find(dir, args[0])
			if err != nil {
				return usageError{err}
			}
			st, err := run.ReadJournal(path)
			if err != nil {
				return err
			}
			// A run on the demo's generated users resumes only on the demo
			// (its provider names, such as "sales", are ordinary ones), and
			// a real run never on the demo.
			if st.Plan.Demo != g.demo {
				if st.Plan.Demo {
					return usageErrorf("run %s was on the demo's sandbox (roster --demo); resume it with --demo", st.Plan.Run)
				}
				return usageErrorf("run %s was on the configured provider %s, not the demo; resume it without --demo", st.Plan.Run, st.Plan.Provider)
			}
			// The run names its provider; it resumes there, whatever -p says.
			if g.provider != "" && g.provider != st.Plan.Provider {
				return usageErrorf("run %s was on provider %s, not %s", st.Plan.Run, st.Plan.Provider, g.provider)
			}
			g.provider = st.Plan.Provider
			p, done, err := bulkProvider(cmd, g, func(crm.Info) error { return nil })
			if err != nil {
				return err
			}
			defer done()
			plan, results, err := run.Resume(cmd.Context(), p, path, run.Options{})
			if err != nil {
				return fmt.Errorf("run %s: %w", plan.Run, err)
			}
			return reportRun(cmd.OutOrStdout(), plan, nil, results, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one result object per user")
	return cmd
}

// describeRun is the line `runs list` prints for a run: its state, where
// (a demo run says so: its provider names are ordinary ones), and how far
// it got, with the writes a kill interrupted (a resume reads them first).
func describeRun(s run.Summary) string {
	if s.Error != "" {
		return fmt.Sprintf("%s  %s  %s", s.Run, s.State, s.Error)
	}
	where := s.Provider
	if s.Demo {
		where += " (demo)"
	}
	users := "users"
	if s.Users == 1 {
		users = "user"
	}
	line := fmt.Sprintf("%s  %-12s  %-8s %-6s %d %s: %d applied, %d unchanged, %d failed, %d unknown, %d pending",
		s.Run, s.State, where, s.Op, s.Users, users, s.Applied, s.Unchanged, s.Failed, s.Unknown, s.Pending)
	if s.Interrupted > 0 {
		line += fmt.Sprintf(" (%d interrupted mid-write)", s.Interrupted)
	}
	return line
}
