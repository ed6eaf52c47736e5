package server

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// echo counts the messages that reach the console under the idle timer.
type echo struct{ seen int }

func (e *echo) Init() tea.Cmd                       { return nil }
func (e *echo) Update(tea.Msg) (tea.Model, tea.Cmd) { e.seen++; return e, nil }
func (e *echo) View() string                        { return "" }

func TestIdleTimerIsResetByKeysAndMouseOnly(t *testing.T) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	inner := &echo{}
	m := newIdleModel(inner, 15*time.Minute, now, func() time.Time { return now })

	now = now.Add(10 * time.Minute)
	m.Update(tea.KeyMsg{Type: tea.KeyDown}) // a key at 9:10
	now = now.Add(10 * time.Minute)
	m.Update(spinnerLikeMsg{}) // output-driving messages do not count
	if _, cmd := m.Update(idleCheckMsg{}); m.expired || cmd == nil {
		t.Fatal("closed 10 minutes after a key press with a 15m timeout")
	}
	now = now.Add(4 * time.Minute)
	m.Update(tea.MouseMsg{Action: tea.MouseActionPress}) // a click at 9:24
	now = now.Add(14 * time.Minute)
	if m.Update(idleCheckMsg{}); m.expired {
		t.Fatal("closed 14 minutes after a click")
	}
	now = now.Add(time.Minute)
	if _, cmd := m.Update(idleCheckMsg{}); !m.expired || cmd == nil {
		t.Fatal("still open 15 minutes after the last key or click")
	}
	if inner.seen != 3 {
		t.Fatalf("the console saw %d messages, want the key, the spinner tick and the click", inner.seen)
	}
}

type spinnerLikeMsg struct{}
