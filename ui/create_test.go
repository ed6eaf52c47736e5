package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-tui/roster/crm"
)

// c opens the create form from the schema; the preview starts on Cancel;
// the new user is created once, appears in the list and opens.
func TestCreateUserFromTheList(t *testing.T) {
	p, srv := newApideck(t)
	d := newDriver(t, p)
	d.waitFor("of 120")
	d.key("c")
	d.waitFor("New sales user")
	// First name, Last name, Email * …
	d.typeText("Hedy")
	d.key("tab")
	d.waitFor("┃ Last name")
	d.typeText("Lamarr")
	d.key("tab")
	d.waitFor("┃ Email")
	d.typeText("hedy@example.com")
	d.key("ctrl+s")
	v := d.waitFor("Create this user in sales?")
	if !strings.Contains(v, "hedy@example.com") || !strings.Contains(v, "> Cancel <") {
		t.Fatalf("preview:\n%s", v)
	}
	d.key("enter") // Cancel: back to the form, nothing sent
	d.waitFor("New sales user")
	if n := len(srv.CreateBodies("apideck")); n != 0 {
		t.Fatalf("%d creates sent before confirming", n)
	}
	d.key("ctrl+s")
	d.waitFor("Create this user in sales?")
	d.key("right")
	d.key("enter")
	v = d.waitFor("created Hedy Lamarr")
	if !strings.Contains(v, "Email (primary)") || !strings.Contains(v, "hedy@example.com") {
		t.Fatalf("the new user should open:\n%s", v)
	}
	if n := len(srv.CreateBodies("apideck")); n != 1 {
		t.Fatalf("%d creates sent, want 1", n)
	}
	d.key("esc")
	d.key("G")
	d.waitFor("Hedy Lamarr") // in the list
	found, err := crm.FindEmail(context.Background(), p, "hedy@example.com")
	if err != nil || len(found) != 1 {
		t.Fatalf("provider has %d users with that email, err %v", len(found), err)
	}
}

// Zoho's role and profile are selects of the org's roles and profiles,
// loaded from Zoho, shown by name.
func TestCreateFormOffersZohoRolesByName(t *testing.T) {
	_, url := startSandbox(t)
	p := zohoAt(t, url, nil)
	d := newDriver(t, p)
	d.apply(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.waitIdle()
	d.key("c")
	d.waitFor("New crm user")
	d.waitIdle()  // the choices load
	for range 3 { // first, last, email → role
		d.key("tab")
	}
	v := d.waitFor("┃ Role")
	roles, err := p.Roles(context.Background())
	if err != nil || len(roles) == 0 {
		t.Fatalf("roles %v, err %v", roles, err)
	}
	if !strings.Contains(v, roles[0].Name) {
		t.Fatalf("the role select should name %q:\n%s", roles[0].Name, v)
	}
	golden.RequireEqual(t, []byte(v))
}
