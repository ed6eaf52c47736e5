package usertable

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// Rows is one batch of rows built away from the UI goroutine while a
// load-all runs: each page's cells are sanitised, measured and folded into
// search keys here (the costly part of a row), and the batch is handed to
// the table as soon as it is ready — the first with SetRows, the next ones
// with AppendRows, then FinishRows — so the loaded users show while the load
// goes on and taking a batch costs the UI goroutine O(batch), never O(all
// loaded). A Rows belongs to the goroutine filling it until it is handed
// over; it is not safe for concurrent use.
type Rows struct {
	cols   []Column
	users  []crm.User // common fields only: the provider's JSON is dropped
	cells  []string   // len(cols) per user
	keys   []byte     // the users' search keys back to back
	ends   []int      // where each user's key ends in keys
	widest []int      // per column that fits its content (columns.go)
	total  int        // users the provider says it has, when it says (sizes the id index)
	built  int        // rows whose cells were built here
	fold   folder     // shared by the batches of one load, like spare
	// spare takes batches back once the table has copied them, so that a
	// load of a million users reuses a few batches' buffers instead of
	// leaving each one to the garbage collector. Shared by the batches of
	// one load; the channel hands a batch from one goroutine to the other.
	spare chan *Rows
}

// NewRows returns an empty batch with the table's columns. The columns'
// Value funcs are called from the goroutine that fills it, so they must not
// touch shared mutable state (they are pure formatters).
func (m Model) NewRows() *Rows {
	return &Rows{cols: m.cols, spare: make(chan *Rows, 2), fold: newFolder()}
}

// Next returns an empty batch with the same columns, for the goroutine to
// fill once it has handed this one over: one the table is done with when
// there is one, else a new one.
func (r *Rows) Next() *Rows {
	select {
	case n := <-r.spare:
		clear(n.users) // drop the last users' strings
		clear(n.cells)
		n.users, n.cells, n.keys, n.ends = n.users[:0], n.cells[:0], n.keys[:0], n.ends[:0]
		n.total = r.total
		return n
	default:
		return &Rows{cols: r.cols, total: r.total, spare: r.spare, fold: r.fold}
	}
}

// recycle gives the batch back for Next once the table has copied it: the
// table keeps nothing of a batch's memory (records, keys and dictionary
// strings are copies).
func (r *Rows) recycle() {
	select {
	case r.spare <- r:
	default:
	}
}

// Add builds the rows of one page: O(len(users)).
func (r *Rows) Add(users []crm.User) {
	nc := len(r.cols)
	r.users = slices.Grow(r.users, len(users))
	r.cells = slices.Grow(r.cells, len(users)*nc)
	r.ends = slices.Grow(r.ends, len(users))
	for k := range users {
		u := users[k]
		u.Raw = nil // the list keeps no provider JSON (record.go)
		n := len(r.cells)
		r.cells = append(r.cells, make([]string, nc)...)
		cells := r.cells[n : n+nc]
		r.keys = r.fold.prepare(r.cols, &users[k], cells, r.keys)
		r.ends = append(r.ends, len(r.keys))
		r.measure(cells)
		r.users = append(r.users, u)
		r.built++
	}
}

func (r *Rows) measure(cells []string) {
	s := rowStore{widest: r.widest}
	s.measure(r.cols, cells)
	r.widest = s.widest
}

// SetTotal tells the table how many users the whole load will bring (0 or
// less: unknown), so it can size its id index once instead of growing it —
// a growth rehashes every loaded row in one frame.
func (r *Rows) SetTotal(n int) { r.total = n }

// Len is the number of users in the batch.
func (r *Rows) Len() int { return len(r.users) }

// SetRows replaces every row with the batch's, keeping the cursor on the
// same user when that user is still there; more batches may follow
// (AppendRows) until FinishRows. Its cost is the batch's rows (encoding the
// records, indexing the ids) and the marks kept; no cell is built here. A
// query is matched again (the batch is small, or in the background), and a
// sort waits for FinishRows: sorting again per batch would cost O(all
// loaded) each time.
func (m *Model) SetRows(r *Rows) tea.Cmd {
	id := m.selectedID()
	marked := m.markedAll()
	order := m.Sort()
	m.cancelPending()
	m.cancelSort()
	m.gen++
	m.store = newRowStore(len(m.cols))
	m.store.reserve(r.total)
	added, _ := m.store.addRows(r)
	if want := min(r.total, 1<<24); want > len(added) {
		// the next batches append here without regrowing
		added = append(make([]int32, 0, want), added...)
	}
	r.recycle()
	m.remark(marked)
	m.stack = []*result{{idx: added}}
	m.sort = nil
	m.sortLater = &order
	var cmd tea.Cmd
	if m.qp.canon != "" {
		cmd = m.SetQuery(m.query)
	}
	m.keepOn(id) // else the cursor stays on its line, clamped
	m.clamp()
	return cmd
}

// AppendRows adds a batch after the rows held: O(batch) — the records are
// encoded, the ids indexed, the new rows matched against the query; no
// cell is built and nothing already held is visited. A user already held
// (pages can shift while they are fetched) is updated in place.
func (m *Model) AppendRows(r *Rows) {
	id := m.selectedID()
	added, replaced := m.store.addRows(r)
	r.recycle()
	m.appended(id, added, replaced)
}

// FinishRows ends a load of batches: the sort the admin wants, which waited
// for the rows, is worked out (in the background for a large set: the
// returned Cmd). Call it when the load ends, finished or not.
func (m *Model) FinishRows() tea.Cmd {
	if m.sortLater == nil {
		return nil
	}
	order := *m.sortLater
	m.sortLater = nil
	if order.Col < 0 {
		return nil
	}
	if m.store.live >= asyncSortMin {
		return m.startSort(order, true)
	}
	id := m.selectedID()
	m.sort = newSorter(order, m.cols)
	m.sort.rebuild(m.store)
	m.keepOn(id)
	m.clamp()
	return nil
}

// SortWaits reports whether the rows are shown in load order because a
// load of batches is still running; the sort (Sort) follows FinishRows.
func (m Model) SortWaits() bool { return m.sortLater != nil && m.sortLater.Col >= 0 }
