package termtext

import (
	"strings"
	"testing"
)

func TestCleanRemovesEscapesAndControls(t *testing.T) {
	cases := map[string]string{
		"Ada\x1b[31mRed\x1b[0m":          "AdaRed",
		"title\x1b]0;pwned\x07x":         "titlex",
		"clip\x1b]52;c;aGVsbG8=\x1b\\ok": "clipok",
		"a\u202eb":                       "ab",
		"line\nbreak\ttab":               "line break tab",
		"crlf\r\nonce":                   "crlf once",
		"bell\x07":                       "bell",
		"王芳":                             "王芳",
		// CSI with private parameters and intermediates
		"a\x1b[?1049hb":    "ab",
		"a\x1b[1 qb":       "ab", // DECSCUSR: intermediate space
		"a\x1b[>4;2mb":     "ab",
		"a\x1b[38;5;196mb": "ab",
		// CSI cut short by a non-ASCII rune or a control: the rune survives
		"a\x1b[12é": "aé",
		// OSC by BEL, by ST, by C1 ST; DCS, SOS, PM, APC
		"a\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\b": "alinkb",
		"a\x1bP+q544e\x1b\\b":                            "ab",
		"a\x1bXsos\x1b\\b":                               "ab",
		"a\x1b^pm\x1b\\b":                                "ab",
		"a\x1b_apc\x1b\\b":                               "ab",
		"a\x1b]0;t\u009cb":                               "ab",
		// an unterminated string swallows the rest, as a terminal would
		"a\x1b]0;never ends": "a",
		// ESC inside a string ends it and starts a new sequence
		"a\x1b]0;t\x1b[31mb": "ab",
		// two-character and nF escapes
		"a\x1b7b\x1b8c": "abc",
		"a\x1b(Bb":      "ab",
		"a\x1b#8b":      "ab",
		"a\x1bcb":       "ab",
		// lone ESC, ESC ESC, ESC before non-ASCII
		"end\x1b":    "end",
		"a\x1b\x1bb": "a",
		"a\x1bé":     "aé",
		// 8-bit C1 forms
		"a\u009b31mb":         "ab",
		"a\u009d0;title\x07b": "ab",
		"a\u0090dcs\u009cb":   "ab",
		"a\u0085b":            "a b", // NEL
		"a\u0084b":            "ab",
		// bidi: embeddings, overrides, isolates, marks
		"\u202bab\u202c\u2067cd\u2069\u200f\u061c": "abcd",
		// joiners and combining marks stay
		"👩\u200d💻 e\u0301": "👩\u200d💻 e\u0301",
		"a\u200cb":         "a\u200cb",
		// invalid UTF-8 shows as U+FFFD
		"a\xffb": "a\ufffdb",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncateByDisplayWidth(t *testing.T) {
	cases := []struct {
		in   string
		w    int
		want string
	}{
		{"Ada Lovelace", 5, "Ada …"},
		{"Ada", 5, "Ada"},
		{"王芳王芳", 5, "王芳…"},
		{"王芳王芳", 4, "王…"}, // 王 (2) + … (1); 芳 would straddle the edge
		{"e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"},
		{"👩\u200d💻👩\u200d💻👩\u200d💻", 5, "👩\u200d💻👩\u200d💻…"},
		{"anything", 0, ""},
	}
	for _, c := range cases {
		got := Truncate(c.in, c.w)
		if got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
		if Width(got) > c.w {
			t.Errorf("Truncate(%q, %d) is %d columns wide", c.in, c.w, Width(got))
		}
	}
}

func TestFitKeepsColumnsForWideAndCombiningText(t *testing.T) {
	for _, s := range []string{"王芳王芳", "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", "👩\u200d💻👩\u200d💻👩\u200d💻", "ab", "Zoë Åström"} {
		for w := 1; w <= 8; w++ {
			if got := Fit(s, w); Width(got) != w {
				t.Errorf("Fit(%q, %d) = %q, %d columns", s, w, got, Width(got))
			}
		}
	}
	// Combining marks stay with their letter when cut.
	if got := Fit("e\u0301e\u0301e\u0301", 2); !strings.HasPrefix(got, "e\u0301") {
		t.Errorf("Fit split a combining mark from its letter: %q", got)
	}
}

// cleanCases are texts for the fast paths: plain ASCII, other scripts,
// every kind of character Clean removes or changes, and invalid UTF-8.
var cleanCases = []string{
	"", "Ada Lovelace", "ada.0@example.com", "~ !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}",
	"Siân", "Łukasz", "Øyvind Ærø", "王芳", "김민준", "Ș" + "S\u0326", "e\u0301", "👩\u200d💻",
	"\ufffd literal", "\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "a\x00b", "a\x7fb",
	"a\u0085b", "a\u009bb", "a\u2028b", "a\u2029b", "a\u200eb", "a\u061cb", "a\u2066b\u2069",
	"Invoice \u202egnp.exe\u202c", "Walter\r\nWhite\tSr.", "\x1b[31mred\x1b[0m", "Mallory\u009d52;c;x\u009c",
}

// TestCleanFastPathIsTheSlowPath checks that Clean's fast path (text it
// returns untouched) gives what cleaning rune by rune gives.
func TestCleanFastPathIsTheSlowPath(t *testing.T) {
	for _, s := range cleanCases {
		if got, want := Clean(s), clean(s); got != want {
			t.Errorf("Clean(%q) = %q, rune by rune %q", s, got, want)
		}
		if isInert(s) && clean(s) != s {
			t.Errorf("%q is taken as inert, but cleaning changes it to %q", s, clean(s))
		}
	}
	if !isInert("Siân 王芳 e\u0301") || isInert("a\x1b") || isInert("a\xff") {
		t.Error("isInert misjudges plain text, an ESC or invalid UTF-8")
	}
}
