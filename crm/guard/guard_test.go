package guard_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// newApideck is the real adapter over a loopback sandbox.
func newApideck(t *testing.T) *apideck.Provider {
	t.Helper()
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 20})
	return providertest.Apideck(url, nil)
}

func title(t *testing.T, p crm.Provider, id string) string {
	t.Helper()
	u, err := p.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Title
}

func TestRolesDecideWhatReachesTheProvider(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		role            guard.Role
		readOnly        bool
		update, delete  bool
		refusalMentions string
	}{
		{role: guard.Viewer, refusalMentions: "viewer"},
		{role: guard.Editor, update: true, refusalMentions: "editor"},
		{role: guard.Admin, update: true, delete: true},
		{role: guard.Admin, readOnly: true, refusalMentions: "read-only"},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			inner := newApideck(t)
			p := guard.Wrap(inner, tc.role, tc.readOnly)
			before := title(t, inner, "10000")

			if caps := p.Info().Caps; caps.Update != tc.update || caps.Delete != tc.delete {
				t.Fatalf("caps update=%v delete=%v, want %v %v", caps.Update, caps.Delete, tc.update, tc.delete)
			}
			if page, err := p.List(ctx, crm.PageRequest{Limit: 5}); err != nil || len(page.Users) == 0 {
				t.Fatalf("every role reads: list = %d users, %v", len(page.Users), err)
			}

			_, err := p.Update(ctx, "10000", crm.Changes{"title": "Changed"})
			switch {
			case tc.update && err != nil:
				t.Fatalf("update refused: %v", err)
			case tc.update && title(t, inner, "10000") != "Changed":
				t.Fatal("update did not reach the sandbox")
			case !tc.update:
				if !errors.Is(err, crm.ErrForbidden) || !strings.Contains(err.Error(), tc.refusalMentions) {
					t.Fatalf("update = %v, want forbidden mentioning %q", err, tc.refusalMentions)
				}
				if got := title(t, inner, "10000"); got != before {
					t.Fatalf("refused update still changed the title to %q", got)
				}
				for _, f := range p.Schema().Fields {
					if f.Editable {
						t.Fatalf("field %s is editable for a role that cannot update", f.Key)
					}
				}
			}

			err = p.Delete(ctx, "10001")
			_, getErr := inner.Get(ctx, "10001")
			switch {
			case tc.delete && (err != nil || !errors.Is(getErr, crm.ErrNotFound)):
				t.Fatalf("admin delete = %v, then get = %v", err, getErr)
			case !tc.delete && (!errors.Is(err, crm.ErrForbidden) || getErr != nil):
				t.Fatalf("delete = %v (want forbidden), user still there: %v", err, getErr)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"viewer", "editor", "admin"} {
		if r, err := guard.ParseRole(s); err != nil || string(r) != s {
			t.Fatalf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	if _, err := guard.ParseRole("root"); err == nil {
		t.Fatal("root is not a role")
	}
}

// countingTransport counts the requests that reach the wire.
type countingTransport struct {
	mu     sync.Mutex
	writes int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		c.mu.Lock()
		c.writes++
		c.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func (c *countingTransport) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// Truto's 405 is news from the provider: the adapter reports it in Info and
// the guard, the only gate, refuses every later write without sending it.
func TestProviderThatRefusedAWriteIsRefusedWithoutIO(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 20})
	wire := &countingTransport{}
	inner, err := truto.New(truto.Options{Name: "t", BaseURL: url, Token: sandbox.TrutoToken,
		IntegratedAccountID: sandbox.TrutoAccountReadOnly, Integration: sandbox.TrutoIntegration(sandbox.TrutoAccountReadOnly),
		HTTP: &http.Client{Transport: wire}})
	if err != nil {
		t.Fatal(err)
	}
	p := guard.Wrap(inner, guard.Admin, false)
	ctx := context.Background()
	page, err := p.List(ctx, crm.PageRequest{Limit: 1})
	if err != nil || len(page.Users) == 0 {
		t.Fatalf("list: %v", err)
	}
	id := page.Users[0].ID
	if _, err := p.Update(ctx, id, crm.Changes{"name": "Nope"}); !errors.Is(err, crm.ErrForbidden) {
		t.Fatalf("first update: %v, want the provider's refusal", err)
	}
	if wire.count() != 1 {
		t.Fatalf("the first update sent %d writes, want 1", wire.count())
	}
	if caps := p.Info().Caps; caps.Update || caps.Delete {
		t.Errorf("after the 405 the guard still offers writes: %+v", caps)
	}
	_, uerr := p.Update(ctx, id, crm.Changes{"name": "Nope again"})
	derr := p.Delete(ctx, id)
	if !errors.Is(uerr, crm.ErrForbidden) || !errors.Is(derr, crm.ErrForbidden) || !strings.Contains(uerr.Error(), "refuses writes") {
		t.Errorf("after the 405: update %v, delete %v; want forbidden saying the account refuses writes", uerr, derr)
	}
	if wire.count() != 1 {
		t.Errorf("%d writes reached the wire after the provider refused one; the guard must refuse them itself", wire.count()-1)
	}
	for _, f := range p.Schema().Fields {
		if f.Editable {
			t.Fatalf("field %s is still editable on an account that refuses writes", f.Key)
		}
	}
}

// A capability never outlives its method: an adapter without Lookup
// (Apideck) or without Create (Laurel) is not offered it.
func TestOptionalAbilitiesFollowTheAdapter(t *testing.T) {
	ctx := context.Background()
	p := guard.Wrap(newApideck(t), guard.Admin, false)
	if ids := p.Info().Caps.IdentityTypes; len(ids) != 0 {
		t.Errorf("apideck has no Lookup, caps say identity types %v", ids)
	}
	if _, err := p.Lookup(ctx, "email", "a@example.com"); !errors.Is(err, crm.ErrUnsupported) {
		t.Errorf("lookup through the guard: %v, want unsupported", err)
	}
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 5})
	l, err := laurel.New(laurel.Options{Name: "l", BaseURL: url, ClientID: sandbox.LaurelClientID,
		ClientSecret: sandbox.LaurelClientSecret, CustomerID: sandbox.LaurelCustomerID, HTTP: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	lp := guard.Wrap(l, guard.Admin, false)
	if lp.Info().Caps.Create {
		t.Error("laurel has no Create, caps say it has")
	}
	if _, err := lp.Create(ctx, crm.Changes{"firstName": "A"}); !errors.Is(err, crm.ErrUnsupported) {
		t.Errorf("create through the guard: %v, want unsupported", err)
	}
}

// The person rules (issue 16): viewers may only read, editors may create
// (onboard) and update (deactivate), only admins may delete. The guard
// alone decides, for Create as for the other writes.
func TestCreateNeedsAnEditor(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		role   guard.Role
		create bool
	}{{guard.Viewer, false}, {guard.Editor, true}, {guard.Admin, true}} {
		t.Run(string(tc.role), func(t *testing.T) {
			inner := newApideck(t)
			p := guard.Wrap(inner, tc.role, false)
			if got := p.Info().Caps.Create; got != tc.create {
				t.Fatalf("caps create = %v, want %v", got, tc.create)
			}
			email := "onboard." + string(tc.role) + "@example.com"
			u, err := p.Create(ctx, crm.Changes{"email": email, "first_name": "On", "last_name": "Board"})
			if tc.create {
				if err != nil || u.ID == "" {
					t.Fatalf("create as %s: %v", tc.role, err)
				}
				return
			}
			if !errors.Is(err, crm.ErrForbidden) || !strings.Contains(err.Error(), string(tc.role)) {
				t.Fatalf("create as %s = %v, want forbidden naming the role", tc.role, err)
			}
			if found, err := crm.FindEmail(ctx, inner, email); err != nil || len(found) != 0 {
				t.Fatalf("a refused create reached the provider: %d users, %v", len(found), err)
			}
		})
	}
	if p := guard.Wrap(newApideck(t), guard.Admin, true); p.Info().Caps.Create {
		t.Error("read_only still offers create")
	}
}
