package usertable

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// Rows is a set of rows built away from the UI goroutine — page by page
// while a load-all runs — and handed whole to SetRows, so that the end of a
// load costs the UI goroutine no work per loaded user. A Rows belongs to the
// goroutine filling it until it is handed over; it is not safe for
// concurrent use.
type Rows struct {
	cols  []Column
	store *rowStore
	added []int32 // live rows in load order
}

// NewRows returns an empty set of rows with the table's columns. The
// columns' Value funcs are called from the goroutine that fills it, so they
// must not touch shared mutable state (they are pure formatters).
func (m Model) NewRows() *Rows {
	return &Rows{cols: m.cols, store: newRowStore(len(m.cols))}
}

// Add builds the rows of one page: O(len(users)). A user already added
// (pages can shift while they are fetched) is replaced in place.
func (r *Rows) Add(users []crm.User) {
	added, _ := r.store.add(r.cols, users)
	r.added = append(r.added, added...)
}

// Len is the number of users held.
func (r *Rows) Len() int { return r.store.live }

// SetRows replaces every row with rows built by NewRows/Add, keeping the
// cursor on the same user when that user is still there. It builds no row:
// its cost does not grow with the rows held, except for the marks that are
// kept (and a snapshot of the row index when a sort is on). A query is
// matched again and a sort redone, in the background when the set is large
// (the returned Cmd).
func (m *Model) SetRows(r *Rows) tea.Cmd {
	id := m.selectedID()
	marked := m.markedAll()
	m.cancelPending()
	m.gen++
	m.store = r.store
	m.remark(marked)
	m.stack = []*result{{idx: r.added}}
	sort := m.sortReset(true)
	var cmd tea.Cmd
	if m.qp.canon != "" {
		cmd = m.SetQuery(m.query)
	}
	m.keepOn(id) // else the cursor stays on its line, clamped
	m.clamp()
	return tea.Batch(cmd, sort)
}
