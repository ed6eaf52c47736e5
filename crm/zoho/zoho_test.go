package zoho_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/zoho"
)

// open connects an adapter to a sandbox with a plain http.Client, so tests
// see the raw errors rather than any retrying transport. Only the accounts
// server is configured: the API is found through the token's api_domain.
func open(t *testing.T, url string, mod func(*zoho.Options)) *zoho.Provider {
	t.Helper()
	o := zoho.Options{Name: "zoho-test", AccountsURL: url, ClientID: sandbox.ZohoClientID,
		ClientSecret: sandbox.ZohoClientSecret, RefreshToken: sandbox.ZohoRefreshToken, HTTP: &http.Client{}}
	if mod != nil {
		mod(&o)
	}
	p, err := zoho.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		Name:   "zoho",
		Prefix: "/crm/v2/",
		Open: func(t *testing.T, url string, bad bool) crm.Provider {
			return open(t, url, func(o *zoho.Options) {
				if bad {
					o.RefreshToken = "1000.not-the-refresh-token"
				}
			})
		},
		Edit:     crm.Changes{"city": "Porto", "alias": "Roster", "dob": "1990-02-03", "mobile": nil},
		Create:   crm.Changes{"last_name": "Lost", "email": "lost@example.com", "role": "CEO", "profile": "Standard"},
		Invalid:  crm.Changes{"email": "not an email"},
		PageSize: 40,
		// Zoho's docs document no request that changes a user's status.
		NoDeactivate: true,
	})
}

// clock is the sandbox's clock, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func start(t *testing.T, users int) (*sandbox.Server, string, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	s := sandbox.New(sandbox.Options{Users: users, Now: c.Now})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return s, run.URL, c
}

func TestExpiredTokenIsRefreshedOnceForConcurrentRequests(t *testing.T) {
	s, url, clk := start(t, 50)
	p := open(t, url, nil)
	ctx := context.Background()
	if _, err := p.List(ctx, crm.PageRequest{Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if n := s.ZohoTokensIssued(); n != 1 {
		t.Fatalf("first call fetched %d tokens, want 1", n)
	}
	// The sandbox's hour passes: every request now carries an expired token.
	clk.Add(2 * time.Hour)
	var wg sync.WaitGroup
	errs := make(chan error, sandbox.ZohoMaxInFlight)
	for i := range sandbox.ZohoMaxInFlight {
		wg.Go(func() {
			_, err := p.List(ctx, crm.PageRequest{Limit: 10, Cursor: string(rune('1' + i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("request after expiry: %v", err)
		}
	}
	if n := s.ZohoTokensIssued(); n != 2 {
		t.Fatalf("%d concurrent requests after expiry fetched %d new tokens, want exactly 1", sandbox.ZohoMaxInFlight, n-1)
	}
}

func TestRefreshRefusedAsksToReauthorise(t *testing.T) {
	s, url, _ := start(t, 10)
	p := open(t, url, func(o *zoho.Options) { o.RefreshToken = "1000.revoked" })
	for range 3 {
		_, err := p.List(context.Background(), crm.PageRequest{})
		if !errors.Is(err, crm.ErrUnauthorized) || !strings.Contains(err.Error(), "re-authorise Roster with Zoho: invalid_code") {
			t.Fatalf("list with a revoked grant: %v", err)
		}
	}
	if n := s.ZohoTokensIssued(); n != 0 {
		t.Fatalf("issued %d tokens for a revoked grant", n)
	}
}

func TestStaticAccessTokenIsNeverRefreshed(t *testing.T) {
	s, url, clk := start(t, 10)
	p := open(t, url, func(o *zoho.Options) {
		o.AccessToken, o.RefreshToken, o.BaseURL = s.IssueZohoAccessToken(), "", url
	})
	if _, err := p.Get(context.Background(), firstID(t, p)); err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Hour)
	_, err := p.List(context.Background(), crm.PageRequest{})
	if !errors.Is(err, crm.ErrUnauthorized) || crm.AsError(err).Code != "INVALID_TOKEN" {
		t.Fatalf("expired static token: %v", err)
	}
	if n := s.ZohoTokensIssued(); n != 0 {
		t.Fatalf("a static token was refreshed %d times", n)
	}
}

func firstID(t *testing.T, p crm.Provider) string {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 5})
	if err != nil || len(page.Users) == 0 {
		t.Fatalf("first page: %v (%d users)", err, len(page.Users))
	}
	return page.Users[0].ID
}

func TestEmptyListIs204(t *testing.T) {
	_, url, _ := start(t, 10)
	p := open(t, url, nil)
	page, err := p.List(context.Background(), crm.PageRequest{View: "DeletedUsers"})
	if err != nil || len(page.Users) != 0 || page.Next != "" {
		t.Fatalf("no deleted users: %+v, %v", page, err)
	}
	id := firstID(t, p)
	if err := p.Delete(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	page, err = p.List(context.Background(), crm.PageRequest{View: "DeletedUsers"})
	if err != nil || len(page.Users) != 1 || page.Users[0].ID != id {
		t.Fatalf("after a delete, DeletedUsers lists %+v, %v", page.Users, err)
	}
}

func TestRefreshKeepsWhatItHasOn304(t *testing.T) {
	_, url, clk := start(t, 10)
	p := open(t, url, nil)
	ctx := context.Background()
	since := clk.Now().Format(time.RFC3339)
	_, err := p.List(ctx, crm.PageRequest{IfModifiedSince: since})
	if !errors.Is(err, crm.ErrNotModified) {
		t.Fatalf("nothing changed: got %v, want not modified", err)
	}
	clk.Add(time.Minute)
	if _, err := p.Update(ctx, firstID(t, p), crm.Changes{"city": "Faro"}); err != nil {
		t.Fatal(err)
	}
	page, err := p.List(ctx, crm.PageRequest{IfModifiedSince: since})
	if err != nil || len(page.Users) == 0 {
		t.Fatalf("after an edit the conditional list must answer users: %v", err)
	}
}

func TestPerItemErrorInsideA200IsAnError(t *testing.T) {
	_, url, _ := start(t, 10)
	p := open(t, url, nil)
	ctx := context.Background()
	id := firstID(t, p)
	_, err := p.Update(ctx, id, crm.Changes{"dob": "3 February 1990"})
	e := crm.AsError(err)
	if e == nil || e.Kind != crm.KindValidation || e.Status != 200 || e.Code != "INVALID_DATA" || e.Fields["dob"] == "" {
		t.Fatalf("a refused item inside a 200: got %#v", err)
	}
	if !strings.Contains(e.Fields["dob"], "invalid data") {
		t.Errorf("the field message must carry Zoho's words: %q", e.Fields["dob"])
	}
	_, err = p.Update(ctx, id, crm.Changes{"status": "disabled"})
	if !errors.Is(err, crm.ErrValidation) {
		t.Fatalf("changing a read-only field: %v", err)
	}
}

func TestUpdateUsesPutAndSticks(t *testing.T) {
	_, url, _ := start(t, 10)
	p := open(t, url, nil)
	ctx := context.Background()
	id := firstID(t, p)
	u, err := p.Update(ctx, id, crm.Changes{"first_name": "Ada", "last_name": "Byron"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Ada Byron" || u.FirstName != "Ada" {
		t.Fatalf("after renaming, the user reads %q", u.Name)
	}
}

func TestDeleteTwiceIsNotFound(t *testing.T) {
	_, url, _ := start(t, 10)
	p := open(t, url, nil)
	id := firstID(t, p)
	if err := p.Delete(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(context.Background(), id); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestViewsAndDataCentres(t *testing.T) {
	_, url, _ := start(t, 120)
	p := open(t, url, func(o *zoho.Options) { o.UserType = "AdminUsers"; o.MaxConcurrency = 3 })
	caps := p.Info().Caps
	if caps.Views[0] != "AdminUsers" || len(caps.Views) != len(zoho.UserTypes) || caps.MaxConcurrency != 3 || caps.Paging != crm.PagingNumber {
		t.Fatalf("caps: %+v", caps)
	}
	page, err := p.List(context.Background(), crm.PageRequest{})
	if err != nil || len(page.Users) == 0 {
		t.Fatalf("default view: %v", err)
	}
	for _, u := range page.Users {
		if !strings.Contains(string(u.Raw), `"Administrator"`) {
			t.Fatalf("the default AdminUsers view listed %s", u.Raw)
		}
	}
	if _, err := zoho.New(zoho.Options{DataCenter: "mars", AccessToken: "x"}); err == nil {
		t.Fatal("an unknown data centre was accepted")
	}
	for dc, hosts := range zoho.DataCenters() {
		if !strings.HasPrefix(hosts.API, "https://www.zohoapis.") || !strings.Contains(hosts.Accounts, "accounts.zoho") {
			t.Errorf("data centre %s: %+v", dc, hosts)
		}
	}
	if _, ok := any(p).(crm.IdentityLookup); ok {
		t.Fatal("Zoho's users have no external identities, but the adapter is a crm.IdentityLookup")
	}
}

func TestGivenAccessTokenIsUsedUntilRefusedThenRefreshed(t *testing.T) {
	s, url, clk := start(t, 10)
	p := open(t, url, func(o *zoho.Options) { o.AccessToken, o.BaseURL = s.IssueZohoAccessToken(), url })
	if _, err := p.List(context.Background(), crm.PageRequest{}); err != nil {
		t.Fatal(err)
	}
	if n := s.ZohoTokensIssued(); n != 0 {
		t.Fatalf("refreshed %d times while the given token was good", n)
	}
	clk.Add(2 * time.Hour)
	if _, err := p.List(context.Background(), crm.PageRequest{}); err != nil {
		t.Fatalf("after the given token expired: %v", err)
	}
	if n := s.ZohoTokensIssued(); n != 1 {
		t.Fatalf("refreshed %d times after the given token expired, want 1", n)
	}
}

// Users of a page share the page's body for their raw JSON; each must still
// be exactly its own object (the detail view shows it), and growing one
// (a caller appending to Raw) must not overwrite the next user.
func TestEachUsersRawIsItsOwnObject(t *testing.T) {
	_, url, _ := start(t, 30)
	p := open(t, url, nil)
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 10})
	if err != nil || len(page.Users) != 10 {
		t.Fatalf("list: %d users, %v", len(page.Users), err)
	}
	for _, u := range page.Users {
		var obj map[string]any
		if err := json.Unmarshal(u.Raw, &obj); err != nil || obj["id"] != u.ID || obj["email"] != u.Email {
			t.Fatalf("user %s: raw %q is not its own object (%v)", u.ID, u.Raw, err)
		}
	}
	second := string(page.Users[1].Raw)
	_ = append(page.Users[0].Raw, `,"spill":true}`...)
	if string(page.Users[1].Raw) != second {
		t.Fatalf("appending to user 0's raw changed user 1's: %s", page.Users[1].Raw)
	}
}
