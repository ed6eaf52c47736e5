package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/match"
	"github.com/roster-tui/roster/ui/termtext"
)

// newUsersCmd is `roster users …`: the scriptable side of the console.
func newUsersCmd(g *globalFlags) *cobra.Command {
	users := &cobra.Command{
		Use:     "users",
		Example: "  roster users list --json\n  roster -p zoho users get 42\n  roster users update 10001 --set title=\"Head of Sales\"",
		Short:   "List, show, change, delete and look up users",
	}
	users.AddCommand(newUsersListCmd(g), newUsersGetCmd(g), newUsersCreateCmd(g), newUsersUpdateCmd(g), newUsersDeleteCmd(g), newUsersDeactivateCmd(g), newUsersLookupCmd(g))
	return users
}

// listOptions are the flags of `users list`.
type listOptions struct {
	json    bool
	format  string
	columns []string
	limit   int
	all     bool
	query   string
	view    string
	// matchHere: match the query against every listed user, not on the
	// server (whose search found nothing, see fallBackHere)
	matchHere bool
}

func newUsersListCmd(g *globalFlags) *cobra.Command {
	var o listOptions
	cmd := &cobra.Command{
		Use:     "list",
		Example: "  roster users list\n  roster users list --all --format csv > users.csv\n  roster users list --all --format jsonl --columns id,email,title\n  roster users list --query ada --limit 10\n  roster -p zoho users list --view ActiveUsers",
		Short:   "List users (one page unless --limit or --all) as a table, CSV, JSON or JSON Lines",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := checkFormat(o.format, o.json)
			if err != nil {
				return err
			}
			p, l, err := g.openOne(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			var cols []listColumn
			if len(o.columns) > 0 {
				if cols, err = resolveColumns(o.columns, p.Schema()); err != nil {
					return err
				}
			}
			sink := newUserSink(cmd.OutOrStdout(), format, cols)
			n, err := streamUsers(cmd.Context(), cmd.ErrOrStderr(), p, l.cfg.PageSize, o, sink.Write)
			if err == nil && n == 0 && match.ServerSearches(p.Info().Caps, o.query) {
				// No provider documents whether its search ignores accents,
				// and one that does not finds no "Nováková" for novakova,
				// which the matcher (and the console's /) finds: nothing
				// was printed, so match here over every page instead.
				fmt.Fprintf(cmd.ErrOrStderr(), "roster: server search %q: 0 found; the provider's search may match accents exactly, so matching it against every listed user\n", termtext.Clean(o.query))
				here := o
				here.matchHere = true
				n, err = streamUsers(cmd.Context(), cmd.ErrOrStderr(), p, l.cfg.PageSize, here, sink.Write)
			}
			if err != nil && n == 0 {
				// a list that could not be read is not an empty list: no
				// table header, no CSV header, no "[]" for a script to take
				// as "no users"
				return err
			}
			if cerr := sink.Close(); err == nil {
				err = cerr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, "the same as --format json: a JSON array (common names plus the provider's own fields)")
	f.StringVar(&o.format, "format", "", "table (default), csv (RFC 4180; formula-leading cells get a leading '), json (an array) or jsonl (one object per line)")
	f.StringSliceVar(&o.columns, "columns", nil, "columns, comma separated: common names (id,name,first_name,last_name,email,title,department,status,active,created_at,updated_at) or the provider's field keys")
	f.IntVar(&o.limit, "limit", 0, "print at most N users, following pages as needed")
	f.BoolVar(&o.all, "all", false, "follow every page (the provider's largest page size; numbered pages several at once; printed as they arrive)")
	f.StringVar(&o.query, "query", "", "only users matching Q: every word, ignoring case and accents, in name, email, title, department or status (the provider searches where it can; its answer is checked here; else, or when it finds nothing, every page is read)")
	f.StringVar(&o.view, "view", "", "one of the provider's list views (see: roster providers)")
	return cmd
}

// streamUsers pages through a provider as the list flags ask, handing each
// page's users to emit as it arrives, and returns how many it handed on.
// With --all (or a query only matched here) every page is read at the
// provider's largest page size, page-numbered providers several at once
// (crm.LoadPages, as the console's load-all), in order.
func streamUsers(ctx context.Context, stderr io.Writer, p crm.Provider, pageSize int, o listOptions, emit func([]crm.User) error) (int, error) {
	info := p.Info()
	if o.limit < 0 {
		return 0, fmt.Errorf("--limit must not be negative")
	}
	if o.view != "" && !slices.Contains(info.Caps.Views, o.view) {
		if len(info.Caps.Views) == 0 {
			return 0, fmt.Errorf("provider %s has no list views", info.Name)
		}
		return 0, fmt.Errorf("provider %s has no view %q (have %s)", info.Name, o.view, strings.Join(info.Caps.Views, ", "))
	}
	req := crm.PageRequest{Limit: pageSize, View: o.view}
	// A query never returns a user that does not match it: the server's
	// answer is narrowed with the matcher `/` uses (match.List), and when
	// the provider cannot search this query it is matched here against
	// every page, which only means something over every page.
	localQuery := ""
	if strings.TrimSpace(o.query) != "" {
		switch {
		case o.matchHere:
			localQuery = o.query
		case match.ServerSearches(info.Caps, o.query):
			req.Query = o.query
		default:
			localQuery = o.query
			fmt.Fprintln(stderr, "roster: "+termtext.Clean(match.CannotSearch(info, o.query)))
		}
	}
	followAll := o.all || localQuery != ""
	if o.limit > 0 && o.limit < req.Limit && localQuery == "" {
		req.Limit = o.limit
	}
	maxPage := info.Caps.MaxPageSize
	if maxPage > 0 && req.Limit > maxPage {
		req.Limit = maxPage
	}
	local := match.New(localQuery)
	n := 0
	if followAll && o.limit == 0 {
		if maxPage > 0 {
			req.Limit = maxPage // fewest round trips
		}
		err := crm.LoadPages(ctx, p, req, func(page crm.Page) error {
			users := match.NarrowPage(page, req.Query).Users
			if localQuery != "" {
				users = local.Narrow(users)
			}
			n += len(users)
			return emit(users)
		})
		return n, err
	}
	for pageNo := 1; ; pageNo++ {
		page, err := match.List(ctx, p, req)
		if err != nil {
			return n, err
		}
		users := match.NarrowPage(page, localQuery).Users
		if o.limit > 0 && n+len(users) >= o.limit {
			return o.limit, emit(users[:o.limit-n])
		}
		n += len(users)
		if err := emit(users); err != nil {
			return n, err
		}
		if page.Next == "" || (!followAll && o.limit == 0) {
			return n, nil
		}
		if page.Next == req.Cursor {
			return n, fmt.Errorf("%s: page %d points to itself as the next page; stopping", info.Name, pageNo)
		}
		req.Cursor = page.Next
	}
}

func newUsersGetCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "get ID",
		Example: "  roster users get 10001\n  roster users get 10001 --json",
		Short:   "Show one user with every field the provider holds",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, l, err := g.openOne(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			u, err := p.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return printUser(cmd.OutOrStdout(), p.Schema(), u, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newUsersUpdateCmd(g *globalFlags) *cobra.Command {
	var (
		sets   []string
		asJSON bool
	)
	var bf bulkFlags
	cmd := &cobra.Command{
		Use:     "update ID --set key=value … | update --from FILE",
		Example: "  roster users update 10001 --set title=\"Head of Sales\"\n  roster users update 10001 --set status=inactive --json\n  roster users update --from changes.csv --dry-run\n  roster users update --from changes.jsonl --json",
		Short:   "Change fields of a user, or of many from a CSV or JSON Lines file (provider keys or first_name, last_name, email, title, department, status)",
		Args:    cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if bf.from != "" || len(args) == 0 {
				return runUpdateFrom(cmd, g, bf, args, sets)
			}
			if bf.dryRun || bf.clearEmpty {
				return usageErrorf("--dry-run and --clear-empty go with --from")
			}
			if len(sets) == 0 {
				return errors.New("nothing to change: give at least one --set key=value")
			}
			p, l, err := g.openForWrite(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			info := p.Info()
			if !info.Caps.Update {
				return notAllowedf("provider %s cannot update users%s", info.Name, notice(info))
			}
			changes, err := parseSets(p.Schema(), sets)
			if err != nil {
				return err
			}
			// An update that changes nothing sends nothing (no write, no
			// audit line) and still succeeds: scripts may run it twice.
			u, changed, err := crm.UpdateChanged(cmd.Context(), p, args[0], changes)
			if err != nil {
				return err
			}
			if !changed {
				if asJSON {
					fmt.Fprintln(cmd.ErrOrStderr(), "no change")
					return printUser(cmd.OutOrStdout(), p.Schema(), u, true)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "no change")
				return nil
			}
			return printUser(cmd.OutOrStdout(), p.Schema(), u, asJSON)
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "key=value to change (repeatable); lists are comma separated, bools true/false")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the updated user as JSON (with --from: one result object per user)")
	bf.register(cmd, true)
	return cmd
}

func newUsersDeleteCmd(g *globalFlags) *cobra.Command {
	var bf bulkFlags
	cmd := &cobra.Command{
		Use:     "delete ID --yes | delete --from FILE --yes",
		Example: "  roster users delete 10001 --yes\n  roster users delete --from leavers.txt --dry-run\n  roster users delete --from leavers.csv --yes --json",
		Short:   "Delete a user, or many listed in a file (needs --yes)",
		Args:    cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if bf.from != "" || len(args) == 0 {
				return runDeleteFrom(cmd, g, bf, args)
			}
			if bf.dryRun || bf.asJSON {
				return usageErrorf("--dry-run and --json go with --from")
			}
			yes := bf.yes
			if !yes {
				return fmt.Errorf("refusing to delete user %s without --yes (deleting cannot be undone)", args[0])
			}
			p, l, err := g.openForWrite(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			info := p.Info()
			if !info.Caps.Delete {
				return notAllowedf("provider %s cannot delete users%s", info.Name, notice(info))
			}
			if err := p.Delete(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted user %s from %s\n", args[0], info.Name)
			return nil
		},
	}
	bf.register(cmd, false)
	cmd.Flags().BoolVar(&bf.asJSON, "json", false, "with --from: one result object per user")
	cmd.Flags().BoolVar(&bf.yes, "yes", false, "really delete")
	return cmd
}

func newUsersLookupCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "lookup TYPE VALUE",
		Example: "  roster -p laurel users lookup email ada.0@example.com\n  roster -p laurel users lookup email ada.0@example.com --json",
		Short:   "Find a user by an external identity (e.g. email, azure, phone-extension)",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, l, err := g.openOne(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			info := p.Info()
			types := info.Caps.IdentityTypes
			finder, ok := p.(crm.IdentityLookup)
			if !ok || len(types) == 0 {
				return fmt.Errorf("provider %s (%s) has no identity lookup", info.Name, info.Kind)
			}
			if !slices.Contains(types, args[0]) {
				return fmt.Errorf("provider %s has no identity type %q (have %s)", info.Name, args[0], strings.Join(types, ", "))
			}
			u, err := finder.Lookup(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			return printUser(cmd.OutOrStdout(), p.Schema(), u, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func notice(info crm.Info) string {
	if info.Notice == "" {
		return ""
	}
	return " (" + info.Notice + ")"
}

// parseSets turns --set key=value into changes keyed by the provider's own
// field keys, parsing each value by its field's type.
func parseSets(schema crm.Schema, sets []string) (crm.Changes, error) {
	changes := crm.Changes{}
	for _, s := range sets {
		name, raw, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, usageErrorf("--set %q: want key=value", s)
		}
		f, found := schema.Resolve(name)
		if !found {
			return nil, usageErrorf("--set %s: no such field (editable: %s)", name, editableKeys(schema))
		}
		if !f.Editable {
			return nil, usageErrorf("--set %s: %s is read-only (editable: %s)", name, f.Label, editableKeys(schema))
		}
		if _, dup := changes[f.Key]; dup {
			return nil, usageErrorf("--set %s: field %s is set twice", name, f.Key)
		}
		v, err := f.Parse(raw)
		if errors.Is(err, crm.ErrRequired) {
			return nil, validationErrorf("--set %s: %s is required and cannot be empty", name, f.Label)
		}
		if err != nil {
			return nil, validationErrorf("--set %s: %w", name, err)
		}
		changes[f.Key] = v
	}
	return changes, nil
}

// editableKeys lists the editable keys, with their common alias when the
// key differs from it ("email_primary (email)").
func editableKeys(schema crm.Schema) string {
	var keys []string
	for _, f := range schema.Editable() {
		k := f.Key
		if f.Common != "" && f.Common != f.Key {
			k += " (" + f.Common + ")"
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}
