package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// answerDialog is what a Cancel-first question shares (the save and create
// confirmations, a yes/no question): the confirm keys, two buttons with the
// focus starting on Cancel, the help they give, and what a press does —
// Cancel or esc closes the dialog, the other button closes it and sends the
// answer to the view that asked. Views embed it and draw their own body.
type answerDialog struct {
	viewBase
	askedBy int
	answer  tea.Msg
	keys    confirmKeys
	btn     buttons
}

// newAnswerDialog asks on behalf of the view askedBy; yes labels the button
// that sends answer.
func newAnswerDialog(c *Common, askedBy int, yes string, answer tea.Msg) answerDialog {
	return answerDialog{viewBase: newViewBase(c), askedBy: askedBy, answer: answer,
		keys: newConfirmKeys(c.bindings), btn: buttons{labels: []string{"Cancel", yes}}}
}

func (d *answerDialog) Init() tea.Cmd             { return nil }
func (d *answerDialog) ShortHelp() []key.Binding  { return d.keys.ShortHelp() }
func (d *answerDialog) FullHelp() [][]key.Binding { return d.keys.FullHelp() }

// press is the dialog's answer to msg: pop for Cancel, pop then the answer
// for the other button, nil for anything that decides nothing.
func (d *answerDialog) press(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch d.btn.press(k, d.keys) {
	case pressedCancel, 0:
		return pop
	case 1:
		answer := d.answer
		return inOrder(pop, address(d.askedBy, func() tea.Msg { return answer }))
	}
	return nil
}
