package ui

import (
	"testing"
)

// The list keeps what it shows and searches, not the provider's JSON
// (issue 14: half the memory): a user of a page just arrived, and of a
// load-all, holds no Raw, although the provider sent it. Opening the user
// reads it again with Raw.
func TestListUsersHoldNoRaw(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, apideckAt(url, nil))
	d.waitFor("of 120")
	l := d.m.(*Model).list()
	u, ok := l.table.Selected()
	if !ok || u.ID == "" {
		t.Fatal("no user selected after the first page")
	}
	if u.Raw != nil {
		t.Errorf("a list user after a page arrives holds Raw (%d bytes)", len(u.Raw))
	}
	d.key("L")
	d.waitFor("loaded all 120 users")
	l.marks().MarkShown()
	for _, u := range l.marks().MarkedUsers() {
		if u.Raw != nil {
			t.Fatalf("after load all, user %s holds Raw", u.ID)
		}
	}

	d.key("enter")
	d.waitFor("Email (primary)")
	d.waitIdle()
	det, ok := d.m.(*Model).top().(*detailView)
	if !ok || len(det.user.Raw) == 0 {
		t.Errorf("the detail view should hold the re-read user with its Raw (ok %v)", ok)
	}
}
