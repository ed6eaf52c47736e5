package main

import (
	"encoding/json"
	"io"
	"sort"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// printJSON writes v indented. Raw provider values stay intact: JSON escapes
// control characters itself, so nothing reaches the terminal raw.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Column caps keep one long value from pushing the others off the screen.
var userColumns = []struct {
	title string
	max   int
	cell  func(crm.User) string
}{
	{"ID", 36, func(u crm.User) string { return u.ID }},
	{"NAME", 32, crm.User.DisplayName},
	{"EMAIL", 40, func(u crm.User) string { return u.Email }},
	{"TITLE", 30, func(u crm.User) string { return u.Title }},
	{"STATUS", 16, crm.StatusWord},
}

// printUserTable writes users as aligned columns. Every provider string is
// sanitised and measured by display width (wide and combining characters).
func printUserTable(w io.Writer, users []crm.User) {
	rows := make([][]string, 0, len(users)+1)
	header := make([]string, len(userColumns))
	for i, c := range userColumns {
		header[i] = c.title
	}
	rows = append(rows, header)
	for _, u := range users {
		row := make([]string, len(userColumns))
		for i, c := range userColumns {
			row[i] = termtext.Truncate(termtext.Clean(c.cell(u)), c.max)
		}
		rows = append(rows, row)
	}
	writeColumns(w, rows)
}

// writeColumns pads every cell but the last to its column's widest cell.
func writeColumns(w io.Writer, rows [][]string) {
	writeColumnsFrom(w, rows, nil)
}

// writeColumnsFrom is writeColumns for a table printed in parts (a
// follower's batches): each column is at least as wide as in the parts
// before (widths, as returned last time), so later rows line up with
// earlier ones. It returns the widths used.
func writeColumnsFrom(w io.Writer, rows [][]string, widths []int) []int {
	if len(rows) == 0 {
		return widths
	}
	widths = append(widths, make([]int, max(0, len(rows[0])-len(widths)))...)
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], termtext.Width(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, cell := range r {
			if i == len(r)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(termtext.Fit(cell, widths[i]))
			b.WriteString("  ")
		}
		b.WriteByte('\n')
	}
	_, _ = io.WriteString(w, b.String())
	return widths
}

// printUser writes one user: JSON, or every schema field as label and value
// followed by any field the provider sent that its schema does not name.
func printUser(w io.Writer, schema crm.Schema, u crm.User, asJSON bool) error {
	if asJSON {
		return printJSON(w, u)
	}
	var rows [][]string
	seen := map[string]bool{}
	fields := u.Fields()
	for _, f := range schema.Fields {
		seen[f.Key] = true
		rows = append(rows, []string{termtext.Clean(f.Label), displayValue(u.Value(f.Key))})
	}
	var extra []string
	for k := range fields {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		rows = append(rows, []string{termtext.Clean(k), displayValue(fields[k])})
	}
	writeColumns(w, rows)
	return nil
}

// displayValue renders a field value on one clean line, with the one
// value renderer the console uses too (nested values as readable text).
func displayValue(v any) string { return termtext.Clean(crm.Format(v)) }
