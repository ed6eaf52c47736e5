package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/state"
	"github.com/roster-tui/roster/ui/termtext"
)

// Common is what every view of one program shares: its size, styles, keys,
// the open provider and who is using it. One per program, never global.
type Common struct {
	ctx       context.Context  // cancelled when the program ends
	now       func() time.Time // the clock refreshes are timed by (tests set it)
	r         *lipgloss.Renderer
	Width     int // body width
	Height    int // body height (without title and status bars)
	Styles    Styles
	Keys      GlobalKeys
	bindings  keyBindings // the config's [keys], applied to every key table
	mouse     bool        // clicks and the wheel are on (mouse.go)
	Providers []crm.Provider
	Provider  crm.Provider // the provider in use (nil on the picker)
	Info      crm.Info     // Provider.Info(), re-read after every error
	Role, Who string
	Demo      bool // the embedded sandbox's data, said on screen
	PageSize  int
	nextID    int // the last view's number (viewBase)

	// state remembers columns and saved views between runs (nil: nothing
	// is remembered); configViews are the config's views by provider name.
	state       *state.Store
	configViews map[string][]state.View

	requests *requestTracker // requests in flight, writes, retry notices
	undo     *undoHistory    // this session's updates, for u
	log      *messageLog     // the last messages, in full (M)
}

// useProvider switches to p.
func (c *Common) useProvider(p crm.Provider) {
	c.Provider = p
	c.refreshInfo()
}

// forgetPages empties the provider's page cache (the stack's providers are
// crm.Invalidators), so the next list asks the provider. Providers without a
// cache have nothing to forget.
func (c *Common) forgetPages() {
	if inv, ok := c.Provider.(crm.Invalidator); ok {
		inv.Invalidate()
	}
}

// refreshInfo re-reads Info: a provider may turn read-only at runtime.
func (c *Common) refreshInfo() {
	if c.Provider != nil {
		c.Info = c.Provider.Info()
	}
}

// CanUpdate says whether edits may be offered: the provider's live
// capabilities, which the guard has already narrowed to the role.
func (c *Common) CanUpdate() bool { return c.Info.Caps.Update }

// CanDelete says whether deletes may be offered, as CanUpdate.
func (c *Common) CanDelete() bool { return c.Info.Caps.Delete }

// clean sanitises untrusted text for one line of the terminal.
func clean(s string) string { return termtext.Clean(s) }

// errText is an error as the admin should read it: the provider's words,
// sanitised, without Go's wrapping noise for context cancellation.
func errText(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return strings.TrimSpace(clean(err.Error()))
}
