package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClean checks what the UI relies on for any provider text: nothing
// that steers a terminal survives, the text never gets wider (line breaks
// aside, which become one space each), and cleaning twice changes nothing.
// Seeds are in testdata/fuzz/FuzzClean.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"Ada Lovelace", "王芳", "\x1b]52;c;aGk=\x07", "\x1b[31mred", "e\u0301", "👩\u200d💻"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if slow := clean(in); out != slow {
			t.Fatalf("Clean(%q) = %q, rune by rune %q", in, out, slow)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q: invalid UTF-8", in, out)
		}
		for _, r := range out {
			if isControl(r) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
				t.Fatalf("Clean(%q) = %q keeps %U", in, out, r)
			}
		}
		breaks := 0
		for _, r := range in {
			if isBreak(r) {
				breaks++
			}
		}
		if wo, wi := Width(out), Width(in); wo > wi+breaks {
			t.Fatalf("Clean(%q) = %q is %d columns, input %d (+%d breaks)", in, out, wo, wi, breaks)
		}
		if again := Clean(out); again != out {
			t.Fatalf("Clean is not idempotent: %q → %q → %q", in, out, again)
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("ESC survived in %q", out)
		}
	})
}
