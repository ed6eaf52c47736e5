package ui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// stepForm passes msg to a huh form and says whether the admin has just
// completed it: the one way every form view (edit, create, bulk edit,
// export, find) drives its form.
func stepForm(f *huh.Form, msg tea.Msg) (*huh.Form, tea.Cmd, bool) {
	m, cmd := f.Update(msg)
	if next, ok := m.(*huh.Form); ok {
		f = next
	}
	return f, cmd, f.State == huh.StateCompleted
}

// discardOrPop is esc in a form: with unsaved input the first esc only
// warns (a notice, never a success tick) and arms warned; the next closes
// the view. A key other than esc disarms it (the view sets warned false).
func discardOrPop(dirty bool, warned *bool, what string) tea.Cmd {
	if dirty && !*warned {
		*warned = true
		return notice("unsaved " + what + ": press esc again to discard them")
	}
	return pop
}
