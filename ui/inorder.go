package ui

import tea "github.com/charmbracelet/bubbletea"

// inOrder runs cmds one after another, what tea.Sequence does, but through
// messages of our own that the root model steps: each command's message is
// handled before the next command starts. Tests drive Update directly (the
// driver) and see exactly these steps, with no need to unpack Bubble Tea's
// unexported sequence type; the program runs the same code. Each command
// still runs as a tea.Cmd, off the UI goroutine.
func inOrder(cmds ...tea.Cmd) tea.Cmd {
	return nextInOrder(cmds)
}

// inOrderMsg is a command's message and the commands still to run after it.
type inOrderMsg struct {
	msg  tea.Msg
	rest []tea.Cmd
}

// nextInOrder runs the first command of cmds (nil ones skipped) and carries
// the rest with its message; nil when none is left.
func nextInOrder(cmds []tea.Cmd) tea.Cmd {
	for i, cmd := range cmds {
		if cmd == nil {
			continue
		}
		rest := cmds[i+1:]
		return func() tea.Msg { return inOrderMsg{msg: cmd(), rest: rest} }
	}
	return nil
}

// stepInOrder handles one step: the message as if it came alone, then the
// next command. A step that is itself a batch starts its commands and goes
// on (Bubble Tea would wait for them; nothing here sequences a batch).
func (m *Model) stepInOrder(msg inOrderMsg) (tea.Model, tea.Cmd) {
	next := nextInOrder(msg.rest)
	switch inner := msg.msg.(type) {
	case nil:
		return m, next
	case tea.BatchMsg:
		return m, tea.Batch(tea.Batch(inner...), next)
	}
	model, cmd := m.Update(msg.msg)
	return model, tea.Batch(cmd, next)
}
