package usertable

import (
	"math/bits"
	"slices"

	"github.com/roster-tui/roster/crm"
)

// Marks are an index over the loaded rows: one bit per row (rows never move,
// see rowStore), so marking a million users costs 125 kB and no copies. A
// reload (SetUsers) rebuilds the rows; the marks follow their users by id,
// and a marked user the reload no longer holds (a server search, another
// view) stays marked, kept aside, until it is loaded again or unmarked: a
// mark is never lost without the admin's say.

// markSet is a bitset over row indices with its population count, the row
// the last single mark was set on (where a range starts), and a version
// that bumps on every change (for the hidden-count cache).
type markSet struct {
	bits    []uint64
	n       int
	anchor  int32 // -1: no anchor
	version uint64
	// away are marked users not loaded now, by id.
	away map[string]crm.User
	// hidden caches hiddenCount for one (version, result) pair.
	hiddenFor struct {
		version uint64
		res     *result
		rows    int
		hidden  int
	}
}

func newMarkSet() *markSet { return &markSet{anchor: -1} }

func (s *markSet) has(i int32) bool {
	w := int(i) >> 6
	return w < len(s.bits) && s.bits[w]&(1<<(uint(i)&63)) != 0
}

// set turns row i's mark on or off and says whether it changed.
func (s *markSet) set(i int32, on bool) bool {
	if i < 0 || s.has(i) == on {
		return false
	}
	w := int(i) >> 6
	if w >= len(s.bits) {
		s.bits = slices.Grow(s.bits, w+1-len(s.bits))[:w+1]
	}
	if on {
		s.bits[w] |= 1 << (uint(i) & 63)
		s.n++
	} else {
		s.bits[w] &^= 1 << (uint(i) & 63)
		s.n--
	}
	s.version++
	return true
}

func (s *markSet) clear() {
	s.bits, s.n, s.anchor, s.away = nil, 0, -1, nil
	s.version++
}

// count is every mark, loaded or away.
func (s *markSet) count() int { return s.n + len(s.away) }

// rows returns the marked row indices in load order.
func (s *markSet) rows() []int32 {
	out := make([]int32, 0, s.n)
	for w, word := range s.bits {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, int32(w<<6+b))
			word &^= 1 << uint(b)
		}
	}
	return out
}

// Marked is how many users are marked.
func (m Model) Marked() int { return m.marks.count() }

// IsMarked says whether the user with id is marked.
func (m Model) IsMarked(id string) bool {
	if _, ok := m.marks.away[id]; ok {
		return true
	}
	i, ok := m.store.find(id)
	return ok && m.marks.has(i)
}

// ToggleMark marks or unmarks the user under the cursor and makes it where
// the next range starts. It returns whether the user is marked now.
func (m *Model) ToggleMark() bool {
	rows := m.shown()
	if m.cursor < 0 || m.cursor >= len(rows) {
		return false
	}
	i := rows[m.cursor]
	on := !m.marks.has(i)
	m.marks.set(i, on)
	m.marks.anchor = i
	return on
}

// MarkRange marks every shown row between the last toggled row and the
// cursor, both included (k9s's range mark). Without an anchor on screen it
// marks the row under the cursor. It returns how many rows it newly marked.
func (m *Model) MarkRange() int {
	rows := m.shown()
	if m.cursor < 0 || m.cursor >= len(rows) {
		return 0
	}
	from := m.cursor
	if a := m.marks.anchor; a >= 0 {
		if pos, ok := slices.BinarySearch(rows, a); ok {
			from = pos
		}
	}
	lo, hi := min(from, m.cursor), max(from, m.cursor)
	added := 0
	for _, i := range rows[lo : hi+1] {
		if m.marks.set(i, true) {
			added++
		}
	}
	m.marks.anchor = rows[m.cursor]
	return added
}

// MarkMove marks the row under the cursor, moves the cursor by delta and
// marks the row it lands on: shift+arrows extend a run of marks.
func (m *Model) MarkMove(delta int) {
	rows := m.shown()
	if len(rows) == 0 {
		return
	}
	m.marks.set(rows[m.cursor], true)
	m.cursor += delta
	m.clamp()
	m.marks.set(rows[m.cursor], true)
	m.marks.anchor = rows[m.cursor]
}

// MarkShown marks every row the current filter shows and returns how many
// it newly marked.
func (m *Model) MarkShown() int {
	added := 0
	for _, i := range m.shown() {
		if m.marks.set(i, true) {
			added++
		}
	}
	return added
}

// ClearMarks unmarks everyone.
func (m *Model) ClearMarks() { m.marks.clear() }

// adopt marks rows just added whose users were marked while away.
func (m *Model) adopt(rows []int32) {
	if len(m.marks.away) == 0 {
		return
	}
	for _, i := range rows {
		id := m.store.recs.id(i)
		if _, ok := m.marks.away[id]; ok {
			delete(m.marks.away, id)
			m.marks.set(i, true)
		}
	}
}

// Unmark unmarks the users with these ids (those loaded).
func (m *Model) Unmark(ids ...string) {
	for _, id := range ids {
		if _, ok := m.marks.away[id]; ok {
			delete(m.marks.away, id)
			m.marks.version++
		}
		if i, ok := m.store.find(id); ok {
			m.marks.set(i, false)
		}
	}
}

// Mark marks the users with these ids (those loaded).
func (m *Model) Mark(ids ...string) {
	for _, id := range ids {
		if i, ok := m.store.find(id); ok {
			m.marks.set(i, true)
		}
	}
}

// MarkedUsers returns the marked users in load order, then those marked
// but not loaded now (by id).
func (m Model) MarkedUsers() []crm.User {
	rows := m.marks.rows()
	out := make([]crm.User, 0, len(rows)+len(m.marks.away))
	for _, i := range rows {
		if int(i) < m.store.rows() && !m.store.dead[i] {
			out = append(out, m.store.user(i))
		}
	}
	away := make([]string, 0, len(m.marks.away))
	for id := range m.marks.away {
		away = append(away, id)
	}
	slices.Sort(away)
	for _, id := range away {
		out = append(out, m.marks.away[id])
	}
	return out
}

// ShownUsers returns the users the current filter shows, in load order,
// one by one to fn (an export streams them); fn returning false stops.
func (m Model) ShownUsers(fn func(u *crm.User) bool) {
	for _, i := range m.shown() {
		u := m.store.user(i)
		if !fn(&u) {
			return
		}
	}
}

// MarkedHidden is how many marked users the current filter hides (and
// those not loaded now). It is cached per (marks, filter result), so a
// frame costs nothing when neither changed.
func (m Model) MarkedHidden() int {
	s := m.marks
	if s.n == 0 {
		return len(s.away)
	}
	top := m.stack[len(m.stack)-1]
	if len(m.stack) == 1 {
		return len(s.away) // no filter: every loaded row is shown
	}
	c := &s.hiddenFor
	if c.res == top && c.version == s.version && c.rows == len(top.idx) {
		return c.hidden
	}
	shown := 0
	for _, i := range top.idx {
		if s.has(i) {
			shown++
		}
	}
	c.res, c.version, c.rows, c.hidden = top, s.version, len(top.idx), s.n-shown+len(s.away)
	return c.hidden
}

// markedAll are the marked users, loaded or away, by id: what a reload
// must keep.
func (m Model) markedAll() map[string]crm.User {
	if m.marks.count() == 0 {
		return nil
	}
	all := make(map[string]crm.User, m.marks.count())
	for _, u := range m.MarkedUsers() {
		all[u.ID] = u
	}
	return all
}

// remark marks again, after the rows were rebuilt, the users that were
// marked before; those no longer loaded stay marked, away.
func (m *Model) remark(marked map[string]crm.User) {
	m.marks.clear()
	for id, u := range marked {
		if i, ok := m.store.find(id); ok {
			m.marks.set(i, true)
			continue
		}
		if m.marks.away == nil {
			m.marks.away = map[string]crm.User{}
		}
		m.marks.away[id] = u
	}
}
