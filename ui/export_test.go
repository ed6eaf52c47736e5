package ui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// exportTo opens x, names the file, picks the format (downs in the format
// select) and writes it; it returns the status line.
func exportTo(t *testing.T, d *driver, path string, formatDowns int, common bool) string {
	t.Helper()
	d.key("x")
	d.waitFor("┃ File")
	d.key("ctrl+u")
	d.typeText(path)
	d.key("tab")
	d.waitFor("┃ Format")
	for range formatDowns {
		d.key("down")
	}
	if common {
		d.key("tab")
		d.waitFor("┃ Columns")
		d.key("down")
	}
	d.key("ctrl+s")
	return d.waitFor("exported")
}

// The filtered view goes to CSV with the visible columns; a title that a
// spreadsheet would run gets a leading quote; the status says where.
func TestExportFilteredViewToCSV(t *testing.T) {
	p, _ := newApideck(t)
	if _, err := p.Update(context.Background(), "10001", crm.Changes{"title": "=HYPERLINK(\"http://x\")"}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("/")
	d.typeText("grace")
	d.key("down") // keep the filter, leave the input
	path := filepath.Join(t.TempDir(), "graces.csv")
	v := exportTo(t, d, path, 0, false)
	if !strings.Contains(v, "exported 1 row to "+path) {
		t.Fatalf("status:\n%s", v)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "id,name,email,title,status,updated" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) < 2 {
		t.Fatalf("no rows")
	}
	for _, r := range rows[1:] {
		if !strings.Contains(strings.ToLower(r[1]+r[2]), "grace") {
			t.Errorf("row %v does not match the filter", r)
		}
	}
	if rows[1][0] != "10001" || rows[1][3] != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("formula cell not made inert: %v", rows[1])
	}
}

// With marks, only the marked users go out; JSON Lines with every common
// field, one object per line.
func TestExportMarkedToJSONLines(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	markFirst(d, 3)
	path := filepath.Join(t.TempDir(), "marked.jsonl")
	v := exportTo(t, d, path, 2, true)
	if !strings.Contains(v, "exported 3 rows to") {
		t.Fatalf("status:\n%s", v)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %d: %v: %s", n+1, err, sc.Text())
		}
		for _, k := range crm.CommonNames {
			if _, ok := obj[k]; !ok {
				t.Errorf("line %d lacks %s", n+1, k)
			}
		}
		n++
	}
	if n != 3 {
		t.Fatalf("%d lines, want 3", n)
	}
}

func TestRowWriterJSONArrayAndInertCells(t *testing.T) {
	for _, users := range [][]crm.User{nil, {{ID: "1", Name: "+1 555"}, {ID: "2", Name: "@SUM(A1)"}}} {
		var buf bytes.Buffer
		w, err := newRowWriter(&buf, formatJSON, commonColumns())
		if err != nil {
			t.Fatal(err)
		}
		for i := range users {
			if err := w.write(&users[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.close(); err != nil {
			t.Fatal(err)
		}
		var got []map[string]any
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != len(users) {
			t.Fatalf("JSON %q: %v", buf.String(), err)
		}
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "-2": "'-2", "@x": "'@x", "+x": "'+x", "\tx": "'\tx", "ok": "ok", "": ""} {
		if got := inertCell(in); got != want {
			t.Errorf("inertCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkExportCSV100k streams 100,000 users to a CSV file.
func BenchmarkExportCSV100k(b *testing.B) {
	users := make([]crm.User, 100_000)
	for i := range users {
		users[i] = crm.User{ID: strconv.Itoa(i), Name: "Person " + strconv.Itoa(i), Email: "p" + strconv.Itoa(i) + "@example.com",
			Title: "=Account Executive", Status: "active", UpdatedAt: "2024-05-01T12:00:00Z"}
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		path := filepath.Join(dir, "out"+strconv.Itoa(i)+".csv")
		if _, n, err := writeExport(context.Background(), path, formatCSV, commonColumns(), users); err != nil || n != len(users) {
			b.Fatal(n, err)
		}
		os.Remove(path)
	}
}
