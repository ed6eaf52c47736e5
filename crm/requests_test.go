package crm_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// A save through the conflict check and the audit decorator reads the user
// once before the write and once after at most ("fewer requests per save"):
// the conflict check's read travels with the update (crm.WithBase) and the
// adapter (Apideck's emails, Truto's required fields) and the audit entry's
// "before" reuse it. Before, an Apideck email save made three GETs before
// the PATCH, and Truto Salesforce two.
func TestASaveReadsOnceBeforeTheWrite(t *testing.T) {
	cases := map[string]crm.Changes{
		"apideck": {"title": "Countess", "email": "ada.new@example.com"},
		"zoho":    {"language": "fr_FR"},
		"truto":   {"first_name": "Augusta"},
		"laurel":  {"jobTitle": "Countess"},
	}
	for _, c := range outcomeCases() {
		t.Run(c.name, func(t *testing.T) {
			s, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
			log, err := audit.Open(filepath.Join(t.TempDir(), "audit.log"))
			if err != nil {
				t.Fatal(err)
			}
			p := audit.Wrap(c.open(t, url), log, audit.Who{})
			original := someUser(t, p, 0)
			start := len(s.Requests())
			if _, err := crm.CheckedUpdate(context.Background(), p, original, cases[c.name]); err != nil {
				t.Fatal(err)
			}
			var gets, writes []string
			for _, r := range s.Requests()[start:] {
				if strings.Contains(r, "/oauth") || strings.Contains(r, "/token") {
					continue // token requests are not reads of the user
				}
				if strings.HasPrefix(r, "GET ") {
					gets = append(gets, r)
				} else {
					writes = append(writes, r)
				}
			}
			wantGets := 2 // one before, one after (the write's answer is only an id)
			if c.name == "truto" || c.name == "laurel" {
				wantGets = 1 // the write answers the user
			}
			if len(writes) != 1 || len(gets) != wantGets {
				t.Errorf("a save made %d reads and %d writes: %v %v; want %d reads and 1 write", len(gets), len(writes), gets, writes, wantGets)
			}
		})
	}
}
