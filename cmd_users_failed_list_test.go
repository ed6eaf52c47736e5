package main

import (
	"os"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
)

// A list that could not be read is not an empty list (issue 12, as item 15
// says of the console): with a key the provider refuses, `users list`
// printed a table header, a CSV header or "[]" — which a script reads as
// "no users" — beside the error. Now stdout stays empty and the exit code
// and stderr say what happened.
func TestAFailedListPrintsNoEmptyList(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 5}, "")
	doc, err := os.ReadFile(c.config)
	if err != nil {
		t.Fatal(err)
	}
	refused := strings.Replace(string(doc), sandbox.ApideckAPIKey, "not-the-key", 1)
	if err := os.WriteFile(c.config, []byte(refused), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "csv", "json", "jsonl"} {
		out, stderr, err := c.run("users", "list", "--format", format)
		if err == nil {
			t.Fatalf("--format %s: no error with a refused key; stderr %q", format, stderr)
		}
		if out != "" {
			t.Errorf("--format %s printed %q beside %v: an empty list where none was read", format, out, err)
		}
	}
}
