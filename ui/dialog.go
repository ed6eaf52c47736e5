package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
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
	return placeDialog(c.Styles.Box.MaxWidth(w), w, h, body)
}

// fixedDialog is dialog with a box of a set content width, for bodies that
// change as the admin types (the box must not grow under their fingers).
func fixedDialog(c *Common, w, h, width int, body string) string {
	return placeDialog(c.Styles.Box.Width(width+c.Styles.Box.GetHorizontalPadding()).MaxWidth(w), w, h, body)
}

// placeDialog boxes body and centres it. A terminal too short for the box
// must never hide what is being confirmed or the input and buttons that
// confirm it (they are a dialog's last lines), so the dialog gives up, in
// turn, its blank lines, its border, and then the lines just below its
// title until the rest fits.
func placeDialog(box lipgloss.Style, w, h int, body string) string {
	out := box.Render(body)
	if h > 0 && lipgloss.Height(out) > h {
		body = withoutBlankLines(body)
		if out = box.Render(body); lipgloss.Height(out) > h {
			out = keepTitleAndEnd(lipgloss.NewStyle().MaxWidth(w).Render(body), h)
		}
	}
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, out, lipgloss.WithWhitespaceChars(" "))
}

func withoutBlankLines(s string) string {
	var kept []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(ansi.Strip(l)) != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// keepTitleAndEnd keeps the first line and the last h-1 lines of s.
func keepTitleAndEnd(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= h || h < 2 {
		return strings.Join(lines[max(0, len(lines)-max(h, 1)):], "\n")
	}
	return strings.Join(append(lines[:1:1], lines[len(lines)-(h-1):]...), "\n")
}
