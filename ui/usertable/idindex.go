package usertable

import "hash/maphash"

// idIndex finds a row by its user's id. It is an open-addressing table of
// row numbers probed by the id's hash, each slot with a byte of that hash so
// that a probe reads a row's record (to confirm the id) only when the byte
// matches. It costs 5–11 bytes a row where a map[string]int32 cost a string
// and a ~40-byte entry. A removed row keeps its slot (its record is kept
// too, marked dead) and is skipped; growing drops those slots.
//
// A probe reads the bytes first (a byte of 0 is an empty slot: an id's byte
// is never 0), so looking up an id not held — every new user of a load —
// reads only the byte array, a fifth of the table, and the row numbers only
// when a byte matches (issue 14: a probe was a cache miss in each array).
type idIndex struct {
	seed  maphash.Seed
	slots []int32 // row+1 where tags is not 0
	tags  []uint8 // per slot: 0 when empty, else idTag of the id's hash
	used  int     // slots taken, dead rows' included
	sink  uint8   // what touch read, so that its loads are not dropped
}

func newIDIndex() idIndex { return idIndex{seed: maphash.MakeSeed()} }

func (x *idIndex) hash(id string) uint64 { return maphash.String(x.seed, id) }

// idTag is the byte a slot keeps of an id's hash: its top byte, never 0.
func idTag(hash uint64) uint8 { return max(uint8(hash>>56), 1) }

// find returns the live row holding id.
func (x *idIndex) find(s *rowStore, id string) (int32, bool) {
	if len(x.slots) == 0 || id == "" {
		return 0, false
	}
	return x.findHash(s, id, x.hash(id))
}

// findHash is find for an id whose hash is known.
func (x *idIndex) findHash(s *rowStore, id string, hash uint64) (int32, bool) {
	if len(x.slots) == 0 || id == "" {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	tag := idTag(hash)
	for h := hash & mask; ; h = (h + 1) & mask {
		t := x.tags[h]
		if t == 0 {
			return 0, false
		}
		if t == tag {
			if i := x.slots[h] - 1; !s.dead[i] && s.recs.id(i) == id {
				return i, true
			}
		}
	}
}

// touch reads the first slot of each hash (its byte and its row number, which
// the insert writes), one after the other, so that the memory of a batch's
// probes is fetched at once (the reads do not wait on each other) instead
// of one cache miss after the other.
func (x *idIndex) touch(hashes []uint64) {
	if len(x.tags) == 0 {
		return
	}
	mask := uint64(len(x.tags) - 1)
	var sum uint8
	for _, h := range hashes {
		sum += x.tags[h&mask] + uint8(x.slots[h&mask])
	}
	x.sink = sum
}

// insert adds row i under id; the caller has checked id is not held.
func (x *idIndex) insert(s *rowStore, id string, i int32) {
	x.insertHash(s, x.hash(id), i)
}

// insertHash is insert for an id whose hash is known.
func (x *idIndex) insertHash(s *rowStore, hash uint64, i int32) {
	if (x.used+1)*4 > len(x.slots)*3 {
		x.grow(s, i, s.live+1)
	}
	x.place(hash, i)
	x.used++
}

func (x *idIndex) place(hash uint64, i int32) {
	mask := uint64(len(x.slots) - 1)
	h := hash & mask
	for x.tags[h] != 0 {
		h = (h + 1) & mask
	}
	x.slots[h], x.tags[h] = i+1, idTag(hash)
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
			x.place(x.hash(id), i)
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
