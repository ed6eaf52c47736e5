package usertable

import (
	"unicode"
	"unicode/utf8"
)

// Folding turns text into the search form both sides of a match are compared
// in: lowercase, accents and other combining marks removed, and a few letters
// that have no decomposition spelled out (ß→ss, æ→ae, ø→o, ł→l, …). It works
// rune by rune, so a folded row and a folded query agree whether the text
// arrived precomposed (é) or decomposed (e + U+0301), and so highlighting can
// map folded positions back to the runes on screen.

// latinFold holds the folded form of U+00C0…U+017F (Latin-1 Supplement and
// Latin Extended-A); "" marks a rune that folds to itself lowercased.
var latinFold = [...]string{
	// U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	// U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	// U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	// U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
	// U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	// U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	// U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	// U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	// U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	// U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	// U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	// U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
}

// greekFold removes tonos and dialytika and folds final sigma (U+0386…U+03CE).
var greekFold = map[rune]rune{
	'Ά': 'α', 'Έ': 'ε', 'Ή': 'η', 'Ί': 'ι', 'Ό': 'ο', 'Ύ': 'υ', 'Ώ': 'ω', 'ΐ': 'ι',
	'Ϊ': 'ι', 'Ϋ': 'υ', 'ά': 'α', 'έ': 'ε', 'ή': 'η', 'ί': 'ι', 'ΰ': 'υ', 'ς': 'σ',
	'ϊ': 'ι', 'ϋ': 'υ', 'ό': 'ο', 'ύ': 'υ', 'ώ': 'ω',
}

// isMark reports combining marks, which folding drops.
func isMark(r rune) bool {
	switch {
	case r >= 0x300 && r <= 0x36f, r >= 0x1ab0 && r <= 0x1aff,
		r >= 0x1dc0 && r <= 0x1dff, r >= 0x20d0 && r <= 0x20ff, r >= 0xfe20 && r <= 0xfe2f:
		return true
	}
	return r > 0x36f && unicode.Is(unicode.Mn, r)
}

// appendFold appends the folded form of r to dst.
func appendFold(dst []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		c := byte(r)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 0x20 || c == 0x7f {
			return dst // control characters never take part in a match
		}
		return append(dst, c)
	case r >= 0xc0 && r <= 0x17f:
		if f := latinFold[r-0xc0]; f != "" {
			return append(dst, f...)
		}
	case r >= 0x300 && r <= 0x36f:
		return dst
	case r >= 0x386 && r <= 0x3ce:
		if f, ok := greekFold[r]; ok {
			return utf8.AppendRune(dst, f)
		}
	case r == 0x401 || r == 0x451: // Ё ё
		return utf8.AppendRune(dst, 'е')
	case r == 0x1e9e: // ẞ
		return append(dst, "ss"...)
	case r >= 0x1ea0 && r <= 0x1ef9: // Vietnamese letters with marks
		return append(dst, vietnameseBase(r))
	case r >= 0xff21 && r <= 0xff3a: // fullwidth A–Z
		return append(dst, byte('a'+r-0xff21))
	case r >= 0xff41 && r <= 0xff5a: // fullwidth a–z
		return append(dst, byte('a'+r-0xff41))
	case r == 0x131: // dotless i
		return append(dst, 'i')
	}
	if isMark(r) {
		return dst
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// vietnameseBase is the base letter of U+1EA0…U+1EF9.
func vietnameseBase(r rune) byte {
	switch {
	case r <= 0x1eb7:
		return 'a'
	case r <= 0x1ec7:
		return 'e'
	case r <= 0x1ecb:
		return 'i'
	case r <= 0x1ee3:
		return 'o'
	case r <= 0x1ef1:
		return 'u'
	}
	return 'y'
}

// fold returns the folded form of s.
func fold(s string) string {
	return string(appendFoldString(make([]byte, 0, len(s)), s))
}

// appendFoldString appends the folded form of s to dst, with a fast path for
// ASCII, which most names and emails are.
func appendFoldString(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c >= 0x20 && c != 0x7f {
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = appendFold(dst, r)
		i += n
	}
	return dst
}
