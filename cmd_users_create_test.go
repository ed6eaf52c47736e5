package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/sandbox"
)

func TestUsersCreatePrintsTheNewIDAndAuditsIt(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 10}, "")
	out := c.mustRun("users", "create", "--set", "email=grace@example.com", "--set", "first_name=Grace", "--set", "title=Rear Admiral")
	id := strings.TrimSpace(out)
	if id == "" || strings.Contains(id, "\n") {
		t.Fatalf("want the new id alone, got %q", out)
	}
	got := c.mustRun("users", "get", id, "--json")
	if !strings.Contains(got, `"email": "grace@example.com"`) || !strings.Contains(got, `"title": "Rear Admiral"`) {
		t.Errorf("users get %s: %s", id, got)
	}
	entries, err := audit.Read(c.auditLog, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	for _, e := range entries {
		if e.Action == "create" && e.Result == audit.ResultOK && e.UserID == id && e.After["email"] == "grace@example.com" {
			ok = true
		}
	}
	if !ok {
		t.Errorf("no applied create of %s with the fields sent in the audit: %+v", id, entries)
	}
}

func TestUsersCreateRefusesFieldsANewUserCannotHave(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 3}, "")
	code, _, stderr := execRoster(t.Context(), "--config", c.config, "users", "create", "--set", "id=1", "--set", "email=a@example.com")
	if code != exitUsage || !strings.Contains(stderr, "not a field of a new user") || !strings.Contains(stderr, "email required") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = execRoster(t.Context(), "--config", c.config, "users", "create", "--set", "first_name=NoEmail")
	if code != exitValidation || !strings.Contains(stderr, "email") {
		t.Errorf("create without the required email: exit %d, stderr %s", code, stderr)
	}
}

// A file run twice creates each user once: the second run finds every
// email taken and says "exists".
func TestUsersCreateFromFileIsSafeToRunAgain(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 5}, "")
	file := filepath.Join(t.TempDir(), "new.jsonl")
	lines := `{"email": "n1@example.com", "first_name": "One"}
{"email": "n2@example.com", "status": "inactive"}

{"email": "n1@example.com", "first_name": "Twice in the file"}
`
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	out := c.mustRun("users", "create", "--from", file, "--json")
	results := decodeResults(t, out)
	if len(results) != 3 || results[0]["result"] != "created" || results[1]["result"] != "created" || results[2]["result"] != "exists" {
		t.Fatalf("first run: %s", out)
	}
	out = c.mustRun("users", "create", "--from", file, "--json")
	for _, r := range decodeResults(t, out) {
		if r["result"] != "exists" {
			t.Errorf("second run created again: %s", out)
		}
	}
	n := 0
	for _, u := range jsonUsers(t, c.mustRun("users", "list", "--all", "--json")) {
		if u["email"] == "n1@example.com" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("n1 is listed %d times", n)
	}
}

func TestUsersCreateFromFileReportsEachLineAndFails(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 5}, "")
	file := filepath.Join(t.TempDir(), "new.jsonl")
	if err := os.WriteFile(file, []byte("{\"email\": \"ok@example.com\"}\n{\"first_name\": \"no email\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := execRoster(t.Context(), "--config", c.config, "users", "create", "--from", file)
	if code != exitValidation || !strings.Contains(out, "line 1: created") || !strings.Contains(out, "line 2: failed") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
}

func decodeResults(t *testing.T, out string) []map[string]any {
	t.Helper()
	var rs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("not JSON Lines: %v\n%s", err, out)
		}
		rs = append(rs, r)
	}
	return rs
}
