package usertable

import (
	"bytes"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/roster-tui/roster/crm/match"
)

// Sorting is an index over the loaded rows, never a copy of them: the rows
// stay where they were loaded (results and the id index keep pointing at
// them) and the sorter keeps the live rows' indices in sort order plus each
// row's rank in that order. The shown rows of a filter are put in sort order
// once per change (by rank, or by walking the order when the filter keeps
// most rows), so a frame still renders only the visible rows.
//
// Values compare in two steps. First by their folded form — crm/match's
// fold, the one the search uses: case, accents and normal form ignored, ß,
// æ, ø spelt as their base letters — with runs of digits compared as
// numbers ("item 2" before "item 10"). Values that fold alike are then
// ordered by Unicode collation (golang.org/x/text/collate): "emile" before
// "Emile" before "Émile". Values equal even then keep their load order
// (ascending and descending), so the sort is stable. Folding is a fast
// byte loop where a collation key costs ~2µs a value; collation only
// settles the ties, which keeps a 100,000-user re-sort within budget (see
// BenchmarkSort).

// SortOrder is how the table is sorted: Col indexes the columns, -1 is load
// order.
type SortOrder struct {
	Col  int
	Desc bool
}

// Unsorted is load order.
var Unsorted = SortOrder{Col: -1}

type sorter struct {
	by   SortOrder
	coll *collate.Collator
	cols []Column
	rows *rowStore

	keys  [][]byte // per row: the folded value of the sorted column
	pre   []uint64 // per row: the key's first bytes as a number (prefix)
	order []int32  // live rows in sort order
	rank  []int32  // per row: position in order, -1 when removed
	ver   uint64   // bumped whenever order changes

	// the shown rows of one result in sort order, cached
	viewRes *result
	viewLen int
	viewVer uint64
	view    []int32
}

func newSorter(by SortOrder, cols []Column) *sorter {
	return &sorter{by: by, cols: cols, coll: collate.New(language.Und, collate.Numeric)}
}

// sortValue is what row i is sorted by.
func (t *sorter) sortValue(i int32) string {
	if v := t.cols[t.by.Col].SortValue; v != nil {
		u := t.rows.user(i)
		return v(&u)
	}
	return t.rows.cell(i, t.by.Col)
}

// cmpFolded orders two rows by folded value.
func (t *sorter) cmpFolded(a, b int32) int {
	if pa, pb := t.pre[a], t.pre[b]; pa != pb {
		if pa < pb {
			return -1
		}
		return 1
	}
	return compareFolded(t.keys[a], t.keys[b])
}

// cmpValues orders two rows by value alone.
func (t *sorter) cmpValues(a, b int32) int {
	if c := t.cmpFolded(a, b); c != 0 {
		return c
	}
	va, vb := t.sortValue(a), t.sortValue(b)
	if va == vb { // the common tie: the same text (two "Ada Lovelace"s)
		return 0
	}
	return t.coll.CompareString(va, vb)
}

func (t *sorter) cmp(a, b int32) int {
	c := t.cmpValues(a, b)
	if t.by.Desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	return int(a - b) // equal values keep load order: stable
}

// compareFolded compares folded text bytewise (code point order), runs of
// ASCII digits by their numeric value.
func compareFolded(a, b []byte) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			da, db := bytes.TrimLeft(a[si:i], "0"), bytes.TrimLeft(b[sj:j], "0")
			if len(da) != len(db) {
				return cmpInt(len(da), len(db))
			}
			if c := bytes.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			return cmpInt(int(ca), int(cb))
		}
		i++
		j++
	}
	return cmpInt(len(a)-i, len(b)-j)
}

// prefix is k's first 8 bytes as a big-endian number, so most comparisons
// end on one integer compare without touching the keys. From the first
// digit on it holds '0's: a digit then compares like any digit against a
// non-digit, and two prefixes that reach digits at the same place are equal
// and leave the numbers to compareFolded.
func prefix(k []byte) uint64 {
	var p uint64
	digit := false
	for i := range 8 {
		var c byte
		if i < len(k) {
			c = k[i]
			digit = digit || isDigit(c)
		}
		if digit {
			c = '0'
		}
		p = p<<8 | uint64(c)
	}
	return p
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rebuild folds every row's value into one arena and sorts the live rows.
func (t *sorter) rebuild(s *rowStore) {
	t.rows = s
	n := s.rows()
	t.keys = make([][]byte, n)
	t.pre = make([]uint64, n)
	t.order = make([]int32, 0, s.live)
	arena := make([]byte, 0, 64*1024)
	for i := range int32(n) {
		if s.dead[i] {
			continue
		}
		if cap(arena)-len(arena) < 1024 {
			arena = make([]byte, 0, 64*1024)
		}
		start := len(arena)
		arena = match.AppendFold(arena, t.sortValue(i))
		t.setKey(i, arena[start:len(arena):len(arena)])
		t.order = append(t.order, i)
	}
	// by folded value and load order first, over (prefix, row) pairs held
	// side by side: most comparisons end on the prefix without a jump to
	// another part of memory, and the raw values are not touched in the
	// n log n part, which matters when many values are alike
	type entry struct {
		pre uint64
		row int32
	}
	es := make([]entry, len(t.order))
	for k, i := range t.order {
		es[k] = entry{t.pre[i], i}
	}
	desc := t.by.Desc
	slices.SortFunc(es, func(a, b entry) int {
		var c int
		switch {
		case a.pre < b.pre:
			c = -1
		case a.pre > b.pre:
			c = 1
		default:
			c = compareFolded(t.keys[a.row], t.keys[b.row])
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return int(a.row - b.row)
	})
	for k, e := range es {
		t.order[k] = e.row
	}
	// then collation inside each run of values that fold alike
	o := t.order
	for lo := 0; lo < len(o); {
		hi := lo + 1
		differ := false
		for hi < len(o) && t.cmpFolded(o[lo], o[hi]) == 0 {
			differ = differ || t.sortValue(o[lo]) != t.sortValue(o[hi])
			hi++
		}
		if differ {
			slices.SortFunc(o[lo:hi], t.cmp)
		}
		lo = hi
	}
	t.reindex()
}

// reverse turns the order around for the other direction in linear time:
// the whole order reversed, then each run of equal values reversed back so
// that equal values keep their load order.
func (t *sorter) reverse(desc bool) {
	t.by.Desc = desc
	o := t.order
	slices.Reverse(o)
	for lo := 0; lo < len(o); {
		hi := lo + 1
		for hi < len(o) && t.cmpValues(o[lo], o[hi]) == 0 {
			hi++
		}
		slices.Reverse(o[lo:hi])
		lo = hi
	}
	t.reindex()
}

func (t *sorter) reindex() {
	t.rank = slices.Grow(t.rank[:0], len(t.keys))[:len(t.keys)]
	for i := range t.rank {
		t.rank[i] = -1
	}
	for p, i := range t.order {
		t.rank[i] = int32(p)
	}
	t.ver++
}

func (t *sorter) setKey(i int32, k []byte) {
	t.keys[i] = k
	t.pre[i] = prefix(k)
}

// key folds row i's value (nil for a removed row).
func (t *sorter) key(i int32) []byte {
	if t.rows.dead[i] {
		return nil
	}
	return match.AppendFold(nil, t.sortValue(i))
}

// added puts new rows into the order: they are sorted among themselves and
// merged in, linear in the rows held.
func (t *sorter) added(rows []int32) {
	if len(rows) == 0 {
		return
	}
	for len(t.keys) < t.rows.rows() {
		t.keys = append(t.keys, nil)
		t.pre = append(t.pre, 0)
	}
	fresh := slices.Clone(rows)
	for _, i := range fresh {
		t.setKey(i, t.key(i))
	}
	slices.SortFunc(fresh, t.cmp)
	merged := make([]int32, 0, len(t.order)+len(fresh))
	a, b := 0, 0
	for a < len(t.order) && b < len(fresh) {
		if t.cmp(t.order[a], fresh[b]) <= 0 {
			merged = append(merged, t.order[a])
			a++
		} else {
			merged = append(merged, fresh[b])
			b++
		}
	}
	merged = append(append(merged, t.order[a:]...), fresh[b:]...)
	t.order = merged
	t.reindex()
}

// changed moves row i to where its new value sorts.
func (t *sorter) changed(i int32) {
	t.drop(i)
	t.setKey(i, t.key(i))
	pos, _ := slices.BinarySearchFunc(t.order, i, t.cmp)
	t.order = slices.Insert(t.order, pos, i)
	t.reindex()
}

// removed takes row i out of the order.
func (t *sorter) removed(i int32) {
	t.drop(i)
	t.setKey(i, nil)
	t.reindex()
}

func (t *sorter) drop(i int32) {
	if p := t.rank[i]; p >= 0 {
		t.order = slices.Delete(t.order, int(p), int(p)+1)
	}
}

// viewOf is r's rows in sort order, worked out once per change.
func (t *sorter) viewOf(r *result, all bool) []int32 {
	if all {
		return t.order
	}
	if t.viewRes == r && t.viewLen == len(r.idx) && t.viewVer == t.ver {
		return t.view
	}
	var v []int32
	if len(r.idx) > len(t.order)/8 {
		// most rows are kept: walking the order is linear, no sort
		in := make([]bool, len(t.rank))
		for _, i := range r.idx {
			in[i] = true
		}
		v = make([]int32, 0, len(r.idx))
		for _, i := range t.order {
			if in[i] {
				v = append(v, i)
			}
		}
	} else {
		v = slices.Clone(r.idx)
		slices.SortFunc(v, func(a, b int32) int { return int(t.rank[a] - t.rank[b]) })
	}
	t.viewRes, t.viewLen, t.viewVer, t.view = r, len(r.idx), t.ver, v
	return v
}

// position is where row i is among shown (in sort order).
func (t *sorter) position(shown []int32, i int32) (int, bool) {
	if i < 0 || int(i) >= len(t.rank) || t.rank[i] < 0 {
		return 0, false
	}
	return slices.BinarySearchFunc(shown, t.rank[i], func(e, target int32) int {
		return int(t.rank[e] - target)
	})
}

// SortBy sorts the rows by column order.Col (Unsorted: load order) and puts
// the cursor on the first row: after a sort the admin wants the top of the
// new order (rows added or edited later keep the cursor on its user).
func (m *Model) SortBy(order SortOrder) {
	if order.Col < 0 || order.Col >= len(m.cols) {
		order = Unsorted
	}
	switch {
	case order.Col < 0:
		m.sort = nil
	case m.sort != nil && m.sort.by.Col == order.Col:
		if m.sort.by.Desc != order.Desc {
			m.sort.reverse(order.Desc)
		}
	default:
		m.sort = newSorter(order, m.cols)
		m.sort.rebuild(m.store)
	}
	m.resetCursor()
	m.clamp()
}

// Sort is the table's sort order.
func (m Model) Sort() SortOrder {
	if m.sort == nil {
		return Unsorted
	}
	return m.sort.by
}

// Columns are the column titles, in order.
func (m Model) Columns() []string {
	out := make([]string, len(m.cols))
	for i, c := range m.cols {
		out[i] = c.Title
	}
	return out
}

// NextSort is the order after o in the cycle the s key walks: each column
// ascending in turn, then load order again.
func NextSort(o SortOrder, ncols int) SortOrder {
	if o.Col+1 >= ncols {
		return Unsorted
	}
	return SortOrder{Col: o.Col + 1}
}

// The row edits tell the sorter (no-ops when unsorted).
func (m *Model) sortAdded(rows []int32) {
	if m.sort != nil {
		m.sort.added(rows)
	}
}

func (m *Model) sortChanged(i int32) {
	if m.sort != nil {
		m.sort.changed(i)
	}
}

func (m *Model) sortRemoved(i int32) {
	if m.sort != nil {
		m.sort.removed(i)
	}
}

func (m *Model) sortReset() {
	if m.sort != nil {
		m.sort.rebuild(m.store)
	}
}
