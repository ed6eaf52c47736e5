package ui

import (
	"context"
	"net/http"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/roster-tui/roster/crm"
)

// The whole flow in a real program: mark 3 → bulk edit the department →
// preview → confirm → progress (writes held) → results.
func TestFlowBulkEditDepartment(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	_, url := startSandbox(t)
	gate := newBulkGate(1)
	p := apideckAt(url, &http.Client{Transport: gate, Timeout: 10 * time.Second})
	tm := teatest.NewTestModel(t, New(Options{Providers: []crm.Provider{p}, PageSize: 25, Renderer: asciiRenderer()}),
		teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "of 120")
	for range 3 {
		tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	}
	waitScreen(t, tm, "3 marked")
	press(tm, "e")
	waitScreen(t, tm, "Edit 3 marked users")
	press(tm, "tab", "tab", "tab", "tab")
	waitScreen(t, tm, "┃ Department")
	tm.Type("Platform")
	press(tm, "ctrl+s")
	waitScreen(t, tm, "Operations → Platform")
	press(tm, "right", "enter")
	waitScreen(t, tm, "Updating 3 users")
	close(gate.open)
	waitScreen(t, tm, "updated 3 of 3")
	press(tm, "esc")
	waitScreen(t, tm, "Account Executive") // back on the list
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	golden.RequireEqual(t, []byte(tm.FinalModel(t).View()))
	for _, id := range []string{"10000", "10001", "10002"} {
		if u, err := p.Get(context.Background(), id); err != nil || u.Department != "Platform" {
			t.Errorf("%s: department %q, err %v", id, u.Department, err)
		}
	}
}
