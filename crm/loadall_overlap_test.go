package crm_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/zoho"
)

// TestLoadPagesAsksForTheNextCursorPageWhileAPageIsTaken: for a cursor
// provider (Apideck), the request for page 2 goes out while page 1 is still
// being taken, so what take does (the CLI writing users, the console
// building rows) overlaps the round trip instead of adding to it. Before,
// take ran between one answer and the next request, and this test waited
// in vain.
func TestLoadPagesAsksForTheNextCursorPageWhileAPageIsTaken(t *testing.T) {
	s := sandbox.New(sandbox.Options{Users: 120})
	lists := make(chan struct{}, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/crm/users" {
			lists <- struct{}{}
		}
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p := apideck.New(apideck.Options{BaseURL: srv.URL, APIKey: sandbox.ApideckAPIKey,
		AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID, HTTP: &http.Client{}})
	taken, ids := 0, map[string]bool{}
	err := crm.LoadPages(context.Background(), p, crm.PageRequest{Limit: 50}, func(page crm.Page) error {
		taken++
		for _, u := range page.Users {
			ids[u.ID] = true
		}
		if page.Next == "" {
			return nil
		}
		// This page's request and the next one's: the second must arrive
		// while this page is still being taken.
		for range 2 {
			select {
			case <-lists:
			case <-time.After(10 * time.Second): // a failure bound, not a timing threshold
				t.Fatalf("page %d: the next page was not asked for while this one was taken", taken)
			}
		}
		// Put the next page's request back for its own turn.
		lists <- struct{}{}
		return nil
	})
	if err != nil || taken != 3 || len(ids) != 120 {
		t.Fatalf("taken %d pages, %d users, %v", taken, len(ids), err)
	}
}

// TestLoadPagesAsksForTheNextNumberedPageWhileAPageIsTaken: for page
// numbers (Zoho), the window moves on when a page arrives, so the request
// for page 1+workers goes out while page 1 is still being taken. Before,
// it waited for take to return, and each round paid the take's time.
func TestLoadPagesAsksForTheNextNumberedPageWhileAPageIsTaken(t *testing.T) {
	s := sandbox.New(sandbox.Options{Users: 1000})
	asked := make(chan string, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/crm/v2/users" {
			asked <- r.URL.Query().Get("page")
		}
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p, err := zoho.New(zoho.Options{AccountsURL: srv.URL, BaseURL: srv.URL, ClientID: sandbox.ZohoClientID,
		ClientSecret: sandbox.ZohoClientSecret, RefreshToken: sandbox.ZohoRefreshToken, HTTP: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	workers := max(p.Info().Caps.MaxConcurrency, 1)
	want := strconv.Itoa(1 + workers)
	taken, ids := 0, map[string]bool{}
	err = crm.LoadPages(context.Background(), p, crm.PageRequest{Limit: 100}, func(page crm.Page) error {
		taken++
		for _, u := range page.Users {
			ids[u.ID] = true
		}
		if taken > 1 {
			return nil
		}
		for {
			select {
			case n := <-asked:
				if n == want {
					return nil
				}
			case <-time.After(10 * time.Second): // a failure bound, not a timing threshold
				t.Fatalf("page %s was not asked for while page 1 was taken (%d at once)", want, workers)
			}
		}
	})
	if err != nil || len(ids) != 1000 {
		t.Fatalf("taken %d pages, %d users, %v", taken, len(ids), err)
	}
}
