package ui

import "github.com/charmbracelet/bubbles/key"

// GlobalKeys work in every view (the root handles them).
type GlobalKeys struct {
	Quit key.Binding
	// ForceQuit is only for help while typing, where q is a letter.
	ForceQuit key.Binding
	Help      key.Binding
	// TypedHelp is help while typing, where ? may be a character.
	TypedHelp key.Binding
	Back      key.Binding
	Command   key.Binding // the : prompt
	Messages  key.Binding
}

func newGlobalKeys(kb keyBindings) GlobalKeys {
	k := GlobalKeys{
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		TypedHelp: key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "help")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Command:   key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		Messages:  key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "messages")),
	}
	kb.remap(&k)
	return k
}

func (k GlobalKeys) ShortHelp() []key.Binding { return []key.Binding{k.Back, k.Help, k.Quit} }
func (k GlobalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Back, k.Help, k.TypedHelp, k.Command, k.Messages, k.Quit}}
}
