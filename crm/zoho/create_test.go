package zoho_test

import (
	"context"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// Role and profile are given by name and sent as the ids Zoho's settings
// list; the body is Add User's {"users":[{…}]}.
func TestCreateSendsTheDocumentedBody(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 20})
	p := open(t, url, nil)
	u, err := p.Create(context.Background(), crm.Changes{"first_name": "Grace", "last_name": "Hopper",
		"email": "grace@example.com", "role": "manager", "profile": "4150868000000026014"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if u.ID == "" || u.Email != "grace@example.com" || u.Title != "Manager" {
		t.Errorf("created %+v", u)
	}
	bodies := s.CreateBodies("zoho")
	want := `{"users":[{"email":"grace@example.com","first_name":"Grace","last_name":"Hopper","profile":"4150868000000026014","role":"4150868000000026007"}]}`
	if len(bodies) != 1 || !providertest.SameJSON(bodies[0], want) {
		t.Errorf("wire bodies %s, want %s", bodies, want)
	}
}

// The schema offers role and profile as choices loaded from Zoho, with names.
func TestRoleAndProfileChoicesComeFromZoho(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 5})
	p := open(t, url, nil)
	for key, want := range map[string]string{"role": "CEO", "profile": "Administrator"} {
		f, _ := p.Schema().Field(key)
		if f.Choices == nil || f.Create != crm.CreateRequired {
			t.Fatalf("%s: no choices or not required at creation: %+v", key, f)
		}
		choices, err := f.Choices(context.Background())
		if err != nil || len(choices) == 0 || choices[0].Name != want || choices[0].ID == "" {
			t.Errorf("%s choices %v (%v), want %s first", key, choices, err, want)
		}
	}
}

func TestCreateRefusesAnUnknownRoleBeforeSending(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 5})
	p := open(t, url, nil)
	_, err := p.Create(context.Background(), crm.Changes{"last_name": "X", "email": "x@example.com", "role": "Pirate", "profile": "Standard"})
	if e := crm.AsError(err); e == nil || e.Kind != crm.KindValidation || e.Fields["role"] == "" {
		t.Fatalf("want validation naming role, got %v", err)
	}
	if n := len(s.CreateBodies("zoho")); n != 0 {
		t.Errorf("%d creates sent", n)
	}
}
