// Package providertest is the contract suite every crm.Provider adapter
// passes against the sandbox: paging without gaps or repeats, get, partial
// update, delete, and the typed errors the UI and CLI rely on. Adapters call
// Run from their own tests with a Harness describing how to open them.
package providertest

import (
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// SandboxUsers is how many users each subtest's sandbox holds: more than one
// page at any page size the harnesses use, and not a multiple of them, so the
// last page is a short one.
const SandboxUsers = 250

// Harness describes one provider for the contract suite.
type Harness struct {
	Name string
	// Prefix is the protocol's path prefix in the sandbox (for ForceError), e.g. "/crm/".
	Prefix string
	// Open connects the provider under test to the sandbox at url; bad=true uses wrong credentials.
	Open func(t *testing.T, url string, bad bool) crm.Provider
	// Edit is a valid change the update test applies (keys from the schema).
	Edit crm.Changes
	// Derived lists raw keys an edit may legitimately change besides the
	// edited ones: values the provider computes from them (Truto's
	// remote_data mirrors the CRM's record; Salesforce derives "name").
	Derived []string
	// Create is a valid new user (with an email, which settles a lost
	// answer) for a provider that can create (crm.Creator).
	Create crm.Changes
	// Invalid is a change the sandbox rejects as invalid naming a field (→ KindValidation with Fields).
	Invalid crm.Changes
	// PageSize used when listing (must be ≤ the provider's max).
	PageSize int
	// NoDeactivate says the provider's docs give no way to deactivate a
	// user: it must then declare none (crm.DeactivateChanges false).
	NoDeactivate bool
}

// Run runs the contract suite: each subtest starts its own sandbox
// (sandbox.New(sandbox.Options{Users: 250}).Start) so they are independent.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.Open == nil {
		t.Fatal("providertest: Harness.Open is nil")
	}
	if h.PageSize <= 0 {
		h.PageSize = 50
	}
	c := contract{h: h}
	t.Run("ListAllPages", c.listAllPages)
	t.Run("GetMatchesList", c.getMatchesList)
	t.Run("UpdateChangesOnlyEditedFields", c.updateChangesOnlyEditedFields)
	t.Run("DeleteThenGetIsNotFound", c.deleteThenGet)
	t.Run("BadCredentialsAreUnauthorized", c.badCredentials)
	t.Run("GetMissingIsNotFound", c.getMissing)
	t.Run("InvalidChangeIsValidation", c.invalidChange)
	t.Run("RateLimitCarriesRetryAfter", c.rateLimited)
	t.Run("ServiceUnavailableIsTransient", c.serviceUnavailable)
	t.Run("DeactivateShowsInactive", c.deactivate)
	t.Run("CreateLostAnswerIsSettledNotResent", c.createLostAnswer)
}

// contract holds the harness for the subtests.
type contract struct{ h Harness }

// start runs a fresh sandbox for one subtest and closes it when it ends.
func start(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	return StartSandbox(t, sandbox.Options{Users: SandboxUsers})
}
