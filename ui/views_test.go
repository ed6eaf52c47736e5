package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/state"
)

// engineers is a config view: a filter, a sort and three columns.
var engineers = state.View{Name: "engineers", Query: "engineer", Sort: "title desc", Columns: []string{"name", "title", "department"}}

// A config view is one more stop of v (after "all", the provider's
// default, as Apideck has no views of its own): it sets its filter, sort
// and columns; going back to "all" puts back the admin's columns, no
// filter and load order.
func TestConfigViewSwitchedWithV(t *testing.T) {
	p, _ := newApideck(t)
	st, _ := testState(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, State: st,
		Views: map[string][]state.View{"sales": {engineers}}})
	d.waitFor("of 120")
	d.key("v")
	d.waitFor(`view: engineers (filter "engineer"; sorted by title desc; columns name, title, department)`)
	compareAtSizes(t, d, "/ engineer")
	d.apply(sizeMsg(100, 30))
	v := d.m.View()
	if got := strings.Fields(headerLine(v)); !slices.Equal(got, []string{"Name", "Title", "↓", "Department"}) {
		t.Errorf("header %v", got)
	}
	d.key("v")
	v = d.waitFor("view: all")
	if got := strings.Fields(headerLine(v)); !slices.Equal(got, []string{"Name", "Email", "Title", "Status", "Updated"}) {
		t.Errorf("back on all, header %v", got)
	}
	if strings.Contains(v, "/ engineer") {
		t.Errorf("the view's filter stayed:\n%s", v)
	}
}

// ctrl+s opens the command line with ":save "; the view is saved in the
// state file, and :view switches back to it after another view.
func TestSaveViewFromTheConsole(t *testing.T) {
	p, _ := newApideck(t)
	st, path := testState(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, State: st,
		Views: map[string][]state.View{"sales": {engineers}}})
	d.waitFor("of 120")
	d.key("S") // name, descending
	d.key("/")
	d.typeText("ada")
	d.key("down") // keeps the filter (enter would search on the server: pages remain)
	d.key("ctrl+s")
	d.waitFor(":save ")
	d.typeText("engineers") // the config's: refused
	d.key("enter")
	d.waitFor(`view "engineers" is the config's (read-only from here)`)
	d.key("ctrl+s")
	d.typeText("adas")
	d.key("enter")
	d.waitFor(`saved view adas (filter "ada"; sorted by name desc; columns name, email`)
	got := reopen(t, path).Provider("sales").Views
	want := []state.View{{Name: "adas", Query: "ada", Sort: "name desc", Columns: []string{"name", "email", "title", "status", "updated_at"}}}
	if len(got) != 1 || got[0].Name != want[0].Name || got[0].Query != want[0].Query || got[0].Sort != want[0].Sort || !slices.Equal(got[0].Columns, want[0].Columns) {
		t.Fatalf("state has %+v, want %+v", got, want)
	}
	d.key("v") // the cycle: all, engineers, adas → from adas to all
	d.waitFor("view: all")
	d.key(":")
	d.typeText("view a")
	d.key("tab")
	d.waitFor("adas all") // both complete
	d.typeText("d")
	d.key("tab")
	d.waitFor(":view adas")
	d.key("enter")
	v := d.waitFor("view: adas")
	if !strings.Contains(v, "/ ada") || !strings.Contains(v, "Name ↓") {
		t.Errorf("the saved view's filter and sort are not shown:\n%s", v)
	}
	d.key(":")
	d.typeText("unsave adas")
	d.key("enter")
	d.waitFor("forgot view adas")
	if got := reopen(t, path).Provider("sales").Views; len(got) != 0 {
		t.Errorf("state still has %+v", got)
	}
}

// Without a state directory nothing is saved, and the console says so.
func TestSaveViewWithoutState(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}})
	d.waitFor("of 120")
	d.key(":")
	d.typeText("save mine")
	d.key("enter")
	d.waitFor("views cannot be saved in this console: it keeps no state file")
}
