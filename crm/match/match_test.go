package match

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Issue 12 item 20: accents of every script fold, and the result does not
// depend on whether text or query is stored NFC or NFD.
func TestFoldEveryScriptBothForms(t *testing.T) {
	cases := []struct{ query, name string }{
		{"truong", "Trường Nguyễn"},
		{"duong", "Dương Văn"},
		{"stefan", "Ștefan Ionescu"},
		{"tiriac", "Ion Țiriac"},
		{"novakova", "Jana Nováková"},
		{"ștefan", "Ștefan Ionescu"},
		{"сергей", "Сергей Петров"},
		{"СЕРГЕЙ", "сергей петров"},
		{"김", "김민준"},
		{"zoe", "Zoë Saldaña"},
		{"strasse", "Hauptstraße"},
		{"lodz", "Łódź"},
		{"soren", "Søren"},
		{"ελενη", "Ελένη"},
		{"ΟΔΥΣΣΕΑΣ", "Οδυσσέας"},
		{"sigma", "SIGMA"},
		{"ab", "ＡＢ"}, // fullwidth
	}
	forms := []struct {
		name string
		f    norm.Form
	}{{"NFC", norm.NFC}, {"NFD", norm.NFD}}
	for _, c := range cases {
		for _, tf := range forms {
			for _, qf := range forms {
				text, q := tf.f.String(c.name), qf.f.String(c.query)
				if !New(q).Match(text) {
					t.Errorf("query %q (%s) does not find %q (%s): %q vs %q", c.query, qf.name, c.name, tf.name, Fold(q), Fold(text))
				}
			}
		}
		if Fold(norm.NFC.String(c.name)) != Fold(norm.NFD.String(c.name)) {
			t.Errorf("%q folds differently in NFC and NFD", c.name)
		}
	}
}

func TestNoFalseMatches(t *testing.T) {
	for _, c := range []struct{ query, text string }{
		{"ada", "Grace Hopper"},
		{"ada lovelace", "Ada Byron"},
	} {
		if New(c.query).Match(c.text) {
			t.Errorf("%q matched %q", c.query, c.text)
		}
	}
	if New("ab").Match("a", "b") {
		t.Error("a word spanned two texts")
	}
	if !New("").Match("anything") {
		t.Error("empty query must match")
	}
}

// Folding rune by rune equals folding the whole text, and never yields a
// zero byte (the console's key separator).
func TestFoldRuneByRune(t *testing.T) {
	for _, s := range []string{"Trường", norm.NFD.String("Ștefan Țiriac"), "김민준", "Hauptstraße", "a\x00b\x7f"} {
		var b []byte
		for _, r := range s {
			b = AppendFoldRune(b, r)
		}
		if string(b) != Fold(s) {
			t.Errorf("%q: rune by rune %q, whole %q", s, b, Fold(s))
		}
		for _, c := range b {
			if c == 0 {
				t.Errorf("%q folds to a zero byte", s)
			}
		}
	}
}

func BenchmarkFoldASCII(b *testing.B) {
	for b.Loop() {
		_ = Fold("Ada Lovelace ada.lovelace@example.com Account Executive")
	}
}

func BenchmarkFoldAccented(b *testing.B) {
	for b.Loop() {
		_ = Fold("Trường Nguyễn truong.nguyen@example.vn Giám đốc")
	}
}
