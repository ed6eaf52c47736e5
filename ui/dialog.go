package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// buttons is a row of dialog buttons; index 0 is Cancel and has the focus
// first, so enter alone never does the dangerous thing.
type buttons struct {
	labels  []string
	focus   int              // -1: no button has the focus
	enabled func(i int) bool // nil: all enabled
}

func (b *buttons) move(delta int) {
	n := len(b.labels)
	for step := 0; step < n; step++ {
		b.focus = (b.focus + delta + n) % n
		if b.enabled == nil || b.enabled(b.focus) {
			return
		}
	}
}

// What buttons.press returns besides a button's index.
const (
	pressedNothing = -2 // the key moved the focus, or is not the dialog's
	pressedCancel  = -1 // esc
)

// press is the confirm dialogs' keys: Switch moves the focus (← and
// shift+tab backwards), Activate chooses the focused button, Cancel
// cancels.
func (b *buttons) press(k tea.KeyMsg, keys confirmKeys) int {
	switch {
	case key.Matches(k, keys.Cancel):
		return pressedCancel
	case key.Matches(k, keys.Switch):
		b.move(switchStep(k))
	case key.Matches(k, keys.Activate):
		return b.focus
	}
	return pressedNothing
}

// switchStep is the direction a Switch key moves the focus.
func switchStep(k tea.KeyMsg) int {
	if s := k.String(); s == "left" || s == "shift+tab" {
		return -1
	}
	return 1
}

func (b *buttons) view(s Styles, danger bool) string {
	var out []string
	for i, l := range b.labels {
		st := s.Button
		switch {
		case i == b.focus && i > 0 && danger:
			st = s.Danger
		case i == b.focus:
			st = s.ButtonOn
		}
		if b.enabled != nil && !b.enabled(i) {
			st = s.Button.Faint(true)
		}
		label := "[ " + l + " ]"
		if i == b.focus {
			label = "> " + l + " <"
		}
		out = append(out, st.Render(label))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}

// dialog centres a boxed body in the view.
func dialog(c *Common, w, h int, body string) string {
	box := c.Styles.Box.MaxWidth(w).Render(body)
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box, lipgloss.WithWhitespaceChars(" "))
}

// fixedDialog is dialog with a box of a set content width, for bodies that
// change as the admin types (the box must not grow under their fingers).
func fixedDialog(c *Common, w, h, width int, body string) string {
	box := c.Styles.Box.Width(width + c.Styles.Box.GetHorizontalPadding()).MaxWidth(w).Render(body)
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box, lipgloss.WithWhitespaceChars(" "))
}
