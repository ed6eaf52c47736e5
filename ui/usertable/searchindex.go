package usertable

import "slices"

// Search keys live in immutable chunks of chunkSize rows: a chunk's keys are
// one contiguous byte arena (each key is the folded cells, each followed by
// keySep), so a full scan is a handful of bytes.Index calls over large
// buffers. A background match holds a snapshot of the chunk list; the model
// never writes into a published chunk or chunk list, it copies the one it
// changes (copy-on-write), so matching off the UI goroutine needs no locks.

const (
	chunkBits = 12
	chunkSize = 1 << chunkBits
	keySep    = 0 // ends every folded cell; folding never produces it
)

type keyChunk struct {
	arena []byte
	off   []uint32 // len = rows+1; row j's key is arena[off[j]:off[j+1]]
}

func (c *keyChunk) rows() int { return len(c.off) - 1 }

func (c *keyChunk) key(j int) []byte { return c.arena[c.off[j]:c.off[j+1]] }

// keyStore is the list of chunks; row i is chunk i>>chunkBits, slot i&(chunkSize-1).
type keyStore []*keyChunk

func (ks keyStore) key(i int32) []byte {
	return ks[i>>chunkBits].key(int(i & (chunkSize - 1)))
}

// appendKeys returns a store with keys added after the existing rows: the
// added rows' keys back to back in keys, row r's ending at ends[r]. The last
// chunk is replaced by a new chunk value; its arrays may grow in place,
// which only writes beyond what older snapshots can see.
func (ks keyStore) appendKeys(keys []byte, ends []int) keyStore {
	if len(ends) == 0 {
		return ks
	}
	ks = slices.Clone(ks)
	start := 0
	for len(ends) > 0 {
		if len(ks) == 0 || ks[len(ks)-1].rows() == chunkSize {
			ks = append(ks, &keyChunk{off: make([]uint32, 1, chunkSize+1)})
		}
		last := ks[len(ks)-1]
		c := &keyChunk{arena: last.arena, off: last.off}
		n := min(chunkSize-c.rows(), len(ends))
		if c.arena == nil {
			// a chunk's arena is sized once from the first page's keys, so
			// it rarely grows (and never by many copies)
			per := (ends[n-1] - start) / n
			c.arena = make([]byte, 0, per*chunkSize*9/8)
		}
		base := uint32(len(c.arena)) - uint32(start)
		c.arena = append(c.arena, keys[start:ends[n-1]]...)
		for _, e := range ends[:n] {
			c.off = append(c.off, base+uint32(e))
		}
		start = ends[n-1]
		ks[len(ks)-1] = c
		ends = ends[n:]
	}
	return ks
}

// replaceKey returns a store in which row i has key k; only row i's chunk
// is copied.
func (ks keyStore) replaceKey(i int32, k []byte) keyStore {
	ks = slices.Clone(ks)
	old := ks[i>>chunkBits]
	j := int(i & (chunkSize - 1))
	c := &keyChunk{
		arena: make([]byte, 0, len(old.arena)-int(old.off[j+1]-old.off[j])+len(k)),
		off:   make([]uint32, len(old.off)),
	}
	c.arena = append(c.arena, old.arena[:old.off[j]]...)
	c.arena = append(c.arena, k...)
	c.arena = append(c.arena, old.arena[old.off[j+1]:]...)
	delta := int64(len(k)) - int64(old.off[j+1]-old.off[j])
	for x := range old.off {
		if x <= j {
			c.off[x] = old.off[x]
		} else {
			c.off[x] = uint32(int64(old.off[x]) + delta)
		}
	}
	ks[i>>chunkBits] = c
	return ks
}
