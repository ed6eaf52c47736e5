package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/ui/termtext"
)

// questionView asks one yes/no question in a dialog; the focus starts on
// Cancel. Choosing yes sends answer to the view that asked.
type questionView struct {
	answerDialog
	question string
}

func newQuestionView(c *Common, backTo int, question, yes string, answer tea.Msg) *questionView {
	return &questionView{answerDialog: newAnswerDialog(c, backTo, yes, answer), question: question}
}

func (v *questionView) Title() string                           { return "confirm" }
func (v *questionView) Update(msg tea.Msg) (Component, tea.Cmd) { return v, v.press(msg) }

func (v *questionView) View() string {
	width := min(max(v.w-10, 20), 60)
	body := v.c.Styles.Section.Render(termtext.Truncate(v.question, width)) + "\n\n" + v.btn.view(v.c.Styles, true)
	return dialog(v.c, v.w, v.h, body)
}
