package usertable

import (
	"slices"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// result is the rows (indices in load order) matching one query. The stack
// of results is a chain of refining queries ending at the one shown: typing
// one more letter refines the top, deleting one pops back to a result that
// is already known.
type result struct {
	q   query
	idx []int32
}

// asyncMin is the candidate count above which matching leaves the UI
// goroutine; below it a match takes well under a millisecond.
const asyncMin = 50_000

// maxStack bounds the cached results; the shortest non-empty ones go first.
const maxStack = 32

// matchedMsg carries a background match back to Update.
type matchedMsg struct {
	owner *owner
	seq   uint64
	gen   uint64 // the table's edit generation the match was run against
	rows  int    // rows held when it started; later appends are checked on arrival
	res   *result
}

// SetQuery narrows the rows to those matching q (every word of q, case- and
// accent-insensitively, in any column). Small sets are matched at once and
// nil is returned; a large one returns a Cmd that matches in the background
// and delivers a message for Update. A result for an older query is dropped.
func (m *Model) SetQuery(q string) tea.Cmd {
	m.query = q
	m.qp = parseQuery(q)
	m.seq++
	m.cancelPending()
	for len(m.stack) > 1 && !m.qp.refines(m.stack[len(m.stack)-1].q.canon) {
		m.stack = m.stack[:len(m.stack)-1]
	}
	base := m.stack[len(m.stack)-1]
	if base.q.canon == m.qp.canon {
		m.resetCursor()
		return nil
	}
	if len(base.idx) < asyncMin {
		m.push(&result{q: m.qp, idx: m.run(base, m.qp, nil)})
		m.resetCursor()
		return nil
	}
	stop := &atomic.Bool{}
	m.pending = stop
	msg := matchedMsg{owner: m.owner, seq: m.seq, gen: m.gen, rows: m.store.rows()}
	ks, cand, all, qp := m.store.keys, base.idx, len(m.stack) == 1, m.qp
	return func() tea.Msg {
		var idx []int32
		if all {
			idx = matchAll(ks, qp.terms, stop)
		} else {
			idx = matchSubset(ks, cand, qp.terms, stop)
		}
		if stop.Load() {
			return nil // superseded: nobody is waiting for it
		}
		msg.res = &result{q: qp, idx: idx}
		return msg
	}
}

// run matches q against base's rows on the calling goroutine.
func (m *Model) run(base *result, q query, stop *atomic.Bool) []int32 {
	if base == m.stack[0] {
		return matchAll(m.store.keys, q.terms, stop)
	}
	return matchSubset(m.store.keys, base.idx, q.terms, stop)
}

func (m *Model) cancelPending() {
	if m.pending != nil {
		m.pending.Store(true)
		m.pending = nil
	}
}

func (m *Model) push(r *result) {
	if len(m.stack) >= maxStack {
		m.stack = slices.Delete(m.stack, 1, 2)
	}
	m.stack = append(m.stack, r)
}

func (m *Model) resetCursor() { m.cursor, m.top = 0, 0 }

// takeMatch installs a background result if it is still the latest.
func (m Model) takeMatch(msg matchedMsg) (Model, tea.Cmd) {
	if msg.owner != m.owner || msg.seq != m.seq {
		return m, nil // stale: a newer query has been set since
	}
	m.pending = nil
	if msg.gen != m.gen {
		// rows were edited or replaced while it ran: match again
		return m, m.SetQuery(m.query)
	}
	r := msg.res
	for i := msg.rows; i < m.store.rows(); i++ {
		if !m.store.dead[i] && matchKey(m.store.keys.key(int32(i)), r.q.terms) {
			r.idx = append(r.idx, int32(i))
		}
	}
	m.push(r)
	m.resetCursor()
	return m, nil
}

// selectedID is the id under the cursor, "" when none.
func (m Model) selectedID() string {
	u, ok := m.Selected()
	if !ok {
		return ""
	}
	return u.ID
}

// keepOn moves the cursor to the row holding id when it is shown.
func (m *Model) keepOn(id string) bool {
	i, ok := m.store.find(id)
	if !ok {
		return false
	}
	var pos int
	var found bool
	if m.sort != nil {
		pos, found = m.sort.position(m.shown(), i)
	} else {
		pos, found = slices.BinarySearch(m.shown(), i)
	}
	if found {
		m.cursor = pos
	}
	return found
}

// SetUsers replaces every row, keeping the cursor on the same user when
// that user is still there.
func (m *Model) SetUsers(users []crm.User) {
	id := m.selectedID()
	marked := m.markedAll()
	m.cancelPending()
	m.gen++
	m.store = newRowStore(len(m.cols))
	added, _ := m.store.add(m.cols, users)
	m.remark(marked)
	m.stack = []*result{{idx: added}}
	m.sortReset(false)
	if m.qp.canon != "" {
		m.push(&result{q: m.qp, idx: m.run(m.stack[0], m.qp, nil)})
	}
	m.keepOn(id) // else the cursor stays on its line, clamped
	m.clamp()
}

// Append adds a page of users after those held. A user already held is
// updated in place instead.
func (m *Model) Append(users []crm.User) {
	id := m.selectedID()
	added, replaced := m.store.add(m.cols, users)
	m.appended(id, added, replaced)
}

// appended brings the marks, the sort and every cached result up to date
// with rows just added or replaced, O(their number) — and O(rows held) for
// a sort, which a load of batches defers (FinishRows) — and keeps the
// cursor on the user with id.
func (m *Model) appended(id string, added, replaced []int32) {
	m.adopt(added)
	m.sortAdded(added)
	for _, r := range m.stack {
		if r.q.canon == "" {
			r.idx = append(r.idx, added...)
			continue
		}
		for _, i := range added {
			if matchKey(m.store.keys.key(i), r.q.terms) {
				r.idx = append(r.idx, i)
			}
		}
	}
	for _, i := range replaced {
		m.gen++
		m.refresh(i)
		m.sortChanged(i)
	}
	m.keepOn(id)
	m.clamp()
}

// Upsert replaces the row of a user with the same id (an edit); a user not
// held yet is appended.
func (m *Model) Upsert(u crm.User) {
	i, ok := m.store.find(u.ID)
	if !ok {
		m.Append([]crm.User{u})
		return
	}
	id := m.selectedID()
	m.gen++
	m.store.replace(m.cols, i, &u)
	m.refresh(i)
	m.sortChanged(i)
	m.keepOn(id)
	m.clamp()
}

// refresh fixes row i's membership in every cached result after its key
// changed. Result slices may be shared with a background match, so they are
// copied, never edited in place.
func (m *Model) refresh(i int32) {
	key := m.store.keys.key(i)
	for _, r := range m.stack[1:] {
		pos, has := slices.BinarySearch(r.idx, i)
		want := matchKey(key, r.q.terms)
		switch {
		case want && !has:
			r.idx = slices.Insert(slices.Clip(r.idx), pos, i)
		case has && !want:
			r.idx = slices.Delete(slices.Clone(r.idx), pos, pos+1)
		}
	}
}

// Remove drops the user with this id. The cursor stays on the same user, or
// on the same line when it was the removed one.
func (m *Model) Remove(id string) {
	i, ok := m.store.find(id)
	if !ok {
		return
	}
	sel := m.selectedID()
	m.gen++
	m.marks.set(i, false)
	m.store.remove(i)
	m.sortRemoved(i)
	for _, r := range m.stack {
		if pos, has := slices.BinarySearch(r.idx, i); has {
			r.idx = slices.Delete(slices.Clone(r.idx), pos, pos+1)
		}
	}
	if sel != id {
		m.keepOn(sel)
	}
	m.clamp()
}
