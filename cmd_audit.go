package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/ui/termtext"
)

// newAuditCmd is `roster audit`: the trail of changes, oldest first, from
// the configured sink ([audit] sink: the file, or PostgreSQL shared by
// several instances).
func newAuditCmd(g *globalFlags) *cobra.Command {
	var (
		filter       audit.Filter
		since, until string
		asJSON       bool
		follow       bool
	)
	cmd := &cobra.Command{
		Use: "audit",
		Example: "  roster audit\n  roster audit --user 10001 --json\n  roster audit --who ana --since 24h\n" +
			"  roster audit --provider zoho --action delete --since 2026-12-01 --until 2026-12-02\n" +
			"  roster audit --run 20261202T073706Z-583a1e56\n  roster audit --follow",
		Short: "Show who changed or deleted which users (the audit trail)",
		Long: "Show who changed or deleted which users, oldest first, from the configured audit sink " +
			"([audit] sink: the file, or PostgreSQL shared by several instances).\n\n" +
			"--provider (the global flag) selects one provider's changes. --since and --until take a time " +
			"(2026-12-01, \"2026-12-01 14:00\", RFC 3339) or a duration before now (90m, 24h). " +
			"--follow keeps printing changes as any instance makes them (with --json: one object per line).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			now := time.Now()
			if filter.Since, err = parseWhen(since, now); err != nil {
				return usageErrorf("--since: %v", err)
			}
			if filter.Until, err = parseWhen(until, now); err != nil {
				return usageErrorf("--until: %v", err)
			}
			filter.Provider = g.provider
			l, err := g.loadConfig(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			if l.demo != nil {
				return errors.New("the demo keeps no audit log (its users live in memory); pass --config")
			}
			sink, err := l.auditLog()
			if err != nil {
				return err
			}
			if follow {
				return followAudit(cmd, sink, filter, asJSON)
			}
			entries, err := audit.ReadSink(cmd.Context(), sink, filter)
			if err != nil && !warnBadLines(cmd.ErrOrStderr(), err) {
				return err
			}
			if asJSON {
				if entries == nil {
					entries = []audit.Entry{}
				}
				return printJSON(cmd.OutOrStdout(), entries)
			}
			if len(entries) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "no changes recorded in %s\n", auditWhere(l.cfg.Audit.Sink, l.cfg.SSH.AuditLog))
				return nil
			}
			printAuditTable(cmd.OutOrStdout(), entries)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&filter.UserID, "user", "", "only changes to this user id")
	f.StringVar(&filter.Who, "who", "", "only changes made by this person (SSH user name or local OS user)")
	f.StringVar(&filter.Action, "action", "", "only this action: update, delete or create")
	f.StringVar(&filter.Run, "run", "", "only the changes of this run (a bulk run, an offboarding or onboarding: its run id)")
	f.StringVar(&since, "since", "", "only changes at or after this time, or this long ago (24h)")
	f.StringVar(&until, "until", "", "only changes before this time, or this long ago")
	f.BoolVar(&follow, "follow", false, "keep printing new changes, from every instance, until interrupted")
	f.BoolVar(&asJSON, "json", false, "print the entries as a JSON array (with --follow: one object per line)")
	return cmd
}

func auditWhere(sink, file string) string {
	if sink == "postgres" {
		return "the PostgreSQL audit table"
	}
	return file
}

// warnBadLines prints the lines a read skipped; false when err is
// something else.
func warnBadLines(w io.Writer, err error) bool {
	var bad *audit.BadLinesError
	if !errors.As(err, &bad) {
		return false
	}
	// One bad line never hides the others: say which, show the rest.
	for _, b := range bad.Lines {
		fmt.Fprintf(w, "warning: %s:%d skipped: %s\n", termtext.Clean(bad.Path), b.Line, termtext.Clean(b.Reason))
	}
	return true
}

// followAudit prints the trail, then each change as it is recorded, until
// the command's context ends (ctrl+c).
func followAudit(cmd *cobra.Command, sink audit.Sink, f audit.Filter, asJSON bool) error {
	out := cmd.OutOrStdout()
	// Only the first batch is the backlog, settled as `roster audit` shows
	// it, even when it is empty: an intent arriving later is a change in
	// flight, whose outcome follows, not one whose process ended.
	backlog, header := true, true
	var widths []int // grow only, so each batch lines up under the last
	err := sink.Follow(cmd.Context(), f, func(entries []audit.Entry, err error) error {
		if err != nil && !warnBadLines(cmd.ErrOrStderr(), err) {
			return err
		}
		if backlog {
			entries = audit.Settle(entries)
			backlog = false
		}
		if asJSON {
			enc := json.NewEncoder(out)
			for _, e := range entries {
				if err := enc.Encode(e); err != nil {
					return err
				}
			}
			return nil
		}
		if len(entries) > 0 {
			widths = writeColumnsFrom(out, auditRows(entries, header), widths)
			header = false
		}
		return nil
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// parseWhen reads --since/--until: "" (none), a duration before now, a
// date, a date and time (local), or RFC 3339.
func parseWhen(text string, now time.Time) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(text); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, text); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.DateOnly, "2006-01-02 15:04", time.DateTime, "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, text, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (2026-12-01, \"2026-12-01 14:00\", RFC 3339) or a duration (24h)", text)
}

// printAuditTable writes one line per change. Names and values come from
// providers and the config; all are sanitised before they reach the terminal.
func printAuditTable(w io.Writer, entries []audit.Entry) {
	writeColumns(w, auditRows(entries, true))
}

// auditRows is the table's lines for entries, under its header if asked.
func auditRows(entries []audit.Entry, header bool) [][]string {
	var rows [][]string
	if header {
		rows = append(rows, []string{"TIME", "WHO", "VIA", "PROVIDER", "USER", "NAME", "ACTION", "RESULT", "CHANGES"})
	}
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
	return rows
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
