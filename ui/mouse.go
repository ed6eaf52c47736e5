package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// The mouse is off unless the config's mouse = true or --mouse turns it on
// (reporting it takes the terminal's own selection away). Then a click
// selects a row, a double click opens it, the wheel scrolls and a click on
// a column header sorts (mouse_list.go); elsewhere the wheel moves as the
// arrow keys do.

// wheelStep is how many rows one notch of the wheel moves.
const wheelStep = 3

// doubleClick is the longest time between the two presses of a double
// click (the common desktop default). Bubble Tea v1 reports presses only,
// so the root counts them; tests set the clock (Common.now).
const doubleClick = 500 * time.Millisecond

// mouseTaker is a view with its own mouse handling; y is the line of its
// View, x the column.
type mouseTaker interface {
	onMouse(msg tea.MouseMsg, x, y int) tea.Cmd
}

// onMouse routes a mouse event: nothing while a question, the command line
// or (for clicks) the help is up; the wheel scrolls the help; the rest goes
// to the top view in its own coordinates (below the title bar).
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if !m.c.mouse || m.askQuit != askNothing || m.cmdline.open {
		return nil
	}
	wheel := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		wheel = -1
	case tea.MouseButtonWheelDown:
		wheel = 1
	}
	if m.showHelp {
		switch wheel {
		case -1:
			m.helpPane.ScrollUp(wheelStep)
		case 1:
			m.helpPane.ScrollDown(wheelStep)
		}
		return nil
	}
	y := msg.Y - 1 // the title bar
	if y < 0 || y >= m.c.Height {
		return nil
	}
	if t, ok := m.top().(mouseTaker); ok {
		return t.onMouse(msg, msg.X, y)
	}
	// Views without their own handling scroll with the wheel as with the
	// arrow keys, unless a text input has the keys.
	if ic, ok := m.top().(inputCapturer); wheel == 0 || ok && ic.CapturesInput() {
		return nil
	}
	k := tea.KeyMsg{Type: tea.KeyDown}
	if wheel < 0 {
		k.Type = tea.KeyUp
	}
	var cmds []tea.Cmd
	for range wheelStep {
		cmds = append(cmds, m.handleKey(k))
	}
	return tea.Batch(cmds...)
}

// clickCounter tells a double click from two clicks: a press on the same
// target within doubleClick of the last one.
type clickCounter struct {
	at     time.Time
	target int
}

// press records a press on target at now and reports whether it completes
// a double click (a third press starts over).
func (c *clickCounter) press(target int, now time.Time) bool {
	double := !c.at.IsZero() && c.target == target && now.Sub(c.at) <= doubleClick
	if double {
		c.at = time.Time{}
		return true
	}
	c.at, c.target = now, target
	return false
}
