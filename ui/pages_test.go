package ui

import (
	"strings"
	"testing"
)

// Issue 12 item 17: n and p go to the next and previous page of the
// status bar's count (25 rows here), loading the next page when needed.
func TestNextAndPreviousPage(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	cursor := func() int { return d.m.(*Model).top().(*listView).table.Cursor() }
	for _, want := range []int{25, 50, 75, 100} {
		d.key("n") // the next page may still be on its way: it lands there
		v := d.waitUntil("the cursor to move", func() bool { return cursor() == want })
		if want == 25 && !strings.Contains(v, "page 2/5") {
			t.Errorf("status bar should say page 2:\n%s", v)
		}
	}
	d.key("p")
	d.waitIdle()
	if cursor() != 75 {
		t.Errorf("p put the cursor on row %d, want 76 (the first of page 4)", cursor()+1)
	}
	compareAtSizes(t, d, "row 76 of 120")
}
