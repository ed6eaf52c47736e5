package ui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/roster-tui/roster/crm"
)

// A whole program sorts, chooses columns, filters and saves a view; a new
// program on the same state file finds the view with v and shows it as it
// was saved: the filter, the sort and the columns.
func TestFlowSaveViewRestartSwitch(t *testing.T) {
	p, _ := newApideck(t)
	st, path := testState(t)
	tm := teatest.NewTestModel(t, New(Options{Providers: []crm.Provider{p}, PageSize: 25, Renderer: asciiRenderer(), State: st}),
		teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "of 120")
	press(tm, ":")
	tm.Type("columns name,title,department")
	press(tm, "enter")
	waitScreen(t, tm, "remembered for sales")
	press(tm, "s") // name
	waitScreen(t, tm, "sorted by name, ascending")
	press(tm, "s") // then title
	waitScreen(t, tm, "sorted by title, ascending")
	press(tm, "/")
	tm.Type("sales")
	press(tm, "down")
	press(tm, "ctrl+s")
	waitScreen(t, tm, ":save")
	tm.Type("sellers")
	press(tm, "enter")
	waitScreen(t, tm, "saved view sellers")
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	// the next start: the admin's columns, no filter, load order
	tm = teatest.NewTestModel(t, New(Options{Providers: []crm.Provider{p}, PageSize: 25, Renderer: asciiRenderer(), State: reopen(t, path)}),
		teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "view all")
	press(tm, "v")
	waitScreen(t, tm, "view: sellers")
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	// the last frame: the saved view — filter "sales", sorted by title
	// ascending, the columns name, title, department
	golden.RequireEqual(t, []byte(tm.FinalModel(t).View()))
}
