package ui

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/roster-tui/roster/crm"
)

// These run the whole program (a real tea.Program, via teatest) over the
// sandbox, as a person would at the keyboard.

func waitScreen(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func TestFlowEditTitleThenReopen(t *testing.T) {
	p, _ := newApideck(t)
	tm := teatest.NewTestModel(t, New(Options{Providers: []crm.Provider{p}, PageSize: 25, Renderer: asciiRenderer()}),
		teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "of 120")
	press(tm, "enter")
	waitScreen(t, tm, "Email (primary)")
	press(tm, "e")
	waitScreen(t, tm, "Edit Ada")
	press(tm, "tab", "tab", "tab", "tab")
	waitScreen(t, tm, "┃ Title")
	press(tm, "ctrl+u")
	tm.Type("Flow Tester")
	press(tm, "ctrl+s")
	waitScreen(t, tm, "Save changes to")
	press(tm, "right", "enter")
	waitScreen(t, tm, "saved Ada Lovelace: Title")
	press(tm, "esc") // back to the list, which shows the new title
	waitScreen(t, tm, "Flow Tester          active")
	press(tm, "enter") // and open the user again
	waitScreen(t, tm, "Title             Flow Tester")
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	// the last frame: the re-opened detail with the new title
	golden.RequireEqual(t, []byte(tm.FinalModel(t).View()))
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Flow Tester" {
		t.Fatalf("provider has title %q, err %v", u.Title, err)
	}
}

func TestFlowDeleteWithTypedConfirmation(t *testing.T) {
	p, _ := newApideck(t)
	tm := teatest.NewTestModel(t, New(Options{Providers: []crm.Provider{p}, PageSize: 25, Renderer: asciiRenderer()}),
		teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "of 120")
	press(tm, "down", "d") // Grace Liskov, from the list
	// the dialog's re-read answered: Delete can be reached
	waitScreen(t, tm, "This cannot be undone")
	tm.Type("grace.1@example.com")
	press(tm, "tab", "tab", "enter")
	waitScreen(t, tm, "deleted Grace Liskov")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	// the last frame: the list without her and one user fewer (the key
	// that quit cleared the message, as every key does)
	golden.RequireEqual(t, []byte(tm.FinalModel(t).View()))
	if _, err := p.Get(context.Background(), "10001"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("after delete, get = %v, want not found", err)
	}
}
