package laurel_test

import (
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/providertest"
)

func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		Name:   "laurel",
		Prefix: "/api/v2/", // the list; the token endpoint lives under /api/v1/
		Open: func(t *testing.T, url string, bad bool) crm.Provider {
			o := sandboxOptions(url)
			if bad {
				o.ClientSecret = "wrong-secret"
			}
			p, err := laurel.New(o)
			if err != nil {
				t.Fatalf("laurel.New: %v", err)
			}
			return p
		},
		// status makes the save two requests (PATCH, then PATCH …/status).
		Edit:     crm.Changes{"firstName": "Renée", "jobTitle": "Of Counsel", "status": "firmDisabled"},
		Invalid:  crm.Changes{"email": "not-an-email"},
		PageSize: 40,
	})
}
