package main

import (
	"errors"
	"fmt"
	"github.com/roster-tui/roster/crm"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/ui/termtext"
)

// newAuditCmd is `roster audit`: the trail of changes, oldest first.
func newAuditCmd(g *globalFlags) *cobra.Command {
	var (
		filter audit.Filter
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:     "audit",
		Example: "  roster audit\n  roster audit --user 10001 --json\n  roster audit --who ana\n  roster audit --run 20261202T073706Z-583a1e56",
		Short:   "Show who changed or deleted which users (the audit log)",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := g.loadConfig(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			if l.demo != nil {
				return errors.New("the demo keeps no audit log (its users live in memory); pass --config")
			}
			entries, err := audit.Read(l.cfg.SSH.AuditLog, filter)
			var bad *audit.BadLinesError
			if errors.As(err, &bad) {
				// One bad line never hides the others: say which, show the rest.
				for _, b := range bad.Lines {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s:%d skipped: %s\n", bad.Path, b.Line, termtext.Clean(b.Reason))
				}
			} else if err != nil {
				return err
			}
			if asJSON {
				if entries == nil {
					entries = []audit.Entry{}
				}
				return printJSON(cmd.OutOrStdout(), entries)
			}
			if len(entries) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "no changes recorded in %s\n", l.cfg.SSH.AuditLog)
				return nil
			}
			printAuditTable(cmd.OutOrStdout(), entries)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&filter.UserID, "user", "", "only changes to this user id")
	f.StringVar(&filter.Run, "run", "", "only the changes of this run (a bulk run, an offboarding or onboarding: its run id)")
	f.StringVar(&filter.Who, "who", "", "only changes made by this person (SSH user name or local OS user)")
	f.BoolVar(&asJSON, "json", false, "print the entries as a JSON array")
	return cmd
}

// printAuditTable writes one line per change. Names and values come from
// providers and the config; all are sanitised before they reach the terminal.
func printAuditTable(w io.Writer, entries []audit.Entry) {
	rows := [][]string{{"TIME", "WHO", "VIA", "PROVIDER", "USER", "NAME", "ACTION", "RESULT", "CHANGES"}}
	for _, e := range entries {
		result := e.Result
		if e.Error != "" {
			result += ": " + termtext.Truncate(termtext.Clean(e.Error), 60)
		}
		rows = append(rows, []string{
			e.Time.Local().Format(time.DateTime),
			termtext.Truncate(termtext.Clean(e.Who.Name), 24),
			termtext.Clean(e.Who.Via),
			termtext.Truncate(termtext.Clean(e.Provider), 20),
			termtext.Truncate(termtext.Clean(e.UserID), 36),
			termtext.Truncate(termtext.Clean(e.UserName), 28),
			termtext.Clean(e.Action),
			result,
			auditChanges(e),
		})
	}
	writeColumns(w, rows)
}

// auditChanges summarises an entry: field: before → after for an update,
// the user's name for a delete (the entry holds the whole user as it was).
func auditChanges(e audit.Entry) string {
	if e.Action == "delete" {
		return "deleted " + termtext.Truncate(termtext.Clean(e.UserName), 40)
	}
	keys := make([]string, 0, len(e.After))
	for k := range e.After {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		old := termtext.Truncate(termtext.Clean(crm.DescribeValue(e.Before[k])), 30)
		new := termtext.Truncate(termtext.Clean(crm.DescribeValue(e.After[k])), 30)
		part := termtext.Clean(k) + ": " + crm.DescribeChange(old, new)
		if v, ok := e.Reread[k]; ok {
			part += " (read back: " + termtext.Truncate(termtext.Clean(crm.DescribeValue(v)), 30) + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}
