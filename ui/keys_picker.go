package ui

import "github.com/charmbracelet/bubbles/key"

type pickerKeys struct {
	Up, Down, Choose key.Binding
}

func newPickerKeys(kb keyBindings) pickerKeys {
	k := pickerKeys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open provider")),
	}
	kb.remap(&k)
	return k
}

func (k pickerKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down, k.Choose} }
func (k pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Up, k.Down, k.Choose}} }
