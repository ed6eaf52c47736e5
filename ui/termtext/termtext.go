// Package termtext makes untrusted text (from providers and config) safe and
// well-sized for a terminal: escape sequences and control characters are
// removed, bidi overrides neutralised, and text is cut by display width.
package termtext

import (
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// Clean makes untrusted text inert for a terminal. It removes
//   - escape sequences of every kind: CSI (with parameters and
//     intermediates), OSC, DCS, SOS, PM and APC strings (ended by BEL or ST,
//     or unterminated), two-character and nF escapes, and a lone ESC;
//   - their 8-bit C1 forms and every other C0 and C1 control character;
//   - bidi embeddings, overrides, isolates and marks, which could reorder
//     what follows on the line.
//
// Line breaks and tabs become one space each (CR LF counts as one) so a
// value stays on its row. Joiners (ZWJ, ZWNJ) and combining marks stay;
// invalid UTF-8 becomes U+FFFD.
func Clean(s string) string {
	if isInert(s) {
		return s
	}
	return clean(s)
}

// clean is Clean without the fast path: the text rune by rune.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == esc:
			i = skipEscape(rs, i)
		case r == c1CSI:
			i = skipCSI(rs, i+1)
		case r == c1DCS || r == c1SOS || r == c1OSC || r == c1PM || r == c1APC:
			i = skipString(rs, i+1)
		case r == '\r' && i+1 < len(rs) && rs[i+1] == '\n':
			// CR LF is one line break: the LF writes the space.
		case isBreak(r):
			b.WriteByte(' ')
		case isControl(r), isBidiControl(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const (
	esc    = 0x1b
	c1DCS  = 0x90
	c1SOS  = 0x98
	c1CSI  = 0x9b
	c1ST   = 0x9c
	c1OSC  = 0x9d
	c1PM   = 0x9e
	c1APC  = 0x9f
	bel    = 0x07
	cancel = 0x18 // CAN and SUB abort a sequence in progress
	sub    = 0x1a
)

// isInert reports text that Clean returns as it is: valid UTF-8 without a
// control, a line break or a bidi control (escape sequences start with a
// control). Most text that is not plain ASCII (names with accents, other
// scripts) is, and is then not copied rune by rune.
func isInert(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isControl(r) || isBidiControl(r) || isBreak(r) {
			return false // invalid UTF-8 becomes U+FFFD; the others go
		}
		i += n
	}
	return true
}

// isBreak reports line and column breaks that become a space.
func isBreak(r rune) bool {
	switch r {
	case '\n', '\t', '\r', '\v', '\f', 0x85, 0x2028, 0x2029: // 0x85 is C1 NEL
		return true
	}
	return false
}

// isControl reports C0, DEL and C1 control characters.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }

// isBidiControl reports the explicit directional formatting characters:
// embeddings and overrides (LRE…RLO, PDF), isolates (LRI…PDI) and marks.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// skipEscape returns the index of the last rune of the escape sequence
// starting with the ESC at i.
func skipEscape(rs []rune, i int) int {
	j := i + 1
	if j >= len(rs) {
		return i // lone ESC at the end
	}
	switch c := rs[j]; {
	case c == '[':
		return skipCSI(rs, j+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(rs, j+1)
	case c >= 0x20 && c <= 0x2f:
		// nF escape (ESC ( B, ESC # 8, …): intermediates, then a final byte.
		for j < len(rs) && rs[j] >= 0x20 && rs[j] <= 0x2f {
			j++
		}
		if j < len(rs) && rs[j] >= 0x30 && rs[j] <= 0x7e {
			return j
		}
		return j - 1
	case c >= 0x30 && c <= 0x7e:
		return j // two-character escape: ESC 7, ESC c, ESC M, …
	default:
		// ESC before a control, DEL or non-ASCII: only the ESC goes; the
		// next rune is judged on its own (another ESC starts a new sequence).
		return i
	}
}

// skipCSI skips parameter (0x30–0x3F) and intermediate (0x20–0x2F) bytes up
// to the final byte (0x40–0x7E) and returns its index. Anything else ends
// the sequence before it, and that rune is judged on its own.
func skipCSI(rs []rune, j int) int {
	for ; j < len(rs); j++ {
		switch c := rs[j]; {
		case c >= 0x20 && c <= 0x3f:
		case c >= 0x40 && c <= 0x7e:
			return j
		default:
			return j - 1
		}
	}
	return len(rs) - 1
}

// skipString skips an OSC, DCS, SOS, PM or APC string up to its terminator
// (BEL, ST as ESC \ or 0x9C, or CAN/SUB) and returns the terminator's index.
// An ESC that does not start ST ends the string and starts a new sequence.
// An unterminated string runs to the end, as a terminal would swallow it.
func skipString(rs []rune, j int) int {
	for ; j < len(rs); j++ {
		switch rs[j] {
		case bel, c1ST, cancel, sub:
			return j
		case esc:
			if j+1 < len(rs) && rs[j+1] == '\\' {
				return j + 1
			}
			return j - 1
		}
	}
	return len(rs) - 1
}

// widths measures like a terminal in a non-CJK locale, whatever the
// process's locale says: an SSH server's environment must not change how
// every session's columns line up. Built per call; it holds no state.
func widths() *runewidth.Condition {
	return &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}
}

// Width is the display width of clean text in columns: wide (CJK, emoji)
// characters count two, combining marks and joined sequences as drawn.
func Width(s string) int { return widths().StringWidth(s) }

// Truncate cuts clean text to at most w columns, ending with "…" when cut.
// It never splits a character from its combining marks or a joined emoji.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	c := widths()
	if c.StringWidth(s) <= w {
		return s
	}
	return c.Truncate(s, w, "…")
}

// Fit truncates and pads clean text to exactly w columns (a wide character
// that would straddle the edge is replaced by padding).
func Fit(s string, w int) string {
	s = Truncate(s, w)
	if pad := w - Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}
