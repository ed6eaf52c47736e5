package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// CSV is RFC 4180 (quotes, commas and newlines survive a round trip) and a
// cell a spreadsheet would run as a formula starts with ' instead.
func TestCSVQuotesAndDefusesFormulas(t *testing.T) {
	users := []crm.User{
		{ID: "1", Name: "=HYPERLINK(\"http://evil\")", Email: "a@x.org", Title: `Head of "Sales", EMEA`},
		{ID: "2", Name: "+1 555", Email: "@home", Title: "-dash"},
	}
	var b bytes.Buffer
	cols, err := resolveColumns([]string{"id", "name", "email", "title"}, crm.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	s := newUserSink(&b, "csv", cols)
	must(t, s.Write(users))
	must(t, s.Close())
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180: %v", err)
	}
	want := [][]string{
		{"id", "name", "email", "title"},
		{"1", `'=HYPERLINK("http://evil")`, "a@x.org", `Head of "Sales", EMEA`},
		{"2", "'+1 555", "'@home", "'-dash"},
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

// --all streams every user in every format; --json is --format json.
func TestUsersListFormats(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 130}, "")
	var arr []map[string]any
	must(t, json.Unmarshal([]byte(c.mustRun("users", "list", "--all", "--format", "json")), &arr))
	if len(arr) != 130 || arr[0]["id"] != "10000" {
		t.Fatalf("json: %d users", len(arr))
	}
	same := c.mustRun("users", "list", "--all", "--json")
	if n := len(jsonUsers(t, same)); n != 130 {
		t.Fatalf("--json: %d users", n)
	}
	lines := strings.Split(strings.TrimSpace(c.mustRun("users", "list", "--all", "--format", "jsonl", "--columns", "id,email")), "\n")
	if len(lines) != 130 || lines[0] != `{"id":"10000","email":"ada.0@example.com"}` {
		t.Fatalf("jsonl: %d lines, first %s", len(lines), lines[0])
	}
	rows, err := csv.NewReader(strings.NewReader(c.mustRun("users", "list", "--all", "--format", "csv"))).ReadAll()
	if err != nil || len(rows) != 131 || rows[0][0] != "id" {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	if out := c.mustRun("users", "list", "--format", "table", "--columns", "id,title", "--limit", "2"); !strings.HasPrefix(out, "ID     TITLE") {
		t.Fatalf("table:\n%s", out)
	}
	if code, _, _ := execRoster(t.Context(), "--config", c.config, "users", "list", "--format", "xml"); code != exitUsage {
		t.Fatalf("--format xml exited %d", code)
	}
	if code, _, _ := execRoster(t.Context(), "--config", c.config, "users", "list", "--columns", "shoe_size"); code != exitUsage {
		t.Fatalf("--columns shoe_size exited %d", code)
	}
}
