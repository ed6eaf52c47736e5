package truto_test

import (
	"context"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

func TestCreatePipedriveSendsTheDocumentedBody(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{Users: 20})
	p := open(t, url, sandbox.TrutoAccountPipedrive, nil)
	u, err := p.Create(context.Background(), crm.Changes{"name": "Grace Hopper", "email": "grace@example.com", "is_active": true})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if u.ID == "" || u.Name != "Grace Hopper" || u.Email != "grace@example.com" {
		t.Errorf("created %+v", u)
	}
	bodies := s.CreateBodies("truto")
	if len(bodies) != 1 || !providertest.SameJSON(bodies[0], `{"email":"grace@example.com","is_active":true,"name":"Grace Hopper"}`) {
		t.Errorf("wire bodies %s", bodies)
	}
	if keys := s.TrutoIdempotencyKeys(sandbox.TrutoAccountPipedrive); len(keys) != 1 || keys[0] == "" {
		t.Errorf("idempotency keys %q, want one", keys)
	}
}

// Salesforce requires email, first and last name on a create as on every
// update: refused before sending.
func TestCreateSalesforceRequiresItsFields(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{Users: 5})
	p := open(t, url, sandbox.TrutoAccountSalesforce, nil)
	_, err := p.Create(context.Background(), crm.Changes{"email": "x@example.com", "name": "X"})
	e := crm.AsError(err)
	if e == nil || e.Kind != crm.KindValidation || e.Fields["first_name"] == "" || e.Fields["last_name"] == "" || e.Fields["name"] == "" {
		t.Fatalf("want validation naming first_name, last_name and name (not taken by Salesforce), got %v", err)
	}
	if n := len(s.CreateBodies("truto")); n != 0 {
		t.Errorf("%d creates sent", n)
	}
}
