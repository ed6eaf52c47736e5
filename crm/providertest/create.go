package providertest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/roster-tui/roster/crm"
)

// createLostAnswer: a create whose answer is cut short after the provider
// applied it is settled by searching for its email — reported created, with
// the email, and sent once, never again.
func (c contract) createLostAnswer(t *testing.T) {
	s, url := start(t)
	p := c.h.Open(t, url, false)
	creator, ok := p.(crm.Creator)
	if !ok {
		if c.h.Create != nil {
			t.Fatal("the harness has a Create for a provider that cannot create")
		}
		t.Skip("provider cannot create")
	}
	email, _ := c.h.Create["email"].(string)
	if email == "" { // a provider that creates is tested, never skipped
		t.Fatal("the harness has no Create (with an email) for a provider that can create: give it one")
	}
	ctx := context.Background()
	kind := p.Info().Kind
	s.MalformNextWrites(c.h.Prefix, 1, true)
	u, err := creator.Create(ctx, c.h.Create)
	if err != nil {
		t.Fatalf("create %v with a cut answer: %v", c.h.Create, err)
	}
	if u.ID == "" || u.Email != email {
		t.Errorf("settled %+v, want an id and %s", u, email)
	}
	if n := len(s.CreateBodies(kind)); n != 1 {
		t.Errorf("%d creates sent, want 1 (never re-sent)", n)
	}
	found, err := crm.FindEmail(ctx, p, email)
	if err != nil || len(found) != 1 {
		t.Errorf("users with the email: %d (%v), want 1", len(found), err)
	}
}

// SameJSON reports whether a wire body and the JSON text b hold the same
// value, whatever their key order and spacing.
func SameJSON(a json.RawMessage, b string) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
