package ui

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/state"
)

// testState is a state file in a fresh directory.
func testState(t *testing.T) (*state.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "roster", "console.json")
	st, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return st, path
}

// reopen reads the state file again, as the next start of the program does.
func reopen(t *testing.T, path string) *state.Store {
	t.Helper()
	st, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// C lists every column of the schema, the shown ones first and ticked.
func TestColumnChooser(t *testing.T) {
	p, _ := newApideck(t)
	st, _ := testState(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, State: st})
	d.waitFor("of 120")
	d.key("C")
	compareAtSizes(t, d, "Columns of sales")
}

// The admin ticks a column, moves it up, applies: the list shows it at
// once, the state file keeps it, and the next start shows it again.
func TestChosenColumnsAreShownAndRemembered(t *testing.T) {
	p, _ := newApideck(t)
	st, path := testState(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, State: st})
	d.waitFor("of 120")
	d.key("C")
	d.waitFor("Columns of sales: 5 shown")
	v := ""
	for range 20 { // down to Department, past the five shown
		d.key("down")
		if v = d.m.View(); strings.Contains(v, "> [ ] Department") {
			break
		}
	}
	d.key(" ")
	lines := strings.Split(v, "\n")
	cursor := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "> ") })
	updated := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "[x] Updated") })
	for range cursor - updated { // up past the hidden columns, to Updated's place
		d.key("K")
	}
	d.key("K") // above Status
	v = d.waitFor("6 shown")
	if !strings.Contains(v, "> [x] Department") {
		t.Fatalf("department not ticked under the cursor:\n%s", v)
	}
	d.key("down") // Status, now under Department
	d.key("x")    // x ticks too: hide it
	d.key("enter")
	d.waitFor("remembered for sales")
	v = d.waitFor("Department")
	header := headerLine(v)
	if want := []string{"Name", "Email", "Title", "Department", "Updated"}; !slices.Equal(strings.Fields(header), want) {
		t.Fatalf("header %q, want %v", header, want)
	}
	if got := reopen(t, path).Provider("sales").Columns; !slices.Equal(got, []string{"name", "email", "title", "department", "updated_at"}) {
		t.Fatalf("state file has %v", got)
	}

	// the next start
	d2 := newDriverWith(t, Options{Providers: []crm.Provider{p}, State: reopen(t, path)})
	v = d2.waitFor("of 120")
	if got := strings.Fields(headerLine(v)); !slices.Contains(got, "Department") || slices.Contains(got, "Status") {
		t.Fatalf("after a restart the header is %v", got)
	}
}

// headerLine is the table's header: the first line with a Name column.
func headerLine(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "Name") {
			return l
		}
	}
	return ""
}

// :columns sets the columns by name, completing one name at a time; an
// unknown name is refused and changes nothing; "default" puts the five back.
func TestColumnsCommand(t *testing.T) {
	p, _ := newApideck(t)
	st, path := testState(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, State: st})
	d.waitFor("of 120")
	d.key(":")
	d.typeText("columns name,emp")
	d.key("tab")
	v := d.waitFor(":columns name,employee_number")
	golden.RequireEqual(t, []byte(v))
	d.typeText(", stat") // a space after the comma is fine
	d.key("tab")
	d.waitFor(":columns name,employee_number, status")
	d.key("enter")
	d.waitFor("remembered for sales")
	// the provider's own field, which the table does not keep: the users
	// are read again for it
	v = d.waitFor("E-00000")
	if got := strings.Fields(headerLine(v)); !slices.Equal(got, []string{"Name", "Employee", "number", "Status"}) {
		t.Fatalf("header %v", got)
	}
	d.key(":")
	d.typeText("columns name,shoe_size")
	d.key("enter")
	d.waitFor(`no column "shoe_size"`)
	d.key(":")
	d.typeText("columns default")
	d.key("enter")
	d.waitFor("columns: name, email, title, status, updated_at (remembered")
	if got := reopen(t, path).Provider("sales").Columns; got != nil {
		t.Fatalf("state keeps %v after default", got)
	}
}

// Columns chosen while a load all runs: its rows were being built with the
// old columns, so it starts again with the new ones, and when it ends the
// list shows every user in the chosen columns (it used to install rows
// built for the old columns).
func TestColumnsChosenDuringLoadAll(t *testing.T) {
	_, url := startSandbox(t)
	g := newListGate()
	p := zohoAt(t, url, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d, _ := loadAllScreen(t, p, 100, "25 loaded")
	d.key(":")
	d.typeText("columns name,time_zone")
	d.key("enter")
	d.waitFor("for this session") // no state file
	close(g.open)
	v := d.waitFor("loaded all 120 users")
	if got := strings.Fields(headerLine(v)); !slices.Equal(got, []string{"Name", "Time", "zone"}) {
		t.Fatalf("header %v\n%s", got, v)
	}
	if !strings.Contains(v, "Europe/Lisbon") {
		t.Errorf("the provider's own field is empty after load all:\n%s", v)
	}
}

// :columns completes only the names not typed yet, in any word before.
func TestColumnsCompletionSkipsChosen(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	m := d.m.(*Model)
	m.cmdline.input.SetValue("columns name, email, ")
	got := completeColumns(m, 0)
	if slices.ContainsFunc(got, func(c string) bool { return c == "name" || c == "email" }) || !slices.Contains(got, "title") {
		t.Errorf("candidates %v", got)
	}
}
