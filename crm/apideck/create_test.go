package apideck_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

func TestCreateSendsTheDocumentedBody(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 30})
	p := open(url, false)
	u, err := p.Create(context.Background(), crm.Changes{"first_name": "Grace", "last_name": "Hopper",
		"email": "grace.hopper@example.com", "title": "Rear Admiral", "department": nil})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if u.ID == "" || u.Email != "grace.hopper@example.com" || u.FirstName != "Grace" || u.Title != "Rear Admiral" {
		t.Errorf("created user reads back as %+v", u)
	}
	bodies := s.CreateBodies("apideck")
	if len(bodies) != 1 {
		t.Fatalf("%d create requests, want 1", len(bodies))
	}
	var got map[string]any
	_ = json.Unmarshal(bodies[0], &got)
	want := map[string]any{"first_name": "Grace", "last_name": "Hopper", "title": "Rear Admiral",
		"emails": []any{map[string]any{"email": "grace.hopper@example.com", "type": "primary"}}}
	if !jsonEqual(got, want) {
		t.Errorf("wire body %s, want %v", bodies[0], want)
	}
}

func TestCreateChecksTheSchemaBeforeSending(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 5})
	p := open(url, false)
	_, err := p.Create(context.Background(), crm.Changes{"first_name": "No", "id": "x"})
	e := crm.AsError(err)
	if e == nil || e.Kind != crm.KindValidation || e.Fields["email"] == "" || e.Fields["id"] == "" {
		t.Fatalf("want a validation error naming email and id, got %v", err)
	}
	if n := len(s.CreateBodies("apideck")); n != 0 {
		t.Errorf("%d create requests sent for an invalid create", n)
	}
}

// An answer that is an HTML page from a proxy (nothing applied) is settled
// as not applied: the search finds no such user.
func TestCreateGarbledAnswerNotAppliedIsSaidSo(t *testing.T) {
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 30})
	p := open(url, false)
	s.MalformNextWrites("/crm/users", 1, false)
	_, err := p.Create(context.Background(), crm.Changes{"last_name": "Lovelace", "email": "ada.none@example.com"})
	if err == nil || crm.IsUnknownOutcome(err) {
		t.Fatalf("want not applied, got %v", err)
	}
	if !strings.Contains(err.Error(), "not applied") {
		t.Errorf("the error does not say it was not applied: %v", err)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
