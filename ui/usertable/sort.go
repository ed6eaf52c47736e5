package usertable

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"slices"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

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

// sortParallel sorts es with cmp (a total order) on every CPU: each part
// sorted on its own goroutine, then the parts merged. It returns the sorted
// entries (possibly a new slice).
func sortParallel(es []sortEntry, cmp func(a, b sortEntry) int) []sortEntry {
	parts := splitEven(len(es), len(es)/parallelMin)
	if len(parts) == 1 {
		slices.SortFunc(es, cmp)
		return es
	}
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slices.SortFunc(es[p[0]:p[1]], cmp)
		}()
	}
	wg.Wait()
	for len(parts) > 1 { // merge neighbours until one part is left
		out := make([]sortEntry, len(es))
		var next [][2]int
		for k := 0; k < len(parts); k += 2 {
			if k+1 == len(parts) {
				copy(out[parts[k][0]:], es[parts[k][0]:parts[k][1]])
				next = append(next, parts[k])
				continue
			}
			a, b := es[parts[k][0]:parts[k][1]], es[parts[k+1][0]:parts[k+1][1]]
			dst := out[parts[k][0]:parts[k][0]]
			for len(a) > 0 && len(b) > 0 {
				if cmp(a[0], b[0]) <= 0 {
					dst, a = append(dst, a[0]), a[1:]
				} else {
					dst, b = append(dst, b[0]), b[1:]
				}
			}
			rest := out[parts[k][0]+len(dst) : parts[k+1][1]] // what is left of either part
			copy(rest[copy(rest, a):], b)
			next = append(next, [2]int{parts[k][0], parts[k+1][1]})
		}
		es, parts = out, next
	}
	return es
}

// sortEntry is a row with its folded key's first 16 bytes as numbers
// (prefix16); exact says those bytes are the whole key and hold no digit.
type sortEntry struct {
	pre, pre2 uint64
	row       int32
	exact     bool
}

func newSortEntry(k []byte, row int32) sortEntry {
	pre, pre2 := prefix16(k)
	return sortEntry{pre: pre, pre2: pre2, row: row, exact: len(k) <= 16 && bytes.IndexFunc(k, func(r rune) bool { return r < 128 && isDigit(byte(r)) }) < 0}
}

// cmpEntries orders two entries by folded value.
func (t *sorter) cmpEntries(a, b sortEntry) int {
	switch {
	case a.pre != b.pre:
		return cmpUint(a.pre, b.pre)
	case a.pre2 != b.pre2:
		return cmpUint(a.pre2, b.pre2)
	case a.exact && b.exact:
		return 0
	}
	return compareFolded(t.keys[a.row], t.keys[b.row])
}

func cmpUint(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// prefix16 is prefix over k's first 16 bytes, as two numbers.
func prefix16(k []byte) (uint64, uint64) {
	pre := prefix(k)
	if bytes.ContainsFunc(k[:min(len(k), 8)], func(r rune) bool { return r < 128 && isDigit(byte(r)) }) {
		return pre, 0x3030303030303030 // '0's from the first digit on, whatever the length
	}
	if len(k) <= 8 {
		return pre, 0
	}
	return pre, prefix(k[8:])
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
// ASCII digits by their numeric value. Most pairs a sort compares share a
// long start (two "ada lovelace"s, or "ada l…" and "ada m…"): that part is
// skipped at memory speed, and the digit-aware walk starts only at the
// digit run, if any, where they first differ.
func compareFolded(a, b []byte) int {
	p := commonPrefix(a, b)
	for p > 0 && isDigit(a[p-1]) { // the differing place is inside a number
		p--
	}
	atDigit := (p < len(a) && isDigit(a[p])) || (p < len(b) && isDigit(b[p]))
	if !atDigit {
		switch {
		case p < len(a) && p < len(b):
			return cmpInt(int(a[p]), int(b[p]))
		default:
			return cmpInt(len(a), len(b))
		}
	}
	return compareDigits(a[p:], b[p:])
}

// commonPrefix is how many bytes a and b share from the start.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	p := 0
	for p+8 <= n && binary.LittleEndian.Uint64(a[p:]) == binary.LittleEndian.Uint64(b[p:]) {
		p += 8
	}
	for p < n && a[p] == b[p] {
		p++
	}
	return p
}

// compareDigits is compareFolded's walk, numbers by value.
func compareDigits(a, b []byte) int {
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
	plain := t.cols[t.by.Col].SortValue == nil
	// raw is a hash of each row's value as shown, so that the collation
	// pass below finds the runs of values that fold alike but differ
	// without reading every row's record again in sorted (random) order
	raw := make([]uint64, n)
	seed := maphash.MakeSeed()
	for i := range int32(n) {
		if s.dead[i] {
			continue
		}
		if plain {
			// the cell folded is already in the row's search key: no
			// folding, no copy (key arenas are never written again)
			t.setKey(i, keyCell(s.keys.key(i), t.by.Col))
			raw[i] = s.cellHash(seed, i, t.by.Col)
		} else {
			if cap(arena)-len(arena) < 1024 {
				arena = make([]byte, 0, 64*1024)
			}
			start := len(arena)
			v := t.sortValue(i)
			arena = match.AppendFold(arena, v)
			t.setKey(i, arena[start:len(arena):len(arena)])
			raw[i] = maphash.String(seed, v)
		}
		t.order = append(t.order, i)
	}
	// by folded value and load order first, over entries holding each
	// key's first 16 bytes as two numbers: most comparisons end on them
	// without a jump to another part of memory, and two short keys without
	// digits (most names, titles, statuses) that are equal there are equal
	// (exact), so the many alike values cost no key reads either
	es := make([]sortEntry, len(t.order))
	for k, i := range t.order {
		es[k] = newSortEntry(t.keys[i], i)
	}
	desc := t.by.Desc
	es = sortParallel(es, func(a, b sortEntry) int {
		c := t.cmpEntries(a, b)
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
		for hi < len(o) && t.cmpEntries(es[lo], es[hi]) == 0 {
			differ = differ || raw[o[lo]] != raw[o[hi]] // unequal hashes: unequal values
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
// new order (rows added or edited later keep the cursor on its user). A
// large set is sorted in the background (the returned Cmd; Sorting says so
// meanwhile, and the rows keep their old order until it is done).
func (m *Model) SortBy(order SortOrder) tea.Cmd {
	if order.Col < 0 || order.Col >= len(m.cols) {
		order = Unsorted
	}
	m.cancelSort()
	if m.sortLater != nil { // a load of batches runs: sorted when it ends
		m.sortLater = &order
		return nil
	}
	switch {
	case order.Col < 0:
		m.sort = nil
	case m.sort != nil && m.sort.by == order:
	case m.store.live >= asyncSortMin:
		return m.startSort(order, false)
	case m.sort != nil && m.sort.by.Col == order.Col:
		m.sort.reverse(order.Desc)
	default:
		m.sort = newSorter(order, m.cols)
		m.sort.rebuild(m.store)
	}
	m.resetCursor()
	m.clamp()
	return nil
}

// Sort is the table's sort order: the one being worked out while Sorting.
func (m Model) Sort() SortOrder {
	if m.sortLater != nil {
		return *m.sortLater
	}
	if m.sorting != nil {
		return m.sorting.order
	}
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

// sortReset sorts rows that replaced every row. With async, a large set is
// sorted in the background (the returned Cmd): its rows show in load order
// until then.
func (m *Model) sortReset(async bool) tea.Cmd {
	order := m.Sort()
	m.cancelSort()
	m.sortLater = nil
	if order.Col < 0 {
		return nil
	}
	if async && m.store.live >= asyncSortMin {
		m.sort = nil // the old order indexes the old rows
		return m.startSort(order, true)
	}
	m.sort = newSorter(order, m.cols)
	m.sort.rebuild(m.store)
	return nil
}

// keyCell is cell c of a row's search key (each cell folded, then keySep).
func keyCell(key []byte, c int) []byte {
	for ; c > 0; c-- {
		k := bytes.IndexByte(key, keySep)
		if k < 0 {
			return nil
		}
		key = key[k+1:]
	}
	if k := bytes.IndexByte(key, keySep); k >= 0 {
		return key[:k:k]
	}
	return key
}
