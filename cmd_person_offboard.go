package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/ui/termtext"
)

func newPersonOffboardCmd(g *globalFlags) *cobra.Command {
	var (
		o           personFlags
		remove, dry bool
		yes         bool
		deleteIn    []string
	)
	cmd := &cobra.Command{
		Use:   "offboard EMAIL --yes",
		Short: "Deactivate (or --delete) a person in every provider that holds them, as one audited run",
		Long: "Finds EMAIL in every provider, then deactivates each account found the way its provider\n" +
			"does (or deletes it with --delete, admins only), each write checked against the account\n" +
			"as found and audited with one run id. --dry-run shows the plan and sends nothing. When\n" +
			"any provider is not done, the per-provider table goes to stderr and the exit is a failure.",
		Example: "  roster person offboard ada.0@example.com --dry-run\n  roster person offboard ada.0@example.com --yes\n  roster person offboard ada.0@example.com --delete-in zoho-demo --yes\n  roster person offboard ada.0@example.com --delete --yes --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			email := strings.TrimSpace(args[0])
			if !person.IsEmail(email) {
				return usageErrorf("offboard needs an email address, not %q", email)
			}
			if !yes && !dry {
				return usageErrorf("refusing to offboard %s without --yes (see the plan first with --dry-run)", email)
			}
			l, providers, err := g.openPeople(cmd, o.providers, !dry)
			if err != nil {
				return err
			}
			defer l.Close()
			for _, name := range deleteIn {
				if !slices.ContainsFunc(providers, func(p crm.Provider) bool { return p.Info().Name == name }) {
					return usageErrorf("--delete-in %s: not one of the providers offboarding (%s)", name, names(providers))
				}
			}
			actionFor := func(name string) person.Action {
				if remove || slices.Contains(deleteIn, name) {
					return person.Delete
				}
				return person.Deactivate
			}
			found := person.FindAll(cmd.Context(), providers, email)
			plan, err := person.PlanOffboardEach(providers, found, email, actionFor)
			if err != nil {
				return err
			}
			if dry {
				return printPlan(cmd, o.json, plan)
			}
			if plan.Writes() == 0 && findError(found, email) != nil {
				// Nothing to write: say why (not found anywhere, or a provider
				// that could not be searched) with the plan on stderr.
				printPlanTable(cmd.ErrOrStderr(), plan)
				return findError(found, email)
			}
			progress := &progressWriter{w: cmd.ErrOrStderr()}
			results := person.Offboard(cmd.Context(), providers, plan, person.Progress{
				Start: func(s person.Step) {
					if s.Action != person.None {
						progress.printf("%s: %s %s (%s)…\n", termtext.Clean(s.Provider), s.Action,
							termtext.Clean(s.User.DisplayName()), termtext.Clean(s.User.ID))
					}
				},
			})
			return reportResults(cmd, o.json, plan, results)
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.BoolVar(&remove, "delete", false, "delete the accounts instead of deactivating them (admins only; cannot be undone)")
	f.StringArrayVar(&deleteIn, "delete-in", nil, "delete in this provider, deactivate in the others (repeatable; e.g. Zoho, which has no deactivation)")
	f.BoolVar(&dry, "dry-run", false, "show what would be done in each provider; send nothing")
	f.BoolVar(&yes, "yes", false, "really do it")
	return cmd
}

// planEntry is one step of a plan in --json.
type planEntry struct {
	Provider string      `json:"provider"`
	UserID   string      `json:"user_id,omitempty"`
	Name     string      `json:"name,omitempty"`
	Action   string      `json:"action"`
	Changes  crm.Changes `json:"changes,omitempty"`
	Note     string      `json:"note,omitempty"`
	Error    string      `json:"error,omitempty"`
}

func stepJSON(s person.Step) planEntry {
	e := planEntry{Provider: s.Provider, UserID: s.User.ID, Action: string(s.Action), Changes: s.Changes, Note: s.Why}
	if s.User.ID != "" {
		e.Name = s.User.DisplayName()
	}
	if s.Err != nil {
		e.Error = s.Err.Error()
	}
	return e
}

// printPlan writes the plan of a --dry-run; a provider that could not be
// searched makes it a failure (the person may be there).
func printPlan(cmd *cobra.Command, asJSON bool, plan person.Plan) error {
	if asJSON {
		steps := make([]planEntry, 0, len(plan.Steps))
		for _, s := range plan.Steps {
			steps = append(steps, stepJSON(s))
		}
		if err := printJSON(cmd.OutOrStdout(), map[string]any{"run": plan.Run, "email": plan.Email, "action": plan.Action, "steps": steps}); err != nil {
			return err
		}
	} else {
		printPlanTable(cmd.OutOrStdout(), plan)
	}
	for _, s := range plan.Steps {
		if s.Err != nil && s.User.ID == "" {
			return fmt.Errorf("could not search %s: %w", s.Provider, s.Err)
		}
	}
	return nil
}

func printPlanTable(w io.Writer, plan person.Plan) {
	rows := [][]string{{"PROVIDER", "ID", "NAME", "ACTION", "DETAIL"}}
	for _, s := range plan.Steps {
		detail := s.Why
		if s.Err != nil && s.User.ID == "" { // the search's error
			detail += ": " + s.Err.Error()
		}
		if len(s.Changes) > 0 && s.Why == "" {
			detail = changesText(s.Changes)
		}
		rows = append(rows, []string{cell(s.Provider, 20), cell(s.User.ID, 36), cell(userName(s.User), 32),
			string(s.Action), cell(detail, 100)})
	}
	writeColumns(w, rows)
}

// resultEntry is one step's result in --json.
type resultEntry struct {
	planEntry
	Outcome string `json:"outcome"`
}

// reportResults prints the per-provider results: on stdout when every
// provider is done, else (not --json) on stderr, and the failure exit.
func reportResults(cmd *cobra.Command, asJSON bool, plan person.Plan, results []person.Result) error {
	incomplete := person.Incomplete(results)
	if asJSON {
		out := make([]resultEntry, 0, len(results))
		for _, r := range results {
			e := resultEntry{planEntry: stepJSON(r.Step), Outcome: string(r.Outcome)}
			if r.Err != nil {
				e.Error = r.Err.Error()
			}
			if r.User.ID != "" && e.UserID == "" {
				e.UserID, e.Name = r.User.ID, r.User.DisplayName()
			}
			out = append(out, e)
		}
		if err := printJSON(cmd.OutOrStdout(), map[string]any{"run": plan.Run, "email": plan.Email, "action": plan.Action, "results": out}); err != nil {
			return err
		}
	} else {
		w := cmd.OutOrStdout()
		if incomplete {
			w = cmd.ErrOrStderr()
		}
		printResultTable(w, results)
		fmt.Fprintf(w, "run %s\n", plan.Run)
	}
	if !incomplete {
		return nil
	}
	return incompleteError(plan.Email, results)
}

func printResultTable(w io.Writer, results []person.Result) {
	rows := [][]string{{"PROVIDER", "ID", "NAME", "ACTION", "RESULT"}}
	for _, r := range results {
		u := r.Step.User
		if u.ID == "" {
			u = r.User
		}
		result := strings.ReplaceAll(string(r.Outcome), "_", " ")
		switch {
		case r.Err != nil:
			result += ": " + r.Err.Error()
		case r.Step.Why != "" && r.Outcome != person.NotFound:
			result += " (" + r.Step.Why + ")"
		}
		rows = append(rows, []string{cell(r.Step.Provider, 20), cell(u.ID, 36), cell(userName(u), 32),
			string(r.Step.Action), cell(result, 120)})
	}
	writeColumns(w, rows)
}

// incompleteError is the exit of a run not done everywhere: an unknown
// outcome first (exit 8: settle by reading), else the first failure's own
// error, so its kind picks the exit code.
func incompleteError(email string, results []person.Result) error {
	var unknown, failed, skipped []string
	var firstUnknown, firstFailed error
	for _, r := range results {
		switch r.Outcome {
		case person.Unknown:
			unknown = append(unknown, r.Step.Provider)
			firstUnknown = cmp(firstUnknown, r.Err)
		case person.Failed, person.Skipped:
			failed = append(failed, r.Step.Provider)
			if r.Outcome == person.Skipped && r.Step.Action == person.None && r.Step.User.ID != "" {
				skipped = append(skipped, r.Step.Provider)
			}
			err := r.Err
			if err == nil {
				err = errors.New(r.Step.Why)
			}
			firstFailed = cmp(firstFailed, err)
		}
	}
	if firstUnknown != nil {
		return fmt.Errorf("outcome unknown in %s (settle by reading: roster person find); %w", strings.Join(unknown, ", "), firstUnknown)
	}
	var hint string
	if len(skipped) > 0 {
		hint = fmt.Sprintf(" (to delete there in the same run: roster person offboard %s --delete-in %s --yes)", email, strings.Join(skipped, " --delete-in "))
	}
	return fmt.Errorf("not done in %s: %w%s", strings.Join(failed, ", "), firstFailed, hint)
}

func cmp(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

func cell(s string, width int) string { return termtext.Truncate(termtext.Clean(s), width) }

func userName(u crm.User) string {
	if u.ID == "" {
		return ""
	}
	return u.DisplayName()
}

// changesText is "key: value, …" for a plan's changes.
func changesText(c crm.Changes) string {
	parts := make([]string, 0, len(c))
	for _, k := range c.Keys() {
		parts = append(parts, k+" → "+crm.DescribeValue(c[k]))
	}
	return strings.Join(parts, ", ")
}
