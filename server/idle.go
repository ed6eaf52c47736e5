package server

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// idleModel ends a session after a stretch without a key press or mouse
// event. The SSH connection's own idle timeout cannot do this: spinners and
// refreshes write output, which keeps the connection busy while nobody is
// there. Only input resets this timer.
type idleModel struct {
	inner   tea.Model
	timeout time.Duration
	now     func() time.Time
	last    time.Time // the last key or mouse event
	expired bool      // set when the session ended for idleness
}

// idleCheckMsg asks whether the session has been idle long enough.
type idleCheckMsg struct{}

// newIdleModel counts idleness from start: the connection, not the
// program's start, so time spent before the console shows counts too.
func newIdleModel(inner tea.Model, timeout time.Duration, start time.Time, now func() time.Time) *idleModel {
	return &idleModel{inner: inner, timeout: timeout, now: now, last: start}
}

// check schedules the next look at the clock; one is outstanding at a time.
func (m *idleModel) check(after time.Duration) tea.Cmd {
	return tea.Tick(after, func(time.Time) tea.Msg { return idleCheckMsg{} })
}

func (m *idleModel) Init() tea.Cmd {
	return tea.Batch(m.inner.Init(), m.check(m.timeout-m.now().Sub(m.last)))
}

func (m *idleModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case idleCheckMsg:
		idle := m.now().Sub(m.last)
		if idle >= m.timeout {
			m.expired = true
			return m, tea.Quit
		}
		return m, m.check(m.timeout - idle)
	case tea.KeyMsg, tea.MouseMsg:
		m.last = m.now()
	}
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

func (m *idleModel) View() string { return m.inner.View() }
