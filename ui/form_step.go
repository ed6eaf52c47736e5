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
