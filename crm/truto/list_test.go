package truto_test

import (
	"context"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// The list's search goes to Truto's email filter for addresses and to its
// name filter otherwise.
func TestSearchUsesTrutosFilters(t *testing.T) {
	_, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountPipedrive, nil)
	if !p.Info().Caps.ServerSearch {
		t.Fatal("Truto searches on the server")
	}
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 50, Query: "grace.1@"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Users) != 1 || page.Users[0].Email != "grace.1@example.com" {
		t.Errorf("search by email found %v", page.Users)
	}
	page, err = p.List(context.Background(), crm.PageRequest{Limit: 50, Query: "lovelace"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Users) == 0 {
		t.Fatal("search by name found nobody")
	}
	for _, u := range page.Users {
		if !strings.Contains(strings.ToLower(u.Name), "lovelace") {
			t.Errorf("search by name found %q", u.Name)
		}
	}
}

// Salesforce answers no first/last name in the unified model; the adapter
// reads them from the CRM's own record so the form starts filled in.
func TestNamePartsComeFromRemoteData(t *testing.T) {
	_, url := startSandbox(t, sandbox.Options{})
	for _, account := range []string{sandbox.TrutoAccountSalesforce, sandbox.TrutoAccountOutreach} {
		p := open(t, url, account, nil)
		u := userAt(t, p, 1)
		if u.FirstName == "" || u.LastName == "" || u.Value("first_name") != u.FirstName {
			t.Errorf("%s: first %q last %q", sandbox.TrutoIntegration(account), u.FirstName, u.LastName)
		}
	}
}
