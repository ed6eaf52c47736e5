package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// together is keys as Bubble Tea v1 delivers several runes read at once:
// one KeyMsg with all of them.
func together(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// Issue 12 item 12: "jjj" arriving in one read moves three rows.
func TestKeysArrivingTogetherAllCount(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.apply(together("jjj"))
	if got := d.m.(*Model).top().(*listView).table.Cursor(); got != 3 {
		t.Fatalf("cursor on row %d after jjj, want 3 (the fourth row)", got+1)
	}
	compareAtSizes(t, d, "> ")
}

// Once a key opens a text input, the rest of the runes are typed into it.
func TestKeysTogetherTypeIntoTheInputTheyOpen(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.apply(together("j/ada"))
	v := d.waitFor("/ ada")
	if l := d.m.(*Model).top().(*listView); l.query.Value() != "ada" {
		t.Errorf("filter is %q, want ada:\n%s", l.query.Value(), v)
	}
}
