package ui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// saveResultMsg is the answer of a save.
type saveResultMsg struct {
	original crm.User // the user the save was checked against
	changes  crm.Changes
	user     crm.User // saved; on a conflict the user as it is now
	err      error
	undoOf   int // the undo entry this save reverts, 0 for an edit
}

// conflict is the save's *crm.ConflictError, or nil.
func (m saveResultMsg) conflict() *crm.ConflictError {
	var ce *crm.ConflictError
	if errors.As(m.err, &ce) {
		return ce
	}
	return nil
}

// partial says the provider saved some fields and failed on others
// (Laurel saves properties and status with separate requests).
func (m saveResultMsg) partial() bool {
	return m.err != nil && m.user.ID != "" && m.conflict() == nil
}

// saveUser is the one path by which the UI writes a user: it re-reads the
// user and writes only if nobody changed it since original was read
// (crm.CheckedUpdate), sending only the changed fields, as a tracked
// request under the asking view's context.
func (c *Common) saveUser(ctx context.Context, original crm.User, changes crm.Changes, undoOf int) tea.Cmd {
	p := c.Provider
	return c.requests.write(ctx, "save", func(ctx context.Context) tea.Msg {
		u, err := crm.CheckedUpdate(ctx, p, original, changes)
		return saveResultMsg{original: original, changes: changes, user: u, err: err, undoOf: undoOf}
	})
}

// fieldLabels are the fields' labels in the provider's schema, sanitised
// (the key when the schema has no such field). Providers build the schema
// on every call, so dialogs ask once when they open, not on every frame.
func (c *Common) fieldLabels(keys []string) []string {
	var schema crm.Schema
	if c.Provider != nil {
		schema = c.Provider.Schema()
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = clean(k)
		if f, ok := schema.Field(k); ok {
			out[i] = clean(f.Label)
		}
	}
	return out
}
