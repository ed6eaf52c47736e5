package person_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/crm/sandbox"
)

const newHire = "new.hire@example.com"

func hire() person.NewPerson {
	return person.NewPerson{Common: map[string]string{"email": newHire, "first_name": "New", "last_name": "Hire", "title": "Engineer"},
		// Zoho's role and profile are chosen from its own, by name or id.
		Extra: map[string]map[string]string{"zoho-demo": {"role": "Manager", "profile": "Standard"}}}
}

// onboard plans np in w's providers and runs it.
func (w *world) onboard(t *testing.T, np person.NewPerson) (person.Plan, []person.Result) {
	t.Helper()
	plan, err := person.PlanOnboard(w.providers, np)
	if err != nil {
		t.Fatal(err)
	}
	return plan, person.Onboard(context.Background(), w.providers, plan, person.Progress{})
}

func byProvider(results []person.Result) map[string]person.Result {
	m := map[string]person.Result{}
	for _, r := range results {
		m[r.Step.Provider] = r
	}
	return m
}

func TestOnboardCreatesInEveryProviderThatCanInOneAuditedRun(t *testing.T) {
	w := newWorld(t, guard.Editor) // editors may onboard
	plan, results := w.onboard(t, hire())
	for _, r := range results {
		creator := r.Step.Provider != "laurel-demo" // Laurel documents no create
		switch {
		case creator && (r.Outcome != person.Done || r.User.ID == "" || r.User.Email != newHire):
			t.Errorf("%s: %s %v (user %q <%s>)", r.Step.Provider, r.Outcome, r.Err, r.User.ID, r.User.Email)
		case !creator && (r.Outcome != person.Skipped || !errors.Is(r.Err, crm.ErrUnsupported)):
			t.Errorf("%s cannot create: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
	}
	for i, f := range person.FindAll(context.Background(), w.providers, newHire) {
		if want := i < 3; f.Err != nil || f.NotFound() == want {
			t.Errorf("after onboarding, %s: found %v, %v", f.Provider, emails(f.Users), f.Err)
		}
	}
	creates := map[string]bool{}
	for _, e := range w.auditLines(t) {
		if e.Run != plan.Run || e.Action != "create" || e.Result != audit.ResultOK || e.UserID == "" {
			t.Errorf("audit entry %+v", e)
		}
		creates[e.Provider] = true
	}
	if len(creates) != 3 {
		t.Errorf("audited creates in %v, want sales, zoho-demo and truto-demo", creates)
	}
	// Onboarding again creates nothing twice.
	_, results = w.onboard(t, hire())
	for _, r := range results {
		if r.Step.Provider != "laurel-demo" && (r.Outcome != person.Unchanged || r.User.ID == "") {
			t.Errorf("second onboarding in %s: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
	}
	if n := len(w.auditLines(t)); n != 3 {
		t.Errorf("the second onboarding wrote: %d audit lines", n)
	}
}

// Nothing is skipped in B because A failed: each provider is independent.
func TestOnboardIsIndependentPerProvider(t *testing.T) {
	w := newWorld(t, guard.Admin)
	w.sandbox.ForceError("/crm/users", http.StatusBadRequest, 100, 0) // Apideck refuses
	_, results := w.onboard(t, hire())
	m := byProvider(results)
	if r := m["sales"]; r.Outcome != person.Failed || r.Err == nil {
		t.Errorf("sales: %s %v", r.Outcome, r.Err)
	}
	if r := m["truto-demo"]; r.Outcome != person.Done {
		t.Errorf("truto-demo: %s %v", r.Outcome, r.Err)
	}
	if !person.Incomplete(results) {
		t.Error("complete, though Apideck failed")
	}
}

// A provider missing a required field gets no create and says which; the
// others are created.
func TestOnboardSaysWhichRequiredFieldsAreMissing(t *testing.T) {
	w := newWorld(t, guard.Admin)
	np := hire()
	delete(np.Common, "last_name") // Truto's Salesforce and Zoho require it
	plan, results := w.onboard(t, np)
	m := byProvider(results)
	if r := m["truto-demo"]; r.Outcome != person.Skipped || !errors.Is(r.Err, crm.ErrValidation) || !strings.Contains(r.Step.Why, "last_name") {
		t.Errorf("truto-demo: %s %v (%q)", r.Outcome, r.Err, r.Step.Why)
	}
	if r := m["sales"]; r.Outcome != person.Done {
		t.Errorf("sales: %s %v", r.Outcome, r.Err)
	}
	if plan.Writes() != 1 { // Zoho requires last_name too
		t.Errorf("%d writes planned", plan.Writes())
	}
	if _, err := person.PlanOnboard(w.providers, person.NewPerson{Common: map[string]string{"first_name": "No"}}); !errors.Is(err, crm.ErrValidation) {
		t.Errorf("an onboarding without email: %v", err)
	}
}

// Viewers may find, not onboard: the guard refuses every create.
func TestViewersMayNotOnboard(t *testing.T) {
	w := newWorld(t, guard.Viewer)
	_, results := w.onboard(t, hire())
	for _, r := range results {
		if r.Step.Action == person.Create && (r.Outcome != person.Failed || !errors.Is(r.Err, crm.ErrForbidden)) {
			t.Errorf("%s: %s %v", r.Step.Provider, r.Outcome, r.Err)
		}
	}
	for _, f := range person.FindAll(context.Background(), w.providers, newHire) {
		if !f.NotFound() {
			t.Errorf("a viewer's onboarding created in %s", f.Provider)
		}
	}
}

// What an onboarding asks per provider: only what the common fields do not
// fill — Zoho's role and profile (chosen from its own), nothing more for
// Apideck and Truto's Salesforce; Laurel cannot create.
func TestExtraFieldsAreWhatTheCommonFieldsDoNotFill(t *testing.T) {
	w := newWorld(t, guard.Editor)
	want := map[string]string{"sales": "", "zoho-demo": "role,profile", "truto-demo": "", "laurel-demo": ""}
	for _, p := range w.providers {
		var keys []string
		for _, f := range person.ExtraFields(p) {
			keys = append(keys, f.Key)
		}
		if got := strings.Join(keys, ","); got != want[p.Info().Name] {
			t.Errorf("%s: extra fields %q, want %q", p.Info().Name, got, want[p.Info().Name])
		}
		if creates := p.Info().Name != "laurel-demo"; person.CanCreate(p) != creates {
			t.Errorf("%s: CanCreate %v", p.Info().Name, !creates)
		}
	}
	viewer := newWorld(t, guard.Viewer) // the guard takes creating away from viewers
	for _, p := range viewer.providers {
		if person.CanCreate(p) {
			t.Errorf("a viewer may create in %s", p.Info().Name)
		}
	}
}

// A create whose answer is lost is settled by the adapter searching the
// email: found, it is done; not found, it failed (nothing was created) —
// never "unknown" once settled. Nothing is sent twice.
func TestOnboardASettledLostAnswerIsDoneOrFailed(t *testing.T) {
	for _, applied := range []bool{true, false} {
		w := newWorld(t, guard.Editor)
		w.sandbox.MalformNextWrites("/crm/users", 1, applied) // Apideck's create
		_, results := w.onboard(t, hire())
		want := person.Done
		if !applied {
			want = person.Failed
		}
		if r := byProvider(results)["sales"]; r.Outcome != want {
			t.Errorf("applied=%v: %s %v, want %s", applied, r.Outcome, r.Err, want)
		}
		if n := posts(w.sandbox.RequestLog(), "/crm/users"); n != 1 {
			t.Errorf("applied=%v: %d creates sent", applied, n)
		}
	}
}

// posts counts the POSTs to path in a sandbox's request log: the creates
// sent, those the sandbox garbled before its handler saw them included.
func posts(log []sandbox.Request, path string) int {
	n := 0
	for _, r := range log {
		if r.Method == http.MethodPost && r.Path == path {
			n++
		}
	}
	return n
}
