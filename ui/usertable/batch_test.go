package usertable

import (
	"slices"
	"testing"

	"github.com/muesli/termenv"
)

// A page arriving builds the cells of that page only, however many users
// are loaded; a load-all handed over as Rows builds none on the UI
// goroutine. Counted, not timed.
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

	r := m.NewRows()
	for p := 0; p < len(all); p += 500 {
		r.Add(all[p : p+500])
	}
	built := r.store.built
	m = settle(t, m, m.SetRows(r))
	if m.store.built != built {
		t.Errorf("SetRows built %d rows on the UI goroutine; want 0", m.store.built-built)
	}
	if m.Total() != len(all) {
		t.Errorf("Total = %d; want %d", m.Total(), len(all))
	}
	want := newTable(all, 80, 10)
	want = typeQuery(t, want, "a")
	if got, w := shownIDs(m), shownIDs(want); !slices.Equal(got, w) {
		t.Errorf("after SetRows the query shows %d rows; SetUsers shows %d", len(got), len(w))
	}
}
