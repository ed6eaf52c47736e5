package crm_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/zoho"
)

// startZoho runs a sandbox whose calls take a little while, so concurrent
// page fetches overlap, and opens a Zoho provider on it with a plain client
// (a 429 would surface as an error instead of being retried away).
func startZoho(t *testing.T, users int) (*sandbox.Server, crm.Provider) {
	t.Helper()
	s := sandbox.New(sandbox.Options{Users: users, Latency: 5 * time.Millisecond})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	p, err := zoho.New(zoho.Options{AccountsURL: run.URL, BaseURL: run.URL, ClientID: sandbox.ZohoClientID,
		ClientSecret: sandbox.ZohoClientSecret, RefreshToken: sandbox.ZohoRefreshToken, HTTP: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

// listSequentially is the reference: one page after another.
func listSequentially(t *testing.T, p crm.Provider, req crm.PageRequest) []string {
	t.Helper()
	var ids []string
	for {
		page, err := p.List(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Users {
			ids = append(ids, u.ID)
		}
		if page.Next == "" {
			return ids
		}
		req.Cursor = page.Next
	}
}

func TestLoadAllFetchesPagesConcurrentlyInOrderWithinTheCap(t *testing.T) {
	s, p := startZoho(t, 1010)
	req := crm.PageRequest{Limit: 50}
	var progress []int
	users, err := crm.LoadAll(context.Background(), p, req, func(loaded, total int) {
		progress = append(progress, loaded)
	})
	if err != nil {
		t.Fatalf("load all with the default concurrency of %d against a cap of %d: %v",
			p.Info().Caps.MaxConcurrency, sandbox.ZohoMaxInFlight, err)
	}
	if peak := s.ZohoPeakInFlight(); peak > p.Info().Caps.MaxConcurrency {
		t.Errorf("%d calls were in flight at once, more than max_concurrency %d", peak, p.Info().Caps.MaxConcurrency)
	}
	want := listSequentially(t, p, req)
	if len(users) != len(want) || len(want) != 1010 {
		t.Fatalf("load all found %d users, a sequential listing %d, the sandbox holds 1010", len(users), len(want))
	}
	for i := range want {
		if users[i].ID != want[i] {
			t.Fatalf("user %d is %s, the sequential listing has %s there", i, users[i].ID, want[i])
		}
	}
	if len(progress) != 21 || progress[len(progress)-1] != 1010 {
		t.Errorf("progress reported %v, want one report per page ending at 1010", progress)
	}
}

func TestLoadAllStopsAtTheLastPageAndStartsAtTheCursor(t *testing.T) {
	_, p := startZoho(t, 130)
	users, err := crm.LoadAll(context.Background(), p, crm.PageRequest{Limit: 50, Cursor: "2"}, nil)
	if err != nil || len(users) != 80 {
		t.Fatalf("from page 2: %d users, %v; want the last 80", len(users), err)
	}
	users, err = crm.LoadAll(context.Background(), p, crm.PageRequest{View: "DeletedUsers"}, nil)
	if err != nil || len(users) != 0 {
		t.Fatalf("an empty view: %d users, %v", len(users), err)
	}
}

// cursorPaged presents a provider as one with opaque cursors.
type cursorPaged struct{ crm.Provider }

func (c cursorPaged) Info() crm.Info {
	i := c.Provider.Info()
	i.Caps.Paging = crm.PagingCursor
	return i
}

func TestLoadAllReadsCursorProvidersOnePageAfterAnother(t *testing.T) {
	s, p := startZoho(t, 260)
	users, err := crm.LoadAll(context.Background(), cursorPaged{p}, crm.PageRequest{Limit: 50}, nil)
	if err != nil || len(users) != 260 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if peak := s.ZohoPeakInFlight(); peak != 1 {
		t.Errorf("a cursor provider had %d calls in flight at once", peak)
	}
}

func TestLoadAllStopsOnErrorsAndCancellation(t *testing.T) {
	s, p := startZoho(t, 500)
	s.ForceError("/crm/v2/", http.StatusForbidden, 1, 0)
	if _, err := crm.LoadAll(context.Background(), p, crm.PageRequest{Limit: 50}, nil); !errors.Is(err, crm.ErrForbidden) {
		t.Fatalf("a refused page: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := crm.LoadAll(ctx, p, crm.PageRequest{Limit: 50}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled load: %v", err)
	}
}

// A page cursor that is not a number is refused before any request, saying
// which cursor was wrong; a numbered cursor starts the load at that page.
func TestLoadAllFromAPageNumber(t *testing.T) {
	_, p := startZoho(t, 120)
	_, err := crm.LoadAll(context.Background(), p, crm.PageRequest{Cursor: "two", Limit: 50}, nil)
	if !errors.Is(err, crm.ErrValidation) || !strings.Contains(err.Error(), `"two"`) {
		t.Fatalf("cursor two: %v, want a validation error naming the cursor", err)
	}
	want := listSequentially(t, p, crm.PageRequest{Cursor: "2", Limit: 50})
	got, err := crm.LoadAll(context.Background(), p, crm.PageRequest{Cursor: "2", Limit: 50}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) != 70 {
		t.Fatalf("from page 2: %d users, want %d (120 less the first 50)", len(got), len(want))
	}
}
