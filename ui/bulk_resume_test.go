package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
)

// interruptedRun journals what a killed bulk edit of ten users leaves, as
// crm/run writes it: the plan, three writes settled, two sent whose answer
// never came back (the sandbox applied them), five never started. It
// returns the journal's path.
func interruptedRun(t *testing.T, p crm.Provider) string {
	t.Helper()
	return interruptedRunOn(t, p, false)
}

// interruptedRunOn is interruptedRun, on the demo's sandbox when demo.
func interruptedRunOn(t *testing.T, p crm.Provider, demo bool) string {
	t.Helper()
	ctx := context.Background()
	var items []run.Item
	for _, id := range resumeIDs {
		items = append(items, run.Item{ID: id, Set: crm.Changes{"department": "Resumed"}})
	}
	plan, err := run.MakePlan(ctx, p, run.OpUpdate, items)
	if err != nil || len(plan.Steps) != 10 {
		t.Fatalf("plan: %d steps, %v", len(plan.Steps), err)
	}
	plan.Run = "20261202T081500Z-1a2b3c4d" // a stable id (and start) for the golden
	plan.Demo = demo
	dir, err := run.Dir()
	if err != nil {
		t.Fatal(err)
	}
	j, err := run.OpenJournal(dir, plan.Run)
	if err != nil {
		t.Fatal(err)
	}
	write := func(r run.Record) {
		if err := j.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	write(run.Record{Type: "plan", Plan: &plan})
	for i, s := range plan.Steps[:5] {
		write(run.Record{Type: "start", ID: s.ID})
		if _, err := p.Update(ctx, s.ID, s.Set()); err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			write(run.Record{Type: "done", ID: s.ID, Outcome: run.Applied})
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return j.Path
}

// resumeIDs are ten users Apideck accepts writes for (10005, Katherine,
// has no email, which every Apideck update needs).
var resumeIDs = []string{"10000", "10001", "10002", "10003", "10004", "10006", "10007", "10008", "10009", "10010"}

// writesPerUser counts PATCH requests per user path in the sandbox's log.
func writesPerUser(srv *sandbox.Server) map[string]int {
	n := map[string]int{}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r, "PATCH ") {
			n[r]++
		}
	}
	return n
}

// Opening a provider with an interrupted run offers to resume it (Not now
// first); resumed, the run finishes with every user written exactly once:
// the three confirmed writes and the two whose answer was lost (re-read
// first: they had landed) are not sent again, the five never started are.
func TestConsoleOffersToResumeAnInterruptedRun(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, srv := newApideck(t)
	interruptedRun(t, p)
	if n := len(writesPerUser(srv)); n != 5 {
		t.Fatalf("the interrupted run sent %d writes, want 5", n)
	}

	// Not now (enter: the focus starts there) sends nothing.
	d := newDriver(t, p)
	d.waitFor("Resume an unfinished run?")
	v := d.waitIdle() // the first page too: a stable status bar
	for _, want := range []string{"update Department", "10 users: 3 done, 7 left", "2 may have been written: read first", "started 2026-12-02 08:15 UTC", "> Not now <"} {
		if !strings.Contains(v, want) {
			t.Errorf("the offer should say %q:\n%s", want, v)
		}
	}
	compareAtSizes(t, d, "Resume an unfinished")
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.key("enter")
	d.waitFor("not resumed: roster runs resume 20261202T081500Z-1a2b3c4d")
	if n := len(writesPerUser(srv)); n != 5 {
		t.Fatalf("Not now sent writes: %d users written", n)
	}

	// The console started again offers it again; Resume finishes it.
	d = newDriver(t, p)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitFor("Resume an unfinished run")
	d.waitFor("25 of 120") // the first page, for the users' names
	d.key("right")
	d.key("enter")
	v = d.waitFor("updated 10 of 10")
	if !strings.Contains(v, "Done") {
		t.Errorf("results:\n%s", v)
	}
	writes := writesPerUser(srv)
	if len(writes) != 10 {
		t.Errorf("%d users written, want 10: %v", len(writes), writes)
	}
	for path, n := range writes {
		if n != 1 {
			t.Errorf("%s written %d times", path, n)
		}
	}
	for _, id := range resumeIDs {
		if u, err := p.Get(context.Background(), id); err != nil || u.Department != "Resumed" {
			t.Errorf("%s: department %q, err %v", id, u.Department, err)
		}
	}
	dir, _ := run.Dir()
	if left, err := run.Unfinished(dir, "sales", false); err != nil || len(left) != 0 {
		t.Errorf("still unfinished after the resume: %+v, %v", left, err)
	}
}

// A viewer may not write: no offer to resume.
func TestNoResumeOfferForAViewer(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	interruptedRun(t, p)
	d := newDriver(t, stack.Build(p, stack.Options{Role: guard.Viewer}))
	d.waitFor("of 120")
	if v := d.waitIdle(); strings.Contains(v, "Resume") {
		t.Fatalf("a viewer is offered a resume:\n%s", v)
	}
}

// The progress view's ETA comes from the account's rate limit from the
// first frame, before any user is done: 12 users × 2 requests at the
// limiter's pace for 3000 per 10 min (its burst of 120 covers the test's
// requests, so nothing here waits on it).
func TestBulkRunETAFromTheRateLimit(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	_, url := startSandbox(t)
	gate := newBulkGate(0) // every write held: no user is done
	settings := limit.Settings{Requests: 3000, Per: 10 * time.Minute, Concurrency: 4}
	p := stack.Build(apideckAt(url, &http.Client{Transport: gate, Timeout: 10 * time.Second}),
		stack.Options{Role: guard.Admin, Limiter: limit.NewLocal(settings)})
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}})
	d.m.(*Model).c.now = testClock
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	bulkEditDepartment(t, d, 12, "Platform")
	d.key("right")
	d.key("enter")
	want := "about " + run.Least(settings, 12).Round(time.Second).String() + " left (limit 3000/10m)"
	v := d.waitFor("Updating 12 users")
	if !strings.Contains(v, want) || !strings.Contains(v, "0 done") {
		t.Fatalf("the first frame should say %q:\n%s", want, v)
	}
	golden.RequireEqual(t, []byte(stableRunIDs(v)))
	close(gate.open)
	d.waitFor("updated 11 of 12") // Katherine has no email: Apideck refuses
}

// A user the cancel reached before anything was sent for it is not a
// failure: the progress keeps it among the remaining (the results list it
// as not started). It was counted "failed" while cancelling.
func TestProgressCountsACancelledUserAsRemaining(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	plan := run.Plan{Run: "20261202T081500Z-1a2b3c4d", Op: run.OpUpdate, Steps: []run.Step{{ID: "10000"}, {ID: "10001"}}}
	v := newBulkRunView(d.m.(*Model).c, 0, bulkEdit, plan, nil)
	v.count(run.Result{ID: "10000", Outcome: run.Applied})
	v.count(run.Result{ID: "10001", Outcome: run.Skipped, Err: context.Canceled})
	if v.failed != 0 || v.applied != 1 || v.remaining() != 1 {
		t.Fatalf("applied %d, failed %d, remaining %d; want 1, 0, 1", v.applied, v.failed, v.remaining())
	}
}

// A run on the demo's sandbox is never offered by a console on a
// configured "sales" (the demo's provider is "sales" too), nor by the demo,
// whose sandbox a new process generates afresh.
func TestADemoRunIsNeverOffered(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	interruptedRunOn(t, p, true)
	demo := newDriverWith(t, Options{Providers: []crm.Provider{p}, Demo: true})
	if cmd := demo.m.(*Model).top().(*listView).offerResume(); cmd != nil {
		t.Fatal("the demo looks for runs to resume")
	}
	real := newDriver(t, p)
	real.waitFor("of 120")
	if v := real.waitIdle(); strings.Contains(v, "Resume") {
		t.Fatalf("a configured provider is offered the demo's run:\n%s", v)
	}
}
