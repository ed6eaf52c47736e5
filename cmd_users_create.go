package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

const usersCreateExample = `  roster users create --set email=grace@example.com --set first_name=Grace --set last_name=Hopper
  roster -p zoho users create --set email=ada@example.com --set last_name=Lovelace --set role=Manager --set profile=Standard --json
  roster users create --from new-hires.jsonl     # one JSON object of fields per line`

func newUsersCreateCmd(g *globalFlags) *cobra.Command {
	var (
		sets   []string
		from   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:     "create --set key=value … | --from FILE",
		Example: usersCreateExample,
		Short:   "Create a user (or one per line of a JSON Lines file) and print the new id",
		Long: `Create a user with the fields given as --set key=value (the provider's keys or the
common names first_name, last_name, email, title, department, status), parsed by
each field's type. Which fields may and must be given is the provider's (see
the error for the list). Fields whose values the provider lists (Zoho's role
and profile) take an id or a name.

With --from FILE, every line is one JSON object of fields ({"email": "…", …});
string values are parsed as --set values are. A line whose email already
belongs to a user is skipped ("exists"), so running a file again after a
failure creates only what is missing. Each line's result is printed as it
finishes.

A create whose answer is lost is never sent again: Roster searches for the
email and reports it created, not created, or unknown (exit 8).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (len(sets) == 0) == (from == "") {
				return usageErrorf("give either --set key=value … or --from FILE")
			}
			p, l, err := g.openForWrite(cmd)
			if err != nil {
				return err
			}
			defer l.Close()
			info := p.Info()
			creator, ok := p.(crm.Creator)
			if !ok || !info.Caps.Create {
				return notAllowedf("provider %s cannot create users%s", info.Name, notice(info))
			}
			if from != "" {
				return createFromFile(cmd, p, creator, from, asJSON)
			}
			fields, err := parseCreateSets(p.Schema(), sets)
			if err != nil {
				return err
			}
			u, err := creator.Create(cmd.Context(), fields)
			if err != nil {
				return err
			}
			if asJSON {
				return printUser(cmd.OutOrStdout(), p.Schema(), u, true)
			}
			fmt.Fprintln(cmd.OutOrStdout(), termtext.Clean(u.ID))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "key=value of the new user (repeatable)")
	cmd.Flags().StringVar(&from, "from", "", "JSON Lines file: one user's fields per line")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the created user (with --from: one result object per line)")
	return cmd
}

// parseCreateSets turns --set key=value into the fields of a new user, each
// parsed by its field (crm.Field.Parse); only fields the provider takes at
// creation are accepted.
func parseCreateSets(schema crm.Schema, sets []string) (crm.Changes, error) {
	fields := crm.Changes{}
	for _, s := range sets {
		name, raw, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, usageErrorf("--set %q: want key=value", s)
		}
		f, err := createField(schema, name)
		if err != nil {
			return nil, err
		}
		if _, dup := fields[f.Key]; dup {
			return nil, usageErrorf("--set %s: field %s is set twice", name, f.Key)
		}
		v, err := f.Parse(raw)
		if err != nil && !errors.Is(err, crm.ErrRequired) {
			return nil, usageErrorf("--set %s: %v", name, err)
		}
		fields[f.Key] = v
	}
	return fields, nil
}

// createField resolves a key or common name to a field the provider takes
// when creating a user.
func createField(schema crm.Schema, name string) (crm.Field, error) {
	f, found := schema.Resolve(name)
	if !found || f.Create == crm.CreateNo {
		return crm.Field{}, usageErrorf("%s: not a field of a new user (%s)", name, createKeys(schema))
	}
	return f, nil
}

// createKeys lists the fields of a new user, required ones marked.
func createKeys(schema crm.Schema) string {
	var keys []string
	for _, f := range schema.CreateFields() {
		k := f.Key
		if f.Common != "" && f.Common != f.Key {
			k += " (" + f.Common + ")"
		}
		if f.Create == crm.CreateRequired {
			k += " required"
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "none"
	}
	return "fields: " + strings.Join(keys, ", ")
}

// createResult is one line's outcome with --from --json.
type createResult struct {
	Line   int    `json:"line"`
	Result string `json:"result"` // created | exists | failed | unknown
	ID     string `json:"id,omitempty"`
	Email  string `json:"email,omitempty"`
	Error  string `json:"error,omitempty"`
}

// createFromFile creates one user per line of a JSON Lines file, one after
// another, printing each result. It returns the worst failure (an unknown
// outcome before any other), so the exit code says the most important
// thing; every line is tried whatever the others did.
func createFromFile(cmd *cobra.Command, p crm.Provider, c crm.Creator, path string, asJSON bool) error {
	f, err := os.Open(path)
	if err != nil {
		return usageErrorf("--from: %v", err)
	}
	defer f.Close()
	ctx := cmd.Context()
	schema := p.Schema()
	existing, err := existingEmails(ctx, p)
	if err != nil {
		return fmt.Errorf("read the users already there (to skip them): %w", err)
	}
	out := cmd.OutOrStdout()
	var worst error
	failed := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		r := createLine(ctx, schema, c, existing, line, text)
		if r.err != nil {
			failed++
			if worst == nil || crm.IsUnknownOutcome(r.err) && !crm.IsUnknownOutcome(worst) {
				worst = r.err
			}
		}
		printCreateResult(out, r.createResult, asJSON)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("--from %s: %w", path, err)
	}
	if worst != nil {
		return fmt.Errorf("%d line(s) not created; first of the worst: %w", failed, worst)
	}
	return nil
}

type lineOutcome struct {
	createResult
	err error
}

// createLine creates the user of one line, unless its email is taken.
func createLine(ctx context.Context, schema crm.Schema, c crm.Creator, existing map[string]string, line int, text string) lineOutcome {
	r := lineOutcome{createResult: createResult{Line: line}}
	fail := func(err error) lineOutcome {
		r.err, r.Result, r.Error = err, "failed", termtext.Clean(err.Error())
		if crm.IsUnknownOutcome(err) {
			r.Result = "unknown"
		}
		return r
	}
	fields, err := parseCreateLine(schema, text)
	if err != nil {
		return fail(err)
	}
	if email := emailOf(schema, fields); email != "" {
		r.Email = email
		if id, taken := existing[strings.ToLower(email)]; taken {
			r.Result, r.ID = "exists", id
			return r
		}
	}
	u, err := c.Create(ctx, fields)
	if err != nil {
		return fail(err)
	}
	r.Result, r.ID = "created", u.ID
	if r.Email != "" {
		existing[strings.ToLower(r.Email)] = u.ID // a later duplicate line is skipped too
	}
	return r
}

// parseCreateLine reads one JSON object of fields; strings are parsed by
// their field as --set values are, other JSON values are taken as they are
// and checked by the provider's Create.
func parseCreateLine(schema crm.Schema, text string) (crm.Changes, error) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(text), &raw); err != nil || raw == nil {
		return nil, usageErrorf("not a JSON object of fields")
	}
	fields := crm.Changes{}
	for name, v := range raw {
		f, err := createField(schema, name)
		if err != nil {
			return nil, err
		}
		if s, ok := v.(string); ok {
			if v, err = f.Parse(s); err != nil && !errors.Is(err, crm.ErrRequired) {
				return nil, usageErrorf("%s: %v", name, err)
			}
		}
		fields[f.Key] = v
	}
	return fields, nil
}

// emailOf is the new user's email: the field whose common name is email.
func emailOf(schema crm.Schema, fields crm.Changes) string {
	f, ok := schema.Resolve("email")
	if !ok {
		return ""
	}
	s, _ := fields[f.Key].(string)
	return strings.TrimSpace(s)
}

// existingEmails maps every user's email (lower case) to its id.
func existingEmails(ctx context.Context, p crm.Provider) (map[string]string, error) {
	limit := p.Info().Caps.MaxPageSize
	if limit <= 0 {
		limit = 100
	}
	users, err := crm.LoadAll(ctx, p, crm.PageRequest{Limit: limit}, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(users))
	for _, u := range users {
		if e := strings.ToLower(strings.TrimSpace(u.Email)); e != "" {
			out[e] = u.ID
		}
	}
	return out, nil
}

func printCreateResult(w io.Writer, r createResult, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(r)
		fmt.Fprintln(w, string(b))
		return
	}
	switch r.Result {
	case "created", "exists":
		fmt.Fprintf(w, "line %d: %s %s %s\n", r.Line, r.Result, termtext.Clean(r.ID), termtext.Clean(r.Email))
	default:
		fmt.Fprintf(w, "line %d: %s: %s\n", r.Line, r.Result, r.Error)
	}
}
