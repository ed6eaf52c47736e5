package truto_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// Deactivation follows the seed's support table: is_active where the CRM
// takes it, Salesforce's own IsActive through remote_data, none for CRMs that
// take neither.
func TestDeactivatePerIntegration(t *testing.T) {
	for integration, want := range map[string]crm.Changes{
		"pipedrive":  {"is_active": false},
		"planhat":    {"is_active": false},
		"wix":        {"is_active": false},
		"":           {"is_active": false}, // unknown CRM: offered, the CRM has the last word
		"salesforce": {"remote_data": map[string]any{"IsActive": false}},
		"outreach":   nil,
		"onepagecrm": nil,
	} {
		p, err := truto.New(truto.Options{Token: "t", IntegratedAccountID: "a", Integration: integration, HTTP: &http.Client{}})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := crm.DeactivateChanges(p)
		if ok != (want != nil) || (want != nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%q: DeactivateChanges = %v, %v; want %v", integration, got, ok, want)
		}
		if ok {
			// A caller changing its copy never changes the declaration.
			if rd, isMap := got["remote_data"].(map[string]any); isMap {
				rd["IsActive"] = true
			}
			got["is_active"] = true
			again, _ := crm.DeactivateChanges(p)
			if !reflect.DeepEqual(again, want) {
				t.Errorf("%q: the declaration changed through a caller's copy: %v", integration, again)
			}
		}
	}
}

// A Salesforce deactivation whose answer is cut short is settled by reading
// the user: remote_data's IsActive shows as the user's active flag, so the
// save is reported applied (not "not applied" because the rest of the CRM's
// record differs from the part sent).
func TestSalesforceDeactivateLostAnswerSettles(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountSalesforce, nil)
	ctx := context.Background()
	page, err := p.List(ctx, crm.PageRequest{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var u crm.User
	for _, c := range page.Users {
		if c.Active != nil && *c.Active {
			u = c
			break
		}
	}
	if u.ID == "" {
		t.Fatal("no active user")
	}
	changes, _ := crm.DeactivateChanges(p)
	s.MalformNextWrites("/unified/", 1, true)
	got, err := p.Update(ctx, u.ID, changes)
	if err != nil {
		t.Fatalf("update with a cut answer: %v", err)
	}
	if got.Active == nil || *got.Active {
		t.Errorf("settled user is not inactive: %v", got.Active)
	}
}
