package usertable

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
)

// A new set of columns keeps what the admin was doing: the cursor's user,
// the marks, the filter (matched against the new columns) and the sort when
// its column is still there.
func TestSetColumnsKeepsCursorMarksQueryAndSort(t *testing.T) {
	m := newTable(people(300), 100, 10)
	m.SortBy(SortOrder{Col: 2, Desc: true}) // Title, descending
	m = typeQuery(t, m, "a")
	m = press(m, "down", "down")
	m.ToggleMark()
	sel, _ := m.Selected()
	marked := markedIDs(m)
	before := shownIDs(m)

	cols := listColumns()
	cols = []Column{cols[2], cols[0], {Title: "Department", Width: 4, Max: 30, Value: func(u *crm.User) string { return u.Department }}}
	m = settle(t, m, m.SetColumns(cols))

	if got := m.Columns(); !slices.Equal(got, []string{"Title", "Name", "Department"}) {
		t.Fatalf("columns %v", got)
	}
	if got := m.Sort(); got != (SortOrder{Col: 0, Desc: true}) {
		t.Errorf("sort %+v, want Title (now column 0) descending", got)
	}
	if u, _ := m.Selected(); u.ID != sel.ID {
		t.Errorf("cursor on %s, want %s", u.ID, sel.ID)
	}
	if got := markedIDs(m); !slices.Equal(got, marked) {
		t.Errorf("marks %v, want %v", got, marked)
	}
	if m.Query() != "a" {
		t.Errorf("query %q", m.Query())
	}
	// the email column is gone: users who matched only by email drop out,
	// and no user is shown that does not match the new columns
	after := shownIDs(m)
	if len(after) == 0 || len(after) > len(before) {
		t.Errorf("%d shown after, %d before", len(after), len(before))
	}

	// a sort on a column that went away falls back to load order
	m = settle(t, m, m.SetColumns(listColumns()[3:]))
	if m.Sort() != Unsorted {
		t.Errorf("sort %+v, want load order", m.Sort())
	}
}

// A column with Max fits its widest loaded cell (between Width and Max), and
// grows as wider rows arrive.
func TestFittedColumnGrowsWithContent(t *testing.T) {
	cols := []Column{
		{Title: "ID", Width: 2, Max: 12, Value: func(u *crm.User) string { return u.ID }},
		{Title: "Name", Width: 4, Flex: 1, Value: func(u *crm.User) string { return u.Name }},
	}
	m := New(cols, testStyles(termenv.Ascii))
	m.SetSize(40, 4)
	m.SetUsers([]crm.User{{ID: "1", Name: "Ada"}, {ID: "22", Name: "Grace"}})
	v := m.View()
	checkFrame(t, v, 40, 4)
	if !strings.HasPrefix(strings.Split(v, "\n")[2], "  22 Grace") {
		t.Errorf("ID column not 2 wide:\n%s", v)
	}
	m.Append([]crm.User{{ID: "123456789012345", Name: "Long"}})
	v = m.View()
	checkFrame(t, v, 40, 4)
	golden.RequireEqual(t, []byte(v))
	// a click finds the columns where View drew them
	header := strings.Split(v, "\n")[0]
	if c, ok := m.ColumnAt(strings.Index(header, "Name")); !ok || c != 1 {
		t.Errorf("ColumnAt over Name = %d, %v; want 1", c, ok)
	}
	if c, ok := m.ColumnAt(2 + 11); !ok || c != 0 {
		t.Errorf("ColumnAt inside the grown ID column = %d, %v; want 0", c, ok)
	}
}

// BenchmarkSetColumns100k: a new choice of columns over 100,000 loaded
// users (every row's cells and search key built again).
func BenchmarkSetColumns100k(b *testing.B) {
	m := New(listColumns(), testStyles(termenv.Ascii))
	m.SetSize(120, 40)
	m.SetUsers(people(100_000))
	sets := [][]Column{listColumns()[:3], listColumns()}
	b.ResetTimer()
	start := cpuTime()
	for i := range b.N {
		m.SetColumns(sets[i%2])
	}
	reportCPU(b, start)
}
