package usertable

import (
	"slices"
	"testing"
)

// syncOrder is the order a sort on the calling goroutine gives.
func syncOrder(m Model, o SortOrder) []string {
	t := newSorter(o, m.cols)
	t.rebuild(m.store)
	ids := make([]string, len(t.order))
	for k, i := range t.order {
		ids[k] = m.store.recs.id(i)
	}
	return ids
}

// A large set sorts in the background: until the result arrives the rows
// keep their order and the table says it is sorting; then they show in the
// same order a sort on the UI goroutine gives.
func TestLargeSortRunsInTheBackground(t *testing.T) {
	m := newTable(people(asyncSortMin), 80, 10)
	before := shownIDs(m)
	for _, o := range []SortOrder{{Col: 0}, {Col: 0, Desc: true}, {Col: 4}} {
		cmd := m.SortBy(o)
		if cmd == nil || !m.Sorting() || m.Sort() != o {
			t.Fatalf("SortBy(%v) on %d rows: cmd %v, Sorting %v, Sort %v; want a background sort", o, m.Total(), cmd != nil, m.Sorting(), m.Sort())
		}
		if got := shownIDs(m); !slices.Equal(got[:20], before[:20]) {
			t.Fatalf("the rows changed order before the sort arrived")
		}
		m = settle(t, m, cmd)
		if m.Sorting() {
			t.Fatal("still sorting after the result arrived")
		}
		if got, want := shownIDs(m), syncOrder(m, o); !slices.Equal(got, want) {
			t.Fatalf("sorted by %v in the background differs from the same sort on the UI goroutine", o)
		}
		before = shownIDs(m)
	}
}

// Rows added while a sort runs are merged into it; an edit while it runs
// sorts again, so the edited row is where its new value sorts.
func TestBackgroundSortTakesChangesMadeMeanwhile(t *testing.T) {
	users := people(asyncSortMin + 10)
	m := newTable(users[:asyncSortMin], 80, 10)
	o := SortOrder{Col: 0}
	cmd := m.SortBy(o)
	m.Append(users[asyncSortMin:])
	m = settle(t, m, cmd)
	if got, want := shownIDs(m), syncOrder(m, o); !slices.Equal(got, want) || len(got) != asyncSortMin+10 {
		t.Fatalf("rows appended during the sort: %d shown, order equal to a fresh sort %v", len(got), slices.Equal(got, want))
	}

	cmd = m.SortBy(SortOrder{Col: 0, Desc: true})
	u := users[5]
	u.Name = "Aaaaa First"
	m.Upsert(u)
	m = settle(t, m, cmd)
	got := shownIDs(m)
	if got[len(got)-1] != u.ID {
		t.Errorf("the user renamed during a descending sort should sort last, got %s", got[len(got)-1])
	}
	if want := syncOrder(m, SortOrder{Col: 0, Desc: true}); !slices.Equal(got, want) {
		t.Error("the order after an edit during the sort differs from a fresh sort")
	}
}

// Rows replacing every row (a load-all) are sorted in the background when
// a sort is on, once the load ends (FinishRows); meanwhile they show in
// load order, not by the old rows' order, and the cursor stays on its user.
func TestSetRowsSortsInTheBackground(t *testing.T) {
	users := people(asyncSortMin)
	m := newTable(users[:100], 80, 10)
	m.SortBy(SortOrder{Col: 0})
	m.SetCursor(3)
	id := selectedID(t, m)
	r := m.NewRows()
	r.Add(users)
	m = settle(t, m, m.SetRows(r))
	if !m.SortWaits() || m.Sort() != (SortOrder{Col: 0}) {
		t.Fatalf("SetRows with a sort on: SortWaits %v, Sort %v", m.SortWaits(), m.Sort())
	}
	cmd := m.FinishRows()
	if !m.Sorting() || m.Sort() != (SortOrder{Col: 0}) {
		t.Fatalf("FinishRows with a sort on: Sorting %v, Sort %v", m.Sorting(), m.Sort())
	}
	m = settle(t, m, cmd)
	if got, want := shownIDs(m), syncOrder(m, SortOrder{Col: 0}); !slices.Equal(got, want) {
		t.Error("rows set by SetRows are not in sort order once sorted")
	}
	if got := selectedID(t, m); got != id {
		t.Errorf("cursor moved from %s to %s", id, got)
	}
}

// Turning a large sort around runs in the background too, in linear time
// from the ties the sort marked; rows added or edited while it runs make
// it sort again, so the result is still a fresh sort's order.
func TestBackgroundReverseTakesChangesMadeMeanwhile(t *testing.T) {
	users := people(asyncSortMin + 10)
	m := newTable(users[:asyncSortMin], 80, 10)
	asc, desc := SortOrder{Col: 0}, SortOrder{Col: 0, Desc: true}
	m = settle(t, m, m.SortBy(asc))
	for _, o := range []SortOrder{desc, asc} { // nothing changes meanwhile
		cmd := m.SortBy(o)
		if cmd == nil || !m.Sorting() || m.Sort() != o {
			t.Fatalf("reverse to %v: cmd %v, Sorting %v, Sort %v; want a background sort", o, cmd != nil, m.Sorting(), m.Sort())
		}
		m = settle(t, m, cmd)
		if got, want := shownIDs(m), syncOrder(m, o); !slices.Equal(got, want) {
			t.Fatalf("reversed to %v in the background differs from a fresh sort", o)
		}
	}

	cmd := m.SortBy(desc)
	m.Append(users[asyncSortMin:])
	m = settle(t, m, cmd)
	if got, want := shownIDs(m), syncOrder(m, desc); !slices.Equal(got, want) || len(got) != asyncSortMin+10 {
		t.Fatalf("rows appended during a reverse: %d shown, order equal to a fresh sort %v", len(got), slices.Equal(got, want))
	}

	m = settle(t, m, m.SortBy(asc))
	cmd = m.SortBy(desc)
	u := users[5]
	u.Name = "Aaaaa First"
	m.Upsert(u)
	m = settle(t, m, cmd)
	got := shownIDs(m)
	if got[len(got)-1] != u.ID {
		t.Errorf("the user renamed during a reverse should sort last, got %s", got[len(got)-1])
	}
	if want := syncOrder(m, desc); !slices.Equal(got, want) {
		t.Error("the order after an edit during a reverse differs from a fresh sort")
	}
}
