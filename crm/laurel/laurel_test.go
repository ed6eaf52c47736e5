package laurel_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/sandbox"
)

// clock is a settable sandbox clock, for token expiry.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// startSandbox runs a sandbox of n users on loopback.
func startSandbox(t *testing.T, n int, now func() time.Time) (*sandbox.Server, string) {
	t.Helper()
	s := sandbox.New(sandbox.Options{Users: n, Now: now})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return s, run.URL
}

// sandboxOptions are the options that reach the sandbox at url.
func sandboxOptions(url string) laurel.Options {
	return laurel.Options{
		Name:         "laurel-test",
		BaseURL:      url,
		ClientID:     sandbox.LaurelClientID,
		ClientSecret: sandbox.LaurelClientSecret,
		CustomerID:   sandbox.LaurelCustomerID,
		// A plain client, as the other adapters' tests use: these tests see
		// the provider's first answer (the retrying default is tested in
		// crm's TestEachProviderRidesOutA429AndA504).
		HTTP: &http.Client{Timeout: 10 * time.Second},
	}
}

func open(t *testing.T, o laurel.Options) *laurel.Provider {
	t.Helper()
	p, err := laurel.New(o)
	if err != nil {
		t.Fatalf("laurel.New: %v", err)
	}
	return p
}

func TestLookupFindsAUserByIdentity(t *testing.T) {
	_, url := startSandbox(t, 120, nil)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	page, err := p.List(ctx, crm.PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := page.Users[3]
	got, err := p.Lookup(ctx, "email", want.Email)
	if err != nil {
		t.Fatalf("lookup by email %s: %v", want.Email, err)
	}
	if got.ID != want.ID {
		t.Errorf("lookup by email %s found %s (%s), want %s", want.Email, got.ID, got.DisplayName(), want.ID)
	}
	// The identities listed on the user are what an admin would type.
	var ext string
	for _, id := range want.Fields()["identities"].([]any) {
		if m := id.(map[string]any); m["type"] == "phone-extension" {
			ext = m["value"].(string)
		}
	}
	if got, err := p.Lookup(ctx, "phone-extension", ext); err != nil || got.ID != want.ID {
		t.Errorf("lookup by phone extension %q: %v, %v", ext, got.ID, err)
	}

	_, err = p.Lookup(ctx, "phone-extension", "99999")
	if !errors.Is(err, crm.ErrNotFound) || crm.AsError(err).Message != "user not found" {
		t.Errorf("lookup of an unknown extension: %v, want Laurel's not found", err)
	}
	_, err = p.Lookup(ctx, "myspace", "x")
	if !errors.Is(err, crm.ErrValidation) || !strings.Contains(err.Error(), "phone-extension") {
		t.Errorf("lookup with an unknown type: %v, want a validation error listing the types", err)
	}
	if caps := p.Info().Caps; len(caps.IdentityTypes) != 23 || caps.IdentityTypes[3] != "email" {
		t.Errorf("IdentityTypes = %v, want Laurel's 23 documented types", caps.IdentityTypes)
	}
}

func TestSaveSendsPropertiesThenStatus(t *testing.T) {
	_, url := startSandbox(t, 20, nil)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	id := firstID(t, p)
	got, err := p.Update(ctx, id, crm.Changes{"firstName": "Renée", "jobTitle": "Of Counsel", "status": "adminDisabled"})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if got.FirstName != "Renée" || got.Title != "Of Counsel" || got.Status != "adminDisabled" || *got.Active {
		t.Errorf("update answered %s / %s / %s", got.FirstName, got.Title, got.Status)
	}
	reread, err := p.Get(ctx, id)
	if err != nil || reread.FirstName != "Renée" || reread.Status != "adminDisabled" {
		t.Errorf("get after update: %+v, %v", reread, err)
	}
	only, err := p.Update(ctx, id, crm.Changes{"status": "active"})
	if err != nil || only.Status != "active" || only.FirstName != "Renée" {
		t.Errorf("status-only update: %+v, %v", only, err)
	}
}

func TestSaveSaysWhichPartWasSavedWhenStatusFails(t *testing.T) {
	s, url := startSandbox(t, 20, nil)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	id := firstID(t, p)
	before, err := p.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s.FailLaurelStatusOnce(503)
	got, err := p.Update(ctx, id, crm.Changes{"jobTitle": "Managing Partner", "firstName": "Ines", "status": "firmDisabled"})
	if err == nil {
		t.Fatal("update with a failing status request succeeded")
	}
	e := crm.AsError(err)
	if e == nil || e.Message != "saved firstName, jobTitle; status not saved: injected by the sandbox" {
		t.Errorf("partial save error: %v", err)
	}
	if !errors.Is(err, crm.ErrTransient) || e.Status != 503 {
		t.Errorf("partial save error kind: %v, want transient with HTTP 503", err)
	}
	if got.Title != "Managing Partner" || got.FirstName != "Ines" || got.Status != before.Status {
		t.Errorf("returned user %s / %s / %s, want the saved properties and the old status %s", got.FirstName, got.Title, got.Status, before.Status)
	}
	now, _ := p.Get(ctx, id)
	if now.Title != "Managing Partner" || now.Status != before.Status {
		t.Errorf("Laurel holds %s / %s", now.Title, now.Status)
	}

	// When the status is all there is to save, its error is Laurel's own.
	s.FailLaurelStatusOnce(503)
	_, err = p.Update(ctx, id, crm.Changes{"status": "firmDisabled"})
	if crm.AsError(err) == nil || !strings.HasSuffix(crm.AsError(err).Message, "injected by the sandbox") || !errors.Is(err, crm.ErrTransient) {
		t.Errorf("status-only failure: %v", err)
	}
}

func TestSaveRefusesUnknownOrReadOnlyFieldsBeforeSending(t *testing.T) {
	_, url := startSandbox(t, 20, nil)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	id := firstID(t, p)
	before, _ := p.Get(ctx, id)
	_, err := p.Update(ctx, id, crm.Changes{"jobTitle": "Partner", "roles": []string{"x"}, "status": "asleep"})
	e := crm.AsError(err)
	if e == nil || e.Kind != crm.KindValidation || e.Fields["roles"] == "" || e.Fields["status"] == "" {
		t.Fatalf("update with a read-only field and a bad status: %v", err)
	}
	after, _ := p.Get(ctx, id)
	if after.Title != before.Title {
		t.Errorf("a refused save changed the job title to %q", after.Title)
	}
}

func TestLaurelValidationNamesTheField(t *testing.T) {
	_, url := startSandbox(t, 20, nil)
	p := open(t, sandboxOptions(url))
	_, err := p.Update(context.Background(), firstID(t, p), crm.Changes{"email": "not-an-email"})
	e := crm.AsError(err)
	if e == nil || e.Kind != crm.KindValidation || e.Fields["email"] != "email must be an email" || e.Code != "Bad Request" {
		t.Fatalf("bad email: %v", err)
	}
}

func TestSearchIsSentOnlyForTwoToHundredCharacters(t *testing.T) {
	_, url := startSandbox(t, 120, nil)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	list := func(q string) crm.Page {
		t.Helper()
		page, err := p.List(ctx, crm.PageRequest{Limit: 150, Query: q})
		if err != nil {
			t.Fatalf("list with query %q: %v", q, err)
		}
		return page
	}
	found := list("lovelace")
	if found.Total == 0 || found.Total >= 120 {
		t.Fatalf("search lovelace matched %d of 120", found.Total)
	}
	for _, u := range found.Users {
		if u.LastName != "Lovelace" {
			t.Errorf("search lovelace listed %s", u.DisplayName())
		}
	}
	// Laurel refuses searches outside 2–100 characters; Roster lists instead.
	for _, q := range []string{"l", " ", strings.Repeat("x", 101)} {
		if got := list(q); got.Total != 120 {
			t.Errorf("query of %d characters listed %d users, want all 120", len(q), got.Total)
		}
	}
}

func TestIntegrationFilterListsV1InOneAnswer(t *testing.T) {
	_, url := startSandbox(t, 120, nil)
	o := sandboxOptions(url)
	o.Integration = "cloud-assistant-teams"
	if _, err := laurel.New(o); err == nil {
		t.Error("New accepted an undocumented integration")
	}
	o.Integration = "cloud-assistant-microsoft-teams"
	p := open(t, o)
	if caps := p.Info().Caps; caps.Paging != crm.PagingNone {
		t.Errorf("paging with an integration filter = %s, want none", caps.Paging)
	}
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Next != "" || len(page.Users) == 0 || len(page.Users) >= 120 || page.Total != len(page.Users) {
		t.Errorf("integration list: %d users, next %q, total %d", len(page.Users), page.Next, page.Total)
	}
	// the answer is projections (issue 12 item 8): every row has its name
	// (it read empty), nothing it does not have, and opening reads the rest
	for _, u := range page.Users {
		if u.DisplayName() != u.Name || u.Name == "" || u.Email == "" || u.Title != "" || u.Active != nil {
			t.Fatalf("a projection row reads %+v", u)
		}
	}
	full, err := p.Get(context.Background(), page.Users[0].ID)
	if err != nil || full.Status == "" || full.Name != page.Users[0].Name {
		t.Errorf("opening %s: %+v, %v", page.Users[0].ID, full, err)
	}
	email := page.Users[1].Email
	searched, err := p.List(context.Background(), crm.PageRequest{Query: email})
	if err != nil || len(searched.Users) != 1 || searched.Users[0].Email != email {
		t.Errorf("integration list searching %s: %d users, %v", email, len(searched.Users), err)
	}
}

func TestOneTokenServesManyRequests(t *testing.T) {
	s, url := startSandbox(t, 300, nil)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for page := 1; page <= 6; page++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := p.List(ctx, crm.PageRequest{Cursor: strconv.Itoa(page), Limit: 50})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Get(ctx, firstID(t, p)); err != nil {
		t.Fatal(err)
	}
	if n := s.LaurelTokensIssued(); n != 1 {
		t.Errorf("%d tokens fetched for 8 requests, want 1", n)
	}
}

func TestRefusedTokenIsRenewedOnce(t *testing.T) {
	c := &clock{now: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	s, url := startSandbox(t, 20, c.Now)
	p := open(t, sandboxOptions(url))
	ctx := context.Background()
	firstID(t, p)
	c.Add(25 * time.Hour) // Laurel's clock says the token is a day old
	if _, err := p.List(ctx, crm.PageRequest{}); err != nil {
		t.Fatalf("list after the token expired on Laurel's side: %v", err)
	}
	if n := s.LaurelTokensIssued(); n != 2 {
		t.Errorf("tokens fetched = %d, want 2", n)
	}
	// A static token cannot be renewed: the 401 reaches the admin.
	o := sandboxOptions(url)
	o.ClientID, o.ClientSecret, o.AccessToken = "", "", "stale"
	_, err := open(t, o).List(ctx, crm.PageRequest{})
	if !errors.Is(err, crm.ErrUnauthorized) || crm.AsError(err).Message != "Unauthorized" {
		t.Errorf("stale static token: %v", err)
	}
}

func TestNewChecksTheCustomerID(t *testing.T) {
	for _, id := range []string{"", "64f1c0de5a1e2b3c4d5e6f7", "64f1c0de5a1e2b3c4d5e6f7g"} {
		o := sandboxOptions("http://127.0.0.1:1")
		o.CustomerID = id
		if _, err := laurel.New(o); err == nil || !strings.Contains(err.Error(), "customer_id") {
			t.Errorf("customer id %q: %v", id, err)
		}
	}
	o := sandboxOptions("http://127.0.0.1:1")
	o.ClientSecret = ""
	if _, err := laurel.New(o); err == nil {
		t.Error("New accepted a client id without a secret")
	}
}

func firstID(t *testing.T, p crm.Provider) string {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: 5})
	if err != nil || len(page.Users) == 0 {
		t.Fatalf("list first page: %v", err)
	}
	return page.Users[0].ID
}
