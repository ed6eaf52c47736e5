package main

import (
	"context"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/crm/sandbox"
)

// A run made on the demo's sandbox (provider "sales", like the config's
// here) is never resumed on the configured "sales", which would send the
// demo's planned writes to a real account: usage error, nothing sent.
func TestRunsResumeKeepsDemoAndConfiguredRunsApart(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	c := newCLI(t, sandbox.Options{Users: 20}, "")
	dir, err := run.Dir()
	must(t, err)
	plan := run.Plan{Run: "20261202T081500Z-1a2b3c4d", Provider: "sales", Op: run.OpUpdate, Demo: true,
		Steps: []run.Step{{ID: "10001", Changes: []run.Change{{Key: "title", Old: "x", New: "From the demo"}}}}}
	j, err := run.OpenJournal(dir, plan.Run)
	must(t, err)
	must(t, j.Write(run.Record{Type: "plan", Plan: &plan}))
	must(t, j.Close())

	if list := c.mustRun("runs", "list"); !strings.Contains(list, "sales (demo) update 1 user: 0 applied") {
		t.Fatalf("runs list should name the demo and one user:\n%s", list)
	}
	_, stderr, err := c.run("runs", "resume", plan.Run)
	if err == nil || !strings.Contains(stderr+err.Error(), "was on the demo's sandbox") {
		t.Fatalf("resuming a demo run on the config: %v\n%s", err, stderr)
	}
	if s := run.Summarize(j.Path); s.Pending != 1 {
		t.Fatalf("the refused resume touched the journal: %+v", s)
	}
	out := c.mustRun("users", "get", "10001")
	if strings.Contains(out, "From the demo") {
		t.Fatal("the demo's write reached the configured provider")
	}
}

// A bulk run the CLI makes on the demo is journaled as the demo's, so a
// later `runs resume` without --demo can never send it to a real account.
func TestDemoBulkRunIsJournaledAsTheDemos(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if out, stderr, err := runRoster(context.Background(), "--demo", "users", "deactivate", "10001", "10002", "--yes"); err != nil {
		t.Fatalf("demo deactivate: %v\n%s%s", err, out, stderr)
	}
	list, stderr, err := runRoster(context.Background(), "--demo", "runs", "list")
	if err != nil || !strings.Contains(list, "sales (demo) update 2 users") {
		t.Fatalf("runs list should mark the CLI's demo run:\n%s%s", list, stderr)
	}
}
