package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/ui/usertable"
)

// listGate lets the first list request through and holds the later ones
// until the test opens it (tokens and other requests pass).
type listGate struct {
	first chan struct{}
	open  chan struct{}
}

func newListGate() *listGate {
	g := &listGate{first: make(chan struct{}, 1), open: make(chan struct{})}
	g.first <- struct{}{}
	return g
}

func (g *listGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/users") {
		select {
		case <-g.first:
		default:
			select {
			case <-g.open:
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// loadAllScreen opens p at width w, presses L and returns the screen while
// the gate holds the rest of the pages.
func loadAllScreen(t *testing.T, p crm.Provider, w int, loaded string) (*driver, string) {
	t.Helper()
	d := newDriver(t, p)
	d.apply(tea.WindowSizeMsg{Width: w, Height: 30})
	d.waitFor(loaded)
	d.key("L")
	return d, d.waitFor("esc to cancel")
}

// lineWith is the one screen line containing s.
func lineWith(t *testing.T, screen, s string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no line contains %q:\n%s", s, screen)
	return ""
}

// With a million users the load-all line keeps bar, counts and the way out
// on one line of exactly the terminal's width, at 80 and 120 columns.
func TestLoadAllLineFitsTheWidth(t *testing.T) {
	for _, w := range []int{80, 120} {
		t.Run(strconv.Itoa(w), func(t *testing.T) {
			srv := sandbox.New(sandbox.Options{Users: 1_000_000, Now: testClock})
			run, err := srv.Start("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = run.Close() })
			p := apideckAt(run.URL, &http.Client{Transport: newListGate(), Timeout: 10 * time.Second})
			_, v := loadAllScreen(t, p, w, "of 1,000,000")
			line := lineWith(t, v, "esc to cancel")
			if !strings.Contains(line, "25 of 1,000,000 · esc to cancel") || !strings.HasPrefix(line, "░") {
				t.Errorf("the line should hold the bar and the counts:\n%q", line)
			}
			if got := lipgloss.Width(line); got != w {
				t.Errorf("the load-all line is %d columns wide, want %d:\n%q", got, w, line)
			}
			for i, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > w {
					t.Errorf("line %d is wider than %d: %q", i, w, l)
				}
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// Zoho does not say how many users it has: a count and a spinner instead
// of a bar that could not fill; when done, the status says all are there.
func TestLoadAllWithoutTotalCounts(t *testing.T) {
	_, url := startSandbox(t)
	g := newListGate()
	p := zohoAt(t, url, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d, v := loadAllScreen(t, p, 80, "25 loaded")
	line := lineWith(t, v, "esc to cancel")
	if !strings.Contains(line, "25 loaded so far · esc to cancel") || strings.ContainsAny(line, "█░") {
		t.Errorf("without a total: a count, no bar:\n%q", line)
	}
	if frame := strings.Fields(line)[0]; !strings.ContainsAny(frame, "⣾⣽⣻⢿⡿⣟⣯⣷") {
		t.Errorf("the line should start with a spinner, got %q", frame)
	}
	close(g.open)
	v = d.waitFor("loaded all 120 users")
	if !strings.Contains(v, "row 1 of 120 · all loaded") {
		t.Errorf("status after load all:\n%s", v)
	}
}

// A load all cancelled before it answers leaves no command waiting for
// ever: the command that waits for its next report returns (nil or the
// cancelled result) every time, so no goroutine leaks per cancel.
func TestCancelledLoadAllStreamEnds(t *testing.T) {
	_, url := startSandbox(t)
	p := apideckAt(url, &http.Client{Timeout: 10 * time.Second})
	for i := range 32 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cmd := loadAllStream(ctx, i, p, 1, crm.PageRequest{Limit: 25}, usertable.New(nil, usertable.Styles{}).NewRows(), false)
		for cmd != nil {
			switch msg := cmd().(type) {
			case streamMsg:
				cmd = msg.next
			case loadAllDoneMsg, nil:
				cmd = nil
			default:
				t.Fatalf("unexpected %T", msg)
			}
		}
	}
}
