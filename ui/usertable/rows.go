package usertable

import (
	"hash/maphash"
	"slices"

	"github.com/roster-tui/roster/crm"
)

// rowStore holds the loaded users compactly: one record per row (record.go:
// the common fields and the sanitised cells, no provider JSON), their search
// keys in chunked arenas and an id index. Rows never move: a removed row
// becomes a tombstone (dead, empty key), so row indices held by results stay
// valid and a removal costs no copying of a million rows.
type rowStore struct {
	ncols int
	recs  recStore
	dead  []bool
	byID  idIndex
	keys  keyStore
	live  int
	// widest is, per column that fits its content, its widest cell so far
	// (columns.go); nil when no column does.
	widest []int
	// built counts the rows whose cells were built into this store, so a
	// test can see which goroutine paid for them.
	built int
	// moved counts the rows taken ready-built from a batch (addRows).
	moved int
	// scratch for one row's cells and keys while adding
	cellBuf []string
	keyBuf  []byte
	hashBuf []uint64 // a batch's id hashes (addRows)
	offBuf  []int    // where its keys end
	fold    folder   // made on the first add
}

func newRowStore(ncols int) *rowStore {
	return &rowStore{ncols: ncols, recs: newRecStore(ncols), byID: newIDIndex(), cellBuf: make([]string, ncols)}
}

// rows is the number of rows, removed ones included.
func (s *rowStore) rows() int { return len(s.dead) }

// rowCells returns row i's cells (a new slice: for tests and benchmarks;
// a frame uses cellsInto).
func (s *rowStore) rowCells(i int32) []string {
	out := make([]string, s.ncols)
	s.recs.cells(i, out)
	return out
}

// cell is row i's cell in column c.
func (s *rowStore) cell(i int32, c int) string {
	a, b := s.recs.entry(s.recs.record(i), recFields+c)
	if b != "" {
		return a + b
	}
	return a
}

// cellHash is a hash of row i's cell in column c, without building it.
func (s *rowStore) cellHash(seed maphash.Seed, i int32, c int) uint64 {
	a, b := s.recs.entry(s.recs.record(i), recFields+c)
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(a)
	h.WriteString(b)
	return h.Sum64()
}

// user is row i's user: its common fields, no Raw.
func (s *rowStore) user(i int32) crm.User { return s.recs.user(i) }

// find returns the live row of the user with id.
func (s *rowStore) find(id string) (int32, bool) { return s.byID.find(s, id) }

// prepare fills dst with the cells of u and returns its search key appended
// to key.
func prepare(cols []Column, u *crm.User, dst []string, key []byte) []byte {
	return folder{}.prepare(cols, u, dst, key)
}

// prepare is prepare with f's remembered folds (fold.go).
func (f folder) prepare(cols []Column, u *crm.User, dst []string, key []byte) []byte {
	for c, col := range cols {
		v := ""
		if col.Value != nil {
			v, key = f.cleanFold(key, col.Value(u))
		}
		dst[c] = v
		key = append(key, keySep)
	}
	return key
}

// add appends users as new rows and returns their indices. A user whose id
// is already held (pages can shift while they are fetched) is not added
// twice: its index goes to replaced and the caller updates it in place.
func (s *rowStore) add(cols []Column, users []crm.User) (added, replaced []int32) {
	keys := s.keyBuf[:0]
	var offs []int // where each added row's key ends in keys
	if s.fold.runes == nil {
		s.fold = newFolder()
	}
	for k := range users {
		u := &users[k]
		if i, ok := s.find(u.ID); ok {
			s.replace(cols, i, u)
			replaced = append(replaced, i)
			continue
		}
		i := int32(len(s.dead))
		keys = s.fold.prepare(cols, u, s.cellBuf, keys)
		s.measure(cols, s.cellBuf)
		offs = append(offs, len(keys))
		s.recs.put(i, u, s.cellBuf)
		s.dead = append(s.dead, false)
		s.built++
		if u.ID != "" {
			s.byID.insert(s, u.ID, i)
		}
		s.live++
		added = append(added, i)
	}
	s.keys = s.keys.appendKeys(keys, offs)
	s.keepScratch(keys, s.offBuf, s.hashBuf)
	return added, replaced
}

// replace puts u in row i and returns the row's new key.
func (s *rowStore) replace(cols []Column, i int32, u *crm.User) []byte {
	key := s.fold.prepare(cols, u, s.cellBuf, nil)
	s.measure(cols, s.cellBuf)
	s.recs.put(i, u, s.cellBuf)
	s.built++
	s.keys = s.keys.replaceKey(i, key)
	return key
}

// remove makes row i a tombstone.
func (s *rowStore) remove(i int32) {
	s.dead[i] = true
	s.keys = s.keys.replaceKey(i, nil)
	s.live--
}

// keepScratch keeps the buffers of an add for the next one, unless they
// grew past what a batch of a load-all needs (a SetUsers of a million
// users): the table would hold them as long as it lives.
func (s *rowStore) keepScratch(keys []byte, offs []int, hashes []uint64) {
	const most = 8 << 10 // rows: a load-all's largest batch
	if cap(keys) > most*256 {
		keys = nil
	}
	if cap(offs) > most {
		offs = nil
	}
	if cap(hashes) > most {
		hashes = nil
	}
	s.keyBuf, s.offBuf, s.hashBuf = keys, offs, hashes
}

// reserve makes room for n rows (0 or less: unknown), so the id index and
// the row index do not grow while they arrive.
func (s *rowStore) reserve(n int) {
	if n <= s.rows() {
		return
	}
	s.byID.reserve(s, n)
	s.dead = slices.Grow(s.dead, n-len(s.dead))
	s.recs.refs = slices.Grow(s.recs.refs, n-len(s.recs.refs))
}

// addRows appends a batch built by Rows.Add: its cells and keys are ready,
// so this only encodes the records and indexes the ids, O(batch). A user
// already held is replaced in place (its index goes to replaced).
func (s *rowStore) addRows(r *Rows) (added, replaced []int32) {
	keys := s.keyBuf[:0]
	offs := s.offBuf[:0]
	added = make([]int32, 0, len(r.users))
	start := 0
	hashes := s.hashBuf[:0]
	for k := range r.users {
		hashes = append(hashes, s.byID.hash(r.users[k].ID))
	}
	s.byID.touch(hashes)
	for k := range r.users {
		u := &r.users[k]
		cells := r.cells[k*s.ncols : (k+1)*s.ncols]
		key := r.keys[start:r.ends[k]]
		start = r.ends[k]
		if i, ok := s.byID.findHash(s, u.ID, hashes[k]); ok {
			// the keys of rows added so far go in first: i may be one of them
			s.keys = s.keys.appendKeys(keys, offs)
			keys, offs = keys[:0], offs[:0]
			s.recs.put(i, u, cells)
			s.keys = s.keys.replaceKey(i, key)
			replaced = append(replaced, i)
			continue
		}
		i := int32(len(s.dead))
		keys = append(keys, key...)
		offs = append(offs, len(keys))
		s.recs.put(i, u, cells)
		s.dead = append(s.dead, false)
		if u.ID != "" {
			s.byID.insertHash(s, hashes[k], i)
		}
		s.live++
		s.moved++
		added = append(added, i)
	}
	s.keys = s.keys.appendKeys(keys, offs)
	s.keepScratch(keys, offs, hashes)
	if r.widest != nil {
		if s.widest == nil {
			s.widest = make([]int, len(r.widest))
		}
		for c, w := range r.widest {
			s.widest[c] = max(s.widest[c], w)
		}
	}
	return added, replaced
}
