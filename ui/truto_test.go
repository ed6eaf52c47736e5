package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm/sandbox"
)

// Truto's remote_data (the CRM's raw record) folds to one line and opens
// with enter, pretty-printed and scrollable.
func TestDetailFoldsRemoteData(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, trutoAt(t, url, sandbox.TrutoAccountSalesforce))
	d.waitFor("unified users")
	d.waitFor("25 loaded")
	d.key("enter")
	v := d.waitFor("enter/space to expand")
	if !strings.Contains(v, "{…}") || !strings.Contains(v, "keys") {
		t.Fatalf("remote_data should fold to one summary line:\n%s", v)
	}
	lines := len(strings.Split(v, "\n"))
	d.key("enter")
	v = d.waitFor("enter/space to fold")
	if !strings.Contains(v, "LastModifiedDate: 2021-03-01T09:00:00Z") || len(strings.Split(v, "\n")) != lines {
		t.Errorf("expanded remote_data should show its JSON in the same frame:\n%s", v)
	}
	d.key(" ")
	d.waitFor("enter/space to expand")
}

// Truto answers 405 to writes on a sandbox account: the form says the
// provider is now read-only, keeps the edit and offers no retry.
func TestSaveOnReadOnlyAccountSaysSo(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, trutoAt(t, url, sandbox.TrutoAccountReadOnly))
	d.waitFor("unified users")
	d.waitFor("25 loaded")
	d.key("enter")
	d.waitFor("Remote data")
	d.key("e")
	d.waitFor("Edit ")
	d.typeText("zz")
	saveAndConfirm(d)
	v := d.waitFor("Save failed")
	if !strings.Contains(v, "is now read-only") || strings.Contains(v, "ctrl+r") {
		t.Errorf("the form should say writes are refused and offer no retry:\n%s", v)
	}
	if !strings.Contains(v, "zz") {
		t.Errorf("the edit should be kept:\n%s", v)
	}
}

// Issue 12 item 16: once Truto's 405 turns the account read-only, the
// actions disappear from every open view at once, and pressing their keys
// says why instead of doing nothing.
func TestReadOnlyAtRunTimeRemovesActions(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, trutoAt(t, url, sandbox.TrutoAccountReadOnly))
	d.waitFor("25 loaded")
	d.key("enter")
	d.waitFor("Remote data")
	d.key("e")
	d.waitFor("Edit ")
	d.typeText("zz")
	saveAndConfirm(d)
	d.waitFor("Save failed")
	d.key("esc")
	d.waitFor("unsaved edits")
	d.key("esc")
	d.waitFor("Remote data")
	// the help line may hold the failure's message: ask the keys it shows
	if dv := d.m.(*Model).top().(*detailView); dv.keys.Edit.Enabled() || dv.keys.Delete.Enabled() {
		t.Errorf("the detail still offers writes: %v", dv.ShortHelp())
	}
	d.key("e")
	v := d.waitFor("cannot edit users")
	if line := lineWith(t, v, "cannot edit users"); !strings.Contains(line, "read-only") {
		t.Errorf("e should say why: %q", line)
	}
	d.key("esc")
	d.waitUntil("the list", func() bool { _, ok := d.m.(*Model).top().(*listView); return ok })
	if l := d.m.(*Model).top().(*listView); l.keys.Delete.Enabled() {
		t.Errorf("the list still offers delete: %v", l.ShortHelp())
	}
	d.key("d")
	d.waitFor("cannot delete users")
}

// The Salesforce list fills Title and Status from the CRM's own record;
// the detail shows the same two rows (after the email), where the unified
// schema has no field for them, so deactivating someone is visible without
// unfolding remote_data.
func TestSalesforceDetailShowsTitleAndStatusFromTheRecord(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, trutoAt(t, url, sandbox.TrutoAccountSalesforce))
	d.waitFor("25 loaded")
	d.key("enter")
	d.waitFor("Remote data")
	v := d.waitIdle()
	golden.RequireEqual(t, []byte(v))
}
