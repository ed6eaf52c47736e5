package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/sandbox"
)

// openFirstUser loads the list and opens the first user's detail.
func openFirstUser(t *testing.T, d *driver) string {
	t.Helper()
	d.waitFor("of 120")
	d.key("enter")
	d.waitFor("Email (primary)")
	return d.waitIdle() // opening re-reads the user: wait for the fresh values
}

// editingFirstUser opens the first user of a fresh sandbox and puts title
// in the edit form, unsaved: where the save, discard and quit tests start.
func editingFirstUser(t *testing.T, title string) (*driver, *apideck.Provider, *sandbox.Server) {
	t.Helper()
	p, srv := newApideck(t)
	d := newDriver(t, p)
	openFirstUser(t, d)
	editTitle(d, title)
	return d, p, srv
}

// editTitle opens the form on the detail and replaces the title.
func editTitle(d *driver, title string) {
	d.key("e")
	d.waitFor("Edit ")
	for range 4 { // First, Last, Email, Username → Title
		d.key("tab")
	}
	d.waitFor("┃ Title") // huh moves the focus through a command
	d.key("ctrl+u")
	d.typeText(title)
}

// saveAndConfirm submits the form and chooses Save on the confirmation
// (which opens on Cancel).
func saveAndConfirm(d *driver) {
	d.key("ctrl+s")
	d.waitFor("Save changes to")
	d.key("right")
	d.key("enter")
}

func TestListShowsFirstPage(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	v := d.waitFor("of 120")
	if !strings.Contains(v, "page 1/5 · 25 of 120") {
		t.Errorf("status bar should show page and counts:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
}

func TestDetailShowsEveryField(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	v := openFirstUser(t, d)
	for _, want := range []string{"Email (primary)", "Title", "Phone numbers", "+1 555 000-0000 (work)", "Lisbon, PT (office)"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	golden.RequireEqual(t, []byte(v))
	d.key("f") // page down to the rest
	if v := d.waitFor("Updated"); !strings.Contains(v, "Created") {
		t.Errorf("the second page should show the timestamps:\n%s", v)
	}
}

func TestEditSaveConfirmListsChanges(t *testing.T) {
	d, p, _ := editingFirstUser(t, "Chief Tester")
	d.key("ctrl+s")
	v := d.waitFor("Save changes to")
	if !strings.Contains(v, "Account Executive → Chief Tester") || !strings.Contains(v, "> Cancel <") {
		t.Errorf("confirmation should list old → new with the focus on Cancel:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))

	d.key("enter") // Cancel: nothing is sent, the form keeps the edit
	v = d.waitFor("Edit ")
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("cancel lost the edit:\n%s", v)
	}
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Account Executive" {
		t.Fatalf("cancel must not save: title %q, err %v", u.Title, err)
	}
}

func TestSaveUpdatesProviderAndDetail(t *testing.T) {
	d, p, _ := editingFirstUser(t, "Chief Tester")
	saveAndConfirm(d)
	v := d.waitFor("saved Ada Lovelace: Title")
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("detail should show the saved title:\n%s", v)
	}
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Chief Tester" {
		t.Fatalf("provider has title %q, err %v", u.Title, err)
	}
	d.key("esc")
	v = d.waitFor("of 120")
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("list should show the saved title:\n%s", v)
	}
}

func TestFailedSaveKeepsEditsAndRetries(t *testing.T) {
	d, p, srv := editingFirstUser(t, "Chief Tester")
	d.key("ctrl+s")
	d.waitFor("Save changes to")
	srv.ForceError("/crm/users", 503, 10, 0)
	d.key("right")
	d.key("enter")
	v := d.waitFor("Save failed")
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("the form should keep the edit after a failure:\n%s", v)
	}
	for {
		u, err := p.Get(context.Background(), "10000")
		if err == nil {
			if u.Title != "Account Executive" {
				t.Fatalf("a failed save changed the title to %q", u.Title)
			}
			break
		}
	}
	d.key("ctrl+r")
	d.waitFor("saved Ada Lovelace: Title")
}

func TestDeleteNeedsTypedEmail(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	openFirstUser(t, d)
	d.key("d")
	v := d.waitFor("This cannot be undone") // the dialog's re-read answered
	if !strings.Contains(v, "> Cancel <") {
		t.Errorf("focus should start on Cancel:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))

	d.key("enter") // on Cancel: closes the dialog
	d.waitFor("Email (primary)")
	d.key("d")
	d.waitFor("This cannot be undone")
	d.typeText("ada.0@example.co") // one letter short: Delete stays out of reach
	d.key("tab")
	d.key("tab")
	if v := d.m.View(); strings.Contains(v, "> Delete <") {
		t.Fatalf("Delete must not take the focus before the email is typed:\n%s", v)
	}
	d.key("tab") // back to the input
	d.typeText("m")
	d.key("tab")
	d.key("tab")
	d.key("enter")
	v = d.waitFor("deleted Ada Lovelace")
	if !strings.Contains(v, "of 119") || strings.Contains(v, "ada.0@example.com") {
		t.Errorf("the list should drop the user:\n%s", v)
	}
	if _, err := p.Get(context.Background(), "10000"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("after delete, get = %v, want not found", err)
	}
}

func TestQuitWithUnsavedEditsAsks(t *testing.T) {
	d, _, _ := editingFirstUser(t, "Chief Tester")
	d.key("ctrl+c")
	d.waitFor("Quit anyway? (y/N)")
	d.key("n")
	v := d.waitFor("Edit ")
	if !strings.Contains(v, "Chief Tester") {
		t.Errorf("answering no should keep the form:\n%s", v)
	}
}

func TestFilterNarrowsLoadedUsers(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("/")
	d.typeText("grace")
	v := d.waitFor("match")
	if strings.Contains(v, "Ada Lovelace") || !strings.Contains(v, "Grace") {
		t.Errorf("filter should keep only matching users:\n%s", v)
	}
	d.key("esc")
	d.waitFor("Ada Lovelace")
}

// Keys the detail's help does not offer do nothing: for a viewer, d
// (delete) and u (undo) are off and must not scroll the page instead.
func TestDetailKeysOffDoNotScroll(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, Role: "viewer", Who: "vera"})
	before := openFirstUser(t, d)
	for _, k := range []string{"d", "u", "ctrl+d"} {
		d.key(k)
		if v := d.m.View(); v != before {
			t.Errorf("%s moved the detail of a viewer:\n%s", k, v)
		}
	}
}

// Find by identity says what its keys do there: esc cancels (there is
// nothing to discard), enter moves on and then finds.
func TestLookupHelpSaysCancel(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, laurelAt(t, url))
	d.key("f")
	v := d.waitFor("Find a user by identity")
	help := lineWith(t, v, "next field")
	if !strings.Contains(help, "esc cancel") || strings.Contains(help, "discard") || !strings.Contains(help, "enter next, then find") {
		t.Errorf("lookup help:\n%s", help)
	}
}
