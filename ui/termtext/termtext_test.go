package termtext

import "testing"

func TestCleanRemovesEscapesAndControls(t *testing.T) {
	cases := map[string]string{
		"Ada\x1b[31mRed\x1b[0m":          "AdaRed",
		"title\x1b]0;pwned\x07x":         "titlex",
		"clip\x1b]52;c;aGVsbG8=\x1b\\ok": "clipok",
		"a\u202eb":                       "ab",
		"line\nbreak\ttab":               "line break tab",
		"bell\x07":                       "bell",
		"王芳":                             "王芳",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFitKeepsColumnsForWideText(t *testing.T) {
	if got := Fit("王芳王芳", 5); Width(got) != 5 {
		t.Fatalf("Fit width = %d (%q), want 5", Width(got), got)
	}
}
