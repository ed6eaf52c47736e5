package ui

import "github.com/charmbracelet/bubbles/key"

type editKeys struct {
	Next, Prev, Submit, Retry, Cancel key.Binding
}

func newEditKeys(kb keyBindings) editKeys {
	k := editKeys{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Submit: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Retry:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "retry save"), key.WithDisabled()),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "discard")),
	}
	kb.remap(&k)
	return k
}

func (k editKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Submit, k.Retry, k.Cancel}
}
func (k editKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev}, {k.Submit, k.Retry, k.Cancel}}
}

// lookupKeys are the find-by-identity form's: the form moves and submits
// (huh), esc leaves without looking anything up.
type lookupKeys struct {
	Next, Submit, Cancel key.Binding
}

func newLookupKeys(kb keyBindings) lookupKeys {
	k := lookupKeys{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next, then find")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
	kb.remap(&k)
	return k
}

func (k lookupKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Next, k.Submit, k.Cancel} }
func (k lookupKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
