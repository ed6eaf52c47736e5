package crm_test

import (
	"context"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// One rule for "the same email" (crm.SameEmail): case and surrounding space
// do not matter, on either side — FindEmail, which settles lost creates,
// used to trim only the users' addresses, not the one it was given.
func TestFindEmailIgnoresCaseAndSpaceOnBothSides(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 30})
	p := providertest.Apideck(url, nil)
	found, err := crm.FindEmail(context.Background(), p, "  ADA.0@Example.com ")
	if err != nil || len(found) != 1 || found[0].ID != "10000" {
		t.Fatalf("found %+v (%v), want Ada (10000)", found, err)
	}
	if !crm.SameEmail(" Ada@Example.COM", "ada@example.com  ") || crm.SameEmail("ada@example.com", "ada@example.org") {
		t.Error("SameEmail")
	}
}
