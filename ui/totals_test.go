package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Issue 12 item 14: totals belong to the view they describe. After loading
// everything in one Zoho view, v shows the next view's own counts, never
// "250 of 1" mixing the two.
func TestTotalsBelongToTheirView(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, zohoAt(t, url, &http.Client{Timeout: 10 * time.Second}))
	d.waitFor("loaded")
	d.key("L")
	d.waitFor("all loaded")
	d.key("G")
	for i := 0; i < 4; i++ {
		d.key("v")
		v := d.waitIdle()
		status := lineWith(t, v, "view ")
		if strings.Contains(status, "all loaded") && !strings.Contains(status, "row 1 of") {
			t.Errorf("view %d: cursor not on the first row of the new view: %q", i+2, status)
		}
		if l := d.m.(*Model).top().(*listView); l.total >= 0 && l.total < l.table.Total() {
			t.Errorf("view %d: total %d below the %d users loaded: %q", i+2, l.total, l.table.Total(), status)
		}
		if strings.Contains(status, " of 0") || strings.Contains(status, " of 1 ") {
			t.Errorf("view %d: %q", i+2, status)
		}
	}
	compareAtSizes(t, d, "crm")
}
