package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
)

// mouseDriver is the list of 120 users with the mouse on and a clock the
// test moves (a double click is two presses close in time).
func mouseDriver(t *testing.T, on bool) (*driver, *time.Time) {
	t.Helper()
	p, _ := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, Mouse: on})
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	d.m.(*Model).c.now = func() time.Time { return now }
	d.waitFor("of 120")
	return d, &now
}

func click(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
}

func wheel(b tea.MouseButton) tea.MouseMsg {
	return tea.MouseMsg{X: 10, Y: 10, Button: b, Action: tea.MouseActionPress}
}

func cursorOf(d *driver) int { return d.m.(*Model).top().(*listView).table.Cursor() }

func TestMouseWheelScrollsTheList(t *testing.T) {
	d, _ := mouseDriver(t, true)
	d.apply(wheel(tea.MouseButtonWheelDown))
	d.apply(wheel(tea.MouseButtonWheelDown))
	if got := cursorOf(d); got != 2*wheelStep {
		t.Errorf("two notches down: cursor on %d, want %d", got, 2*wheelStep)
	}
	d.apply(wheel(tea.MouseButtonWheelUp))
	if got := cursorOf(d); got != wheelStep {
		t.Errorf("one notch up: cursor on %d, want %d", got, wheelStep)
	}
}

// Screen line 0 is the title bar, 1 the table's header, 2 its first row.
func TestMouseClickSelectsAndDoubleClickOpens(t *testing.T) {
	d, now := mouseDriver(t, true)
	d.apply(click(20, 5))
	if got := cursorOf(d); got != 3 {
		t.Fatalf("a click on the fourth row put the cursor on %d", got)
	}
	*now = now.Add(2 * time.Second) // too late to be a double click
	d.apply(click(20, 5))
	if _, ok := d.m.(*Model).top().(*listView); !ok {
		t.Fatal("two slow clicks opened the user")
	}
	*now = now.Add(200 * time.Millisecond)
	d.apply(click(20, 5))
	v := d.waitFor("Email (primary)")
	if !strings.Contains(v, "margaret.3@example.com") {
		t.Errorf("the double click should open the clicked user:\n%s", v)
	}
}

func TestMouseClickOnAHeaderSorts(t *testing.T) {
	d, _ := mouseDriver(t, true)
	header := strings.Split(d.m.View(), "\n")[1]
	x := strings.Index(header, "Email")
	if x < 0 {
		t.Fatalf("no Email header:\n%s", header)
	}
	d.apply(click(x+1, 1))
	d.waitFor("Email ↑")
	d.apply(click(x+1, 1))
	d.waitFor("Email ↓")
	d.apply(click(0, 1)) // the gutter: no column
	if v := d.m.View(); !strings.Contains(v, "Email ↓") {
		t.Errorf("a click on the gutter changed the sort:\n%s", v)
	}
}

func TestMouseIsOffByDefault(t *testing.T) {
	d, _ := mouseDriver(t, false)
	d.apply(click(20, 5))
	d.apply(wheel(tea.MouseButtonWheelDown))
	if got := cursorOf(d); got != 0 {
		t.Errorf("with the mouse off, clicks and the wheel moved the cursor to %d", got)
	}
}

// Elsewhere the wheel moves as the arrow keys do (the detail scrolls).
func TestMouseWheelScrollsTheDetail(t *testing.T) {
	d, _ := mouseDriver(t, true)
	d.apply(sizeMsg(100, 12))
	d.key("enter")
	before := d.waitFor("Email (primary)")
	d.waitIdle()
	d.apply(wheel(tea.MouseButtonWheelDown))
	if after := d.m.View(); after == before {
		t.Errorf("the wheel did not scroll the detail:\n%s", after)
	}
}
