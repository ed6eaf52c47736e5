package ui

import "github.com/charmbracelet/bubbles/key"

type detailKeys struct {
	Up, Down, PageDown, PageUp key.Binding
	Edit, Delete, Reload, Undo key.Binding
	Toggle, NextFold           key.Binding
}

func newDetailKeys(kb keyBindings) detailKeys {
	k := detailKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f"), key.WithHelp("pgdn", "page down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Delete:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		Toggle:   key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter/space", "expand/fold")),
		NextFold: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next folded field")),
		Undo:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
	}
	kb.remap(&k)
	return k
}

func (k detailKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Edit, k.Undo, k.Delete, k.Reload, k.Toggle}
}
func (k detailKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageDown, k.PageUp}, {k.Toggle, k.NextFold}, {k.Edit, k.Undo, k.Delete, k.Reload}}
}
