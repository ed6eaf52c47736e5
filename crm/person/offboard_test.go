package person_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
)

// offboard finds email in w's providers, plans action and runs it,
// recording the progress calls.
func (w *world) offboard(t *testing.T, email string, action person.Action) (person.Plan, []person.Result, []string) {
	t.Helper()
	ctx := context.Background()
	found := person.FindAll(ctx, w.providers, email)
	plan, err := person.PlanOffboard(w.providers, found, email, action)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []string
	results := person.Offboard(ctx, w.providers, plan, person.Progress{
		Start: func(s person.Step) { mu.Lock(); events = append(events, "start "+s.Provider); mu.Unlock() },
		End:   func(r person.Result) { mu.Lock(); events = append(events, "end "+r.Step.Provider); mu.Unlock() },
	})
	return plan, results, events
}

// auditLines reads the audit log's entries.
func (w *world) auditLines(t *testing.T) []audit.Entry {
	t.Helper()
	entries, err := audit.Read(w.log.Path(), audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestOffboardByDeleteRemovesTheAccountEverywhereInOneAuditedRun(t *testing.T) {
	w := newWorld(t, guard.Admin)
	plan, results, events := w.offboard(t, sharedEmail, person.Delete)
	if len(results) != 4 || plan.Writes() != 4 {
		t.Fatalf("%d results, %d writes planned; want 4, 4", len(results), plan.Writes())
	}
	for i, r := range results {
		if r.Outcome != person.Done || r.Err != nil {
			t.Errorf("%s: %s %v", r.Step.Provider, r.Outcome, r.Err)
			continue
		}
		if _, err := w.adapters[i].Get(context.Background(), r.Step.User.ID); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("%s: after delete, get = %v", r.Step.Provider, err)
		}
	}
	if person.Incomplete(results) || len(events) != 8 {
		t.Errorf("incomplete=%v, progress %v", person.Incomplete(results), events)
	}
	providers := map[string]int{}
	for _, e := range w.auditLines(t) {
		if e.Run != plan.Run {
			t.Errorf("audit entry of run %q, want %q: %+v", e.Run, plan.Run, e)
		}
		if e.Result == audit.ResultOK && e.Action == "delete" {
			providers[e.Provider]++
		}
	}
	if len(providers) != 4 {
		t.Errorf("audit: deletes per provider %v, want one in each of 4", providers)
	}
	// Done again: every account is gone, so nothing is planned.
	plan, results, _ = w.offboard(t, sharedEmail, person.Delete)
	for _, r := range results {
		if r.Outcome != person.NotFound {
			t.Errorf("second offboard in %s: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
	}
	if plan.Writes() != 0 {
		t.Errorf("second plan writes %d", plan.Writes())
	}
}

// One provider refusing the write fails there, with its message; the
// others are done all the same.
func TestOffboardWithOneProviderRefusing(t *testing.T) {
	w := newWorld(t, guard.Admin)
	ro := openTruto(t, w.url, sandbox.TrutoAccountReadOnly)
	w.providers[2] = stack.Build(ro, stack.Options{Role: guard.Admin, Audit: w.log, Who: audit.Who{Name: "tester", Via: "cli"}})
	_, results, _ := w.offboard(t, sharedEmail, person.Delete)
	for i, r := range results {
		if i == 2 {
			if r.Outcome != person.Failed || r.Err == nil || !strings.Contains(r.Err.Error(), "405") {
				t.Errorf("the read-only account: %s %v", r.Outcome, r.Err)
			}
			if _, err := ro.Get(context.Background(), r.Step.User.ID); err != nil {
				t.Errorf("the refused account is gone: %v", err)
			}
			continue
		}
		if r.Outcome != person.Done {
			t.Errorf("%s: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
	}
	if !person.Incomplete(results) {
		t.Error("a refused provider leaves the offboarding complete")
	}
}

// A user changed between the find and the write is not written.
func TestOffboardDoesNotWriteAUserChangedSinceTheFind(t *testing.T) {
	w := newWorld(t, guard.Admin)
	ctx := context.Background()
	found := person.FindAll(ctx, w.providers, sharedEmail)
	plan, err := person.PlanOffboard(w.providers, found, sharedEmail, person.Delete)
	if err != nil {
		t.Fatal(err)
	}
	id := found[0].Users[0].ID
	if _, err := w.adapters[0].Update(ctx, id, crm.Changes{"title": "Moved on"}); err != nil {
		t.Fatal(err)
	}
	results := person.Offboard(ctx, w.providers, plan, person.Progress{})
	if r := results[0]; r.Outcome != person.Failed || !errors.Is(r.Err, crm.ErrConflict) {
		t.Fatalf("changed since the find: %s %v", r.Outcome, r.Err)
	}
	if _, err := w.adapters[0].Get(ctx, id); err != nil {
		t.Fatalf("the changed user was deleted: %v", err)
	}
}

// Roles: viewers may find, not offboard; editors may not delete.
func TestOffboardRoles(t *testing.T) {
	for _, role := range []guard.Role{guard.Viewer, guard.Editor} {
		t.Run(string(role), func(t *testing.T) {
			w := newWorld(t, role)
			plan, results, _ := w.offboard(t, sharedEmail, person.Delete)
			for i, r := range results {
				if !strings.HasPrefix(plan.Steps[i].Why, "not allowed") {
					t.Errorf("%s: the preview says %q", r.Step.Provider, plan.Steps[i].Why)
				}
				if r.Outcome != person.Failed || !errors.Is(r.Err, crm.ErrForbidden) || !strings.Contains(r.Err.Error(), string(role)) {
					t.Errorf("%s: %s %v, want refused for the role", r.Step.Provider, r.Outcome, r.Err)
				}
				if _, err := w.adapters[i].Get(context.Background(), r.Step.User.ID); err != nil {
					t.Errorf("%s: a refused delete removed the user: %v", r.Step.Provider, err)
				}
			}
		})
	}
}

// Offboarding by deactivating: each provider's own deactivation, and a
// re-read of each account shows it inactive; Zoho documents none, so it is
// skipped with why (delete only) and the offboarding is incomplete.
func TestOffboardByDeactivateLeavesEveryAccountInactive(t *testing.T) {
	w := newWorld(t, guard.Editor) // editors may deactivate
	plan, results, _ := w.offboard(t, sharedEmail, person.Deactivate)
	for i, r := range results {
		if r.Step.Provider == "zoho-demo" {
			if r.Outcome != person.Skipped || !errors.Is(r.Err, crm.ErrUnsupported) || !strings.Contains(plan.Steps[i].Why, "delete only") {
				t.Errorf("zoho: %s %v (%q)", r.Outcome, r.Err, plan.Steps[i].Why)
			}
			continue
		}
		if r.Outcome != person.Done {
			t.Errorf("%s: %s %v", r.Step.Provider, r.Outcome, r.Err)
			continue
		}
		u, err := w.adapters[i].Get(context.Background(), r.Step.User.ID)
		if err != nil {
			t.Fatalf("%s: re-read: %v", r.Step.Provider, err)
		}
		if u.Active == nil || *u.Active {
			t.Errorf("%s: after deactivating, the re-read shows status %q active %v", r.Step.Provider, crm.StatusWord(u), u.Active)
		}
	}
	if !person.Incomplete(results) {
		t.Error("Zoho was skipped, yet the offboarding is complete")
	}
	byProvider := map[string]string{}
	for _, e := range w.auditLines(t) {
		if e.Run != plan.Run || e.Action != "update" || e.Result != audit.ResultOK {
			t.Errorf("audit entry %+v", e)
		}
		byProvider[e.Provider] = e.UserName
	}
	if len(byProvider) != 3 {
		t.Errorf("audit lines per provider: %v, want sales, truto-demo and laurel-demo", byProvider)
	}
	// Again: already inactive everywhere, nothing is sent.
	_, results, _ = w.offboard(t, sharedEmail, person.Deactivate)
	for _, r := range results {
		if r.Step.Provider != "zoho-demo" && r.Outcome != person.Unchanged {
			t.Errorf("second deactivation in %s: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
	}
	if n := len(w.auditLines(t)); n != 3 {
		t.Errorf("the second run wrote: %d audit lines", n)
	}
}

// Viewers may find but not deactivate: the guard refuses without sending.
func TestViewersMayNotDeactivate(t *testing.T) {
	w := newWorld(t, guard.Viewer)
	_, results, _ := w.offboard(t, sharedEmail, person.Deactivate)
	for i, r := range results {
		if r.Step.Provider == "zoho-demo" {
			continue
		}
		if r.Outcome != person.Failed || !errors.Is(r.Err, crm.ErrForbidden) {
			t.Errorf("%s: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
		if u, err := w.adapters[i].Get(context.Background(), r.Step.User.ID); err != nil || u.Active == nil || !*u.Active {
			t.Errorf("%s: a viewer's deactivation changed the user: %v %v", r.Step.Provider, u.Active, err)
		}
	}
}

// A write whose answer is garbled is settled by reading, never reported
// failed when it may have happened: applied here, and the re-read says so.
func TestOffboardSettlesAGarbledAnswerByReading(t *testing.T) {
	w := newWorld(t, guard.Admin)
	w.sandbox.MalformNextWrites("/crm/users", 1, true) // Apideck applies it, the answer is cut
	_, results, _ := w.offboard(t, sharedEmail, person.Deactivate)
	r := results[0]
	if r.Step.Provider != "sales" || r.Outcome != person.Done {
		t.Fatalf("%s: %s %v", r.Step.Provider, r.Outcome, r.Err)
	}
	u, err := w.adapters[0].Get(context.Background(), r.Step.User.ID)
	if err != nil || crm.StatusWord(u) != "inactive" {
		t.Fatalf("re-read: %q %v", crm.StatusWord(u), err)
	}
}
