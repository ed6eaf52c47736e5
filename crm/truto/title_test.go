package truto_test

import (
	"context"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// The unified user has no title or status for Salesforce; the list fills
// them from the CRM's own record, remote_data's Title and IsActive (issue 12
// item 23: the Truto/Salesforce list showed empty titles).
func TestSalesforceListFillsTitleAndStatusFromTheRecord(t *testing.T) {
	_, url := startSandbox(t, sandbox.Options{Users: 10})
	p := open(t, url, sandbox.TrutoAccountSalesforce, nil)
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	titled := 0
	for _, u := range page.Users {
		if u.Title != "" {
			titled++
		}
		if u.Active == nil {
			t.Errorf("%s: no active flag though remote_data has IsActive", u.ID)
		}
	}
	if titled == 0 {
		t.Errorf("no Salesforce user has a title; remote_data has Title")
	}
}
