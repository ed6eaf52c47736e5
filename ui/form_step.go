package ui

import (
	"github.com/charmbracelet/bubbles/key"
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

// formInput is what every form view's Update does with its input: esc
// discards (asking first over unsaved input, see discardOrPop), the save
// key and the form's own completion both call submit, and any other key
// disarms the discard warning before the form gets it. Views handle their
// own messages and extra keys first, then hand the rest here.
func formInput(form **huh.Form, discard *bool, msg tea.Msg, cancel, save key.Binding, dirty func() bool, what string, submit func() tea.Cmd) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, cancel):
			return discardOrPop(dirty(), discard, what)
		case key.Matches(k, save):
			return submit()
		}
		*discard = false
	}
	var cmd tea.Cmd
	var done bool
	if *form, cmd, done = stepForm(*form, msg); done {
		return tea.Batch(cmd, submit())
	}
	return cmd
}
