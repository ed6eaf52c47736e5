package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
)

// At 40x10 the results still list the first failure — who and why, cut to
// one line — instead of only "… N more" (tmux showed no user at all).
func TestBulkResultsListAFailureAt40x10(t *testing.T) {
	p, _ := newApideck(t)
	d := newDriver(t, p)
	d.waitIdle()
	users := []crm.User{{ID: "1", FirstName: "Katherine", LastName: "Hamilton"}, {ID: "2", FirstName: "Ada", LastName: "Lovelace"}}
	plan := run.Plan{Run: "20261202T081500Z-1a2b3c4d", Op: run.OpUpdate, Steps: []run.Step{{ID: "1"}, {ID: "2"}}}
	refused := &crm.Error{Kind: crm.KindValidation, Provider: "sales", Op: "update user 1", Status: 400, Message: "Invalid Params; email: required"}
	results := []run.Result{{ID: "1", Outcome: run.NotApplied, Err: refused}, {ID: "2", Outcome: run.Applied}}
	d.apply(push(newBulkResultsView(d.m.(*Model).c, 0, bulkEdit, plan, users, results, "", false, nil))())
	d.apply(sizeMsg(40, 10))
	v := d.m.View()
	if !strings.Contains(v, "✗ Katherin") {
		t.Fatalf("the failure is not listed at 40x10:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
}
