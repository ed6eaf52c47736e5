package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// register adds the --from family to update (withClear) or delete.
func (f *bulkFlags) register(cmd *cobra.Command, withClear bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "many users from FILE ('-' for standard input): "+fromHelp(withClear))
	fl.BoolVar(&f.dryRun, "dry-run", false, "with --from: print what would change, old → new, and send nothing")
	if withClear {
		fl.BoolVar(&f.clearEmpty, "clear-empty", false, "with --from: an empty CSV cell clears the field (default: leaves it as it is)")
	}
}

func fromHelp(update bool) string {
	if update {
		return `CSV with an id column and one column per field key or common name, or JSON Lines {"id": "…", "set": {"title": "…"}}`
	}
	return "ids one per line, or CSV with an id column"
}

// runUpdateFrom is `users update --from FILE`.
func runUpdateFrom(cmd *cobra.Command, g *globalFlags, f bulkFlags, args, sets []string) error {
	if err := fromOnly(f, args); err != nil {
		return err
	}
	if len(sets) > 0 {
		return usageErrorf("--set is for one user; with --from the file says what to set")
	}
	f.asJSON = wantsJSON(cmd)
	data, err := readFrom(cmd, f.from)
	if err != nil {
		return err
	}
	p, done, err := bulkProvider(cmd, g, able(run.OpUpdate))
	if err != nil {
		return err
	}
	defer done()
	// Every problem in the file, before anything is read or sent.
	items, err := readUpdates(f.from, data, p.Schema(), f.clearEmpty)
	if err != nil {
		return listProblems(cmd, f.asJSON, err)
	}
	return runBulk(cmd, g, p, run.OpUpdate, items, f)
}

// runDeleteFrom is `users delete --from FILE --yes`.
func runDeleteFrom(cmd *cobra.Command, g *globalFlags, f bulkFlags, args []string) error {
	if err := fromOnly(f, args); err != nil {
		return err
	}
	if !f.yes && !f.dryRun {
		return usageErrorf("refusing to delete the users in %s without --yes (deleting cannot be undone; --dry-run shows who)", inputName(f.from))
	}
	ids, err := idsFrom(cmd, f.from)
	if err != nil {
		return err
	}
	p, done, err := bulkProvider(cmd, g, able(run.OpDelete))
	if err != nil {
		return err
	}
	defer done()
	return runBulk(cmd, g, p, run.OpDelete, itemsOf(ids, nil), f)
}

// fromOnly refuses update or delete --from without a file, or with ids
// beside it.
func fromOnly(f bulkFlags, args []string) error {
	switch {
	case f.from == "":
		return usageErrorf("give a user id, or --from FILE for many")
	case len(args) > 0:
		return usageErrorf("--from reads the users from FILE; drop the id %q", args[0])
	}
	return nil
}

// able is bulkProvider's check that the provider's live capabilities (what
// the guard allows this role) let a run do op.
func able(op run.Op) func(crm.Info) error {
	return func(info crm.Info) error {
		allowed := map[run.Op]bool{run.OpUpdate: info.Caps.Update, run.OpDelete: info.Caps.Delete}
		if !allowed[op] {
			return notAllowedf("provider %s cannot %s users%s", info.Name, op, notice(info))
		}
		return nil
	}
}

// readFrom reads the whole of --from's FILE ('-': standard input).
func readFrom(cmd *cobra.Command, from string) ([]byte, error) {
	in, closeIn, err := openInput(from, cmd.InOrStdin())
	if err != nil {
		return nil, err
	}
	defer closeIn()
	return readAllInput(in)
}

// listProblems prints each input problem on its own line (stderr) and
// returns the one-line summary as the error; with --json the error (one
// JSON object) carries them all.
func listProblems(cmd *cobra.Command, asJSON bool, err error) error {
	var bad *badInput
	if asJSON || !errors.As(err, &bad) {
		return err
	}
	w := cmd.ErrOrStderr()
	for _, p := range bad.problems {
		if p.Line > 0 {
			fmt.Fprintf(w, "%s:%d: %s\n", bad.name, p.Line, termtext.Clean(p.Msg))
		} else {
			fmt.Fprintf(w, "%s: %s\n", bad.name, termtext.Clean(p.Msg))
		}
	}
	return usageErrorf("%s: %d problem(s) above; nothing was sent", bad.name, len(bad.problems))
}

func idsFrom(cmd *cobra.Command, from string) ([]string, error) {
	data, err := readFrom(cmd, from)
	if err != nil {
		return nil, err
	}
	ids, err := readIDs(from, data)
	if err != nil {
		return nil, listProblems(cmd, wantsJSON(cmd), err)
	}
	return ids, nil
}

func itemsOf(ids []string, set crm.Changes) []run.Item {
	items := make([]run.Item, len(ids))
	for i, id := range ids {
		items[i] = run.Item{ID: id, Set: set}
	}
	return items
}

// newUsersDeactivateCmd is `users deactivate ID…|--from FILE --yes`: what
// deactivating means is the provider's (crm.DeactivateChanges), sent as an
// ordinary, conflict-checked and audited update per user.
func newUsersDeactivateCmd(g *globalFlags) *cobra.Command {
	var f bulkFlags
	cmd := &cobra.Command{
		Use:     "deactivate ID… | deactivate --from FILE",
		Example: "  roster users deactivate 10001 10002 --yes\n  roster users deactivate --from contractors.txt --dry-run\n  roster -p truto users deactivate --from leavers.csv --yes --json",
		Short:   "Deactivate users where the provider has a status or active flag (needs --yes)",
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case f.from == "" && len(args) == 0:
				return usageErrorf("give user ids, or --from FILE")
			case f.from != "" && len(args) > 0:
				return usageErrorf("give user ids or --from FILE, not both")
			case !f.yes && !f.dryRun:
				return usageErrorf("refusing to deactivate without --yes (--dry-run shows who)")
			}
			var ids []string
			if f.from != "" {
				var err error
				if ids, err = idsFrom(cmd, f.from); err != nil {
					return err
				}
			} else {
				seen := map[string]bool{}
				for _, id := range args {
					if seen[id] {
						return usageErrorf("user %s is given twice", id)
					}
					seen[id] = true
				}
				ids = args
			}
			p, done, err := bulkProvider(cmd, g, able(run.OpUpdate))
			if err != nil {
				return err
			}
			defer done()
			changes, ok := crm.DeactivateChanges(p)
			if !ok {
				return notAllowedf("provider %s (%s) documents no way to deactivate a user; delete is the only way out", p.Info().Name, p.Info().Kind)
			}
			return runBulk(cmd, g, p, run.OpUpdate, itemsOf(ids, changes), f)
		},
	}
	f.register(cmd, false)
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "one result object per user")
	cmd.Flags().BoolVar(&f.yes, "yes", false, "really deactivate")
	return cmd
}
