package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// Input for bulk commands: CSV (a header row with `id` and one column per
// field key or common name) or JSON Lines ({"id": …, "set": {…}}) for
// updates; ids one per line or a CSV with an `id` column for deletes and
// deactivations. Every problem is collected with its line number before
// anything is sent, and values are parsed by crm.Field.Parse, the parser
// the form and --set use.

// inputProblem is one thing wrong with the input, at a line (0: the file).
type inputProblem struct {
	Line int
	Msg  string
}

// badInput lists every problem; it is a usage error (exit 2) and nothing
// has been sent.
type badInput struct {
	name     string
	problems []inputProblem
}

func (e *badInput) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s), nothing was sent:", e.name, len(e.problems))
	for _, p := range e.problems {
		if p.Line > 0 {
			fmt.Fprintf(&b, "\n  line %d: %s", p.Line, p.Msg)
		} else {
			fmt.Fprintf(&b, "\n  %s", p.Msg)
		}
	}
	return b.String()
}

// openInput opens FILE, or standard input for "-".
func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, usageErrorf("--from: %v", err)
	}
	return f, func() { f.Close() }, nil
}

// readAllInput reads the input, without a UTF-8 byte order mark.
func readAllInput(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil
}

// readUpdates reads the changes of `users update --from`.
func readUpdates(name string, data []byte, schema crm.Schema, clearEmpty bool) ([]run.Item, error) {
	var (
		items    []run.Item
		problems []inputProblem
	)
	if first := bytes.TrimLeft(data, " \t\r\n"); len(first) > 0 && first[0] == '{' {
		items, problems = readUpdateLines(data, schema)
	} else {
		items, problems = readUpdateCSV(data, schema, clearEmpty)
	}
	if len(items) == 0 && len(problems) == 0 {
		problems = append(problems, inputProblem{Msg: "no users in the input"})
	}
	if len(problems) > 0 {
		return nil, usageError{&badInput{name: inputName(name), problems: problems}}
	}
	return items, nil
}

func inputName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// column is one CSV column: the id, a field, or (deletes) ignored.
type column struct {
	name  string
	field crm.Field
	id    bool
}

func readUpdateCSV(data []byte, schema crm.Schema, clearEmpty bool) ([]run.Item, []inputProblem) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // ragged rows are reported with the others
	header, err := r.Read()
	if err != nil {
		return nil, []inputProblem{csvProblem(err)}
	}
	var problems []inputProblem
	cols := make([]column, len(header))
	idCol, seen := -1, map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		cols[i].name = h
		if strings.EqualFold(h, "id") {
			if idCol >= 0 {
				problems = append(problems, inputProblem{1, "two id columns"})
			}
			idCol, cols[i].id = i, true
			continue
		}
		f, ok := schema.Resolve(h)
		switch {
		case h == "":
			problems = append(problems, inputProblem{1, fmt.Sprintf("column %d has no name", i+1)})
		case !ok:
			problems = append(problems, inputProblem{1, fmt.Sprintf("unknown column %q (editable: %s)", termtext.Clean(h), editableKeys(schema))})
		case !f.Editable:
			problems = append(problems, inputProblem{1, fmt.Sprintf("column %q: %s is read-only (editable: %s)", h, f.Label, editableKeys(schema))})
		case seen[f.Key] != "":
			problems = append(problems, inputProblem{1, fmt.Sprintf("columns %q and %q both set %s", seen[f.Key], h, f.Key)})
		default:
			seen[f.Key] = h
			cols[i].field = f
		}
	}
	if idCol < 0 {
		problems = append(problems, inputProblem{1, "no id column (the header needs one named id)"})
		return nil, problems
	}
	var items []run.Item
	lines := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return items, append(problems, csvProblem(err))
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			problems = append(problems, inputProblem{line, fmt.Sprintf("%d cells, the header has %d", len(rec), len(header))})
			continue
		}
		id := strings.TrimSpace(rec[idCol])
		// A bad id is one problem of the row; its values are still checked,
		// so one pass over the file lists everything to mend.
		if p, ok := checkID(id, line, lines); !ok {
			problems = append(problems, p)
		}
		set := crm.Changes{}
		for i, cell := range rec {
			c := cols[i]
			if c.id || c.field.Key == "" || (cell == "" && !clearEmpty) {
				continue
			}
			v, err := c.field.Parse(cell)
			if err != nil {
				problems = append(problems, inputProblem{line, valueProblem(c.name, c.field, err)})
				continue
			}
			set[c.field.Key] = v
		}
		items = append(items, run.Item{ID: id, Set: set})
	}
	return items, problems
}

// checkID records id's line and says what is wrong with it, if anything.
func checkID(id string, line int, lines map[string]int) (inputProblem, bool) {
	if id == "" {
		return inputProblem{line, "no id"}, false
	}
	if first, dup := lines[id]; dup {
		return inputProblem{line, fmt.Sprintf("user %s is also on line %d (one user, one change)", termtext.Clean(id), first)}, false
	}
	lines[id] = line
	return inputProblem{}, true
}

func valueProblem(col string, f crm.Field, err error) string {
	if errors.Is(err, crm.ErrRequired) {
		return fmt.Sprintf("%s: %s is required and cannot be empty", termtext.Clean(col), f.Label)
	}
	return fmt.Sprintf("%s: %s", termtext.Clean(col), termtext.Clean(err.Error()))
}

func csvProblem(err error) inputProblem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return inputProblem{pe.Line, "not valid CSV: " + pe.Err.Error()}
	}
	return inputProblem{Msg: "not valid CSV: " + err.Error()}
}

// updateLine is one JSON line of `users update --from`.
type updateLine struct {
	ID  json.RawMessage            `json:"id"`
	Set map[string]json.RawMessage `json:"set"`
}

func readUpdateLines(data []byte, schema crm.Schema) ([]run.Item, []inputProblem) {
	var (
		items    []run.Item
		problems []inputProblem
	)
	lines := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var l updateLine
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			problems = append(problems, inputProblem{n, "not a JSON object {\"id\": …, \"set\": {…}}: " + err.Error()})
			continue
		}
		id, ok := jsonText(l.ID)
		if !ok {
			problems = append(problems, inputProblem{n, "id must be a string or a number"})
			continue
		}
		if p, ok := checkID(id, n, lines); !ok {
			problems = append(problems, p) // and the line's values are checked too
		}
		keys := make([]string, 0, len(l.Set))
		for k := range l.Set {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		set := crm.Changes{}
		for _, k := range keys {
			f, found := schema.Resolve(k)
			switch {
			case !found:
				problems = append(problems, inputProblem{n, fmt.Sprintf("unknown field %q (editable: %s)", termtext.Clean(k), editableKeys(schema))})
				continue
			case !f.Editable:
				problems = append(problems, inputProblem{n, fmt.Sprintf("%s is read-only", f.Label)})
				continue
			}
			if _, dup := set[f.Key]; dup {
				problems = append(problems, inputProblem{n, fmt.Sprintf("%s is set twice", f.Key)})
				continue
			}
			text, ok := jsonText(l.Set[k])
			if !ok {
				problems = append(problems, inputProblem{n, fmt.Sprintf("%s: want a string, number, true/false, null or a list of strings", termtext.Clean(k))})
				continue
			}
			v, err := f.Parse(text)
			if err != nil {
				problems = append(problems, inputProblem{n, valueProblem(k, f, err)})
				continue
			}
			set[f.Key] = v
		}
		items = append(items, run.Item{ID: id, Set: set})
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, inputProblem{Msg: err.Error()})
	}
	return items, problems
}

// jsonText is a JSON value as the text a person would type for it: a
// string as is, a number's digits, true/false, null as empty (clear the
// field), a list of strings comma separated.
func jsonText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return fmt.Sprint(x), true
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

// readIDs reads the users of `users delete|deactivate --from`: one id per
// line (blank lines and # comments skipped), or a CSV whose header has an
// id column (other columns are ignored, so an export can be fed back).
func readIDs(name string, data []byte) ([]string, error) {
	var (
		ids      []string
		problems []inputProblem
	)
	lines := map[string]int{}
	firstLine, _, _ := bytes.Cut(bytes.TrimLeft(data, "\r\n"), []byte("\n"))
	first := strings.TrimSpace(string(firstLine))
	if strings.EqualFold(first, "id") || strings.Contains(first, ",") {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		header, err := r.Read()
		if err != nil {
			return nil, usageError{&badInput{name: inputName(name), problems: []inputProblem{csvProblem(err)}}}
		}
		idCol := -1
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), "id") {
				idCol = i
			}
		}
		if idCol < 0 {
			problems = append(problems, inputProblem{1, "no id column (the header needs one named id)"})
		}
		for idCol >= 0 {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				problems = append(problems, csvProblem(err))
				break
			}
			line, _ := r.FieldPos(0)
			if len(rec) != len(header) {
				problems = append(problems, inputProblem{line, fmt.Sprintf("%d cells, the header has %d", len(rec), len(header))})
				continue
			}
			id := strings.TrimSpace(rec[idCol])
			if p, ok := checkID(id, line, lines); !ok {
				problems = append(problems, p)
				continue
			}
			ids = append(ids, id)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			id := strings.TrimSpace(sc.Text())
			if id == "" || strings.HasPrefix(id, "#") {
				continue
			}
			if p, ok := checkID(id, n, lines); !ok {
				problems = append(problems, p)
				continue
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 && len(problems) == 0 {
		problems = append(problems, inputProblem{Msg: "no users in the input"})
	}
	if len(problems) > 0 {
		return nil, usageError{&badInput{name: inputName(name), problems: problems}}
	}
	return ids, nil
}
