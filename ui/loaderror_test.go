package ui

import (
	"strings"
	"testing"
)

// Issue 12 item 15: a failed load is not an empty list. The error stands
// in place of the list, wrapped, with r to retry; M opens every message in
// full.
func TestFailedLoadShowsTheErrorAndRetries(t *testing.T) {
	p, srv := newApideck(t)
	srv.ForceError("/crm/users", 400, 1, 0) // not retried by the client
	d := newDriver(t, p)
	d.waitFor("Could not load users from sales")
	v := d.waitFor("✗ sales: list users") // the message line, and so the log, has it too
	if strings.Contains(v, "No users") || !strings.Contains(v, "r: retry") {
		t.Errorf("the error should replace the list and offer a retry:\n%s", v)
	}
	compareAtSizes(t, d, "✗ sales")
	d.key("M")
	v = d.waitFor("› messages")
	if !strings.Contains(v, "✗") || !strings.Contains(v, "400") {
		t.Errorf("the log should hold the error in full:\n%s", v)
	}
	d.key("esc")
	d.waitFor("Could not load")
	d.key("r")
	v = d.waitFor("of 120")
	if strings.Contains(v, "Could not load") {
		t.Errorf("the error should go once the retry loads:\n%s", v)
	}
}

// The log keeps messages longer than the line, wrapped and scrollable.
func TestMessageLogScrolls(t *testing.T) {
	p, srv := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.apply(sizeMsg(40, 10))
	for range 6 {
		srv.ForceError("/crm/users", 400, 1, 0)
		d.key("r")
		d.waitFor("✗ ")
	}
	d.key("M")
	v := d.waitFor("› messages")
	if !strings.Contains(v, "✗") {
		t.Fatalf("the newest message should show at the bottom:\n%s", v)
	}
	for range 40 {
		d.key("k")
	}
	if top := d.m.View(); top == v {
		t.Errorf("k should scroll the log up:\n%s", top)
	}
}
