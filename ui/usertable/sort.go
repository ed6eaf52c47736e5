package usertable

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"slices"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/roster-tui/roster/crm"
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
// settles the ties. The folded order itself is a radix sort on an encoding
// of each key (sort_radix.go), so a million-user re-sort compares almost
// no keys (see BenchmarkSort).

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

	keys  [][]byte // per row: the folded SortValue (nil for a cell: keyOf)
	pre   []uint64 // per row: natKey's first 8 bytes of the key
	order []int32  // live rows in sort order; replaced, never written in place
	rank  []int32  // per row: position in order, -1 when removed
	ver   uint64   // bumped whenever order changes
	// tied marks, per position k of order, that its value ties with the
	// one before (bit k), so a reverse is linear without comparing; nil
	// once an edit changed the order (replaced, never written in place)
	tied []uint64

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
	return compareFolded(t.keyOf(a), t.keyOf(b))
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
			return cmp.Compare(int(a[p]), int(b[p]))
		default:
			return cmp.Compare(len(a), len(b))
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
				return cmp.Compare(len(da), len(db))
			}
			if c := bytes.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			return cmp.Compare(int(ca), int(cb))
		}
		i++
		j++
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// rebuild sorts the live rows: each row's key (the cell's part of the
// search key, or its SortValue folded into an arena) encoded by natKey,
// the entries radix-sorted on it, and only the groups of equal encodings
// whose values may still differ compared (settle). Keys are read once, in
// row order, on every CPU; no key is read again in sorted (random) order
// unless its group needs it.
func (t *sorter) rebuild(s *rowStore) {
	t.rows = s
	n := s.rows()
	sortValue := t.cols[t.by.Col].SortValue
	plain := sortValue == nil
	t.keys = nil
	if !plain {
		t.keys = make([][]byte, n)
	}
	t.pre = make([]uint64, n)
	col := t.by.Col
	seed := maphash.MakeSeed()
	var flip uint64 // a descending sort sorts the inverted encodings
	if t.by.Desc {
		flip = ^uint64(0)
	}
	// each part of the rows writes its live rows' entries in place
	parts := splitEven(n, n/parallelMin)
	starts := make([]int, len(parts)+1)
	for p, part := range parts {
		live := 0
		for _, d := range s.dead[part[0]:part[1]] {
			if !d {
				live++
			}
		}
		starts[p+1] = starts[p] + live
	}
	es := make([]radixEntry, starts[len(parts)])
	var wg sync.WaitGroup
	for p, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := es[starts[p]:starts[p]]
			var arena []byte
			// one user per goroutine, filled row by row: the SortValue
			// func takes a pointer, which would move each row's to the heap
			u := new(crm.User)
			for i := int32(part[0]); i < int32(part[1]); i++ {
				if s.dead[i] {
					continue
				}
				var k []byte
				var rh uint32
				if plain {
					// the cell folded is already in the row's search key:
					// no folding, no copy (key arenas are never written
					// again); the hash is of the cell as shown, read from
					// the record without building it
					k = keyCell(s.keys.key(i), col)
					h := uint64(0)
					if a, b := s.recs.entry(s.recs.record(i), recFields+col); b == "" {
						h = maphash.String(seed, a)
					} else { // a split entry, hashed as the one string it is
						h = s.cellHash(seed, i, col)
					}
					rh = fold32(h)
				} else {
					if cap(arena)-len(arena) < 1024 {
						arena = make([]byte, 0, 64*1024)
					}
					start := len(arena)
					*u = s.user(i)
					v := sortValue(u)
					arena = match.AppendFold(arena, v)
					k = arena[start:len(arena):len(arena)]
					rh = fold32(maphash.String(seed, v))
					t.keys[i] = k
				}
				hi, lo := natKey(k)
				t.pre[i] = hi
				out = append(out, radixEntry{hi: hi ^ flip, lo: lo ^ flip, row: i, rh: rh})
			}
		}()
	}
	wg.Wait()
	es = radixSort(es, make([]radixEntry, len(es)))
	t.order = make([]int32, len(es))
	t.tied = make([]uint64, (len(es)+63)/64)
	t.groups(es, 0, 0)
	for k, e := range es {
		t.order[k] = e.row
	}
	t.reindex()
}

// groups settles the runs of equal encodings in sorted entries es, which
// start at position base of the order and share their encodings' first
// skip bytes: a run whose value hashes agree is one value (load order
// already); a complete encoding is one folded value whose spellings differ
// (collation); an incomplete one is sorted on its keys' next bytes.
func (t *sorter) groups(es []radixEntry, base, skip int) {
	var complete uint64 // the last byte of a complete encoding
	if t.by.Desc {
		complete = 0xff
	}
	for lo := 0; lo < len(es); {
		hi := lo + 1
		alike := true
		for hi < len(es) && es[hi].hi == es[lo].hi && es[hi].lo == es[lo].lo {
			alike = alike && es[hi].rh == es[lo].rh
			hi++
		}
		switch {
		case alike:
			for k := lo + 1; k < hi; k++ {
				setBit(t.tied, base+k)
			}
		case es[lo].lo&0xff == complete:
			t.collate(es[lo:hi], base+lo)
		default:
			t.deeper(es[lo:hi], base+lo, skip+natLen)
		}
		lo = hi
	}
}

// deeper sorts a run of entries whose encodings share their first skip
// bytes on the bytes after (in load order still: the sorts are stable),
// then settles the runs that are equal there too.
func (t *sorter) deeper(es []radixEntry, base, skip int) {
	if skip > deepMax { // each level encodes the keys from their start
		t.compareSort(es, base)
		return
	}
	var flip uint64
	if t.by.Desc {
		flip = ^uint64(0)
	}
	for k := range es {
		hi, lo, stopped := natKeyAt(t.keyOf(es[k].row), skip)
		if stopped {
			t.compareSort(es, base)
			return
		}
		es[k].hi, es[k].lo = hi^flip, lo^flip
	}
	if len(es) >= 1024 {
		if out := radixSort(es, make([]radixEntry, len(es))); &out[0] != &es[0] {
			copy(es, out)
		}
	} else {
		slices.SortStableFunc(es, func(a, b radixEntry) int {
			if a.hi != b.hi {
				return cmp.Compare(a.hi, b.hi)
			}
			return cmp.Compare(a.lo, b.lo)
		})
	}
	t.groups(es, base, skip)
}

// deepMax is how many bytes of the encodings deeper goes past before it
// compares the keys instead: long equal starts are skipped faster by
// compareFolded's word compare than encoded again at each level.
const deepMax = 4 * natLen

// collate orders a run of entries that fold alike but are spelt
// differently by t.cmp (collation, then load order), marking the ties.
func (t *sorter) collate(es []radixEntry, base int) {
	slices.SortFunc(es, func(a, b radixEntry) int { return t.cmp(a.row, b.row) })
	for k := 1; k < len(es); k++ {
		if t.cmpValues(es[k-1].row, es[k].row) == 0 {
			setBit(t.tied, base+k)
		}
	}
}

// compareSort orders a run of entries whose encodings cannot tell them
// apart (a number of 9 digits or more, a 0 byte) by folded key, then each
// run that folds alike by collation when its hashes differ.
func (t *sorter) compareSort(es []radixEntry, base int) {
	desc := t.by.Desc
	slices.SortFunc(es, func(a, b radixEntry) int {
		c := compareFolded(t.keyOf(a.row), t.keyOf(b.row))
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(int(a.row), int(b.row))
	})
	for lo := 0; lo < len(es); {
		hi := lo + 1
		alike := true
		for hi < len(es) && compareFolded(t.keyOf(es[lo].row), t.keyOf(es[hi].row)) == 0 {
			alike = alike && es[hi].rh == es[lo].rh
			hi++
		}
		if alike {
			for k := lo + 1; k < hi; k++ {
				setBit(t.tied, base+k)
			}
		} else {
			t.collate(es[lo:hi], base+lo)
		}
		lo = hi
	}
}

func setBit(b []uint64, k int)      { b[k>>6] |= 1 << (k & 63) }
func hasBit(b []uint64, k int) bool { return b[k>>6]&(1<<(k&63)) != 0 }

// reversed is order turned around in linear time: its runs of tied values
// (tied: bit k says order[k] ties with order[k-1]) in reverse order, each
// run in its own order, so equal values keep their load order. It returns
// new slices and the ties of the new order.
func reversed(order []int32, tied []uint64) ([]int32, []uint64) {
	out := make([]int32, 0, len(order))
	nt := make([]uint64, len(tied))
	for hi := len(order); hi > 0; {
		lo := hi - 1
		for lo > 0 && hasBit(tied, lo) {
			lo--
		}
		for k := 1; k < hi-lo; k++ {
			setBit(nt, len(out)+k)
		}
		out = append(out, order[lo:hi]...)
		hi = lo
	}
	return out, nt
}

// reverse turns the order around for the other direction in linear time:
// by the ties the sort marked, or, after edits, by comparing neighbours.
func (t *sorter) reverse(desc bool) {
	t.by.Desc = desc
	if t.tied != nil {
		t.order, t.tied = reversed(t.order, t.tied)
		t.reindex()
		return
	}
	o := slices.Clone(t.order)
	slices.Reverse(o)
	for lo := 0; lo < len(o); {
		hi := lo + 1
		for hi < len(o) && t.cmpValues(o[lo], o[hi]) == 0 {
			hi++
		}
		slices.Reverse(o[lo:hi])
		lo = hi
	}
	t.order = o
	t.reindex()
}

func (t *sorter) reindex() {
	t.rank = rankOf(t.order, len(t.pre), t.rank)
	t.ver++
}

// rankOf is each of n rows' position in order (-1: not in it), in dst's
// array when it is large enough.
func rankOf(order []int32, n int, dst []int32) []int32 {
	rank := slices.Grow(dst[:0], n)[:n]
	for i := range rank {
		rank[i] = -1
	}
	for p, i := range order {
		rank[i] = int32(p)
	}
	return rank
}

// keyOf is row i's folded value (nil for a removed row): a cell's is its
// part of the row's search key, read in place; a SortValue's is kept in
// keys.
func (t *sorter) keyOf(i int32) []byte {
	if t.keys != nil {
		return t.keys[i]
	}
	return keyCell(t.rows.keys.key(i), t.by.Col)
}

// refreshKey takes in row i's value after the row was added, edited or
// removed (the store already holds its new search key).
func (t *sorter) refreshKey(i int32) {
	if t.keys != nil {
		var k []byte
		if !t.rows.dead[i] {
			k = match.AppendFold(nil, t.sortValue(i))
		}
		t.keys[i] = k
	}
	t.pre[i], _ = natKey(t.keyOf(i))
}

// added puts new rows into the order: they are sorted among themselves and
// merged in, linear in the rows held.
func (t *sorter) added(rows []int32) {
	if len(rows) == 0 {
		return
	}
	for len(t.pre) < t.rows.rows() {
		if t.keys != nil {
			t.keys = append(t.keys, nil)
		}
		t.pre = append(t.pre, 0)
	}
	fresh := slices.Clone(rows)
	for _, i := range fresh {
		t.refreshKey(i)
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
	t.order, t.tied = merged, nil
	t.reindex()
}

// changed moves row i to where its new value sorts.
func (t *sorter) changed(i int32) {
	t.drop(i)
	t.refreshKey(i)
	pos, _ := slices.BinarySearchFunc(t.order, i, t.cmp)
	t.order = slices.Concat(t.order[:pos], []int32{i}, t.order[pos:])
	t.tied = nil
	t.reindex()
}

// removed takes row i out of the order.
func (t *sorter) removed(i int32) {
	t.drop(i)
	t.refreshKey(i)
	t.reindex()
}

func (t *sorter) drop(i int32) {
	if p := t.rank[i]; p >= 0 {
		t.order = slices.Concat(t.order[:p], t.order[p+1:])
		t.tied = nil
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
	case m.store.live >= asyncSortMin && m.sort != nil && m.sort.by.Col == order.Col && m.sort.tied != nil:
		return m.startReverse(order)
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
