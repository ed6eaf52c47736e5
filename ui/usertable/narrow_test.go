package usertable

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// settle delivers what a Cmd from SetQuery produces, as the Bubble Tea
// runtime would.
func settle(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			return m
		}
		m, cmd = m.Update(msg)
	}
	return m
}

func typeQuery(t *testing.T, m Model, q string) Model {
	t.Helper()
	return settle(t, m, m.SetQuery(q))
}

func shownIDs(m Model) []string {
	ids := make([]string, 0, m.Len())
	for _, i := range m.shown() {
		ids = append(ids, m.store.recs.id(i))
	}
	return ids
}

// reference is what a full scan compares against: every user's cells,
// folded, computed without the table.
type reference struct {
	ids   []string
	cells [][]string
}

func newReference(users []crm.User, cols []Column) reference {
	var r reference
	for i := range users {
		var cells []string
		for _, c := range cols {
			cells = append(cells, fold(termtext.Clean(c.Value(&users[i]))))
		}
		r.ids = append(r.ids, users[i].ID)
		r.cells = append(r.cells, cells)
	}
	return r
}

// fullScan is every user some cell of which contains each word of q.
func (r reference) fullScan(q string) []string {
	words := strings.Fields(fold(q))
	var ids []string
	for i, cells := range r.cells {
		ok := true
		for _, w := range words {
			if !slices.ContainsFunc(cells, func(c string) bool { return strings.Contains(c, w) }) {
				ok = false
				break
			}
		}
		if ok {
			ids = append(ids, r.ids[i])
		}
	}
	return ids
}

func TestNarrowingFindsUsersByAnyVisibleColumn(t *testing.T) {
	m := newTable(people(2000), 100, 12)
	for _, tc := range []struct{ q, want string }{
		{"lovelace", "Lovelace"},
		{"ADA.1", "ada.1"},          // email, case-insensitive
		{"revenue oper", "Revenue"}, // title, two words
		{"inactive", "inactive"},    // status column
	} {
		m = typeQuery(t, m, tc.q)
		if m.Len() == 0 {
			t.Fatalf("%q: no rows", tc.q)
		}
		u, _ := m.Selected()
		if row := strings.Join([]string{u.Name, u.Email, u.Title, u.Status}, " "); !strings.Contains(strings.ToLower(row), strings.ToLower(tc.want)) {
			t.Errorf("%q: selected row %q does not contain %q", tc.q, row, tc.want)
		}
		if m.Len() == m.Total() {
			t.Errorf("%q did not narrow: %d of %d", tc.q, m.Len(), m.Total())
		}
	}
	m = typeQuery(t, m, "")
	if m.Len() != 2000 {
		t.Errorf("empty query shows %d rows, want all 2000", m.Len())
	}
	m = typeQuery(t, m, "zzzqqq")
	if m.Len() != 0 {
		t.Errorf("nonsense query shows %d rows", m.Len())
	}
	if _, ok := m.Selected(); ok {
		t.Error("a selection with no rows")
	}
}

func TestAccentsAndCaseFold(t *testing.T) {
	users := []crm.User{
		{ID: "1", Name: "José García"},
		{ID: "2", Name: "Björn Müller"},
		{ID: "3", Name: "Anna Straße"},
		{ID: "4", Name: "Jose\u0301 Decomposed"}, // e + combining acute
		{ID: "5", Name: "Νίκος Παπαδόπουλος"},
		{ID: "6", Name: "Łukasz Wałęsa"},
		{ID: "7", Name: "Søren Ångström"},
	}
	m := newTable(users, 80, 10)
	for q, want := range map[string][]string{
		"jose":        {"1", "4"},
		"JOSÉ":        {"1", "4"},
		"garcia":      {"1"},
		"muller":      {"2"},
		"strasse":     {"3"},
		"STRAẞE":      {"3"},
		"νικος":       {"5"},
		"ΝΙΚΟΣ":       {"5"},
		"lukasz wale": {"6"},
		"soren ang":   {"7"},
	} {
		m = typeQuery(t, m, q)
		if got := shownIDs(m); !slices.Equal(got, want) {
			t.Errorf("%q shows %v, want %v", q, got, want)
		}
	}
}

// Typing, deleting and retyping take the incremental paths (refine the
// previous result, pop back to a cached one); every step must show exactly
// what a full scan finds. Run on a small set (matched at once) and on one
// large enough to be matched in the background.
func TestIncrementalNarrowingEqualsFullScan(t *testing.T) {
	for _, n := range []int{3000, asyncMin + 5000} {
		users := people(n)
		m := newTable(users, 100, 20)
		ref := newReference(users, listColumns())
		steps := []string{"sales", "sa", "sara", "s", "", "jo", "jose m", "jose ", "jose mu", "ada 1", "ad", "example", "ex"}
		// and one key at a time
		for i := 0; i <= len("mary-jane"); i++ {
			steps = append(steps, "mary-jane"[:i])
		}
		for _, q := range steps {
			m = typeQuery(t, m, q)
			if got, want := shownIDs(m), ref.fullScan(q); !slices.Equal(got, want) {
				t.Fatalf("n=%d %q: %d rows, full scan finds %d", n, q, len(got), len(want))
			}
		}
	}
}

func TestLargeSetMatchesInBackgroundAndDropsStaleResults(t *testing.T) {
	users := people(asyncMin + 1000)
	m := newTable(users, 100, 10)

	first := m.SetQuery("sa")
	if first == nil {
		t.Fatal("a large set was matched on the UI goroutine")
	}
	if !m.Matching() {
		t.Error("Matching() is false while a match runs")
	}
	early := first() // finished before the next key… but not delivered yet
	second := m.SetQuery("sar")
	if second == nil {
		t.Fatal("second query was matched on the UI goroutine")
	}
	if early != nil {
		m, _ = m.Update(early)
	}
	if m.Matching() == false || m.Len() != len(users) {
		t.Fatalf("a stale result was taken: %d rows shown for %q", m.Len(), m.Query())
	}
	m = settle(t, m, second)
	if got, want := shownIDs(m), newReference(users, listColumns()).fullScan("sar"); !slices.Equal(got, want) {
		t.Fatalf("%q: %d rows, want %d", m.Query(), len(got), len(want))
	}
	if m.Matching() {
		t.Error("Matching() still true after the result arrived")
	}
}

func TestRowsChangedDuringBackgroundMatch(t *testing.T) {
	users := people(asyncMin + 1000)
	m := newTable(users, 100, 10)
	cmd := m.SetQuery("zed")
	// while it runs: a new page arrives and an existing user is edited
	extra := crm.User{ID: "new-1", Name: "Zed Appended", Email: "zed@example.com"}
	m.Append([]crm.User{extra})
	edited := users[10]
	edited.Name = "Zed Edited"
	m.Upsert(edited)
	m = settle(t, m, cmd)
	got := shownIDs(m)
	if !slices.Contains(got, "new-1") || !slices.Contains(got, edited.ID) {
		t.Fatalf("rows changed during the match are missing: %v", got)
	}
}

func TestAppendWhileNarrowedShowsMatchingNewRows(t *testing.T) {
	m := newTable(people(100), 80, 10)
	m = typeQuery(t, m, "lovelace")
	before := m.Len()
	m.Append([]crm.User{{ID: "x1", Name: "Ada Lovelace II"}, {ID: "x2", Name: "Someone Else"}})
	if m.Len() != before+1 || m.Total() != 102 {
		t.Fatalf("after append: %d shown (was %d), %d held", m.Len(), before, m.Total())
	}
	m = typeQuery(t, m, "")
	if m.Len() != 102 {
		t.Fatalf("cleared query shows %d, want 102", m.Len())
	}
}

// The background match really runs concurrently with edits here, so that
// `go test -race` checks the copy-on-write sharing between the two.
func TestBackgroundMatchRunsWhileRowsChange(t *testing.T) {
	users := people(asyncMin + 1000)
	m := newTable(users, 100, 10)
	cmd := m.SetQuery("sa")
	if cmd == nil {
		t.Fatal("expected a background match")
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()

	extra := crm.User{ID: "new-1", Name: "Sasha Appended"}
	m.Append([]crm.User{extra})
	edited := users[3]
	edited.Name = "Saskia Edited"
	m.Upsert(edited)
	m.Remove(users[5].ID)

	m, cmd = m.Update(<-done)
	m = settle(t, m, cmd)

	now := append(slices.Clone(users), extra)
	now[3] = edited
	now = slices.Delete(now, 5, 6)
	if got, want := shownIDs(m), newReference(now, listColumns()).fullScan("sa"); !slices.Equal(got, want) {
		t.Fatalf("after concurrent edits: %d rows, full scan finds %d", len(got), len(want))
	}
}
