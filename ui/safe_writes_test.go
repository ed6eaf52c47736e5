package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
)

// openConflict edits Ada's title to "Chief Tester" while a colleague's
// Roster saves theirs first, then saves: it returns on the conflict screen.
func openConflict(t *testing.T, theirs crm.Changes) (*driver, crm.Provider, string) {
	t.Helper()
	_, url := startSandbox(t)
	p, colleague := apideckAt(url, nil), apideckAt(url, nil)
	d := newDriver(t, p)
	openFirstUser(t, d)
	editTitle(d, "Chief Tester")
	if _, err := colleague.Update(context.Background(), "10000", theirs); err != nil {
		t.Fatal(err)
	}
	saveAndConfirm(d)
	return d, p, d.waitFor("changed by someone else")
}

// A colleague changes the title between the form opening and the save:
// the save is not sent, the conflict screen shows the three values, and
// Keep theirs leaves the colleague's title in place.
func TestConcurrentChangeIsDetectedAndKept(t *testing.T) {
	d, p, v := openConflict(t, crm.Changes{"title": "Head of Sales"})
	for _, want := range []string{"Account Executive", "Head of Sales", "Chief Tester", "> Keep theirs <"} {
		if !strings.Contains(v, want) {
			t.Errorf("conflict screen lacks %q:\n%s", want, v)
		}
	}
	golden.RequireEqual(t, []byte(v))

	d.key("enter") // Keep theirs: the only edit was the title, so the form closes
	v = d.waitFor("kept their values")
	if !strings.Contains(v, "Head of Sales") {
		t.Errorf("the detail should show their title:\n%s", v)
	}
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Head of Sales" {
		t.Fatalf("sandbox title %q, err %v; want theirs kept", u.Title, err)
	}
}

// Take yours saves again, checked against what is there now.
func TestConflictTakeYoursSavesOverTheirs(t *testing.T) {
	d, p, v := openConflict(t, crm.Changes{"title": "Head of Sales", "department": "Ops"})
	if !strings.Contains(v, "Also changed by someone else: Department") {
		t.Errorf("the screen should name the other changed field:\n%s", v)
	}
	d.key("right")
	d.key("enter")
	v = d.waitFor("saved Ada Lovelace: Title")
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Chief Tester" || u.Department != "Ops" {
		t.Fatalf("sandbox title %q department %q, err %v; want mine and their department", u.Title, u.Department, err)
	}
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("detail should show the saved title:\n%s", v)
	}
}

// Edit again goes back to the form with the edit; a second save goes through.
func TestConflictEditAgainKeepsTheEdit(t *testing.T) {
	d, p, _ := openConflict(t, crm.Changes{"title": "Head of Sales"})
	d.key("esc") // writes nothing, back to the form
	v := d.waitFor("your edits are kept")
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("the form should keep the edit:\n%s", v)
	}
	d.key("ctrl+s")
	v = d.waitFor("Save changes to")
	if !strings.Contains(v, "Head of Sales → Chief Tester") {
		t.Errorf("their title is the new original:\n%s", v)
	}
	d.key("right")
	d.key("enter")
	d.waitFor("saved Ada Lovelace: Title")
	if u, err := p.Get(context.Background(), "10000"); err != nil || u.Title != "Chief Tester" {
		t.Fatalf("sandbox title %q, err %v; want the second save's", u.Title, err)
	}
}

// Laurel refuses an address without a dot in the domain: the save fails,
// both edits stay, and the message sits under the email field.
func TestFailedSaveKeepsEditsWithFieldError(t *testing.T) {
	_, url := startSandbox(t)
	p := laurelAt(t, url)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("enter")
	d.waitFor("Job title")
	d.key("e")
	d.waitFor("Edit ")
	d.key("tab")
	d.key("tab") // First name, Last name → Email
	d.waitFor("┃ Email")
	d.key("ctrl+u")
	d.typeText("someone@nodot")
	d.key("tab")
	d.waitFor("┃ Job title")
	d.key("ctrl+u")
	d.typeText("Night Auditor")
	saveAndConfirm(d)
	v := d.waitFor("Save failed")
	for _, want := range []string{"someone@nodot", "Night Auditor", "✗ email must be an email", "ctrl+r retry"} {
		if !strings.Contains(v, want) {
			t.Errorf("form lacks %q:\n%s", want, v)
		}
	}
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		if strings.Contains(l, "✗ email must be an email") && (i < 2 || !strings.Contains(lines[i-1]+lines[i-2], "Email")) {
			t.Errorf("the field error should sit under the Email field:\n%s", v)
		}
	}
}

// Laurel saves properties and status with two requests; when the second
// fails, the form says what was saved and keeps only the status edit.
func TestPartialSaveKeepsTheUnsavedPart(t *testing.T) {
	srv, url := startSandbox(t)
	p := laurelAt(t, url)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("enter")
	d.waitFor("Job title")
	d.key("e")
	d.waitFor("Edit ")
	for range 3 {
		d.key("tab")
	}
	d.waitFor("┃ Job title")
	d.key("ctrl+u")
	d.typeText("Night Auditor")
	d.key("tab")
	d.key("tab")
	d.waitFor("┃ Status")
	before := d.m.View()
	d.key("down")
	d.key("enter") // pick the next status (huh selects on enter)
	d.waitFor("┃ Nickname")
	if d.m.View() == before {
		t.Fatal("status did not change")
	}
	srv.FailLaurelStatusOnce(500)
	saveAndConfirm(d)
	v := d.waitFor("Save failed")
	if !strings.Contains(v, "Saved: Job title") {
		t.Errorf("the form should say the job title was saved:\n%s", v)
	}
	d.key("ctrl+s")
	v = d.waitFor("Save changes to")
	if strings.Contains(v, "Job title") || !strings.Contains(v, "Status") {
		t.Errorf("only the status should still be unsaved:\n%s", v)
	}
}

// Undo reverts the session's last update of the user on the sandbox.
func TestUndoRestoresTheOldValue(t *testing.T) {
	d, p, _ := editingFirstUser(t, "Chief Tester")
	saveAndConfirm(d)
	d.waitFor("saved Ada Lovelace: Title")
	d.key("u")
	v := d.waitFor("Undo your last change to")
	if !strings.Contains(v, "Chief Tester → Account Executive") || !strings.Contains(v, "> Cancel <") {
		t.Errorf("undo should show now → back to with the focus on Cancel:\n%s", v)
	}
	d.key("right")
	d.key("enter")
	v = d.waitFor("undone: Ada Lovelace: Title restored")
	if !strings.Contains(v, "Account Executive") {
		t.Errorf("detail should show the old title:\n%s", v)
	}
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Account Executive" {
		t.Fatalf("sandbox title %q, err %v", u.Title, err)
	}
	d.key("u")
	d.waitFor("nothing to undo for Ada Lovelace")
}

// An undo is conflict-checked too: a colleague's later change is not
// overwritten without asking.
func TestUndoIsConflictChecked(t *testing.T) {
	_, url := startSandbox(t)
	p, colleague := apideckAt(url, nil), apideckAt(url, nil)
	d := newDriver(t, p)
	openFirstUser(t, d)
	editTitle(d, "Chief Tester")
	saveAndConfirm(d)
	d.waitFor("saved Ada Lovelace: Title")
	d.key("esc") // undo from the list, on the selected row
	d.waitFor("of 120")
	if _, err := colleague.Update(context.Background(), "10000", crm.Changes{"title": "Head of Sales"}); err != nil {
		t.Fatal(err)
	}
	d.key("u")
	d.waitFor("Undo your last change to")
	d.key("right")
	d.key("enter")
	d.waitFor("changed by someone else")
	d.key("enter") // Keep theirs
	d.waitFor("undo cancelled")
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Head of Sales" {
		t.Fatalf("sandbox title %q, err %v; want theirs kept", u.Title, err)
	}
}
