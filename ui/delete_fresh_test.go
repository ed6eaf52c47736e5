package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// Issue 12 item 13, from the list: a user changed elsewhere after the list
// loaded, and `d` pressed on their row. The dialog shows the list's values
// marked "refreshing…" and no way to confirm yet, then the fresh email and
// title it confirms against. It confirmed against the list's copy.
func TestDeleteFromTheListConfirmsAgainstAReRead(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil))
	d.waitFor("of 120")
	colleague := apideckAt(url, nil)
	if _, err := colleague.Update(context.Background(), "10000", crm.Changes{"title": "Changed Elsewhere", "email": "ada.new@example.com"}); err != nil {
		t.Fatal(err)
	}
	d.key("d")
	v := d.waitFor("Delete this user?")
	if strings.Contains(v, "refreshing…") {
		if !strings.Contains(v, "Account Executive") || strings.Contains(v, "to confirm") {
			t.Errorf("while refreshing, the list's values show and nothing can be confirmed:\n%s", v)
		}
	}
	v = d.waitFor("Type ada.new@example.com to confirm")
	for _, stale := range []string{"refreshing…", "Account Executive", "ada.0@example.com"} {
		if strings.Contains(v, stale) {
			t.Errorf("the dialog still shows %q after the re-read:\n%s", stale, v)
		}
	}
	compareAtSizes(t, d, "Changed Elsewhere")

	// the typed email is the fresh one, and it deletes
	d.apply(sizeMsg(100, 30))
	d.typeText("ada.new@example.com")
	d.key("tab")
	d.key("tab")
	d.key("enter")
	d.waitFor("deleted Ada Lovelace")
	if _, err := colleague.Get(context.Background(), "10000"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("after the delete, get = %v, want not found", err)
	}
}

// A user deleted elsewhere: `d` on their row re-reads, learns the provider
// has no such user, says so, offers nothing to confirm and drops the row.
func TestDeleteFromTheListOfAUserGoneElsewhere(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil))
	d.waitFor("of 120")
	if err := apideckAt(url, nil).Delete(context.Background(), "10000"); err != nil {
		t.Fatal(err)
	}
	d.key("d")
	v := d.waitFor("This user is gone")
	if strings.Contains(v, "to confirm") || strings.Contains(v, "> Delete <") {
		t.Errorf("a gone user offers a delete:\n%s", v)
	}
	// the row's removal comes just before the message that says why
	compareAtSizes(t, d, "is gone already")
	d.apply(sizeMsg(100, 30))
	d.key("enter") // Cancel, the only button
	v = d.waitUntil("the list", func() bool { return !strings.Contains(d.m.View(), "delete?") })
	if strings.Contains(v, "ada.0@example.com") {
		t.Errorf("the gone user's row is still listed:\n%s", v)
	}
}
