package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/state"
)

// View is one [[providers.NAME.views]] entry: a named filter, provider view,
// sort and set of columns the console lists beside the provider's own views
// (Zoho's user types) and switches to with v or :view NAME. Config views
// are read-only to Roster; views saved from the console live in the state
// file (package state).
type View struct {
	Name    string   `toml:"name"`
	Query   string   `toml:"query"`   // the list's filter (/), matched on the loaded users
	View    string   `toml:"view"`    // one of the provider's views (Zoho: a user type); "" its default
	Sort    string   `toml:"sort"`    // "COLUMN", "COLUMN asc" or "COLUMN desc"
	Columns []string `toml:"columns"` // column names (common names or field keys); empty: the default

	// where each key is written, for the problems found only when the
	// provider opens and its schema is known
	file string
	pos  map[string]position
}

// ParseSort splits a sort into its column and direction; ok is false when
// it is neither "COLUMN" nor "COLUMN asc|desc".
func ParseSort(sort string) (col string, desc bool, ok bool) {
	words := strings.Fields(sort)
	switch {
	case len(words) == 1:
		return words[0], false, true
	case len(words) == 2 && (strings.EqualFold(words[1], "asc") || strings.EqualFold(words[1], "desc")):
		return words[0], strings.EqualFold(words[1], "desc"), true
	}
	return "", false, false
}

// viewKeys are the keys a view takes.
var viewKeys = []string{"name", "query", "view", "sort", "columns"}

// decodeViews reads the provider table's views (decoded as plain TOML
// values), each key of its type: strings, and columns a list of strings.
func (l *loader) decodeViews(p *Provider, raw any) {
	var elems []any
	switch v := raw.(type) {
	case []any:
		elems = v
	case []map[string]any:
		for _, m := range v {
			elems = append(elems, m)
		}
	default:
		l.errAt([]string{"providers", p.Name, "views"}, "provider %q: views: want [[providers.%s.views]] tables", p.Name, p.Name)
		return
	}
	for i, e := range elems {
		base := []string{"providers", p.Name, "views", elem(i)}
		at := func(key string) []string { return append(slices.Clone(base), key) }
		m, ok := e.(map[string]any)
		if !ok {
			l.errAt(base, "provider %q: views: want [[providers.%s.views]] tables", p.Name, p.Name)
			continue
		}
		var v View
		for _, key := range l.idx.under(base...) {
			val := m[key]
			switch key {
			case "name", "query", "view", "sort":
				s, ok := val.(string)
				if !ok {
					l.errAt(at(key), "%s: want a quoted string", quoteKey([]string{"providers", p.Name, "views", key}))
					continue
				}
				*map[string]*string{"name": &v.Name, "query": &v.Query, "view": &v.View, "sort": &v.Sort}[key] = s
			case "columns":
				list, ok := val.([]any)
				for _, c := range list {
					s, isString := c.(string)
					ok = ok && isString
					v.Columns = append(v.Columns, s)
				}
				if !ok {
					l.errAt(at(key), "%s: want a list of quoted strings", quoteKey([]string{"providers", p.Name, "views", key}))
				}
			default:
				l.errAt(at(key), "unknown key %s (a view takes %s)", quoteKey([]string{"providers", p.Name, "views", key}), strings.Join(viewKeys, ", "))
			}
		}
		p.Views = append(p.Views, v)
	}
}

// validateViews checks what can be checked without the provider: names
// (one word, unique), the sort's form, columns named once.
func (l *loader) validateViews(p *Provider) {
	seen := map[string]bool{}
	for i := range p.Views {
		v := &p.Views[i]
		base := []string{"providers", p.Name, "views", elem(i)}
		at := func(key string) []string { return append(slices.Clone(base), key) }
		v.file = l.cfg.Path
		v.pos = map[string]position{}
		for _, key := range []string{"", "name", "view", "sort", "columns"} {
			path := base
			if key != "" {
				path = at(key)
			}
			if pos, ok := l.idx.at(path...); ok {
				v.pos[key] = pos
			}
		}
		switch {
		case v.Name == "":
			l.errAt(at("name"), "provider %q: a view needs a name", p.Name)
		case strings.ContainsFunc(v.Name, func(r rune) bool { return r <= ' ' || r == 0x7f }):
			l.errAt(at("name"), "provider %q: view name %q: use one word without spaces (it is typed as :view NAME)", p.Name, v.Name)
		case seen[strings.ToLower(v.Name)]:
			l.errAt(at("name"), "provider %q: two views are named %q", p.Name, v.Name)
		}
		seen[strings.ToLower(v.Name)] = true
		if _, _, ok := ParseSort(v.Sort); v.Sort != "" && !ok {
			l.errAt(at("sort"), "provider %q: view %q: sort %q: want \"COLUMN\", \"COLUMN asc\" or \"COLUMN desc\"", p.Name, v.Name, v.Sort)
		}
		cols := map[string]bool{}
		for _, c := range v.Columns {
			switch {
			case strings.TrimSpace(c) == "":
				l.errAt(at("columns"), "provider %q: view %q: an empty column name", p.Name, v.Name)
			case cols[c]:
				l.errAt(at("columns"), "provider %q: view %q: column %q is listed twice", p.Name, v.Name, c)
			}
			cols[c] = true
		}
	}
}

// CheckViews checks the views against the opened provider: every column
// and the sort's column are columns of its schema, the provider view is one
// it offers, and no view takes the name of one of the provider's own. The
// error names the file, line and the unknown name.
func CheckViews(p Provider, prov crm.Provider) error {
	schema := prov.Schema()
	own := prov.Info().Caps.Views
	var errs []string
	errAt := func(v View, key, format string, args ...any) {
		e := &Error{File: v.file, Msg: fmt.Sprintf(format, args...)}
		pos, ok := v.pos[key]
		if !ok {
			pos = v.pos[""]
		}
		e.Line, e.Col = pos.line, pos.col
		errs = append(errs, e.Error())
	}
	known := func() string {
		return strings.Join(append(slices.Clone(crm.CommonNames), schema.ColumnKeys()...), ", ")
	}
	for _, v := range p.Views {
		for _, c := range v.Columns {
			if !schema.HasColumn(c) {
				errAt(v, "columns", "provider %q: view %q: unknown column %q (columns: %s)", p.Name, v.Name, c, known())
			}
		}
		if col, _, ok := ParseSort(v.Sort); ok && !schema.HasColumn(col) {
			errAt(v, "sort", "provider %q: view %q: unknown sort column %q (columns: %s)", p.Name, v.Name, col, known())
		}
		if v.View != "" && !slices.ContainsFunc(own, func(o string) bool { return strings.EqualFold(o, v.View) }) {
			if len(own) == 0 {
				errAt(v, "view", "provider %q: view %q: view = %q, but kind %s has no views", p.Name, v.Name, v.View, p.Kind)
			} else {
				errAt(v, "view", "provider %q: view %q: unknown view %q (%s has %s)", p.Name, v.Name, v.View, p.Kind, strings.Join(own, ", "))
			}
		}
		if slices.ContainsFunc(own, func(o string) bool { return strings.EqualFold(o, v.Name) }) {
			errAt(v, "name", "provider %q: view name %q is already one of the provider's own views", p.Name, v.Name)
		}
	}
	if len(errs) > 0 {
		return &ViewsError{Msg: strings.Join(errs, "\n")}
	}
	return nil
}

// ViewsError is a config problem in views, found when the provider opened.
type ViewsError struct{ Msg string }

func (e *ViewsError) Error() string { return e.Msg }

// ConsoleViews are the config's views by provider name, in the form the
// console lists them beside those saved in its state file.
func (c *Config) ConsoleViews() map[string][]state.View {
	out := map[string][]state.View{}
	for name, p := range c.Providers {
		for _, v := range p.Views {
			out[name] = append(out[name], state.View{Name: v.Name, Query: v.Query, View: v.View, Sort: v.Sort, Columns: slices.Clone(v.Columns)})
		}
	}
	return out
}
