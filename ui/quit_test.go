package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
)

// writeGate lets reads through and holds every write (PATCH, PUT, POST,
// DELETE) until the test opens it; arrived reports each held write.
type writeGate struct {
	notify  func() // wakes the driver when a write arrives
	arrived chan struct{}
	open    chan struct{}
	gone    chan error // the held write's context ended before the gate opened
}

func newWriteGate() *writeGate {
	return &writeGate{arrived: make(chan struct{}, 4), open: make(chan struct{}), gone: make(chan error, 4)}
}

// held says whether a write has arrived (and takes the report).
func (g *writeGate) held() bool {
	select {
	case <-g.arrived:
		return true
	default:
		return false
	}
}

func (g *writeGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		g.arrived <- struct{}{}
		if g.notify != nil {
			g.notify()
		}
		select {
		case <-g.open:
		case <-r.Context().Done():
			g.gone <- r.Context().Err()
			return nil, r.Context().Err()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// startHeldSave edits the first user's title and confirms the save, which
// the gate holds on its way to the provider.
func startHeldSave(t *testing.T) (*driver, crm.Provider, *writeGate, func(string, int)) {
	t.Helper()
	srv, url := startSandbox(t)
	g := newWriteGate()
	p := apideckAt(url, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d := newDriver(t, p)
	g.notify = d.wake
	openFirstUser(t, d)
	editTitle(d, "Chief Tester")
	saveAndConfirm(d)
	d.waitUntil("the save to reach the gate", g.held)
	return d, apideckAt(url, nil), g, func(prefix string, status int) { srv.ForceError(prefix, status, 10, 0) }
}

// ctrl+c while a save is on its way asks; yes waits for the save, which
// reaches the provider, and then quits.
func TestQuitWaitsForSaveInFlight(t *testing.T) {
	d, p, g, _ := startHeldSave(t)

	d.key("ctrl+c")
	d.waitFor("A save is in progress — quit when it is done? (y/N)")
	d.key("n")
	if v := d.m.View(); strings.Contains(v, "in progress") {
		t.Errorf("no should close the question:\n%s", v)
	}
	d.key("ctrl+c")
	d.waitFor("quit when it is done? (y/N)")
	d.key("y")
	v := d.waitFor("finishing save… then quitting")
	if !strings.Contains(v, "ctrl+c: abandon it and quit") {
		t.Errorf("the line should say how to stop waiting:\n%s", v)
	}
	if d.quit.Load() {
		t.Fatal("quit while the save was in flight")
	}

	close(g.open)
	d.waitQuit()
	u, err := p.Get(context.Background(), "10000")
	if err != nil || u.Title != "Chief Tester" {
		t.Fatalf("the save should reach the provider before quitting: title %q, err %v", u.Title, err)
	}
	select {
	case err := <-g.gone:
		t.Fatalf("the save was cancelled: %v", err)
	default:
	}
}

// A second ctrl+c while waiting abandons the save: said on screen first,
// done only when asked.
func TestQuitAbandonsSaveOnlyWhenAskedTwice(t *testing.T) {
	d, _, g, _ := startHeldSave(t)
	d.key("ctrl+c")
	d.key("y")
	d.waitFor("finishing save…")
	d.key("ctrl+c")
	d.waitQuit()
	if err := <-g.gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("the held save should be cancelled, got %v", err)
	}
}

// If the save fails while quitting waits for it, Roster stays and shows
// why, with the edit kept.
func TestQuitStaysWhenTheSaveFails(t *testing.T) {
	d, _, g, fail := startHeldSave(t)
	d.key("ctrl+c")
	d.key("y")
	d.waitFor("finishing save…")
	fail("/crm/users", 503)
	close(g.open)
	v := d.waitFor("Save failed")
	if !strings.Contains(v, "Chief Tester") || strings.Contains(v, "finishing save") {
		t.Errorf("the form should stay with the edit and the error:\n%s", v)
	}
	d.waitIdle()
	if d.quit.Load() {
		t.Fatal("quit although the save failed")
	}
}

// A delete in flight is asked about the same way.
func TestQuitAsksWhileDeleteInFlight(t *testing.T) {
	_, url := startSandbox(t)
	g := newWriteGate()
	p := apideckAt(url, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d := newDriver(t, p)
	g.notify = d.wake
	openFirstUser(t, d)
	d.key("d")
	d.waitFor("This cannot be undone") // the dialog's re-read answered
	d.typeText("ada.0@example.com")
	d.key("tab")
	d.key("tab")
	d.key("enter")
	d.waitUntil("the delete to reach the gate", g.held)
	d.key("ctrl+c")
	d.waitFor("A delete is in progress — quit when it is done? (y/N)")
	d.key("y")
	d.waitFor("finishing delete…")
	close(g.open)
	d.waitQuit()
	if _, err := apideckAt(url, nil).Get(context.Background(), "10000"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("the delete should have reached the provider: get = %v", err)
	}
}

// Issue 12 item 23: q during a save asks in the edit form too (the form
// takes no keys while saving, so q is not a letter there).
func TestQDuringSaveInTheFormAsks(t *testing.T) {
	d, _, g, _ := startHeldSave(t)
	if _, ok := d.m.(*Model).top().(*editView); !ok {
		t.Fatalf("the form should be on top while saving, got %T", d.m.(*Model).top())
	}
	d.key("q")
	d.waitFor("A save is in progress — quit when it is done? (y/N)")
	d.key("n")
	close(g.open)
	d.waitFor("saved Ada Lovelace")
	if d.quit.Load() {
		t.Fatal("quit although the answer was no")
	}
}
