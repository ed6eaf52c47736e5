package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
)

// Bad input: every problem, with its line, before anything is sent.
func TestBulkUpdateListsEveryProblemAndSendsNothing(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 20}, "")
	before := c.mustRun("users", "get", "10001", "--json")
	file := filepath.Join(t.TempDir(), "bad.csv")
	must(t, os.WriteFile(file, []byte("id,title,bogus,status\n10001,New\n10002,A,,active\n10002,B,,never\n10003,C,,maybe\n"), 0o600))
	code, _, stderr := execRoster(t.Context(), "--config", c.config, "users", "update", "--from", file)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	for _, want := range []string{
		`bad.csv:1: unknown column "bogus"`,
		"bad.csv:2: 2 cells, the header has 4",
		"bad.csv:4: user 10002 is also on line 3",
		`bad.csv:4: status: "never" is not one of active, inactive`, // the row's other problems too
		`bad.csv:5: status: "maybe" is not one of active, inactive`,
		"5 problem(s) above; nothing was sent",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if after := c.mustRun("users", "get", "10001", "--json"); after != before {
		t.Fatal("a file with problems changed a user")
	}
}

// --dry-run shows old → new and the unchanged users; a real run then
// writes exactly those, and says so per user in --json.
func TestBulkUpdateDryRunThenRun(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 20}, "")
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var u struct{ Title string }
	must(t, json.Unmarshal([]byte(c.mustRun("users", "get", "10002", "--json")), &u))
	input := `{"id":"10001","set":{"title":"Bulk One","department":"Sales"}}
{"id":"10002","set":{"title":"` + u.Title + `"}}
`
	file := filepath.Join(t.TempDir(), "changes.jsonl")
	must(t, os.WriteFile(file, []byte(input), 0o600))
	out := c.mustRun("users", "update", "--from", file, "--dry-run")
	if !strings.Contains(out, "would-update 10001: department: ") || !strings.Contains(out, "title: ") ||
		!strings.Contains(out, "→ Bulk One") || !strings.Contains(out, "unchanged 10002") {
		t.Fatalf("dry run:\n%s", out)
	}
	if strings.Contains(c.mustRun("users", "get", "10001"), "Bulk One") {
		t.Fatal("the dry run wrote")
	}
	out = c.mustRun("users", "update", "--from", file, "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON object per user:\n%s", out)
	}
	var first, second bulkResult
	must(t, json.Unmarshal([]byte(lines[0]), &first))
	must(t, json.Unmarshal([]byte(lines[1]), &second))
	if first.ID != "10001" || first.Status != "updated" || len(first.Changes) != 2 || second.Status != "unchanged" {
		t.Fatalf("results: %+v %+v", first, second)
	}
	if !strings.Contains(c.mustRun("users", "get", "10001"), "Bulk One") {
		t.Fatal("the run did not write")
	}
	if list := c.mustRun("runs", "list"); !strings.Contains(list, "finished") || !strings.Contains(list, "1 applied, 1 unchanged") {
		t.Fatalf("runs list:\n%s", list)
	}
}

// Deleting many needs --yes; ids come one per line or as a CSV id column.
func TestBulkDeleteNeedsYesAndReadsIDs(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 20}, "")
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	file := filepath.Join(t.TempDir(), "leavers.csv")
	must(t, os.WriteFile(file, []byte("name,id\nA,10003\nB,10004\n"), 0o600))
	if code, _, _ := execRoster(t.Context(), "--config", c.config, "users", "delete", "--from", file); code != exitUsage {
		t.Fatalf("delete --from without --yes exited %d", code)
	}
	out := c.mustRun("users", "delete", "--from", file, "--yes")
	if out != "deleted 10003\ndeleted 10004\n" {
		t.Fatalf("delete:\n%s", out)
	}
	if code, _, _ := execRoster(t.Context(), "--config", c.config, "users", "get", "10003"); code != exitNotFound {
		t.Fatalf("user 10003 still there (exit %d)", code)
	}
}
