package ui

import "github.com/charmbracelet/bubbles/key"

// confirmKeys drive the save and delete dialogs; focus starts on Cancel.
type confirmKeys struct {
	Switch, Activate, Cancel key.Binding
}

func newConfirmKeys(kb keyBindings) confirmKeys {
	k := confirmKeys{
		Switch:   key.NewBinding(key.WithKeys("tab", "shift+tab", "left", "right"), key.WithHelp("tab/←/→", "switch")),
		Activate: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
	kb.remap(&k)
	return k
}

func (k confirmKeys) ShortHelp() []key.Binding { return []key.Binding{k.Switch, k.Activate, k.Cancel} }
func (k confirmKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Switch, k.Activate, k.Cancel}}
}
