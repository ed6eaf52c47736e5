package usertable

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// Column sets: the admin picks and orders the list's columns (the console's
// column chooser), so the table takes a new set of columns while it holds
// users, and a column may size itself to its content.
//
// A column with Max > 0 fits its content: the store keeps, per column, the
// widest cell added so far (measured when the row is built, on whichever
// goroutine builds it), and the layout gives the column that width, between
// Width and Max. Widths only grow while rows arrive, so columns do not jump
// back and forth as pages load or the admin scrolls.

// measure records the widths of one row's cells in the columns that fit
// their content.
func (s *rowStore) measure(cols []Column, cells []string) {
	if s.widest == nil {
		if !fits(cols) {
			return
		}
		s.widest = make([]int, len(cols))
	}
	for c, cell := range cells {
		if cols[c].Max > 0 {
			s.widest[c] = max(s.widest[c], termtext.Width(cell))
		}
	}
}

// fits reports whether any column sizes itself to its content.
func fits(cols []Column) bool {
	for _, c := range cols {
		if c.Max > 0 {
			return true
		}
	}
	return false
}

// widths are the laid-out column widths: those SetSize worked out, or, when
// a column fits its content, worked out again for the widest cells held
// (O(columns), so a frame may do it).
func (m Model) widths() []int {
	if m.store.widest == nil {
		return m.colW
	}
	cols := make([]Column, len(m.cols))
	copy(cols, m.cols)
	for c := range cols {
		if cols[c].Max > 0 {
			cols[c].Width = max(cols[c].Width, min(m.store.widest[c], cols[c].Max))
		}
	}
	return layout(cols, m.width)
}

// SetColumns replaces the columns, keeping the users, the cursor's user,
// the marks and the query; the sort stays on the column of the same title
// when the new set has one, else the rows go back to load order. Every
// loaded row's cells and search key are built again on the calling
// goroutine — O(users × columns), once per choice of columns — from what a
// row keeps: the common fields, not the provider's JSON (record.go), so a
// column that reads the provider's own fields is empty until the caller
// hands the users in again (SetUsers, SetRows). A query is matched again
// (in the background when the set is large: the Cmd).
func (m *Model) SetColumns(cols []Column) tea.Cmd {
	id := m.selectedID()
	marked := m.markedAll()
	order := Unsorted
	if m.sort != nil {
		title := m.cols[m.sort.by.Col].Title
		for c, col := range cols {
			if col.Title == title {
				order = SortOrder{Col: c, Desc: m.sort.by.Desc}
			}
		}
	}
	users := make([]crm.User, 0, m.store.live)
	for _, i := range m.stack[0].idx {
		users = append(users, m.store.user(i))
	}
	m.cancelPending()
	m.gen++
	m.cols = cols
	m.store = newRowStore(len(cols))
	added, _ := m.store.add(cols, users)
	m.remark(marked)
	m.stack = []*result{{idx: added}}
	m.sort = nil
	if order.Col >= 0 {
		m.sort = newSorter(order, cols)
		m.sort.rebuild(m.store)
	}
	var cmd tea.Cmd
	if m.qp.canon != "" {
		cmd = m.SetQuery(m.query)
	}
	m.keepOn(id)
	m.SetSize(m.width, m.height)
	return cmd
}
