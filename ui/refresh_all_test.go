package ui

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/sandbox"
)

// Issue 12 item 23: r after loading everything reads everything again; it
// does not drop back to the first page.
func TestRefreshAfterLoadAllKeepsEverything(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("L")
	d.waitFor("all loaded")
	d.key("r")
	d.waitIdle()
	v := d.waitFor("all loaded")
	if l := d.m.(*Model).top().(*listView); l.table.Total() != 120 {
		t.Errorf("after r %d users are loaded, want all 120:\n%s", l.table.Total(), lineWith(t, v, "sales"))
	}
	if strings.Contains(v, "page 1/5") {
		t.Errorf("r dropped to the first page:\n%s", v)
	}
}

// r over a list that holds everything reads everything again without
// first shrinking it to the new load's first batch: the rows and the
// cursor's user stay until the new rows are all read.
func TestRefreshAfterLoadAllKeepsTheRowsWhileItReads(t *testing.T) {
	srv := sandbox.New(sandbox.Options{Users: 1000, Now: testClock})
	run, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	g := &holdGate{release: make(chan struct{})}
	p := apideckAt(run.URL, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d := newDriver(t, p)
	d.waitFor("of 1,000")
	d.key("L")
	d.waitFor("loaded all 1,000 users")
	d.key("G")
	d.waitFor("row 1,000 of 1,000")
	g.holdAfter(1) // the reload's first page passes, the rest wait
	d.key("r")
	d.waitFor("200 of 1,000 · esc to cancel")
	l := d.m.(*Model).top().(*listView)
	if l.table.Total() != 1000 || l.table.Cursor() != 999 {
		t.Errorf("while r reads again the list holds %d users with the cursor on row %d; want all 1,000 and row 1,000", l.table.Total(), l.table.Cursor()+1)
	}
	close(g.release)
	v := d.waitFor("loaded all 1,000 users")
	if !strings.Contains(v, "row 1,000 of 1,000") {
		t.Errorf("after r the cursor left its user:\n%s", lineWith(t, v, "sales"))
	}
}

// holdGate lets every users list through until holdAfter(n): then n more,
// and the rest wait for release.
type holdGate struct {
	mu      sync.Mutex
	hold    bool
	pass    int
	release chan struct{}
}

func (g *holdGate) holdAfter(n int) {
	g.mu.Lock()
	g.hold, g.pass = true, n
	g.mu.Unlock()
}

func (g *holdGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/users") {
		g.mu.Lock()
		wait := g.hold && g.pass == 0
		if g.hold && g.pass > 0 {
			g.pass--
		}
		g.mu.Unlock()
		if wait {
			select {
			case <-g.release:
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}
