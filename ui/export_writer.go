package ui

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/roster-tui/roster/crm"
)

// The console's export writer: rows streamed to CSV (RFC 4180, via
// encoding/csv), a JSON array or JSON Lines, one user at a time, so a
// hundred thousand users never become one string in memory. Provider text
// is untrusted: cells are sanitised (ui/termtext) and a CSV cell that a
// spreadsheet would run as a formula gets a leading ' (OWASP's advice).

// exportFormat is a file format of the export.
type exportFormat string

const (
	formatCSV   exportFormat = "csv"
	formatJSON  exportFormat = "json"
	formatJSONL exportFormat = "jsonl"
)

// exportColumn is one exported field: its key (JSON) and header (CSV).
type exportColumn struct {
	key   string
	value func(u *crm.User) string
}

// rowWriter writes users one by one.
type rowWriter interface {
	write(u *crm.User) error
	close() error
}

func newRowWriter(w io.Writer, f exportFormat, cols []exportColumn) (rowWriter, error) {
	bw := bufio.NewWriterSize(w, 64*1024)
	switch f {
	case formatCSV:
		cw := csv.NewWriter(bw)
		head := make([]string, len(cols))
		for i, c := range cols {
			head[i] = c.key
		}
		if err := cw.Write(head); err != nil {
			return nil, err
		}
		return &csvRows{bw: bw, cw: cw, cols: cols, rec: make([]string, len(cols))}, nil
	case formatJSON, formatJSONL:
		r := &jsonRows{bw: bw, cols: cols, array: f == formatJSON}
		if r.array {
			if _, err := bw.WriteString("["); err != nil {
				return nil, err
			}
		}
		return r, nil
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

type csvRows struct {
	bw   *bufio.Writer
	cw   *csv.Writer
	cols []exportColumn
	rec  []string
}

func (r *csvRows) write(u *crm.User) error {
	for i, c := range r.cols {
		r.rec[i] = inertCell(clean(c.value(u)))
	}
	return r.cw.Write(r.rec)
}

func (r *csvRows) close() error {
	r.cw.Flush()
	if err := r.cw.Error(); err != nil {
		return err
	}
	return r.bw.Flush()
}

// inertCell prefixes a cell a spreadsheet would evaluate (=, +, -, @, and
// tab or carriage return before one) with a quote, so it stays text.
func inertCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type jsonRows struct {
	bw    *bufio.Writer
	cols  []exportColumn
	array bool
	n     int
}

func (r *jsonRows) write(u *crm.User) error {
	sep := "\n"
	if r.array && r.n > 0 {
		sep = ",\n"
	}
	if !r.array && r.n == 0 {
		sep = ""
	}
	r.n++
	// an ordered object: keys in column order, as a person reads them
	var b strings.Builder
	b.WriteString(sep + "{")
	for i, c := range r.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.key)
		v, _ := json.Marshal(clean(c.value(u)))
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	_, err := r.bw.WriteString(b.String())
	return err
}

func (r *jsonRows) close() error {
	end := "\n"
	if r.array {
		end = "\n]\n"
		if r.n == 0 {
			end = "]\n"
		}
	}
	if _, err := r.bw.WriteString(end); err != nil {
		return err
	}
	return r.bw.Flush()
}

// commonColumns are id and every common field (crm.CommonNames).
func commonColumns() []exportColumn {
	cols := make([]exportColumn, 0, len(crm.CommonNames))
	for _, name := range crm.CommonNames {
		cols = append(cols, exportColumn{key: name, value: func(u *crm.User) string {
			v, _ := u.Common(name)
			return crm.Format(v)
		}})
	}
	return cols
}
