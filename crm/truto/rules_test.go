package truto_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// formFields is what the edit form offers and what it insists on.
func formFields(s crm.Schema) (editable, required []string) {
	for _, f := range s.Editable() {
		editable = append(editable, f.Key)
		if f.Required {
			required = append(required, f.Key)
		}
	}
	slices.Sort(editable)
	slices.Sort(required)
	return editable, required
}

func TestFormOffersAndRequiresWhatTheCRMDoes(t *testing.T) {
	cases := []struct {
		integration        string
		editable, required []string
	}{
		{"salesforce", []string{"email", "first_name", "last_name"}, []string{"email", "first_name", "last_name"}},
		{"pipedrive", []string{"email", "is_active", "name"}, nil},
		{"outreach", []string{"email", "first_name", "last_name", "name"}, nil},
		{"onepagecrm", []string{"email", "name"}, nil},
		{"planhat", []string{"email", "is_active", "name"}, nil}, // custom_fields: shown, not edited
		{"Wix", []string{"email", "is_active", "name"}, nil},
		{"", []string{"email", "first_name", "is_active", "last_name", "name"}, nil},
		{"hubspot", []string{"email", "first_name", "is_active", "last_name", "name"}, nil},
	}
	for _, c := range cases {
		p, err := truto.New(truto.Options{Token: "t", IntegratedAccountID: "a", Integration: c.integration})
		if err != nil {
			t.Fatal(err)
		}
		editable, required := formFields(p.Schema())
		if !slices.Equal(editable, c.editable) || !slices.Equal(required, c.required) {
			t.Errorf("%q: form offers %v requiring %v, want %v requiring %v", c.integration, editable, required, c.editable, c.required)
		}
		rd, ok := p.Schema().Field("remote_data")
		if !ok || rd.Type != crm.TypeObject || rd.Editable {
			t.Errorf("%q: remote_data is %+v, want a read-only object field", c.integration, rd)
		}
	}
}

// A save that would leave a required field empty never reaches Truto.
func TestMissingRequiredFieldIsRefusedBeforeSending(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountSalesforce, nil)
	ctx := context.Background()

	// Person 13 has no last name; Salesforce wants one on every update.
	noLast := userAt(t, p, 13)
	if noLast.LastName != "" {
		t.Fatalf("sandbox person 13 has last name %q; the test needs one without", noLast.LastName)
	}
	_, err := p.Update(ctx, noLast.ID, crm.Changes{"first_name": "Ada"})
	assertFieldRefused(t, err, "last_name")

	someone := userAt(t, p, 1)
	_, err = p.Update(ctx, someone.ID, crm.Changes{"email": "  "})
	assertFieldRefused(t, err, "email")

	_, err = p.Update(ctx, someone.ID, crm.Changes{"name": "Not A Salesforce Field"})
	assertFieldRefused(t, err, "name")

	if n := s.TrutoWrites(sandbox.TrutoAccountSalesforce); n != 0 {
		t.Errorf("the sandbox applied %d writes; refused saves must not be sent", n)
	}
	if keys := s.TrutoIdempotencyKeys(sandbox.TrutoAccountSalesforce); len(keys) != 0 {
		t.Errorf("the sandbox received PATCHes with keys %v; refused saves must not be sent", keys)
	}
}

func assertFieldRefused(t *testing.T, err error, field string) {
	t.Helper()
	if !errors.Is(err, crm.ErrValidation) {
		t.Fatalf("got %v, want a validation error about %s", err, field)
	}
	if msg := crm.AsError(err).Fields[field]; msg == "" {
		t.Errorf("validation error %v does not name %s", err, field)
	}
}

// userAt finds the sandbox's person i in the first pages of the listing.
func userAt(t *testing.T, p *truto.Provider, i int) crm.User {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 100})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if i >= len(page.Users) {
		t.Fatalf("person %d is not on the first page", i)
	}
	return page.Users[i]
}
