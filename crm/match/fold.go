// Package match is Roster's one text matcher: `/` in the console, the
// narrowing of every server search, the CLI's --query and person find all
// compare text in the folded form this package defines, so a query finds
// the same users wherever it is typed.
//
// Folding is case-insensitive, accent-insensitive in every script, and
// independent of Unicode normal form: each rune is decomposed (NFKD), its
// combining marks dropped and the rest lowercased. Text stored precomposed
// (NFC: "Ș" U+0218) and decomposed (NFD: "S" + U+0326, common from macOS
// clients) therefore fold to the same bytes, and so do the two forms of a
// query. Letters that carry their "accent" without a decomposition (ß, æ,
// ø, ł, đ, …) have their usual Latin spelling. ASCII takes a fast path.
package match

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the folded form of s.
func Fold(s string) string {
	return string(AppendFold(make([]byte, 0, len(s)), s))
}

// AppendFold appends the folded form of s to dst. Folding never produces a
// zero byte or any other control character, so callers may use them as
// separators.
func AppendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // fast path: most names and emails are ASCII
			dst = AppendFoldASCII(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = AppendFoldRune(dst, r)
		i += n
	}
	return dst
}

// AppendFoldASCII appends the folded form of one ASCII byte (c <
// utf8.RuneSelf): A–Z lowered, controls and DEL dropped, the rest as it is.
func AppendFoldASCII(dst []byte, c byte) []byte {
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	if c >= 0x20 && c != 0x7f {
		dst = append(dst, c)
	}
	return dst
}

// AppendFoldRune appends the folded form of one rune (possibly nothing, for
// a combining mark, or several bytes, for ß). Folding rune by rune gives the
// same bytes as folding the whole text, so a highlighter can map folded
// positions back to runes on screen.
func AppendFoldRune(dst []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		c := byte(r)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 0x20 || c == 0x7f {
			return dst // control characters never take part in a match
		}
		return append(dst, c)
	}
	if s, ok := letterFold(r); ok {
		return append(dst, s...)
	}
	if IsMark(r) || unicode.IsControl(r) || r == utf8.RuneError {
		return dst
	}
	var one [utf8.UTFMax]byte
	enc := utf8.AppendRune(one[:0], r)
	d := norm.NFKD.Properties(enc).Decomposition()
	if d == nil && r >= 0xac00 && r <= 0xd7a3 {
		// Hangul syllables decompose by algorithm, not by table
		var dec [3 * utf8.UTFMax]byte
		d = norm.NFD.Append(dec[:0], enc...)
	}
	if d == nil {
		return utf8.AppendRune(dst, unicode.ToLower(r)) // no decomposition
	}
	for j := 0; j < len(d); {
		x, n := utf8.DecodeRune(d[j:])
		j += n
		switch {
		case x < utf8.RuneSelf:
			dst = AppendFoldRune(dst, x)
		case IsMark(x):
		default:
			if s, ok := letterFold(x); ok {
				dst = append(dst, s...)
			} else {
				dst = utf8.AppendRune(dst, unicode.ToLower(x))
			}
		}
	}
	return dst
}

// IsMark reports combining marks (accents, the Vietnamese horn, the
// Romanian comma below, …), which folding drops.
func IsMark(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r)
}

// letterFold spells letters that have no decomposition but are read as a
// base letter with a mark or a ligature.
func letterFold(r rune) (string, bool) {
	switch r {
	case 'ß', 'ẞ':
		return "ss", true
	case 'æ', 'Æ':
		return "ae", true
	case 'œ', 'Œ':
		return "oe", true
	case 'ø', 'Ø':
		return "o", true
	case 'ł', 'Ł', 'ŀ', 'Ŀ':
		return "l", true
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d", true
	case 'þ', 'Þ':
		return "th", true
	case 'ħ', 'Ħ':
		return "h", true
	case 'ŧ', 'Ŧ':
		return "t", true
	case 'ı':
		return "i", true
	case 'ĸ':
		return "k", true
	case 'ŉ':
		return "n", true
	case 'ς':
		return "σ", true
	}
	return "", false
}
