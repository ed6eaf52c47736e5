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

// Issue 12 item 19: `/angstrom` and enter (the server's search, pages being
// unloaded) must agree. The server matches accents exactly and finds none;
// the list then filters here again, ignoring accents, and shows what `/`
// showed, saying why. It used to show "No users." beside "0 found" with a
// success tick.
func TestServerSearchThatFindsNothingFiltersHereInstead(t *testing.T) {
	_, url := startSandbox(t)
	d := newDriver(t, laurelAt(t, url))
	d.waitFor("of 120")
	d.key("/")
	d.typeText("angstrom")
	local := d.waitFor("1 match")
	if !strings.Contains(local, "Dennis Ångström") {
		t.Fatalf("/ does not find Dennis Ångström:\n%s", local)
	}
	d.key("enter") // pages remain: enter asks the server
	d.waitFor("! server search \"angstrom\": 0 found")
	v := d.waitIdle()
	if !strings.Contains(v, "Dennis Ångström") || !strings.Contains(v, "1 match") || strings.Contains(v, "No users.") {
		t.Errorf("after the server found nothing, the list should show what / showed:\n%s", v)
	}
	compareAtSizes(t, d, "1 match")
}
