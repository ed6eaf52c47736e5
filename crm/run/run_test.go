package run

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// firstUsers lists n users of p that the provider accepts writes for (the
// sandbox seeds a few without the email Apideck requires on every update).
func firstUsers(t *testing.T, p crm.Provider, n int) []crm.User {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var us []crm.User
	for _, u := range page.Users {
		if u.Email != "" && len(us) < n {
			us = append(us, u)
		}
	}
	if len(us) < n {
		t.Fatalf("sandbox has %d writable users, want %d", len(us), n)
	}
	return us
}

// writesPerUser counts PATCH/PUT/DELETE requests per path in the sandbox log.
func writesPerUser(s *sandbox.Server) map[string]int {
	n := map[string]int{}
	for _, r := range s.Requests() {
		if strings.HasPrefix(r, "PATCH ") || strings.HasPrefix(r, "PUT ") || strings.HasPrefix(r, "DELETE ") {
			n[r]++
		}
	}
	return n
}

func TestPlanSkipsUnchangedAndExecuteApplies(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 40})
	p := providertest.Apideck(url, nil)
	ctx := context.Background()
	users := firstUsers(t, p, 20)
	var items []Item
	for i, u := range users {
		title := fmt.Sprintf("Bulk %d", i)
		if i%4 == 0 {
			title = u.Title // already in place
		}
		items = append(items, Item{ID: u.ID, Set: crm.Changes{"title": title}})
	}
	plan, err := MakePlan(ctx, p, OpUpdate, items)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Unchanged) != 5 || len(plan.Steps) != 15 {
		t.Fatalf("plan: %d unchanged, %d steps; want 5, 15", len(plan.Unchanged), len(plan.Steps))
	}
	if c := plan.Steps[0].Changes[0]; c.Key != "title" || c.Old != users[1].Title || c.New != "Bulk 1" {
		t.Fatalf("first change = %+v", c)
	}
	dir := t.TempDir()
	j, err := OpenJournal(dir, plan.Run)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	res, err := Execute(ctx, p, j, plan, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Outcome != Applied {
			t.Errorf("%s: %s %v", r.ID, r.Outcome, r.Err)
		}
	}
	for i, u := range users {
		got, err := p.Get(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := items[i].Set["title"]; got.Title != want {
			t.Errorf("%s title %q, want %q", u.ID, got.Title, want)
		}
	}
	for path, n := range writesPerUser(s) {
		if n != 1 {
			t.Errorf("%s sent %d times", path, n)
		}
	}
	st, err := ReadJournal(j.Path)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Done) != 15 || len(st.Started) != 15 {
		t.Fatalf("journal: %d started, %d done", len(st.Started), len(st.Done))
	}
}

// A crash after some writes were sent (journal says "start", no "done")
// resumes without sending them again; the rest are written once.
func TestResumeDoesNotResendAWriteThatLanded(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 30})
	p := providertest.Apideck(url, nil)
	ctx := context.Background()
	users := firstUsers(t, p, 10)
	var items []Item
	for i, u := range users {
		items = append(items, Item{ID: u.ID, Set: crm.Changes{"title": fmt.Sprintf("Resumed %d", i)}})
	}
	plan, err := MakePlan(ctx, p, OpUpdate, items)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	j, err := OpenJournal(dir, plan.Run)
	if err != nil {
		t.Fatal(err)
	}
	// What a killed run leaves: the plan, three settled writes, two sent
	// whose answer never came back, and five never started.
	must(t, j.Write(Record{Type: "plan", Plan: &plan}))
	for i, st := range plan.Steps[:5] {
		must(t, j.Write(Record{Type: "start", ID: st.ID}))
		if _, err := p.Update(ctx, st.ID, st.Set()); err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			must(t, j.Write(Record{Type: "done", ID: st.ID, Outcome: Applied}))
		}
	}
	must(t, j.Close())
	before := writesPerUser(s)

	_, res, err := Resume(ctx, p, j.Path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Outcome != Applied {
			t.Errorf("%s: %s %v", r.ID, r.Outcome, r.Err)
		}
	}
	after := writesPerUser(s)
	for path, n := range after {
		if n != 1 {
			t.Errorf("%s sent %d times", path, n)
		}
	}
	if len(after)-len(before) != 5 {
		t.Errorf("resume sent %d writes, want 5", len(after)-len(before))
	}
}

// A user changed by someone else after the plan is reported as a conflict
// and not overwritten.
func TestConcurrentChangeIsAConflictNotAnOverwrite(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	p := providertest.Apideck(url, nil)
	ctx := context.Background()
	u := firstUsers(t, p, 1)[0]
	plan, err := MakePlan(ctx, p, OpUpdate, []Item{{ID: u.ID, Set: crm.Changes{"title": "Mine"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Update(ctx, u.ID, crm.Changes{"title": "Theirs"}); err != nil {
		t.Fatal(err)
	}
	j, err := OpenJournal(t.TempDir(), plan.Run)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	res, err := Execute(ctx, p, j, plan, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Outcome != NotApplied || !errors.Is(res[0].Err, crm.ErrConflict) {
		t.Fatalf("outcome %s, err %v; want a not-applied conflict", res[0].Outcome, res[0].Err)
	}
	got, _ := p.Get(ctx, u.ID)
	if got.Title != "Theirs" {
		t.Fatalf("title %q: the concurrent change was overwritten", got.Title)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A failure settled before a resume keeps its kind, so the resumed run
// exits as the first one would have (validation, not "other").
func TestResumeKeepsTheKindOfEarlierFailures(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	p := providertest.Apideck(url, nil)
	ctx := context.Background()
	u := firstUsers(t, p, 1)[0]
	plan, err := MakePlan(ctx, p, OpUpdate, []Item{{ID: u.ID, Set: crm.Changes{"title": "X"}}})
	must(t, err)
	j, err := OpenJournal(t.TempDir(), plan.Run)
	must(t, err)
	must(t, j.Write(Record{Type: "plan", Plan: &plan}))
	must(t, j.Write(Record{Type: "done", ID: u.ID, Outcome: NotApplied, Error: "email: required", Kind: crm.KindValidation.String()}))
	must(t, j.Close())
	_, res, err := Resume(ctx, p, j.Path, Options{})
	must(t, err)
	if crm.KindOf(res[0].Err) != crm.KindValidation || !res[0].Earlier {
		t.Fatalf("resumed result %+v, err kind %v", res[0], crm.KindOf(res[0].Err))
	}
	if got := res[0].Err.Error(); got != "email: required" {
		t.Fatalf("the journaled error reads %q, want the message as first said", got)
	}
}

// Deactivating a Truto Salesforce user sends remote_data {"IsActive":
// false}: the plan compares only that entry of the record, so a second run
// finds the user unchanged instead of "changing" the whole record again.
func TestAnObjectChangeComparesOnlyItsEntries(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	p, err := truto.New(truto.Options{BaseURL: url, Token: sandbox.TrutoToken,
		IntegratedAccountID: sandbox.TrutoAccountSalesforce, Integration: "salesforce"})
	must(t, err)
	set, ok := crm.DeactivateChanges(p)
	if !ok {
		t.Fatal("Truto Salesforce declares no deactivation")
	}
	ctx := context.Background()
	u := firstUsers(t, p, 1)[0]
	for round, want := range []int{1, 0} {
		plan, err := MakePlan(ctx, p, OpUpdate, []Item{{ID: u.ID, Set: set}})
		must(t, err)
		if len(plan.Steps) != want {
			t.Fatalf("round %d: %d steps, want %d: %+v", round, len(plan.Steps), want, plan.Steps)
		}
		if want == 0 {
			break
		}
		if old := plan.Steps[0].Changes[0].Old; fmt.Sprint(old) != "map[IsActive:true]" {
			t.Fatalf("old value %v, want only IsActive", old)
		}
		j, err := OpenJournal(t.TempDir(), plan.Run)
		must(t, err)
		res, err := Execute(ctx, p, j, plan, nil, Options{})
		must(t, err)
		if res[0].Outcome != Applied {
			t.Fatalf("deactivate: %s %v", res[0].Outcome, res[0].Err)
		}
		must(t, j.Close())
	}
}
