package providertest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/stack"
)

// deactivate checks the provider's declared deactivation end to end: the
// changes crm.DeactivateChanges gives, saved through the provider stack
// (guard and audit, as every entry point saves) with crm.UpdateChanged,
// leave the user inactive on a re-read, and the audit holds the update.
// A provider that documents no deactivation must say so in its harness
// (NoDeactivate) and declare none.
func (c contract) deactivate(t *testing.T) {
	_, url := start(t)
	adapter := c.h.Open(t, url, false)
	changes, ok := crm.DeactivateChanges(adapter)
	if c.h.NoDeactivate {
		if ok {
			t.Fatalf("the harness says the provider documents no deactivation, but it declares %v", changes)
		}
		return
	}
	if !ok {
		t.Fatal("the provider declares no deactivation (crm.Schema.Deactivate); set Harness.NoDeactivate if its docs have none")
	}
	log, err := audit.Open(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatalf("open audit log: %v", err)
	}
	p := stack.Build(adapter, stack.Options{Role: guard.Editor, Audit: log, Who: audit.Who{Name: "contract", Via: "cli"}})
	ctx := context.Background()
	u := firstActive(t, p, c.h.PageSize)

	saved, changed, err := crm.UpdateChanged(ctx, p, u.ID, changes)
	if err != nil || !changed {
		t.Fatalf("deactivate %s with %v: changed=%v err=%v", u.ID, changes, changed, err)
	}
	if saved.Active == nil || *saved.Active {
		t.Errorf("the saved user is not inactive: active=%v status=%q", saved.Active, saved.Status)
	}
	again, err := adapter.Get(ctx, u.ID)
	if err != nil {
		t.Fatalf("re-read %s: %v", u.ID, err)
	}
	if again.Active == nil || *again.Active {
		t.Errorf("a re-read does not show %s inactive: active=%v status=%q", u.ID, again.Active, again.Status)
	}
	entries, err := audit.Read(log.Path(), audit.Filter{})
	if err != nil {
		t.Fatalf("read audit: %v", err)
	}
	var audited bool
	for _, e := range entries {
		if e.Action == "update" && e.UserID == u.ID && e.Result == audit.ResultOK {
			audited = true
		}
	}
	if !audited {
		t.Errorf("the audit has no applied update of %s: %+v", u.ID, entries)
	}
}

// firstActive is an active user from the first page.
func firstActive(t *testing.T, p crm.Provider, pageSize int) crm.User {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: pageSize})
	if err != nil {
		t.Fatalf("list first page: %v", err)
	}
	for _, u := range page.Users {
		if u.Active != nil && *u.Active && u.Email != "" {
			return u
		}
	}
	t.Fatal("no active user with an email on the first page")
	return crm.User{}
}
