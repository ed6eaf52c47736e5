package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestIdleConsoleSchedulesNothing pins what "idle" means for the console's
// CPU (README, Performance: Idle): once nothing is in flight, the root
// model's own timers end instead of re-arming — a late spinner frame or
// retry countdown tick returns no command, and moving the cursor starts
// none. Anything that kept ticking here would wake the process for as long
// as the console stays open.
func TestIdleConsoleSchedulesNothing(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.waitIdle()
	m := d.m.(*Model)
	if m.c.requests.notice != nil {
		t.Fatal("a retry notice is shown with nothing in flight")
	}
	for _, msg := range []tea.Msg{m.spinner.Tick(), retryTickMsg{}} {
		if _, cmd := d.m.Update(msg); cmd != nil {
			t.Errorf("idle model re-armed a timer on %T: got a command, want none", msg)
		}
	}
	if m.spinning {
		t.Error("the spinner still counts as running after its last frame with nothing in flight")
	}
	for _, k := range []string{"down", "j", "k"} {
		if _, cmd := d.m.Update(keyMsg(k)); cmd != nil {
			t.Errorf("key %q over loaded rows returned a command (a timer or work) with nothing in flight", k)
		}
		if m.spinning {
			t.Errorf("key %q started the spinner with nothing in flight", k)
		}
	}
}
