package crm_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// Every adapter opened without a client of its own uses the shared retrying
// client (issue 12 item 7): a 429 with Retry-After and then a 504 are ridden
// out, for each provider. Before, Laurel fell back to http.DefaultClient and
// failed at the first 429.
func TestEachProviderRidesOutA429AndA504(t *testing.T) {
	for _, c := range casesWith(func() *http.Client { return nil }) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
			p := c.open(t, url)
			u := someUser(t, p, 0)
			s.ForceError(c.prefix, http.StatusTooManyRequests, 1, time.Second)
			s.ForceError(c.prefix, http.StatusGatewayTimeout, 1, 0)
			got, err := p.Get(context.Background(), u.ID)
			if err != nil || got.ID != u.ID {
				t.Fatalf("get through a 429 and a 504: %v", err)
			}
		})
	}
}
