package usertable

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"
)

// asyncSortMin is the row count from which a sort (or a reverse) leaves
// the UI goroutine: below it a sort takes a few milliseconds, above it up
// to ~200 at a million rows (BenchmarkSort), which would stop the keys
// meanwhile.
const asyncSortMin = 50_000

// sortJob is a sort running in the background.
type sortJob struct {
	seq   uint64
	order SortOrder
	// keep: the cursor stays on its user when the order arrives (rows were
	// replaced); otherwise it goes to the top, as SortBy promises.
	keep bool
}

// sortedMsg carries a sorter built in the background back to Update.
type sortedMsg struct {
	owner *owner
	seq   uint64
	store *rowStore // the rows it sorted (a replaced store makes it stale)
	gen   uint64    // the table's edit generation when it started
	rows  int       // rows held when it started; later appends are merged in
	t     *sorter
	rev   *reversal // a reverse of the table's sorter instead of t
}

// reversal is a sorter's order turned around in the background (reverse:
// linear, by the ties its sort marked).
type reversal struct {
	base  *sorter // the sorter reversed
	ver   uint64  // its version then: any change since makes this stale
	order []int32
	rank  []int32
	tied  []uint64
}

// startReverse turns the sort around in the background. The sorter's order
// and ties are never written in place (edits replace them), so the
// goroutine reads them without a copy.
func (m *Model) startReverse(order SortOrder) tea.Cmd {
	m.sortSeq++
	m.sorting = &sortJob{seq: m.sortSeq, order: order}
	t := m.sort
	msg := sortedMsg{owner: m.owner, seq: m.sortSeq, store: m.store, gen: m.gen, rows: m.store.rows()}
	rev := &reversal{base: t, ver: t.ver}
	o, tied, n := t.order, t.tied, len(t.rank)
	return func() tea.Msg {
		rev.order, rev.tied = reversed(o, tied)
		rev.rank = rankOf(rev.order, n, nil)
		msg.rev = rev
		return msg
	}
}

// startSort sorts the rows by order in the background. The goroutine reads
// a snapshot: the immutable key chunks and copies of what Update changes in
// place (the row index and the tombstones), so it needs no locks.
func (m *Model) startSort(order SortOrder, keep bool) tea.Cmd {
	m.sortSeq++
	m.sorting = &sortJob{seq: m.sortSeq, order: order, keep: keep}
	msg := sortedMsg{owner: m.owner, seq: m.sortSeq, store: m.store, gen: m.gen, rows: m.store.rows()}
	snap := m.store.snapshot()
	cols := m.cols
	return func() tea.Msg {
		t := newSorter(order, cols)
		t.rebuild(snap)
		msg.t = t
		return msg
	}
}

func (m *Model) cancelSort() { m.sorting = nil }

// Sorting reports whether a sort is being worked out in the background.
func (m Model) Sorting() bool { return m.sorting != nil }

// takeSort installs a background sort if it is still the one wanted and
// its rows are still these; rows added meanwhile are merged into it, and an
// edit meanwhile sorts again.
func (m Model) takeSort(msg sortedMsg) (Model, tea.Cmd) {
	job := m.sorting
	if msg.owner != m.owner || job == nil || msg.seq != job.seq {
		return m, nil // stale: another sort, or none, is wanted now
	}
	if msg.store != m.store || msg.gen != m.gen {
		return m, m.startSort(job.order, job.keep)
	}
	id := m.selectedID()
	if rev := msg.rev; rev != nil {
		t := m.sort
		if t != rev.base || t.ver != rev.ver { // rows added or edited since
			return m, m.startSort(job.order, job.keep)
		}
		m.sorting = nil
		t.by, t.order, t.rank, t.tied = job.order, rev.order, rev.rank, rev.tied
		t.ver++
		m.placeCursor(job.keep, id)
		return m, nil
	}
	m.sorting = nil
	t := msg.t
	t.rows = m.store
	if msg.rows < m.store.rows() {
		var added []int32
		for i := int32(msg.rows); int(i) < m.store.rows(); i++ {
			if !m.store.dead[i] {
				added = append(added, i)
			}
		}
		t.added(added)
	}
	m.sort = t
	m.placeCursor(job.keep, id)
	return m, nil
}

// placeCursor puts the cursor, once a new order is installed, back on the
// user it was on (keep: the rows were replaced) or at the top, as SortBy
// promises.
func (m *Model) placeCursor(keep bool, id string) {
	if keep {
		m.keepOn(id)
	} else {
		m.resetCursor()
	}
	m.clamp()
}

// snapshot is a copy of the store for a reader on another goroutine: the
// parts Update writes in place (record index, tombstones) are copied; key
// chunks and record blocks are never written again once published, and the
// dictionary only grows.
func (s *rowStore) snapshot() *rowStore {
	c := *s
	c.recs.refs = slices.Clone(s.recs.refs)
	c.recs.dictOf = nil // written by adds; a reader only decodes
	c.recs.buf, c.recs.entries, c.cellBuf, c.keyBuf = nil, nil, nil, nil
	c.dead = slices.Clone(s.dead)
	c.byID = idIndex{}
	return &c
}
