package ui

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
)

// bulkGate lets the first `free` writes (PATCH/PUT/DELETE) through and
// holds the rest until the test opens it; reads pass.
type bulkGate struct {
	free int32
	sent atomic.Int32
	open chan struct{}
}

func newBulkGate(free int) *bulkGate {
	return &bulkGate{free: int32(free), open: make(chan struct{})}
}

func (g *bulkGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPatch || r.Method == http.MethodPut || r.Method == http.MethodDelete {
		if g.sent.Add(1) > g.free {
			select {
			case <-g.open:
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// markFirst marks the first n users of the list (space moves down).
func markFirst(d *driver, n int) {
	for range n {
		d.space()
	}
}

// bulkEditDepartment marks n users, opens the bulk form and sets the
// department, then submits; it returns the preview screen.
func bulkEditDepartment(t *testing.T, d *driver, n int, dept string) string {
	t.Helper()
	d.waitFor("of 120")
	markFirst(d, n)
	d.key("e")
	d.waitFor(fmt.Sprintf("Edit %d marked users", n))
	for range 4 { // first, last, username, title → department
		d.key("tab")
	}
	d.waitFor("┃ Department") // huh moves the focus through a command
	d.typeText(dept)
	d.key("ctrl+s")
	return d.waitFor("to update")
}

// Mark 3, bulk-edit their department: the preview lists old → new per user
// and the total; the run writes each once; the results list them; the
// provider holds the new value.
func TestBulkEditPreviewRunResults(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, srv := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}})
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	preview := bulkEditDepartment(t, d, 3, "Platform")
	if !strings.Contains(preview, "3 users to update") || !strings.Contains(preview, "→ Platform") {
		t.Fatalf("preview:\n%s", preview)
	}
	golden.RequireEqual(t, []byte(preview))
	d.key("enter") // Cancel has the focus: back to the form, nothing sent
	d.waitFor("Edit 3 marked users")
	d.key("ctrl+s")
	d.waitFor("to update")
	d.key("right")
	d.key("enter")
	v := d.waitFor("updated 3 of 3")
	for _, name := range []string{"Ada Lovelace", "Grace Liskov", "Alan"} {
		if !strings.Contains(v, name) {
			t.Errorf("results should list %s:\n%s", name, v)
		}
	}
	writes := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r, "PATCH ") {
			writes++
		}
	}
	if writes != 3 {
		t.Errorf("%d writes, want 3", writes)
	}
	for _, id := range []string{"10000", "10001", "10002"} {
		u, err := p.Get(context.Background(), id)
		if err != nil || u.Department != "Platform" {
			t.Errorf("%s: department %q, err %v", id, u.Department, err)
		}
	}
	d.key("esc")
	v = d.waitFor("of 120")
	if strings.Contains(v, "marked") {
		t.Errorf("users whose write landed are unmarked:\n%s", v)
	}
}

// Users already at the value are skipped and counted, not written.
func TestBulkEditSkipsUsersAlreadyAtTheValue(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	if _, err := p.Update(context.Background(), "10001", crm.Changes{"department": "Platform"}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, p)
	v := bulkEditDepartment(t, d, 3, "Platform")
	if !strings.Contains(v, "2 users to update") || !strings.Contains(v, "1 already at the value (skipped)") {
		t.Fatalf("preview:\n%s", v)
	}
}

// The preview fits 40x10: heading, summary, a line or two and the buttons.
func TestBulkPreviewAt40x10(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	markFirst(d, 3)
	d.key("e")
	d.waitFor("Edit 3 marked users")
	for range 4 {
		d.key("tab")
	}
	d.waitFor("┃ Department")
	d.typeText("Platform")
	d.apply(tea.WindowSizeMsg{Width: 40, Height: 10})
	d.key("ctrl+s")
	v := d.waitFor("to update")
	golden.RequireEqual(t, []byte(v))
}

// A bulk delete needs the number typed; Delete does nothing before.
func TestBulkDeleteNeedsTheCountTyped(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	markFirst(d, 3)
	d.key("d")
	d.waitFor("Type 3 to confirm")
	d.key("right")
	d.key("enter") // not typed yet: nothing happens
	if _, err := p.Get(context.Background(), "10000"); err != nil {
		t.Fatalf("deleted before the count was typed: %v", err)
	}
	d.typeText("3")
	d.key("right")
	d.key("enter")
	d.waitFor("deleted 3 of 3")
	for _, id := range []string{"10000", "10001", "10002"} {
		if _, err := p.Get(context.Background(), id); crm.KindOf(err) != crm.KindNotFound {
			t.Errorf("%s still there: %v", id, err)
		}
	}
}

// The progress view counts while writes are held; esc cancels: the sent
// writes stand, nothing new starts, the results say exactly who changed.
func TestBulkRunProgressAndCancel(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	_, url := startSandbox(t)
	gate := newBulkGate(2)
	p := apideckAt(url, &http.Client{Transport: gate, Timeout: 10 * time.Second})
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}})
	d.m.(*Model).c.now = testClock // a stable ETA
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	bulkEditDepartment(t, d, 12, "Platform")
	d.key("right")
	d.key("enter")
	v := d.waitFor("2 done")
	if !strings.Contains(v, "Updating 12 users") || !strings.Contains(v, "10 remaining") {
		t.Fatalf("progress:\n%s", v)
	}
	golden.RequireEqual(t, []byte(stableRunIDs(v)))
	d.key("esc")
	d.waitFor("Cancelling")
	close(gate.open) // the held writes were sent: they finish and stand
	d.waitFor("Cancelled: only the users marked")
	rv := d.m.(*Model).top().(*bulkResultsView)
	if len(rv.notStarted) == 0 {
		t.Errorf("a cancel with 12 users and 4 in flight leaves some never started")
	}
	applied := map[string]bool{}
	for _, id := range rv.applied {
		applied[id] = true
	}
	for i := range 12 {
		id := fmt.Sprint(10000 + i)
		u, err := p.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if changed := u.Department == "Platform"; changed != applied[id] {
			t.Errorf("%s: department %q but the results say applied=%v", id, u.Department, applied[id])
		}
	}
	if int(gate.sent.Load()) < len(rv.applied) || len(rv.applied) == 12 {
		t.Errorf("%d applied, %d writes sent", len(rv.applied), gate.sent.Load())
	}
}

// stableRunIDs replaces run ids (time and random) for goldens.
func stableRunIDs(s string) string {
	return runIDPattern.ReplaceAllString(s, "YYYYMMDDTHHMMSSZ-xxxxxxxx")
}

var runIDPattern = regexp.MustCompile(`\d{8}T\d{6}Z-[0-9a-f]{8}`)

// A failure is listed with the provider's message; r plans again for the
// failed users only.
func TestBulkResultsRetryOnlyTheFailed(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	bulkEditDepartment(t, d, 6, "Platform") // Katherine (row 6) has no email: Apideck refuses
	d.key("right")
	d.key("enter")
	v := d.waitFor("updated 5 of 6")
	if !strings.Contains(v, "✗ Katherine Hamilton") || !strings.Contains(v, "email: required") {
		t.Fatalf("results should list the failure with the provider's message:\n%s", v)
	}
	d.key("r")
	v = d.waitFor("to update")
	if !strings.Contains(v, "Update 1 marked user?") || !strings.Contains(v, "Katherine Hamilton") {
		t.Fatalf("retry should plan the failed user only:\n%s", v)
	}
}
