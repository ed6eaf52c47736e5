package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/crm/stack"
	"github.com/roster-tui/roster/ui/termtext"
)

// newPersonCmd is `roster person …`: one person across every configured
// provider (crm/person).
func newPersonCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "person",
		Example: "  roster person find ada.0@example.com --demo\n  roster person offboard ada.0@example.com --dry-run\n  roster person onboard --set email=new.hire@example.com --set first_name=New --set last_name=Hire --yes",
		Short:   "Find, onboard and offboard one person across every provider",
	}
	cmd.AddCommand(newPersonFindCmd(g), newPersonOffboardCmd(g), newPersonOnboardCmd(g))
	// The local --provider (and --delete-in) complete provider names like
	// the global --provider they shadow.
	for _, sub := range cmd.Commands() {
		for _, flag := range []string{"provider", "delete-in"} {
			if sub.Flags().Lookup(flag) != nil {
				_ = sub.RegisterFlagCompletionFunc(flag, g.completeProviders)
			}
		}
	}
	return cmd
}

// personFlags are the flags every person command shares.
type personFlags struct {
	providers []string // --provider, repeatable: only these (default all)
	json      bool
}

func (o *personFlags) register(cmd *cobra.Command) {
	// A local --provider shadows the global single-valued one: here it
	// chooses several providers, not one.
	cmd.Flags().StringArrayVarP(&o.providers, "provider", "p", nil, "only this provider (repeatable; default: every provider in the config)")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
}

// openPeople opens the chosen providers (all by default), in config order,
// each in the one provider stack for the local admin: audited outside the
// demo when write is set.
func (g *globalFlags) openPeople(cmd *cobra.Command, chosen []string, write bool) (*loaded, []crm.Provider, error) {
	l, adapters, err := g.openAll(cmd)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range chosen {
		if !slices.Contains(l.cfg.Order, name) {
			l.Close()
			return nil, nil, usageErrorf("no provider %q in %s (have %s)", name, configName(l.cfg), strings.Join(l.cfg.Order, ", "))
		}
	}
	var out []crm.Provider
	for i, name := range l.cfg.Order {
		if len(chosen) > 0 && !slices.Contains(chosen, name) {
			continue
		}
		p := stack.Build(adapters[i], l.stackOptions(name, "cli"))
		if write {
			if p, err = l.stacked(name, adapters[i], "cli"); err != nil {
				l.Close()
				return nil, nil, err
			}
		}
		out = append(out, p)
	}
	return l, out, nil
}

func newPersonFindCmd(g *globalFlags) *cobra.Command {
	var o personFlags
	cmd := &cobra.Command{
		Use:   "find EMAIL|NAME",
		Short: "Find a person in every provider at once (exit 3 when in none)",
		Long: "Searches every provider concurrently: Laurel by its email identity, providers that search on\n" +
			"the server by their search, the others by reading their users. An email finds only that\n" +
			"address. A provider that could not be searched is an error, never \"not found\".",
		Example: "  roster person find ada.0@example.com\n  roster person find ada.0@example.com --json\n  roster person find \"grace hopper\" -p sales -p zoho",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, providers, err := g.openPeople(cmd, o.providers, false)
			if err != nil {
				return err
			}
			defer l.Close()
			found := person.FindAll(cmd.Context(), providers, args[0])
			if o.json {
				if err := printJSON(cmd.OutOrStdout(), foundJSON(found)); err != nil {
					return err
				}
			} else {
				printFoundTable(cmd.OutOrStdout(), found)
			}
			return findError(found, args[0])
		},
	}
	o.register(cmd)
	return cmd
}

// foundEntry is one provider's answer in `person find --json`.
type foundEntry struct {
	Provider string     `json:"provider"`
	Found    bool       `json:"found"`
	Users    []crm.User `json:"users"`
	Error    *string    `json:"error"`
}

func foundJSON(found []person.Found) []foundEntry {
	out := make([]foundEntry, 0, len(found))
	for _, f := range found {
		e := foundEntry{Provider: f.Provider, Found: len(f.Users) > 0, Users: f.Users}
		if e.Users == nil {
			e.Users = []crm.User{}
		}
		if f.Err != nil {
			msg := f.Err.Error()
			e.Error = &msg
		}
		out = append(out, e)
	}
	return out
}

// printFoundTable writes one line per user found, and one per provider
// where none was or the search failed.
func printFoundTable(w io.Writer, found []person.Found) {
	rows := [][]string{{"PROVIDER", "FOUND", "ID", "NAME", "EMAIL", "STATUS", "UPDATED"}}
	for _, f := range found {
		name := termtext.Truncate(termtext.Clean(f.Provider), 20)
		switch {
		case f.Err != nil:
			// The message goes last, where a long cell widens no column.
			rows = append(rows, []string{name, "error", "", "", "", "", termtext.Truncate(termtext.Clean(f.Err.Error()), 160)})
		case len(f.Users) == 0:
			rows = append(rows, []string{name, "no"})
		}
		for _, u := range f.Users {
			rows = append(rows, []string{name, "yes",
				termtext.Truncate(termtext.Clean(u.ID), 36),
				termtext.Truncate(termtext.Clean(u.DisplayName()), 32),
				termtext.Truncate(termtext.Clean(u.Email), 40),
				termtext.Truncate(termtext.Clean(crm.StatusWord(u)), 16),
				termtext.Truncate(termtext.Clean(u.UpdatedAt), 25)})
		}
	}
	writeColumns(w, rows)
}

// findError is the exit of a find: the first provider's failure (the person
// may be there), else not found when no provider holds the person.
func findError(found []person.Found, query string) error {
	var failed []string
	var first error
	foundAny := false
	for _, f := range found {
		if f.Err != nil {
			failed = append(failed, f.Provider)
			if first == nil {
				first = f.Err
			}
		}
		foundAny = foundAny || len(f.Users) > 0
	}
	if first != nil {
		return fmt.Errorf("could not search %s: %w", strings.Join(failed, ", "), first)
	}
	if !foundAny {
		return &crm.Error{Kind: crm.KindNotFound, Op: "find person",
			Message: fmt.Sprintf("%q is in none of the %d providers", query, len(found))}
	}
	return nil
}

// progressWriter writes the progress lines of steps that run concurrently
// (person.Progress is called from each step's goroutine), one whole line
// at a time.
type progressWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *progressWriter) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format, args...)
}
