package ui

import (
	"strings"
	"testing"
)

// Issue 12 item 19: `/angstrom` finds "Ångström" locally; the server's
// search matches accents exactly and finds nothing, and the console says
// why instead of leaving "0 found" to contradict `/`.
func TestServerSearchThatFindsNothingExplainsAccents(t *testing.T) {
	_, url := startSandbox(t)
	p := laurelAt(t, url)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("/")
	d.typeText("angstrom")
	if v := d.waitFor("Ångström"); !strings.Contains(v, "Ångström") {
		t.Fatalf("/ does not find Ångström:\n%s", v)
	}
	d.key("ctrl+s")
	v := d.waitFor("server search \"")
	if !strings.Contains(v, "accents") {
		t.Errorf("a server search that finds nothing does not mention accents:\n%s", v)
	}
}
