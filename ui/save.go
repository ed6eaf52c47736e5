package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// saveResultMsg is the answer of a save.
type saveResultMsg struct {
	user    crm.User
	changes crm.Changes
	err     error
}

// saveUser is the one path by which the UI writes a user: only the changed
// fields, in a command, under the edit view's context. (Conflict checks and
// undo hook in here.)
func saveUser(ctx context.Context, p crm.Provider, id string, changes crm.Changes) tea.Cmd {
	return func() tea.Msg {
		u, err := p.Update(ctx, id, changes)
		return saveResultMsg{user: u, changes: changes, err: err}
	}
}
