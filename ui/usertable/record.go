package usertable

import (
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/roster-tui/roster/crm"
)

// A row keeps what the list shows and searches, and the common fields an
// export or a bulk action reads (issue 14: half the memory): never the
// provider's JSON (crm.User.Raw), which the detail view reads again on open.
// Each row is one record of bytes in a shared block instead of a crm.User of
// eleven strings plus cells: no pointers for the garbage collector to scan,
// no allocation per string, and strings that repeat across users (titles,
// departments, statuses, email domains, short formatted cells such as
// dates) stored once per load in a dictionary.
//
// A record is a byte for Active, then one entry per common field (recID…
// recUpdated) and per column cell, each a uvarint tag whose two low bits say
// what follows:
//
//	0 inline: tag>>2 bytes of text
//	1 dict:   the dictionary's string number tag>>2
//	2 same:   the same text as this record's entry tag>>2 (a cell that is a field);
//	          in a field's entry (fields never refer to each other), a time:
//	          tag>>2 is CreatedAt or UpdatedAt of the form
//	          2006-01-02T15:04:05Z packed in 40 bits (packTime), six bytes
//	          where the text takes 21
//	3 split:  tag>>2 bytes of text, then a uvarint dictionary number whose
//	          string follows them (an email's local part, then "@domain")

const (
	recID = iota
	recName
	recFirst
	recLast
	recEmail
	recTitle
	recDept
	recStatus
	recCreated
	recUpdated
	recFields // the first cell's entry
)

const (
	tagInline = iota
	tagDict
	tagSame
	tagSplit
)

// blockSize is the size of the blocks records are written into. A block is
// never reallocated or written over, so strings may point into it.
const blockSize = 64 << 10

// maxDict bounds the dictionary, so that text that never repeats (hostile
// or not) costs a map entry per string only up to here, then is inlined.
const maxDict = 1 << 16

// recordRoom is the free tail of a block below which a record is encoded
// aside (and placed in a new block) rather than in the block itself.
const recordRoom = 512

// internMax is the longest cell interned by default: formatted cells that
// repeat (dates, status words) are short; longer text is inlined.
const internMax = 32

type recRef struct{ blk, off uint32 }

// recStore holds the records of one set of rows.
type recStore struct {
	blocks [][]byte // each at full length; used is the fill of the last
	used   int
	refs   []recRef // per row
	dict   []string
	dictOf map[string]uint32
	recent []recentString // in front of dictOf, made on the first intern
	ncells int
	// scratch for encoding and for the same-entry check
	buf     []byte
	entries []string
}

func newRecStore(ncells int) recStore {
	return recStore{dictOf: map[string]uint32{}, ncells: ncells}
}

// intern returns s's dictionary number, adding s while there is room.
func (s *recStore) intern(v string) (uint32, bool) {
	if s.recent == nil {
		s.recent = make([]recentString, recentSlots)
	}
	h := quickHash(v)
	c := &s.recent[h>>(64-recentBits)]
	if c.n != 0 && c.s == v {
		return c.n - 1, true
	}
	if c.n == 0 && c.miss == h && h != 0 {
		return 0, false // not held when the dictionary was full: never will be
	}
	n, ok := s.dictOf[v]
	if !ok {
		if len(s.dict) >= maxDict {
			// a string that repeats for a stretch of users (a date) is
			// looked up once per stretch; a hash that matches by chance
			// only inlines one held string, which decodes the same
			*c = recentString{miss: h}
			return 0, false
		}
		v = strings.Clone(v) // never keep a provider's larger string alive
		n = uint32(len(s.dict))
		s.dict = append(s.dict, v)
		s.dictOf[v] = n
	}
	*c = recentString{s: s.dict[n], n: n + 1}
	return n, true
}

// recentSlots is the size of the cache in front of the dictionary's map:
// most interned strings are a few dozen titles, departments, statuses and
// email domains, and dates that repeat for stretches of users, so a slot
// picked by a cheap hash of the string usually holds it already, and one
// comparison replaces the map's hashing and probing (issue 14).
const (
	recentBits  = 11
	recentSlots = 1 << recentBits
)

// recentString is a dictionary string and its number plus one; or, with n
// 0, the hash of a string not held once the dictionary was full (miss).
type recentString struct {
	s    string
	n    uint32
	miss uint64
}

// quickHash mixes a string's length and its first and last eight bytes into
// its top bits: cheap, and enough to tell apart the strings that repeat.
func quickHash(v string) uint64 {
	var a, b uint64
	if len(v) >= 8 {
		a = binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(v), len(v)))
		b = binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(v[len(v)-8:]), 8))
	} else {
		for i := 0; i < len(v); i++ {
			a = a<<8 | uint64(v[i])
		}
	}
	return (a^uint64(len(v)))*0x9e3779b97f4a7c15 + (b^a>>32)*0xc2b2ae3d27d4eb4f
}

func (s *recStore) appendEntry(b []byte, k int, v string, interned bool) []byte {
	for j := 0; j < k; j++ { // a cell that is one of the fields: no copy
		// (but a time, which would be built for each use)
		if v != "" && j != recCreated && j != recUpdated && s.entries[j] == v {
			return appendTag(b, uint64(j)<<2|tagSame)
		}
	}
	if interned && v != "" {
		if n, ok := s.intern(v); ok {
			return appendTag(b, uint64(n)<<2|tagDict)
		}
	}
	return appendInline(b, v)
}

// appendTag appends a tag as a uvarint; most take one byte.
func appendTag(b []byte, t uint64) []byte {
	if t < 0x80 {
		return append(b, byte(t))
	}
	return binary.AppendUvarint(b, t)
}

func appendInline(b []byte, v string) []byte {
	b = appendTag(b, uint64(len(v))<<2) // | tagInline, which is 0
	return append(b, v...)
}

// appendEmail keeps the local part and interns "@domain".
func (s *recStore) appendEmail(b []byte, v string) []byte {
	at := strings.LastIndexByte(v, '@')
	if at < 0 {
		return appendInline(b, v)
	}
	n, ok := s.intern(v[at:])
	if !ok {
		return appendInline(b, v)
	}
	b = appendTag(b, uint64(at)<<2|tagSplit)
	b = append(b, v[:at]...)
	return binary.AppendUvarint(b, uint64(n))
}

// put writes row i's record (a new row when i == len(refs)): u's common
// fields and the row's cells.
func (s *recStore) put(i int32, u *crm.User, cells []string) {
	fields := [recFields]string{u.ID, u.Name, u.FirstName, u.LastName, u.Email, u.Title,
		u.Department, u.Status, u.CreatedAt, u.UpdatedAt}
	s.entries = append(append(s.entries[:0], fields[:]...), cells...)
	// the record is written where it goes, in the current block's free
	// tail, when it fits there; else in buf, then copied to a new block
	b := s.buf[:0]
	var tail []byte
	if n := len(s.blocks); n > 0 && len(s.blocks[n-1])-s.used >= recordRoom {
		tail = s.blocks[n-1][s.used:]
		b = tail[:0:len(tail)]
	}
	b = append(b, activeByte(u.Active))
	for k, v := range s.entries {
		switch {
		case k == recEmail:
			b = s.appendEmail(b, v)
		case k == recCreated || k == recUpdated:
			if p, ok := packTime(v); ok {
				b = binary.AppendUvarint(b, p<<2|tagSame)
			} else {
				b = appendInline(b, v)
			}
		case k < recFields:
			repeats := k == recTitle || k == recDept || k == recStatus
			b = s.appendEntry(b, 0, v, repeats) // fields never refer to each other
		default:
			b = s.appendEntry(b, k, v, len(v) <= internMax)
		}
	}
	var ref recRef
	if tail != nil && unsafe.SliceData(b) == unsafe.SliceData(tail) {
		ref = recRef{uint32(len(s.blocks) - 1), uint32(s.used)}
		s.used += len(b)
	} else {
		if tail == nil {
			s.buf = b
		}
		ref = s.place(b)
	}
	if int(i) == len(s.refs) {
		s.refs = append(s.refs, ref)
	} else {
		s.refs[i] = ref
	}
}

// place copies a record into the current block (or a new one) and says
// where.
func (s *recStore) place(rec []byte) recRef {
	if len(s.blocks) == 0 || s.used+len(rec) > len(s.blocks[len(s.blocks)-1]) {
		s.blocks = append(s.blocks, make([]byte, max(blockSize, len(rec))))
		s.used = 0
	}
	blk := len(s.blocks) - 1
	ref := recRef{uint32(blk), uint32(s.used)}
	s.used += copy(s.blocks[blk][s.used:], rec)
	return ref
}

func activeByte(a *bool) byte {
	switch {
	case a == nil:
		return 0
	case *a:
		return 2
	}
	return 1
}

// record is the bytes of row i's record, starting with its Active byte.
func (s *recStore) record(i int32) []byte {
	r := s.refs[i]
	return s.blocks[r.blk][r.off:]
}

// decode fills out with the record's first len(out) entries. Inline text
// points into the block (never written again), so it costs no copy; only a
// split entry (an email) is joined and a packed time written out (when
// times; else it is left "": no cell refers to one), all into one new
// string.
func (s *recStore) decode(rec []byte, out []string, times bool) {
	var built [4]builtEntry // a field's email and times: no more
	nb := 0
	p := 1
	for k := range out {
		if k == recFields && nb > 0 { // cells may refer to them
			s.build(out, built[:nb])
			nb = 0
		}
		tag := uint64(rec[p])
		if tag < 0x80 { // one byte: most tags
			p++
		} else {
			var n int
			tag, n = binary.Uvarint(rec[p:])
			p += n
		}
		arg := int(tag >> 2)
		switch tag & 3 {
		case tagInline:
			out[k] = blockString(rec[p : p+arg])
			p += arg
		case tagDict:
			out[k] = s.dict[arg]
		case tagSame:
			switch {
			case k >= recFields:
				out[k] = out[arg]
			case times && nb < len(built):
				built[nb] = builtEntry{k: k, time: uint64(arg), isTime: true}
				nb++
			case times:
				out[k] = unpackTime(uint64(arg))
			default:
				out[k] = ""
			}
		case tagSplit:
			local := rec[p : p+arg]
			p += arg
			d, n := binary.Uvarint(rec[p:])
			p += n
			if nb < len(built) {
				built[nb] = builtEntry{k: k, local: local, suffix: s.dict[d]}
				nb++
			} else {
				out[k] = string(local) + s.dict[d]
			}
		}
	}
	if nb > 0 {
		s.build(out, built[:nb])
	}
}

// builtEntry is an entry decode writes out: a split entry's two parts, or
// a packed time.
type builtEntry struct {
	k      int
	local  []byte
	suffix string
	time   uint64
	isTime bool
}

// build writes the entries out into one new string (one allocation for a
// user's email and times) and points out's entries into it.
func (s *recStore) build(out []string, bs []builtEntry) {
	n := 0
	for _, e := range bs {
		if e.isTime {
			n += timeLen
		} else {
			n += len(e.local) + len(e.suffix)
		}
	}
	b := make([]byte, 0, n)
	for _, e := range bs {
		start := len(b)
		if e.isTime {
			b = appendTime(b, e.time)
		} else {
			b = append(append(b, e.local...), e.suffix...)
		}
		out[e.k] = blockString(b[start:]) // b is sized once: never moved or written over
	}
}

// entry returns the record's entry k as at most two parts to be joined
// (the second is a split entry's dictionary suffix, "" otherwise), reading
// only the tags before it: no string is built.
func (s *recStore) entry(rec []byte, k int) (string, string) {
	p := 1
	for e := 0; ; e++ {
		tag := uint64(rec[p])
		if tag < 0x80 {
			p++
		} else {
			var n int
			tag, n = binary.Uvarint(rec[p:])
			p += n
		}
		arg := int(tag >> 2)
		switch tag & 3 {
		case tagInline:
			if e == k {
				return blockString(rec[p : p+arg]), ""
			}
			p += arg
		case tagDict:
			if e == k {
				return s.dict[arg], ""
			}
		case tagSame:
			if e == k && e < recFields {
				return unpackTime(uint64(arg)), ""
			}
			if e == k {
				return s.entry(rec, arg)
			}
		case tagSplit:
			local := rec[p : p+arg]
			p += arg
			d, n := binary.Uvarint(rec[p:])
			p += n
			if e == k {
				return blockString(local), s.dict[d]
			}
		}
	}
}

// blockString is b as a string without a copy: b is part of a record
// block, whose bytes are never written again once the record is placed.
func blockString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// user is row i as a crm.User of its common fields (Raw is not kept).
func (s *recStore) user(i int32) crm.User {
	rec := s.record(i)
	var f [recFields]string
	s.decode(rec, f[:], true)
	u := crm.User{ID: f[recID], Name: f[recName], FirstName: f[recFirst], LastName: f[recLast],
		Email: f[recEmail], Title: f[recTitle], Department: f[recDept], Status: f[recStatus],
		CreatedAt: f[recCreated], UpdatedAt: f[recUpdated]}
	switch rec[0] {
	case 1:
		u.Active = crm.BoolPtr(false)
	case 2:
		u.Active = crm.BoolPtr(true)
	}
	return u
}

// id is row i's user id.
func (s *recStore) id(i int32) string {
	var f [1]string
	s.decode(s.record(i), f[:], false)
	return f[0]
}

// cells fills dst (len ncells) with row i's cells.
func (s *recStore) cells(i int32, dst []string) {
	var all [recFields + 16]string
	n := recFields + s.ncells
	var out []string
	if n <= len(all) {
		out = all[:n]
	} else {
		out = make([]string, n)
	}
	s.decode(s.record(i), out, false)
	copy(dst, out[recFields:])
}

// packTime packs a time written as 2006-01-02T15:04:05Z (how providers and
// the sandbox write CreatedAt and UpdatedAt) into 40 bits: year, month, day,
// hour, minute, second, each in the bits its digits can need here (14, 4,
// 5, 5, 6, 6). Text of any other form, or out of those ranges, is not
// packed, so unpackTime gives back exactly the text packed.
func packTime(v string) (uint64, bool) {
	if len(v) != 20 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != 'Z' {
		return 0, false
	}
	var p uint64
	for _, f := range timeFields() {
		n := uint64(0)
		for _, c := range []byte(v[f.at : f.at+f.digits]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + uint64(c-'0')
		}
		if n >= 1<<f.bits {
			return 0, false
		}
		p = p<<f.bits | n
	}
	return p, true
}

// unpackTime writes out a time packTime packed.
func unpackTime(p uint64) string { return string(appendTime(nil, p)) }

// timeLen is the length of a packed time written out.
const timeLen = len("2006-01-02T15:04:05Z")

// appendTime appends a time packTime packed, written out.
func appendTime(dst []byte, p uint64) []byte {
	dst = append(dst, "0000-00-00T00:00:00Z"...)
	b := dst[len(dst)-timeLen:]
	fs := timeFields()
	for k := len(fs) - 1; k >= 0; k-- {
		f := fs[k]
		n := p & (1<<f.bits - 1)
		p >>= f.bits
		for d := f.at + f.digits - 1; d >= f.at; d-- {
			b[d] = byte('0' + n%10)
			n /= 10
		}
	}
	return dst
}

// timeField is where one of packTime's numbers is in the text, and its bits.
type timeField struct{ at, digits, bits int }

func timeFields() [6]timeField {
	return [6]timeField{{0, 4, 14}, {5, 2, 4}, {8, 2, 5}, {11, 2, 5}, {14, 2, 6}, {17, 2, 6}}
}
