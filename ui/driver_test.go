package ui

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// testClock is the sandbox's fixed clock, so saved timestamps are stable.
var testClock = func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }

func newApideck(t *testing.T) (*apideck.Provider, *sandbox.Server) {
	t.Helper()
	srv, url := providertest.StartSandbox(t, sandbox.Options{Users: 120, Now: testClock})
	return providertest.Apideck(url, nil), srv
}

// asciiRenderer renders without colours, so golden files are plain text.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// driver runs the root model in the test goroutine: it applies messages,
// runs the commands they return in goroutines and feeds their messages
// back, until the screen shows what the test waits for.
type driver struct {
	t    *testing.T
	m    tea.Model
	msgs chan tea.Msg
	quit atomic.Bool // a command returned tea.QuitMsg: the program would end
}

func newDriver(t *testing.T, ps ...crm.Provider) *driver {
	t.Helper()
	return newDriverWith(t, Options{Providers: ps})
}

// newDriverWith drives a model built from o, with the tests' page size and
// ASCII renderer.
func newDriverWith(t *testing.T, o Options) *driver {
	t.Helper()
	o.PageSize, o.Renderer = 25, asciiRenderer()
	m := New(o)
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 256)}
	d.run(m.Init())
	d.apply(tea.WindowSizeMsg{Width: 100, Height: 30})
	return d
}

// run executes cmd in the background; batches are unpacked. (Commands in
// order are inOrder's, whose steps are messages the model handles itself.)
func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		d.deliver(cmd())
	}()
}

func (d *driver) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	default:
		if _, ok := msg.(tea.QuitMsg); ok {
			d.quit.Store(true)
		}
		d.msgs <- msg
	}
}

func (d *driver) apply(msg tea.Msg) {
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.run(cmd)
}

// key sends one key, e.g. "enter", "tab", "ctrl+s", "e".
func (d *driver) key(k string) {
	d.apply(keyMsg(k))
}

// typeText sends text as individual key presses.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.apply(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// waitFor applies messages until the view contains want.
func (d *driver) waitFor(want string) string {
	d.t.Helper()
	deadline := time.After(10 * time.Second) // a failure deadline, not a wait
	for {
		if v := d.m.View(); strings.Contains(v, want) {
			return v
		}
		select {
		case msg := <-d.msgs:
			switch msg.(type) {
			case spinner.TickMsg, cursor.BlinkMsg, wakeMsg:
				continue // animation only, or a reason to look again
			}
			d.apply(msg)
		case <-deadline:
			d.t.Fatalf("screen never showed %q; last screen:\n%s", want, d.m.View())
		}
	}
}

// waitIdle applies messages until nothing loads (the spinner stops).
func (d *driver) waitIdle() string {
	d.t.Helper()
	return d.waitUntil("nothing loading", func() bool { return d.m.(*Model).busy() == "" })
}

// waitQuit applies messages until a command quits the program.
func (d *driver) waitQuit() string {
	d.t.Helper()
	return d.waitUntil("the program to quit", d.quit.Load)
}

// wakeMsg makes waitUntil look again at what it waits for; a test's
// transport sends it (through wake) when something it watches happens.
type wakeMsg struct{}

func (d *driver) wake() { d.msgs <- wakeMsg{} }

// waitUntil applies messages until done says so.
func (d *driver) waitUntil(what string, done func() bool) string {
	d.t.Helper()
	deadline := time.After(10 * time.Second) // a failure deadline, not a wait
	for !done() {
		select {
		case msg := <-d.msgs:
			switch msg.(type) {
			case spinner.TickMsg, cursor.BlinkMsg, wakeMsg:
				continue // animation only, or a reason to look again
			}
			d.apply(msg)
		case <-deadline:
			d.t.Fatalf("waited in vain for %s; last screen:\n%s", what, d.m.View())
		}
	}
	return d.m.View()
}

// namedKeys are the keys the tests press by name; anything else is typed.
var namedKeys = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"right": tea.KeyRight, "left": tea.KeyLeft, "down": tea.KeyDown,
	"ctrl+s": tea.KeyCtrlS, "ctrl+u": tea.KeyCtrlU, "ctrl+d": tea.KeyCtrlD, "ctrl+r": tea.KeyCtrlR, "ctrl+c": tea.KeyCtrlC,
}

func keyMsg(k string) tea.KeyMsg {
	if t, ok := namedKeys[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// compareAtSizes compares the screen with goldens at 120x40 and 40x10 (the
// subtests' names), waiting at each size until the screen shows want.
func compareAtSizes(t *testing.T, d *driver, want string) {
	t.Helper()
	for _, size := range []struct{ w, h int }{{120, 40}, {40, 10}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			d.apply(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			golden.RequireEqual(t, []byte(d.waitFor(want)))
		})
	}
}

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
