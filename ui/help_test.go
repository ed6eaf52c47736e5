package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/guard"
)

// Issue 12 item 22: help opens on every screen, including the edit form,
// the delete confirmation and find by identity, where ? used to be typed
// into the field. f1 opens it over any input; ? where the field takes none.
func TestHelpOnEveryScreen(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	open := func(k, title, want string) {
		t.Helper()
		d.key(k)
		v := d.waitFor("Keys: " + title)
		if !strings.Contains(v, want) {
			t.Errorf("help of %s lacks %q:\n%s", title, want, v)
		}
		d.key("x") // any other key closes it
		if v := d.m.View(); strings.Contains(v, "Keys: ") {
			t.Errorf("help stayed open:\n%s", v)
		}
	}
	open("?", "sales users", "next page")
	d.key("enter")
	d.waitFor("Email (primary)")
	open("?", "Ada Lovelace", "reload")
	d.key("d")
	d.waitFor("Delete this user?")
	open("?", "delete?", "choose") // the email has no ?, so ? is not typed
	if v := d.m.View(); strings.Contains(v, "> ?") {
		t.Errorf("? was typed into the confirmation:\n%s", v)
	}
	d.key("esc")
	d.waitFor("e edit")
	d.key("e")
	d.waitFor("Edit ")
	open("f1", "edit", "ctrl+s")
	d.key("?") // in a text field ? is a character
	if v := d.m.View(); strings.Contains(v, "Keys: ") {
		t.Errorf("? in a text field opened help:\n%s", v)
	}
}

// Find by identity starts on the identity-type choice: ? is help there.
func TestHelpOnFind(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, laurelAt(t, url))
	d.key("f")
	d.waitFor("Find a user by identity")
	d.key("?")
	d.waitFor("Keys: find by identity")
}

// At 40x10 the list's help does not fit: it scrolls, and says how.
func TestHelpScrollsOnASmallTerminal(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.apply(tea.WindowSizeMsg{Width: 40, Height: 10})
	d.key("?")
	top := d.waitFor("Keys: sales users")
	golden.RequireEqual(t, []byte(top))
	for range 60 {
		d.key("down")
	}
	v := d.m.View()
	if !strings.Contains(v, "quit") {
		t.Errorf("the end of the help should be reachable:\n%s", v)
	}
}

// Warnings and no-ops are not shown with a success tick.
func TestNoticeIsNotASuccess(t *testing.T) {
	d, _, _ := editingFirstUser(t, "Chief Tester")
	d.key("esc")
	v := d.waitFor("unsaved edits")
	if line := lineWith(t, v, "unsaved edits"); strings.Contains(line, "✓") || !strings.HasPrefix(strings.TrimSpace(line), "!") {
		t.Errorf("a warning shown as a success: %q", line)
	}
}

// "1 match", "2 matches".
func TestFilterCountsMatchesInEnglish(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("/")
	d.typeText("ada lovelace")
	d.waitFor("· 1 match")
	d.key("esc")
	d.key("/")
	d.typeText("ma")
	v := d.waitFor(" matches")
	if strings.Contains(v, " match ·") || strings.Contains(v, " match\n") {
		t.Errorf("plural:\n%s", lineWith(t, v, "match"))
	}
}

// A viewer pressing e or d is told why nothing happens.
func TestViewerIsToldWhy(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{guard.Wrap(p, guard.Viewer, false)}, Role: "viewer", Who: "vera"})
	openFirstUser(t, d)
	d.key("e")
	d.waitFor("! cannot edit users in sales as viewer")
	d.key("d")
	d.waitFor("! cannot delete users in sales as viewer")
}
