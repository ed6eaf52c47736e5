package usertable

import (
	"encoding/binary"
	"sync"
)

// A sort of many rows is a radix sort, not a comparison sort: each row's
// folded key is encoded once into 16 bytes (natKey) whose byte order is the
// order compareFolded gives, digits by value included; the rows are sorted
// on those bytes, a few linear passes that keep load order among equal
// bytes (stable); only rows whose 16 bytes are equal and which may still
// differ (a key longer than the bytes hold, or spellings that fold alike)
// are compared, in the small groups they form.

// natLen is how many bytes of a key's encoding natKey keeps; the 16th byte
// says whether those are the whole key (0) or not (1).
const natLen = 15

// natKey encodes folded key k as 16 big-endian bytes (hi, lo) ordered as
// compareFolded orders keys: where natKey(a) < natKey(b), a sorts before b;
// where they are equal and the last byte is 0 (complete), a and b are equal.
//
// The key is read as compareDigits reads it, as tokens: a byte that is not
// a digit is itself; a run of digits is a number, written as one byte '0'+L
// (L its digits without leading zeros; no other byte lies among '0'…'9', so
// a number against a letter compares as a digit does) and then those L
// digits: a shorter number is smaller, numbers of one length compare by
// digits, "02" and "2" are alike. No code is the start of another, so the
// bytes compare as the tokens do. A number of 9 or more digits writes '9'
// and ends the encoding; so does a 0 byte (no folded text holds one, but a
// SortValue might); both leave the rest to compareFolded (incomplete).
func natKey(k []byte) (hi, lo uint64) {
	hi, lo, _ = natKeyAt(k, 0)
	return hi, lo
}

// natKeyAt is bytes skip… of k's encoding, as natKey is bytes 0…: keys
// whose encodings share their first skip bytes order by it. stopped says
// the encoding ended before skip+natLen at a long number or a 0 byte:
// such a key must be compared.
func natKeyAt(k []byte, skip int) (hi, lo uint64, stopped bool) {
	var b [16]byte
	end := skip + natLen
	pos := 0 // bytes of the encoding so far
	more := false
	for i := 0; i < len(k) && !more; {
		if pos == end {
			more = true
			break
		}
		c := k[i]
		if c == 0 {
			stopped = true
			break
		}
		if !isDigit(c) {
			if pos >= skip {
				b[pos-skip] = c
			}
			pos++
			i++
			continue
		}
		j := i
		for j < len(k) && k[j] == '0' {
			j++
		}
		s := j
		for j < len(k) && isDigit(k[j]) {
			j++
		}
		if j-s > 8 {
			if pos >= skip {
				b[pos-skip] = '9'
			}
			stopped = true
			break
		}
		if pos >= skip {
			b[pos-skip] = '0' + byte(j-s)
		}
		pos++
		for d := s; d < j; d++ {
			if pos == end {
				more = true
				break
			}
			if pos >= skip {
				b[pos-skip] = k[d]
			}
			pos++
		}
		i = j
	}
	if more || stopped {
		b[natLen] = 1
	}
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]), stopped
}

// radixEntry is a live row with its key's encoding (inverted for a
// descending sort) and a hash of its value as shown (rh): equal hashes
// in a group of equal encodings say the values are alike.
type radixEntry struct {
	hi, lo uint64
	row    int32
	rh     uint32
}

// fold32 is a 64-bit hash of a value made 32 bits: different values may
// share it, one pair in 4 billion.
func fold32(h uint64) uint32 { return uint32(h ^ h>>32) }

// radixSort sorts es by (hi, lo), stable, least significant byte first,
// skipping the bytes every entry shares; tmp is scratch of the same length.
// It returns the sorted slice: es or tmp. The counting is split between
// the CPUs; each pass is one read and one scattered write of the entries.
func radixSort(es, tmp []radixEntry) []radixEntry {
	n := len(es)
	parts := splitEven(n, n/parallelMin)
	counts := make([][16][256]int, len(parts))
	var wg sync.WaitGroup
	for p, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &counts[p]
			for _, e := range es[part[0]:part[1]] {
				hi, lo := e.hi, e.lo
				for d := range 8 {
					c[d][byte(lo>>(8*d))]++
					c[8+d][byte(hi>>(8*d))]++
				}
			}
		}()
	}
	wg.Wait()
	for p := 1; p < len(parts); p++ {
		for d := range 16 {
			for b := range 256 {
				counts[0][d][b] += counts[p][d][b]
			}
		}
	}
	src, dst := es, tmp
	for d := range 16 {
		c := &counts[0][d]
		var offs [256]int
		at := 0
		trivial := false
		for b := range 256 {
			if c[b] == n { // every entry shares this byte: nothing to do
				trivial = true
				break
			}
			offs[b] = at
			at += c[b]
		}
		if trivial {
			continue
		}
		shift := uint(8 * (d % 8))
		if d >= 8 {
			for _, e := range src {
				b := byte(e.hi >> shift)
				dst[offs[b]] = e
				offs[b]++
			}
		} else {
			for _, e := range src {
				b := byte(e.lo >> shift)
				dst[offs[b]] = e
				offs[b]++
			}
		}
		src, dst = dst, src
	}
	return src
}
