package ui

import (
	"strings"
	"testing"
)

// "Fewer requests per save" (issue 12), in the console: once the detail's
// re-read has answered, editing the title and saving it costs Apideck one
// read of the user (the conflict check, reused by the adapter and the
// audit), the PATCH and one read after it (the PATCH answers only the id) —
// nothing more from the form, the confirmation or the views that show the
// saved user.
func TestAConsoleSaveReadsOnceBeforeTheWrite(t *testing.T) {
	p, srv := newApideck(t)
	d := newDriver(t, p)
	openFirstUser(t, d)
	start := len(srv.Requests())
	editTitle(d, "Chief Tester")
	saveAndConfirm(d)
	d.waitFor("saved Ada Lovelace: Title")
	d.waitIdle()
	var got []string
	for _, r := range srv.Requests()[start:] {
		got = append(got, strings.Fields(r)[0])
	}
	if strings.Join(got, " ") != "GET PATCH GET" {
		t.Errorf("a console save made %v (%v); want GET PATCH GET", got, srv.Requests()[start:])
	}
}
