package usertable

import (
	"encoding/binary"
	"slices"
	"unicode/utf8"

	"github.com/roster-tui/roster/crm/match"
	"github.com/roster-tui/roster/ui/termtext"
)

// Folding is crm/match's, the one matcher Roster has: the table's search
// keys, the query and the highlighting all fold with it, so `/` finds what
// the CLI's --query and the narrowing of server searches find, whatever the
// case, accents or Unicode normal form of the text.

// fold returns the folded form of s.
func fold(s string) string { return match.Fold(s) }

// appendFold appends the folded form of one rune, for highlighting.
func appendFold(dst []byte, r rune) []byte { return match.AppendFoldRune(dst, r) }

// isMark reports combining marks, which fold to nothing.
func isMark(r rune) bool { return match.IsMark(r) }

// A folder sanitises cells and folds them into search keys as
// termtext.Clean and match.AppendFold do, byte for byte, but faster for
// what most cells are (issue 14: it is half the cost of building a row):
//
//   - a cell of printable ASCII is checked and lowercased in one pass, eight
//     bytes at a time, instead of a pass to clean and one to fold;
//   - other text folds rune by rune (match folds each rune on its own, so
//     this gives the same bytes), and a rune is decomposed once per folder
//     and its folded bytes remembered, since the names of one load repeat
//     them: in a table for those below U+0800 (Latin, Greek, Cyrillic,
//     combining marks, …), in a map for up to maxMore others (CJK, Hangul).
//
// The zero folder remembers nothing (newFolder does). A folder belongs to
// one goroutine.
type folder struct {
	runes *[foldRunes]foldedRune
	more  map[rune]foldedRune // the other runes met (CJK, Hangul, …)
}

// foldRunes is how many runes a folder remembers: U+0000…U+07FF, the ones
// UTF-8 writes in one or two bytes (24 KiB).
const foldRunes = 0x800

// foldedRune is one rune's folded bytes; n is their count plus one (0: not
// worked out yet).
type foldedRune struct {
	n uint8
	b [11]byte
}

func newFolder() folder {
	return folder{runes: new([foldRunes]foldedRune), more: map[rune]foldedRune{}}
}

// maxMore bounds the runes a folder remembers beyond U+07FF.
const maxMore = 1 << 12

// cleanFold returns v sanitised (termtext.Clean) and appends its folded
// form (match.AppendFold) to key.
func (f folder) cleanFold(key []byte, v string) (string, []byte) {
	if out, ok := appendPlainLower(key, v); ok {
		return v, out
	}
	v = termtext.Clean(v)
	return v, f.appendFold(key, v)
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// appendPlainLower appends s lowercased to dst when s is printable ASCII
// only (0x20…0x7E, which termtext.Clean keeps as it is and match folds by
// lowering A–Z), and reports whether it was; else dst is returned as it was
// (its spare capacity may have been written).
func appendPlainLower(dst []byte, s string) ([]byte, bool) {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	out := dst[n:]
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// a byte below 0x20, or one above 0x7E (0x7F and every non-ASCII
		// byte): exact as a whole, whatever the borrows and carries
		if ((x-0x20*ones)&^x|(x+(0x80-0x7f)*ones)|x)&highs != 0 {
			return dst[:n], false
		}
		// every byte is 0x20…0x7E here, so these sums never carry into the
		// next byte: bit 7 says ≥ 'A', and ≥ 'Z'+1; the bytes between get 0x20
		ge := x + (0x80-'A')*ones
		gt := x + (0x80-'Z'-1)*ones
		x |= ((ge ^ gt) & highs) >> 2
		binary.LittleEndian.PutUint64(out[i:], x)
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return dst[:n], false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return dst, true
}

// appendFold appends the folded form of s to dst: match.AppendFold's bytes.
func (f folder) appendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = match.AppendFoldASCII(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if f.runes == nil {
			dst = match.AppendFoldRune(dst, r)
			continue
		}
		if r < foldRunes {
			e := &f.runes[r]
			if e.n == 0 {
				*e = foldOne(r)
			}
			if e.n > 0 {
				dst = append(dst, e.b[:e.n-1]...)
				continue
			}
		} else if e, ok := f.more[r]; ok {
			dst = append(dst, e.b[:e.n-1]...)
			continue
		} else if e := foldOne(r); e.n > 0 {
			if len(f.more) < maxMore {
				f.more[r] = e
			}
			dst = append(dst, e.b[:e.n-1]...)
			continue
		}
		dst = match.AppendFoldRune(dst, r) // too long to keep
	}
	return dst
}

// foldOne is r's folded bytes to keep (n 0 when they are too many to keep:
// a Hangul syllable's are its three jamo, nine bytes, which fit).
func foldOne(r rune) foldedRune {
	var tmp [16]byte
	b := match.AppendFoldRune(tmp[:0], r)
	var e foldedRune
	if len(b) <= len(e.b) {
		e.n = uint8(copy(e.b[:], b)) + 1
	}
	return e
}
