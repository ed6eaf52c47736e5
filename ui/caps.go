package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The console offers an action only while the provider's live capabilities
// allow it (the guard has already narrowed them to the person and the
// config; the UI never reasons about roles). A provider may turn read-only
// at run time (Truto's 405): the root re-reads the capabilities after every
// message and, when they changed, every view re-applies them at once.

// capsApplier is a view whose keys depend on the capabilities.
type capsApplier interface{ applyCaps() }

// syncCaps re-reads the provider's live Info and re-applies it to every
// view when the capabilities or the notice changed.
func (m *Model) syncCaps() {
	if m.c.Provider == nil {
		return
	}
	before := m.c.Info
	m.c.refreshInfo()
	now := m.c.Info
	if before.Caps.Update == now.Caps.Update && before.Caps.Delete == now.Caps.Delete &&
		before.Caps.Create == now.Caps.Create && before.Notice == now.Notice {
		return
	}
	for _, v := range m.stack {
		if a, ok := v.(capsApplier); ok {
			a.applyCaps()
		}
	}
}

// refusal is why a key for an action that is switched off does nothing,
// when msg is one of b's keys; nil otherwise (or when b is on).
func (c *Common) refusal(msg tea.KeyMsg, b key.Binding, what string) tea.Cmd {
	if b.Enabled() || !slices.Contains(b.Keys(), msg.String()) {
		return nil
	}
	return notice(c.whyNot(what))
}

// whyNot says why c's provider does not allow what ("edit users"): the
// provider's own notice when it gave one, else who is signed in. The role
// is named for the reader, never compared: the guard decided.
func (c *Common) whyNot(what string) string {
	name := clean(c.Info.Name)
	switch {
	case c.Info.Notice != "":
		return "cannot " + what + " in " + name + ": " + clean(c.Info.Notice)
	case c.Role != "":
		return "cannot " + what + " in " + name + " as " + clean(c.Role)
	}
	return name + " does not allow you to " + what
}
