package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// At 40x10 the delete dialog is taller than the screen; it must still show
// whom it deletes, the confirmation input and both buttons (issue 12 item
// 18: they were below the screen).
func TestDeleteDialogFitsA40x10Terminal(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	openFirstUser(t, d)
	d.apply(tea.WindowSizeMsg{Width: 40, Height: 10})
	d.key("d")
	v := d.waitFor("This cannot be undone") // the dialog's re-read answered
	for _, want := range []string{"ada.0@example.com", "10000", "> Cancel <", "[ Delete ]"} {
		if !strings.Contains(v, want) {
			t.Errorf("the dialog at 40x10 hides %q:\n%s", want, v)
		}
	}
	if n := strings.Count(v, "\n") + 1; n > 10 {
		t.Errorf("the screen is %d lines, want at most 10:\n%s", n, v)
	}
	golden.RequireEqual(t, []byte(v))
}

// At 40x10 a change at the end of a long value must show in the save
// confirmation: it read "Account E… → Account E…" (issue 12 item 18).
func TestSaveConfirmationShowsTheDifferenceAt40x10(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	openFirstUser(t, d)
	d.apply(tea.WindowSizeMsg{Width: 40, Height: 10})
	editTitle(d, "Account Executive II")
	d.key("ctrl+s")
	v := d.waitFor("Save changes to")
	if !strings.Contains(v, "ive → ") || !strings.Contains(v, "ive II") {
		t.Errorf("the confirmation hides where the title changes:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
}

// The undo dialog draws its old → new lines as the save confirmation does:
// at 40x10 a change at the end of a long value stays on screen (it read
// "Account E… → Account E…" there too).
func TestUndoShowsTheDifferenceAt40x10(t *testing.T) {
	d, _, _ := editingFirstUser(t, "Account Executive II")
	saveAndConfirm(d)
	d.waitFor("saved Ada Lovelace: Title")
	d.apply(tea.WindowSizeMsg{Width: 40, Height: 10})
	d.key("u")
	v := d.waitFor("Undo your last")
	if !strings.Contains(v, "ive II → ") {
		t.Errorf("the undo dialog hides where the title changes:\n%s", v)
	}
}

// A nested value too wide for a narrow detail wraps as readable text, not
// indented JSON (issue 12 item 23: "[", "{", "\"email\":" at 40 columns).
func TestNestedValuesStayReadableWhenNarrow(t *testing.T) {
	sv := showValue([]any{map[string]any{"email": "ada.0@example.com", "type": "primary", "id": "10000-e1"}}, 22, false)
	for _, bad := range []string{"[", "{", `"email"`} {
		if strings.Contains(sv.text, bad) {
			t.Errorf("narrow nested value shows JSON (%q):\n%s", bad, sv.text)
		}
	}
	if !strings.Contains(sv.text, "ada.0@example.com") || !strings.Contains(sv.text, "primary") {
		t.Errorf("narrow nested value lost its text:\n%s", sv.text)
	}
}

// The first esc over unsaved bulk edits is a warning, never shown with a
// success tick (issue 12 item 22: the bulk and create forms said
// "✓ unsaved edits: press esc again…").
func TestBulkEditUnsavedWarningIsNoSuccess(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	markFirst(d, 3)
	d.key("e")
	d.waitFor("Edit 3 marked users")
	for range 4 {
		d.key("tab")
	}
	d.waitFor("┃ Department")
	d.typeText("Platform")
	d.key("esc")
	v := d.waitFor("press esc again")
	if strings.Contains(v, "✓ unsaved") || !strings.Contains(v, "! unsaved edits") {
		t.Errorf("the unsaved-edits warning should carry '!', not a tick:\n%s", v)
	}
}
