package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// Issue 12 item 13: a user changed elsewhere after the list loaded. Opening
// it shows the list's values at once, marked as refreshing, then the fresh
// ones; the delete confirmation shows the fresh record.
func TestOpeningAUserReReadsIt(t *testing.T) {
	_, url := startSandbox(t)
	p := apideckAt(url, nil)
	d := newDriver(t, p)
	d.waitFor("of 120")
	if _, err := apideckAt(url, nil).Update(context.Background(), "10000", crm.Changes{"title": "Changed Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	d.key("enter")
	v := d.waitFor("refreshing…")
	if !strings.Contains(v, "Account Executive") {
		t.Errorf("the cached values should show at once:\n%s", v)
	}
	v = d.waitFor("Changed Elsewhere")
	if strings.Contains(v, "refreshing…") || strings.Contains(v, "Account Executive") {
		t.Errorf("the fresh values should replace the cached ones:\n%s", v)
	}
	compareAtSizes(t, d, "Ada Lovelace")
	d.apply(sizeMsg(100, 30))
	d.key("d")
	v = d.waitFor("Delete this user?")
	if !strings.Contains(v, "Changed Elsewhere") {
		t.Errorf("the delete confirmation should show the fresh record:\n%s", v)
	}
}
