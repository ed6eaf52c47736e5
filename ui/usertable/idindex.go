package usertable

import "hash/maphash"

// idIndex finds a row by its user's id. It is an open-addressing table of
// row numbers probed by the id's hash, each slot with a byte of that hash so
// that a probe reads a row's record (to confirm the id) only when the byte
// matches. It costs 5–11 bytes a row where a map[string]int32 cost a string
// and a ~40-byte entry. A removed row keeps its slot (its record is kept
// too, marked dead) and is skipped; growing drops those slots.
type idIndex struct {
	seed  maphash.Seed
	slots []int32 // row+1; 0 is empty
	tags  []uint8 // per slot: the top byte of the id's hash
	used  int     // slots taken, dead rows' included
}

func newIDIndex() idIndex { return idIndex{seed: maphash.MakeSeed()} }

// find returns the live row holding id.
func (x *idIndex) find(s *rowStore, id string) (int32, bool) {
	if len(x.slots) == 0 || id == "" {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	hash := maphash.String(x.seed, id)
	tag := uint8(hash >> 56)
	for h := hash & mask; ; h = (h + 1) & mask {
		r := x.slots[h]
		if r == 0 {
			return 0, false
		}
		if x.tags[h] == tag {
			if i := r - 1; !s.dead[i] && s.recs.id(i) == id {
				return i, true
			}
		}
	}
}

// insert adds row i under id; the caller has checked id is not held.
func (x *idIndex) insert(s *rowStore, id string, i int32) {
	if (x.used+1)*4 > len(x.slots)*3 {
		x.grow(s, i, s.live+1)
	}
	x.place(maphash.String(x.seed, id), i)
	x.used++
}

func (x *idIndex) place(hash uint64, i int32) {
	mask := uint64(len(x.slots) - 1)
	h := hash & mask
	for x.slots[h] != 0 {
		h = (h + 1) & mask
	}
	x.slots[h], x.tags[h] = i+1, uint8(hash>>56)
}

// grow rebuilds the table at least twice the size of want rows (so at most
// three quarters full before the next growth) from rows 0…upto-1, without
// the removed ones. It walks the rows in order, so their records are read
// one after the other rather than at random.
func (x *idIndex) grow(s *rowStore, upto int32, want int) {
	n := 1024
	for n < want*2 {
		n *= 2
	}
	x.slots, x.tags, x.used = make([]int32, n), make([]uint8, n), 0
	for i := range upto {
		if s.dead[i] {
			continue
		}
		if id := s.recs.id(i); id != "" {
			x.place(maphash.String(x.seed, id), i)
			x.used++
		}
	}
}

// reserve sizes the table for n ids before they arrive, so that a load
// whose size the provider announced never rehashes the rows it holds.
func (x *idIndex) reserve(s *rowStore, n int) {
	if n*4 > len(x.slots)*3 {
		x.grow(s, int32(s.rows()), n)
	}
}
