package usertable

import (
	"slices"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// rowStore holds the loaded users compactly: the crm.User values themselves,
// their sanitised cells in one flat slice (ncols per row) and their search
// keys in chunked arenas. Rows never move: a removed row becomes a tombstone
// (empty user, empty key), so row indices held by results stay valid and a
// removal costs no copying of a million rows.
type rowStore struct {
	ncols int
	users []crm.User
	cells []string // row i's cells are cells[i*ncols : (i+1)*ncols]
	dead  []bool
	byID  map[string]int32
	keys  keyStore
	live  int
	// built counts the rows whose cells were built into this store, so a
	// test can see which goroutine paid for them.
	built int
}

func newRowStore(ncols int) *rowStore {
	return &rowStore{ncols: ncols, byID: map[string]int32{}}
}

func (s *rowStore) rowCells(i int32) []string {
	return s.cells[int(i)*s.ncols : (int(i)+1)*s.ncols]
}

// prepare fills dst with the cells of u and returns its search key appended
// to key.
func prepare(cols []Column, u *crm.User, dst []string, key []byte) []byte {
	for c, col := range cols {
		v := ""
		if col.Value != nil {
			v = termtext.Clean(col.Value(u))
		}
		dst[c] = v
		key = appendFoldString(key, v)
		key = append(key, keySep)
	}
	return key
}

// add appends users as new rows and returns their indices. A user whose id
// is already held (pages can shift while they are fetched) is not added
// twice: its index goes to replaced and the caller updates it in place.
func (s *rowStore) add(cols []Column, users []crm.User) (added, replaced []int32) {
	s.users = slices.Grow(s.users, len(users))
	s.cells = slices.Grow(s.cells, len(users)*s.ncols)
	s.dead = slices.Grow(s.dead, len(users))
	keys := make([][]byte, 0, len(users))
	var buf []byte
	for k := range users {
		u := &users[k]
		if i, ok := s.byID[u.ID]; ok && u.ID != "" {
			s.replace(cols, i, *u)
			replaced = append(replaced, i)
			continue
		}
		i := int32(len(s.users))
		s.users = append(s.users, *u)
		s.dead = append(s.dead, false)
		s.cells = append(s.cells, make([]string, s.ncols)...)
		if buf == nil || cap(buf)-len(buf) < 256 {
			buf = make([]byte, 0, 64*1024) // keys are copied into the arena; buf is scratch
		}
		start := len(buf)
		buf = prepare(cols, &s.users[i], s.rowCells(i), buf)
		s.built++
		keys = append(keys, buf[start:len(buf):len(buf)])
		if u.ID != "" {
			s.byID[u.ID] = i
		}
		s.live++
		added = append(added, i)
	}
	s.keys = s.keys.appendKeys(keys)
	return added, replaced
}

// replace puts u in row i and returns the row's new key.
func (s *rowStore) replace(cols []Column, i int32, u crm.User) []byte {
	s.users[i] = u
	key := prepare(cols, &s.users[i], s.rowCells(i), nil)
	s.built++
	s.keys = s.keys.replaceKey(i, key)
	return key
}

// remove makes row i a tombstone.
func (s *rowStore) remove(i int32) {
	delete(s.byID, s.users[i].ID)
	s.users[i] = crm.User{}
	clear(s.rowCells(i))
	s.dead[i] = true
	s.keys = s.keys.replaceKey(i, nil)
	s.live--
}
