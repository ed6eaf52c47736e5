package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// `users list --format table|csv|json|jsonl [--columns …]`. csv, json and
// jsonl stream: each page is written as it arrives and forgotten, so
// exporting a hundred thousand users holds one page, not the file. The
// table needs every row to size its columns and is for people.

// listFormats are the --format values.
var listFormats = []string{"table", "csv", "json", "jsonl"}

// listColumn is one --columns entry: a common name or a provider field.
type listColumn struct {
	name  string
	value func(crm.User) any
}

// defaultCSVColumns are the common names, in their order.
var defaultCSVColumns = crm.CommonNames

// resolveColumns turns --columns into columns: common names (id, name,
// email, …) or the provider's own field keys (see users get ID --json).
func resolveColumns(names []string, schema crm.Schema) ([]listColumn, error) {
	var cols []listColumn
	for _, raw := range names {
		name := strings.TrimSpace(raw)
		if name == "" {
			continue
		}
		if slices.Contains(crm.CommonNames, name) {
			cols = append(cols, listColumn{name: name, value: func(u crm.User) any { v, _ := u.Common(name); return v }})
			continue
		}
		f, ok := schema.Resolve(name)
		if !ok {
			keys := make([]string, 0, len(schema.Fields))
			for _, f := range schema.Fields {
				keys = append(keys, f.Key)
			}
			return nil, usageErrorf("--columns: no field %q (common names: %s; this provider's keys: %s)",
				name, strings.Join(crm.CommonNames, ", "), strings.Join(keys, ", "))
		}
		cols = append(cols, listColumn{name: name, value: func(u crm.User) any { return u.Value(f.Key) }})
	}
	return cols, nil
}

// userSink writes users as they come.
type userSink interface {
	Write(users []crm.User) error
	// Close finishes the output (a JSON array's ']', the table itself).
	Close() error
}

// newUserSink builds the writer for format; cols nil means the format's
// default (the table's five columns, every common name for CSV, whole users
// for JSON).
func newUserSink(w io.Writer, format string, cols []listColumn) userSink {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "csv":
		if cols == nil {
			cols, _ = resolveColumns(defaultCSVColumns, crm.Schema{})
		}
		return &csvSink{bw: bw, w: csv.NewWriter(bw), cols: cols}
	case "json", "jsonl":
		return &jsonSink{bw: bw, cols: cols, array: format == "json"}
	}
	return &tableSink{w: w, cols: cols}
}

// csvSink writes RFC 4180 CSV (encoding/csv) with a header row. A cell
// that starts with =, +, - or @ (or a tab or carriage return) gets a
// leading ' so that a spreadsheet shows provider data instead of running
// it as a formula; control characters are removed.
type csvSink struct {
	bw     *bufio.Writer
	w      *csv.Writer
	cols   []listColumn
	header bool
	row    []string
}

func (s *csvSink) Write(users []crm.User) error {
	if !s.header {
		s.header = true
		head := make([]string, len(s.cols))
		for i, c := range s.cols {
			head[i] = c.name
		}
		if err := s.w.Write(head); err != nil {
			return err
		}
	}
	for _, u := range users {
		s.row = s.row[:0]
		for _, c := range s.cols {
			s.row = append(s.row, csvCell(crm.Format(c.value(u))))
		}
		if err := s.w.Write(s.row); err != nil {
			return err
		}
	}
	return s.w.Error()
}

func (s *csvSink) Close() error {
	if err := s.Write(nil); err != nil { // the header, even for no users
		return err
	}
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// csvCell neutralises a formula and removes what a terminal would obey.
func csvCell(s string) string {
	s = termtext.Clean(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// jsonSink writes a JSON array (json) or one object per line (jsonl):
// whole users (common names plus the provider's fields), or with --columns
// an object of just those. Invisible and bidi characters are escaped as
// printError does, so the output is safe on a terminal.
type jsonSink struct {
	bw    *bufio.Writer
	cols  []listColumn
	array bool
	n     int
}

func (s *jsonSink) Write(users []crm.User) error {
	for _, u := range users {
		data, err := s.marshal(u)
		if err != nil {
			return err
		}
		switch {
		case !s.array:
		case s.n == 0:
			s.bw.WriteString("[\n")
		default:
			s.bw.WriteString(",\n")
		}
		s.n++
		s.bw.Write(escapeInvisible(data))
		if !s.array {
			s.bw.WriteByte('\n')
		}
	}
	return nil
}

// marshal is json.Marshal of the user, or of its --columns object. A whole
// user is marshalled by its own MarshalJSON, whose output is compact
// already: json.Marshal would check and compact it twice more (a third of
// a --all's CPU); only its HTML escaping is done here, when there is
// anything to escape, so the bytes are json.Marshal's.
func (s *jsonSink) marshal(u crm.User) ([]byte, error) {
	if s.cols != nil {
		obj := make(orderedObject, len(s.cols))
		for i, c := range s.cols {
			obj[i] = keyValue{c.name, c.value(u)}
		}
		return json.Marshal(obj)
	}
	data, err := u.MarshalJSON()
	if err != nil || !bytes.ContainsAny(data, "<>&\u2028\u2029") {
		return data, err
	}
	var b bytes.Buffer
	json.HTMLEscape(&b, data)
	return b.Bytes(), nil
}

func (s *jsonSink) Close() error {
	if s.array {
		if s.n == 0 {
			s.bw.WriteString("[]\n") // [] rather than null for scripts
		} else {
			s.bw.WriteString("\n]\n")
		}
	}
	return s.bw.Flush()
}

// orderedObject marshals as a JSON object with keys in --columns order.
type orderedObject []keyValue

type keyValue struct {
	key   string
	value any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.key)
		v, err := json.Marshal(kv.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// tableSink keeps the users and prints aligned columns at Close.
type tableSink struct {
	w     io.Writer
	cols  []listColumn
	users []crm.User
}

func (s *tableSink) Write(users []crm.User) error {
	s.users = append(s.users, users...)
	return nil
}

func (s *tableSink) Close() error {
	if s.cols == nil {
		printUserTable(s.w, s.users)
		return nil
	}
	rows := make([][]string, 0, len(s.users)+1)
	head := make([]string, len(s.cols))
	for i, c := range s.cols {
		head[i] = strings.ToUpper(c.name)
	}
	rows = append(rows, head)
	for _, u := range s.users {
		row := make([]string, len(s.cols))
		for i, c := range s.cols {
			row[i] = termtext.Truncate(displayValue(c.value(u)), 40)
		}
		rows = append(rows, row)
	}
	writeColumns(s.w, rows)
	return nil
}

// checkFormat validates --format (and --json, its alias for json).
func checkFormat(format string, asJSON bool) (string, error) {
	if asJSON {
		if format != "" && format != "json" {
			return "", usageErrorf("--json means --format json; not with --format %s", format)
		}
		return "json", nil
	}
	if format == "" {
		return "table", nil
	}
	if !slices.Contains(listFormats, format) {
		return "", usageErrorf("--format %q: want %s", format, strings.Join(listFormats, ", "))
	}
	return format, nil
}
