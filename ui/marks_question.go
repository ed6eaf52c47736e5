package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/ui/termtext"
)

// questionView asks one yes/no question in a dialog; the focus starts on
// Cancel. Choosing yes sends answer to the view that asked.
type questionView struct {
	viewBase
	backTo   int
	question string
	answer   tea.Msg
	keys     confirmKeys
	btn      buttons
}

func newQuestionView(c *Common, backTo int, question, yes string, answer tea.Msg) *questionView {
	return &questionView{viewBase: newViewBase(c), backTo: backTo, question: question, answer: answer,
		keys: newConfirmKeys(c.bindings), btn: buttons{labels: []string{"Cancel", yes}}}
}

func (v *questionView) Init() tea.Cmd             { return nil }
func (v *questionView) Title() string             { return "confirm" }
func (v *questionView) ShortHelp() []key.Binding  { return v.keys.ShortHelp() }
func (v *questionView) FullHelp() [][]key.Binding { return v.keys.FullHelp() }

func (v *questionView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	switch v.btn.press(k, v.keys) {
	case pressedCancel, 0:
		return v, pop
	case 1:
		answer := v.answer
		return v, inOrder(pop, address(v.backTo, func() tea.Msg { return answer }))
	}
	return v, nil
}

func (v *questionView) View() string {
	width := min(max(v.w-10, 20), 60)
	body := v.c.Styles.Section.Render(termtext.Truncate(v.question, width)) + "\n\n" + v.btn.view(v.c.Styles, true)
	return dialog(v.c, v.w, v.h, body)
}
