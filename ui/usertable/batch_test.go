package usertable

import (
	"slices"
	"testing"

	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
)

// A page arriving builds the cells of that page only, however many users
// are loaded. Counted, not timed.
func TestPageArrivalBuildsOnlyThatPage(t *testing.T) {
	all := people(3000)
	m := New(listColumns(), testStyles(termenv.Ascii))
	m.SetSize(80, 10)
	m.SetUsers(all[:100])
	m = typeQuery(t, m, "a")
	for _, loaded := range []int{100, 1000, 2900} {
		if loaded > 100 {
			m.Append(all[100:loaded]) // grow the set between measurements
		}
		before := m.store.built
		m.Append(all[loaded : loaded+100])
		if got := m.store.built - before; got != 100 {
			t.Errorf("with %d loaded, a page of 100 built %d rows; want 100", loaded, got)
		}
	}
}

// batches builds users into load-all batches of size n, off the table, as
// the load-all's goroutine does.
func batches(m Model, users []crm.User, n int) []*Rows {
	var out []*Rows
	r := m.NewRows()
	r.SetTotal(len(users))
	for p := 0; p < len(users); p += n {
		r.Add(users[p:min(p+n, len(users))])
		out = append(out, r)
		r = r.Next()
	}
	return out
}

// A load-all's batches show in the table as each is handed over, before
// the load ends: each one's rows are there (a query shows those that match)
// and the cursor can move onto them. Taking a batch builds no cell on the
// UI goroutine and takes exactly the batch's rows, however many are loaded;
// the id index, sized from the announced total, is never rebuilt.
func TestLoadAllBatchesShowBeforeTheEnd(t *testing.T) {
	all := people(3000)
	m := New(listColumns(), testStyles(termenv.Ascii))
	m.SetSize(80, 10)
	m.SetUsers(all[:50]) // the first page, shown before the load-all
	m = typeQuery(t, m, "a")
	bs := batches(m, all, 500)
	m = settle(t, m, m.SetRows(bs[0]))
	slots := len(m.store.byID.slots)
	loaded := 500
	for _, b := range bs[1:] {
		built, moved, n := m.store.built, m.store.moved, b.Len()
		m.AppendRows(b)
		loaded += n
		if got := m.store.built - built; got != 0 {
			t.Errorf("with %d loaded, taking a batch built %d rows' cells on the UI goroutine; want 0", loaded, got)
		}
		if got := m.store.moved - moved; got != n {
			t.Errorf("with %d loaded, taking a batch of %d took %d rows; want only the batch's", loaded, n, got)
		}
		if m.Total() != loaded {
			t.Fatalf("Total = %d after a batch; want %d, the users handed over so far", m.Total(), loaded)
		}
		want := newTable(all[:loaded], 80, 10)
		want = typeQuery(t, want, "a")
		if got, w := shownIDs(m), shownIDs(want); !slices.Equal(got, w) {
			t.Fatalf("with %d loaded the query shows %d rows; SetUsers of the same users shows %d", loaded, len(got), len(w))
		}
		m.GotoBottom()
		if u, _ := m.Selected(); u.ID != shownIDs(want)[want.Len()-1] {
			t.Fatalf("with %d loaded the cursor cannot reach the batch's last match", loaded)
		}
	}
	if len(m.store.byID.slots) != slots {
		t.Errorf("the id index was rebuilt while batches arrived (%d slots, then %d)", slots, len(m.store.byID.slots))
	}
	if cmd := m.FinishRows(); cmd != nil {
		t.Errorf("FinishRows with no sort returned a command")
	}
}

// A sort wanted while batches arrive waits for the end instead of merging
// every batch into the order (O(all loaded) each): the rows show in load
// order, the table says the sort waits, and FinishRows sorts them.
func TestLoadAllSortWaitsForTheEnd(t *testing.T) {
	all := people(2000)
	m := newTable(all[:50], 80, 10)
	o := SortOrder{Col: 0}
	m.SortBy(o)
	bs := batches(m, all, 400)
	m = settle(t, m, m.SetRows(bs[0]))
	for _, b := range bs[1:] {
		m.AppendRows(b)
		if !m.SortWaits() || m.Sort() != o || m.sort != nil {
			t.Fatalf("while batches arrive: SortWaits %v, Sort %v; want the sort to wait", m.SortWaits(), m.Sort())
		}
	}
	if got := shownIDs(m); !slices.Equal(got, shownIDs(newTable(all, 80, 10))) {
		t.Error("while the sort waits the rows should show in load order")
	}
	m = settle(t, m, m.FinishRows())
	if m.SortWaits() || m.Sort() != o {
		t.Fatalf("after FinishRows: SortWaits %v, Sort %v", m.SortWaits(), m.Sort())
	}
	if got, want := shownIDs(m), syncOrder(m, o); !slices.Equal(got, want) {
		t.Error("after FinishRows the rows are not in the sort's order")
	}
}

// A user a later page brings again (pages shift while they are fetched) is
// updated in place, not added twice, even within one batch.
func TestLoadAllBatchReplacesAUserAlreadyHeld(t *testing.T) {
	all := people(300)
	m := newTable(nil, 80, 10)
	bs := batches(m, all[:200], 200)
	m.SetRows(bs[0])
	again := append(slices.Clone(all[150:300]), all[299])
	again[0].Title = "Moved"
	r := m.NewRows()
	r.Add(again)
	m.AppendRows(r)
	if m.Total() != 300 {
		t.Fatalf("Total = %d; want 300 (no user twice)", m.Total())
	}
	i, _ := m.store.find(all[150].ID)
	if u := m.store.user(i); u.Title != "Moved" {
		t.Errorf("the user brought again kept title %q", u.Title)
	}
	m = typeQuery(t, m, "moved")
	if m.Len() != 1 {
		t.Errorf("the replaced user's search key was not updated: %d matches for its new title", m.Len())
	}
}
