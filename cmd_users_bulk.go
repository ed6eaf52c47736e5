package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// Many users at once: `users update --from`, `users delete --from` and
// `users deactivate` plan with crm/run (one read per user, only the fields
// that really change), print the plan with --dry-run, and otherwise run it
// with a journal under $XDG_STATE_HOME/roster/runs/ that `roster runs
// resume` continues after a crash or kill -9.

// bulkFlags are the flags the bulk commands share.
type bulkFlags struct {
	from       string
	dryRun     bool
	asJSON     bool
	clearEmpty bool
	yes        bool
}

// bulkResult is one user's line of --json output.
type bulkResult struct {
	ID      string       `json:"id"`
	Status  string       `json:"status"`
	Changes []run.Change `json:"changes,omitempty"`
	Error   string       `json:"error,omitempty"`
	// Kind is the error's kind (conflict, validation, …) when there is one.
	Kind string `json:"kind,omitempty"`
}

// runBulk makes the plan and the run for items (op update or delete).
func runBulk(cmd *cobra.Command, g *globalFlags, p crm.Provider, op run.Op, items []run.Item, f bulkFlags) error {
	ctx := cmd.Context()
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	plan, err := run.MakePlan(ctx, p, op, items)
	if err != nil {
		return err
	}
	plan.Demo = g.demo // journaled: a demo run is never resumed on a real provider
	if f.dryRun {
		return printBulkPlan(out, errOut, plan, items, f.asJSON)
	}
	dir, err := run.Dir()
	if err != nil {
		return err
	}
	j, err := run.OpenJournal(dir, plan.Run)
	if err != nil {
		return err
	}
	defer j.Close()
	fmt.Fprintf(errOut, "roster: run %s: %d to %s, %d unchanged, %d unreadable (journal %s)\n",
		plan.Run, len(plan.Steps), op, len(plan.Unchanged), len(plan.Failed), j.Path)
	results, err := run.Execute(ctx, p, j, plan, nil, run.Options{})
	if err != nil {
		return fmt.Errorf("run %s: %w (resume it: roster runs resume %s)", plan.Run, err, plan.Run)
	}
	return reportRun(out, plan, items, results, f.asJSON)
}

// statusOf names an outcome the way scripts read it.
func statusOf(op run.Op, o run.Outcome) string {
	switch o {
	case run.Applied:
		if op == run.OpDelete {
			return "deleted"
		}
		return "updated"
	case run.Unchanged:
		return "unchanged"
	case run.Unknown:
		return "unknown"
	case run.Skipped:
		return "skipped"
	}
	return "failed"
}

// ordered puts results in the input's order, with the users the plan left
// alone (unchanged, unreadable) in their places.
func ordered(plan run.Plan, items []run.Item, results []run.Result) []bulkResult {
	byID := map[string]bulkResult{}
	for _, id := range plan.Unchanged {
		byID[id] = bulkResult{ID: id, Status: "unchanged"}
	}
	for id, msg := range plan.Failed {
		byID[id] = bulkResult{ID: id, Status: "failed", Error: msg, Kind: kindOf(plan.Errors[id])}
	}
	for _, r := range results {
		br := bulkResult{ID: r.ID, Status: statusOf(plan.Op, r.Outcome), Changes: r.Changes}
		if r.Err != nil {
			br.Error, br.Kind = r.Err.Error(), kindOf(r.Err)
		}
		byID[r.ID] = br
	}
	out := make([]bulkResult, 0, len(byID))
	for _, it := range items {
		if r, ok := byID[it.ID]; ok {
			out = append(out, r)
			delete(byID, it.ID)
		}
	}
	// A resumed run has no items: the plan's order, then the rest.
	rest := make([]string, 0, len(plan.Steps)+len(plan.Unchanged)+len(plan.Failed))
	for _, s := range plan.Steps {
		rest = append(rest, s.ID)
	}
	rest = append(rest, plan.Unchanged...)
	failed := make([]string, 0, len(plan.Failed))
	for id := range plan.Failed {
		failed = append(failed, id)
	}
	sort.Strings(failed)
	for _, id := range append(rest, failed...) {
		if r, ok := byID[id]; ok {
			out = append(out, r)
			delete(byID, id)
		}
	}
	return out
}

func kindOf(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, crm.ErrConflict) {
		return "conflict"
	}
	if e := crm.AsError(err); e != nil {
		return strings.ReplaceAll(e.Kind.String(), " ", "_")
	}
	return "error"
}

// reportRun prints one line (or JSON object) per user and turns anything
// but updated/unchanged into the failure's exit code with a summary.
func reportRun(w io.Writer, plan run.Plan, items []run.Item, results []run.Result, asJSON bool) error {
	rows := ordered(plan, items, results)
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Status]++
		if asJSON {
			if err := writeJSONLine(w, r); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintln(w, resultLine(r))
	}
	return runOutcome(plan, rows, results, counts)
}

// resultLine is one user's outcome for people: "updated 10001: title: A → B".
func resultLine(r bulkResult) string {
	line := r.Status + " " + r.ID
	if r.Status != "unchanged" && len(r.Changes) > 0 {
		line += ": " + describeChanges(r.Changes)
	}
	if r.Error != "" {
		line += " — " + r.Error
	}
	return termtext.Clean(line)
}

func describeChanges(cs []run.Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Key + ": " + crm.DescribeChange(c.Old, c.New)
	}
	return strings.Join(parts, "; ")
}

// runOutcome is nil when every user was written or needed nothing, else an
// error that carries the summary and the exit code of what went wrong (an
// unknown outcome first: it may need a person to look).
func runOutcome(plan run.Plan, rows []bulkResult, results []run.Result, counts map[string]int) error {
	bad := len(rows) - counts["updated"] - counts["deleted"] - counts["unchanged"]
	if bad == 0 {
		return nil
	}
	var cause error
	for _, r := range results {
		if r.Err == nil {
			continue
		}
		if cause == nil || (crm.IsUnknownOutcome(r.Err) && !crm.IsUnknownOutcome(cause)) {
			cause = r.Err
		}
	}
	if cause == nil {
		for _, id := range sortedKeys(plan.Errors) {
			cause = plan.Errors[id]
			break
		}
	}
	var parts []string
	for _, s := range []string{"updated", "deleted", "unchanged", "failed", "unknown", "skipped"} {
		if counts[s] > 0 || s == "failed" {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	msg := fmt.Sprintf("run %s: %s", plan.Run, strings.Join(parts, ", "))
	if counts["unknown"] > 0 || counts["skipped"] > 0 || anyRetryable(results) {
		msg += fmt.Sprintf("; resume it: roster runs resume %s", plan.Run)
	}
	return &runError{msg: msg, cause: cause}
}

func anyRetryable(results []run.Result) bool {
	for _, r := range results {
		if r.Outcome == run.NotApplied && r.Err != nil && !errors.Is(r.Err, crm.ErrConflict) {
			switch crm.KindOf(r.Err) {
			case crm.KindTransient, crm.KindRateLimited:
				return true
			}
		}
	}
	return false
}

func sortedKeys(m map[string]error) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// runError is a run that did not end clean: its message is the summary,
// its exit code the cause's (cmd_exit.go).
type runError struct {
	msg   string
	cause error
}

func (e *runError) Error() string { return e.msg }
func (e *runError) Unwrap() error { return e.cause }

// printBulkPlan is --dry-run: per user the fields that would change, old → new.
func printBulkPlan(w, errOut io.Writer, plan run.Plan, items []run.Item, asJSON bool) error {
	steps := map[string]run.Step{}
	for _, s := range plan.Steps {
		steps[s.ID] = s
	}
	var order []string
	for _, it := range items {
		order = append(order, it.ID)
	}
	failed := 0
	for _, id := range order {
		var r bulkResult
		switch s, ok := steps[id]; {
		case ok && plan.Op == run.OpDelete:
			r = bulkResult{ID: id, Status: "would-delete"}
		case ok:
			r = bulkResult{ID: id, Status: "would-update", Changes: s.Changes}
		case plan.Failed[id] != "":
			failed++
			r = bulkResult{ID: id, Status: "failed", Error: plan.Failed[id], Kind: kindOf(plan.Errors[id])}
		default:
			r = bulkResult{ID: id, Status: "unchanged"}
		}
		if asJSON {
			if err := writeJSONLine(w, r); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintln(w, resultLine(r))
	}
	fmt.Fprintf(errOut, "roster: dry run, nothing sent: %d would %s, %d unchanged, %d unreadable\n",
		len(plan.Steps), plan.Op, len(plan.Unchanged), failed)
	if failed > 0 {
		for _, id := range order {
			if err := plan.Errors[id]; err != nil {
				return &runError{msg: fmt.Sprintf("dry run: %d user(s) could not be read", failed), cause: err}
			}
		}
	}
	return nil
}

// writeJSONLine writes v as one line of JSON, with invisible characters
// escaped as printError does (provider text is untrusted).
func writeJSONLine(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeInvisible(data), '\n'))
	return err
}

// bulkProvider opens the provider for writing and checks it can do the
// command (need says why not).
func bulkProvider(cmd *cobra.Command, g *globalFlags, need func(crm.Info) error) (crm.Provider, func(), error) {
	p, l, err := g.openForWrite(cmd)
	if err != nil {
		return nil, nil, err
	}
	if err := need(p.Info()); err != nil {
		l.Close()
		return nil, nil, err
	}
	return p, l.Close, nil
}
