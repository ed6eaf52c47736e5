package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/sandbox"
)

// A process killed during an audit write leaves a torn last line: the next
// `roster audit` shows every complete entry and names the torn one, and
// the next change is recorded after it, readable.
func TestAuditReadsEveryCompleteEntryAfterATornWrite(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 20}, "")
	for _, title := range []string{"One", "Two", "Three"} {
		c.mustRun("users", "update", "10001", "--set", "title="+title)
	}
	f, err := os.OpenFile(c.auditLog, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	// What kill -9 in the middle of write(2) leaves: half an intent.
	if _, err := f.WriteString(`{"id":"torn","time":"2026-12-02T09:00:00Z","who":{"name":"ro`); err != nil {
		t.Fatal(err)
	}
	f.Close()

	changes := func() []audit.Entry {
		t.Helper()
		out, stderr, err := c.run("audit", "--json", "--action", "update")
		if err != nil {
			t.Fatalf("roster audit: %v (%s)", err, stderr)
		}
		if !strings.Contains(stderr, "audit.jsonl:7 skipped") {
			t.Errorf("the torn line is not reported: %q", stderr)
		}
		var entries []audit.Entry
		if err := json.Unmarshal([]byte(out), &entries); err != nil {
			t.Fatal(err)
		}
		return entries
	}
	if got := changes(); len(got) != 3 || got[2].After["title"] != "Three" || got[2].Result != audit.ResultOK {
		t.Fatalf("after the torn write: %+v", got)
	}
	c.mustRun("users", "update", "10001", "--set", "title=Four")
	if got := changes(); len(got) != 4 || got[3].After["title"] != "Four" {
		t.Fatalf("the change after the torn line: %+v", got)
	}
	if out, _, err := c.run("audit", "--json", "--since", "2000-01-01", "--until", "2001-01-01"); err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("--since/--until outside every change: %q, %v", out, err)
	}
}
