package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/sandbox"
)

// A load-all's rows show while it runs: with its first page in and the
// next ones held, the table already holds that page (200 users, past the
// 25 the list showed) and the cursor moves onto them while the progress
// line still offers esc; when the rest arrive, all are there.
func TestLoadAllRowsShowWhileItRuns(t *testing.T) {
	srv := sandbox.New(sandbox.Options{Users: 1000, Now: testClock})
	run, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	// the list's first page and the load-all's first page pass
	g := &listGate{first: make(chan struct{}, 2), open: make(chan struct{})}
	g.first <- struct{}{}
	g.first <- struct{}{}
	p := apideckAt(run.URL, &http.Client{Transport: g, Timeout: 10 * time.Second})
	d, _ := loadAllScreen(t, p, 80, "of 1,000")
	d.waitFor("200 of 1,000 · esc to cancel")
	d.key("G")
	v := d.waitFor("page 8/40")
	if !strings.Contains(v, "esc to cancel") {
		t.Errorf("the cursor should reach row 200 while the load-all runs:\n%s", v)
	}
	close(g.open)
	v = d.waitFor("loaded all 1,000 users")
	if !strings.Contains(v, "of 1,000 · all loaded") {
		t.Errorf("status after load all:\n%s", v)
	}
}
