package ui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// Component is one view on the root model's stack.
type Component interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
	// ID is the view's number, used to address async results to it.
	ID() int
	// Title is the view's part of the breadcrumb.
	Title() string
	// Close cancels the view's requests; the root calls it on pop.
	Close()
}

// Optional behaviours a component may have.
type (
	// statusReporter adds a segment to the status bar (page, counts).
	statusReporter interface{ Status() string }
	// busyReporter says what is loading; the root spins while non-empty.
	busyReporter interface{ Busy() string }
	// inputCapturer is true while a text input has focus, so that global
	// keys such as q and ? are typed instead of acted on.
	inputCapturer interface{ CapturesInput() bool }
	// runeTaker says which runes a capturing view's input can hold: a key
	// it cannot take (? in a delete confirmation whose email has none) is
	// a global key there after all.
	runeTaker interface{ TakesRune(r rune) bool }
	// dirtyReporter is true when leaving would lose edits.
	dirtyReporter interface{ Dirty() bool }
)

// Messages between views and the root.
type (
	// pushMsg opens a view on top of the stack.
	pushMsg struct{ c Component }
	// popMsg closes the top view.
	popMsg struct{}
	// popToMsg closes views until the one with id is on top.
	popToMsg struct{ id int }
	// statusMsg sets the message line: a success (✓), a notice (!) for
	// warnings and things that did nothing, or an error (✗).
	statusMsg struct {
		text   string
		err    bool
		notice bool
	}
	// toView carries an async result to the view that asked for it; it is
	// dropped when that view has closed.
	toView struct {
		id  int
		msg tea.Msg
	}
	// userSavedMsg tells every view that a user changed.
	userSavedMsg struct{ user crm.User }
	// userDeletedMsg tells every view that a user is gone.
	userDeletedMsg struct{ id string }
)

func push(c Component) tea.Cmd { return func() tea.Msg { return pushMsg{c} } }
func pop() tea.Msg             { return popMsg{} }
func popTo(id int) tea.Cmd     { return func() tea.Msg { return popToMsg{id} } }
func info(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text} }
}

// notice says something that is not a success: a warning, or why a key did
// nothing. It is never shown with a success tick.
func notice(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, notice: true} }
}
func failure(err error) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: errText(err), err: true} }
}
func broadcast(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// address wraps a command's result for the view with id.
func address(id int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return toView{id: id, msg: msg}
	}
}
