package ui

import (
	"github.com/roster-tui/roster/crm"
	"strings"
	"testing"
)

// TestDemoSaysSoOnScreen: the console opened the embedded demo because no
// config exists; nobody may mistake its users for real ones.
func TestDemoSaysSoOnScreen(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriverWith(t, Options{Providers: []crm.Provider{p}, Demo: true})
	if v := d.waitFor("Ada"); !strings.Contains(v, "demo data") {
		t.Errorf("the demo's screen does not say demo data:\n%s", v)
	}
	real := newDriverWith(t, Options{Providers: []crm.Provider{p}})
	if v := real.waitFor("Ada"); strings.Contains(v, "demo data") {
		t.Errorf("a real config's screen says demo data:\n%s", v)
	}
}
