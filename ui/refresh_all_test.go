package ui

import (
	"strings"
	"testing"
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
